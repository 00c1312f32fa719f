"""The nightly tracking issue: list[Diagnostic] -> a Markdown body, or None when all is current.

Pure: the check date is passed in, and the same findings always give the same text, so the
publisher can tell "unchanged" from "updated" by comparing bodies.

Everything in the body that comes from the registry (tool ids, owners, messages, paths) is user
data, and GitHub renders issue bodies: a value could otherwise ping people (``@someone``),
reference other issues (``org/repo#1``), embed images or links, or inject HTML. Identifiers go
into code spans (in which GitHub renders nothing); free text is escaped character by character.
Owners are mentioned only when the policy asks for it, and only when the value is a well-formed
GitHub handle.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from generator.diagnostics import Diagnostic, Severity, plural
from generator.report.markdown import code, escape, one_line, worst_first

MARKER = "<!-- handbook:stale-approvals -->"
GITHUB_LIMIT = 65536  # characters in an issue body
HANDLE = re.compile(r"@[A-Za-z0-9][A-Za-z0-9-]*(/[A-Za-z0-9._-]+)?")
NO_OWNER = "No owner recorded"


@dataclass(frozen=True, slots=True)
class Owners:
    """How owners are written: quoted, or (when the policy asks) with their GitHub handles.

    ``handles`` maps an owner as the findings name it (a contact address) to GitHub handles;
    findings owned by several contacts ("a@x, b@y") get the handles of each. Only values that
    are well-formed handles are ever mentioned.
    """

    mention: bool = False
    handles: Mapping[str, Sequence[str]] = field(default_factory=dict)

    def heading(self, owner: str | None) -> str:
        if owner is None or not one_line(owner):
            return NO_OWNER
        if self.mention and HANDLE.fullmatch(owner):
            return owner  # a real mention: this is what the policy's mention_owners is for
        name = code(owner)
        if not self.mention:
            return name
        found = {
            h
            for part in owner.split(",")
            for h in self.handles.get(part.strip(), ())
            if HANDLE.fullmatch(h)
        }
        return " ".join([name, *sorted(found, key=str.casefold)])


def owner_handles(pairs: Iterable[tuple[str, str | None]]) -> dict[str, tuple[str, ...]]:
    """{contact: handles} from (contact, GitHub handle) pairs, e.g. each tool's owner."""
    out: dict[str, set[str]] = defaultdict(set)
    for contact, handle in pairs:
        if contact and handle and HANDLE.fullmatch(handle):
            out[contact].add(handle)
    return {c: tuple(sorted(hs, key=str.casefold)) for c, hs in sorted(out.items())}


# -- ordering ----------------------------------------------------------------------------------


def owner_key(owner: str | None) -> tuple[int, str, str]:
    """Owners alphabetically; findings without an owner last."""
    if owner is None or not one_line(owner):
        return (1, "", "")
    return (0, owner.casefold(), owner)


def stale(diags: Sequence[Diagnostic]) -> list[Diagnostic]:
    """The findings the issue is about: errors and warnings (notes are not stale)."""
    return sorted((d for d in diags if d.severity is not Severity.NOTE), key=worst_first)


# -- pieces ------------------------------------------------------------------------------------


def tally(diags: Sequence[Diagnostic]) -> str:
    errors = sum(d.severity is Severity.ERROR for d in diags)
    warnings = len(diags) - errors
    parts = [plural(errors, "error")] if errors else []
    if warnings:
        parts.append(plural(warnings, "warning"))
    return " and ".join(parts)


def when(d: Diagnostic) -> str:
    parts = []
    if d.due:
        parts.append(f"due {escape(d.due)}")
    if d.days is not None:
        if d.days < 0:
            parts.append(f"{plural(-d.days, 'day')} overdue")
        elif d.days == 0:
            parts.append("due today")
        else:
            parts.append(f"{plural(d.days, 'day')} left")
    return ", ".join(parts)


def finding(d: Diagnostic) -> str:
    head = [f"**{d.severity.value}**"]
    if d.subject:
        head.append(f"tool {code(d.subject)}")
    head.append(f"rule {code(d.rule)}")
    if d.step:
        head.append(f"step {code(d.step)}")
    due = when(d)
    if due:
        head.append(due)
    if d.path:
        head.append(code(d.location))
    lines = [f"- {' · '.join(head)}", f"  {escape(d.message)}"]
    if d.hint:
        lines.append(f"  *Next step:* {escape(d.hint)}")
    return "\n".join(lines)


def by_owner(diags: Sequence[Diagnostic]) -> list[tuple[str | None, list[Diagnostic]]]:
    groups: dict[str | None, list[Diagnostic]] = defaultdict(list)
    for d in diags:
        groups[d.owner if d.owner and one_line(d.owner) else None].append(d)
    return [(owner, groups[owner]) for owner in sorted(groups, key=owner_key)]


