"""Points per full month and per full year count whole calendar months: a month from the 31st is complete on the
last day of a shorter month (Jan 31 → Feb 28, or Feb 29 in a leap year; 28 Feb is then not yet a month), as the
month oracle of rules_support (Python's calendar, the day clamped) and 《民法典》第二百零三条 (no corresponding day:
the month's last day ends the period) say. Both evaluators, on the date and for the earliest date."""

from __future__ import annotations

import shutil
from datetime import date
from typing import Any

import polars as pl
import pytest
from rules_support import add_months_by_calendar

from changzhu.rules import evaluate
from changzhu.rules.catalog import POLICY_DIR, PolicySet, load_policy_dir
from changzhu.rules.dates import from_days, to_days

CITY = """
jurisdiction: "330100"
name_zh: 杭州市（测试：整月）
parameters:
  test.points.line:
    unit: points
    values: [{since: 2020-01-01, value: 13, source: "test table: line"}]
services:
  points_settlement:
    source: test table
    rule: {points: test_points}
points_schemes:
  test_points:
    title: {zh: 测试积分, en: test points}
    source: test table
    admission_line: {param: test.points.line}
    indicators:
      - {name: months, kind: per_full_month, variable: residence, points_per_month: 1}
      - {name: years, kind: per_full_year, variable: residence, points_per_year: 100}
"""


@pytest.fixture(scope="module")
def policies(tmp_path_factory: pytest.TempPathFactory) -> PolicySet:
    root = tmp_path_factory.mktemp("policies")
    (root / "jurisdictions").mkdir(parents=True)
    shutil.copytree(POLICY_DIR / "agreements", root / "agreements")
    shutil.copy(POLICY_DIR / "jurisdictions" / "000000.yaml", root / "jurisdictions")
    (root / "jurisdictions" / "330100.yaml").write_text(CITY, encoding="utf-8")
    return load_policy_dir(root)


def _person(pid: int, since: date) -> dict[str, Any]:
    return {
        "person_id": pid,
        "sex": "M",
        "birth_date": date(1990, 1, 1),
        "hukou_region": "340800",
        "residence_region": "330100",
        "residence_since": since,
        "residence_permit_since": None,
        "si_months_local": 0,
        "si_months_total": 0,
        "medical_months_local": 0,
        "prior_region": None,
        "prior_residence_months": 0,
        "prior_si_months": 0,
        "employed": False,
        "education": "bachelor",
        "housing": "rented",
        "income_per_capita_month": 8000.0,
        "parent_id": None,
        "criminal_record": False,
    }


def _oracle_points(since: date, on: date) -> float:
    """Whole months by the calendar oracle: the largest n with since + n months <= on; + 100 per 12 of them."""
    n = 0
    while add_months_by_calendar(to_days(since), n + 1) <= to_days(on):
        n += 1
    return float(n + 100 * (n // 12))


CASES = [
    (date(2024, 1, 31), date(2024, 2, 28), 0.0),  # leap year: a month from Jan 31 ends on Feb 29
    (date(2024, 1, 31), date(2024, 2, 29), 1.0),
    (date(2025, 1, 31), date(2025, 2, 28), 1.0),  # Feb 28 is the last day of a 28-day February
    (date(2025, 1, 31), date(2025, 3, 30), 1.0),  # Mar 30: not yet two months from Jan 31
    (date(2025, 1, 31), date(2025, 3, 31), 2.0),
    (date(2025, 3, 31), date(2025, 4, 30), 1.0),  # April has 30 days
    (date(2023, 5, 31), date(2024, 5, 30), 11.0),  # one day short of a full year
    (date(2023, 5, 31), date(2024, 5, 31), 112.0),  # a full year: 12 months + 100
    (date(2024, 2, 29), date(2025, 2, 28), 112.0),  # from Feb 29, a year ends on Feb 28
    (date(2024, 2, 29), date(2025, 2, 27), 11.0),
]


@pytest.mark.parametrize(("since", "on", "points"), CASES)
def test_full_months_and_years_are_calendar_months(policies: PolicySet, since: date, on: date, points: float) -> None:
    assert _oracle_points(since, on) == points  # the hand count agrees with the calendar oracle
    table = pl.DataFrame([_person(1, since)])
    for compiled in (False, True):
        out = evaluate(table, on, policies=policies, earliest=not compiled, needs=False)
        assert out["points_test_points"][0] == points, compiled


@pytest.mark.parametrize("since", [date(2024, 1, 31), date(2025, 1, 31), date(2025, 5, 31), date(2024, 2, 29)])
def test_the_earliest_date_is_the_day_the_twelfth_month_completes(policies: PolicySet, since: date) -> None:
    on = date(2024, 3, 1) if since.year == 2024 else date(2025, 6, 1)
    out = evaluate(pl.DataFrame([_person(1, since)]), on, policies=policies, needs=False)
    # the line (13) is first reached at 12 whole months (12 + a full year's 100); 11 months score 11
    want = from_days(add_months_by_calendar(to_days(since), 12))
    assert out["earliest_points_settlement"][0] == want
