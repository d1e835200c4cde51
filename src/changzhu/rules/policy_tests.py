"""Policy tests: YAML files of people, a date and the expected outputs, run by `changzhu check` and pytest."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl
import yaml

from changzhu.config import policy_dir
from changzhu.domain.refusals import Refusal, RefusalCode, refusal
from changzhu.parameters.errors import ParameterError
from changzhu.parameters.model import as_date
from changzhu.parameters.places import yaml_problem
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
    case, or the one named `only`. A file that does not follow the format raises PolicyError naming the file, the
    case's key path and its line."""
    text = path.read_text(encoding="utf-8")
    try:
        try:
            raw = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            reason, line = yaml_problem(exc)
            raise PolicyError(reason, path.name, line=line) from exc
        if not isinstance(raw, dict) or not isinstance(raw.get("cases"), list):
            raise PolicyError(refusal(RefusalCode.POLICY_TEST_NEEDS_CASES), path.name)
        base = raw.get("base") or {}
        results: list[PolicyTestResult] = []
        for i, case in enumerate(raw["cases"]):
            name = str(case.get("name", f"case {i}")) if isinstance(case, dict) else f"case {i}"
            if only is None or name == only:
                results.extend(_run_case(path.name, f"cases[{i}]", name, case, base, policies))
        return results
    except PolicyError as exc:
        located = exc.on_line(text)
        if located is exc:
            raise
        raise located from exc


def _run_case(
    file: str, where: str, name: str, case: Any, base: dict[str, Any], policies: PolicySet | None
) -> list[PolicyTestResult]:
    """The expectations of one case, each compared with the rules' output."""

    def fail(why: Refusal, at: str = where, near: str | None = None) -> PolicyError:
        return PolicyError(why, file, at, near=near)

    if not isinstance(case, dict):
        raise fail(refusal(RefusalCode.POLICY_NOT_A_MAPPING))
    for key in ("date", "people", "expect", "source"):
        if key not in case:
            raise fail(refusal(RefusalCode.POLICY_MISSING_FIELD, field=key))
    try:
        on = as_date(case["date"], f"{where}.date")
    except ParameterError as exc:
        raise fail(exc.reason, exc.where) from exc
    try:
        people = people_from_records([{**base, **p} for p in case["people"]], f"{where}.people")
    except PolicyError as exc:
        raise fail(exc.reason, exc.where) from exc
    scenario = Scenario.from_overrides(case["scenario"], f"{name}") if case.get("scenario") else None
    out = evaluate(people, on, scenario=scenario, policies=policies)
    results: list[PolicyTestResult] = []
    for j, exp in enumerate(case["expect"]):
        pid = exp.get("person_id") if isinstance(exp, dict) else None
        row = out.filter(pl.col("person_id") == pid)
        if row.height != 1:
            raise fail(refusal(RefusalCode.POLICY_TEST_NO_PERSON, person_id=str(pid)), f"{where}.expect[{j}]")
        person = int(row["person_id"][0])
        for column, expected in exp.items():
            if column == "person_id":
                continue
            if column not in out.columns:
                raise fail(_unknown_output(str(column), out.columns), f"{where}.expect[{j}].{column}")
            actual = row[column][0]
            if isinstance(actual, pl.Series):  # a list column (needs_, unassessed_): compare as a list
                actual = actual.to_list()
            if isinstance(expected, str) and isinstance(actual, date):
                try:
                    expected = as_date(expected, f"{where}.expect[{j}].{column}")
                except ParameterError as exc:
                    raise fail(exc.reason, exc.where) from exc
            results.append(
                PolicyTestResult(
                    file, name, person, column, expected, actual, _compare(expected, actual), str(case["source"])
                )
            )
    return results


def _unknown_output(column: str, columns: list[str]) -> Refusal:
    """An expected output the rules do not give, with the nearest ones they do."""
    near = difflib.get_close_matches(column, columns, n=3, cutoff=0.6)
    if near:
        return refusal(RefusalCode.POLICY_TEST_UNKNOWN_OUTPUT_NEAR, column=repr(column), near=tuple(near))
    return refusal(RefusalCode.POLICY_TEST_UNKNOWN_OUTPUT, column=repr(column))


def run_policy_tests(paths: list[Path] | None = None, policies: PolicySet | None = None) -> list[PolicyTestResult]:
    """Run the given test files against the policies (default: the tests/ files of the policy directory in use,
    against its policies)."""
    files = paths if paths is not None else sorted((policy_dir() / "tests").glob("*.yaml"))
    policies = policies or policies_in_use()
    return [r for f in files for r in run_policy_test_file(f, policies)]
