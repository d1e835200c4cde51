"""Synthetic hukou type (农业/非农业) and county: reproduced totals, households kept together, parameters in
the tree that a scenario can change."""

from __future__ import annotations

from datetime import date

import numpy as np
import polars as pl
import pytest

from changzhu.data.census import census_2020
from changzhu.parameters import Scenario
from changzhu.simulation.errors import SimulationError
from changzhu.simulation.marginals import HUKOU_STATUSES
from changzhu.simulation.synthetic import MIGRANT_STATUS, generate_cities, population_model

AS_OF = date(2025, 9, 1)
FRACTION = 2e-4


@pytest.fixture(scope="module")
def chengdu() -> pl.DataFrame:
    model = population_model()
    return generate_cities(model, [model.codes.index("510100")], FRACTION, seed=5, as_of=AS_OF)


def test_the_country_reproduces_the_non_agricultural_share_of_2020() -> None:
    model = population_model()
    by_area_status = model.cells.sum(axis=(0, 1, 3))
    residents = np.stack(
        [by_area_status[:, ~MIGRANT_STATUS].sum(axis=1), by_area_status[:, MIGRANT_STATUS].sum(axis=1)], axis=1
    )
    expected = float((model.non_agricultural * residents).sum() / residents.sum())
    assert expected == pytest.approx(0.454)  # 户籍人口城镇化率 2020, census communiqué No. 7
    assert model.non_agricultural[0, 0] > model.non_agricultural[0, 1] > model.non_agricultural[1, 0]


def test_hukou_type_follows_urban_rural_and_households_share_it(chengdu: pl.DataFrame) -> None:
    shares = chengdu.group_by("urban").agg((pl.col("hukou_type") == "non_agricultural").mean().alias("share"))
    by_area = dict(shares.iter_rows())
    assert by_area[True] > 0.5 > 0.2 > by_area[False]
    kids = chengdu.filter(pl.col("parent_id").is_not_null()).join(
        chengdu.select(
            pl.col("person_id").alias("parent_id"),
            pl.col("hukou_type").alias("p_type"),
            pl.col("residence_county").alias("p_county"),
        ),
        on="parent_id",
    )
    assert kids.height > 500
    assert (kids["hukou_type"] == kids["p_type"]).all() and (kids["residence_county"] == kids["p_county"]).all()


def test_counties_are_the_prefectures_own_in_census_proportions(chengdu: pl.DataFrame) -> None:
    counties = census_2020().counties.filter(pl.col("prefecture_code") == "510100", pl.col("in_census_2020"))
    assert set(chengdu["residence_county"].unique()) <= set(counties["code"].to_list())
    urban = chengdu.filter(pl.col("urban")).group_by("residence_county").len()
    drawn = dict(urban.iter_rows())
    total = float(counties["pop_urban_2020"].sum())
    n = sum(drawn.values())
    for code, pop in counties.select("code", "pop_urban_2020").iter_rows():
        expected = n * pop / total
        assert abs(drawn.get(code, 0) - expected) < 5 * expected**0.5 + 3  # within sampling error


def test_a_scenario_changes_a_share_and_a_broken_row_is_named() -> None:
    model = population_model()
    city = [model.codes.index("510100")]
    nobody = {f"simulation.share.employed.{s}.{a}": 0.0 for s in HUKOU_STATUSES for a in ("urban", "rural")}
    changed = population_model(Scenario.from_overrides(nobody, "no-jobs"))
    people = generate_cities(changed, city, FRACTION, seed=5, as_of=AS_OF)
    assert not people["employed"].any()
    broken = Scenario.from_overrides({"simulation.share.title.college.none": 0.9}, "broken")
    with pytest.raises(SimulationError, match=r"simulation\.share\.title\.college\.\* sum to 1\.5"):
        population_model(broken)
