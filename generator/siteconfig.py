"""The team's ``mkdocs.yml``, vetted: MkDocs never reads it, only what passed the vetting.

MkDocs reads its configuration with PyYAML's unsafe loader and acts on whatever it names: hooks
and plugins are Python code, ``!!python/object/apply:`` calls a function, ``!ENV`` copies the
build's environment (a secret) into the site, extensions such as ``pymdownx.snippets`` read any
file of the machine, ``extra_javascript`` runs in every reader's browser, analytics and a
repository link load from other hosts, and Material writes the theme's texts into its pages
without escaping them. ``mkdocs.yml`` is an ordinary file a pull request can change, so:

* it is read with the handbook's own loader (:func:`load`: no links, size limit, no tags but a
  few ``!!python/name:`` values of the extensions' own functions);
* :func:`vet` keeps the settings on the allow-list below and reports every other one at
  ``mkdocs.yml:line`` (``site-config``, an error) saying why;
* ``handbook build`` writes what was kept into ``build/mkdocs.yml`` itself (no ``INHERIT``).

Allowed: ``site_name``, ``site_description``, ``site_author`` (HTML-escaped: Material prints
them as HTML), ``site_url``, ``copyright`` (sanitised like a page), ``theme`` (Material, its
language, palette, features, icons, a logo and favicon from the site's own files; no web font,
no ``custom_dir``), ``plugins`` (search, with its ``lang``), ``markdown_extensions``
(Python-Markdown's and pymdownx's text extensions, Material's emoji), ``extra_css`` (the site's
own files), ``extra_javascript`` (the handbook's own script only), ``extra`` (``social`` links,
``generator``), ``validation``.
"""

from __future__ import annotations

import contextlib
import functools
import html
import importlib
import importlib.resources
import re
import signal
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from generator import sanitize
from generator.diagnostics import Diagnostic, Severity
from generator.load import Document, decode, files, locate, parse_yaml
from generator.load.construct import PythonName
from generator.urls import link_problem, url_problem

PATH = "mkdocs.yml"
RULE = "site-config"

#: Python functions an extension's options may name (the emoji index and renderers, the
#: superfences formatters): functions of the extensions themselves, nothing else.
PYTHON_NAMES = frozenset(
    {
        "material.extensions.emoji.twemoji",
        "material.extensions.emoji.to_svg",
        "pymdownx.emoji.twemoji",
        "pymdownx.emoji.gemoji",
        "pymdownx.emoji.emojione",
        "pymdownx.emoji.to_svg",
        "pymdownx.emoji.to_alt",
        "pymdownx.superfences.fence_code_format",
        "pymdownx.superfences.fence_div_format",
    }
)
_MARKDOWN = {
    "abbr", "admonition", "attr_list", "def_list", "footnotes", "md_in_html", "tables", "toc",
    "sane_lists", "smarty", "fenced_code", "codehilite", "meta", "nl2br", "wikilinks",
    "legacy_attrs", "legacy_em", "extra",
}  # fmt: skip
_PYMDOWNX = {
    "arithmatex", "betterem", "blocks.admonition", "blocks.caption", "blocks.details",
    "blocks.tab", "caret", "critic", "details", "emoji", "escapeall", "fancylists", "highlight",
    "inlinehilite", "keys", "magiclink", "mark", "progressbar", "saneheaders", "smartsymbols",
    "striphtml", "superfences", "tabbed", "tasklist", "tilde",
}  # fmt: skip
EXTENSIONS = frozenset(
    {*_MARKDOWN, *(f"markdown.extensions.{n}" for n in _MARKDOWN)}
    | {f"pymdownx.{n}" for n in _PYMDOWNX}
    | {"material.extensions.emoji"}
)
#: Extensions that remove HTML comments unless told not to (``strip_comments: false``).
COMMENT_STRIPPERS = frozenset({"pymdownx.striphtml"})
#: Plugins and the options each may set: search, with its language (the word separator is the
#: handbook's own). Material's tags plugin prints front-matter tags unescaped and writes files
#: where its options say; offline changes the URLs the build checks: neither is allowed.
PLUGINS = {"search": frozenset({"lang"})}
#: Extension options that name files to read (icons, snippets): the site reads no file outside
#: what the handbook loaded.
FILE_OPTIONS = frozenset({"custom_icons", "base_path", "auto_append", "check_paths"})
#: Scripts the site may run: the handbook's own.
OUR_SCRIPTS = ("assets/which-tools.js", "assets/table-filter.js")
OUR_STYLES = ("assets/handbook.css",)

