"""Registry values go through generator.escape into Markdown: they must read back as text."""

from __future__ import annotations

import html

import markdown
import pytest

from generator import escape, sanitize

# The extensions the shipped mkdocs.yml enables (the ones that add syntax).
EXTENSIONS = ["tables", "attr_list", "admonition", "toc", "pymdownx.details"]

NASTY = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "*bold* _it_ **x** __y__ `code` ``two``",
    "[link](javascript:alert(1)) ![img](https://evil.example/x.png)",
    "# heading",
    "- item",
    "+ item",
    "1. numbered",
    "12) numbered",
    "> quote",
    "a | b | c",
    "{#id .class} {: .x}",
    "back\\slash \\*",
    "&amp; &lt; & <",
    "!!! note",
    "??? question",
    "???+ note open",
    "https://plain.example/url_with_underscores_",
    "tab\tand\nnew line  \n\ntwo paragraphs",
]


def convert(text: str) -> str:
    # '&#63;' is how a leading '?' is kept from starting a collapsible block; it shows as '?'.
    return markdown.markdown(text, extensions=EXTENSIONS).replace("&#63;", "?")


@pytest.mark.parametrize("value", NASTY)
def test_text_reads_back_as_the_value(value: str) -> None:
    shown = " ".join(value.split())
    assert convert(escape.text(value)) == f"<p>{html.escape(shown, quote=False)}</p>"


@pytest.mark.parametrize("value", NASTY)
def test_text_in_a_list_item_and_a_table_cell(value: str) -> None:
    shown = html.escape(" ".join(value.split()), quote=False)
    assert convert("- " + escape.text(value)) == f"<ul>\n<li>{shown}</li>\n</ul>"
    table = convert(f"| a | b |\n|---|---|\n| {escape.cell(value)} | z |")
    assert f"<td>{shown}</td>\n<td>z</td>" in table


def test_paragraphs_keep_blank_lines_only() -> None:
    assert convert(escape.paragraphs("one *a*\n\n two\n  three")) == (
        "<p>one *a*</p>\n<p>two three</p>"
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("https://example.com/a b(c)", "https://example.com/a%20b%28c%29"),
        ("http://example.com/x?y=1&z='2'", "http://example.com/x?y=1&z=%272%27"),
        ("mailto:team@example.com", "mailto:team@example.com"),
        ("javascript:alert(1)", None),
        ("JAVASCRIPT:alert(1)", None),
        ("data:text/html,<script>", None),
        ("//evil.example/x", None),
        ("ftp://example.com/", None),
        (None, None),
    ],
)
def test_url_allows_web_and_mail_links_only(value: str | None, expected: str | None) -> None:
    assert escape.url(value) == expected


def test_link_falls_back_to_text() -> None:
    assert escape.link("a_b", "https://x.example/") == "[a\\_b](https://x.example/)"
    assert escape.link("a_b", "javascript:alert(1)") == "a\\_b"


def test_html_escapes_quotes() -> None:
    assert escape.html("\"'<&>") == "&quot;&#x27;&lt;&amp;&gt;"


def test_html_link_escapes_label_and_target_and_refuses_other_schemes() -> None:
    assert escape.href('https://x.example/a?b=1&c="2"') == "https://x.example/a?b=1&amp;c=%222%22"
    assert escape.html_link("<b>a</b> & *b*", "https://x.example/?q=1&r='2'") == (
        '<a href="https://x.example/?q=1&amp;r=%272%27">&lt;b&gt;a&lt;/b&gt; &amp; *b*</a>'
    )
    assert escape.href("javascript:alert(1)") is None
    assert escape.html_link("<x>", "javascript:alert(1)") == "&lt;x&gt;"
    assert escape.html_link("me", "mailto:a@b.example") == '<a href="mailto:a@b.example">me</a>'


def test_html_paragraphs_in_a_raw_html_block_read_back_as_the_value() -> None:
    value = "<script>x()</script> *a* | b\n  [c](javascript:d)\n\n\n\\e `f`"
    out = escape.html_paragraphs(value)
    assert out == (
        "<p>&lt;script&gt;x()&lt;/script&gt; *a* | b\n  [c](javascript:d)</p>\n<p>\\e `f`</p>"
    )
    rendered = markdown.markdown("# T\n\n" + out + "\n", extensions=["tables", "attr_list"])
    assert rendered == "<h1>T</h1>\n" + out
    assert escape.html_paragraphs(None) == ""


