"""Declared inputs, every indicator kind, and unknown-is-not-zero, on a test city (tests/rules/fixtures/330100.yaml).

Expected points are worked out by hand from the fixture's table; the interval engine and the compiled rules must
agree on every decision, undetermined flag and points range, nulls included.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rules_support import ON, random_people

from changzhu.rules import Scenario, evaluate, explain, person_inputs
from changzhu.rules.catalog import POLICY_DIR, PolicySet, load_policy_dir
from changzhu.rules.errors import PolicyError
from changzhu.rules.people import people_from_records

FIXTURE = Path(__file__).parent / "fixtures" / "330100.yaml"
DECLARED = [
    "degree",
    "tax_paid_year",
    "awards",
    "false_material",
    "sanction_date",
    "work_district",
    "spouse_si_months",
    "patents",
]
SETTLE = "points_settlement"
SHANGHAI_PARENT: dict[str, Any] = {
    "person_id": 1, "sex": "F", "birth_date": date(1988, 4, 2), "hukou_region": "340800", "residence_region": "310100",
    "residence_since": date(2019, 3, 1), "residence_permit_since": date(2019, 9, 1), "si_months_local": 30,
    "si_months_total": 96, "medical_months_local": 30, "prior_region": None, "prior_residence_months": 0,
    "prior_si_months": 0, "employed": True, "education": "bachelor", "housing": "rented",
    "income_per_capita_month": 6500.0, "parent_id": None, "criminal_record": False,
    "professional_title": "skill_1_or_senior", "si_base_ratio": 0.9, "admin_detentions": 0,
}  # fmt: skip


def _policy_dir(root: Path, city: str | None = None) -> Path:
    (root / "jurisdictions").mkdir(parents=True)
    shutil.copytree(POLICY_DIR / "agreements", root / "agreements")
    shutil.copy(POLICY_DIR / "jurisdictions" / "000000.yaml", root / "jurisdictions")
    if city is None:
        shutil.copy(FIXTURE, root / "jurisdictions")
    else:
        (root / "jurisdictions" / "330100.yaml").write_text(city, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def policies(tmp_path_factory: pytest.TempPathFactory) -> PolicySet:
    return load_policy_dir(_policy_dir(tmp_path_factory.mktemp("policies")))


def _person(**changes: Any) -> dict[str, Any]:
    """The worked example: 136 points by the fixture's table (see test_each_kind_scores_as_the_table_says)."""
    row: dict[str, Any] = {
        "person_id": 1,
        "sex": "F",
        "birth_date": date(1990, 3, 1),  # 36 on 2026-06-01: age bracket 36–45 → 5
        "hukou_region": "340800",
        "residence_region": "330100",
        "residence_since": date(2020, 6, 1),  # 72 months → 6 full years × 2 = 12
        "residence_permit_since": date(2020, 12, 1),
        "si_months_local": 70,  # 60 × 0.5 + 10 × 1 = 40 (cap 100)
        "si_months_total": 80,
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
        "professional_title": "skill_1_or_senior",  # 40, but only if si_base_ratio >= 1.0: 0.9 → 0
        "si_base_ratio": 0.9,
        "degree": "bachelor",  # bachelor × bachelor → 30
        "tax_paid_year": 45000.0,  # 4 steps × 10 = 40 (cap 50); tiers ≥5000 → 3; ladder (≥100000) → 0
        "awards": ["city_model"],  # 10
        "false_material": False,  # 0
        "sanction_date": date(2022, 1, 15),  # within 5 years: −20
        "work_district": "county",  # 4 × 2 = 8
        "spouse_si_months": 30,  # 2 full years × 1 = 2 (cap 5)
        "patents": 1,  # group: 6 + age 5 = 11 (cap 12)
    }
    row.update(changes)
    return row


