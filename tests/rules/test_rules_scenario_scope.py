"""A scenario override for a city without a policy file (Suzhou 320500 has none: national rules apply) changes that
city's decisions, and only that city's, in both evaluators and in explain."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from changzhu.rules import Scenario, evaluate, explain
from changzhu.rules.catalog import policies_in_use
from changzhu.rules.people import people_from_records

ON = date(2026, 6, 1)
KEY = "residence_permit.min_residence_months"


def _person(pid: int, city: str) -> dict[str, Any]:
    """Eight months of residence: a residence permit under the national six months, not under twelve."""
    return {
        "person_id": pid,
        "sex": "M",
        "birth_date": date(1995, 5, 1),
        "hukou_region": "340800",
        "residence_region": city,
        "residence_since": date(2025, 10, 1),
        "residence_permit_since": None,
        "si_months_local": 8,
        "si_months_total": 30,
        "medical_months_local": 8,
        "prior_region": None,
        "prior_residence_months": 0,
        "prior_si_months": 0,
        "employed": True,
        "education": "bachelor",
        "housing": "rented",
        "income_per_capita_month": 5000.0,
        "parent_id": None,
        "criminal_record": False,
    }


@pytest.mark.parametrize("override", [{"320500": {KEY: 12}}, {"320000": {KEY: 12}}], ids=["city", "province"])
@pytest.mark.parametrize("earliest", [True, False], ids=["interval", "compiled"])
def test_an_override_for_a_city_without_a_policy_file_applies(override: dict[str, Any], earliest: bool) -> None:
    assert "320500" not in policies_in_use().jurisdictions and "320000" not in policies_in_use().jurisdictions
    people = people_from_records([_person(1, "320500"), _person(2, "420100")])
    before = evaluate(people, ON, earliest=earliest)["eligible_residence_permit"].to_list()
    assert before == [True, True]
    reform = Scenario.from_overrides(override, "longer wait in Jiangsu")
    after = evaluate(people, ON, scenario=reform, earliest=earliest)
    assert after["eligible_residence_permit"].to_list() == [False, True]  # Suzhou only; Wuhan keeps six months
    if earliest:
        assert after["earliest_residence_permit"].to_list()[0] == date(2026, 10, 1)


def test_explain_uses_the_override_of_a_city_without_a_policy_file() -> None:
    people = people_from_records([_person(1, "320500")])
    got = explain(people, ON, 1, Scenario.from_overrides({"320500": {KEY: 12}}), lang="en")
    permit = next(s for s in got.services if s.service == "residence_permit")
    assert permit.decision == "not_eligible" and permit.earliest == date(2026, 10, 1)
