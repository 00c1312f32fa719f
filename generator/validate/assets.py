"""Files of content/assets/ that would run or load something: ``asset-refused`` at the file.

Assets are published as they are, on the site's own origin, so an HTML page, a script or an
SVG image with a script in it would run for anyone who opens it, and a style sheet could load
from another host. Only passive kinds are published: images, fonts, PDF and plain text by
their ending; SVG images only when they hold nothing but drawing, read as XML as a browser
reads them (no DOCTYPE or entity, no processing instruction, no script, no event handler, no
foreign content, links only within the file); style sheets only when, read with a CSS tokenizer
(tinycss2), they parse, import nothing and load nothing from another host (``url()``, strings in
functions such as ``image-set()``, escapes decoded).
"""

from __future__ import annotations

import re
import xml.parsers.expat
from collections.abc import Iterable, Iterator
from typing import Any

import tinycss2  # type: ignore[import-untyped]

from generator import sanitize
from generator.diagnostics import Diagnostic
from generator.load import MAX_ASSET_BYTES, Tree, files
from generator.rules import RULES

PASSIVE = frozenset(
    {
        "png", "jpg", "jpeg", "gif", "webp", "avif", "ico", "bmp",
        "woff", "woff2", "ttf", "otf", "pdf", "txt",
        # downloads a browser shows as text or saves, never runs (no macro-enabled formats)
        "csv", "tsv", "json", "docx", "xlsx", "pptx", "odt", "ods", "odp",
    }
)  # fmt: skip
SVG_ELEMENTS = frozenset(
    {
        "svg", "g", "path", "rect", "circle", "ellipse", "line", "polyline", "polygon", "text",
        "tspan", "title", "desc", "defs", "lineargradient", "radialgradient", "stop",
        "clippath", "mask", "pattern", "symbol", "use", "metadata", "marker", "filter",
        "feblend", "fecolormatrix", "fecomponenttransfer", "fecomposite", "feconvolvematrix",
        "fediffuselighting", "fedisplacementmap", "fedropshadow", "feflood", "fefunca",
        "fefuncb", "fefuncg", "fefuncr", "fegaussianblur", "femerge", "femergenode",
        "femorphology", "feoffset", "fespecularlighting", "fetile", "feturbulence",
        "fedistantlight", "fepointlight", "fespotlight",
    }
)  # fmt: skip


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
                    "PDF, text, CSV and office documents are (an HTML page or a script would run "
                    "on the site)",
                )
            )
            continue
        data, _ = files.read(tree.root, rel, limit=MAX_ASSET_BYTES)
        if data is None:
            continue  # reported by the loader
        why = list(_svg_problems(data) if ending == "svg" else _css_file_problems(data))
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


#: A string that reads as a web address: ``//host``, ``https://host``, ``data:``.
_URL_LIKE = re.compile(r"^(?:[a-z][a-z0-9+.-]*:)?//|^data:", re.IGNORECASE)
SVG_NS = "http://www.w3.org/2000/svg"
#: Namespaces of editors' metadata (Inkscape, Sodipodi, RDF, Creative Commons, Dublin Core): a
#: browser renders and runs nothing in them.
METADATA_NS = frozenset(
    {
        "http://www.inkscape.org/namespaces/inkscape",
        "http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd",
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
        "http://creativecommons.org/ns#",
        "http://web.resource.org/cc/",
        "http://purl.org/dc/elements/1.1/",
    }
)
XLINK_NS = "http://www.w3.org/1999/xlink"


class _Refused(Exception):
    """Stops reading an SVG at the first thing that makes it unsafe to read further."""


def _svg_problems(data: bytes) -> Iterator[str]:
    """What in an SVG file could run or load something, read as a browser reads it: as XML
    (expat, from the bytes, so the file's own encoding declaration is honoured), where a
    DOCTYPE could declare entities that expand into markup."""
    problems: list[str] = []

    def refuse(why: str) -> Any:
        def handler(*_: Any) -> None:
            raise _Refused(why)

        return handler

    def start(name: str, attrs: dict[str, str]) -> None:
        ns, _, local = name.rpartition(" ")
        drawing = ns == SVG_NS and local.lower() in SVG_ELEMENTS
        if not drawing and ns not in METADATA_NS:  # an editor's notes are neither drawn nor run
            foreign = f" of another namespace ({ns})" if ns not in (SVG_NS, "") else ""
            problems.append(f"it holds a <{local}> element{foreign}")
        for key, value in attrs.items():
            attr_ns, _, attr = key.rpartition(" ")
            if attr.lower().startswith("on"):
                problems.append(f"<{local}> has an event handler ({attr})")
            elif attr in ("href", "src") and attr_ns in ("", XLINK_NS):
                if not value.strip().startswith("#"):
                    problems.append(f"<{local}> links to {value[:40]!r}")
            elif attr == "style":
                problems.extend(_css_problems(value, declarations=True))
            elif "(" in value:  # a presentation attribute is CSS: fill="url(...)"
                problems.extend(_css_problems(value, declarations=None))

    parser = xml.parsers.expat.ParserCreate(namespace_separator=" ")
    parser.StartDoctypeDeclHandler = refuse("it declares a DOCTYPE (its entities could add markup)")
    parser.EntityDeclHandler = refuse("it declares an entity")
    parser.ExternalEntityRefHandler = refuse("it refers to an external entity")
    parser.ProcessingInstructionHandler = refuse(
        "it holds a processing instruction (<?xml-stylesheet?> would load a style sheet)"
    )
    parser.StartElementHandler = start
    try:
        parser.Parse(data, True)
    except _Refused as exc:
        problems.append(str(exc))
    except xml.parsers.expat.ExpatError as exc:
        problems.append(
            f"it is not well-formed XML ({xml.parsers.expat.errors.messages[exc.code]} "
            f"at line {exc.lineno})"
        )
    yield from dict.fromkeys(problems)


