"""Per-vendor rules: certification ids unique, their dates in order and not in the future."""

from __future__ import annotations

from generator.load import Document
from generator.validate.checker import Checker


def certifications(check: Checker, doc: Document) -> None:
    data = doc.data
    ids: set[str] = set()
    for i, cert in enumerate(data.get("certifications", [])):
        where: list[str | int] = ["certifications", i]
        if cert["id"] in ids:
            check.emit(
                "id-duplicate",
                doc,
                [*where, "id"],
                f"certification id {cert['id']!r} is used twice",
                "give each certification its own id",
            )
        ids.add(cert["id"])
        check.order(
            doc, [*where, "issued"], cert["issued"], [*where, "expires"], cert.get("expires")
        )
        if "period" in cert:
            p = [*where, "period"]
            check.order(
                doc, [*p, "start"], cert["period"]["start"], [*p, "end"], cert["period"]["end"]
            )
            check.order(doc, [*p, "end"], cert["period"]["end"], [*where, "issued"], cert["issued"])
        if "bridge_letter" in cert:
            b = [*where, "bridge_letter"]
            check.order(
                doc,
                [*b, "issued"],
                cert["bridge_letter"]["issued"],
                [*b, "covers_until"],
                cert["bridge_letter"]["covers_until"],
            )
        check.not_future(doc, [*where, "issued"], cert["issued"])
        check.not_future(doc, [*where, "verified", "on"], cert["verified"]["on"])
