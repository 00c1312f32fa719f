"""Nothing from data runs in a browser: every common vector, in every place data reaches a page.

One handbook is built with the vectors below in a hand-written page, in every Markdown field of
the procedure and guidance, in a page's headings and front matter, and in a tool's and a
vendor's plain-text fields. Then:

* validation warns (``html-removed``) about what the site removes, at the source's line;
* a static audit of every built HTML file finds no event handler, no ``javascript:``/``data:``
  URL, no frame, object, form, ``<base>`` or ``<meta http-equiv>``, and no script or style the
  theme does not ship itself (compared with a build of the unchanged handbook);
* headless Chromium opens each page, fires mouse, focus and toggle events at every element,
  searches, and sees no payload run, no dialog, no navigation and no request off 127.0.0.1.
"""

from __future__ import annotations

import json
import re
import textwrap
from html.parser import HTMLParser
from pathlib import Path

import pytest
from browser import Visit
from conftest import copy_shipped

from generator.cli import main

pytestmark = [pytest.mark.slow]

#: The payload every vector tries to run: it marks the window.
RUN = "top.__pwned=1"
VECTORS = {
    "script": f"<script>{RUN}</script>",
    "img-onerror": f'<img src="data:," onerror="{RUN}">',
    "event-handler": f'<b onmouseover="{RUN}" onclick="{RUN}">hover me</b>',
    "details-ontoggle": f'<details open ontoggle="{RUN}"><summary>more</summary>x</details>',
    "javascript-link": f'<a href="javascript:{RUN}">a link</a> [md link](javascript:{RUN})',
    "javascript-spaced": f'<a href="  JaVa&#x09;ScRiPt:{RUN}">spaced</a>',
    "data-link": f'<a href="data:text/html,&lt;script&gt;{RUN}&lt;/script&gt;">data</a>',
    "data-image": "![pixel](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "srcdoc": f'<iframe srcdoc="&lt;script&gt;{RUN}&lt;/script&gt;"></iframe>',
    "base": '<base href="https://evil.example/">',
    "meta-refresh": '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
    "form": '<form action="https://evil.example/"><button>go</button></form>',
    "object": '<object data="https://evil.example/x.swf"></object>',
    "embed": '<embed src="https://evil.example/x.swf">',
    "style": "<style>article{display:none}</style>",
    "svg-script": f"<svg><script>{RUN}</script></svg>",
    "svg-onload": f'<svg onload="{RUN}"><circle r="2"/></svg>',
    "svg-paint": '<svg><rect width="9" height="9" fill="url(https://evil.example/p.svg#g)"/></svg>',
    "svg-link": f'<svg><a xlink:href="javascript:{RUN}"><text y="9">svg link</text></a></svg>',
    "noscript-mxss": (
        f'<noscript><p title="</noscript><img src=data:, onerror={RUN}>"></p></noscript>'
    ),
    # the form the handbook's own charts travel in (generator/charts/embed.py): put back
    # into the page, and sanitized like the rest
    "figure-comment": f'<!--hb-figure <img src="data:," onerror="{RUN}"><svg onload="{RUN}">-->',
    "math-mxss": (
        "<math><mtext><table><mglyph><style><!--</style>"
        f'<img title="--&gt;&lt;/mglyph&gt;&lt;img src=1 onerror={RUN}&gt;">'
        "</mglyph></table></mtext></math>"
    ),
    "escaped-backticks": f'\\`<b onmouseover="{RUN}">ticks</b>\\`',
    "attr-list": f'*styled*{{: onclick="{RUN}" }}',
    "theme-id": '<div id="__config">{"search": "https://evil.example/worker.js"}</div>',
}


#: Long enough that the theme shortens a title with "..." wherever it shows one.
LONG = "Supercalifragilisticexpialidocious" * 4  # one word: it cannot wrap


#: Headings whose id (attr_list) tries to break out of the contents' href="#..." and the
#: permalink: the theme prints ids unescaped. Each id is made unique on its page by ``tag``.
def headings(tag: str) -> str:
    return (
        f"#### Id breakout {{ id='{tag}\" autofocus onfocus=\"{RUN}' }}\n\n"
        f"#### Id tag {{ id='{tag}\"><img src=x onerror={RUN}>' }}\n\n"
        # a class that makes the theme load Mermaid from unpkg.com, in Markdown and in HTML
        "```{.x .mermaid}\ngraph TD; A-->B\n```\n\n"
        '<pre class="mermaid">graph TD; C-->D</pre>'
    )


_BLOCKS = iter(range(1000))


def markdown_block(indent: int) -> str:
    """Every vector, one paragraph each, and the heading ids, as a YAML block scalar's body."""
    body = "\n\n".join(f"Vector {name}: {markup}" for name, markup in VECTORS.items())
    return textwrap.indent(body + "\n\n" + headings(f"b{next(_BLOCKS)}"), " " * indent)


