"""Files of content/assets/ that would run or load something: ``asset-refused`` at the file.

Assets are published as they are, on the site's own origin, so an HTML page, a script or an
SVG image with a script in it would run for anyone who opens it, and a style sheet could load
from another host. Only passive kinds are published: images, fonts, PDF and plain text by
their ending; SVG images only when they hold nothing but drawing (no script, no event handler,
no foreign content, links only within the file); style sheets only when they import nothing and
load nothing from another host.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser

from generator import sanitize
from generator.diagnostics import Diagnostic
from generator.load import MAX_ASSET_BYTES, Tree, files
from generator.rules import RULES

PASSIVE = frozenset(
    {
        "png", "jpg", "jpeg", "gif", "webp", "avif", "ico", "bmp",
        "woff", "woff2", "ttf", "otf", "pdf", "txt",
    }
)  # fmt: skip
SVG_ELEMENTS = frozenset(
    {
        "svg", "g", "path", "rect", "circle", "ellipse", "line", "polyline", "polygon", "text",
        "tspan", "title", "desc", "defs", "lineargradient", "radialgradient", "stop",
        "clippath", "mask", "pattern", "symbol", "use", "metadata",
    }
)  # fmt: skip
_CSS_URL = re.compile(r"url\(\s*(['\"]?)(.*?)\1\s*\)", re.IGNORECASE | re.DOTALL)
_CSS_IMPORT = re.compile(r"@import\b", re.IGNORECASE)


def check(tree: Tree) -> list[Diagnostic]:
    """``asset-refused`` for every asset that is not passive (see the module)."""
    found: list[Diagnostic] = []
    for rel in tree.assets:
        ending = rel.rsplit(".", 1)[-1].lower() if "." in rel.rsplit("/", 1)[-1] else ""
        if ending in PASSIVE:
            continue
        if ending not in ("svg", "css"):
            found.append(
                _refused(
                    rel,
                    f"a .{ending or '(no ending)'} file is not published: only images, fonts, "
                    "PDF and text files are (an HTML page or a script would run on the site)",
                )
            )
            continue
        data, _ = files.read(tree.root, rel, limit=MAX_ASSET_BYTES)
        if data is None:
            continue  # reported by the loader
        text = data.decode("utf-8", "replace")
        why = list(_svg_problems(text) if ending == "svg" else _css_problems(text))
        if why:
            found.append(_refused(rel, f"it is not published: {'; '.join(why[:3])}"))
    return found


def _refused(rel: str, message: str) -> Diagnostic:
    rule = RULES["asset-refused"]
    return Diagnostic(
        rule.id,
        rule.severity,
        message,
        rel,
        1,
        1,
        hint="keep to images without scripts (or export the image as PNG), and to style sheets "
        "that load only the site's own files",
    )


class _Svg(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in SVG_ELEMENTS:
            self.problems.append(f"it holds a <{tag}> element")
        for name, value in attrs:
            value = value or ""
            if name.startswith("on"):
                self.problems.append(f"<{tag}> has an event handler ({name})")
            elif name in ("href", "xlink:href", "src") and not value.strip().startswith("#"):
                self.problems.append(f"<{tag}> links to {value[:40]!r}")
            elif name == "style":
                self.problems += _css_problems(value)

    handle_startendtag = handle_starttag


def _svg_problems(text: str) -> Iterator[str]:
    parser = _Svg()
    parser.feed(text)
    parser.close()
    yield from dict.fromkeys(parser.problems)


def _css_problems(text: str) -> list[str]:
    out = []
    if _CSS_IMPORT.search(text):
        out.append("the style sheet imports another one (@import)")
    for m in _CSS_URL.finditer(text):
        url = m.group(2)
        if not url.startswith(("#", "data:")) and not sanitize.is_local(url):
            out.append(f"the style sheet loads {url[:60]!r} from another host")
        elif url.lower().startswith("data:") and "svg" in url.lower():
            out.append("the style sheet embeds an SVG image")
    return out
