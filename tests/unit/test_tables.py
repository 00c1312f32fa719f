"""generator/tables.py and what assets/table-filter.js reads from the registry and vendors
tables: certificate states, the findings anchor, and the script's fixed orders and keys, which
must follow the model and the templates."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from conftest import TODAY, MakeTree

from generator import pipeline
from generator.frameworks.data import AI_ACT_CLASSES
from generator.model import CLASSIFICATIONS, STATUSES, Handbook, build
from generator.render import Inputs, Site, pages
from generator.siteconfig import slugify
from generator.tables import CERT_STATES, cert_state, findings_anchor, vendor_certs

REPO = Path(__file__).resolve().parents[2]
SCRIPT = (REPO / "generator/assets/table-filter.js").read_text(encoding="utf-8")
UNTIL = date(2027, 6, 30)


@pytest.fixture
def hb(handbook_tree: MakeTree) -> Handbook:
    checked = pipeline.check(handbook_tree(), None, TODAY)
    assert not checked.failed, checked.diagnostics
    return build(checked.tree)


@pytest.mark.parametrize(
    ("days_before", "state"),
    [
        (61, "current"),
        (60, "expiring soon"),  # the window's first day (policy: 60 days)
        (1, "expiring soon"),
        (0, "expiring soon"),  # its last current day
        (-1, "lapsed"),
        (-400, "lapsed"),
    ],
)
def test_cert_state(days_before: int, state: str) -> None:
    assert cert_state(UNTIL, UNTIL - timedelta(days=days_before), 60) == state


@pytest.mark.parametrize(
    ("today", "soc2", "iso"),
    [
        (TODAY, "current", "current"),
        (date(2027, 5, 1), "expiring soon", "current"),  # 60 days before 2027-06-30
        (date(2027, 7, 1), "lapsed", "current"),
        (date(2028, 3, 15), "lapsed", "lapsed"),
    ],
)
def test_vendor_certs_follow_the_policy(hb: Handbook, today: date, soc2: str, iso: str) -> None:
    certs = vendor_certs(hb, today)
    assert certs["globex"] == []
    # a SOC 2 report counts for soc2_freshness_months (12) after its period ends (2026-06-30)
    got = [(c.cert.id, c.type_label, c.until, c.state, c.code) for c in certs["acme-ai"]]
    assert got == [
        ("soc2-2026", "SOC 2 Type II", UNTIL, soc2, soc2.replace(" ", "-")),
        ("iso27001", "ISO/IEC 27001", date(2028, 3, 14), iso, iso.replace(" ", "-")),
    ]


def rows_of(page: str) -> list[str]:
    return [r for r in page.split("<tbody>\n", 1)[1].split("</tbody>", 1)[0].split("</tr>\n") if r]


def test_vendors_index_rows(hb: Handbook) -> None:
    out = pages(Site(hb, Inputs(date(2027, 5, 1))))["vendors/index.md"]
    assert out.startswith("# Vendors\n\n2 vendors, as of 2027-05-01. A certificate is *expiring")
    assert rows_of(out) == [
        '<tr>\n<td><a href="acme-ai/">Acme AI</a></td>\n<td><ul class="hb-certs">'
        '<li class="hb-item"><span class="hb-v-type-soc2-type2">SOC 2 Type II</span>: '
        '<span class="hb-badge hb-cert-expiring-soon hb-v-state-expiring-soon">expiring soon'
        '</span> until <time datetime="2027-06-30">2027-06-30</time></li>'
        '<li class="hb-item"><span class="hb-v-type-iso27001">ISO/IEC 27001</span>: '
        '<span class="hb-badge hb-cert-current hb-v-state-current">current</span> until '
        '<time datetime="2028-03-14">2028-03-14</time></li></ul></td>\n'
        '<td><time datetime="2027-06-30">2027-06-30</time></td>\n<td>2</td>\n',
        '<tr>\n<td><a href="globex/">Globex Corporation</a></td>\n<td>none</td>\n'
        "<td>—</td>\n<td>1</td>\n",
    ]


def test_findings_link_goes_to_the_tool_pages_findings_heading(hb: Handbook) -> None:
    out = pages(Site(hb, Inputs(TODAY)))
    heading = next(
        line[3:] for line in out["tools/acme-chat.md"].splitlines() if line.startswith("## Find")
    )
    assert slugify()(heading, "-") == findings_anchor(TODAY) == "findings-as-of-2026-11-01"


def script_filters(table: str) -> dict[str, list[str] | None]:
    """The script's filters of ``table`` (its TABLES entry): key -> its fixed order, if any."""
    block = SCRIPT.split(f'"{table}": {{', 1)[1].split("\n    }", 1)[0]
    out: dict[str, list[str] | None] = {}
    for m in re.finditer(r'\{ key: "(\w+)"(.*?)\}', block, re.DOTALL):
        order = re.search(r"order: (\[.*?\])", m.group(2), re.DOTALL)
        out[m.group(1)] = json.loads(order.group(1)) if order else None
    return out


def test_the_scripts_orders_follow_the_model() -> None:
    schema = json.loads((REPO / "schemas/vendor.schema.json").read_text(encoding="utf-8"))
    cert_types = schema["$defs"]["certification"]["properties"]["type"]["enum"]
    assert script_filters("hb-tools") == {
        "status": list(STATUSES),  # lifecycle order, as the issue asks
        "vendor": None,
        "team": None,
        "data": list(CLASSIFICATIONS),
        "act": [*AI_ACT_CLASSES, "none"],
        "findings": None,
    }
    assert script_filters("hb-vendors") == {
        "type": cert_types,
        "state": [s.replace(" ", "-") for s in CERT_STATES],
    }


@pytest.mark.parametrize(("template", "table"), [("tools", "hb-tools"), ("vendors", "hb-vendors")])
def test_every_value_class_and_column_is_one_the_script_knows(template: str, table: str) -> None:
    text = (REPO / f"generator/templates/{template}.md.j2").read_text(encoding="utf-8")
    assert f'<table id="{table}">' in text
    filters = script_filters(table)
    assert set(re.findall(r"hb-v-([a-z]+)", text)) == set(filters)
    kinds = re.findall(r'class="hb-col-(\w+) hb-sort-(\w+)"', text)
    assert kinds and {k for _, k in kinds} <= {"text", "number", "date", "rank"}
    for key, kind in kinds:  # a column sorted by rank has a filter with an order
        assert kind != "rank" or filters.get(key), key
