"""Which way each governance-relevant field loosens the rules: one table, :data:`LOOSER`.

A row names a scope, a path in it (``*``: any one key, ``[*]``: any one list item, matched as in
leaves.py; ``**``: any number of keys and items, none included), the direction that loosens, and
what loosening means. A change that any row of its path calls a loosening needs a reviewer's
attention (the first such row gives the reason); the other way, or in a field without a row, it
is an "other change". Either way the line names the old and the new value. Scopes: ``tool``,
``vendor`` and ``policy`` files; ``procedure`` (its steps, by id, across the phase files) and
``step`` (a step's own fields); ``schema`` (a file of schemas/) and ``site`` (mkdocs.yml). Phase
texts and guidance have no rows: they explain, they do not decide.

Three refinements, all in this module:

- ``unless``: fields of the value's record (its list item, see leaves.py) that, all changed to a
  new value (a date: a later one), back the move, so that it is no longer a loosening (``a|b``:
  either field). A
  certification valid for longer is a renewal when its issue date and evidence link are new too,
  and a claim of longer validity without new evidence when they are not.
- ``prompt``: the line states the why alone, as a question for the reviewer rather than a
  verdict ("looser: …"). The procedure asks people to update evidence in place, so an evidence
  date moved later is a prompt to check that new evidence backs it, not an accusation.
- A mapping or list of records replaced by a value of another shape (data nobody has validated
  yet) is judged by what it held and now holds (leaves.inside): ``requirements:`` turned into a
  list removes every status's steps, and that is a loosening even though no row names the list.

What the table covers, and why:

- policy: every number the checks use, compared as effective values (an absent key means its
  default, model.effective_policy): longer cadences, freshness windows, time in a status and
  deadlines, longer exceptions, shorter warning windows and pilots, a wider benchmark range;
  a status requiring fewer steps; links hidden from the link checker or accepted as working;
  a pinned ``as_of`` (it hides staleness after it); who reviews what nobody else owns. The
  required certifications are accepted if a vendor holds *any one* of them, so adding a type
  lets more vendors qualify and removing one can switch off the SOC 2 Type I warning: any change
  needs attention.
- tools: what a tool may see and be used for (data classes, approved and prohibited uses,
  license tier); the answers of its privacy audit, sandbox and offboarding that mean safety (a
  safe answer changed or withdrawn: absent is not safe); the certifications, systems,
  administrators and roles it relies on or reaches; what human review covers; exceptions (a new
  one, a later ``until``, another approver); a later ``status.since`` without a status change
  (it restarts the clock on the time in a status); and who reviews the entry (``owner.github``,
  which writes CODEOWNERS). Any evidence deleted (a section, a field of one, an entry of a
  list) is less evidence; any evidence date moved later in place (a review's ``date``,
  ``last_review``, a pilot's ``end``) restarts or pushes back a clock, a prompt to check that
  new evidence backs it.
- vendors: a certification removed, downgraded (SOC 2 Type II or an ISO certificate → Type I →
  other), or current for less time (``current_until``: the last day the site shows it as
  current, generator.checks.due.current_until_of); current for longer (that day, or any of the
  dates it is worked out from, set or moved later) without a new issue date (the
  certificate's or its bridge letter's) and a new evidence link; its evidence link or its
  verification deleted; its verification moved to a later day in place (a prompt, as for a
  tool's evidence dates).
- procedure: a step removed; a step asking for less evidence or fewer checks, or recurring less
  often (``cadence``: the days of the policy cadence it points to; none: never); a step (or an
  EU AI Act obligation) mapped to more framework entries, a prompt: it claims coverage that its
  evidence may not give.
- EU AI Act: a tool's class lowered, its basis moved to Annex I, its role, general-purpose
  answer or decider changed, Article 27 no longer required, the classification or obligation
  evidence removed; an obligation of the policy removed, applying later or to fewer classes or
  roles, or its conditions changed.

- schemas and the site's configuration (site.py): any change at all, since they decide what
  every check accepts and what every page loads; they are compared exactly (leaves.exact), so
  ``"enum": []`` is not the same as no ``enum``.

Review results (``result``, ``outcome``) have no row: a move either way is information, and
moving a tool to an in-use status without its evidence is already a warning (tools.py). A
finding cleared in place in an existing record (an audit's ``drift``, an incident's
``resolved``, fewer open ``security_review.findings``) is a prompt, as an evidence date moved
later is; a smaller audit ``sample_size`` or fewer benchmark ``tasks`` is less evidence;
another ``status.decided_by`` changes who decided, as another exception approver does.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

from generator.diff.changes import ATTENTION, INFO, Value
from generator.diff.leaves import Delta, Path, inside, is_item, items, same, shown
from generator.diff.markup import markup
from generator.load.marked import dig

LARGER, SMALLER = "larger", "smaller"  # a number
LATER, EARLIER = "later", "earlier"  # an ISO date
PINNED = "pinned"  # a date set where there was none, or moved earlier
EXTENDED = "extended"  # a date set where there was none, or moved later
DELETED = "deleted"  # a value, list item or mapping key that was there is gone
RARER = "rarer"  # a period in days, None meaning never
LOWER_FLOOR = "lower-floor"  # an optional minimum, None meaning none
LEAVES_FALSE, LEAVES_TRUE = "leaves false", "leaves true"  # the safe answer, withdrawn
DOWNGRADE = "downgrade"  # to a value of a later group in Row.ranks
ADDED, REMOVED = "added", "removed"  # items of a list, or whole list items
ANY = "any"  # any change: who reviews, who accepted a risk
CHANGED = "changed"  # any change at all, a list reordered included: the rules and the site


@dataclass(frozen=True, slots=True)
class Row:
    """One field that can loosen governance. ``why`` ends the line of a loosening ("looser:
    {why}"; for ANY and prompts just the why); ``kind`` is that line's stable id in the JSON
    output."""

    scope: str
    path: str
    looser: str
    why: str
    ranks: tuple[tuple[str, ...], ...] = ()  # for DOWNGRADE: groups from strict to loose
    kind: str = "loosened"
    unless: tuple[str, ...] = ()  # fields of the record that, all new too, back the move
    prompt: bool = False  # a question for the reviewer: the line says the why alone

    def matches(self, path: Path) -> bool:
        return _match(_segments(self.path), path)

    @property
    def note(self) -> str:
        plain = self.looser in (ANY, CHANGED) or self.prompt
        return self.why if plain else "looser: " + self.why


def _match(pattern: tuple[str, ...], path: Path) -> bool:
    if not pattern:
        return not path
    head, rest = pattern[0], pattern[1:]
    if head == "**":
        return any(_match(rest, path[i:]) for i in range(len(path) + 1))
    if not path:
        return False
    s = path[0]
    ok = head == s or (head == "*" and not is_item(s)) or (head == "[*]" and is_item(s))
    return ok and _match(rest, path[1:])


@cache
def _segments(pattern: str) -> tuple[str, ...]:
    """``"exceptions[*].until"`` -> ``("exceptions", "[*]", "until")``, as leaves.py paths."""
    return tuple(re.findall(r"\[[^\]]*\]|[^.\[\]]+", pattern))


#: A certification's new validity is backed by a new issue date (the report's or its bridge
#: letter's) and a new evidence link.
RENEWED = ("issued|bridge_letter.issued", "evidence")
LONGER = "valid for longer without a new issue date and evidence link"


LOOSER: tuple[Row, ...] = (
    Row("policy", "as_of", PINNED, "a pinned date hides what went stale after it"),
    Row("policy", "warning_days.*", SMALLER, "less warning before a due date"),
    Row("policy", "cadence_days.*", LARGER, "recurring reviews fall due less often"),
    Row("policy", "soc2_freshness_months", LARGER, "older SOC 2 reports still count"),
    Row("policy", "pilot_min_days", SMALLER, "shorter pilots suffice"),
    Row("policy", "benchmark_tasks.min", SMALLER, "fewer benchmark tasks suffice"),
    Row("policy", "benchmark_tasks.max", LARGER, "larger benchmarks are accepted"),
    Row(
        "policy", "benchmark.max_accuracy_gap", LARGER, "the AI may fall further behind the expert"
    ),
    Row("policy", "benchmark.max_hallucination_rate", LARGER, "more hallucinations are accepted"),
    Row("policy", "benchmark.min_accuracy", LOWER_FLOOR, "a less accurate AI is accepted"),
    Row("policy", "drift.alpha", SMALLER, "an audit needs stronger evidence to show drift"),
    Row("policy", "drift.min_increase", LARGER, "smaller audits pass as large enough"),
    Row("policy", "drift.power", SMALLER, "smaller audits pass as large enough"),
    Row("policy", "drift.trend_audits", LARGER, "a rising trend needs more audits to show"),
    Row("policy", "max_days_in_status.*", LARGER, "tools may stay longer in sandbox or pilot"),
    Row("policy", "offboarding_deadline_days", LARGER, "more time to finish offboarding"),
    Row("policy", "exception_max_days", LARGER, "exceptions may run longer"),
    Row(
        "policy",
        "required_certifications",
        ANY,
        "changes which certifications qualify a vendor",
        kind="required-certifications-changed",
    ),
    Row("policy", "requirements.*", REMOVED, "a status requires fewer steps"),
    Row(
        "policy",
        "eu_ai_act.obligations[*]",
        REMOVED,
        "an EU AI Act obligation is no longer checked",
    ),
    Row(
        "policy",
        "eu_ai_act.obligations[*].applies_from",
        LATER,
        "an EU AI Act obligation applies later",
    ),
    Row(
        "policy",
        "eu_ai_act.obligations[*].annex_i_from",
        EXTENDED,
        "an EU AI Act obligation applies later to Annex I uses",
    ),
    Row(
        "policy",
        "eu_ai_act.obligations[*].classes",
        REMOVED,
        "an EU AI Act obligation applies to fewer classes",
    ),
    Row(
        "policy",
        "eu_ai_act.obligations[*].roles",
        REMOVED,
        "an EU AI Act obligation applies to fewer roles",
    ),
    Row(
        "policy",
        "eu_ai_act.obligations[*].frameworks.*",
        ADDED,
        "an obligation now claims more framework entries: check that its evidence satisfies them",
        kind="coverage-claimed",
        prompt=True,
    ),
    Row(
        "policy",
        "eu_ai_act.obligations[*].record",
        ANY,
        "changes what an EU AI Act obligation asks to record",
        kind="ai-act-condition-changed",
    ),
    Row(
        "framework",
        "entries[*]",
        REMOVED,
        "an entry is no longer listed: a gap or a mapping to it disappears from the coverage",
    ),
    Row(
        "framework",
        "entries[*].id",
        ANY,
        "an entry's id changed: mappings to the old id no longer count",
        kind="framework-entry-changed",
    ),
    Row(
        "policy",
        "eu_ai_act.obligations[*].when.**",
        ANY,
        "changes when an EU AI Act obligation applies",
        kind="ai-act-condition-changed",
    ),
    Row("policy", "links.exclude", ADDED, "more links skip the link check"),
    Row("policy", "links.accept_status", ADDED, "more HTTP statuses count as working"),
    Row("policy", "links.allow_private", LEAVES_FALSE, "links to private addresses pass"),
    Row("policy", "links.cache_max_age_hours", LARGER, "links are checked less often"),
    Row(
        "policy",
        "repository.default_owner",
        ANY,
        "changes who must review the policy, procedure and vendors",
        kind="default-owner-changed",
    ),
    Row("policy", "report.mention_owners", LEAVES_TRUE, "owners are no longer mentioned"),
    Row("tool", "status.since", LATER, "restarts the clock on the time in this status"),
    Row("tool", "data.allowed", ADDED, "wider data"),
    Row("tool", "uses.approved", ADDED, "more uses approved"),
    Row("tool", "uses.prohibited", REMOVED, "fewer uses prohibited"),
    Row(
        "tool",
        "license.tier",
        DOWNGRADE,
        "not a company-managed account",
        ranks=(("enterprise", "team"), ("personal", "free")),
    ),
    Row("tool", "owner.github", ANY, "changes who must review this entry", kind="owner-changed"),
    Row(
        "tool",
        "eu_ai_act.class",
        DOWNGRADE,
        "a less severe EU AI Act class: fewer obligations",
        ranks=(("prohibited",), ("high-risk",), ("limited",), ("minimal",)),
    ),
    Row(
        "tool",
        "eu_ai_act.basis",
        DOWNGRADE,
        "the high-risk obligations apply later (Annex I)",
        ranks=(("annex-iii",), ("annex-i",)),
    ),
    Row(
        "tool",
        "eu_ai_act.role",
        ANY,
        "changes which EU AI Act obligations apply",
        kind="ai-act-role-changed",
    ),
    Row(
        "tool",
        "eu_ai_act.general_purpose",
        ANY,
        "changes which EU AI Act obligations apply",
        kind="ai-act-role-changed",
    ),
    Row("tool", "eu_ai_act.**", DELETED, "the EU AI Act classification, or part of it, removed"),
    Row(
        "tool",
        "eu_ai_act.obligations.*.by",
        ANY,
        "changes who recorded an obligation's evidence",
        kind="approver-changed",
    ),
    Row(
        "tool",
        "eu_ai_act.obligations.*.evidence",
        ANY,
        "an obligation's evidence now points elsewhere: check what backs it",
        kind="evidence-changed",
    ),
    Row(
        "tool",
        "eu_ai_act.decided_by",
        ANY,
        "changes who decided the EU AI Act classification",
        kind="approver-changed",
    ),
    Row(
        "tool",
        "eu_ai_act.fria_required",
        LEAVES_TRUE,
        "no longer needs a fundamental rights impact assessment",
    ),
    Row("tool", "eu_ai_act.obligations.**", DELETED, "less evidence"),
    Row(
        "tool",
        "eu_ai_act.obligations.**",
        LATER,
        "the date moved later: check that new evidence backs it",
        kind="evidence-date-later",
        prompt=True,
    ),
    Row("tool", "exceptions[*]", ADDED, "a finding is accepted"),
    Row("tool", "exceptions[*].until", LATER, "the exception runs longer"),
    Row(
        "tool",
        "exceptions[*].approver",
        ANY,
        "changes who accepted the risk",
        kind="exception-approver-changed",
    ),
    Row(
        "tool",
        "evidence.privacy_audit.personal_data",
        LEAVES_FALSE,
        "no longer rules out personal data",
    ),
    Row(
        "tool",
        "evidence.privacy_audit.proprietary_ip",
        LEAVES_FALSE,
        "no longer rules out proprietary IP",
    ),
    Row(
        "tool",
        "evidence.privacy_audit.trains_on_our_data",
        LEAVES_FALSE,
        "no longer rules out training on our data",
    ),
    Row(
        "tool",
        "evidence.privacy_audit.enterprise_instance",
        LEAVES_TRUE,
        "no longer an enterprise instance",
    ),
    Row(
        "tool",
        "evidence.vendor_due_diligence.certifications",
        REMOVED,
        "relies on fewer of the vendor's certifications",
    ),
    Row(
        "tool",
        "evidence.sandbox.isolated_from_production",
        LEAVES_TRUE,
        "the sandbox is no longer isolated from production",
    ),
    Row(
        "tool",
        "evidence.integration.connected_systems",
        ADDED,
        "exchanges data with more systems",
    ),
    Row("tool", "evidence.access_control.administrators", ADDED, "more administrators"),
    Row("tool", "evidence.access_control.roles", ADDED, "more roles may use the tool"),
    Row(
        "tool",
        "evidence.human_review.applies_to",
        REMOVED,
        "less output is checked by a person",
    ),
    Row(
        "tool",
        "evidence.offboarding.keys_revoked",
        LEAVES_TRUE,
        "API keys no longer recorded as revoked",
    ),
    Row(
        "tool",
        "evidence.offboarding.data_wiped",
        LEAVES_TRUE,
        "stored data no longer recorded as wiped",
    ),
    Row("tool", "evidence.offboarding.datasets", REMOVED, "fewer datasets to wipe"),
    Row("tool", "evidence.output_audits[*].sample_size", SMALLER, "a smaller audit sample"),
    Row("tool", "evidence.output_audits[*].errors", SMALLER, "fewer errors recorded in an audit"),
    Row(
        "tool",
        "evidence.output_audits[*].hallucinations",
        SMALLER,
        "fewer hallucinations recorded in an audit",
    ),
    Row("tool", "evidence.benchmark.tasks", SMALLER, "fewer benchmark tasks"),
    Row(
        "tool",
        "evidence.output_audits[*].drift",
        LEAVES_TRUE,
        "drift no longer recorded in an earlier audit: check what backs it",
        kind="evidence-cleared",
        prompt=True,
    ),
    Row(
        "tool",
        "evidence.incidents[*].resolved",
        LEAVES_FALSE,
        "an incident now recorded as resolved: check what backs it",
        kind="evidence-cleared",
        prompt=True,
    ),
    Row(
        "tool",
        "evidence.security_review.findings",
        SMALLER,
        "fewer open security findings: check what backs it",
        kind="evidence-cleared",
        prompt=True,
    ),
    Row(
        "tool",
        "status.decided_by",
        ANY,
        "changes who decided the status",
        kind="approver-changed",
    ),
    Row("tool", "evidence.**", DELETED, "less evidence"),
    Row(
        "tool",
        "evidence.**",
        LATER,
        "the date moved later: check that new evidence backs it",
        kind="evidence-date-later",
        prompt=True,
    ),
    Row("vendor", "certifications[*]", REMOVED, "a certification is no longer on file"),
    Row(
        "vendor",
        "certifications[*].type",
        DOWNGRADE,
        "a weaker kind of assurance",
        ranks=(("soc2-type2", "iso27001", "iso27701", "iso42001"), ("soc2-type1",), ("other",)),
    ),
    Row("vendor", "certifications[*].current_until", EARLIER, "current for less time"),
    Row("vendor", "certifications[*].current_until", EXTENDED, LONGER, unless=RENEWED),
    Row("vendor", "certifications[*].expires", EXTENDED, LONGER, unless=RENEWED),
    Row("vendor", "certifications[*].period.end", EXTENDED, LONGER, unless=RENEWED),
    Row("vendor", "certifications[*].bridge_letter.covers_until", EXTENDED, LONGER, unless=RENEWED),
    Row("vendor", "certifications[*].evidence", DELETED, "less evidence"),
    Row("vendor", "certifications[*].verified.**", DELETED, "no longer recorded as verified"),
    Row(
        "vendor",
        "certifications[*].verified.on",
        LATER,
        "verified on a later day: check that someone read the new document",
        kind="evidence-date-later",
        prompt=True,
    ),
    Row("procedure", "steps[*]", REMOVED, "a step of the procedure is gone"),
    Row("step", "evidence", REMOVED, "the step asks for less evidence"),
    Row("step", "checklist", REMOVED, "fewer checks"),
    Row("step", "cadence", RARER, "the step recurs less often"),
    Row(
        "step",
        "frameworks.*",
        ADDED,
        "the step now claims more framework entries: check that its evidence satisfies them",
        kind="coverage-claimed",
        prompt=True,
    ),
    Row(
        "schema",
        "**",
        CHANGED,
        "changes the rules every file is checked against",
        kind="schema-changed",
    ),
    Row(
        "site",
        "**",
        CHANGED,
        "changes how the site is built and what it loads",
        kind="site-config-changed",
    ),
)

# scope -> the kind of an "other change" line
OTHER = {
    "tool": "other",
    "vendor": "other",
    "policy": "policy-changed",
    "procedure": "step-changed",
    "step": "step-changed",
    "phase": "phase-changed",
    "guidance": "guidance-changed",
    "framework": "framework-changed",
    "schema": "schema-changed",
    "site": "site-config-changed",
}

_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def _day(v: Any) -> bool:
    return isinstance(v, str) and _DAY.fullmatch(v) is not None


def _present(v: Any) -> bool:
    """Not absent, null, empty or blank: a value that says something."""
    if isinstance(v, str):
        return bool(v.strip())
    return v is not None and v != [] and v != {}


def _deleted(o: Any, n: Any) -> bool:
    """A value gone, or a mapping's keys gone with it (replaced by a single value)."""
    return _present(o) and (not _present(n) or (isinstance(o, dict) and not isinstance(n, dict)))


def _rank(row: Row, v: Any) -> int | None:
    return next((i for i, group in enumerate(row.ranks) if v in group), None)


def _downgrade(row: Row, old: Any, new: Any) -> bool:
    before, after = _rank(row, old), _rank(row, new)
    return before is not None and after is not None and after > before


# direction -> does old -> new loosen? (scalars)
_SCALAR: dict[str, Callable[[Row, Any, Any], bool]] = {
    LARGER: lambda _, o, n: _number(o) and _number(n) and n > o,
    SMALLER: lambda _, o, n: _number(o) and _number(n) and n < o,
    LATER: lambda _, o, n: _day(o) and _day(n) and n > o,
    EARLIER: lambda _, o, n: _day(o) and _day(n) and n < o,
    PINNED: lambda _, o, n: _day(n) and (o is None or (_day(o) and n < o)),
    EXTENDED: lambda _, o, n: _day(n) and (o is None or (_day(o) and n > o)),
    DELETED: lambda _, o, n: _deleted(o, n),
    RARER: lambda _, o, n: _number(o) and (n is None or (_number(n) and n > o)),
    LOWER_FLOOR: lambda _, o, n: _number(o) and (n is None or (_number(n) and n < o)),
    LEAVES_FALSE: lambda _, o, n: o is False and n is not False,
    LEAVES_TRUE: lambda _, o, n: o is True and n is not True,
    DOWNGRADE: _downgrade,
    ANY: lambda _, o, n: True,
    CHANGED: lambda _, o, n: True,
}
# direction -> do these items added and removed loosen? (lists, whole list items)
_ITEMS: dict[str, Callable[[list[str], list[str]], bool]] = {
    ADDED: lambda added, removed: bool(added),
    REMOVED: lambda added, removed: bool(removed),
    DELETED: lambda added, removed: bool(removed),
    ANY: lambda added, removed: bool(added or removed),
    CHANGED: lambda added, removed: True,
}


def rows_for(scope: str, path: Path) -> list[Row]:
    return [r for r in LOOSER if r.scope == scope and r.matches(path)]


def _is_list(d: Delta) -> bool:
    return d.is_item or isinstance(d.old, list) or isinstance(d.new, list)


def _renewed(d: Delta, field: str) -> bool:
    """``field`` (``a|b``: either) of the delta's record is there and new at the head: changed,
    and a date moved later (an issue date earlier than the last one is no new document)."""
    old, new = d.records
    for dotted in field.split("|"):
        keys = dotted.split(".")
        before, after = dig(old, *keys), dig(new, *keys)
        if not _present(after) or same(before, after):
            continue
        if not (_day(before) and _day(after)) or after > before:
            return True
    return False


def _loosens(row: Row, d: Delta) -> bool:
    if _is_list(d):
        test = _ITEMS.get(row.looser)
        moved = test is not None and test(*items(d))
    else:
        scalar = _SCALAR.get(row.looser)
        moved = scalar is not None and scalar(row, d.old, d.new)
    return moved and not (row.unless and all(_renewed(d, f) for f in row.unless))


def loosens(scope: str, d: Delta) -> Row | None:
    """The first row that makes ``d`` a loosening, if any; a container replaced by a value of
    another shape, by what it held and now holds (leaves.inside)."""
    row = next((r for r in rows_for(scope, d.path) if _loosens(r, d)), None)
    if row is None:
        row = next((r for sub in inside(d) if (r := loosens(scope, sub))), None)
    return row


def level_of(scope: str, *deltas: Delta) -> str:
    """Attention when any of ``deltas`` loosens, else info."""
    return ATTENTION if any(loosens(scope, d) for d in deltas) else INFO


def items_level(scope: str, path: Path, added: list[str], removed: list[str]) -> str:
    """The level of some items of a list added and others removed."""
    for row in rows_for(scope, path):
        test = _ITEMS.get(row.looser)
        if test is not None and test(added, removed):
            return ATTENTION
    return INFO


Add = Callable[..., None]  # add(level, kind, template, **values), bound to one entry


def line(scope: str, d: Delta) -> tuple[str, str, str, dict[str, Value]]:
    """(level, kind, template, values) of the line that reports ``d`` in general terms."""
    row = loosens(scope, d)
    values: dict[str, Value] = {"key": d.key, "old": shown(d.old), "new": shown(d.new)}
    notes = []
    if d.is_item:
        template = "{key} added: {new}" if d.old is None else "{key} removed: {old}"
    else:
        template = "{key}: {old} → {new}"
        if _is_list(d):
            added, removed = items(d)
            if added:
                notes.append("added {added}")
                values["added"] = added
            if removed:
                notes.append("removed {removed}")
                values["removed"] = removed
    if row is not None:
        notes.append(row.note)
    elif scope in PROSE and _markup_changed(d):
        notes.append("raw markup changed: check what the page shows a reader")
    if notes:
        template += " (" + "; ".join(notes) + ")"
    if row is None:
        if scope in PROSE and _markup_changed(d):
            return ATTENTION, "markup-changed", template, values
        return INFO, OTHER[scope], template, values
    return ATTENTION, row.kind, template, values


#: Scopes whose text the site renders as Markdown (the procedure and guidance); registry values
#: are always shown as text.
PROSE = frozenset({"procedure", "step", "phase", "guidance", "framework"})


def _markup_changed(d: Delta) -> bool:
    """Whether the raw markup (HTML, attr_list) of a text value differs between revisions."""
    old, new = (v if isinstance(v, str) else "" for v in (d.old, d.new))
    return markup(old) != markup(new) if old or new else False


def report(add: Add, scope: str, deltas: Iterable[Delta]) -> None:
    """One line per delta: a loosening needs attention, anything else is an other change."""
    for d in deltas:
        lvl, kind, template, values = line(scope, d)
        add(lvl, kind, template, **values)
