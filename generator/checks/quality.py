"""Quality findings from measured evidence: the benchmark's bar, drift in the output audits.

Judged with the policy's ``benchmark`` and ``drift`` settings (:class:`~generator.model.
QualityPolicy`) on the counts of :mod:`generator.evidence.measures`:

* ``benchmark-accuracy-low`` (when the policy sets ``min_accuracy``): the lower end of the AI
  accuracy's Wilson interval is below it, whatever the expert scored (an AI and an expert both
  often wrong would clear the gap).
* ``benchmark-accuracy-gap``: the lower end of the 95% interval of (AI accuracy - expert
  accuracy) is below ``-max_accuracy_gap`` (Newcombe's paired interval with task records, the
  unpaired one from typed numbers). ``benchmark-hallucination-rate``: the upper end of the
  hallucination rate's Wilson interval is above ``max_hallucination_rate``. Both are errors for
  a tool in pilot, approved or restricted status (the bar guards the move there) and warnings
  in sandbox, where they say the tool cannot move on yet.
* ``audit-not-counted``: the newest output audit records no counts (or its table cannot be
  read), so it proves nothing; drift is still judged on the newest audit that has them, so a
  newer audit without counts cannot hide an earlier drift.
* ``drift-detected``: the newest output audit with counts has an error rate significantly above
  the benchmark's (one-sided exact binomial test, p < ``alpha``), whatever the reviewer wrote.
* ``audit-sample-too-small``: otherwise, when that audit had less than ``power`` chance to detect
  a rise of ``min_increase`` over the baseline: its "no drift" proves little.
* ``drift-trend``: otherwise, when the error rates of the latest ``trend_audits`` audits rise
  (Cochran-Armitage, one-sided, p < ``alpha``).

Drift is judged for tools in pilot, approved or restricted status; exceptions cover these
findings as any other (``generator.checks.exceptions``).
"""

from __future__ import annotations

from collections.abc import Iterator

from generator.checks.findings import Findings
from generator.diagnostics import Diagnostic, Severity, plural
from generator.evidence import judge
from generator.evidence.measures import Audit, Benchmark
from generator.evidence.words import interval, p_value, percent, points
from generator.model import IN_USE, Tool

#: Statuses in which the benchmark's bar is judged: an error in use, a warning before.
BAR_STATUSES = ("sandbox", *IN_USE)


def quality(run: Findings, tool: Tool) -> Iterator[Diagnostic]:
    """The tool's benchmark and drift findings."""
    bench = tool.benchmark
    if bench is None:
        return
    if tool.status in BAR_STATUSES:
        yield from _bar(run, tool, bench)
    if tool.status in IN_USE:
        yield from _drift(run, tool, bench)


def _finding(
    run: Findings,
    tool: Tool,
    rule: str,
    severity: Severity,
    message: str,
    where: tuple[str | int, ...],
    hint: str,
) -> Diagnostic:
    """A finding about ``tool``'s measured evidence: no due date, addressed to its owner."""
    return run.finding(
        rule,
        severity,
        message,
        tool.path,
        tool.at(*where),
        hint,
        subject=tool.id,
        owner=tool.contact,
        tools=(tool,),
        due=None,
    )


def _bench_at(tool: Tool, field: str) -> tuple[str | int, ...]:
    rec = tool.record("benchmark") or {}
    if "results" in rec:
        return ("evidence", "benchmark", "results")
    return ("evidence", "benchmark", field)


def _bar(run: Findings, tool: Tool, bench: Benchmark) -> Iterator[Diagnostic]:
    q = run.policy.quality
    judged = judge.bar(bench, q)
    in_use = tool.status in IN_USE
    severity = Severity.ERROR if in_use else Severity.WARNING
    stake = (
        f"yet the tool is {tool.status!r}"
        if in_use
        else "so it may not move to pilot or approved without an exception"
    )
    basis = (
        plural(bench.tasks, "task record")
        if judged.paired
        else f"typed numbers for {plural(bench.tasks, 'task')} (no task records, so the "
        "unpaired interval)"
    )
    allowed = points(q.max_accuracy_gap).lstrip("+")
    if not judged.gap_met:
        yield _finding(
            run,
            tool,
            "benchmark-accuracy-gap",
            severity,
            f"the benchmark of {run.tool_ref(tool)} does not show the AI within {allowed} of "
            f"the expert: AI accuracy minus the expert's is "
            f"{interval(judged.gap, difference=True)} from {basis}, and the interval reaches "
            f"below -{allowed} (policy benchmark.max_accuracy_gap), {stake}",
            _bench_at(tool, "accuracy"),
            "improve the set-up and run the benchmark again (more tasks narrow the interval), "
            "or record an exception with its reason",
        )
    if judged.accuracy_met is False and q.min_accuracy is not None:
        yield _finding(
            run,
            tool,
            "benchmark-accuracy-low",
            severity,
            f"the benchmark of {run.tool_ref(tool)} does not show the AI right on at least "
            f"{percent(q.min_accuracy)} of tasks: {bench.ai_correct} of "
            f"{plural(bench.tasks, 'task')}, {interval(bench.ai)}, and the interval reaches "
            f"below it (policy benchmark.min_accuracy), {stake}",
            _bench_at(tool, "accuracy"),
            "improve the set-up and run the benchmark again (more tasks narrow the interval), "
            "or record an exception with its reason",
        )
    if not judged.hallucination_met:
        yield _finding(
            run,
            tool,
            "benchmark-hallucination-rate",
            severity,
            f"the benchmark of {run.tool_ref(tool)} does not show the hallucination rate at "
            f"or under {percent(q.max_hallucination_rate)}: {bench.hallucinations} of "
            f"{plural(bench.tasks, 'output')}, {interval(judged.hallucination)}, and the interval "
            f"reaches above it (policy benchmark.max_hallucination_rate), {stake}",
            _bench_at(tool, "hallucination_rate"),
            "reduce hallucinations (grounding, retrieval, prompts) and run the benchmark again, "
            "or record an exception with its reason",
        )


