"""A vendor's record at two revisions: certifications added, renewed, replaced (a new id of the
same type) or removed, and every other changed value in general terms (a downgraded type, a new
scope or issuer, an evidence link). Which way is looser comes from the table in looser.py: a
certification current for less time, or for longer without a new issue date and evidence link.
"""

from __future__ import annotations

from typing import Any

from generator.diff.changes import ATTENTION, INFO, Changes
from generator.diff.fields import get, get_list, scalar, stem
from generator.diff.leaves import Delta, Deltas, Path, keyed, shown
from generator.diff.looser import Add, level_of, loosens, report

VENDOR = "vendor"
_UNTIL = (("expires",), ("bridge_letter", "covers_until"), ("period", "end"))


def _valid_until(cert: Any) -> str | None:
    """The day a certification stops being current, as far as the vendor's file says."""
    keys = _until_key(cert)
    return str(get(cert, *keys)) if keys else None


def _until_key(cert: Any) -> tuple[str, ...] | None:
    return next((keys for keys in _UNTIL if get(cert, *keys)), None)


def _certs(data: Any) -> dict[str, Any]:
    """Certifications by ``"[id]"``, as leaves.py matches them."""
    certs = get(data, "certifications")
    ok = isinstance(certs, list) and all(isinstance(c, dict) for c in certs)
    return keyed(certs) if ok else {}


def compare_vendor(
    out: Changes, old_path: str | None, path: str | None, old: Any, new: Any
) -> None:
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
                _replaced(add, same_type[0], d)
            else:
                add(
                    INFO,
                    "certification-added",
                    "certification {id} ({type}) added, valid until {until}",
                    id=shown(get(d.new, "id")),
                    type=shown(get(d.new, "type")),
                    until=_valid_until(d.new),
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
            _dates(add, deltas, key, before[key], cert)
    report(add, VENDOR, deltas.left)


def _until(path: Path, prev: Any, cert: Any) -> Delta:
    """The end of validity at both revisions, as a delta of the certification (its record)."""
    return Delta((*path, "valid_until"), _valid_until(prev), _valid_until(cert), (prev, cert))


def _noted(template: str, *deltas: Delta) -> str:
    """``template`` plus the table's reason when one of ``deltas`` loosens."""
    row = next((r for d in deltas if (r := loosens(VENDOR, d))), None)
    return f"{template} ({row.note})" if row else template


def _replaced(add: Add, was: Delta, now: Delta) -> None:
    """A certification removed and another of the same type added: a renewal under a new id
    (backed when the new one has its own issue date and evidence link, as looser.py says)."""
    until = _until(was.path, was.old, now.new)
    add(
        level_of(VENDOR, until),
        "certification-renewed",
        _noted("certification {old} replaced by {new} ({type}): valid until {was} → {now}", until),
        old=shown(get(was.old, "id")),
        new=shown(get(now.new, "id")),
        type=shown(get(now.new, "type")),
        was=until.old,
        now=until.new,
    )


def _dates(add: Add, deltas: Deltas, key: str, prev: Any, cert: Any) -> None:
    """A certification kept under its id whose issue date or end of validity moved. Whether it
    is current for less time, or for longer without new evidence, is the table's (looser.py)."""
    until = _until(("certifications", key), prev, cert)
    issued_b, issued_a = get(prev, "issued"), get(cert, "issued")
    if until.old == until.new and issued_b == issued_a:
        return
    taken = []
    if issued_b != issued_a:
        taken += deltas.take("certifications", key, "issued")
    if until.old != until.new:
        for keys in {_until_key(prev), _until_key(cert)}:
            if keys:
                taken += deltas.take("certifications", key, *keys)
    template = (
        "certification {id} ({type}) renewed: issued {issued_old} → {issued_new}, "
        "valid until {old} → {new}"
        if issued_a != issued_b
        else "certification {id} ({type}) dates changed: valid until {old} → {new}"
    )
    add(
        level_of(VENDOR, until, *taken),
        "certification-renewed",
        _noted(template, until, *taken),
        id=shown(get(cert, "id")),
        type=shown(get(cert, "type")),
        issued_old=scalar(issued_b),
        issued_new=scalar(issued_a),
        old=until.old,
        new=until.new,
    )
