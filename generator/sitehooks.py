"""MkDocs hooks of the generated configuration (``hooks:`` in build/mkdocs.yml).

``on_page_content`` runs after Markdown and before the search index and the theme read a page
(MkDocs renders every page's Markdown before it renders any template): every page's HTML goes
through :mod:`generator.sanitize` here, and so do the texts the theme prints around it without
escaping them (the title, the table of contents, the front matter), so that nothing a page says
can run in a reader's browser, whatever produced it. ``on_post_page`` then puts each page's
charts in place (they travel past Markdown and the search index as comments, and are sanitized
on the way in: :mod:`generator.charts.embed`), reads each finished page
(:mod:`generator.published`, in the site scan's one parse) and stops the build if anything in it
could still run.
"""

from __future__ import annotations

import html as entities
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

from generator import sanitize
from generator.charts import embed
from generator.checks.links.extract import scan_built

#: Front-matter keys that choose code rather than text (a template of the theme).
_DROPPED_META = ("template",)


@event_priority(-100)  # after every other plugin: clean what they produced too
def on_page_content(html: str, page: Any, config: Any, files: Any) -> str:
    """The page's HTML, cleaned; its title, contents and front matter made plain text."""
    for item in _walk(page.toc):
        item.title = _text(item.title, markup=True)
        item.id = sanitize.safe_id(item.id) or ""  # the theme prints it into href="#..."
    for key in _DROPPED_META:
        page.meta.pop(key, None)
    written = page.meta.get("title")
    rendered = page._title_from_render  # the first heading, as HTML
    page.meta.update({k: _meta(v) for k, v in page.meta.items()})
    # One escaped title for every place the theme prints one: the <title> element reads
    # meta.title as it is, while page.title (for the navigation and search) reads it too.
    if isinstance(written, str):
        page.meta["title"] = _text(written, markup=False)
    elif isinstance(rendered, str):
        page.meta["title"] = _text(rendered, markup=True)
    html, page.hb_figures = embed.take(html)  # put back, sanitized, by on_post_page
    lost = embed.count(page.markdown or "") - len(page.hb_figures)
    if lost > 0:
        raise PluginError(
            f"{lost} chart(s) of the page made from {page.file.src_uri} did not come through "
            "Markdown intact: something changed or removed the comment that carries each, most "
            "likely an extension in mkdocs.yml's markdown_extensions; remove the extensions "
            "added last to find it (the site is not published)"
        )
    return sanitize.clean(html)


def _text(value: str, *, markup: bool) -> str:
    """``value`` as escaped text: its tags dropped first when it is HTML (``markup``)."""
    return entities.escape(sanitize.text_of(value) if markup else value, quote=True)


def _meta(value: Any) -> Any:
    if isinstance(value, str):
        return _text(value, markup=False)
    if isinstance(value, dict):
        return {k: _meta(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_meta(v) for v in value]
    return value


def _walk(items: Any) -> Any:
    for item in items or ():
        yield item
        yield from _walk(item.children)


@event_priority(-100)
def on_post_page(output: str, page: Any, config: Any) -> str:
    """The finished page with its charts (generator.charts.embed); the build stops if anything
    in it could run or load from another host."""
    output = embed.put(output, getattr(page, "hb_figures", {}))
    found = scan_built(output).active  # the link check reuses this scan (one parse a page)
    if found:
        raise PluginError(
            f"the page made from {page.file.src_uri} would run code in a reader's browser: "
            + "; ".join(found[:3])
            + " (a template printed page data without escaping it; the site is not published)"
        )
    return output


@event_priority(-100)
def on_post_template(output_content: str, template_name: str, config: Any) -> str:
    """A page made from a template alone (``404.html``), checked as every other page is."""
    if template_name.endswith((".html", ".htm")):
        found = scan_built(output_content).active
        if found:
            raise PluginError(
                f"the page {template_name} would run code or load from another host in a "
                f"reader's browser: {'; '.join(found[:3])} (the site is not published)"
            )
    return output_content
