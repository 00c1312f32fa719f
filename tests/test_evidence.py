"""Measured evidence through the CLI: the benchmark's bar, drift in the output audits, stale
metrics, and what the task records and audit tables give (generator.evidence, checks.quality).

The base tree's acme-chat is approved, with 40 task records: the AI right on 37 (both on 35,
only the AI on 2, only the expert on 3), two hallucinations, so its baseline error rate is 3/40.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from conftest import MakeTree

from generator.cli import main
from generator.evidence import stats
from generator.evidence.records import AUDIT, BENCHMARK, parse

CHAT = "registry/tools/acme-chat.yaml"
BASELINE = 3 / 40


def chat(root_base: Path) -> str:
    return (root_base / CHAT).read_text(encoding="utf-8")


def audits(*rows: tuple[str, int, int, bool]) -> str:
    """An output_audits section: (date, sample_size, errors, reviewer's drift) per audit."""
    out = "  output_audits:\n"
    for when, size, errors, drift in rows:
        out += (
            f"    - date: {when}\n      reviewer: Ben Carter (Knowledge Management)\n"
            f"      drift: {'true' if drift else 'false'}\n"
            f"      sample_size: {size}\n      errors: {errors}\n"
        )
    return out


ROOTS: list[Path] = []  # the tree each call of findings() made, last last


def findings(handbook_tree: MakeTree, capsys: pytest.CaptureFixture[str], **edits: Any) -> list:
    """check-expiry's JSON findings about quality and metrics for the base tree edited."""
    root = handbook_tree()
    ROOTS.append(root)
    text = chat(root)
    for old, new in edits.get("replace", ()):
        assert old in text, old
        text = text.replace(old, new)
    text += edits.get("append", "")
    (root / CHAT).write_text(text, encoding="utf-8")
    for rel, body in edits.get("files", {}).items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(body, encoding="utf-8")
    main(["check-expiry", "--root", str(root), "--format", "json"])
    out, _ = capsys.readouterr()
    wanted = {
        "benchmark-accuracy-gap",
        "benchmark-accuracy-low",
        "benchmark-hallucination-rate",
        "drift-detected",
        "audit-sample-too-small",
        "drift-trend",
        "audit-not-counted",
        "metrics-due",
        "metrics-overdue",
    }
    return [d for d in json.loads(out)["diagnostics"] if d["rule"] in wanted]


def test_the_base_benchmark_clears_the_bar(handbook_tree: MakeTree, capsys) -> None:
    assert findings(handbook_tree, capsys) == []


def test_drift_the_reviewer_missed(handbook_tree: MakeTree, capsys) -> None:
    found = findings(
        handbook_tree,
        capsys,
        append=audits(("2026-09-20", 30, 2, False), ("2026-10-20", 30, 8, False)),
    )
    assert [d["rule"] for d in found] == ["drift-detected"]
    d = found[0]
    p = stats.exceeds(8, 30, BASELINE)
    assert d["severity"] == "error" and d["step"] == "output-audit"
    assert (
        "found 8 errors in 30 outputs (26.7%), significantly above the benchmark's 3 of 40"
        in d["message"]
    )
    assert f"p = {p:.2g}" in d["message"] and d["message"].endswith(
        "The reviewer recorded drift: false."
    )
    lines = (ROOTS[-1] / CHAT).read_text(encoding="utf-8").splitlines()
    assert lines[d["line"] - 1].strip() == "drift: false"  # at the second audit's drift


def test_drift_the_reviewer_recorded_is_still_reported(handbook_tree: MakeTree, capsys) -> None:
    found = findings(handbook_tree, capsys, append=audits(("2026-10-20", 30, 8, True)))
    assert [d["rule"] for d in found] == ["drift-detected"]
    assert "The reviewer recorded" not in found[0]["message"]


def test_only_the_latest_audit_is_judged(handbook_tree: MakeTree, capsys) -> None:
    # an old drift, fixed since: the newest audit (listed first) has 2 errors in 60
    found = findings(
        handbook_tree,
        capsys,
        append=audits(("2026-10-20", 60, 2, False), ("2026-08-20", 30, 9, True)),
    )
    assert found == []


def test_a_small_audit_proves_little(handbook_tree: MakeTree, capsys) -> None:
    found = findings(handbook_tree, capsys, append=audits(("2026-10-20", 20, 2, False)))
    assert [d["rule"] for d in found] == ["audit-sample-too-small"]
    power = stats.power_to_detect(20, BASELINE, 0.15, 0.05)
    need = stats.sample_for_power(BASELINE, 0.15, 0.05, 0.8)
    assert power < 0.8 and need is not None and need > 20
    assert "sampled 20 outputs" in found[0]["message"]
    assert f"sample at least {need} outputs" in found[0]["hint"]
    assert found[0]["severity"] == "warning"


def test_a_large_clean_audit_is_quiet(handbook_tree: MakeTree, capsys) -> None:
    assert findings(handbook_tree, capsys, append=audits(("2026-10-20", 60, 4, False))) == []


def test_an_audit_without_counts_is_not_tested(handbook_tree: MakeTree, capsys) -> None:
    text = audits(("2026-10-20", 30, 9, False)).replace("      errors: 9\n", "")
    found = findings(handbook_tree, capsys, append=text)
    assert [(d["rule"], d["severity"]) for d in found] == [("audit-not-counted", "warning")]


def test_a_rising_trend(handbook_tree: MakeTree, capsys) -> None:
    rows = (
        ("2026-08-20", 60, 0, False),
        ("2026-09-20", 60, 2, False),
        ("2026-10-20", 60, 7, False),
    )
    assert stats.exceeds(7, 60, BASELINE) >= 0.05  # the latest alone is no drift
    assert stats.power_to_detect(60, BASELINE, 0.15, 0.05) >= 0.8  # and was large enough
    found = findings(handbook_tree, capsys, append=audits(*rows))
    assert [d["rule"] for d in found] == ["drift-trend"]
    assert "2026-08-20: 0/60, 2026-09-20: 2/60, 2026-10-20: 7/60" in found[0]["message"]


def test_an_exception_makes_drift_a_note(handbook_tree: MakeTree, capsys) -> None:
    exception = (
        "exceptions:\n  - rule: drift-detected\n    reason: Re-audit booked.\n"
        "    approver: Priya Natarajan (Governance)\n    until: 2026-11-20\n"
    )
    root_text = audits(("2026-10-20", 30, 8, False))
    found = findings(
        handbook_tree,
        capsys,
        replace=[("evidence:\n", exception + "evidence:\n")],
        append=root_text,
    )
    assert [(d["rule"], d["severity"]) for d in found] == [("drift-detected", "note")]
    assert "accepted until 2026-11-20" in found[0]["message"]


TYPED = (
    "    results: evidence/acme-chat/benchmark-2025-12.csv\n",
    "    accuracy:\n      ai: 0.7\n      human: 0.95\n    hallucination_rate: 0.25\n",
)


@pytest.mark.parametrize(("status", "severity"), [("approved", "error"), ("sandbox", "warning")])
def test_a_benchmark_below_the_bar(
    handbook_tree: MakeTree, capsys, status: str, severity: str
) -> None:
    found = findings(
        handbook_tree, capsys, replace=[TYPED, ("  value: approved", f"  value: {status}")]
    )
    rules = {d["rule"]: d for d in found if d["rule"].startswith("benchmark")}
    assert set(rules) == {"benchmark-accuracy-gap", "benchmark-hallucination-rate"}
    gap = stats.independent_difference(28, 40, 38, 40)
    assert {d["severity"] for d in rules.values()} == {severity}
    assert (
        f"{gap.low * 100:+.1f} points".replace("+", "")
        in rules["benchmark-accuracy-gap"]["message"]
    )
    assert (
        "typed numbers for 40 tasks (no task records" in rules["benchmark-accuracy-gap"]["message"]
    )
    assert "10 of 40 outputs" in rules["benchmark-hallucination-rate"]["message"]


def test_metrics_go_stale(handbook_tree: MakeTree, capsys) -> None:
    metrics = (
        "  metrics:\n"
        "    - measured: 2026-01-10\n      error_rate: 0.05\n      latency_ms: 900\n"
        "      time_saved_minutes: 10\n"
        "    - measured: 2026-06-01\n      error_rate: 0.04\n      latency_ms: 800\n"
        "      time_saved_minutes: 12\n      tasks_per_month: 300\n"
    )
    found = findings(handbook_tree, capsys, append=metrics)
    assert [(d["rule"], d["due"]) for d in found] == [("metrics-overdue", "2026-08-30")]
    assert "the last was on 2026-06-01" in found[0]["message"]


def test_a_single_metrics_mapping_still_reads(handbook_tree: MakeTree, capsys) -> None:
    metrics = (
        "  metrics:\n    measured: 2026-10-01\n    error_rate: 0.05\n    latency_ms: 900\n"
        "    time_saved_minutes: 10\n"
    )
    assert findings(handbook_tree, capsys, append=metrics) == []


# -- the tables ---------------------------------------------------------------------------------


def table(text: str | bytes, layout=BENCHMARK):
    data = text.encode("utf-8") if isinstance(text, str) else text
    return parse("evidence/t.csv", data, layout)


def test_yes_no_spellings_and_optional_columns() -> None:
    t = table(
        "Task,AI correct,Expert Correct,ai_hallucination\nA,TRUE,yes,0\nB,n,1,No\nC,Y,false,false\n"
    )
    assert t.ok and [r.key for r in t.records] == ["A", "B", "C"]
    assert [t.count(c) for c in ("ai_correct", "expert_correct", "ai_hallucination")] == [2, 2, 0]


def test_excel_exports_read_as_written() -> None:
    rows = "task;ai_correct;expert_correct;ai_hallucination;notes\nT1;yes;yes;no;Café « ok »\n"
    for data in (
        b"\xef\xbb\xbf" + rows.encode("utf-8"),
        rows.encode("cp1252"),
        b"\xff\xfe" + rows.encode("utf-16-le"),
    ):
        t = table(data)
        assert t.ok, t.problems
        assert t.records[0].values["notes"] == "Café « ok »"


def test_quoted_cells_and_blank_lines() -> None:
    t = table('task,ai_correct,expert_correct,ai_hallucination,notes\n\n"T,1",yes,no,no,"a, b"\n\n')
    assert t.ok and t.records[0].key == "T,1" and t.records[0].row == 3


def test_an_audit_without_a_hallucination_column() -> None:
    t = table("output,error\nO1,yes\nO2,no\n", AUDIT)
    assert t.ok and t.count("error") == 1 and "hallucination" not in t.columns


def test_positions_count_rows_as_a_spreadsheet_does() -> None:
    t = table(
        'task,ai_correct,expert_correct,ai_hallucination,notes\nT1,yes,yes,no,"two\nlines"\nT2,maybe,yes,no,\n'
    )
    (problem,) = t.problems
    assert (problem.line, problem.column) == (4, 2)  # a quoted line break is a line of the file
    assert not t.ok and [r.key for r in t.records] == ["T1"]


def test_a_newer_audit_without_counts_cannot_hide_drift(handbook_tree: MakeTree, capsys) -> None:
    later = (
        "    - date: 2026-10-25\n      reviewer: Ben Carter (Knowledge Management)\n"
        "      drift: false\n"
    )
    found = findings(handbook_tree, capsys, append=audits(("2026-10-20", 30, 8, False)) + later)
    by_rule = {d["rule"]: d for d in found}
    assert {r: d["severity"] for r, d in by_rule.items()} == {
        "audit-not-counted": "warning",
        "drift-detected": "error",
    }
    assert "drift is judged on the audit of 2026-10-20" in by_rule["audit-not-counted"]["message"]


def test_a_table_named_as_benchmark_and_audit_is_read_as_each(
    handbook_tree: MakeTree, capsys
) -> None:
    root = handbook_tree()
    tool = root / CHAT
    tool.write_text(
        chat(root) + "  output_audits:\n    - date: 2026-10-20\n      reviewer: Ben Carter\n"
        "      drift: false\n      results: evidence/acme-chat/benchmark-2025-12.csv\n",
        encoding="utf-8",
    )
    code = main(["validate", "--root", str(root), "--format", "json"])
    out, _ = capsys.readouterr()
    found = {(d["rule"], d["message"]) for d in json.loads(out)["diagnostics"]}
    assert code == 1
    assert ("evidence-table", "the header has no 'output' column") in found
    assert ("evidence-table", "the header has no 'error' column") in found


def test_two_audits_cannot_share_a_sample(handbook_tree: MakeTree, capsys) -> None:
    root = handbook_tree()
    (root / "evidence/acme-chat/audit.csv").write_text("output,error\nO1,no\n", encoding="utf-8")
    audit = (
        "    - date: {d}\n      reviewer: Ben Carter\n      drift: false\n"
        "      results: evidence/acme-chat/audit.csv\n"
    )
    text = "  output_audits:\n" + audit.format(d="2026-09-20") + audit.format(d="2026-10-20")
    (root / CHAT).write_text(chat(root) + text, encoding="utf-8")
    assert main(["validate", "--root", str(root), "--format", "json"]) == 1
    out, _ = capsys.readouterr()
    (d,) = json.loads(out)["diagnostics"]
    assert (
        d["rule"] == "evidence-table" and "named by evidence.output_audits[0] too" in d["message"]
    )


def test_a_quote_left_open_is_named_where_it_starts() -> None:
    t = table(
        'task,ai_correct,expert_correct,ai_hallucination,notes\nT1,yes,yes,no,"oops\nT2,yes,yes,no,\nT3,no,yes,no,\n'
    )
    (problem,) = [p for p in t.problems if "quote" in p.message]
    assert (problem.line, problem.column) == (2, 5) and not t.ok


def test_a_hallucination_in_a_correct_output_is_a_contradiction() -> None:
    t = table("task,ai_correct,expert_correct,ai_hallucination\nT1,yes,yes,yes\nT2,no,yes,yes\n")
    (problem,) = t.problems
    assert (problem.line, problem.column) == (2, 4)
    assert problem.message == "ai_hallucination is yes, but ai_correct says the output was correct"
    audit_rows = table("output,error,hallucination\nO1,no,yes\n", AUDIT)
    assert (
        audit_rows.problems[0].message
        == "hallucination is yes, but error says the output was not wrong"
    )


@pytest.mark.parametrize("tone", ["05", "+3", "\uff15", "4.5", "0", "6"])
def test_tone_is_a_digit_from_one_to_five(tone: str) -> None:
    t = table(f"task,ai_correct,expert_correct,ai_hallucination,tone\nT1,yes,yes,no,{tone}\n")
    assert [(p.line, p.column) for p in t.problems] == [(2, 5)]


def test_a_binary_file_gets_a_hint_for_a_table() -> None:
    (problem,) = table(b"task,ai\x00correct\n").problems
    assert problem.message == "the file is not a text file (it holds NUL bytes)"
    assert problem.hint == "save the table as CSV (UTF-8 text) from the spreadsheet"


def test_a_line_break_in_a_category_says_so() -> None:
    t = table('task,category,ai_correct,expert_correct,ai_hallucination\nT1,"a\nb",yes,yes,no\n')
    (problem,) = t.problems
    assert "line break" in (problem.hint or "") and "'|'" not in (problem.hint or "")


def test_an_accuracy_floor_when_the_policy_sets_one(handbook_tree: MakeTree, capsys) -> None:
    # 37 of 40: Wilson 80.1% to 97.4%; a floor of 85% is not shown, one of 80% is
    files = {}
    root_policy = "registry/policy.yaml"
    base = (handbook_tree().joinpath(root_policy)).read_text(encoding="utf-8")
    for floor, expected in ((0.85, ["benchmark-accuracy-low"]), (0.80, [])):
        files = {root_policy: base + f"\nbenchmark:\n  min_accuracy: {floor}\n"}
        found = findings(handbook_tree, capsys, files=files)
        assert [d["rule"] for d in found] == expected
        if expected:
            assert "37 of 40 tasks, 92.5% (95% interval 80.1% to 97.4%)" in found[0]["message"]


@pytest.mark.parametrize("again", ["t01", "\uff3401", "T01\u00a0"])
def test_ids_that_differ_only_in_case_or_width_are_the_same(again: str) -> None:
    t = table(
        f"task,ai_correct,expert_correct,ai_hallucination\nT01,yes,yes,no\n{again},yes,yes,no\n"
    )
    (problem,) = t.problems
    assert (problem.line, problem.column) == (
        3,
        1,
    ) and "appears again (first on row 2)" in problem.message


def test_a_cell_as_large_as_the_file_is_named_by_its_size() -> None:
    big = "x" * 200_000
    t = table(f"task,ai_correct,expert_correct,ai_hallucination,notes\nT1,yes,yes,no,{big}\n")
    (problem,) = t.problems
    assert (problem.line, problem.column) == (2, 5)
    assert problem.message.startswith("cell holds 200,000 characters")
