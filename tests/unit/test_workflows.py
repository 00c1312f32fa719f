"""The GitHub workflows: valid by GitHub's public schema, least privilege, pinned, nox-only."""

from __future__ import annotations

import json
import re
from importlib.resources import files
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

WORKFLOWS = Path(__file__).resolve().parents[2] / ".github" / "workflows"
NAMES = ["pull-request.yml", "nightly.yml"]
SHA_PIN = re.compile(r"[A-Za-z0-9_.-]+/[A-Za-z0-9_./-]+@[0-9a-f]{40}")
INSTALL_NOX = re.compile(r'python -m pip install "?nox(>=[0-9.]+)?"?')
RUN_NOX = re.compile(r"nox -s [a-z_]+( [a-z_]+)*( -- .+)?")


def load(name: str) -> dict[str, Any]:
    doc = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    # PyYAML reads YAML 1.1, where the key `on` means True; GitHub reads it as "on".
    if True in doc:
        doc["on"] = doc.pop(True)
    return doc


def schema() -> dict[str, Any]:
    vendored = files("check_jsonschema.builtin_schemas.vendor") / "github-workflows.json"
    return json.loads(vendored.read_text(encoding="utf-8"))


def steps(doc: dict[str, Any]) -> list[dict[str, Any]]:
    return [step for job in doc["jobs"].values() for step in job.get("steps", [])]


def test_both_workflows_exist() -> None:
    assert sorted(p.name for p in WORKFLOWS.glob("*.yml")) == sorted(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_valid_by_githubs_schema(name: str) -> None:
    jsonschema.validate(load(name), schema())


def test_the_schema_catches_a_broken_workflow() -> None:
    broken = load("nightly.yml")
    broken["jobs"]["report"]["permissions"] = {"issues": "admin"}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema())


@pytest.mark.parametrize("name", NAMES)
def test_no_permissions_at_the_top(name: str) -> None:
    assert load(name)["permissions"] == {}


@pytest.mark.parametrize("name", NAMES)
def test_every_action_is_pinned_to_a_commit(name: str) -> None:
    uses = [step["uses"] for step in steps(load(name)) if "uses" in step]
    assert uses
    assert [u for u in uses if not SHA_PIN.fullmatch(u)] == []
    # ...and says which release the commit is, for the people who update it.
    text = (WORKFLOWS / name).read_text(encoding="utf-8")
    for u in uses:
        assert re.search(re.escape(u) + r" # v\d+\.\d+\.\d+$", text, re.MULTILINE), u


def test_only_the_nightly_job_writes_issues_and_the_diff_job_comments() -> None:
    grants = {
        (name, job_id): job.get("permissions")
        for name in NAMES
        for job_id, job in load(name)["jobs"].items()
    }
    assert grants.pop(("nightly.yml", "report")) == {"contents": "read", "issues": "write"}
    assert grants.pop(("pull-request.yml", "governance-diff")) == {
        "contents": "read",
        "pull-requests": "write",
    }
    assert grants  # the other pull-request jobs
    assert set(map(str, grants.values())) == {str({"contents": "read"})}


@pytest.mark.parametrize("name", NAMES)
def test_run_steps_only_run_nox(name: str) -> None:
    runs = [step["run"].strip() for step in steps(load(name)) if "run" in step]
    for job in load(name)["jobs"].values():
        job_runs = [s["run"].strip() for s in job["steps"] if "run" in s]
        assert INSTALL_NOX.fullmatch(job_runs[0]), job_runs[0]
        assert all(RUN_NOX.fullmatch(r) for r in job_runs[1:]), job_runs
    assert runs


def test_the_pull_request_workflow_runs_every_check() -> None:
    doc = load("pull-request.yml")
    assert list(doc["on"]) == ["pull_request"]
    assert doc["concurrency"]["cancel-in-progress"] is True
    runs = [step["run"] for step in steps(doc) if "run" in step and "pip" not in step["run"]]
    assert sorted(runs) == [
        "nox -s build",
        "nox -s expiry -- --format github",
        "nox -s governance_diff",
        "nox -s links_internal -- --format github",
        "nox -s lint typecheck",
        "nox -s tests",
        "nox -s validate -- --format github",
    ]
    # The internal link check runs on the site the build step just made, in the same job.
    site = [s.get("run") for s in doc["jobs"]["site"]["steps"]]
    assert site.index("nox -s build") < site.index("nox -s links_internal -- --format github")
    # The tool pages' status history needs the whole history (a shallow clone has none).
    assert doc["jobs"]["site"]["steps"][0]["with"]["fetch-depth"] == 0


def test_the_governance_diff_job_compares_with_the_base_and_comments() -> None:
    job = load("pull-request.yml")["jobs"]["governance-diff"]
    checkout = job["steps"][0]
    assert checkout["uses"].startswith("actions/checkout@")
    assert checkout["with"] == {"fetch-depth": 0, "persist-credentials": False}
    assert job["steps"][-1] == {
        "run": "nox -s governance_diff",
        "env": {
            "GITHUB_TOKEN": "${{ secrets.GITHUB_TOKEN }}",
            "BASE_SHA": "${{ github.event.pull_request.base.sha }}",
        },
    }


def test_the_nightly_workflow_reports_and_uploads() -> None:
    doc = load("nightly.yml")
    assert doc["on"]["schedule"] == [{"cron": "17 5 * * *"}]
    assert "workflow_dispatch" in doc["on"]
    assert doc["concurrency"]["cancel-in-progress"] is False
    job = doc["jobs"]["report"]
    report = next(s for s in job["steps"] if s.get("run", "").startswith("nox -s report"))
    assert report == {
        "run": "nox -s report -- --github-issue",
        "env": {"GITHUB_TOKEN": "${{ secrets.GITHUB_TOKEN }}"},
    }
    upload = job["steps"][-1]
    assert upload["uses"].startswith("actions/upload-artifact@")
    assert upload["with"]["path"] == "report/"
    assert upload["if"] == "${{ !cancelled() }}"


@pytest.mark.parametrize("name", NAMES)
def test_checkout_does_not_keep_the_token(name: str) -> None:
    checkouts = [s for s in steps(load(name)) if s.get("uses", "").startswith("actions/checkout@")]
    assert checkouts
    assert all(s["with"]["persist-credentials"] is False for s in checkouts)


def test_nox_defines_every_session_the_workflows_run() -> None:
    noxfile = (WORKFLOWS.parents[1] / "noxfile.py").read_text(encoding="utf-8")
    defined = set(re.findall(r"@nox\.session\ndef (\w+)\(", noxfile))
    used = {
        session
        for name in NAMES
        for step in steps(load(name))
        if step.get("run", "").startswith("nox -s ")
        for session in step["run"].split(" -- ")[0].split()[2:]
    }
    assert used <= defined, used - defined