def detail(diags: Sequence[Diagnostic], owners: Owners) -> list[str]:
    out: list[str] = []
    for owner, group in by_owner(diags):
        out += [f"### {owners.heading(owner)} ({tally(group)})", ""]
        out += [finding(d) for d in group]
        out.append("")
    return out


def counts_by_owner(rest: Sequence[Diagnostic], owners: Owners, *, per_rule: bool) -> list[str]:
    """One line per owner: how many findings of each rule were left out of the details."""
    out = []
    for owner, group in by_owner(rest):
        name = owners.heading(owner)
        if per_rule:
            rules = Counter(d.rule for d in group)
            listed = ", ".join(f"{code(rule)}: {n}" for rule, n in sorted(rules.items()))
            out.append(f"- {name}: {listed}")
        else:
            out.append(f"- {name}: {plural(len(group), 'finding')}")
    return out


def summary(rest: Sequence[Diagnostic], owners: Owners, *, level: int) -> list[str]:
    """The findings that did not fit, as counts; level 0 per owner and rule, 1 per owner, 2 none."""
    if not rest:
        return []
    out = [
        "### Not listed above",
        "",
        f"…and {len(rest)} more ({tally(rest)}); see the report artifact.",
    ]
    if level < 2:
        out += ["", *counts_by_owner(rest, owners, per_rule=level == 0)]
    out.append("")
    return out


def header(diags: Sequence[Diagnostic], today: date, notes: int, why: str = "") -> list[str]:
    tools = len({d.subject for d in diags if d.subject})
    line = f"Checked on **{today.isoformat()}**{why}: {tally(diags)}"
    line += f" for {plural(tools, 'tool')}." if tools else "."
    out = [MARKER, "## Stale AI-tool approvals", "", line]
    if notes:
        out.append(
            f"Not stale yet, so not listed: {plural(notes, 'note')} (see the report artifact)."
        )
    out.append("")
    return out


FOOTER = [
    "---",
    "*Kept up to date by the nightly `handbook report --github-issue`; it closes this issue "
    "when every approval is current. Fix the entries in `registry/`, not this text.*",
]


def assemble(
    head: list[str],
    shown: Sequence[Diagnostic],
    rest: Sequence[Diagnostic],
    owners: Owners,
    *,
    level: int,
) -> str:
    lines = [*head, *detail(shown, owners), *summary(rest, owners, level=level)]
    return "\n".join([*lines, *FOOTER]) + "\n"


# -- the body ----------------------------------------------------------------------------------


def render_issue(
    diags: Sequence[Diagnostic],
    *,
    today: date,
    mention_owners: bool,
    handles: Mapping[str, Sequence[str]] | None = None,
    max_chars: int = 65000,
    why: str = "",
) -> str | None:
    """The tracking issue's body, or None when nothing is stale (no errors, no warnings).

    ``why`` says where ``today`` came from when it is not the clock's date (" (pinned in
    registry/policy.yaml)"). With ``mention_owners``, owners that are GitHub handles are
    mentioned, and so are the handles ``handles`` gives for an owner (see ``owner_handles``);
    otherwise nobody is.

    When every finding does not fit in ``max_chars``, the errors stay in detail (as many as fit,
    worst first) and the rest become per-owner, per-rule counts.
    """
    findings = stale(diags)
    if not findings:
        return None
    head = header(findings, today, notes=len(diags) - len(findings), why=why)
    owners = Owners(mention_owners, handles or {})
    full = assemble(head, findings, [], owners, level=0)
    if len(full) <= max_chars:
        return full
    # stale() sorts errors first, so the details are always a prefix: all errors if they fit,
    # else as many as fit, worst first. Then coarser counts, until the body fits.
    errors = sum(d.severity is Severity.ERROR for d in findings)
    for level in (0, 1, 2):

        def build(k: int, level: int = level) -> str:
            return assemble(head, findings[:k], findings[k:], owners, level=level)

        if len(body := build(errors)) <= max_chars:
            return body
        if len(build(0)) > max_chars:
            continue
        lo, hi = 0, errors  # build(lo) fits, build(hi) does not
        while hi - lo > 1:
            mid = (lo + hi) // 2
            if len(build(mid)) <= max_chars:
                lo = mid
            else:
                hi = mid
        return build(lo)
    # Not even the counts fit: the header and one line.
    body = "\n".join([*head, *summary(findings, Owners(), level=2), *FOOTER]) + "\n"
    return body[:max_chars]


def resolved_comment(today: date, why: str = "") -> str:
    """The comment the publisher leaves when it closes the issue."""
    return f"All approvals are current as of {today.isoformat()}{why}. Closing this issue."