def _table(rows: list[dict[str, Any]]) -> pl.DataFrame:
    return pl.DataFrame(
        rows,
        schema_overrides={
            "awards": pl.List(pl.String),
            "spouse_si_months": pl.Int32,
            "patents": pl.Int64,
            "tax_paid_year": pl.Float64,
            "si_base_ratio": pl.Float64,
            "sanction_date": pl.Date,
            "false_material": pl.Boolean,
            "degree": pl.String,
            "work_district": pl.String,
        },
    )


def _line(value: float) -> Scenario:
    return Scenario.from_overrides({"330100": {"test.points.line": value}})


def test_person_inputs_lists_core_columns_then_declared(policies: PolicySet) -> None:
    everything = person_inputs(policies=policies)
    names = [i.name for i in everything]
    assert names[:2] == ["person_id", "sex"] and names[-len(DECLARED) :] == sorted(DECLARED)
    awards = next(i for i in everything if i.name == "awards")
    assert awards.type == "categories" and awards.dtype == pl.List(pl.String) and not awards.core
    assert awards.category_label("national_model", "zh") == "全国劳动模范" and awards.jurisdictions == ("330100",)
    assert [i.name for i in person_inputs("110100", policies=policies) if not i.core] == []
    core = next(i for i in everything if i.name == "education")
    assert core.core and core.label("zh") == "最高学历" and core.category_label("bachelor", "en") == "bachelor's"


def test_each_kind_scores_as_the_table_says(policies: PolicySet) -> None:
    for earliest in (True, False):
        out = evaluate(_table([_person()]), ON, policies=policies, earliest=earliest).row(0, named=True)
        assert out["points_test_points"] == 136.0 and out["points_low_test_points"] == 136.0
        assert out["points_high_test_points"] == 136.0 and out["unassessed_test_points"] is None
        assert out[f"eligible_{SETTLE}"] and not out[f"undetermined_{SETTLE}"]
        assert out["eligible_social_integration"]  # sanction over 3 years ago, bachelor, spouse ≥ 1 year, patents ≠ 3
    base = evaluate(_table([_person(si_base_ratio=1.0)]), ON, policies=policies).row(0, named=True)
    assert base["points_test_points"] == 176.0  # the senior title now counts: +40
    expired = evaluate(_table([_person(sanction_date=date(2021, 6, 2))]), ON, policies=policies).row(0, named=True)
    assert expired["points_test_points"] == 136.0  # 2021-06-02 + 5 years = 2026-06-02: still within on 06-01
    lapsed = evaluate(_table([_person(sanction_date=date(2021, 6, 1))]), ON, policies=policies).row(0, named=True)
    assert lapsed["points_test_points"] == 156.0  # lapsed on 2026-06-01
    more = evaluate(_table([_person(patents=3, tax_paid_year=250000.0)]), ON, policies=policies).row(0, named=True)
    # tax 25 steps → 250 capped at 50 (+10); tiers 8 (+5); ladder 30 (+30); group 18 + 5 capped at 12 (+1)
    assert more["points_test_points"] == 136.0 + 10 + 5 + 30 + 1
    assert not more["eligible_social_integration"]  # patents == 3


def test_false_material_fails_the_rule_and_the_line(policies: PolicySet) -> None:
    out = evaluate(_table([_person(false_material=True)]), ON, policies=policies).row(0, named=True)
    assert out["points_test_points"] == 136.0 - 150 and not out[f"eligible_{SETTLE}"]
    assert not out[f"undetermined_{SETTLE}"]


def test_an_expiring_deduction_gives_the_earliest_date(policies: PolicySet) -> None:
    table = _table([_person(sanction_date=date(2022, 1, 15))])
    out = evaluate(table, ON, policies=policies, scenario=_line(150)).row(0, named=True)
    # 136 now; the −20 lapses on 2027-01-15 (156), before any yearly step adds points
    assert not out[f"eligible_{SETTLE}"] and out[f"earliest_{SETTLE}"] == date(2027, 1, 15)


