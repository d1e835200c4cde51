"""The parameter tree: one format, resolution national → province → city, scenario overrides, named errors."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from changzhu.parameters import ParameterError, Scenario, ScenarioError, load_tree, parameter_tree
from changzhu.rules.catalog import shipped_policies
from changzhu.rules.model import DatedValue as RulesDatedValue
from changzhu.rules.scenario import Scenario as RulesScenario

PERMIT = "registry.residence_permit.valid_years"


def test_every_value_is_dated_and_sourced() -> None:
    tree = parameter_tree()
    parts = {key.split(".")[0] for key in tree.units()}
    assert parts == {"registry", "planning", "fiscal", "projection", "simulation", "geography", "ledger"}
    for params in tree.by_jurisdiction.values():
        for param in params.values():
            for value in param.values:
                assert value.source.strip(), param.key
                assert isinstance(value.verified, bool)


def test_rules_use_the_same_model_and_scenario() -> None:
    from changzhu.parameters import DatedValue

    assert RulesDatedValue is DatedValue
    assert RulesScenario is Scenario


def test_permit_months_and_override_by_region(tmp_path: Path) -> None:
    tree = parameter_tree()
    assert tree.number(PERMIT, date(2024, 1, 1)) == 1
    with pytest.raises(ParameterError, match="no value in force on 2015-01-01"):
        tree.value(PERMIT, date(2015, 1, 1))
    reform = Scenario.from_overrides({"440300": {PERMIT: 3}}, "shenzhen-3")
    assert tree.number(PERMIT, date(2024, 1, 1), region="440305", scenario=reform) == 3
    assert tree.number(PERMIT, date(2024, 1, 1), region="310101", scenario=reform) == 1
    dated = Scenario.from_overrides({PERMIT: {"value": 2, "since": "2025-01-01"}}, "later")
    assert tree.number(PERMIT, date(2024, 6, 1), scenario=dated) == 1
    assert tree.number(PERMIT, date(2025, 6, 1), scenario=dated) == 2


def test_local_file_overrides(tmp_path: Path) -> None:
    local = tmp_path / "local.yaml"
    local.write_text(
        "local:\n  '310000':\n    registry.residence_permit.valid_years:\n      unit: years\n"
        "      values: [{since: 2020-01-01, value: 12, source: test document art. 1}]\n",
        encoding="utf-8",
    )
    tree = load_tree(extra=local)
    assert tree.number(PERMIT, date(2024, 1, 1), region="310104") == 12
    assert tree.number(PERMIT, date(2024, 1, 1), region="320500") == 1
    local.write_text(
        "local:\n  '310000':\n    registry.residence_permit.valid_years:\n      unit: months\n"
        "      values: [{since: 2020-01-01, value: 1, source: x}]\n",
        encoding="utf-8",
    )
    with pytest.raises(ParameterError, match=r"local\.310000\.registry\.residence_permit\.valid_years: unit months"):
        load_tree(extra=local)


def test_bad_files_name_the_field(tmp_path: Path) -> None:
    (tmp_path / "registry.yaml").write_text(
        "parameters:\n  registry.x:\n    unit: months\n    values: [{since: 2020-01-01, value: -1, source: s}]\n",
        encoding="utf-8",
    )
    with pytest.raises(ParameterError, match=r"registry.yaml: registry.x.values\[0\]: cannot be negative"):
        load_tree(tmp_path)
    (tmp_path / "registry.yaml").write_text(
        "parameters:\n  planning.x:\n    unit: months\n    values: [{since: 2020-01-01, value: 1, source: s}]\n",
        encoding="utf-8",
    )
    with pytest.raises(ParameterError, match="start with 'registry.'"):
        load_tree(tmp_path)
    (tmp_path / "registry.yaml").write_text(
        "parameters:\n  registry.x:\n    unit: months\n    values: [{since: 2020-01-01, value: 1, source: ' '}]\n",
        encoding="utf-8",
    )
    with pytest.raises(ParameterError, match="source must name the document"):
        load_tree(tmp_path)


def test_scenarios_are_checked_against_the_tree_and_the_policies() -> None:
    known = shipped_policies().parameter_units()
    assert known[PERMIT] == "years" and known["residence_permit.min_residence_months"] == "months"
    Scenario.from_overrides({PERMIT: 3, "residence_permit.min_residence_months": 3}).check(known)
    Scenario.from_overrides({PERMIT: 3}).check(parameter_tree().units())
    with pytest.raises(ScenarioError, match="unknown parameter 'registry.nope'"):
        Scenario.from_overrides({"registry.nope": 3}).check(known)
    with pytest.raises(ScenarioError, match="cannot be negative"):
        Scenario.from_overrides({PERMIT: -3}).check(known)
    with pytest.raises(ScenarioError, match="needs a number"):
        Scenario.from_overrides({PERMIT: "six"}).check(known)
