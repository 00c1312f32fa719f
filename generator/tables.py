"""What the registry and vendors index tables show beyond the model: each vendor certificate's
state, and the anchor of a tool page's findings.

The two tables are plain HTML that the site's ``assets/table-filter.js`` makes filterable and
sortable in the browser. The script reads only what the cells show and a class on the element
showing it (``hb-v-<key>`` or ``hb-v-<key>-<code>``, see its header comment), because the
sanitizer keeps no ``data-*`` attribute; without JavaScript the tables are simply complete.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from generator.charts.deadlines import state as deadline_state
from generator.checks.due import current_until
from generator.model import CERT_NAMES, Certification, Handbook

#: A certificate's state, as the vendors table shows it, from the policy's warning window on
#: certifications (the same test as ``cert-expiring`` / ``cert-expired``).
CURRENT, EXPIRING, LAPSED = "current", "expiring soon", "lapsed"
CERT_STATES = (CURRENT, EXPIRING, LAPSED)


@dataclass(frozen=True, slots=True)
class CertState:
    """One certificate of a vendor as its row shows it."""

    cert: Certification
    until: date  # the last day it counts as current (generator.checks.due.current_until)
    state: str  # one of CERT_STATES

    @property
    def type_label(self) -> str:
        """'SOC 2 Type II', or the type as written (``other``)."""
        return CERT_NAMES.get(self.cert.type, self.cert.type)

    @property
    def code(self) -> str:
        """The state as a class token: 'current', 'expiring-soon', 'lapsed'."""
        return self.state.replace(" ", "-")


def cert_state(until: date, today: date, window: int) -> str:
    """``lapsed`` after ``until``; ``expiring soon`` from ``window`` days before it (its last
    day included); else ``current``: a deadline's state (generator.charts.deadlines.state) in
    a certificate's words."""
    return {"late": LAPSED, "soon": EXPIRING}.get(deadline_state(until, today, window), CURRENT)


def vendor_certs(handbook: Handbook, today: date) -> dict[str, list[CertState]]:
    """Vendor id -> its certificates with their state as of ``today``, in file order."""
    policy = handbook.policy
    window = policy.warning_days["certification"]
    out: dict[str, list[CertState]] = {}
    for vendor in handbook.vendors.values():
        rows = []
        for cert in vendor.certifications:
            until = current_until(cert, policy)
            rows.append(CertState(cert, until, cert_state(until, today, window)))
        out[vendor.id] = rows
    return out


def findings_anchor(today: date) -> str:
    """The id of the "Findings as of <today>" heading on a tool page (tool.md.j2)."""
    return f"findings-as-of-{today.isoformat()}"