def test_one_missing_input_per_indicator_is_undetermined_and_named(policies: PolicySet) -> None:
    for line in (136.0, 137.0):  # all known: eligible at 136, not at 137, both certain
        for earliest in (True, False):
            out = evaluate(_table([_person()]), ON, policies=policies, scenario=_line(line), earliest=earliest)
            assert not out[f"undetermined_{SETTLE}"][0] and out[f"eligible_{SETTLE}"][0] == (line == 136.0)
    for name in [*DECLARED, "si_base_ratio"]:
        rows = [_person(person_id=i + 1, **{name: None}) for i in range(2)]
        found = []
        for line in (136.0, 137.0):
            for earliest in (True, False):
                out = evaluate(_table(rows[:1]), ON, policies=policies, scenario=_line(line), earliest=earliest)
                row = out.row(0, named=True)
                if row[f"undetermined_{SETTLE}"]:
                    assert name in row[f"needs_{SETTLE}"], (name, row)
                    assert not row[f"eligible_{SETTLE}"] and row[f"earliest_{SETTLE}"] is None
                    found.append((line, earliest))
        assert {e for _, e in found} == {True, False}, name  # both engines, for the same lines
        assert len(found) % 2 == 0, (name, found)
        line = found[0][0]
        explained = explain(_table(rows[:1]), ON, person_id=1, policies=policies, scenario=_line(line), lang="en")
        settle = next(s for s in explained.services if s.service == SETTLE)
        label = policies.variables[name].label("en")
        assert settle.decision == "undetermined" and label in settle.needs, (name, settle.needs)
        assert label in explained.to_text()
        zh = explain(_table(rows[:1]), ON, person_id=1, policies=policies, scenario=_line(line), lang="zh")
        assert policies.variables[name].label("zh") in next(s for s in zh.services if s.service == SETTLE).needs
        points = explained.points[0]
        assert points.status == "undetermined" and any(i.points is None for i in points.indicators)


def test_explain_names_exactly_the_inputs_evaluate_names(policies: PolicySet) -> None:
    """One person per missing input (every indicator's): explain's needed inputs are evaluate's needs_ and
    unassessed_, with the labels in the caller's language and the range the unassessed indicators span."""
    missing = [*DECLARED, "si_base_ratio", "professional_title"]
    rows = [_person(person_id=i + 1, **{name: None}) for i, name in enumerate(missing)]
    # and two with a missing input that cannot change the decision beside one that can (needs_ names one only)
    rows.append(_person(person_id=len(rows) + 1, awards=None, degree="none", spouse_si_months=None))
    rows.append(_person(person_id=len(rows) + 1, si_base_ratio=None, professional_title="none", tax_paid_year=None))
    table = _table(rows)
    undetermined = set()
    for line, lang in ((136.0, "zh"), (137.0, "en")):
        out = evaluate(table, ON, policies=policies, scenario=_line(line))
        for row in out.iter_rows(named=True):
            got = explain(table, ON, row["person_id"], _line(line), policies=policies, lang=lang, all_services=True)
            assert {s.service for s in got.services} == {c.removeprefix("needs_") for c in out.columns if "needs_" in c}
            for s in got.services:
                assert s.needed_inputs == (row[f"needs_{s.service}"] or []), (row["person_id"], s.service)
                assert s.needs == [policies.variables[n].label(lang) for n in s.needed_inputs]
                assert (s.decision == "undetermined") == row[f"undetermined_{s.service}"]
                if s.needed_inputs and row["person_id"] <= len(missing):
                    undetermined.add(missing[row["person_id"] - 1])
                elif (row["person_id"] - len(missing), s.service) in ((1, "social_integration"), (2, SETTLE)):
                    assert s.needed_inputs == [["awards"], ["tax_paid_year"]][row["person_id"] - len(missing) - 1]
            points = got.points[0]
            open_items = [i for i in points.indicators if i.points is None]
            assert [i.name for i in open_items] == (row["unassessed_test_points"] or [])
            assert all(i.needed_inputs for i in open_items)
            assert points.needed_inputs == sorted({n for i in open_items for n in i.needed_inputs})
            assert (points.low, points.high) == (row["points_low_test_points"], row["points_high_test_points"])
            assert points.total + points.unassessed_low == points.low  # no floor in the fixture
            assert points.total + points.unassessed_high == points.high
    assert undetermined == set(missing) - {"professional_title"}  # the title's 0 points need no base either way


