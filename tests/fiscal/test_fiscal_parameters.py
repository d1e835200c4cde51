"""Fiscal parameters: the shipped file, dated selection, and bad parameters named in the error."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
import yaml
from fiscal_helpers import BASE_SCHEME, raw_scheme, scheme

from changzhu.domain.lang import Lang
from changzhu.domain.refusals import RefusalCode, reason_of
from changzhu.errors import ChangzhuError
from changzhu.fiscal.parameter_places import CHANGED, FROM_TREE, TREE_FILE, At, origin
from changzhu.fiscal.parameters import (
    FiscalParameterError,
    fiscal_parameters,
    load_schemes,
    parse_scheme,
    scheme_by_id,
)


def test_shipped_schemes_load_and_are_dated() -> None:
    schemes = load_schemes()
    assert [s.scheme_id for s in schemes] == ["hukou_baseline_2014", "renqian_guagou_2021"]
    assert fiscal_parameters(date(2020, 11, 1)).scheme_id == "hukou_baseline_2014"
    assert fiscal_parameters(date(2021, 3, 13)).scheme_id == "renqian_guagou_2021"
    assert fiscal_parameters().transfer.resident_conversion_ratio == 1.0
    assert scheme_by_id("hukou_baseline_2014").transfer.resident_conversion_ratio == 0.0


def test_no_scheme_before_the_first_date() -> None:
    with pytest.raises(FiscalParameterError, match="no fiscal scheme is in force on 2000-01-01"):
        fiscal_parameters(date(2000, 1, 1))


def test_unknown_scheme_lists_known_ids() -> None:
    with pytest.raises(FiscalParameterError, match="schemes: hukou_baseline_2014, renqian_guagou_2021") as raised:
        scheme_by_id("nope")
    assert raised.value.reason.code == RefusalCode.NO_FISCAL_SCHEME
    assert raised.value.reason.zh == "没有名为 'nope' 的财政方案（可选：hukou_baseline_2014, renqian_guagou_2021）"


def test_cost_shares_not_summing_to_one_are_named() -> None:
    raw = raw_scheme(**{"cost_sharing.default.central": 0.5})
    with pytest.raises(
        FiscalParameterError, match=r"Cost sharing: other services \(default\), central's share\" 0\.5"
    ) as raised:
        parse_scheme(raw, "file.yaml")
    assert "sum to 1.2, not 1" in str(raised.value) and "cost_sharing" not in str(raised.value)


def test_pot_weights_not_summing_to_one_are_named_by_their_labels() -> None:
    """The shares that do not sum to one are named by their labels with their values, in each language, never by
    the key path (fiscal_parameters.yaml: renqian_guagou_2021.transfer.weights) or a dict of keys."""
    raw = raw_scheme(**{"transfer.weights": {"population": 0.5, "migrants": 0.3, "incentive": 0.1}})
    with pytest.raises(FiscalParameterError) as raised:
        parse_scheme(raw, "file.yaml")
    assert reason_of(raised.value).text(Lang.ZH) == (
        "文件 file.yaml：财政参数“人口均衡性资金权重” 0.5、“服务流动人口资金权重” 0.3、“市民化奖励资金权重” 0.1"
        " 之和为 0.9，而非 1：请同时调整其中另一项"
    )
    assert str(raised.value) == (
        'file.yaml: the fiscal parameters "Weight of the population pot" 0.5, "Weight of the migrants-served pot" 0.3,'
        ' "Weight of the incentive pot" 0.1 sum to 0.9, not 1: change another of them too'
    )


def test_negative_fund_is_refused_in_file_and_override() -> None:
    fund = 'the fiscal parameter "Size of the central transfer fund" must not be negative'
    with pytest.raises(FiscalParameterError, match=f"^file.yaml: {fund}"):
        parse_scheme(raw_scheme(fund_yuan=-5), "file.yaml")
    with pytest.raises(FiscalParameterError, match=f"^{fund}") as changed:  # a caller's value: no file to name
        scheme().with_fund(-1)
    assert reason_of(changed.value).text(Lang.ZH) == "财政参数“中央转移支付资金规模”不能为负数（资金 -1 元）"


def test_a_bad_value_of_the_tree_names_its_file_and_line() -> None:
    """A number read from the parameter tree is placed at its parameter's line in fiscal.yaml."""
    at = At("fiscal_parameters.yaml: renqian_guagou_2021.fund_yuan", path="fund_yuan", origins={"fund_yuan": FROM_TREE})
    line = TREE_FILE.read_text(encoding="utf-8").splitlines().index("  fiscal.fund_yuan:") + 1
    assert origin(at, ("fund_yuan",)) == ("fiscal.yaml", line)
    assert origin(replace(at, origins={"fund_yuan": CHANGED}), ("fund_yuan",)) == ("", None)


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("transfer.resident_conversion_ratio", 1.5, 'ratio" must be between 0 and 1 \\(5% is 0.05\\), got 1.5'),
        ("allocation.max_min_per_capita_ratio", 0.5, 'highest to lowest per resident" must be at least 1'),
        ("cost_sharing.default.individual", -0.1, "other services \\(default\\), individual's share\" must be"),
        ("land.m2_per_settled_migrant", "a lot", 'land per settled migrant" must be a finite number'),
        ("effective_from", "soon", "effective_from is not a date"),
    ],
)
def test_bad_values_name_the_parameter(key: str, value: object, message: str) -> None:
    with pytest.raises(FiscalParameterError, match=message):
        parse_scheme(raw_scheme(**{key: value}), "file.yaml")


