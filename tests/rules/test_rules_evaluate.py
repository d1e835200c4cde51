"""evaluate(): bad input is rejected whole; the vectorized result equals person-by-person evaluation."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest
from rules_support import ON, random_people

from changzhu.domain.person import PersonTableError
from changzhu.domain.services import Service
from changzhu.rules import Scenario, ScenarioError, evaluate, load_scenario
from changzhu.rules.examples import load_example


def test_output_has_every_service_and_scheme() -> None:
    out = evaluate(random_people(50, 1), ON)
    for s in Service:
        assert out.schema[f"eligible_{s.value}"] == pl.Boolean
        assert out.schema[f"earliest_{s.value}"] == pl.Date
    assert {"points_shanghai_residence_points", "points_beijing_settlement_points"} <= set(out.columns)
    eligible_now = out.filter(pl.col("eligible_residence_permit"))
    assert (eligible_now["earliest_residence_permit"] == ON).all()
    assert (out.drop_nulls("earliest_residence_permit")["earliest_residence_permit"] >= ON).all()


def test_vectorized_equals_one_person_at_a_time() -> None:
    people = random_people(120, 2)
    together = evaluate(people, ON)
    for i in range(0, 120, 7):
        person = people.slice(i, 1)
        parent_id = person["parent_id"][0]
        table = person if parent_id is None else pl.concat([person, people.filter(pl.col("person_id") == parent_id)])
        table = table.unique("person_id", keep="first", maintain_order=True)
        alone = evaluate(table, ON).filter(pl.col("person_id") == person["person_id"][0])
        expected = together.filter(pl.col("person_id") == person["person_id"][0])
        assert alone.equals(expected), (i, alone, expected)


@pytest.mark.parametrize(
    ("change", "column", "fragment"),
    [
        (lambda df: df.drop("employed"), "employed", "column is missing"),
        (
            lambda df: df.with_columns(pl.col("si_months_total").cast(pl.String).str.replace("^1", "x")),
            "si_months_total",
            "cannot be read as Int32",
        ),
        (
            lambda df: df.with_columns(
                pl.when(pl.col("person_id") == 3)
                .then(pl.lit("129999"))
                .otherwise(pl.col("residence_region"))
                .alias("residence_region")
            ),
            "residence_region",
            "rows 3: unknown region code",
        ),
        (
            lambda df: df.with_columns(
                pl.when(pl.col("person_id") == 4)
                .then(pl.lit(date(2030, 1, 1)))
                .otherwise(pl.col("residence_since"))
                .alias("residence_since")
            ),
            "residence_since",
            "rows 4: date is after the evaluation date",
        ),
        (
            lambda df: df.with_columns(
                pl.when(pl.col("person_id") == 5)
                .then(-3)
                .otherwise(pl.col("medical_months_local"))
                .alias("medical_months_local")
            ),
            "medical_months_local",
            "rows 5: months cannot be negative",
        ),
        (
            lambda df: df.with_columns(
                pl.when(pl.col("person_id") == 9).then(2).otherwise(pl.col("person_id")).alias("person_id")
            ),
            "person_id",
            "rows 2, 9: the same number as another row",
        ),
        (
            lambda df: df.reverse().with_columns(
                pl.when(pl.col("person_id") == 6)
                .then(pl.lit("31x100"))
                .otherwise(pl.col("hukou_region"))
                .alias("hukou_region")
            ),
            "hukou_region",
            "rows 13: not a six-digit GB/T 2260 code",
        ),
    ],
)
def test_bad_input_is_rejected_naming_rows_and_columns(change, column, fragment) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PersonTableError) as info:
        evaluate(change(random_people(20, 3)), ON)
    assert column in str(info.value) and fragment in str(info.value)


def test_scenario_overrides_change_decisions_without_editing_files() -> None:
    family = load_example("shanghai-migrant")[0]
    base = evaluate(family.people, family.on)
    reform = Scenario.from_overrides({"310100": {"shanghai.permit.min_si_months": 4}})
    after = evaluate(family.people, family.on, scenario=reform)
    assert not base.filter(pl.col("person_id") == 2)["eligible_compulsory_schooling"][0]
    assert base.filter(pl.col("person_id") == 2)["earliest_compulsory_schooling"][0] == date(2026, 11, 20)
    assert after.filter(pl.col("person_id") == 2)["earliest_compulsory_schooling"][0] == date(2026, 11, 10)


def test_scenario_files_load_and_apply() -> None:
    people = random_people(200, 4)
    reform = load_scenario("src/changzhu/scenarios/permit_after_3_months.yaml")
    on = date(2027, 6, 1)
    base = evaluate(people, on)
    after = evaluate(people, on, scenario=reform)
    assert after["eligible_residence_permit"].sum() >= base["eligible_residence_permit"].sum()
    assert after["eligible_minimum_living_allowance"].sum() >= base["eligible_minimum_living_allowance"].sum()
    line = load_scenario("src/changzhu/scenarios/shanghai_points_line_100.yaml")
    assert line.overrides[0].jurisdiction == "310100"


def test_bad_scenarios_are_rejected() -> None:
    people = random_people(5, 5)
    with pytest.raises(ScenarioError, match="unknown parameter"):
        evaluate(people, ON, scenario=Scenario.from_overrides({"residence_permit.min_months": 3}))
    with pytest.raises(ScenarioError, match="needs a number"):
        evaluate(people, ON, scenario=Scenario.from_overrides({"residence_permit.min_residence_months": "three"}))
    with pytest.raises(ScenarioError, match="cannot be negative"):
        evaluate(people, ON, scenario=Scenario.from_overrides({"residence_permit.min_residence_months": -1}))


def test_without_earliest_dates_decisions_and_points_are_the_same() -> None:
    people = random_people(400, 6)
    full = evaluate(people, ON)
    fast = evaluate(people, ON, earliest=False)
    assert fast.columns == full.columns
    for s in Service:
        assert fast[f"eligible_{s.value}"].equals(full[f"eligible_{s.value}"]), s
        expected = full.select(pl.when(pl.col(f"eligible_{s.value}")).then(pl.lit(ON)).alias("e"))["e"]
        assert fast[f"earliest_{s.value}"].equals(expected, check_names=False), s
    points = [c for c in full.columns if c.startswith("points_")]
    assert fast.select(points).equals(full.select(points))
    assert full["eligible_residence_permit"].any() and not full["eligible_residence_permit"].all()