def test_explanation_puts_a_failed_prerequisite_first(policies: PolicySet) -> None:
    table = _table([_person(si_months_local=3, si_months_total=3, employed=False)])
    result = explain(table, ON, person_id=1, policies=policies, lang="en")
    points = result.points[0]
    assert points.prerequisites_met is False and points.status == "prerequisites_not_met"
    text = result.to_text()
    assert text.index("prerequisites") < text.index("points 97.5 (not counting")
    assert "the score below does not count" in text and "assessed points" not in text
    assert "→ a prerequisite is not met" in text
    zh = explain(table, ON, person_id=1, policies=policies, lang="zh").to_text()
    assert "前提条件未满足" in zh and "not met" not in zh


def test_explanation_names_the_input_behind_each_score(policies: PolicySet) -> None:
    result = explain(_table([_person(si_base_ratio=1.2)]), ON, person_id=1, policies=policies, lang="en")
    by_name = {i.name: i for i in result.points[0].indicators}
    assert by_name["education"].points == 30 and "academic degree: bachelor's degree" in by_name["education"].inputs
    assert by_name["ladders"].points == 40  # the title's 40, counted because the base reaches the average
    assert (
        by_name["ladders"].condition == "title: counted because: insurance base at least the average — 1.2 (at least 1)"
    )
    below = explain(_table([_person()]), ON, person_id=1, policies=policies, lang="en").points[0].indicators
    assert next(i for i in below if i.name == "ladders").condition == (
        "title: not counted: insurance base at least the average — 0.9 (at least 1) does not hold"
    )
    unknown = explain(_table([_person(si_base_ratio=None, professional_title="none")]), ON, 1, policies=policies)
    ladders = next(i for i in unknown.points[0].indicators if i.name == "ladders")
    assert ladders.points == 0 and ladders.condition == "title: 社保基数达到平均工资 未知，但不影响本项分数"
    assert by_name["location"].points == 8 and "district of work: county" in by_name["location"].inputs
    title = explain(_table([_person(si_base_ratio=1.2)]), ON, person_id=1, policies=policies, lang="zh")
    assert "县" in " ".join(next(i for i in title.points[0].indicators if i.name == "location").inputs)


def test_far_dates_and_services_of_no_concern_are_not_shown(policies: PolicySet) -> None:
    child = _person(birth_date=date(2021, 1, 1), residence_since=date(2021, 1, 1), si_months_local=0,
                    si_months_total=0, medical_months_local=0, employed=False)  # fmt: skip
    result = explain(_table([child]), ON, person_id=1, policies=policies, lang="en", all_services=True)
    jobs = next(s for s in result.services if s.service == "employment_services")
    assert jobs.earliest is None and jobs.earliest_note == "not within 10 years"  # working age in 11 years
    assert "not within 10 years" in result.to_text() and "2037" not in result.to_text()
    shown = {s.service for s in explain(_table([child]), ON, person_id=1, policies=policies).services}
    assert "employment_services" not in shown and "medical_insurance" in shown
    adult = {s.service for s in explain(_table([_person()]), ON, person_id=1, policies=policies).services}
    assert "compulsory_schooling" not in adult and "local_entrance_exam" not in adult and SETTLE in adult