def test_missing_key_is_named() -> None:
    raw = raw_scheme()
    del raw["transfer"]["capacity"]
    with pytest.raises(FiscalParameterError, match=r"transfer\.capacity is missing"):
        parse_scheme(raw, "file.yaml")


def test_parameter_errors_are_user_errors(tmp_path: Path) -> None:
    path = tmp_path / "params.yaml"
    path.write_text(yaml.safe_dump({"schemes": [BASE_SCHEME, BASE_SCHEME]}), encoding="utf-8")
    with pytest.raises(ChangzhuError, match="scheme id test appears twice"):
        load_schemes(path)
    path.write_text("schemes: [", encoding="utf-8")
    with pytest.raises(FiscalParameterError, match="not valid YAML"):
        load_schemes(path)


def test_a_bad_scheme_file_is_named_with_its_place_and_line_in_both_languages(tmp_path: Path) -> None:
    """Every error of the schemes file is a coded reason, in Chinese and English, naming the file, the key path and
    the line where known (as a parameter file's error does)."""
    path = tmp_path / "schemes.yaml"
    path.write_text(yaml.safe_dump({"schemes": [raw_scheme(), raw_scheme()]}, sort_keys=False), encoding="utf-8")
    with pytest.raises(FiscalParameterError) as twice:
        load_schemes(path)
    line = [i for i, text in enumerate(path.read_text().splitlines(), 1) if text.endswith(" id: test")][1]
    assert twice.value.reason.code == RefusalCode.FISCAL_SCHEME_TWICE
    assert (twice.value.file, twice.value.where, twice.value.line) == ("schemes.yaml", "schemes[1].id", line)
    assert (
        reason_of(twice.value).text(Lang.ZH) == f"schemes.yaml 第 {line} 行（schemes[1].id）：财政方案 test 出现了两次"
    )
    assert str(twice.value) == f"schemes.yaml: schemes[1].id: scheme id test appears twice (line {line})"

    path.write_text("schemes:\n  - id: a\n    title_zh: [\n", encoding="utf-8")
    with pytest.raises(FiscalParameterError) as syntax:
        load_schemes(path)
    assert syntax.value.reason.code == RefusalCode.POLICY_YAML_SYNTAX and syntax.value.line == 4
    assert reason_of(syntax.value).text(Lang.ZH).startswith("schemes.yaml 第 4 行：不是有效的 YAML")

    path.write_text("schemes: []\n", encoding="utf-8")
    with pytest.raises(FiscalParameterError) as empty:
        load_schemes(path)
    assert reason_of(empty.value).text(Lang.ZH) == "schemes.yaml 中的 schemes：须列出至少一个财政方案"
    with pytest.raises(FiscalParameterError) as missing:
        load_schemes(tmp_path / "absent.yaml")
    assert missing.value.reason.code == RefusalCode.PARAMETER_FILE_UNREADABLE
    assert reason_of(missing.value).text(Lang.ZH).startswith(f"文件 {tmp_path / 'absent.yaml'}：无法读取")


def test_a_scheme_source_in_two_languages_is_cited_in_each() -> None:
    raw = raw_scheme(source={"zh": "本项目设定，非法规规定", "en": "changzhu's own setting, not a regulation"})
    assert (parse_scheme(raw, "file.yaml").cited(Lang.ZH), parse_scheme(raw, "file.yaml").cited(Lang.EN)) == (
        "本项目设定，非法规规定",
        "changzhu's own setting, not a regulation",
    )
    with pytest.raises(FiscalParameterError, match=r"file\.yaml \(test\)\.source: missing field 'en'") as half:
        parse_scheme(raw_scheme(source={"zh": "本项目设定"}), "file.yaml")
    assert reason_of(half.value).text(Lang.ZH) == "file.yaml (test).source 处：缺少字段 en"


def test_a_scenario_changes_a_fiscal_weight_like_a_rule_parameter() -> None:
    from changzhu.parameters import Scenario
    from changzhu.rules.catalog import shipped_policies

    reform = Scenario.from_overrides(
        {
            "fiscal.transfer.weights.population": {"value": 0.6, "since": "2025-01-01"},
            "fiscal.transfer.weights.migrants": {"value": 0.3, "since": "2025-01-01"},
            "fiscal.compensation.yuan_per_migrant": 250,
        },
        "migrants-pot-30",
    )
    reform.check(shipped_policies().parameter_units())
    before = fiscal_parameters(date(2024, 6, 1), scenario=reform)
    assert before.transfer.weights["population"] == 0.7
    assert before.compensation_yuan_per_migrant == 250
    after = fiscal_parameters(date(2025, 6, 1), scenario=reform)
    assert after.transfer.weights == {"population": 0.6, "migrants": 0.3, "incentive": 0.1}
    assert fiscal_parameters(date(2025, 6, 1)).transfer.weights["population"] == 0.7
    lopsided = Scenario.from_overrides({"fiscal.transfer.weights.population": 0.9}, "lopsided")
    with pytest.raises(FiscalParameterError, match=r'^the fiscal parameters "Weight of the population pot" 0\.9, .*'
                       r"sum to 0\.9, not 1") as raised:  # fmt: skip
        fiscal_parameters(date(2025, 6, 1), scenario=lopsided)
    assert raised.value.file == "" and raised.value.line is None  # the reform's value: no file of ours to name
