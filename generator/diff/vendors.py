"""A vendor's record at two revisions: certifications added, renewed, replaced or removed."""

from __future__ import annotations

from typing import Any

from generator.diff.changes import ATTENTION, INFO, Changes
from generator.diff.fields import changed_keys, get, get_list, scalar, stem


def _valid_until(cert: Any) -> str | None:
    for keys in (("expires",), ("bridge_letter", "covers_until"), ("period", "end")):
        value = get(cert, *keys)
        if value:
            return str(value)
    return None


def _cert_dates(cert: Any) -> dict[str, str]:
    """The dates that decide whether a certification is current."""
    keys = (
        ("issued",),
        ("expires",),
        ("period", "start"),
        ("period", "end"),
        ("bridge_letter", "covers_until"),
    )
    return {".".join(k): str(get(cert, *k)) for k in keys if get(cert, *k) is not None}


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
    before = {str(get(c, "id")): c for c in get_list(old, "certifications")}
    after = {str(get(c, "id")): c for c in get_list(new, "certifications")}
    gone = [c for c in before if c not in after]
    for cid, cert in after.items():
        prev = before.get(cid)
        if prev is None:
            same_type = [g for g in gone if get(before[g], "type") == get(cert, "type")]
            if same_type:
                old_id = same_type[0]
                gone.remove(old_id)
                add(
                    INFO,
                    "certification-renewed",
                    "certification {old} replaced by {new} ({type}): valid until {was} → {now}",
                    old=old_id,
                    new=cid,
                    type=get(cert, "type"),
                    was=_valid_until(before[old_id]),
                    now=_valid_until(cert),
                )
            else:
                add(
                    INFO,
                    "certification-added",
                    "certification {id} ({type}) added, valid until {until}",
                    id=cid,
                    type=get(cert, "type"),
                    until=_valid_until(cert),
                )
            continue
        if _cert_dates(prev) != _cert_dates(cert):
            until_b, until_a = _valid_until(prev), _valid_until(cert)
            issued_b, issued_a = get(prev, "issued"), get(cert, "issued")
            add(
                INFO if until_a is None or until_b is None or until_a >= until_b else ATTENTION,
                "certification-renewed",
                "certification {id} ({type}) renewed: issued {issued_old} → {issued_new}, "
                "valid until {old} → {new}"
                if issued_a != issued_b
                else "certification {id} ({type}) dates changed: valid until {old} → {new}",
                id=cid,
                type=get(cert, "type"),
                issued_old=scalar(issued_b),
                issued_new=scalar(issued_a),
                old=until_b,
                new=until_a,
            )
        other = list(changed_keys(prev, cert, {"issued", "expires", "period", "bridge_letter"}))
        if other:
            add(
                INFO,
                "certification-changed",
                "certification {id}: changed {fields}",
                id=cid,
                fields=other,
            )
    for cid in gone:
        add(
            ATTENTION,
            "certification-removed",
            "certification {id} ({type}) removed",
            id=cid,
            type=get(before[cid], "type"),
        )
    other = changed_keys(old, new, {"id", "certifications"})
    if other:
        add(INFO, "other", "also changed: {fields}", fields=other)
