"""Finding links, offline: Markdown, YAML values (with their positions) and HTML."""

from __future__ import annotations

import io

from generator import siteconfig
from generator.checks.links import ProgressLine
from generator.checks.links.cache import Cache
from generator.checks.links.classify import checkable_fragment, mailto_problem, split_fragment
from generator.checks.links.extract import html_ids, markdown_links, scan_html, yaml_links
from generator.load import parse_yaml


def found(items: list) -> list[tuple[str, int, int]]:
    return [(f.url, f.line, f.column) for f in items]


RENDER = siteconfig.renderer(siteconfig.DEFAULT)


def test_markdown_links_are_what_markdown_renders_as_links() -> None:
    text = (
        "# Title\n"
        'An [inline](https://a.example/x) link, an image ![i](https://a.example/i.png "t").\n'
        "Bare https://b.example/page is text, <https://c.example/auto> is a link, so is\n"
        "<mailto:me@ex.com>. A [reference][ref] too.\n"
        "\n"
        "[ref]: https://d.example/ref\n"
        "Wiki [w](https://en.wikipedia.org/wiki/Foo_(bar)) and (see https://e.example/y).\n"
        '<a href="https://f.example/?a=1&amp;b=2">html</a>\n'
    )
    assert found(markdown_links(text, RENDER)) == [
        ("https://a.example/x", 2, 13),
        # the remote image is not published (the site loads nothing from other hosts)
        ("https://c.example/auto", 3, 39),
        ("mailto:me@ex.com", 4, 2),
        ("https://d.example/ref", 6, 8),
        ("https://en.wikipedia.org/wiki/Foo_(bar)", 7, 10),
        ("https://f.example/?a=1&b=2", 8, 10),
    ]


def test_code_and_comments_are_not_links() -> None:
    text = (
        "Run `curl https://x.example/a` first.\n"
        "```sh\n"
        "curl https://x.example/b\n"
        "```\n"
        "~~~\n"
        "[c](https://x.example/c)\n"
        "~~~\n"
        "\n"
        "    [indented](https://x.example/indented)\n"
        "\n"
        "<!-- [commented](https://x.example/commented) <a href='https://x.example/c2'> -->\n"
        "\n"
        "After [d](https://x.example/d).\n"
    )
    assert found(markdown_links(text, RENDER)) == [("https://x.example/d", 13, 11)]


def test_yaml_values_and_markdown_in_block_scalars_keep_their_lines() -> None:
    text = (
        "id: acme\n"
        "website: https://acme.example/\n"
        "certifications:\n"
        "  - evidence: 'https://docs.example/a.pdf'\n"
        "details: |\n"
        "  Read the [guide](https://acme.example/guide#setup).\n"
        "\n"
        "  Also https://acme.example/faq and again https://acme.example/faq.\n"
        "notes: >-\n"
        "  folded text with\n"
        "  https://acme.example/folded inside\n"
        "contact: ops@acme.example\n"
        "feedback: mailto:ops@acme.example\n"
    )
    data, problems = parse_yaml(text, "v.yaml")
    assert problems == []
    assert found(yaml_links(data, text, RENDER, lambda path: path == ("details",))) == [
        ("https://acme.example/", 2, 10),
        ("https://docs.example/a.pdf", 4, 16),  # inside the quotes
        ("https://acme.example/guide#setup", 6, 20),  # Markdown: its links, not bare text
        ("https://acme.example/folded", 11, 3),  # plain text: the URLs written in it
        ("mailto:ops@acme.example", 13, 11),
    ]


