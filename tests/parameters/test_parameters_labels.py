"""Every parameter has a name in Chinese and in English (`label: {zh, en}` in its file), shown per language."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from changzhu.parameters import ParameterError, load_tree, parameter_tree, parse_parameter
from changzhu.rules.catalog import shipped_policies

ENTRY = {"unit": "months", "values": [{"since": "2020-01-01", "value": 6, "source": "test"}]}


def test_every_shipped_parameter_has_both_names() -> None:
    national = parameter_tree().by_jurisdiction["000000"]
    unnamed = [k for k, p in national.items() if not (p.label_zh and p.label_en)]
    assert unnamed == []
    policies = shipped_policies().jurisdictions
    named = {p.key for j in policies.values() for p in j.parameters.values() if p.label_zh and p.label_en}
    rule_keys = {p.key for j in policies.values() for p in j.parameters.values()}
    assert rule_keys - named == set()  # a city's own value may reuse the national name; every key has one
    assert len(named) > 40 and len(national) > 150


def test_a_label_needs_both_languages() -> None:
    param = parse_parameter("x.months", {**ENTRY, "label": {"zh": "月数", "en": "Months"}}, "000000")
    assert (param.label_zh, param.label_en) == ("月数", "Months")
    assert parse_parameter("x.months", ENTRY, "000000").label_zh == ""
    with pytest.raises(ParameterError, match=r"x\.months\.label.*'en'"):
        parse_parameter("x.months", {**ENTRY, "label": {"zh": "月数"}}, "000000")
    with pytest.raises(ParameterError, match="unknown field"):
        parse_parameter("x.months", {**ENTRY, "label": {"zh": "月数", "en": "Months", "fr": "mois"}}, "000000")


def test_a_citation_names_a_parameter_without_a_label_in_words(tmp_path: Path) -> None:
    """An estimate's note cites each figure by its name; a parameter its file left unnamed (a local or scenario
    file's own) is called so in words, never by its dotted key (the citation showed `x.unit_cost.nurse`)."""
    (tmp_path / "x.yaml").write_text(
        "parameters:\n"
        "  x.unit_cost.nurse:\n"
        "    unit: yuan\n"
        "    values: [{since: 2020-01-01, value: 108903, source: 国家统计局 2020 年}]\n",
        encoding="utf-8",
    )
    zh, en = load_tree(tmp_path).citation(["x.unit_cost.nurse"], date(2021, 1, 1))
    assert "x.unit_cost" not in zh + en
    assert zh.startswith("未命名的参数 108,903 元（国家统计局 2020 年）")
    assert en.startswith("a parameter without a name 108,903 yuan")
