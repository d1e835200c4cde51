"""A run's results as a file reads them: measures titled with the unit words amounts are shown with everywhere
(domain/units.py) and rounded by their unit."""

from __future__ import annotations

import polars as pl

from changzhu.api.result_titles import measure_title, rounded, titled
from changzhu.domain.lang import Lang
from changzhu.domain.units import unit_word


def test_a_measure_is_titled_with_its_units_word() -> None:
    assert measure_title("delta_cost_yuan", Lang.EN) == f"change in cost ({unit_word('yuan/year', Lang.EN)})"
    assert measure_title("delta_cost_yuan", Lang.EN) == "change in cost (yuan a year)"
    assert measure_title("delta_cost_yuan", Lang.ZH) == "成本变化（元/年）"
    assert measure_title("newly_eligible", Lang.EN) == "newly eligible (people)"
    assert measure_title("residents", Lang.ZH) == "常住人口（人）"
    assert measure_title("share_households_no_change", Lang.ZH) == "没有变化的家庭占比（0–1）"
    assert measure_title("households_undetermined", Lang.EN) == "households: undetermined (a needed fact unknown)"
    assert measure_title("not_a_measure", Lang.EN) == "not_a_measure"  # shown as it is, never blank


def test_titled_and_rounded_by_the_measures_unit() -> None:
    frame = pl.DataFrame(
        {
            "measure": ["cost_yuan", "share_persons_no_change", "households_gain_more_5", "newly_eligible", "other"],
            "estimate": [2470371299999.9995, 0.123456, 12.6, 3.5, 0.123456],
            "low": [1.4, 0.1, 1.5, 0.2, 1.23],
            "high": [2.6, 0.9, 2.5, 9.7, 4.56],
            "estimate_note": ["估算 / estimate"] * 5,
        }
    )
    out = rounded(frame)
    assert out["estimate"].to_list() == [2470371300000.0, 0.1235, 13.0, 4.0, 0.123456]
    assert out["low"].to_list()[-1] == 1.23  # a measure no table names keeps its figures
    named = titled(out, Lang.EN)
    assert named["measure"].to_list()[:2] == ["cost, reform (yuan a year)", "share of people: no change (0–1)"]
