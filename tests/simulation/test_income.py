"""The income model: a Dagum distribution with the NBS quintile shares and the published mean."""

from __future__ import annotations

import numpy as np
import pytest

from changzhu.parameters import parameter_tree
from changzhu.simulation import attributes as attr
from changzhu.simulation.attribute_parameters import CENSUS_DATE, QUINTILES, attribute_parameters
from changzhu.simulation.income import Dagum, fit_dagum
from changzhu.simulation.means_test import dibao_model

URBAN = (15_598.0, 27_501.0, 39_278.0, 54_910.0, 96_062.0)


def _published(area: str) -> tuple[np.ndarray, float]:
    tree = parameter_tree()
    quintiles = [tree.number(f"simulation.income.{area}_{q}_quintile_yuan_year", CENSUS_DATE) for q in QUINTILES]
    return np.array(quintiles) / 12, tree.number(f"simulation.income.{area}_mean_yuan_year", CENSUS_DATE) / 12


def test_closed_form_quintile_means_agree_with_the_quantile_function() -> None:
    d = Dagum(3.2, 40_000.0, 0.7)
    p = (np.arange(1_000_000) + 0.5) / 1_000_000
    numeric = d.quantile(p).reshape(5, -1).mean(axis=1)
    assert d.quintile_means() == pytest.approx(numeric, rel=2e-3)
    assert d.quintile_means().mean() == pytest.approx(d.mean())
    assert d.cdf(d.quantile(np.array([0.01, 0.2, 0.9]))) == pytest.approx([0.01, 0.2, 0.9])


def test_fit_has_the_published_mean_and_quintile_shares() -> None:
    d = fit_dagum(URBAN, 43_834.0)
    assert d.mean() == pytest.approx(43_834.0)
    shares = d.quintile_means() / d.quintile_means().sum()
    assert shares == pytest.approx(np.array(URBAN) / sum(URBAN), abs=0.01)  # 3 parameters for 5 figures
    # a log-normal through the same mean and bottom-fifth share is thinner at the bottom
    assert d.cdf(np.array([8_131.0]))[0] > 0.02


@pytest.mark.parametrize(("area", "column"), [("urban", 0), ("rural", 1)])
def test_synthetic_incomes_reproduce_the_published_quintiles(area: str, column: int) -> None:
    quintiles, mean = _published(area)
    rng = np.random.default_rng(11)
    incomes = np.sort(attr.income(np.full(400_000, column), rng, attribute_parameters()))
    assert incomes.mean() == pytest.approx(mean, rel=0.02)
    drawn = incomes.reshape(5, -1).mean(axis=1)
    assert drawn / drawn.sum() == pytest.approx(quintiles / quintiles.sum(), abs=0.01)


def test_the_urban_income_poor_outnumber_the_urban_recipients() -> None:
    """Take-up (a share) can reproduce the 8.05 M urban recipients only if more urban residents are income-poor."""
    standard = dibao_model(CENSUS_DATE).urban_standard
    assert (
        attribute_parameters().income_model[0].cdf(np.array([standard]))[0] * 901_991_162 > 8_051_000
    )  # 2020 census urban residents


def test_the_fitted_tail_predicts_the_published_bottom_deciles_out_of_sample() -> None:
    """NBS 2011 urban households by income percentile (中国统计年鉴2012, 表10-7, stats.gov.cn/sj/ndsj/2012/html/
    J1007e.htm): disposable income per head of the poorest 5 % 5,398.17, the first decile 6,876.09, the second
    10,672.02; quintiles 2 to 4 14,498.26, 19,544.94, 26,419.99; deciles 9 and 10 35,579.24 and 58,841.87. Fitted to
    the quintiles only, the Dagum predicts the poorest 5 % and 10 % within 5 % (a log-normal through the mean and
    the bottom fifth overstates the poorest 5 % by 8 %)."""
    quintiles = (
        (6_876.09 + 10_672.02) / 2,
        14_498.26,
        19_544.94,
        26_419.99,
        (35_579.24 + 58_841.87) / 2,
    )
    d = fit_dagum(quintiles, sum(quintiles) / 5)
    p = (np.arange(2_000_000) + 0.5) / 2_000_000
    x = d.quantile(p)
    assert x[p < 0.05].mean() == pytest.approx(5_398.17, rel=0.05)
    assert x[p < 0.10].mean() == pytest.approx(6_876.09, rel=0.05)
