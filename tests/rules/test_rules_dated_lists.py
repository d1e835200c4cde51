"""Dated lists (a `dates` input, one date per occurrence) on a test city (tests/rules/fixtures/dated_lists.yaml).

Expected points and earliest dates are worked out by hand from the fixture's table; the compiled rules must agree
with the interval engine on every decision and points range, and the interval engine's earliest dates must be the
first day on which a decision taken on that day alone finds the person eligible.
"""

from __future__ import annotations

import calendar
import random
import shutil
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
import pytest
from rules_support import ON, add_months_by_calendar

from changzhu.domain.person import PersonTableError
from changzhu.rules import evaluate
from changzhu.rules.catalog import POLICY_DIR, PolicySet, load_policy_dir
from changzhu.rules.dated_lists import count_on, dates_matrix, expiries
from changzhu.rules.dates import to_days
from changzhu.rules.errors import PolicyError

FIXTURE = Path(__file__).parent / "fixtures" / "dated_lists.yaml"
SETTLE, SOCIAL, SCHEME = "points_settlement", "social_integration", "test_points"


def _policy_dir(root: Path, city: str) -> Path:
    (root / "jurisdictions").mkdir(parents=True)
    shutil.copytree(POLICY_DIR / "agreements", root / "agreements")
    shutil.copy(POLICY_DIR / "jurisdictions" / "000000.yaml", root / "jurisdictions")
    (root / "jurisdictions" / "330100.yaml").write_text(city, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def policies(tmp_path_factory: pytest.TempPathFactory) -> PolicySet:
    return load_policy_dir(_policy_dir(tmp_path_factory.mktemp("policies"), FIXTURE.read_text(encoding="utf-8")))


def _person(pid: int, **changes: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "person_id": pid,
        "sex": "F",
        "birth_date": date(1990, 3, 1),
        "hukou_region": "340800",
        "residence_region": "330100",
        "residence_since": date(2020, 6, 1),
        "residence_permit_since": date(2020, 12, 1),
        "si_months_local": 120,  # 120 points, one more a month while employed
        "si_months_total": 130,
        "medical_months_local": 70,
        "prior_region": None,
        "prior_residence_months": 0,
        "prior_si_months": 0,
        "employed": True,
        "education": "bachelor",
        "housing": "rented",
        "income_per_capita_month": 8000.0,
        "parent_id": None,
        "criminal_record": False,
        "false_material_dates": [],
        "award_dates": [],
    }
    row.update(changes)
    return row


def _table(rows: list[dict[str, Any]]) -> pl.DataFrame:
    lists = {"false_material_dates": pl.List(pl.Date), "award_dates": pl.List(pl.Date)}
    return pl.DataFrame(rows, schema_overrides=lists)


D = date
CASES = [
    # (changes, points, low, high, eligible, undetermined, earliest settlement)
    ({}, 120.0, 120.0, 120.0, True, False, ON),
    # unknown list: assessed 120; at worst two findings count: 120 − 300
    ({"false_material_dates": None}, 120.0, -180.0, 120.0, False, True, None),
    # one finding within five years: 120 − 150 = −30; it ages out on 2027-01-15, when insurance is at 127 months
    ({"false_material_dates": [D(2022, 1, 15)]}, -30.0, -30.0, -30.0, False, False, D(2027, 1, 15)),
    # two findings: −300; the first ages out in 2027 (−150 + 127 < 100), the second on 2030-07-01 (120 + 49 = 169)
    ({"false_material_dates": [D(2022, 1, 15), D(2025, 7, 1)]}, -180.0, -180.0, -180.0, False, False, D(2030, 7, 1)),
    # 2021-06-01 aged out on 2026-06-01 itself; three within five years, two counted (max_count): −300. Fewer than two
    # in two years holds (2024-01-01 aged out of two years on 2026-01-01). The 2024 finding ages out on 2029-01-01
    # (−150 + 151 = 1), the last on 2030-01-01 (120 + 43 = 163)
    (
        {"false_material_dates": [D(2021, 6, 2), D(2021, 6, 1), D(2025, 1, 1), D(2024, 1, 1)]},
        -180.0,
        -180.0,
        -180.0,
        False,
        False,
        D(2030, 1, 1),
    ),
    # two findings in the last two years: the condition fails until 2027-01-01; the points reach 100 when both have
    # aged out of five years, on 2030-07-01 (120 + 49 = 169)
    ({"false_material_dates": [D(2025, 1, 1), D(2025, 7, 1)]}, -180.0, -180.0, -180.0, False, False, D(2030, 7, 1)),
    # awards: 2023-06-02 counts until 2026-06-01 inclusive (+30); 2023-06-01 lapsed on 2026-06-01
    ({"award_dates": [D(2023, 6, 2), D(2023, 6, 1)]}, 150.0, 150.0, 150.0, True, False, ON),
]


@pytest.mark.parametrize("case", range(len(CASES)))
def test_points_and_decisions_as_the_table_says(policies: PolicySet, case: int) -> None:
    changes, points, low, high, eligible, undetermined, earliest = CASES[case]
    for compiled in (False, True):
        out = evaluate(_table([_person(1, **changes)]), ON, policies=policies, earliest=not compiled).row(0, named=True)
        assert (out[f"points_{SCHEME}"], out[f"points_low_{SCHEME}"], out[f"points_high_{SCHEME}"]) == (
            points,
            low,
            high,
        )
        assert (out[f"eligible_{SETTLE}"], out[f"undetermined_{SETTLE}"]) == (eligible, undetermined)
        if not compiled:
            assert out[f"earliest_{SETTLE}"] == earliest
    if undetermined:
        out = evaluate(_table([_person(1, **changes)]), ON, policies=policies).row(0, named=True)
        assert out[f"needs_{SETTLE}"] == ["false_material_dates"]


def test_an_award_after_the_date_counts_from_its_day(policies: PolicySet) -> None:
    rows = [_person(1, award_dates=[D(2027, 1, 1)]), _person(2, award_dates=[D(2024, 1, 1)]), _person(3)]
    out = evaluate(_table(rows), ON, policies=policies).sort("person_id")
    assert out[f"eligible_{SOCIAL}"].to_list() == [False, True, False]
    assert out[f"earliest_{SOCIAL}"].to_list() == [D(2027, 1, 1), ON, None]
    assert out[f"points_{SCHEME}"].to_list() == [120.0, 150.0, 120.0]


def _random_lists(rng: random.Random, n: int) -> list[list[date] | None]:
    out: list[list[date] | None] = []
    for _ in range(n):
        r = rng.random()
        if r < 0.15:
            out.append(None)
        else:
            k = 0 if r < 0.35 else rng.randint(1, 4)
            out.append([D(2019, 1, 1) + timedelta(days=rng.randint(0, 3300)) for _ in range(k)])
    return out


def _random_people(seed: int, n: int, employed: bool) -> pl.DataFrame:
    rng = random.Random(seed)
    findings, awards = _random_lists(rng, n), _random_lists(rng, n)
    rows = []
    for i in range(n):
        changes = {"false_material_dates": findings[i], "award_dates": awards[i], "employed": employed}
        rows.append(_person(i + 1, si_months_local=rng.randint(90, 130), **changes))
    return _table(rows)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_compiled_rules_agree_with_the_interval_engine(policies: PolicySet, seed: int) -> None:
    people = _random_people(seed, 300, employed=seed != 2)
    columns = [
        f"{prefix}_{name}"
        for prefix, name in [
            *((p, s) for p in ("eligible", "undetermined") for s in (SETTLE, SOCIAL)),
            *((p, SCHEME) for p in ("points", "points_low", "points_high")),
        ]
    ]
    engine = evaluate(people, ON, policies=policies).sort("person_id").select(columns)
    compiled = evaluate(people, ON, policies=policies, earliest=False).sort("person_id").select(columns)
    assert engine.equals(compiled)
    assert engine[f"undetermined_{SETTLE}"].any() and engine[f"eligible_{SETTLE}"].any()


def test_earliest_dates_are_the_first_day_a_decision_on_that_day_finds(policies: PolicySet) -> None:
    """Insurance does not grow (not employed): the decisions change only on the day a date arrives or ages out of
    a window (five years, two years, 36 months, three years), so deciding on each of those days is a complete
    oracle."""
    people = _random_people(7, 15, employed=False)
    first = evaluate(people, ON, policies=policies).sort("person_id")
    days = {ON}
    for column in ("false_material_dates", "award_dates"):
        for listed in people[column].to_list():
            for d in listed or []:
                for months in (0, 24, 36, 60):
                    day = add_months_by_calendar(to_days(d), months)
                    if day > to_days(ON):
                        days.add(D(1970, 1, 1) + timedelta(days=day))
    eligible_on = {day: evaluate(people, day, policies=policies, needs=False).sort("person_id") for day in sorted(days)}
    for service in (SETTLE, SOCIAL):
        for i in range(people.height):
            if first[f"undetermined_{service}"][i]:
                continue
            found = next((d for d in sorted(days) if eligible_on[d][f"eligible_{service}"][i]), None)
            assert first[f"earliest_{service}"][i] == found, (service, people.row(i, named=True))


@pytest.mark.parametrize("seed", range(5))
def test_counts_within_a_window_follow_the_calendar(seed: int) -> None:
    rng = random.Random(seed)

    def month_end_heavy() -> date:  # the 28th to the 31st often: where adding months clips the day
        year, month = rng.randint(2019, 2021), rng.randint(1, 12)
        last = calendar.monthrange(year, month)[1]
        return D(year, month, min(last, rng.choice([1, 15, 28, 29, 30, 31])))

    lists = [[month_end_heavy() for _ in range(rng.randint(0, 3))] if rng.random() < 0.9 else None for _ in range(40)]
    matrix, listed = dates_matrix(pl.Series(lists, dtype=pl.List(pl.Date)))
    months = rng.choice([1, 12, 13, 60])
    day = to_days(D(2020, 1, 1)) + rng.randint(0, 1200)
    got = count_on(matrix, expiries(matrix, months), day)
    for i, ls in enumerate(lists):
        assert listed[i] == (-1 if ls is None else len(ls))
        want = sum(to_days(d) <= day < add_months_by_calendar(to_days(d), months) for d in ls or [])
        assert got[i] == want


def test_a_day_of_a_month_the_target_month_lacks_ages_out_on_its_last_day() -> None:
    matrix, _ = dates_matrix(pl.Series([[D(2024, 1, 31)], [D(2024, 2, 29)]], dtype=pl.List(pl.Date)))
    ends = expiries(matrix, 1)
    assert [D(1970, 1, 1) + timedelta(days=int(e)) for e in ends[:, 0]] == [D(2024, 2, 29), D(2024, 3, 29)]
    assert count_on(matrix, ends, to_days(D(2024, 2, 28))).tolist() == [1, 0]  # the second is not yet
    assert count_on(matrix, ends, to_days(D(2024, 2, 29))).tolist() == [0, 1]
    assert np.array_equal(count_on(matrix, ends, np.array([to_days(D(2024, 3, 28)), to_days(D(2024, 3, 29))])), [0, 0])


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ("{variable: award_dates, op: within}", "give one"),
        ('{variable: award_dates, op: ">=", years: 2}', "give the count as value: or param:"),
        ("{variable: award_dates, op: within, years: 2, value: 1}", "counts any date in the window"),
        ("{variable: award_dates, op: contains, value: 1, years: 2}", "op must be one of"),
    ],
)
def test_a_wrong_dates_condition_is_refused(tmp_path: Path, rule: str, message: str) -> None:
    old = (
        "rule: {variable: award_dates, op: within, years: 3, label: {zh: 近3年获奖, en: an award in the last three "
        "years}}"
    )
    city = FIXTURE.read_text(encoding="utf-8").replace(old, f"rule: {rule}")
    with pytest.raises(PolicyError, match=message):
        load_policy_dir(_policy_dir(tmp_path, city))


