"""The inputs around the registry at two revisions: the JSON Schemas, the site's configuration,
the hand-written pages and the files published as they are.

- ``schemas/*.json`` are the rules every file is checked against, and ``mkdocs.yml`` decides how
  the site is built and what its pages load. Every change to either needs a reviewer's
  attention, one line per changed value naming its key (``$defs.line.pattern``, ``theme.font``)
  with the old and the new value; a file added or removed is one line. They are compared
  exactly (leaves.exact): ``"enum": []`` or ``plugins: []`` is not the same as leaving the key
  out. The table in looser.py says so (scopes ``schema`` and ``site``).
- ``content/pages/*.md`` are prose a reviewer reads in the pull request itself: a page added,
  removed or changed is an other change, counted in lines. A page whose *raw markup* changed (any
  ``<tag>``, ``<!-- comment -->`` or attr_list attribute list such as ``{: hidden }`` or
  ``{.mermaid}`` added or removed, code spans included: telling them apart the
  way Python-Markdown does is not the diff's job, and erring this way hides nothing) needs
  attention. The site's sanitiser removes scripts and active content, but not what HTML can do
  to a reader that the Markdown source does not show: hidden text, a link whose words are not
  its target, markup that mimics the handbook's own notices.
- ``content/assets/`` are published byte for byte: no schema, sanitiser or link check reads them
  (an SVG, a style sheet, a page of their own), and a changed logo or style sheet alters every
  page. An asset added or changed needs attention, with its size and SHA-256 so the reviewer can
  tell which file is meant; one removed is an other change (nothing new is published, and a
  broken reference is the link check's business).

- ``.github/CODEOWNERS`` decides who must approve a change to which file. It is generated from
  the registry (``owner.github``, ``repository.default_owner``, already compared there), but a
  hand edit takes effect all the same: any rule line added or removed needs attention, the file
  added or removed too; comments and blank lines alone are an other change.

A file that cannot be read at either revision (not UTF-8, not JSON, a link, too large) is a
problem of the snapshot, not a change.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from typing import Any

from generator.diff.changes import ATTENTION, INFO, Changes
from generator.diff.leaves import Deltas, exact
from generator.diff.looser import report
from generator.diff.markup import markup as html
from generator.diff.revisions import ASSET, OWNERS, PAGE, SCHEMA, SITE, Snapshot
from generator.load import ASSETS

# an HTML comment, or anything that starts like a tag, a declaration or an instruction
_SHA_DIGITS = 12


def compare_site(out: Changes, base: Snapshot, head: Snapshot) -> None:
    roles = ((SCHEMA, _schema), (SITE, _site), (PAGE, _page), (ASSET, _asset), (OWNERS, _owners))
    for role, compare in roles:
        old, new = base.of(role), head.of(role)
        for path in sorted({*old, *new}):
            if old.get(path, "") is None or new.get(path, "") is None:
                continue  # unreadable at one revision: a problem, not a change
            compare(out, path, old.get(path, _ABSENT), new.get(path, _ABSENT))


class _Absent:
    """No file at this revision (None is a file's content: JSON null)."""


_ABSENT: Any = _Absent()


def _schema(out: Changes, path: str, old: Any, new: Any) -> None:
    name = path.rsplit("/", 1)[-1]
    add = out.entry("schema", name, path)
    rules = "(changes the rules every file is checked against)"
    if old is _ABSENT:
        add(ATTENTION, "schema-added", f"schema file added {rules}")
    elif new is _ABSENT:
        add(ATTENTION, "schema-removed", f"schema file removed {rules}")
    else:
        report(add, "schema", Deltas(exact(old), exact(new)).left)


def _site(out: Changes, path: str, old: Any, new: Any) -> None:
    add = out.entry("site", path, path)
    if old is _ABSENT:
        add(
            ATTENTION,
            "site-config-added",
            "mkdocs.yml added: the site's configuration now comes from it",
        )
    elif new is _ABSENT:
        add(
            ATTENTION,
            "site-config-removed",
            "mkdocs.yml removed: the site falls back to the handbook's default configuration",
        )
    else:
        report(add, "site", Deltas(exact(old), exact(new)).left)


def _lines(text: Any) -> Counter[str]:
    return Counter(text.splitlines()) if isinstance(text, str) else Counter()


def _page(out: Changes, path: str, old: Any, new: Any) -> None:
    name = path.rsplit("/", 1)[-1].removesuffix(".md")
    add = out.entry("page", name, path)
    before = old if isinstance(old, str) else ""
    after = new if isinstance(new, str) else ""
    if old is _ABSENT:
        add(INFO, "page-added", "page added (lines: {lines})", lines=len(after.splitlines()))
    elif new is _ABSENT:
        add(
            INFO,
            "page-removed",
            "page removed (it had lines: {lines})",
            lines=len(before.splitlines()),
        )
    elif before != after:
        added = sum((_lines(after) - _lines(before)).values())
        removed = sum((_lines(before) - _lines(after)).values())
        if added or removed:
            add(
                INFO,
                "page-changed",
                "page changed: lines added: {added}, removed: {removed}",
                added=added,
                removed=removed,
            )
        else:
            add(INFO, "page-changed", "page changed: lines moved, or line endings changed")
    tags_b, tags_a = html(before), html(after)
    if new is not _ABSENT and tags_b != tags_a:
        more = list((tags_a - tags_b).elements())  # in the order the page writes them
        fewer = list((tags_b - tags_a).elements())
        template = "; ".join(
            t
            for t, v in (
                ("raw markup added: {added}", more),
                ("raw markup removed: {removed}", fewer),
            )
            if v
        )
        if not template:  # the same tags, in another order
            template = "raw markup moved"
        add(
            ATTENTION,
            "page-html-changed",
            template + " (check what the page shows a reader)",
            added=more,
            removed=fewer,
        )


def _describe(data: Any) -> tuple[int | None, str | None]:
    if not isinstance(data, bytes):
        return None, None
    return len(data), hashlib.sha256(data).hexdigest()[:_SHA_DIGITS]


def _asset(out: Changes, path: str, old: Any, new: Any) -> None:
    add = out.entry("asset", path.removeprefix(ASSETS + "/"), path)
    size_b, sha_b = _describe(old)
    size_a, sha_a = _describe(new)
    published = (
        "published as it is: validate refuses what would run or load, not what it shows"
        if path.lower().endswith((".svg", ".css"))
        else "published as it is: no check reads it"
    )
    if old is _ABSENT:
        add(
            ATTENTION,
            "asset-added",
            f"asset added: {{size}} bytes, SHA-256 {{sha}} ({published})",
            size=size_a,
            sha=sha_a,
        )
    elif new is _ABSENT:
        add(INFO, "asset-removed", "asset removed (it had {size} bytes)", size=size_b)
    elif sha_b != sha_a:
        add(
            ATTENTION,
            "asset-changed",
            f"asset changed: {{old_size}} → {{new_size}} bytes, SHA-256 {{old}} → {{new}} "
            f"({published})",
            old_size=size_b,
            new_size=size_a,
            old=sha_b,
            new=sha_a,
        )


def _rules(text: Any) -> list[str]:
    """CODEOWNERS' rule lines, whitespace folded: what GitHub acts on."""
    lines = text.splitlines() if isinstance(text, str) else []
    return [" ".join(s.split()) for s in lines if s.strip() and not s.lstrip().startswith("#")]


def _owners(out: Changes, path: str, old: Any, new: Any) -> None:
    add = out.entry("codeowners", path, path)
    reviews = "(changes who must review which files)"
    if old is _ABSENT:
        add(
            ATTENTION,
            "codeowners-added",
            f"added with rules: {{added}} {reviews}",
            added=_rules(new),
        )
    elif new is _ABSENT:
        add(
            ATTENTION,
            "codeowners-removed",
            f"removed: no file asks its owners for review {reviews}",
        )
    elif old != new:
        before, after = Counter(_rules(old)), Counter(_rules(new))
        more, fewer = list((after - before).elements()), list((before - after).elements())
        if not more and not fewer:
            add(INFO, "codeowners-changed", "comments, blank lines or order changed")
            return
        template = "; ".join(
            t for t, v in (("rules added: {added}", more), ("rules removed: {removed}", fewer)) if v
        )
        add(ATTENTION, "codeowners-changed", f"{template} {reviews}", added=more, removed=fewer)
