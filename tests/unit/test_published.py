"""The last look at a finished page (generator.published) and the hook that applies it."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from mkdocs.exceptions import PluginError

from generator import published, sanitize, sitehooks

THEME = (
    "<script>var target=document.getElementById(location.hash.slice(1));target&&target.name&&"
    '(target.checked=target.name.startsWith("__tabbed_"))</script>'
    '<script id="__config" type="application/json">{"base": ".."}</script>'
    '<script src="../assets/javascripts/bundle.js"></script>'
    '<form class="md-search__form" name="search"><input type="text"></form>'
    '<meta http-equiv="X-UA-Compatible" content="IE=edge">'
    '<a href="#x" class="md-nav__link">x</a>'
)


def test_the_theme_alone_passes() -> None:
    assert published.problems(f"<html><head>{THEME}</head><body></body></html>") == []


def test_the_theme_scripts_are_read_from_material() -> None:
    scripts = published.theme_scripts()
    assert len(scripts) >= 5
    outdated = (
        'var el=document.querySelector("[data-md-component=outdated]"),base=new URL("../.."),'
        'outdated=__md_get("__outdated",sessionStorage,base);!0===outdated&&el&&(el.hidden=!1)'
    )  # {{ base_url }} in the template
    assert any(p.fullmatch(outdated) for p in scripts)
    assert not any(p.fullmatch(outdated.replace("../..", '"+alert(1)+"')) for p in scripts)


@pytest.mark.parametrize(
    ("html", "found"),
    [
        ('<a href="#x" autofocus onfocus="alert(1)">x</a>', "an event handler onfocus= on <a>"),
        ('<a href="#x"><img src=x onerror=alert(1)>"</a>', "an event handler onerror= on <img>"),
        ("<script>alert(1)</script>", "an inline script the theme did not write ('alert(1)')"),
        ('<script src="https://evil.example/x.js"></script>', "a script from"),
        ('<script src="//evil.example/x.js"></script>', "a script from"),
        ('<a href=" java\tscript:alert(1)">x</a>', "href=' java\\tscript:alert(1)' on <a>"),
        ('<a href="data:text/html,<script>">x</a>', "href="),
        ('<svg><animate attributeName="href" values="javascript:alert(1)"/></svg>', "values="),
        ('<iframe src="/x"></iframe>', "a <iframe> element"),
        ('<base href="https://evil.example/">', "a <base> element"),
        ('<meta http-equiv="refresh" content="0;url=/x">', "<meta http-equiv='refresh'>"),
        ('<div srcdoc="x"></div>', "srcdoc= on <div>"),
        ('<div id="__config">{}</div>', "a second element with the theme's id '__config'"),
        ('<pre class="x mermaid">graph</pre>', "a <pre> of class 'mermaid'"),
        ('<svg><rect fill="url(http://e.example/p.svg#g)"/></svg>', "fill= on <rect> loads from"),
        ('<svg><rect fill="u\\72l(//e.example/p)"/></svg>', "fill= on <rect> holds a CSS escape"),
        ('<th style="text-align:url(//e.example/t.png)">x</th>', "style= on <th> loads from"),
        ('<link rel="stylesheet" href="//evil.example/x.css">', "<link rel='stylesheet'>"),
        ('<link rel="preconnect" href="https://evil.example">', "<link rel='preconnect'>"),
        ('<img src="https://evil.example/p.png">', "<img src='https://evil.example/p.png'>"),
        ('<img srcset="a.png 1x, https://e.example/b.png 2x">', "<img srcset="),
    ],
)
def test_anything_that_could_run_is_found(html: str, found: str) -> None:
    problems = published.problems(THEME + html)
    assert len(problems) == 1 and problems[0].startswith(found), problems


def test_text_that_mentions_a_scheme_is_not_a_url() -> None:
    assert published.problems('<meta name="description" content="javascript: a primer">') == []


def page(src: str) -> Any:
    return SimpleNamespace(file=SimpleNamespace(src_uri=src))


def test_the_hook_stops_the_build_naming_the_page() -> None:
    with pytest.raises(PluginError, match=r"made from pages/notes\.md would run code.*onfocus"):
        sitehooks.on_post_page(THEME + '<a onfocus="x">', page("pages/notes.md"), None)
    assert sitehooks.on_post_page(THEME, page("index.md"), None) == THEME


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('x" autofocus onfocus="alert(1)', "x-autofocus-onfocus=-alert(1)"),
        ("überprüfung-der-anbieter", "überprüfung-der-anbieter"),
        ("利用ガイド", "利用ガイド"),
        ("a<b>c&d`e\\f", "a-b-c-d-e-f"),
        ('"  "', None),
    ],
)
def test_safe_id(value: str, expected: str | None) -> None:
    assert sanitize.safe_id(value) == expected


def test_a_heading_id_and_its_links_are_rewritten_alike() -> None:
    html = '<h2 id="x&quot; a">T<a href="#x&quot; a">¶</a></h2><a href="#x&quot; a">to</a>'
    assert sanitize.clean(html) == '<h2 id="x-a">T<a href="#x-a">¶</a></h2><a href="#x-a">to</a>'
    # the links follow their id: only the id's rewrite is reported
    assert [r.describe() for r in sanitize.removed(html)] == ["id='x\" a' on <h2>"]


def test_a_built_page_is_parsed_once_while_a_build_keeps_scans() -> None:
    """The hook's scan of a page is the one the link check takes back (one parse a page)."""
    from generator.checks.links.extract import keeping_scans, scan_built

    text = THEME + '<h2 id="a">A</h2><a href="#a">a</a>'
    with keeping_scans():
        first = scan_built(text)  # on_post_page
        assert scan_built(text) is first  # the site scan takes it back
        assert scan_built(text) is not first  # and only once
    assert scan_built(text) is not scan_built(text)  # outside a build nothing is kept
    assert "a" in first.ids and first.active == []


