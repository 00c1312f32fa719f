"""The last look at a published page: nothing in it runs that the theme did not write, and
nothing loads from another host.

The sanitizer (:mod:`generator.sanitize`) cleans what a page *says*; the theme then prints the
page's title, contents, front matter and ids into its templates, which MkDocs renders without
escaping. Whatever reaches the final HTML by that road, or by one nobody has thought of yet,
is caught here, in MkDocs' ``on_post_page`` event (:mod:`generator.sitehooks`): the build
fails, naming the page and the construct, before the site is published. The page is read
once, by the site scan's parser (:func:`generator.checks.links.extract.scan_built`), whose
result the internal link check then reuses.

A page passes when, read with the standard library's HTML parser:

* every ``<script>`` loads a file of the site, holds JSON, or is one of the theme's own inline
  scripts (read from Material's ``partials/javascripts/`` templates, where ``{{ ... }}`` stands
  for a path);
* no element has an event handler (``on...``) or ``srcdoc``;
* no URL attribute (``href``, ``src``, ``action``, SVG's ``values``...) is a ``javascript:``,
  ``vbscript:`` or HTML ``data:`` URL, as a browser reads it (controls, tabs and newlines
  dropped);
* nothing loads from another host: ``<link rel=stylesheet|icon|preload...>``, ``src``,
  ``srcset`` and ``poster`` are the site's own files, and no element has a class that makes the
  theme fetch code (``mermaid``: Mermaid from unpkg.com);
* there is no frame, object, embed, applet or ``<base>``, and ``<meta http-equiv>`` only for
  the character set or compatibility mode;
* no id the theme's script looks up (``__config``, ``__search``...) is defined twice: the
  first one would take over the theme's own element.
"""

from __future__ import annotations

import functools
import importlib.resources
import re

from generator.sanitize import ACTIVE_CLASSES, browser_url, is_local

FORBIDDEN_TAGS = frozenset({"iframe", "frame", "frameset", "object", "embed", "applet", "base"})
HTTP_EQUIV = frozenset({"content-type", "x-ua-compatible"})
#: Attributes a browser reads as a URL to follow, load or (SVG animation) set.
URL_ATTRIBUTES = frozenset(
    {
        "href", "src", "action", "formaction", "xlink:href", "data", "poster", "background",
        "cite", "srcset", "ping", "manifest", "codebase", "values", "to", "from", "by",
    }
)  # fmt: skip
#: ``<link rel>`` values that make the browser fetch (or connect to) the address.
LOADING_RELS = frozenset(
    {
        "stylesheet", "icon", "shortcut", "apple-touch-icon", "mask-icon", "manifest",
        "preload", "modulepreload", "prefetch", "preconnect", "dns-prefetch",
    }
)  # fmt: skip
#: Attributes a browser reads as CSS (an SVG presentation attribute, ``style``): a backslash
#: there is an escape that can spell url( so that no plain search finds it.
CSS_VALUED = frozenset(
    {
        "style", "fill", "stroke", "filter", "mask", "clip-path", "marker-start", "marker-mid",
        "marker-end", "cursor",
    }
)  # fmt: skip
_CSS_URL = re.compile(r"""url\(\s*['"]?([^'")\s]*)""", re.IGNORECASE)
_ACTIVE_URL = re.compile(r"^(?:javascript|vbscript|data:\s*text/html|data:[^,;]*xml)", re.I)
_TEMPLATE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)
_JINJA = re.compile(r"\{\{.*?\}\}")
_PATH = r"[A-Za-z0-9_./-]*"


@functools.lru_cache(maxsize=1)
def theme_scripts() -> tuple[re.Pattern[str], ...]:
    """The inline scripts Material writes, as patterns (``{{ ... }}`` matches a path)."""
    folder = importlib.resources.files("material") / "templates" / "partials" / "javascripts"
    out = []
    templates = (t for t in folder.iterdir() if t.name.endswith(".html"))
    for template in sorted(templates, key=lambda t: t.name):
        for body in _TEMPLATE_SCRIPT.findall(template.read_text(encoding="utf-8")):
            parts = _JINJA.split(body)
            out.append(re.compile(_PATH.join(re.escape(p) for p in parts), re.DOTALL))
    return tuple(out)


