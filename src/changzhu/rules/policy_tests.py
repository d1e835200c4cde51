"""Policy tests: YAML files of people, a date and the expected outputs, run by `changzhu check` and pytest."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl
import yaml

from changzhu.rules.catalog import POLICY_DIR, PolicySet, shipped_policies
from changzhu.rules.errors import PolicyError
from changzhu.rules.evaluate import evaluate
from changzhu.rules.people import people_from_records
from changzhu.rules.scenario import Scenario

TEST_DIR = POLICY_DIR / "tests"


@dataclass(frozen=True)
class PolicyTestResult:
    """One expected value of one person in one case."""

    file: str
    case: str
    person_id: int
    column: str
    expected: Any
    actual: Any
    passed: bool
    source: str


def _compare(expected: Any, actual: Any) -> bool:
    if isinstance(expected, float) or isinstance(actual, float):
        return expected is not None and actual is not None and abs(float(expected) - float(actual)) < 1e-9
    return bool(expected == actual)


def run_policy_test_file(path: Path, policies: PolicySet | None = None) -> list[PolicyTestResult]:
    """Run every case of one file: {jurisdiction, base, cases: [{name, source, date, people, expect}]}."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(raw, dict) or "cases" not in raw:
        raise PolicyError(f"{path.name}: needs a mapping with 'cases'")
    base = raw.get("base") or {}
    results: list[PolicyTestResult] = []
    for i, case in enumerate(raw["cases"]):
        name = str(case.get("name", f"case {i}"))
        where = f"{path.name}: {name}"
        for key in ("date", "people", "expect", "source"):
            if key not in case:
                raise PolicyError(f"{where}: missing field {key!r}")
        on = case["date"] if isinstance(case["date"], date) else date.fromisoformat(str(case["date"]))
        people = people_from_records([{**base, **p} for p in case["people"]], where)
        scenario = Scenario.from_overrides(case["scenario"], f"{name}") if case.get("scenario") else None
        out = evaluate(people, on, scenario=scenario, policies=policies)
        for exp in case["expect"]:
            pid = exp["person_id"]
            row = out.filter(pl.col("person_id") == pid)
            if row.height != 1:
                raise PolicyError(f"{where}: person_id {pid} is not among the people")
            for column, expected in exp.items():
                if column == "person_id":
                    continue
                if column not in out.columns:
                    raise PolicyError(f"{where}: unknown output column {column!r}")
                actual = row[column][0]
                if isinstance(expected, str) and isinstance(actual, date):
                    expected = date.fromisoformat(expected)
                results.append(
                    PolicyTestResult(
                        path.name, name, pid, column, expected, actual, _compare(expected, actual), str(case["source"])
                    )
                )
    return results


def run_policy_tests(paths: list[Path] | None = None, policies: PolicySet | None = None) -> list[PolicyTestResult]:
    """Run the given test files (default: every shipped file under rules/policies/tests)."""
    files = paths if paths is not None else sorted(TEST_DIR.glob("*.yaml"))
    policies = policies or shipped_policies()
    return [r for f in files for r in run_policy_test_file(f, policies)]