def plant(root: Path) -> None:
    """Put every vector everywhere data reaches a page."""
    page = "# Vectors &lt;/title&gt;&lt;script&gt;" + RUN + "&lt;/script&gt;\n\n"
    page += '## Heading <img src="data:," onerror="' + RUN + '"> two\n\n'
    page += "\n\n".join(f"Vector {name}: {markup}" for name, markup in VECTORS.items()) + "\n"
    page += "\n" + headings("page").replace("####", "##") + "\n"
    page += f"\n## `<img src=x onerror={RUN}>` {LONG}\n"
    (root / "content/pages/vectors.md").write_text(page, encoding="utf-8")
    front = (
        "---\ntitle: 'Front </title><script>" + RUN + "</script>'\n"
        'description: \'x" onmouseover="' + RUN + "'\n---\n\nBody.\n"
    )
    (root / "content/pages/front.md").write_text(front, encoding="utf-8")
    phase = root / "content/procedure/1-assess.yaml"
    text = phase.read_text(encoding="utf-8")
    block = markdown_block(6)
    text = text.replace("intro: |\n", "intro: |\n" + markdown_block(2) + "\n\n", 1)
    text = text.replace(
        "    details: |\n", "    details: |\n" + block + "\n\n", 1
    )  # the first step's details
    items = "".join(
        f"      - '{name}: {markup}'\n".replace("\\`", "`")
        for name, markup in VECTORS.items()
        if "'" not in markup
    )  # checklist items are one line each
    text = text.replace("    checklist:\n", "    checklist:\n" + items, 1)
    phase.write_text(text, encoding="utf-8")
    guidance = root / "content/guidance.yaml"
    text = guidance.read_text(encoding="utf-8")
    for key in ("text: ", "answer: "):
        i = text.index("    " + key)
        end = text.index("\n", i)
        text = text[:i] + f"    {key}|\n" + markdown_block(6) + text[end:]
    guidance.write_text(text, encoding="utf-8")
    everything = " ".join(VECTORS.values()).replace("'", "''")
    tool = root / "registry/tools/northwind-code.yaml"
    text = replace_block(tool.read_text(encoding="utf-8"), "description", f"'{everything}'")
    text = text.replace(
        "    - Evaluation in the sandbox on open-source and synthetic code\n",
        f"    - '{everything}'\n",
        1,
    )
    # a name so long the theme shortens it with "..." and offers it whole as a tooltip
    text = text.replace(
        "name: Northwind Code Companion",
        f"name: '<img src=x onerror={RUN}> Northwind-Code-Companion-{LONG}'",
        1,
    )
    tool.write_text(text, encoding="utf-8")
    vendor = root / "registry/vendors/northwind-ai.yaml"
    text = replace_block(vendor.read_text(encoding="utf-8"), "notes", f"'{everything}'")
    vendor.write_text(text, encoding="utf-8")


def replace_block(text: str, key: str, value: str) -> str:
    """``text`` with the top-level ``key: >-`` block's value replaced by ``value``."""
    return re.sub(rf"(?m)^{key}: >-\n(?:  .*\n)+", f"{key}: {value}\n", text, count=1)