@pytest.mark.parametrize("spelling", ["__config", " __config", "\t__config ", "__search"])
def test_an_id_of_the_theme_is_removed_however_spelt(spelling: str) -> None:
    html = f'<div id="{spelling}" hidden>x</div>'
    assert sanitize.clean(html) == '<div hidden="">x</div>'
    assert [r.why() for r in sanitize.removed(html)] == [
        "ids starting with '__' are the theme's own"
    ]


def test_a_page_made_from_a_template_alone_is_checked_too() -> None:
    """404.html never passes on_post_page: on_post_template checks it."""
    bad = THEME + '<script src="//127.0.0.1:8999/assets/javascripts/bundle.js"></script>'
    with pytest.raises(PluginError, match=r"the page 404\.html would run code.*a script from"):
        sitehooks.on_post_template(bad, "404.html", None)
    assert sitehooks.on_post_template(THEME, "404.html", None) == THEME
    assert sitehooks.on_post_template("User-agent: *", "robots.txt", None) == "User-agent: *"


def test_the_link_check_reports_any_built_page_that_could_run_code(tmp_path: Any) -> None:
    """Whatever wrote a page of the folder, the internal check reads it (check-links --site)."""
    from generator.checks.links import check_site

    (tmp_path / "index.html").write_text(f"<html><body>{THEME}</body></html>", encoding="utf-8")
    (tmp_path / "404.html").write_text(
        '<html><head><link rel="stylesheet" href="//127.0.0.1:8999/x.css"></head></html>',
        encoding="utf-8",
    )
    found = [
        d for d in check_site(tmp_path, label="site", published=True) if d.rule == "site-build"
    ]
    assert [(d.path, d.message.split(": ", 1)[1]) for d in found] == [
        ("site/404.html", "<link rel='stylesheet'> to another host")
    ]


@pytest.mark.parametrize(
    "html",
    [
        # pymdownx.highlight: line anchors, spans and inline numbers
        '<a id="__codelineno-0-1" name="__codelineno-0-1" href="#__codelineno-0-1"></a>',
        '<span id="__span-0-1">x</span><span class="linenos" data-linenos="1 "></span>',
        # pymdownx.tabbed, alternate style
        '<div class="tabbed-set tabbed-alternate" data-tabs="1:2"><input id="__tabbed_1_1" '
        'name="__tabbed_1" type="radio" checked></div>',
        # Material's image alignment, buttons that open a new tab or download a file
        '<img src="assets/a.png" alt="a" align="left">',
        '<a href="assets/t.csv" class="md-button" target="_blank" download>t</a>',
        # a heading that starts with an emoji
        '<h2 id="-launch-checklist">🚀 Launch checklist</h2>',
    ],
)
def test_what_markdown_extensions_write_for_honest_content_is_kept(html: str) -> None:
    assert sanitize.removed(html) == []


def test_an_emoji_drawn_from_a_cdn_becomes_its_character() -> None:
    html = (
        '<p><img alt="👋" class="twemoji" src="https://cdn.example/1f44b.svg" title=":wave:" /></p>'
    )
    assert sanitize.clean(html) == '<p><span class="twemoji">👋</span></p>'
    assert sanitize.removed(html) == []