_REFUSED = {
    "hooks": "hooks run Python code during the build",
    "INHERIT": "it makes MkDocs read another configuration file",
    "docs_dir": "handbook build sets it",
    "site_dir": "handbook build sets it (use --site-dir)",
    "nav": "handbook build makes the navigation (extra pages go in content/pages/)",
    "not_in_nav": "handbook build sets it",
    "exclude_docs": "handbook build writes the docs folder",
    "draft_docs": "handbook build writes the docs folder",
    "use_directory_urls": "handbook build sets it",
    "strict": "handbook build is always strict",
    "dev_addr": "use handbook serve --dev-addr",
    "extra_templates": "templates are code the theme runs",
    "watch": "handbook serve watches the handbook's folders",
    "remote_branch": "the handbook does not deploy",
    "remote_name": "the handbook does not deploy",
    "repo_url": "Material would fetch the repository's facts from its host, and the site loads "
    "nothing from other hosts; 'Edit this entry' links come from repository in "
    "registry/policy.yaml",
    "repo_name": "it goes with repo_url, which the site does not use",
    "edit_uri": "'Edit this entry' links come from repository in registry/policy.yaml",
    "edit_uri_template": "'Edit this entry' links come from repository in registry/policy.yaml",
    "google_analytics": "analytics load a script from another host",
    "mdx_configs": "write extension options under markdown_extensions",
}
_TEXT = ("site_name", "site_description", "site_author")
_THEME = {"name", "language", "palette", "features", "icon", "logo", "favicon", "font"}
_EXTRA = {"social", "generator"}
_UNSAFE_TEXT = re.compile(r"[<>\"'`&\\]")
# A file of the site: no scheme, not //host, no .., and no backslash (a browser reads "\\" as
# "/", so \\host\\x.css is another host's file; MkDocs' preview keeps it).
_LOCAL = re.compile(
    r"^(?![a-zA-Z][a-zA-Z0-9+.-]*:)(?!//)(?!.*(?:^|/)\.\.(?:/|$))[^\s?#\\\x00-\x1f\x7f]+$"
)
_URL = re.compile(r"^https?://[^\s/?#@]+[^\s]*$")


@dataclass
class Vetted:
    """The settings that passed (plain data and :class:`PythonName` values) and the problems."""

    config: dict[str, Any] = field(default_factory=dict)
    problems: list[Diagnostic] = field(default_factory=list)
    present: bool = False  # the repository has a mkdocs.yml


#: Used when the repository has no mkdocs.yml.
DEFAULT: dict[str, Any] = {
    "site_name": "AI tool handbook",
    "theme": {"name": "material"},
    "plugins": ["search"],
    "markdown_extensions": [
        "tables",
        "attr_list",
        "admonition",
        {"toc": {"permalink": True}},
        "pymdownx.details",
    ],
}


def load(root: Path) -> tuple[Document | None, list[Diagnostic]]:
    """``mkdocs.yml`` at ``root``, read by the handbook's loader (None: there is none), and
    the problems met reading it."""
    target = root / PATH
    if not target.exists() and not target.is_symlink():
        return None, []
    raw, problems = files.read(root, PATH)
    if raw is None:
        return Document(PATH, "site", None), problems
    text, problems = decode(raw, PATH)
    if text is None:
        return Document(PATH, "site", None), problems
    data, problems = parse_yaml(text, PATH, names=PYTHON_NAMES)
    return Document(PATH, "site", data, text), problems


def read(root: Path) -> Vetted:
    """``mkdocs.yml`` read and vetted: :func:`load` then :func:`vet`."""
    doc, problems = load(root)
    vetted = vet(doc)
    vetted.problems[:0] = problems
    return vetted