def test_a_childs_explanation_shows_the_parents_scheme_not_its_own_failed_one() -> None:
    """The 中考 of a Shanghai child rests on the parent's 居住证积分: the child's explanation shows the parent's
    scheme with its prerequisites (read on the parent's row), not the child's own, whose gate the child fails."""
    parent = {**SHANGHAI_PARENT}
    child = {**parent, "person_id": 2, "birth_date": date(2011, 9, 10), "parent_id": 1, "employed": False,
             "si_months_local": 0, "si_months_total": 0, "medical_months_local": 0,
             "residence_permit_since": None}  # fmt: skip
    table = people_from_records([parent, child])
    got = explain(table, ON, person_id=2, lang="en")
    assert [(p.scheme, p.of) for p in got.points] == [("shanghai_residence_points", "parent")]
    assert got.points[0].prerequisites_met is True and all(c.passed for c in got.points[0].prerequisites)
    assert any(c.kind != "group" for c in got.points[0].prerequisites)
    lives = "Person 2 on 2026-06-01: lives in Shanghai (310100); rules: 000000 national → 310100"
    assert got.to_text().startswith(lives)
    # the code after the name in full-width brackets, as every Chinese region label (domain.lang.region_label)
    zh = explain(table, ON, person_id=2, lang="zh").to_text()
    assert zh.startswith("人员 2，2026-06-01：常住 上海市（310100）；"), zh
    everything = explain(table, ON, person_id=2, lang="en", all_services=True)
    assert ("shanghai_residence_points", "self") in [(p.scheme, p.of) for p in everything.points]


def _random_table(n: int, seed: int, null_share: float) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    people = random_people(n, seed)
    residence = np.where(rng.random(n) < 0.7, "330100", people["residence_region"].to_numpy())
    people = people.with_columns(pl.Series("residence_region", residence))

    def maybe(values: list[Any]) -> list[Any]:
        return [None if rng.random() < null_share else v for v in values]

    sets = [[c for c in ("city_model", "national_model") if rng.random() < 0.3] for _ in range(n)]
    days = rng.integers(0, 9 * 365, n)
    return people.with_columns(
        pl.Series("degree", maybe(rng.choice(["none", "bachelor", "master"], n).tolist())),
        pl.Series("tax_paid_year", maybe(rng.gamma(1.5, 30000, n).tolist()), dtype=pl.Float64),
        pl.Series("awards", maybe(sets), dtype=pl.List(pl.String)),
        pl.Series("false_material", maybe((rng.random(n) < 0.1).tolist()), dtype=pl.Boolean),
        pl.Series("sanction_date", maybe([date(2017, 6, 1).toordinal() + int(d) for d in days])).map_elements(
            date.fromordinal, return_dtype=pl.Date
        ),
        pl.Series("work_district", maybe(rng.choice(["core", "suburb", "county"], n).tolist())),
        pl.Series("spouse_si_months", maybe(rng.integers(0, 100, n).tolist()), dtype=pl.Int32),
        pl.Series("patents", maybe(rng.integers(0, 4, n).tolist()), dtype=pl.Int64),
        pl.Series("si_base_ratio", maybe(rng.gamma(4.0, 0.3, n).tolist()), dtype=pl.Float64),
    )


@pytest.mark.parametrize("seed", [1, 2])
def test_interval_engine_and_compiled_rules_agree_with_nulls(policies: PolicySet, seed: int) -> None:
    table = _random_table(400, seed, null_share=0.25)
    for scenario in (None, _line(60.0)):
        full = evaluate(table, ON, policies=policies, scenario=scenario)
        fast = evaluate(table, ON, policies=policies, scenario=scenario, earliest=False)
        assert full.columns == fast.columns
        for column in full.columns:
            if column.startswith("earliest_"):
                eligible = full[column.replace("earliest_", "eligible_")]
                assert (fast[column].is_not_null() == eligible).all(), column
                continue
            assert full[column].equals(fast[column]), column
        assert full[f"undetermined_{SETTLE}"].sum() > 0 and full[f"eligible_{SETTLE}"].sum() > 0


OPTIONAL_CORE = ["si_base_ratio", "professional_title", "admin_detentions"]


