"""Each reform is priced with the unit costs of its own scenario (overrides of `simulation.cost.*`)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from changzhu.simulation.aggregate import BASELINE
from changzhu.simulation.engine import LocalEngine, SimulationPlan
from changzhu.simulation.errors import SimulationError
from changzhu.simulation.evaluators import load_rules_scenario
from changzhu.simulation.run import simulate
from changzhu.simulation.spec import load_spec

REFORM = """name: dearer_insurance
description: 居民医保财政补助 670 → 1,000 yuan
overrides:
  simulation.cost.medical_insurance: 1000
simulation:
  years: [2025]
  services: [medical_insurance]
"""


def everyone_insured(people: pl.DataFrame, on: date, scenario: Any) -> pl.DataFrame:
    """Every person eligible for medical insurance under every scenario: only the unit cost differs."""
    return pl.DataFrame({"person_id": people["person_id"], "eligible_medical_insurance": True})


def test_a_reform_overriding_a_unit_cost_is_priced_with_it(tmp_path: Path) -> None:
    path = tmp_path / "reform.yaml"
    path.write_text(REFORM, encoding="utf-8")
    plan = load_spec([path], load_rules_scenario).plan(sample=2e-6)
    [reform_place] = plan.costs_of("dearer_insurance")["medical_insurance"].places
    [baseline_place] = plan.costs_of(BASELINE)["medical_insurance"].places
    assert (reform_place.yuan_per_year, baseline_place.yuan_per_year) == (1000, 670)
    assert plan.costs_of("dearer_insurance")["compulsory_schooling"] == plan.costs["compulsory_schooling"]

    result = simulate(plan, everyone_insured, LocalEngine(), chunk_persons=10**9)
    counts = result.counts.group_by("scenario").agg(pl.col("persons", "cost_yuan").sum())
    cost = dict(zip(counts["scenario"], counts["cost_yuan"], strict=True))
    persons = dict(zip(counts["scenario"], counts["persons"], strict=True))
    assert cost[BASELINE] == 670 * persons[BASELINE] > 0
    assert cost["dearer_insurance"] == 1000 * persons["dearer_insurance"]
    reform = result.by_province.filter(pl.col("scenario") == "dearer_insurance")
    assert reform["delta_eligible"].sum() == 0
    assert reform["delta_cost_yuan"].sum() == pytest.approx(330 * persons[BASELINE] / plan.fraction)


def test_a_reform_without_cost_overrides_shares_the_baseline_costs() -> None:
    exam = (
        Path(__file__).resolve().parents[2] / "src" / "changzhu" / "scenarios" / "sim_entrance_exam_residence_1y.yaml"
    )
    plan = load_spec([exam], load_rules_scenario).plan(sample=2e-6)
    assert plan.scenario_costs == {}
    assert plan.costs_of("entrance_exam_residence_1y") is plan.costs


def test_costs_for_an_unknown_scenario_are_refused() -> None:
    with pytest.raises(SimulationError, match="not a reform"):
        SimulationPlan(((BASELINE, None),), (date(2025, 9, 1),), 1e-5, 1, scenario_costs={"nope": {}})


def test_a_unit_cost_cites_its_source_in_the_readers_language() -> None:
    """A reform's own cost is cited in each language (the office's run page shows `source_en` in English); a cost
    given in a scenario file without a source says so in both."""
    from changzhu.domain.lang import Lang
    from changzhu.parameters import Scenario, cited
    from changzhu.simulation.costs import default_costs, parse_costs

    reform = Scenario.from_overrides({"simulation.cost.medical_insurance": 1000}, "dearer_insurance")
    (place,) = default_costs(date(2025, 1, 1), reform)["medical_insurance"].places
    assert cited(place.source, place.source_en, Lang.ZH) == "改革情景“dearer_insurance”的设定"
    assert cited(place.source, place.source_en, Lang.EN) == "scenario 'dearer_insurance' (reform override)"
    (given,) = parse_costs({"medical_insurance": [{"age_min": 0, "age_max": 120, "yuan_per_year": 9}]}, "x")[
        "medical_insurance"
    ].places
    assert (given.source, given.source_en) == ("改革情景文件给出", "given in the scenario file")


def test_every_shipped_unit_cost_cites_its_source_in_english_on_the_english_page() -> None:
    """The English reform page and export showed the unit costs' sources in Chinese (no `source_en`): each is given
    in both languages, the English naming the document in English."""
    from changzhu.domain.lang import Lang
    from changzhu.parameters import cited
    from changzhu.simulation.costs import default_costs

    places = [p for cost in default_costs(date(2026, 1, 1)).values() for p in cost.places]
    assert len(places) == 4
    english = [cited(p.source, p.source_en, Lang.EN) for p in places]
    assert not [text for text in english if re.search(r"[\u3400-\u9fff]", text)], english
    assert all(p.source_en and re.search(r"[\u3400-\u9fff]", p.source) for p in places)  # the Chinese stays as cited


@pytest.mark.parametrize(("raw", "code"), [(5, "simulation_costs_form"), ({"childcare": []}, "simulation_cost_places")])
def test_a_bad_costs_entry_names_the_same_file_key_in_both_languages(raw: object, code: str) -> None:
    """The scenario file's key is `simulation.costs`: the Chinese reason named it so, the English one said `costs`."""
    from changzhu.domain.lang import Lang
    from changzhu.domain.refusals import reason_of
    from changzhu.simulation.costs import parse_costs

    with pytest.raises(SimulationError) as refused:
        parse_costs(raw, "scenario.yaml")
    reason = reason_of(refused.value)
    assert reason.code == code
    for lang in (Lang.ZH, Lang.EN):
        assert "(simulation.costs)" in reason.text(lang).replace("（", "(").replace("）", ")"), reason.text(lang)
