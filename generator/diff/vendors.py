"""A vendor's record at two revisions: certifications added, renewed, replaced (a new id of the
same type) or removed, and every other changed value in general terms (a downgraded type, a new
scope or issuer, an evidence link). Which way is looser comes from the table in looser.py: a
certification current for less time, or for longer without a new issue date and evidence link.

"Current until" is the day the site shows (generator.checks.due.current_until_of): a
certificate's expiry; a SOC 2 report's period end plus the policy's soc2_freshness_months, or its
bridge letter's end when later. Both revisions are judged with the head's policy, so a change of
the policy alone is reported once, as a policy change, not again under every report.
"""

from __future__ import annotations

from typing import Any

from generator.checks.due import current_until_of
from generator.diff.changes import ATTENTION, INFO, Changes
from generator.diff.fields import get, get_list, scalar, stem
from generator.diff.leaves import Delta, Deltas, Path, keyed, shown
from generator.diff.looser import Add, level_of, loosens, report
from generator.model import Policy, day, effective_policy

VENDOR = "vendor"
#: The dates "current until" is worked out from.
_UNTIL = (("expires",), ("bridge_letter", "covers_until"), ("period", "end"))
#: Those that differ from it (a certificate's expiry is its last day current): a change shows
#: them as written beside the day they make it current until.
_WORKED_OUT_FROM = (("period", "end"), ("bridge_letter", "covers_until"))


def freshness(policy: Any) -> int:
    """The ``soc2_freshness_months`` of a policy file as read (unvalidated; None: missing)."""
    months = effective_policy(policy).get("soc2_freshness_months")
    if isinstance(months, int) and not isinstance(months, bool) and months >= 0:
        return months
    return Policy(path="", raw={}).soc2_freshness_months


def _current_until(cert: Any, months: int) -> str | None:
    """The last day a certification counts as current, as the site shows it; as written when
    a date of it cannot be read (the file is compared before it is validated)."""
    try:
        until = current_until_of(
            str(get(cert, "type")),
            expires=day(get(cert, "expires")),
            period_end=day(get(cert, "period", "end")),
            bridge_until=day(get(cert, "bridge_letter", "covers_until")),
            soc2_freshness_months=months,
        )
    except (ValueError, OverflowError):  # a date that does not exist, or out of range
        written = next((get(cert, *keys) for keys in _UNTIL if get(cert, *keys)), None)
        return None if written is None else str(written)
    return None if until is None else until.isoformat()


def _certs(data: Any) -> dict[str, Any]:
    """Certifications by ``"[id]"``, as leaves.py matches them."""
    certs = get(data, "certifications")
    ok = isinstance(certs, list) and all(isinstance(c, dict) for c in certs)
    return keyed(certs) if ok else {}


def compare_vendor(
    out: Changes, old_path: str | None, path: str | None, old: Any, new: Any, months: int
) -> None:
    """``months``: the head policy's soc2_freshness_months (:func:`freshness`)."""
    here = path or old_path or ""
    data = new if new is not None else old
    subject = str(get(data, "id") or stem(here))
    name = get(data, "name")

    def add(level: str, kind: str, template: str, **values: object) -> None:
        out.add(level, kind, "vendor", subject, here, template, name, **values)

    if old is None:
        certs = [str(get(c, "id")) for c in get_list(new, "certifications")]
        add(INFO, "vendor-added", "added, with certifications: {certs}", certs=certs)
        return
    if new is None:
        add(ATTENTION, "vendor-removed", "removed from the registry")
        return
    if old_path != path:
        add(INFO, "vendor-renamed", "file renamed from {old} to {new}", old=old_path, new=path)
    deltas = Deltas(old, new)
    whole = deltas.take("certifications", where=lambda d: d.is_item)
    gone = [d for d in whole if d.new is None]
    for d in whole:
        if d.new is not None:
            same_type = [g for g in gone if get(g.old, "type") == get(d.new, "type")]
            if same_type:
                gone.remove(same_type[0])
                _replaced(add, same_type[0], d, months)
            else:
                add(
                    INFO,
                    "certification-added",
                    "certification {id} ({type}) added, current until {until}",
                    id=shown(get(d.new, "id")),
                    type=shown(get(d.new, "type")),
                    until=_current_until(d.new, months),
                )
    for d in gone:
        add(
            level_of(VENDOR, d),
            "certification-removed",
            "certification {id} ({type}) removed",
            id=shown(get(d.old, "id")),
            type=shown(get(d.old, "type")),
        )
    before, after = _certs(old), _certs(new)
    for key, cert in after.items():
        if key in before:
            _dates(add, deltas, key, before[key], cert, months)
    report(add, VENDOR, deltas.left)


def _until(path: Path, prev: Any, cert: Any, months: int) -> Delta:
    """The last day current at both revisions, as a delta of the certification (its record)."""
    was, now = _current_until(prev, months), _current_until(cert, months)
    return Delta((*path, "current_until"), was, now, (prev, cert))


def _noted(template: str, *deltas: Delta) -> str:
    """``template`` plus the table's reason when one of ``deltas`` loosens."""
    row = next((r for d in deltas if (r := loosens(VENDOR, d))), None)
    return f"{template} ({row.note})" if row else template


def _replaced(add: Add, was: Delta, now: Delta, months: int) -> None:
    """A certification removed and another of the same type added: a renewal under a new id
    (backed when the new one has its own issue date and evidence link, as looser.py says)."""
    until = _until(was.path, was.old, now.new, months)
    add(
        level_of(VENDOR, until),
        "certification-renewed",
        _noted(
            "certification {old} replaced by {new} ({type}): current until {was} → {now}", until
        ),
        old=shown(get(was.old, "id")),
        new=shown(get(now.new, "id")),
        type=shown(get(now.new, "type")),
        was=until.old,
        now=until.new,
    )


def _dates(add: Add, deltas: Deltas, key: str, prev: Any, cert: Any, months: int) -> None:
    """A certification kept under its id whose issue date or last day current moved. Whether it
    is current for less time, or for longer without new evidence, is the table's (looser.py).
    A date that moved without moving the last day current (a SOC 2 period end under a later
    bridge letter) is left to the general report."""
    until = _until(("certifications", key), prev, cert, months)
    issued_b, issued_a = get(prev, "issued"), get(cert, "issued")
    if until.old == until.new and issued_b == issued_a:
        return
    taken = []
    if issued_b != issued_a:
        taken += deltas.take("certifications", key, "issued")
    written: dict[str, object] = {}
    said = ""  # a SOC 2 report's dates as written, which "current until" is worked out from
    if until.old != until.new:
        for keys in _UNTIL:
            taken += deltas.take("certifications", key, *keys)
        for keys in _WORKED_OUT_FROM:
            if get(prev, *keys) != get(cert, *keys):
                name = "_".join(keys)
                written |= {f"{name}_old": scalar(get(prev, *keys))}
                written |= {f"{name}_new": scalar(get(cert, *keys))}
                said += f"{'.'.join(keys)} {{{name}_old}} → {{{name}_new}}, "
        said += "so " if said else ""
    template = (
        "certification {id} ({type}) renewed: issued {issued_old} → {issued_new}, "
        if issued_a != issued_b
        else "certification {id} ({type}) dates changed: "
    ) + f"{said}current until {{old}} → {{new}}"
    add(
        level_of(VENDOR, until, *taken),
        "certification-renewed",
        _noted(template, until, *taken),
        id=shown(get(cert, "id")),
        type=shown(get(cert, "type")),
        issued_old=scalar(issued_b),
        issued_new=scalar(issued_a),
        **written,
        old=until.old,
        new=until.new,
    )