@pytest.fixture(scope="module")
def baseline(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_shipped(tmp_path_factory.mktemp("clean") / "handbook")
    assert main(["build", "--root", str(root)]) == 0
    return root / "site"


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_shipped(tmp_path_factory.mktemp("planted") / "handbook")
    plant(root)
    return root


@pytest.fixture(scope="module")
def site(planted: Path) -> Path:
    assert main(["build", "--root", str(planted), "--format", "json"]) == 0
    return planted / "site"


def test_validate_warns_about_each_vector_where_it_is_written(
    planted: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["validate", "--root", str(planted), "--format", "json"])
    found = json.loads(capsys.readouterr().out)["diagnostics"]
    removed = [d for d in found if d["rule"] == "html-removed"]
    by_file: dict[str, int] = {}
    for d in removed:
        by_file[d["path"]] = by_file.get(d["path"], 0) + 1
        assert d["severity"] == "warning" and d["line"] >= 1
    # every Markdown-bearing place was checked: the page and each YAML prose field
    assert by_file["content/pages/vectors.md"] >= len(VECTORS) - 2
    assert by_file["content/procedure/1-assess.yaml"] >= 3 * (len(VECTORS) - 2)
    assert by_file["content/guidance.yaml"] >= 2 * (len(VECTORS) - 2)
    assert [d for d in found if d["severity"] == "error"] == []


class _Audit(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.scripts: set[str] = set()
        self.styles: set[str] = set()
        self._in: str | None = None
        self._article = 0  # depth inside the page's content (<article>); the theme's search
        # box is a <form>, the content may hold none

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "article":
            self._article += 1
        if tag in ("iframe", "frame", "object", "embed", "applet", "base") or (
            tag == "form" and self._article
        ):
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            v = (value or "").strip().lower().replace("\t", "").replace("\n", "")
            if name.startswith("on"):
                self.problems.append(f"{name} on <{tag}>")
            if name in ("href", "src", "action", "formaction", "xlink:href", "data") and (
                v.startswith(("javascript:", "data:", "vbscript:"))
            ):
                self.problems.append(f"{name}={v[:30]!r} on <{tag}>")
            if name == "srcdoc":
                self.problems.append(f"srcdoc on <{tag}>")
            if tag == "meta" and name == "http-equiv":
                self.problems.append(f"<meta http-equiv={v}>")
        if tag == "script":
            src = dict(attrs).get("src")
            if src:
                self.scripts.add("src:" + re.sub(r"^(\.\./)+", "", src))
            else:
                self._in = "script"
        if tag == "style":
            self._in = "style"

    def handle_data(self, data: str) -> None:
        if self._in == "script":
            self.scripts.add("inline:" + re.sub(r"\s+", " ", data).strip())
        elif self._in == "style":
            self.styles.add(data.strip())

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._in = None
        if tag == "article":
            self._article -= 1


def audit(site: Path) -> dict[str, _Audit]:
    out = {}
    for page in sorted(site.rglob("*.html")):
        a = _Audit()
        a.feed(page.read_text(encoding="utf-8"))
        out[page.relative_to(site).as_posix()] = a
    return out


def normalise(script: str) -> str:
    """Inline scripts differ between builds only in their paths and the config's JSON."""
    return re.sub(r'"[^"]*"', '""', script) if script.startswith("inline:") else script


def test_the_built_site_holds_no_live_vector(site: Path, baseline: Path) -> None:
    allowed_scripts = {normalise(s) for a in audit(baseline).values() for s in a.scripts}
    allowed_styles = {s for a in audit(baseline).values() for s in a.styles}
    pages = audit(site)
    assert "vectors/index.html" in pages and "procedure/phase-1/index.html" in pages
    for rel, a in pages.items():
        assert a.problems == [], rel
        assert {normalise(s) for s in a.scripts} <= allowed_scripts, rel
        assert a.styles <= allowed_styles, rel
    # the search index holds the pages' text only: no markup that Material would render
    index = (site / "search/search_index.json").read_text(encoding="utf-8")
    assert "onerror" not in index.replace("onerror=", "").lower() or "<img" not in index
    for doc in json.loads(index)["docs"]:
        for field in ("title", "text"):
            probe = _Audit()
            probe.feed(doc[field])
            assert probe.problems == [] and not probe.scripts, (doc["location"], field)


PROVOKE = """() => {
  for (const el of document.querySelectorAll('body *')) {
    for (const type of ['mouseover', 'mouseenter', 'click', 'focus', 'toggle', 'load', 'error']) {
      try { el.dispatchEvent(new Event(type, {bubbles: true})); } catch (e) {}
    }
    if (el.tagName === 'DETAILS') { el.open = !el.open; el.open = !el.open; }
  }
}"""


@pytest.mark.browser
@pytest.mark.parametrize(
    "path",
    [
        "vectors/",
        "front/",
        "procedure/phase-1/",
        "procedure/guidance.md".replace(".md", "/"),
        "tools/northwind-code/",
        "vendors/northwind-ai/",
        "tools/",
        "dashboard/",
    ],
)
def test_no_vector_runs_in_a_browser(visit: Visit, path: str) -> None:
    page = visit.goto(path)
    url = page.url
    page.evaluate(PROVOKE)
    page.wait_for_timeout(300)
    assert page.evaluate("typeof top.__pwned") == "undefined", path
    assert visit.dialogs == []
    # no refresh, no <base> redirect (clicking a sortable column of the registry or vendors
    # table keeps its order in the query string, on the same page)
    assert page.url.split("?", 1)[0] == url
    assert visit.errors == []
    assert visit.foreign() == []
    if path == "vectors/":
        visit.shot("vectors-sanitized")


@pytest.mark.browser
def test_search_results_run_nothing(visit: Visit) -> None:
    page = visit.goto("")
    box = page.locator("input.md-search__input")
    box.click()
    for query in ("hover", "Vector", "svg link", "pwned"):
        box.fill("")
        box.press_sequentially(query, delay=10)
        page.wait_for_timeout(400)
        page.evaluate(PROVOKE)
    assert page.evaluate("typeof top.__pwned") == "undefined"
    assert visit.dialogs == []
    assert visit.foreign() == []


HOVER_TITLES = """async () => {
  window.scrollTo(0, 600);  // the header now shows the page's title
  await new Promise(r => setTimeout(r, 300));
  return [...document.querySelectorAll('.md-ellipsis')]
    .filter(el => el.offsetWidth > 0 && el.offsetWidth < el.scrollWidth).length;
}"""


@pytest.mark.browser
@pytest.mark.parametrize("path", ["tools/northwind-code/", "vectors/"])
def test_a_shortened_title_shown_whole_runs_nothing(visit: Visit, path: str) -> None:
    """The theme shortens long titles with "..." and offers the whole text on hover: a title
    whose text is markup stays text (Material's content.tooltips would render it as HTML)."""
    page = visit.goto(path)
    page.set_viewport_size({"width": 1400, "height": 900})
    assert page.evaluate(HOVER_TITLES) > 0  # the test reaches shortened titles at all
    for el in page.query_selector_all(".md-ellipsis"):
        if el.is_visible():
            el.hover(force=True)
            page.wait_for_timeout(100)
    page.mouse.move(5, 5)
    page.wait_for_timeout(300)
    assert page.evaluate("typeof top.__pwned") == "undefined", path
    assert visit.errors == []
