"""The reform builder groups parameters under their section's name: every section GET /parameters gives has a name in
both of the builder's languages (a group shown as "财政转移 · cost_sharing" puts a raw key in front of an analyst)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from changzhu.api.routes.parameters import parameter_nodes
from changzhu.domain.services import Service

LOCALES = Path(__file__).resolve().parents[2] / "frontend" / "src" / "locales"


def _sections() -> set[str]:
    """The codes the builder names a group by (ReformBuilderView's tree: a tree parameter's file and its section)."""
    codes = set()
    services = {s.value for s in Service}
    for node in parameter_nodes(date(2026, 12, 2)):
        if node["kind"] == "rule" and node["jurisdiction"] != "000000" and node["service"] not in services:
            continue  # a city's own keys ("dongguan.points.line"): named "<city>'s rules" (rf.builder.cityRules)
        codes.add(node["service"])
        if node["kind"] == "tree":
            codes.add(node["key"].split(".")[0])
    return codes


@pytest.mark.parametrize("language", ["zh-CN", "en"])
def test_every_parameter_section_has_a_name(language: str) -> None:
    names = json.loads((LOCALES / f"reform.{language}.json").read_text(encoding="utf-8"))["rf"]["service"]
    unnamed = sorted(code for code in _sections() if not names.get(code))
    assert not unnamed, f"sections without a name in reform.{language}.json: {unnamed}"


@pytest.mark.parametrize(("language", "shown"), [("zh-CN", "{name}规则"), ("en", "{name}'s rules")])
def test_a_city_added_in_yaml_alone_is_named_by_its_city(language: str, shown: str) -> None:
    # a city whose keys no locale names (东莞's "dongguan.points.line") showed the group "dongguan" in the tree
    builder = json.loads((LOCALES / f"reform.{language}.json").read_text(encoding="utf-8"))["rf"]["builder"]
    assert builder["cityRules"] == shown


@pytest.mark.parametrize(("language", "word"), [("zh-CN", "估计"), ("en", "estimate")])
def test_every_figure_header_of_the_run_page_says_it_is_an_estimate(language: str, word: str) -> None:
    # the budget card, its total and the gains-and-losses table showed figures from a sample without saying so
    # ("合计（有单位成本的服务）: 0", "占比（90% 区间）"), while the other tables said 估计值
    rf = json.loads((LOCALES / f"reform.{language}.json").read_text(encoding="utf-8"))["rf"]
    headers = {
        "run.budget": rf["run"]["budget"],
        "run.costInterval": rf["run"]["costInterval"],
        "run.total": rf["run"]["total"],
        "run.estimateInterval": rf["run"]["estimateInterval"],
        "bands.share": rf["bands"]["share"],
        **{f"bands.count.{k}": v for k, v in rf["bands"]["count"].items()},
    }
    unsaid = {k: v for k, v in headers.items() if word not in v.lower()}
    assert not unsaid, unsaid
    assert ("元/年" if language == "zh-CN" else "yuan a year") in rf["run"]["total"]  # the total has its unit


@pytest.mark.parametrize(("language", "words"), [("zh-CN", ("封闭队列", "偏低")), ("en", ("closed cohort", "too few"))])
def test_a_run_of_several_years_says_later_years_have_no_new_arrivals(language: str, words: tuple[str, str]) -> None:
    # permit 6 → 3 months from 2027, run for 2025 and 2027: 0 newly eligible (0 – 0) in 2027, because the later years
    # age the same people (docs/simulation.md, "Years"); the page gave the 0 as an estimate with no word of why
    run = json.loads((LOCALES / f"reform.{language}.json").read_text(encoding="utf-8"))["rf"]["run"]
    assert all(w in run["cohortNote"] for w in words) and "{first}" in run["cohortNote"]
    view = (LOCALES.parent / "views" / "RunView.vue").read_text(encoding="utf-8")
    assert 'id="cohort-note"' in view and "rf.run.cohortNote" in view
