"""IPF: a textbook table, zero cells, bad margins, and the fit to the real census marginals."""

from __future__ import annotations

import numpy as np
import pytest

from changzhu.data.census import census_2020
from changzhu.simulation.ipf import IpfError, Margin, ipf, margin_totals
from changzhu.simulation.marginals import SEX_RATIO_2020, census_targets, fit_census, fit_error_table


def test_two_way_table_matches_both_margins_and_keeps_odds_ratio() -> None:
    seed = np.array([[1.0, 2.0], [3.0, 4.0]])
    rows = Margin("rows", {0: np.arange(2)}, np.array([30.0, 70.0]))
    cols = Margin("cols", {1: np.arange(2)}, np.array([40.0, 60.0]))
    result = ipf(seed, [rows, cols])
    assert np.allclose(result.table.sum(axis=1), [30, 70])
    assert np.allclose(result.table.sum(axis=0), [40, 60])
    odds = result.table[0, 0] * result.table[1, 1] / (result.table[0, 1] * result.table[1, 0])
    assert odds == pytest.approx(4 / 6)  # IPF preserves the seed's interaction
    assert result.max_relative_error < 1e-9


def test_zero_seed_cells_stay_zero_and_grouped_margin_is_met() -> None:
    seed = np.array([[0.0, 1.0, 1.0], [1.0, 1.0, 1.0]])
    grouped = Margin("cols grouped", {1: np.array([0, 1, 1])}, np.array([5.0, 15.0]))
    rows = Margin("rows", {0: np.arange(2)}, np.array([8.0, 12.0]))
    result = ipf(seed, [grouped, rows])
    assert result.table[0, 0] == 0.0
    assert np.allclose(margin_totals(result.table, grouped), [5, 15])
    assert np.allclose(margin_totals(result.table, rows), [8, 12])


def test_bad_margins_are_refused() -> None:
    seed = np.ones((2, 2))
    with pytest.raises(IpfError, match="negative"):
        ipf(seed, [Margin("rows", {0: np.arange(2)}, np.array([-1.0, 2.0]))])
    with pytest.raises(IpfError, match="target shape"):
        ipf(seed, [Margin("rows", {0: np.arange(2)}, np.array([1.0, 2.0, 3.0]))])


def test_census_fit_meets_every_margin() -> None:
    census = census_2020()
    targets = census_targets(census.prefectures, census.provinces)
    result = fit_census(targets)
    errors = fit_error_table(result.table, targets)
    assert errors.height == 5
    assert errors["max_relative_error"].max() < 1e-6
    assert result.table.sum() == pytest.approx(census.provinces["pop_resident_2020"].sum(), rel=1e-9)
    men = result.table[:, :, :, 1, :].sum()
    women = result.table[:, :, :, 0, :].sum()
    assert 100 * men / women == pytest.approx(SEX_RATIO_2020, rel=1e-9)
    interprov = result.table[..., 3].sum()
    assert interprov == pytest.approx(census.provinces["interprov_in_migrants_2020"].sum(), rel=1e-9)
