"""Policy tests: YAML files of people, a date and the expected outputs, run by `changzhu check` and pytest."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl
import yaml

from changzhu.config import policy_dir
from changzhu.rules.catalog import PolicySet, policies_in_use
from changzhu.rules.errors import PolicyError
from changzhu.rules.evaluate import evaluate
from changzhu.rules.people import people_from_records
from changzhu.rules.scenario import Scenario


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


def case_names(path: Path) -> list[str]:
    """The names of a policy test file's cases, in order (for one test item per case)."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    cases = raw.get("cases", []) if isinstance(raw, dict) else []
    return [str(c.get("name", f"case {i}")) for i, c in enumerate(cases)]


def run_policy_test_file(
    path: Path, policies: PolicySet | None = None, *, only: str | None = None
) -> list[PolicyTestResult]:
    """Run the cases of one file ({jurisdiction, base, cases: [{name, source, date, people, expect}]}): every
    case, or the one named `only`."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(raw, dict) or "cases" not in raw:
        raise PolicyError(f"{path.name}: needs a mapping with 'cases'")
    base = raw.get("base") or {}
    results: list[PolicyTestResult] = []
    for i, case in enumerate(raw["cases"]):
        name = str(case.get("name", f"case {i}"))
        if only is not None and name != only:
            continue
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
                if isinstance(actual, pl.Series):  # a list column (needs_, unassessed_): compare as a list
                    actual = actual.to_list()
                if isinstance(expected, str) and isinstance(actual, date):
                    expected = date.fromisoformat(expected)
                results.append(
                    PolicyTestResult(
                        path.name, name, pid, column, expected, actual, _compare(expected, actual), str(case["source"])
                    )
                )
    return results


def run_policy_tests(paths: list[Path] | None = None, policies: PolicySet | None = None) -> list[PolicyTestResult]:
    """Run the given test files against the policies (default: the tests/ files of the policy directory in use,
    against its policies)."""
    files = paths if paths is not None else sorted((policy_dir() / "tests").glob("*.yaml"))
    policies = policies or policies_in_use()
    return [r for f in files for r in run_policy_test_file(f, policies)]