# The lines are those the other tests of this module use (low; the worked example's 136 points; one above it): each
# line is a parameter set the compiled rules compile once, so new lines would cost a compile of the whole chain and
# add no case the random tables do not already reach.
@settings(max_examples=12, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    which=st.integers(0, len(DECLARED) + len(OPTIONAL_CORE) - 1),
    line=st.sampled_from([60.0, 136.0, 137.0]),
)
def test_removing_an_input_never_makes_a_decision_certain(
    policies: PolicySet, seed: int, which: int, line: float
) -> None:
    """A decision that is certain without an input is the same with it; one undetermined with it stays so."""
    name = [*DECLARED, *OPTIONAL_CORE][which]
    known = _random_table(1, seed, null_share=0.0).with_columns(pl.lit("330100").alias("residence_region"))
    removed = known.with_columns(pl.lit(None, dtype=known[name].dtype).alias(name), pl.lit(2).alias("person_id"))
    both = pl.concat([known.with_columns(pl.lit(1).alias("person_id")), removed]).with_columns(
        pl.lit(None, dtype=pl.Int64).alias("parent_id")
    )
    for earliest in (True, False):
        out = evaluate(both, ON, policies=policies, scenario=_line(line), earliest=earliest)
        for service in [c.removeprefix("undetermined_") for c in out.columns if c.startswith("undetermined_")]:
            with_it, without = out.row(0, named=True), out.row(1, named=True)
            if not without[f"undetermined_{service}"]:
                assert not with_it[f"undetermined_{service}"], (service, name)
                assert with_it[f"eligible_{service}"] == without[f"eligible_{service}"], (service, name)
            if with_it[f"undetermined_{service}"]:
                assert without[f"undetermined_{service}"], (service, name)
        lo, hi = out["points_low_test_points"].to_list(), out["points_high_test_points"].to_list()
        assert lo[1] <= lo[0] <= hi[0] <= hi[1]


def test_bad_declared_values_name_row_and_column(policies: PolicySet) -> None:
    from changzhu.domain.person import PersonTableError

    bad = _table([_person(), _person(person_id=2, degree="phd", spouse_si_months=-1)])
    with pytest.raises(PersonTableError) as caught:
        evaluate(bad, ON, policies=policies)
    text = str(caught.value)
    assert "'degree' rows 1" in text and "phd" in text and "'spouse_si_months' rows 1" in text


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("    type: months\n", "    type: text\n", "type 'text' is not one of"),
        ("    type: months\n", "    type: category\n", "needs categories"),
        ("    example: 36\n", "    example: -3\n", "example -3 is not a valid months value"),
        ("  patents:\n", "  education:\n", "'education' is a core column"),
    ],
)
def test_bad_input_declarations_are_named(tmp_path: Path, old: str, new: str, message: str) -> None:
    text = FIXTURE.read_text(encoding="utf-8").replace(old, new, 1)
    with pytest.raises(PolicyError, match=message):
        load_policy_dir(_policy_dir(tmp_path, text))


def test_an_undeclared_input_is_refused(tmp_path: Path) -> None:
    text = FIXTURE.read_text(encoding="utf-8").replace(
        "variable: patents, points_per_event", "variable: gadgets, points_per_event"
    )
    with pytest.raises(PolicyError, match="unknown variable 'gadgets'"):
        load_policy_dir(_policy_dir(tmp_path, text))


def _with_sanction_years(text: str, unit: str = "years") -> str:
    """The fixture with the sanction's five years as a parameter, read through `within: {years: {param: ...}}`."""
    text = text.replace(
        "  test.points.tax_step:\n",
        f"  test.sanction_years:\n    unit: {unit}\n"
        '    values: [{since: 2020-01-01, value: 5, source: "test table: item 5"}]\n'
        "  test.points.tax_step:\n",
        1,
    )
    return text.replace(
        "within: {date: sanction_date, years: 5}", "within: {date: sanction_date, years: {param: test.sanction_years}}"
    ).replace("op: not_within, years: 3", "op: not_within, years: {param: test.sanction_years}")