class _Vet:
    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.problems: list[Diagnostic] = []

    def refuse(self, where: list[str | int], message: str, hint: str) -> None:
        line, column = locate(self.doc.data, where, key=True)
        self.problems.append(
            Diagnostic(RULE, Severity.ERROR, message, PATH, line, column, hint=hint)
        )

    def plain(self, value: Any, where: list[str | int], *, text_safe: bool) -> Any:
        """``value`` if it is plain data (``text_safe``: strings without HTML characters)."""
        if isinstance(value, PythonName):
            return value
        if isinstance(value, Mapping):
            out = {}
            for k, v in value.items():
                if text_safe and _UNSAFE_TEXT.search(str(k)):
                    self.refuse(
                        [*where, k],
                        f"key {k!r} of {_dotted(where)}: the theme writes it into pages as code",
                        "write it without < > \" ' ` & and backslashes",
                    )
                    continue
                out[k] = self.plain(v, [*where, k], text_safe=text_safe)
            return out
        if isinstance(value, list):
            return [self.plain(v, [*where, i], text_safe=text_safe) for i, v in enumerate(value)]
        if text_safe and isinstance(value, str) and _UNSAFE_TEXT.search(value):
            self.refuse(
                where,
                f"{_dotted(where)} is {value!r}: the theme writes it into pages as HTML",
                "write it without < > \" ' ` & and backslashes",
            )
            return None
        return value

    def python_names(self, value: Any, where: list[str | int]) -> Iterator[list[str | int]]:
        if isinstance(value, PythonName):
            yield where
        elif isinstance(value, Mapping):
            for k, v in value.items():
                yield from self.python_names(v, [*where, k])
        elif isinstance(value, list):
            for i, v in enumerate(value):
                yield from self.python_names(v, [*where, i])


def _dotted(where: list[str | int]) -> str:
    out = ""
    for step in where:
        out += f"[{step}]" if isinstance(step, int) else (f".{step}" if out else str(step))
    return out


def vet(doc: Document | None) -> Vetted:
    """What of ``mkdocs.yml`` the build may use, and every setting refused (see the module)."""
    if doc is None:
        return Vetted(dict(DEFAULT))
    out = Vetted(present=True)
    if doc.data is None:
        return out
    if not isinstance(doc.data, Mapping):
        out.problems.append(
            Diagnostic(RULE, Severity.ERROR, "mkdocs.yml is not a mapping", PATH, 1, 1)
        )
        return out
    check = _Vet(doc)
    for key, value in doc.data.items():
        where: list[str | int] = [key]
        if key in _REFUSED:
            check.refuse(where, f"{key!r} is not allowed here: {_REFUSED[key]}", "remove it")
        elif key in _TEXT:
            if isinstance(value, str):
                out.config[key] = html.escape(value, quote=True)
            else:
                check.refuse(where, f"{key} should be text", "write it as text")
        elif key == "copyright":
            if isinstance(value, str):
                out.config[key] = sanitize.clean(value)
            else:
                check.refuse(where, "copyright should be text", "write it as text")
        elif key == "site_url":
            problem = url_problem(value) if isinstance(value, str) else "it is not text"
            if problem is None and _UNSAFE_TEXT.search(value):
                problem = "it holds a quote, an angle bracket, a backslash or &"
            if problem is None and "//" in urlsplit(value).path:
                # MkDocs takes the 404 page's base from this path: "//host/" loads its scripts
                # from that host
                problem = "its path holds '//', which a page would read as another host"
            if problem is None:
                out.config[key] = value
            else:
                check.refuse(
                    where, f"site_url {value!r} is not an http(s) address: {problem}", "fix it"
                )
        elif key == "theme":
            out.config[key] = _theme(check, value)
        elif key == "plugins":
            out.config[key] = _plugins(check, value)
        elif key == "markdown_extensions":
            out.config[key] = _extensions(check, value)
        elif key == "extra_css":
            out.config[key] = _files(check, value, where, allowed=None)
        elif key == "extra_javascript":
            out.config[key] = _files(check, value, where, allowed=OUR_SCRIPTS)
        elif key == "extra":
            out.config[key] = _extra(check, value)
        elif key == "validation":
            out.config[key] = _validation(check, value)
        else:
            check.refuse(
                where,
                f"{key!r} is not a setting the handbook passes to MkDocs",
                "remove it; the README lists what mkdocs.yml may set",
            )
    for where in check.python_names(doc.data, []):
        if where[:1] != ["markdown_extensions"]:
            check.refuse(
                where,
                f"{_dotted(where)}: a Python name is only allowed in an extension's options",
                "remove it",
            )
    out.problems += check.problems
    out.config = {k: v for k, v in out.config.items() if v is not None}
    return out