def _css_file_problems(data: bytes) -> list[str]:
    """What in a style sheet file could load something (:func:`_css_problems`); it must be
    UTF-8 and declare no other ``@charset``, so that it reads the same here as in a browser."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return [f"the style sheet is not UTF-8 text (byte {exc.start + 1})"]
    return _css_problems(text)


def _css_problems(text: str, declarations: bool | None = False) -> list[str]:
    """What in CSS imports a style sheet or loads from another host, read with tinycss2 (so
    escapes, ``image-set()`` and strings count as a browser counts them). ``declarations``:
    ``text`` is a ``style`` attribute's body; None: one value (an SVG presentation attribute).
    """
    if declarations is None:
        nodes = tinycss2.parse_component_value_list(text, skip_comments=True)
    elif declarations:
        nodes = tinycss2.parse_blocks_contents(text, skip_comments=True, skip_whitespace=True)
    else:
        nodes = tinycss2.parse_stylesheet(text, skip_comments=True, skip_whitespace=True)
    out: list[str] = []
    for node, function in _walk(nodes):
        in_function = function in URL_FUNCTIONS
        if node.type == "error":
            out.append(f"the style sheet does not parse ({node.message})")
        elif node.type == "at-rule" and node.lower_at_keyword == "import":
            out.append("the style sheet imports another one (@import)")
        elif node.type == "at-rule" and node.lower_at_keyword == "charset":
            named = [t.value for t in node.prelude if t.type == "string"]
            if [n.lower() for n in named] not in (["utf-8"], ["utf8"]):
                out.append("the style sheet declares another character set than UTF-8")
        elif node.type == "url" or (node.type == "string" and in_function):
            problem = _css_url_problem(node.value)
            if problem:
                out.append(problem)
        elif (
            node.type == "string"
            and function != "[]"
            and _URL_LIKE.match(sanitize.browser_url(node.value))
        ):
            # a web address kept in a string (a custom property) can reach image-set() by var()
            problem = _css_url_problem(node.value)
            if problem:
                out.append(problem)
    return list(dict.fromkeys(out))


#: CSS functions whose string arguments are addresses the browser loads.
URL_FUNCTIONS = frozenset({"url", "src", "image-set", "-webkit-image-set", "image", "cross-fade"})


def _walk(nodes: Iterable[Any], within: str = "") -> Iterator[tuple[Any, str]]:
    """Every node of a tinycss2 tree, with what it is inside: the lower-case name of the
    function it is an argument of, ``"[]"`` in an attribute selector, else ``""``. An
    ``@namespace`` rule's address names a namespace and loads nothing: it is not walked."""
    for node in nodes:
        yield node, within
        kind = node.type
        if kind == "function":
            yield from _walk(node.arguments, node.lower_name)
        elif kind == "[] block":
            yield from _walk(node.content, "[]")
        elif kind in ("() block", "{} block"):
            yield from _walk(node.content, within)
        elif kind == "at-rule" and node.lower_at_keyword == "namespace":
            continue
        elif kind in ("qualified-rule", "at-rule"):
            yield from _walk(node.prelude or (), within)
            yield from _walk(node.content or (), within)
        elif kind == "declaration":
            yield from _walk(node.value, within)


def _css_url_problem(url: str) -> str | None:
    """Why a URL in CSS may not be loaded, or None: only the site's own files, and data: images
    that are not SVG."""
    plain = sanitize.browser_url(url).lower()
    if plain.startswith("data:"):
        return "the style sheet embeds an SVG image" if "svg" in plain else None
    if url.startswith("#") or sanitize.is_local(url):
        return None
    return f"the style sheet loads {url[:60]!r} from another host"
