"""随迁子女义务教育 counts children registered in another county or province; every eligible child is counted in a
row of its own (`changzhu.simulation.hukou_place`)."""

from __future__ import annotations

from datetime import date

import polars as pl

from changzhu.report.labels import service_name
from changzhu.report.lang import Lang
from changzhu.simulation.aggregate import count_chunk, estimates
from changzhu.simulation.costs import PlaceCost, ServiceCost
from changzhu.simulation.evaluators import rules_evaluator
from changzhu.simulation.synthetic import generate_cities, population_model

ON = date(2025, 9, 1)
SCHOOL = "compulsory_schooling"
ANY = "compulsory_schooling_any_hukou"
COSTS = {SCHOOL: ServiceCost(SCHOOL, (PlaceCost(6, 15, 10_000, "test"),))}


def _row(counts: pl.DataFrame, service: str) -> dict[str, int]:
    return counts.filter(pl.col("service") == service).row(0, named=True)


def test_local_children_are_not_counted_as_migrant_children() -> None:
    """Five eligible children in Shanghai: two registered here (one in another township of the county), one in
    another province, one in another county of the province, one whose hukou place is unknown."""
    statuses = ["local", "same_county", "other_province", "other_county_same_province", None]
    people = pl.DataFrame(
        {
            "person_id": [1, 2, 3, 4, 5],
            "residence_region": ["310100"] * 5,
            "hukou_region": ["310100", "310100", "410100", "310100", None],
            "hukou_status": statuses,
            "birth_date": [date(2016, 1, 1)] * 5,
        }
    )
    decided = pl.DataFrame({"person_id": [1, 2, 3, 4, 5], f"eligible_{SCHOOL}": [True] * 5})
    counts = count_chunk(people, ON, "baseline", decided, decided, COSTS)
    migrant = _row(counts, SCHOOL)
    assert migrant["eligible"] == 2  # persons 3 and 4: registered in another province or county
    assert migrant["undetermined"] == 1  # person 5: hukou place unknown, never counted as local
    assert migrant["demand"] == 2 and migrant["cost_yuan"] == 20_000
    every = _row(counts, ANY)
    assert every["eligible"] == 5 and every["undetermined"] == 0 and every["cost_yuan"] == 50_000
    estimated = estimates(counts, 0.5, {"310100": "310000"}, {SCHOOL})
    assert estimated.filter(pl.col("service") == ANY)["cost_yuan"].to_list() == [100_000.0]  # priced as its service


def test_an_undetermined_decision_of_a_local_child_is_not_an_undetermined_migrant_child() -> None:
    people = pl.DataFrame(
        {
            "person_id": [1, 2],
            "residence_region": ["310100"] * 2,
            "hukou_status": ["local", "other_province"],
            "birth_date": [date(2016, 1, 1)] * 2,
        }
    )
    decided = pl.DataFrame(
        {"person_id": [1, 2], f"eligible_{SCHOOL}": [None, None]}, schema_overrides={f"eligible_{SCHOOL}": pl.Boolean}
    )
    counts = count_chunk(people, ON, "baseline", decided, decided, {})
    assert _row(counts, SCHOOL)["undetermined"] == 1  # the migrant child only
    assert _row(counts, ANY)["undetermined"] == 2


def test_the_rules_count_of_a_city_splits_into_migrant_and_local_children() -> None:
    """A small synthetic Beijing under the real rules: the 随迁子女 row is the eligible children registered in another
    county or province, fewer than every eligible child."""
    model = population_model()
    people = generate_cities(model, [model.codes.index("110100")], 3e-4, 7, ON)
    decided = rules_evaluator((SCHOOL,))(people, ON, None)
    counts = count_chunk(people, ON, "baseline", decided, decided, {})
    eligible = decided[f"eligible_{SCHOOL}"].fill_null(False)
    away = people["hukou_status"].cast(pl.String).is_in(["other_county_same_province", "other_province"])
    assert _row(counts, SCHOOL)["eligible"] == (eligible & away).sum() > 0
    assert _row(counts, ANY)["eligible"] == eligible.sum() > (eligible & away).sum()


def test_the_rows_are_named_for_what_they_count() -> None:
    assert service_name(SCHOOL, Lang.ZH) == "随迁子女义务教育"
    assert service_name(ANY, Lang.ZH) == "义务教育（不论户籍）"
    assert service_name(ANY, Lang.EN) == "Compulsory schooling, any hukou"