def _theme(check: _Vet, value: Any) -> dict[str, Any] | None:
    if not isinstance(value, Mapping):
        check.refuse(["theme"], "theme should be a mapping", "write theme: {name: material}")
        return None
    out: dict[str, Any] = {}
    for key, item in value.items():
        where: list[str | int] = ["theme", key]
        if key == "custom_dir":
            check.refuse(where, "theme.custom_dir is not allowed: templates are code", "remove it")
        elif key not in _THEME:
            check.refuse(
                where, f"theme.{key} is not allowed", "allowed: " + ", ".join(sorted(_THEME))
            )
        elif key == "name" and item != "material":
            check.refuse(
                where, f"theme.name is {item!r}; the handbook uses Material", "name: material"
            )
        elif key == "language" and not (
            isinstance(item, str)
            and _LANGUAGE.match(item)
            and _material(f"partials/languages/{item}.html")
        ):
            check.refuse(
                where,
                f"theme.language {item!r} is not a language Material knows",
                "e.g. language: en",
            )
        elif key == "features":
            out[key] = _features(check, item, where)
        elif key == "palette":
            out[key] = _palette(check, item, where)
        elif key == "icon":
            out[key] = _icon_tree(check, item, where)
        elif key == "font" and item is not False:
            check.refuse(
                where,
                "theme.font loads web fonts from Google; the site loads nothing from other hosts",
                "font: false",
            )
        elif key in ("logo", "favicon") and not (isinstance(item, str) and _LOCAL.match(item)):
            check.refuse(
                where,
                f"theme.{key} {item!r} is not a file of the site",
                "put the file in content/assets/ and write assets/<name>",
            )
        else:
            out[key] = check.plain(item, where, text_safe=True)
            _icons(check, item, where)
    return out


#: Material's features a handbook may turn on (Material's "Setting up navigation", "search",
#: "header", "code blocks", "content tabs" and "adding a git repository" pages). Left out:
#: ``content.tooltips``, which shows every ``title`` as HTML, and among them the whole text of
#: a navigation entry the theme shortened with "...": a tool's name would become markup.
FEATURES = frozenset(
    {
        "navigation.instant", "navigation.instant.prefetch", "navigation.instant.progress",
        "navigation.tracking", "navigation.tabs", "navigation.tabs.sticky",
        "navigation.sections", "navigation.expand", "navigation.path", "navigation.prune",
        "navigation.indexes", "navigation.top", "navigation.footer", "toc.follow",
        "toc.integrate", "search.suggest", "search.highlight", "search.share",
        "header.autohide", "content.code.copy", "content.code.select", "content.code.annotate",
        "content.tabs.link", "content.action.edit", "content.action.view", "announce.dismiss",
    }
)  # fmt: skip
_REFUSED_FEATURES = {
    "content.tooltips": "Material shows every title as HTML in its tooltips, also the whole "
    "text of a title it shortened with '...', so a tool's name would become markup",
}


_PALETTE_TEXT = ("media", "scheme", "primary", "accent")


def _palette(check: _Vet, value: Any, where: list[str | int]) -> Any:
    """theme.palette: one scheme (a mapping) or several, each with text settings and an
    optional toggle (an icon Material ships and a name)."""
    schemes = value if isinstance(value, list) else [value]
    if not schemes or not all(isinstance(p, Mapping) for p in schemes):
        check.refuse(
            where, "theme.palette should be a mapping or a list of them", "see Material's docs"
        )
        return None
    for i, scheme in enumerate(schemes):
        at = [*where, i] if isinstance(value, list) else where
        for key, item in scheme.items():
            if key in _PALETTE_TEXT and isinstance(item, str):
                continue
            toggle_ok = (
                isinstance(item, Mapping)
                and set(item) <= {"icon", "name"}
                and all(isinstance(v, str) for v in item.values())
                and "icon" in item
            )
            if key == "toggle" and toggle_ok:
                _icons(check, {"icon": item["icon"]}, [*at, key])
                continue
            check.refuse(
                [*at, key],
                f"theme.palette: {key!r} is not a palette setting of the right kind",
                "text for " + ", ".join(_PALETTE_TEXT) + "; toggle: {icon: ..., name: ...}",
            )
    return check.plain(value, where, text_safe=True)


def _icon_tree(check: _Vet, value: Any, where: list[str | int]) -> Any:
    """theme.icon: every value, however deep (``admonition: {note: ...}``), an icon Material
    ships."""
    if isinstance(value, Mapping):
        for k, v in value.items():
            _icon_tree(check, v, [*where, k])
        return check.plain(value, where, text_safe=True)
    if not (isinstance(value, str) and _ICON.match(value) and _material(f".icons/{value}.svg")):
        check.refuse(where, f"icon {value!r} is not one Material ships", "e.g. material/alert")
    return value