def test_within_reads_years_from_a_parameter(tmp_path: Path) -> None:
    text = _with_sanction_years(FIXTURE.read_text(encoding="utf-8"))
    assert "years: {param: test.sanction_years}" in text
    with_param = load_policy_dir(_policy_dir(tmp_path, text))
    for earliest in (True, False):
        out = evaluate(_table([_person()]), ON, policies=with_param, earliest=earliest).row(0, named=True)
        assert out["points_test_points"] == 136.0  # the sanction of 2022-01-15 is within five years: −20
        assert not out["eligible_social_integration"]  # and within five years (the not_within condition fails)
        shorter = Scenario.from_overrides({"330100": {"test.sanction_years": 4}})
        out = evaluate(_table([_person()]), ON, scenario=shorter, policies=with_param, earliest=earliest).row(
            0, named=True
        )
        assert out["points_test_points"] == 156.0  # four years: lapsed on 2026-01-15
        assert out["eligible_social_integration"]


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("years: {param: test.sanction_years}}", "years: {param: test.sanction_years, x: 1}}", "unknown field"),
        ("years: {param: test.sanction_years}}", "years: five}", "expected a number or"),
        ("years: {param: test.sanction_years}}", "years: {param: test.nothing}}", "'test.nothing' is not defined"),
        ("    unit: years\n", "    unit: months\n", "is in months"),
    ],
)
def test_a_bad_duration_parameter_is_named(tmp_path: Path, old: str, new: str, message: str) -> None:
    text = _with_sanction_years(FIXTURE.read_text(encoding="utf-8")).replace(old, new, 1)
    with pytest.raises(PolicyError, match=message):
        load_policy_dir(_policy_dir(tmp_path, text))


@pytest.mark.parametrize(
    ("grows", "employed", "earliest"),
    [
        (None, True, date(2026, 12, 1)),  # default while_positive: 6 months now, 12 on 2026-12-01
        ("while_positive", False, date(2026, 12, 1)),
        ("employed", True, date(2026, 12, 1)),
        ("employed", False, None),
        ("never", True, None),
    ],
)
def test_a_months_input_grows_as_declared(tmp_path: Path, grows: str | None, employed: bool, earliest: date) -> None:
    text = FIXTURE.read_text(encoding="utf-8")
    if grows is not None:
        text = text.replace("    source: test table, item 7\n", f"    source: test table, item 7\n    grows: {grows}\n")
    city = load_policy_dir(_policy_dir(tmp_path, text))
    out = evaluate(_table([_person(spouse_si_months=6, employed=employed)]), ON, policies=city).row(0, named=True)
    assert not out["eligible_social_integration"] and not out["undetermined_social_integration"]
    assert out["earliest_social_integration"] == earliest  # spouse's insurance ≥ 1 year is what is missing
    unknown = evaluate(_table([_person(spouse_si_months=None)]), ON, policies=city).row(0, named=True)
    assert unknown["undetermined_social_integration"] and unknown["needs_social_integration"] == ["spouse_si_months"]


@pytest.mark.parametrize(
    ("entry", "message"),
    [("    grows: sometimes\n", "grows 'sometimes' is not one of"), ("    grows: never\n", "only for months inputs")],
)
def test_a_bad_grows_is_named(tmp_path: Path, entry: str, message: str) -> None:
    item = "item 7" if "sometimes" in entry else "item 2"
    text = FIXTURE.read_text(encoding="utf-8").replace(
        f"    source: test table, {item}\n", f"    source: test table, {item}\n{entry}", 1
    )
    with pytest.raises(PolicyError, match=message):
        load_policy_dir(_policy_dir(tmp_path, text))


