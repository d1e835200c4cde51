"""A run's results as a file reads them: measures titled with the unit words amounts are shown with everywhere
(domain/units.py) and rounded by their unit."""

from __future__ import annotations

import polars as pl

from changzhu.api.result_titles import measure_title, rounded, titled
from changzhu.api.scenario_runs import labelled
from changzhu.domain.lang import Lang
from changzhu.domain.units import unit_word
from changzhu.rules.labels import RESULT_GROUPS


def test_a_measure_is_titled_with_its_units_word() -> None:
    assert measure_title("delta_cost_yuan", Lang.EN) == f"Change in cost ({unit_word('yuan/year', Lang.EN)})"
    assert measure_title("delta_cost_yuan", Lang.EN) == "Change in cost (yuan a year)"
    assert measure_title("delta_cost_yuan", Lang.ZH) == "成本变化（元/年）"
    assert measure_title("newly_eligible", Lang.EN) == "Newly eligible (people)"
    assert measure_title("residents", Lang.ZH) == "常住人口（人）"
    assert measure_title("share_households_no_change", Lang.ZH) == "没有变化的家庭占比（0–1）"
    assert measure_title("households_undetermined", Lang.EN) == "Households: undetermined (a needed fact unknown)"
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
    assert named["Measure"].to_list()[:2] == ["Cost, reform (yuan a year)", "Share of people: no change (0–1)"]


def test_the_group_column_is_in_the_files_language() -> None:
    # the run stores "本地户籍 local hukou" and a region's Chinese name: an English file read "北京市" and
    # "本地户籍 local hukou", a Chinese one "本地户籍 local hukou"; the English estimate note said "低保 demand"
    from changzhu.domain.estimates import synthetic

    frame = pl.DataFrame(
        {
            "dimension": ["national", "residence", "province", "income_decile", "age_band", "county"],
            "group": ["全国", "local", "110000", "D03", "15-64", "unknown"],
            "group_label": ["全国", "本地户籍 local hukou", "北京市", "D03", "15-64", "未知 unknown"],
            "estimate_note": [synthetic(0.00001)] * 6,
        }
    )
    english, chinese = titled(frame, Lang.EN), titled(frame, Lang.ZH)
    named = ["the whole country", "local hukou", "Beijing", "income decile 3", "15-64", "unknown"]
    assert english["Group"].to_list() == named
    assert chinese["组别"].to_list() == ["全国", "本地户籍", "北京市", "收入第 3 十分位", "15-64", "未知"]
    # a file for people shows no key (national, local, D03: the 组别代码 column of a Chinese file said "national");
    # it keeps a region's division code, which people look up, and names the column so
    for named, header in ((english, "Administrative division code"), (chinese, "行政区划代码")):
        assert named[header].to_list() == [None, None, "110000", None, None, None]
        cells = {str(v) for column in named.columns for v in named[column].to_list()}
        assert not cells & {"national", "local", "D03", "未知 unknown"}, cells
    assert not any("\u4e00" <= c <= "\u9fff" for c in english["What the estimate is"][0])
    assert english["What the estimate is"][0].startswith("estimate: a 0.0010% synthetic sample")
    assert chinese["估算说明"][0].startswith("估算：")


def test_each_service_s_estimate_note_describes_that_service() -> None:
    """Every row of a run's English file said "the minimum living allowance (dibao) demand is ...", whatever its
    service: the 低保 clause is on 低保's rows (and the costed total's), not on medical insurance's."""
    from changzhu.domain.estimates import synthetic

    frame = pl.DataFrame(
        {
            "service": ["medical_insurance", "minimum_living_allowance", "all_costed_services"],
            "estimate_note": [synthetic(0.00001, s) for s in ("medical_insurance", "minimum_living_allowance",
                                                              "all_costed_services")],
        }
    )  # fmt: skip
    english, chinese = titled(frame, Lang.EN)["What the estimate is"], titled(frame, Lang.ZH)["估算说明"]
    assert "dibao" not in english[0] and "低保" not in chinese[0] and "eligible" in english[0], english[0]
    assert "dibao" in english[1] and "低保" in chinese[1]
    assert "unit cost" in english[2] and "dibao" in english[2]


def test_a_run_labels_its_groups_by_the_result_groups_names() -> None:
    """A run's stored group label is RESULT_GROUPS' two names (scenario_runs kept a copy of them, which said
    "全国 national" and left an income decile as its code, D03)."""
    estimates = pl.DataFrame(
        {
            "dimension": ["national", "residence", "income_decile", "prefecture", "age_band"],
            "group": ["national", "local", "D03", "440100", "15-64"],
        }
    )
    stored = labelled(estimates)["group_label"].to_list()
    assert stored[:3] == [f"{zh} {en}" for zh, en in (RESULT_GROUPS[g] for g in ("national", "local", "D03"))]
    assert stored[2:] == ["收入第 3 十分位 income decile 3", "广州市", "15-64"]
    assert stored[0] == "全国 the whole country"


def test_a_reform_is_titled_in_the_files_language_and_an_unnamed_one_keeps_its_name() -> None:
    frame = pl.DataFrame(
        {"scenario": ["exam_1y", "other"], "estimate": [1.0, 2.0], "estimate_note": ["估算 / estimate"] * 2}
    )
    english = titled(frame, Lang.EN, {"exam_1y": "Entrance exam after one year"})
    chinese = titled(frame, Lang.ZH, {"exam_1y": "中考居住年限降至一年"})
    assert english["Reform"].to_list() == ["Entrance exam after one year", "other"]
    assert chinese["改革方案"].to_list() == ["中考居住年限降至一年", "other"]
    assert titled(frame, Lang.EN)["Reform"].to_list() == ["exam_1y", "other"]


def test_the_group_s_name_stands_beside_its_grouping() -> None:
    frame = pl.DataFrame(
        {"dimension": ["province"], "group": ["110000"], "measure": ["newly_eligible"], "group_label": ["北京市"]}
    )
    assert titled(frame, Lang.ZH).columns == ["分组方式", "组别", "行政区划代码", "指标"]