def _features(check: _Vet, value: Any, where: list[str | int]) -> list[str] | None:
    """theme.features: each on :data:`FEATURES`."""
    if not isinstance(value, list):
        check.refuse(where, "theme.features should be a list", "e.g. - navigation.top")
        return None
    out = []
    for i, item in enumerate(value):
        if isinstance(item, str) and item in FEATURES:
            out.append(item)
        elif isinstance(item, str) and item in _REFUSED_FEATURES:
            check.refuse(
                [*where, i], f"{item} is not allowed: {_REFUSED_FEATURES[item]}", "remove it"
            )
        else:
            check.refuse(
                [*where, i],
                f"theme feature {item!r} is not one the handbook allows",
                "allowed: " + ", ".join(sorted(FEATURES)),
            )
    return out


_LANGUAGE = re.compile(r"^[a-z]{2,3}(?:-[a-zA-Z]{2,4})?$")
_ICON = re.compile(r"^[a-z0-9-]+(?:/[a-z0-9-]+)+$")


def _material(rel: str) -> bool:
    """Whether Material's templates folder holds ``rel`` (a language, an icon)."""
    try:
        return (importlib.resources.files("material") / "templates" / rel).is_file()
    except (ModuleNotFoundError, OSError):
        return False


def _icons(check: _Vet, value: Any, where: list[str | int]) -> None:
    """Every icon name under ``value`` (an ``icon`` key, a toggle's ``icon``) names an icon
    Material ships: a typo would stop the theme while it renders."""
    if isinstance(value, Mapping):
        for k, v in value.items():
            if k == "icon" or where[-1:] == ["icon"]:
                if not isinstance(v, (str, Mapping)) or (
                    isinstance(v, str) and not (_ICON.match(v) and _material(f".icons/{v}.svg"))
                ):
                    check.refuse(
                        [*where, k], f"icon {v!r} is not one Material ships", "e.g. material/alert"
                    )
                elif isinstance(v, Mapping):
                    _icons(check, v, [*where, k])
            else:
                _icons(check, v, [*where, k])
    elif isinstance(value, list):
        for i, v in enumerate(value):
            _icons(check, v, [*where, i])


def _named(
    check: _Vet, value: Any, where: list[str | int], allowed: frozenset[str], what: str, why: str
) -> list[Any] | None:
    if not isinstance(value, list):
        check.refuse(where, f"{where[0]} should be a list", "write one entry per line: - name")
        return None
    out: list[Any] = []
    for i, entry in enumerate(value):
        name, options = (
            (entry, None)
            if isinstance(entry, str)
            else next(iter(entry.items()))
            if isinstance(entry, Mapping) and len(entry) == 1
            else (None, None)
        )
        if not isinstance(name, str):
            check.refuse(
                [*where, i], f"{where[0]}[{i}] is not a name or a name with options", "fix it"
            )
        elif name not in allowed:
            check.refuse(
                [*where, i],
                f"{what} {name!r} is not allowed: {why}, and only known ones are used",
                "allowed: "
                + ", ".join(sorted(a for a in allowed if "." not in a or a.startswith("pymdownx"))),
            )
        elif options is None:
            out.append(name)
        else:
            out.append({name: check.plain(options, [*where, i, name], text_safe=False)})
    return out


def _plugins(check: _Vet, value: Any) -> list[Any] | None:
    where: list[str | int] = ["plugins"]
    if not isinstance(value, list):
        check.refuse(where, "plugins should be a list", "write one plugin per line: - search")
        return None
    out: list[Any] = []
    for i, entry in enumerate(value):
        name, options = _entry(entry)
        if name not in PLUGINS:
            check.refuse(
                [*where, i],
                f"plugin {name!r} is not allowed: plugins run code during the build",
                "allowed: " + ", ".join(sorted(PLUGINS)),
            )
            continue
        kept: dict[str, Any] = {}
        for key, option in (options or {}).items():
            if key not in PLUGINS[name]:
                check.refuse(
                    [*where, i, name, key],
                    f"option {key!r} of plugin {name!r} is not allowed",
                    "allowed: " + ", ".join(sorted(PLUGINS[name])),
                )
            elif key == "lang" and not _languages(option):
                check.refuse(
                    [*where, i, name, key],
                    f"search.lang {option!r} is not a language code or a list of them",
                    "e.g. lang: en, or lang: [en, de]",
                )
            else:
                kept[key] = check.plain(option, [*where, i, name, key], text_safe=True)
        out.append({name: kept} if kept else name)
    return out


def _languages(value: Any) -> bool:
    """A language code (``en``, ``pt-BR``) or a non-empty list of them."""
    values = value if isinstance(value, list) and value else [value]
    return all(isinstance(v, str) and _LANGUAGE.match(v) for v in values)