def test_prose_keeps_markdown_and_the_sanitizer_keeps_it_safe() -> None:
    source = (
        "Fill `registry/tools/<id>.yaml` and **bold**.\n\n"
        "<script>alert(1)</script> [x](javascript:alert(1)) [ok](https://ok.example/) "
        "\\`<b onmouseover=alert(1)>x</b>\\`\n\n"
        "[ref]: vbscript:msgbox(1)\n"
    )
    out = sanitize.clean(convert(escape.prose(source)))
    assert "<code>registry/tools/&lt;id&gt;.yaml</code>" in out
    assert "<strong>bold</strong>" in out
    assert "<script" not in out and "alert" not in out.replace("x</a>", "")
    assert "onmouseover" not in out and "<b>x</b>" in out
    assert "javascript:" not in out
    assert 'href="https://ok.example/"' in out
    assert "vbscript:" not in out


def test_attr_makes_safe_ids() -> None:
    assert escape.attr('a b"<c>') == "a-b--c-"


@pytest.mark.parametrize(
    ("written", "kept"),
    [
        ('<a href="/x/" tabindex="-1">x</a>', '<a href="/x/" tabindex="-1">x</a>'),
        ('<a href="/x/" tabindex=" -1 ">x</a>', '<a href="/x/" tabindex="-1">x</a>'),
        ('<a href="/x/" tabindex="0">x</a>', '<a href="/x/">x</a>'),
        ('<a href="/x/" tabindex="5">x</a>', '<a href="/x/">x</a>'),
        ('<div tabindex="-1">x</div>', "<div>x</div>"),
    ],
)
def test_a_link_may_only_leave_the_tab_order(written: str, kept: str) -> None:
    """A chart's many marks are links out of the tab order; nothing may reorder focus or make
    an element focusable."""
    assert sanitize.clean(written) == kept


@pytest.mark.parametrize(
    ("written", "kept"),
    [
        # inside an SVG image a link keeps its URL in xlink:href, however it was written
        ('<svg><a href="../x/"><text>x</text></a></svg>', '<svg><a xlink:href="../x/">'),
        ('<svg><a xlink:href="../x/">', '<svg><a xlink:href="../x/">'),
        ('<SVG><A HREF="../x/">', '<svg><a xlink:href="../x/">'),
        ('<svg><g><a tabindex="-1" href="#x">', '<svg><g><a tabindex="-1" xlink:href="#x">'),
        ('<svg><svg></svg><a href="y">', '<svg><svg></svg><a xlink:href="y">'),
        # a title that reads like an attribute is left as it is
        ('<svg><a title="a href=&quot;b" href="c">', '<svg><a title="a href=&quot;b" xlink:href'),
        # outside SVG, links keep href; "<svg" in a value or text opens no image
        ('<svg></svg><a href="z">z</a>', '<svg></svg><a href="z">z</a>'),
        ('<img alt="<svg" src="a.png"><a href="z">', '<a href="z">'),
        ("<p>&lt;svg <a href='z'>z</a></p>", '<a href="z">'),
        # an attribute name no parser agrees on is dropped, and the link is still found
        ('<svg aria-x"y="1"><a href="../t/">', '<svg><a xlink:href="../t/">'),
        ('<svg><a aria-q"="1" href="../v/">', '<svg><a xlink:href="../v/">'),
        ('<svg><a aria-label="a > b" href="c">', '<svg><a aria-label="a &gt; b" xlink:href="c">'),
        # the URL is checked as any link's
        ('<svg><a xlink:href="javascript:alert(1)">j</a></svg>', "<svg><a>j</a></svg>"),
        ('<svg><a href="javascript:alert(1)">j</a></svg>', "<svg><a>j</a></svg>"),
    ],
)
def test_a_link_in_an_svg_image_keeps_its_url_in_xlink_href(written: str, kept: str) -> None:
    """Material's instant navigation assigns ``el.href = el.href`` to each relative ``[href]``
    of a page it loads, which throws on an SVG link and strands the reader on the previous
    page; ``xlink:href`` is the same link to a browser and out of that selector's reach."""
    assert kept in sanitize.clean(written)


def test_an_svg_link_in_xlink_href_is_no_loss() -> None:
    assert sanitize.removed('<svg><a href="../x/"><text>x</text></a></svg>') == []
    assert sanitize.removed('<svg><a xlink:href="javascript:x">j</a></svg>') == [
        sanitize.Removed("a", "xlink:href", "javascript:x")  # named as written
    ]
    assert sanitize.removed('<svg><a href="javascript:x">j</a></svg>') == [
        sanitize.Removed("a", "href", "javascript:x")
    ]