@pytest.mark.parametrize(
    ("service", "changes", "line", "needed"),
    [
        # any_of(awards, all_of(..., degree in [bachelor, master], spouse ≥ 1 year, ...)): the degree is known to
        # fail the all_of, so the spouse's months cannot change the decision; only the awards can
        ("social_integration", {"awards": None, "degree": "none", "spouse_si_months": None}, 140, ["awards"]),
        # the same with the degree met: the spouse's months are needed too
        (
            "social_integration",
            {"awards": None, "spouse_si_months": None, "sanction_date": None},
            140,
            ["awards", "sanction_date", "spouse_si_months"],
        ),
        # the title counts only if the base reaches the average, but the person has no title: the title indicator
        # is 0 whatever the base, so the base is not needed (the tax paid is, through three indicators)
        (SETTLE, {"si_base_ratio": None, "professional_title": "none", "tax_paid_year": None}, 140, ["tax_paid_year"]),
        # with a senior title the base decides whether 40 points count: needed
        (SETTLE, {"si_base_ratio": None, "tax_paid_year": None}, 140, ["si_base_ratio", "tax_paid_year"]),
        # the ladders: a known title of 40 points (base 1.2) is above anything the tax ladder gives (30), so the
        # ladder is assessed; the tax paid is still needed, by the tax and tax_tiers indicators
        (SETTLE, {"si_base_ratio": 1.2, "tax_paid_year": None}, 180, ["tax_paid_year"]),
        # the capped group (patents + age 5, cap 12) and the district multiplier of a 4-point item: both open
        (SETTLE, {"patents": None, "work_district": None}, 130, ["patents", "work_district"]),
    ],
)
def test_needs_names_only_inputs_that_could_change_the_decision(
    policies: PolicySet, service: str, changes: dict[str, Any], line: float, needed: list[str]
) -> None:
    for earliest in (True, False):  # both evaluators
        out = evaluate(_table([_person(**changes)]), ON, policies=policies, scenario=_line(line), earliest=earliest)
        row = out.row(0, named=True)
        assert row[f"undetermined_{service}"], (earliest, row)
        assert row[f"needs_{service}"] == needed, (earliest, row[f"needs_{service}"])


def test_unassessed_names_only_open_indicators(policies: PolicySet) -> None:
    """No title: the title's condition on the base cannot change its 0 points, so the ladders are assessed."""
    person = _person(si_base_ratio=None, professional_title="none", awards=None)
    for earliest in (True, False):
        row = evaluate(_table([person]), ON, policies=policies, scenario=_line(140), earliest=earliest).row(
            0, named=True
        )
        assert row["unassessed_test_points"] == ["awards"], (earliest, row["unassessed_test_points"])
        with_title = evaluate(
            _table([_person(si_base_ratio=None, awards=None)]), ON, policies=policies, scenario=_line(140)
        ).row(0, named=True)
        assert with_title["unassessed_test_points"] == ["ladders", "awards"]


def test_a_scheme_title_is_a_label_in_both_languages(policies: PolicySet, tmp_path: Path) -> None:
    for lang, title in (("zh", "测试积分"), ("en", "test points")):
        explained = explain(_table([_person()]), ON, person_id=1, policies=policies, lang=lang)
        assert [p.title for p in explained.points] == [title]
    bad = FIXTURE.read_text(encoding="utf-8").replace(
        "title: {zh: 测试积分, en: test points}", "title: {zh: 测试, fr: x}"
    )
    with pytest.raises(PolicyError, match="title: label has unknown language"):
        load_policy_dir(_policy_dir(tmp_path, bad))


def test_a_scheme_total_has_a_floor(tmp_path: Path) -> None:
    text = FIXTURE.read_text(encoding="utf-8").replace(
        "    admission_line: {param: test.points.line}\n",
        "    admission_line: {param: test.points.line}\n    min: 0\n",
        1,
    )
    floored = load_policy_dir(_policy_dir(tmp_path, text))
    for earliest in (True, False):  # both evaluators
        row = evaluate(_table([_person(false_material=True)]), ON, policies=floored, earliest=earliest).row(
            0, named=True
        )
        assert row["points_test_points"] == 0.0  # 136 − 150 = −14, floored at 0
        open_row = evaluate(
            _table([_person(false_material=True, tax_paid_year=None)]), ON, policies=floored, earliest=earliest
        ).row(0, named=True)
        # without the tax items (40 + 3 + ladder 0..30 + tiers 0..8 + tax 0..50): −57 … 31 → 0 … 31
        assert (open_row["points_low_test_points"], open_row["points_high_test_points"]) == (0.0, 31.0)
        kept = evaluate(_table([_person()]), ON, policies=floored, earliest=earliest).row(0, named=True)
        assert kept["points_test_points"] == 136.0  # above the floor: unchanged