#: MkDocs' ``validation`` settings and the levels each may take (MkDocs' configuration docs).
_LEVELS = ("warn", "info", "ignore")
VALIDATION: dict[str, dict[str, tuple[str, ...]]] = {
    "nav": {"omitted_files": _LEVELS, "not_found": _LEVELS, "absolute_links": _LEVELS},
    "links": {
        "not_found": _LEVELS,
        "anchors": _LEVELS,
        "absolute_links": (*_LEVELS, "relative_to_docs"),
        "unrecognized_links": _LEVELS,
    },
}


def _validation(check: _Vet, value: Any) -> dict[str, Any] | None:
    """``validation``: MkDocs' link and navigation checks, each set to one of its levels."""
    if not isinstance(value, Mapping):
        check.refuse(
            ["validation"], "validation should be a mapping", "e.g. links: {anchors: warn}"
        )
        return None
    out: dict[str, Any] = {}
    for group, settings in value.items():
        where: list[str | int] = ["validation", group]
        if group not in VALIDATION or not isinstance(settings, Mapping):
            check.refuse(
                where,
                f"validation.{group} is not a group of MkDocs' checks",
                "allowed: nav and links, each a mapping",
            )
            continue
        kept = {}
        for key, level in settings.items():
            levels = VALIDATION[group].get(key)
            if levels is None or level not in levels:
                check.refuse(
                    [*where, key],
                    f"validation.{group}.{key}: {level!r} is not one of MkDocs' settings here",
                    "allowed: "
                    + ", ".join(f"{k} ({'/'.join(v)})" for k, v in VALIDATION[group].items()),
                )
            else:
                kept[key] = level
        out[group] = kept
    return out


def _entry(entry: Any) -> tuple[str | None, Mapping[str, Any] | None]:
    """(name, options) of a plugins or markdown_extensions entry (``name`` or ``name: {...}``)."""
    if isinstance(entry, str):
        return entry, None
    if isinstance(entry, Mapping) and len(entry) == 1:
        name, options = next(iter(entry.items()))
        if isinstance(name, str) and (options is None or isinstance(options, Mapping)):
            return name, options
    return None, None


_PATHY = re.compile(r"^(?:/|~|[a-zA-Z]:[\\/])|(?:^|[\\/])\.\.(?:[\\/]|$)")


def _extensions(check: _Vet, value: Any) -> list[Any] | None:
    """The allowed extensions, each with options that are plain data naming no file, and that
    Python-Markdown accepts (tried here, so a typo is a finding, not a crash of the build)."""
    where: list[str | int] = ["markdown_extensions"]
    kept = _named(check, value, where, EXTENSIONS, "Markdown extension", "extensions run code")
    if kept is None:
        return None
    out = []
    for entry in kept:
        name, options = _entry(entry)
        at = [*where, _index_of(value, name)]
        given = options or {}
        bad = [k for k in given if k in FILE_OPTIONS or _names_a_file(given[k])]
        for key in bad:
            check.refuse(
                [*at, name or "", key],
                f"option {key!r} of {name!r} names files to read; the site reads none but its own",
                "remove the option",
            )
        if bad:
            continue
        if name in COMMENT_STRIPPERS and given.get("strip_comments", True) is not False:
            check.refuse(
                at,
                f"{name!r} removes HTML comments, and the handbook's charts travel through "
                "Markdown in comments (the published pages hold no comment anyway)",
                "set 'strip_comments: false' under it, or remove it",
            )
            continue
        problem = _tried([entry, "pymdownx.superfences"])
        if problem is not None:
            check.refuse(
                at,
                f"Markdown extension {name!r} does not accept its options: {problem}",
                "fix or remove the options",
            )
            continue
        out.append(entry)
    problem = _tried(out) if out else None
    if problem is not None:  # each works alone, not all together
        check.refuse(where, f"the Markdown extensions do not work together: {problem}", "fix them")
        return None
    return out


def _index_of(value: list[Any], name: str | None) -> int:
    for i, entry in enumerate(value):
        if _entry(entry)[0] == name:
            return i
    return 0


def _names_a_file(option: Any) -> bool:
    if isinstance(option, str):
        return bool(_PATHY.search(option))
    if isinstance(option, list):
        return any(_names_a_file(o) for o in option)
    if isinstance(option, Mapping):
        return any(k in FILE_OPTIONS or _names_a_file(v) for k, v in option.items())
    return False