class Active:
    """What could run in one page, fed tag by tag by the site scan's HTML parser
    (:class:`generator.checks.links.extract` ``_Scanner``), so a page is parsed once for its
    links, its ids and this check. ``problems``: in document order."""

    __slots__ = ("_script", "_theme_ids", "problems")

    def __init__(self) -> None:
        self.problems: list[str] = []
        self._script: list[str] | None = None
        self._theme_ids: set[str] = set()

    def start(self, tag: str, values: dict[str, str | None]) -> None:
        """A start tag, with its attributes (names lower-case, as the parser gives them)."""
        if tag in FORBIDDEN_TAGS:
            self.problems.append(f"a <{tag}> element")
        if ACTIVE_CLASSES.intersection((values.get("class") or "").split()):
            self.problems.append(f"a <{tag}> of class 'mermaid' (the theme would load Mermaid)")
        rels = set((values.get("rel") or "").lower().split())
        if tag == "link" and rels & LOADING_RELS and not is_local(values.get("href") or ""):
            self.problems.append(f"<link rel={values.get('rel')!r}> to another host")
        for name, value in values.items():
            if value and ("url(" in value.lower() or ("\\" in value and name in CSS_VALUED)):
                if not all(u.startswith("#") or is_local(u) for u in _CSS_URL.findall(value)):
                    self.problems.append(f"{name}= on <{tag}> loads from another host")
                elif "\\" in value and name in CSS_VALUED:
                    self.problems.append(f"{name}= on <{tag}> holds a CSS escape")
        for name in ("src", "poster", "srcset"):
            url = values.get(name)
            if url is not None and tag != "script" and not _local_sources(url):
                self.problems.append(f"<{tag} {name}={url[:40]!r}> loads from another host")
        ident = values.get("id") or ""
        if ident.startswith("__"):  # the theme's script finds its elements by these ids
            if ident in self._theme_ids:
                self.problems.append(f"a second element with the theme's id {ident!r}")
            self._theme_ids.add(ident)
        if tag == "meta":
            equiv = values.get("http-equiv")
            if equiv is not None and equiv.lower() not in HTTP_EQUIV:
                self.problems.append(f"<meta http-equiv={equiv!r}>")
        for name, value in values.items():
            if name.startswith("on"):
                self.problems.append(f"an event handler {name}= on <{tag}>")
            elif name == "srcdoc":
                self.problems.append(f"srcdoc= on <{tag}>")
            elif name in URL_ATTRIBUTES and _ACTIVE_URL.match(browser_url(value or "")):
                self.problems.append(f"{name}={(value or '')[:40]!r} on <{tag}>")
        if tag == "script":
            src = values.get("src")
            if src is not None:
                if not is_local(src):
                    self.problems.append(f"a script from {src[:60]!r}")
            elif (values.get("type") or "").lower() != "application/json":
                self._script = []

    def data(self, text: str) -> None:
        if self._script is not None:
            self._script.append(text)

    def end(self, tag: str) -> None:
        if tag == "script" and self._script is not None:
            text = "".join(self._script)
            self._script = None
            if not any(p.fullmatch(text) for p in theme_scripts()):
                self.problems.append(f"an inline script the theme did not write ({text[:40]!r})")


def _local_sources(value: str) -> bool:
    """Whether every address in a ``src``, ``poster`` or ``srcset`` value is the site's own
    (a ``srcset`` lists addresses with their widths, separated by commas)."""
    urls = [part.split()[0] for part in value.split(",") if part.split()]
    return all(is_local(u) for u in urls)


def problems(html: str) -> list[str]:
    """What in a whole published page could run (see the module), in document order, each
    once; [] for a page that passes."""
    from generator.checks.links.extract import scan_html

    return scan_html(html).active
