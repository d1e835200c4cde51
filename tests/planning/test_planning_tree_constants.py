"""Planning's school-age split and siting distances are parameters of the tree, changed by a scenario."""

from __future__ import annotations

import polars as pl
import pytest

from changzhu.parameters import Scenario
from changzhu.planning.gaps import compute_gaps
from changzhu.planning.population import population_by_basis, school_age_shares


def test_the_school_age_split_comes_from_the_tree_and_a_scenario_changes_it() -> None:
    assert school_age_shares() == {"age_6_11": 0.6, "age_12_14": 0.3}
    reform = Scenario.from_overrides({"000000": {"planning.school_age.primary_share_of_5_14": 0.5}}, "split")
    assert school_age_shares(reform)["age_6_11"] == 0.5
    base = population_by_basis("province").filter(pl.col("group") == "age_6_11")["population"].sum()
    changed = population_by_basis("province", scenario=reform).filter(pl.col("group") == "age_6_11")
    assert changed["population"].sum() == pytest.approx(base * 0.5 / 0.6)
    primary = compute_gaps("province", scenario=reform).filter(pl.col("service") == "primary_school_places")
    assert (
        primary["demand"].sum()
        < compute_gaps("province").filter(pl.col("service") == "primary_school_places")["demand"].sum()
    )
