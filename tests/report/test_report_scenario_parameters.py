"""Under a scenario the planning report uses the scenario's parameters and says which it used: the school siting's
estimate note cites the scenario's school-age shares (not the national ones), and the planning section names the
scenario and the values it set; without one it says the national tables."""

from __future__ import annotations

from functools import cache
from html import escape

import pytest

from changzhu.data.geo import province_geojson
from changzhu.parameters import Scenario
from changzhu.planning.siting import SitingPlan, plan_sites
from changzhu.report.lang import Lang
from changzhu.report.planning import parameters_used
from changzhu.report.siting import siting_part

SHARES = Scenario.from_overrides(
    {"planning.school_age.primary_share_of_5_14": 0.55, "planning.school_age.junior_share_of_5_14": 0.35},
    name="school_age_55",
)


@cache
def _primary(scenario: Scenario | None) -> SitingPlan:
    """Primary schools sited in Shenzhen (its seats and districts) for a resident-basis gap."""
    return plan_sites(
        "440300", 20_000.0, 500_000.0, service="primary_school_places", group="age_6_11", p=2, scenario=scenario
    )


@pytest.mark.parametrize(
    ("lang", "source"), [(Lang.ZH, "改革情景“school_age_55”的设定"), (Lang.EN, "scenario 'school_age_55'")]
)
def test_a_school_siting_under_a_scenario_cites_the_scenarios_shares(lang: Lang, source: str) -> None:
    html = siting_part(_primary(SHARES), "440000", province_geojson(), lang)
    assert " 0.55" in html and " 0.35" in html and escape(source) in html, html[-1500:]
    assert " 0.6" not in html and " 0.3（" not in html and " 0.3 (" not in html  # not the national shares
    national = siting_part(_primary(None), "440000", province_geojson(), lang)
    assert " 0.6" in national and "school_age_55" not in national


def test_the_scenario_changes_the_demand_it_sites_for() -> None:
    scaled = _primary(SHARES).points["weight"].sum() / _primary(None).points["weight"].sum()
    assert scaled == pytest.approx(0.55 / 0.6)


@pytest.mark.parametrize("lang", [Lang.ZH, Lang.EN])
def test_the_planning_section_says_whose_parameters_it_used(lang: Lang) -> None:
    said = parameters_used(SHARES, lang)
    assert "school_age_55" in said and "0.55" in said and "0.35" in said and "0.6" not in said
    assert "planning.school_age" not in said  # by label, never by key
    national = parameters_used(None, lang)
    assert ("国家参数表" in national if lang == Lang.ZH else "national tables" in national) and "0.6" in national