def test_per_occurrence_reads_a_dates_input(tmp_path: Path) -> None:
    city = FIXTURE.read_text(encoding="utf-8").replace(
        "variable: award_dates, months: 36", "variable: si_local, months: 36"
    )
    with pytest.raises(PolicyError, match="per_occurrence reads a dates variable"):
        load_policy_dir(_policy_dir(tmp_path, city))


def test_lists_of_iso_texts_are_read_as_dates_and_a_bad_one_is_named(policies: PolicySet) -> None:
    """As an API request sends them (JSON has no dates)."""
    rows = [_person(1, false_material_dates=["2022-01-15"]), _person(2, false_material_dates=[])]
    texts = pl.DataFrame(rows, schema_overrides={"false_material_dates": pl.List(pl.String)}).drop("award_dates")
    out = evaluate(texts, ON, policies=policies).sort("person_id")
    assert out[f"points_{SCHEME}"].to_list() == [-30.0, 120.0]
    bad = texts.with_columns(pl.Series("false_material_dates", [["2022-01-15"], ["2022-02-30"]]))
    with pytest.raises(PersonTableError, match=r"column 'false_material_dates' rows 1: not a list of ISO dates"):
        evaluate(bad, ON, policies=policies)


def test_explain_shows_the_dates_behind_a_per_occurrence_item(policies: PolicySet) -> None:
    """The caseworker sees each finding's date (one aged out, one counted), not only how many are on record; an
    unknown list is said to be unknown."""
    from changzhu.rules import explain

    rows = [_person(1, false_material_dates=[D(2025, 7, 1), D(2021, 6, 1)]), _person(2, false_material_dates=None)]
    for lang, label, listed, unknown in (
        ("zh", "提供虚假材料被认定的日期：", "2021-06-01、2025-07-01", "未评定（缺少：提供虚假材料被认定的日期）"),
        ("en", "dates false material was found: ", "2021-06-01, 2025-07-01", "not assessed (missing: dates false"),
    ):
        assert label + listed in explain(_table(rows), ON, person_id=1, policies=policies, lang=lang).to_text()
        assert unknown in explain(_table(rows), ON, person_id=2, policies=policies, lang=lang).to_text()


@pytest.mark.parametrize("seed", range(3))
def test_counting_the_listed_dates_equals_ageing_out_the_whole_matrix(seed: int) -> None:
    """count_within (what kernels read) reads only the listed dates; it agrees with count_on over every row."""
    from changzhu.rules.dated_lists import count_within

    rng = random.Random(seed)
    matrix, _ = dates_matrix(pl.Series(_random_lists(rng, 300), dtype=pl.List(pl.Date)))
    for months in (1, 24, 60):
        on = to_days(ON) + rng.randint(-400, 400)
        assert count_within(matrix, months, on).tolist() == count_on(matrix, expiries(matrix, months), on).tolist()