def _drift(run: Findings, tool: Tool, bench: Benchmark) -> Iterator[Diagnostic]:
    q = run.policy.quality
    newest, latest = tool.latest_audit, tool.latest_counted_audit
    if newest is not None and not newest.counted:
        yield _finding(
            run,
            tool,
            "audit-not-counted",
            Severity.WARNING,
            f"the output audit of {run.tool_ref(tool)} on {newest.date} records no sample size "
            "and errors (or its table cannot be read), so it cannot be tested for drift"
            + (
                f"; drift is judged on the audit of {latest.date} until one is"
                if latest is not None
                else ""
            ),
            ("evidence", "output_audits", newest.index),
            "record sample_size and errors (or name the table of the sampled outputs in results:)",
        )
    if latest is None:
        return
    verdict = judge.audit(latest, bench, q)
    if not verdict.tested or latest.sample_size is None or verdict.p is None:
        return
    wrong = bench.tasks - bench.ai_correct
    base_words = f"the benchmark's {wrong} of {bench.tasks} ({percent(bench.error_rate)})"
    where = ("evidence", "output_audits", latest.index)
    if verdict.drift:
        said = " The reviewer recorded drift: false." if not latest.drift else ""
        yield _finding(
            run,
            tool,
            "drift-detected",
            Severity.ERROR,
            f"the output audit of {run.tool_ref(tool)} on {latest.date} found "
            f"{plural(latest.errors or 0, 'error')} in {plural(latest.sample_size, 'output')} "
            f"({percent((latest.errors or 0) / latest.sample_size)}), significantly above "
            f"{base_words}: one-sided exact test {p_value(verdict.p)}, below drift.alpha "
            f"{q.alpha}." + said,
            (*where, "drift" if not latest.drift else "date"),
            "investigate the decline (model or prompt changes, new kinds of input), fix it and "
            "audit again; record drift: true until then",
        )
        return
    if verdict.too_small and verdict.power is not None:
        yield _finding(
            run,
            tool,
            "audit-sample-too-small",
            Severity.WARNING,
            f"the output audit of {run.tool_ref(tool)} on {latest.date} sampled "
            f"{plural(latest.sample_size, 'output')}: against {base_words} it had a "
            f"{percent(verdict.power)} chance of detecting a rise of "
            f"{points(q.min_increase).lstrip('+')} (drift.min_increase), and the policy asks "
            f"for {percent(q.power)} (drift.power), so finding no drift proves little",
            (*where, "sample_size" if latest.source is None else "results"),
            f"sample at least {verdict.need} outputs in the next audit"
            if verdict.need
            else "no sample of up to 10,000 outputs reaches drift.power at drift.alpha for a "
            "rise of drift.min_increase at this baseline; review those policy settings",
        )
    yield from _trend(run, tool, latest)


def _trend(run: Findings, tool: Tool, latest: Audit) -> Iterator[Diagnostic]:
    q = run.policy.quality
    last, result = judge.trend(tool.audits, q)
    if result.p is None or result.p >= q.alpha:
        return
    rates = ", ".join(f"{a.date}: {a.errors}/{a.sample_size}" for a in last)
    yield _finding(
        run,
        tool,
        "drift-trend",
        Severity.WARNING,
        f"the error rate of {run.tool_ref(tool)} rises over its last {len(last)} output "
        f"audits ({rates}): Cochran-Armitage trend test {p_value(result.p)}, below "
        f"drift.alpha {q.alpha}, though the latest alone is not significantly above the "
        "benchmark",
        ("evidence", "output_audits", latest.index),
        "look for the cause now; a larger next audit will tell whether it is drift",
    )