def _tried(entries: list[Any]) -> str | None:
    """Why Python-Markdown refuses these extensions and options, or None."""
    try:
        sample = (
            "# Title\n\nText with `code`, *a* [b](c) :smile:.\n\n```python\nx = 1\n```\n\n"
            "    indented = 2\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n!!! note\n\n    Note.\n"
        )
        renderer({"markdown_extensions": entries})(sample)
    except Exception as exc:  # any refusal of the options is the user's to fix
        text = str(exc).strip().splitlines()
        return f"{type(exc).__name__}: {text[0] if text else ''}".rstrip(": ")
    return None


def _files(
    check: _Vet, value: Any, where: list[str | int], *, allowed: tuple[str, ...] | None
) -> list[str] | None:
    if not isinstance(value, list):
        check.refuse(where, f"{where[0]} should be a list of files", "write one file per line")
        return None
    out = []
    for i, item in enumerate(value):
        if not isinstance(item, str) or not _LOCAL.match(item):
            check.refuse(
                [*where, i],
                f"{where[0]}[{i}] {item!r} is not a file of the site",
                "put the file in content/assets/ and write assets/<name>",
            )
        elif allowed is not None and item not in allowed:
            check.refuse(
                [*where, i],
                f"{where[0]}[{i}] {item!r} is not allowed: only the handbook's own scripts run",
                "remove it",
            )
        else:
            out.append(item)
    return out


def _extra(check: _Vet, value: Any) -> dict[str, Any] | None:
    if not isinstance(value, Mapping):
        check.refuse(["extra"], "extra should be a mapping", "remove it")
        return None
    out: dict[str, Any] = {}
    for key, item in value.items():
        where: list[str | int] = ["extra", key]
        if key not in _EXTRA:
            why = "it loads from another host" if key in ("analytics", "consent") else "unknown"
            check.refuse(where, f"extra.{key} is not allowed ({why})", "allowed: social, generator")
        elif key == "social":
            out[key] = _social(check, item)
        else:
            out[key] = check.plain(item, where, text_safe=True)
    return out


def _social(check: _Vet, value: Any) -> list[Any] | None:
    """extra.social: links with an icon (and a name), each to an http(s) or mailto address."""
    where: list[str | int] = ["extra", "social"]
    if not isinstance(value, list):
        check.refuse(where, "extra.social should be a list of links", "see Material's docs")
        return None
    out = []
    for i, entry in enumerate(value):
        at = [*where, i]
        link = entry.get("link") if isinstance(entry, Mapping) else None
        problem = link_problem(link) if isinstance(link, str) else "it has no link"
        if problem is None and _UNSAFE_TEXT.search(link or ""):
            problem = "it holds a quote, an angle bracket, a backslash or &"
        if problem is not None:
            check.refuse(
                at, f"extra.social[{i}] is not a web or mail link: {problem}", "fix the link"
            )
            continue
        odd = [k for k in ("icon", "name") if k in entry and not isinstance(entry[k], str)]
        if "icon" not in entry or odd:
            check.refuse(
                at,
                f"extra.social[{i}] needs an icon, and its icon and name are text",
                "e.g. - icon: fontawesome/brands/github, link: https://..., name: GitHub",
            )
            continue
        out.append(check.plain(entry, at, text_safe=True))
        _icons(check, {"icon": entry["icon"]}, at)
    return out


#: Where the search splits words, in the text and in what people type: white space and
#: punctuation, including the `_`, `.`, `/`, `:` and `-` inside identifiers such as
#: evidence.privacy_audit or ISO/IEC 27001 (a dot before a digit stays: "1.6"), HTML
#: entities. Not camelCase boundaries: the index would hold "Java" and "Script" while a query
#: typed in lower case ("javascript") is one word and would find nothing.
SEARCH_SEPARATOR = r"""[\s\u200b\-_,:;!=\[\]()"'`/]+|\.(?!\d)|&[lg]t;"""


#: Markdown extensions the generated pages are written for (ids and classes, notes, the FAQ's
#: collapsible entries, tables): added when mkdocs.yml leaves one out.
OUR_EXTENSIONS = ("tables", "attr_list", "admonition", "pymdownx.details")


