"""The 低保 means test of the synthetic population: area standard, asset test, take-up, and the rules agreeing."""

from __future__ import annotations

from datetime import date

import numpy as np
import polars as pl
import pytest

from changzhu.simulation.means_test import (
    DibaoModel,
    dibao_model,
    means_for_rules,
    money_assets,
    passes,
    takes_up,
)

MODEL = DibaoModel(700.0, 500.0, 24.0, 24.7, 1.18, 1.0, 0.5)


def _people(n: int = 20_000) -> pl.DataFrame:
    rng = np.random.default_rng(7)
    return pl.DataFrame(
        {
            "person_id": np.arange(n, dtype=np.int64),
            "parent_id": pl.Series([None] * n, dtype=pl.Int64),
            "urban": rng.random(n) < 0.6,
            "income_per_capita_month": rng.uniform(100.0, 1_500.0, n),
        }
    )


def test_parameters_are_dated_and_in_force_on_the_census_date() -> None:
    model = dibao_model(date(2020, 11, 1))
    assert model.urban_standard == pytest.approx(677.6) and model.rural_standard == pytest.approx(5_962 / 12, abs=0.1)
    assert 0 < model.takeup_rural < 1 and model.takeup_urban <= 1
    assert model.asset_limit_months > 0 and model.assets_sigma > 0


def test_income_test_reads_the_area_standard_and_the_asset_test_can_fail() -> None:
    people = _people()
    ok = passes(people, MODEL)
    urban = people["urban"].to_numpy()
    income = people["income_per_capita_month"].to_numpy()
    assert not ok[urban & (income >= 700.0)].any() and not ok[~urban & (income >= 500.0)].any()
    income_poor = (urban & (income < 700.0)) | (~urban & (income < 500.0))
    assets = money_assets(people, MODEL)
    failing_assets = income_poor & (assets >= 24.0 * np.where(urban, 700.0, 500.0))
    assert failing_assets.any() and not ok[failing_assets].any()
    assert (ok == (income_poor & ~failing_assets)).all()


def test_the_rules_income_column_passes_exactly_where_the_means_test_does() -> None:
    people = _people()
    means = means_for_rules(people, MODEL)["income_per_capita_month"].to_numpy()
    assert ((means < 700.0) == passes(people, MODEL)).all()  # the rule reads "income below the city's standard"
    assert ((means < 800.0) == passes(people, MODEL, urban_standard=800.0)).all()  # a reform's standard too


def test_take_up_is_a_draw_per_household_at_the_area_rate() -> None:
    people = _people(100_000)
    drawn = takes_up(people, MODEL)
    urban = people["urban"].to_numpy()
    assert drawn[urban].all()  # urban take-up 1
    assert drawn[~urban].mean() == pytest.approx(0.5, abs=0.01)
    assert (takes_up(people, MODEL) == drawn).all()  # fixed by the household, not by the call
    child = people.head(2).with_columns(pl.Series("person_id", [999_999, 5]), pl.Series("parent_id", [0, None]))
    both = pl.concat([people.head(1), child.head(1)])
    assert money_assets(both, MODEL)[0] == pytest.approx(money_assets(both, MODEL)[1])  # a child shares the draw