def test_scan_html_ids_links_and_base() -> None:
    page = scan_html(
        "<!DOCTYPE html><html><head>\n"
        "<base href='../'>\n"
        '<link rel="preconnect" href="https://fonts.example">\n'
        '<link rel="stylesheet" href="assets/style.css">\n'
        "<script src='js/app.js'></script>\n"
        "<script>var s = '<a href=\"nope.html\">';</script>\n"
        "<!-- <a href='commented.html'> -->\n"
        "</head><body>\n"
        '<h1 id="intro">Intro</h1><a name="legacy"></a>\n'
        '<a href="page.html#x" class=c>x</a> <img src="i.png" alt=">">\n'
        "<A HREF=upper.html>u</A><a>no href</a><a href=''>empty</a>\n"
        '<a href="a&amp;b.html">amp</a>\n'
        "</body></html>\n"
    )
    assert page.base == "../"
    assert page.ids == {"intro", "legacy"}
    assert [(link.url, link.tag, link.line) for link in page.links] == [
        ("assets/style.css", "link", 4),
        ("js/app.js", "script", 5),
        ("page.html#x", "a", 10),
        ("i.png", "img", 10),
        ("upper.html", "a", 11),
        ("a&b.html", "a", 12),
    ]


def test_html_ids_of_fetched_pages() -> None:
    assert html_ids("<h2 id=a>x</h2><p data-id='no'><a name=\"b\"><div ID='c&amp;d'>") == {
        "a",
        "b",
        "c&d",
    }


def test_fragments_and_keys() -> None:
    assert split_fragment("HTTPS://Example.COM/Path?q=1#Frag") == (
        "https://example.com/Path?q=1",
        "Frag",
    )
    assert not checkable_fragment("")
    assert not checkable_fragment("top")
    assert not checkable_fragment(":~:text=hello")
    assert not checkable_fragment("!/route")
    assert checkable_fragment("install")


def test_mailto_syntax() -> None:
    assert mailto_problem("mailto:ops@example.com?subject=Hi") is None
    assert mailto_problem("mailto:a@example.com,b@example.org") is None
    assert mailto_problem("mailto:ops%40example.com") is None
    assert mailto_problem("mailto:?subject=x") == "names no address"
    assert mailto_problem("mailto:ops@localhost") == "'ops@localhost' is not an e-mail address"


def test_cache_survives_garbage(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "links.json"
    path.write_text("{not json", encoding="utf-8")
    cache = Cache.load(path, now=100.0, max_age_hours=1)
    assert cache.entries == {}
    cache.put("https://a.example/", 200, None)
    cache.save()
    again = Cache.load(path, now=100.0 + 3599, max_age_hours=1)
    assert again.get("https://a.example/") is not None
    assert Cache.load(path, now=100.0 + 3601, max_age_hours=1).get("https://a.example/") is None
    assert [p.name for p in tmp_path.iterdir()] == ["links.json"]  # no temporary files left


def test_progress_plain_lines_and_terminal() -> None:
    plain = io.StringIO()
    progress = ProgressLine(plain, tty=False)
    for i in range(1, 21):
        progress(i, 20)
    lines = plain.getvalue().splitlines()
    assert lines[0] == "checking links: 1/20 URLs done"
    assert lines[-1] == "checking links: 20/20 URLs done"
    assert len(lines) == 11
    tty = io.StringIO()
    progress = ProgressLine(tty, tty=True)
    progress(1, 2)
    progress(2, 2)
    assert tty.getvalue() == "\rchecking links: 1/2\rchecking links: 2/2\n"


def test_each_link_is_placed_where_it_is_written() -> None:
    """A reference link's URL sits at its definition, and links after it keep their lines; a
    URL also written in a comment or inside a longer URL in code goes to its link."""
    u = "http://127.0.0.1:8801/"
    text = (
        "# Ext\n"  # 1
        f"<!-- old: {u}nf-x -->\n"  # 2
        f"Code `{u}nf-yy`.\n"  # 3
        "Ref: [r][one].\n"  # 4
        f"Auto <{u}nf-auto>.\n"  # 5
        f"Link [x]({u}nf-x) and [y]({u}nf-y).\n"  # 6
        f'Titled [t]({u}nf-title "T").\n'  # 7
        "\n"
        f"[one]: {u}nf-ref\n"  # 9
    )
    found = [(f.url.removeprefix(u), f.line, f.column) for f in markdown_links(text, RENDER)]
    assert found == [
        ("nf-ref", 9, 8),
        ("nf-auto", 5, 7),
        ("nf-x", 6, 10),
        ("nf-y", 6, 46),
        ("nf-title", 7, 12),
    ]