def with_ours(vetted: Mapping[str, Any]) -> dict[str, Any]:
    """The vetted settings plus the handbook's own: its stylesheet and script, the Markdown
    extensions its pages need, no web font, the search's word separator (unless mkdocs.yml sets
    one)."""
    conf = dict(vetted)
    theme = dict(conf.get("theme") or {"name": "material"})
    theme["font"] = False
    conf["theme"] = theme
    plugins = []
    for entry in conf.get("plugins") or ["search"]:
        name, options = (entry, {}) if isinstance(entry, str) else next(iter(entry.items()))
        if name == "search":
            options = {"separator": SEARCH_SEPARATOR, **(options or {})}
            entry = {name: options}
        plugins.append(entry)
    conf["plugins"] = plugins
    css = [c for c in conf.get("extra_css", []) if c not in OUR_STYLES]
    conf["extra_css"] = [*OUR_STYLES, *css]
    extensions = list(conf.get("markdown_extensions") or ())
    named = {_entry(e)[0] for e in extensions}
    extensions += [e for e in OUR_EXTENSIONS if e not in named]
    conf["markdown_extensions"] = with_toc(extensions)
    conf["extra_javascript"] = list(OUR_SCRIPTS)
    return conf


# -- rendering Markdown as the site does ---------------------------------------------------------

#: Python-Markdown extensions MkDocs always adds to a site's own.
MKDOCS_BUILTINS = ("toc", "tables", "fenced_code")


@functools.lru_cache(maxsize=8)
def _slugify_for(case: str) -> Callable[..., str]:
    from pymdownx.slugs import slugify

    return slugify(case=case)  # type: ignore[no-any-return]


def slugify() -> Callable[..., str]:
    """The heading-id function of every page: Unicode-aware (pymdownx.slugs), lower case, so
    that 'Überprüfung der Anbieter' gets 'überprüfung-der-anbieter' and '利用ガイド' keeps its
    characters instead of an id that shifts when headings move (``_1``)."""
    return _slugify_for("lower")


def with_toc(extensions: list[Any]) -> list[Any]:
    """``extensions`` with toc's ``slugify`` set to :func:`slugify` (toc added when absent);
    the value is a :class:`Slugify` marker that the build writes as the call MkDocs makes."""
    out: list[Any] = []
    found = False
    for entry in extensions:
        name, options = (entry, {}) if isinstance(entry, str) else next(iter(entry.items()))
        if name in ("toc", "markdown.extensions.toc"):
            found = True
            entry = {name: {**(options or {}), "slugify": SLUGIFY}}
        out.append(entry)
    if not found:
        out.append({"toc": {"slugify": SLUGIFY}})
    return out


class Slugify:
    """Stands for ``pymdownx.slugs.slugify(case="lower")`` in the generated configuration."""

    module, function, kwargs = "pymdownx.slugs", "slugify", {"case": "lower"}


SLUGIFY = Slugify()


def _resolved(value: Any) -> Any:
    """Options with each (vetted, allow-listed) Python name imported, and the slugify made."""
    if isinstance(value, Slugify):
        return slugify()
    if isinstance(value, PythonName):
        module, _, attr = value.name.rpartition(".")
        return getattr(importlib.import_module(module), attr)
    if isinstance(value, Mapping):
        return {k: _resolved(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_resolved(v) for v in value]
    return value


#: Seconds one page or field may take to render before validation gives up on it: Markdown's
#: parsers slow down badly on some inputs (20,000 '[' take minutes).
RENDER_SECONDS = 5.0


class TooSlow(Exception):
    """Rendering took longer than :data:`RENDER_SECONDS`."""


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise :class:`TooSlow` in the block after ``seconds`` (a real-time timer; only on the
    main thread, where signals arrive: elsewhere, no limit)."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(
        signal, "setitimer"
    ):
        yield
        return

    def expired(signum: int, frame: object) -> None:
        raise TooSlow

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def renderer(config: Mapping[str, Any]) -> Callable[[str], str]:
    """Markdown -> HTML with the site's extensions (from the vetted ``config``) and heading ids,
    as MkDocs renders a page (without MkDocs' own link rewriting). The converter is made on
    first use and reused. Raises :class:`TooSlow` when one text takes longer than
    :data:`RENDER_SECONDS` (the converter is then made afresh for the next)."""
    import markdown

    made: list[markdown.Markdown] = []

    def render(text: str) -> str:
        if not made:
            names: list[str] = list(MKDOCS_BUILTINS)
            options: dict[str, dict[str, Any]] = {}
            for entry in with_ours(config)["markdown_extensions"]:  # as the build sets them
                name, opts = (entry, None) if isinstance(entry, str) else next(iter(entry.items()))
                if name not in names:
                    names.append(name)
                if isinstance(opts, Mapping):
                    options[name] = _resolved(opts)
            made.append(markdown.Markdown(extensions=names, extension_configs=options))
        md = made[0]
        md.reset()
        try:
            with time_limit(RENDER_SECONDS):
                return str(md.convert(text))
        except TooSlow:
            made.clear()  # interrupted midway: its state cannot be trusted
            raise

    return render
