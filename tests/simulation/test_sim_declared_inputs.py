"""Declared inputs in the simulation: a documented default from the tree, or unknown and counted as undetermined."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from changzhu.domain.services import Service
from changzhu.parameters import Scenario, load_tree, parameter_tree
from changzhu.parameters.tree import TREE_DIR
from changzhu.rules import evaluate
from changzhu.rules.catalog import policies_in_use
from changzhu.simulation.aggregate import count_chunk
from changzhu.simulation.attribute_parameters import CENSUS_DATE
from changzhu.simulation.declared import input_defaults, with_input_defaults
from changzhu.simulation.errors import SimulationError
from changzhu.simulation.evaluators import rules_evaluator
from changzhu.simulation.synthetic import generate_cities, population_model

ON = date(2025, 9, 1)
INPUTS = policies_in_use().declared_inputs()


def _tree_with(tmp_path: Path, entries: str) -> object:
    """The shipped tree with extra `simulation.input.*` parameters appended to simulation.yaml."""
    files = tmp_path / "files"
    shutil.copytree(TREE_DIR, files)
    with (files / "simulation.yaml").open("a", encoding="utf-8") as out:
        out.write(entries)
    return load_tree(files)


def _entry(key: str, unit: str, value: object) -> str:
    return (
        f"  {key}:\n    unit: {unit}\n    description: test\n    label: {{zh: 测试, en: test}}\n"
        f"    values:\n      - since: 2020-01-01\n        value: {value}\n        source: test\n"
    )


def test_shipped_defaults_are_only_those_the_tree_lists() -> None:
    defaults = {d.name: d for d in population_model().declared}
    assert set(defaults) == {"false_material_dates"}
    assert defaults["false_material_dates"].value == 0
    people = generate_cities(population_model(), [population_model().codes.index("310100")], 1e-5, 3, ON)
    assert people["false_material_dates"].to_list() == [[]] * people.height  # no finding for anyone
    # every other declared input is absent from the population: unknown to the rules, not 0 or false
    assert not set(INPUTS) - {"false_material_dates"} & set(people.columns)


def test_a_dates_default_other_than_none_is_refused() -> None:
    scenario = Scenario.from_overrides({"simulation.input.false_material_dates.value": 2})
    with pytest.raises(SimulationError, match="a dates input's default is 0"):
        input_defaults(parameter_tree(), INPUTS, CENSUS_DATE, scenario)


def test_bool_and_category_shares_are_drawn(tmp_path: Path) -> None:
    tree = _tree_with(
        tmp_path,
        _entry("simulation.input.fresh_graduate.share_true", "ratio", 0.25)
        + "".join(
            _entry(f"simulation.input.award_level.share.{code}", "ratio", share)
            for code, share in (("none", 0.7), ("city_special", 0.2), ("city_comprehensive", 0.1))
        )
        + _entry("simulation.input.award_level.share.provincial_or_national", "ratio", 0.0),
    )
    defaults = input_defaults(tree, INPUTS, CENSUS_DATE)  # type: ignore[arg-type]
    frame = with_input_defaults(pl.DataFrame({"person_id": range(40_000)}), defaults, np.random.default_rng(1))
    assert frame["fresh_graduate"].mean() == pytest.approx(0.25, abs=0.01)
    shares = frame["award_level"].value_counts(normalize=True)
    got = dict(zip(shares["award_level"], shares["proportion"], strict=True))
    assert got["none"] == pytest.approx(0.7, abs=0.01)
    assert got["city_special"] == pytest.approx(0.2, abs=0.01)
    assert "provincial_or_national" not in got


@pytest.mark.parametrize(
    ("entries", "message"),
    [
        (_entry("simulation.input.not_declared.value", "count", 1), "not an input a jurisdiction declares"),
        (_entry("simulation.input.fresh_graduate.value", "count", 1), "given as share_true"),
        (_entry("simulation.input.tianjin_punishment_end_date.value", "count", 1), "stays unknown"),
        (_entry("simulation.input.award_level.share.none", "ratio", 1.0), "a share for each of"),
        (_entry("simulation.input.local_hires_avg_3y.value", "number", 1.5), "whole number"),
    ],
)
def test_a_bad_default_is_a_named_error(tmp_path: Path, entries: str, message: str) -> None:
    tree = _tree_with(tmp_path, entries)
    with pytest.raises(SimulationError, match=message):
        input_defaults(tree, INPUTS, CENSUS_DATE)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def shanghai() -> tuple[pl.DataFrame, pl.DataFrame]:
    """A small synthetic Shanghai evaluated by the rules (Shanghai's 中考 reads its points scheme)."""
    model = population_model()
    people = generate_cities(model, [model.codes.index("310100")], 3e-4, 7, ON)
    return people, rules_evaluator(("local_entrance_exam",))(people, ON, None)


def test_an_input_without_default_is_counted_undetermined(shanghai: tuple[pl.DataFrame, pl.DataFrame]) -> None:
    people, result = shanghai
    undetermined = result["undetermined_local_entrance_exam"]
    assert "needs_local_entrance_exam" not in result.columns  # the simulation does not ask for them
    named = evaluate(people, ON, services=[Service.LOCAL_ENTRANCE_EXAM], earliest=False)
    assert named["undetermined_local_entrance_exam"].equals(undetermined)
    needs = named.filter(undetermined)["needs_local_entrance_exam"].explode().unique().to_list()
    assert "award_level" in needs  # no default: unknown, so the points (and the 中考) stay open
    counts = count_chunk(people, ON, "baseline", result, result, {})
    counts = counts.filter(pl.col("service") == "local_entrance_exam_any_hukou")  # the rules' decisions, any hukou
    assert counts["undetermined"].sum() == undetermined.sum() > 0
    eligible = result["eligible_local_entrance_exam"]
    assert counts["eligible"].sum() == (eligible & ~undetermined).sum()


def test_reading_unknown_inputs_as_zero_would_change_the_counts(shanghai: tuple[pl.DataFrame, pl.DataFrame]) -> None:
    """Fill the inputs the simulation leaves unknown with 0 / false / "none": decisions become definite, some of
    them eligible, so a simulation that silently read unknown as zero would count different people."""
    people, result = shanghai
    zeros = {"bool": False, "integer": 0, "number": 0.0, "months": 0, "category": "none"}
    filled = people.with_columns(
        pl.lit(zeros[spec.type], dtype=spec.dtype).alias(name)
        for name, spec in INPUTS.items()
        if "310100" in spec.jurisdictions and spec.type in zeros and name not in people.columns
    )
    guessed = rules_evaluator(("local_entrance_exam",))(filled, ON, None)
    was_open = result["undetermined_local_entrance_exam"]
    assert not guessed["undetermined_local_entrance_exam"].filter(was_open).any()
    assert guessed["eligible_local_entrance_exam"].filter(was_open).any()
    assert count_chunk(filled, ON, "baseline", guessed, guessed, {})["undetermined"].sum() == 0


def test_an_evaluator_without_an_answer_is_undetermined() -> None:
    people = pl.DataFrame(
        {"person_id": [1, 2, 3, 4], "residence_region": ["310100"] * 4, "birth_date": [date(1990, 1, 1)] * 4}
    )
    base = pl.DataFrame({"person_id": [1, 2, 3, 4], "eligible_x": [True, None, False, False]})
    reform = pl.DataFrame(
        {
            "person_id": [1, 2, 3, 4],
            "eligible_x": [True, True, False, True],
            "undetermined_x": [False, False, True, False],
        }
    )
    counts = count_chunk(people, ON, "reform", base, reform, {}).row(0, named=True)
    assert counts["eligible"] == 3  # person 3 is undetermined, not "not eligible"
    assert counts["undetermined"] == 1
    assert counts["newly_eligible"] == 1  # person 4; person 2's baseline is unknown, so no change is counted
    assert counts["no_longer_eligible"] == 0
