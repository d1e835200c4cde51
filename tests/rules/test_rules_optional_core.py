"""The optional core columns (professional_title, admin_detentions): a table without the column, or with an empty
cell, leaves every decision that reads it undetermined and names it — never "none" or 0 — in both evaluators."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from changzhu.domain.person import validate_person_table
from changzhu.rules import evaluate, explain
from changzhu.rules.people import people_from_records

ON = date(2026, 6, 1)
_COMMON: dict[str, Any] = {
    "person_id": 1,
    "sex": "F",
    "hukou_region": "130100",
    "prior_region": None,
    "prior_residence_months": 0,
    "prior_si_months": 0,
    "employed": True,
    "income_per_capita_month": 8000.0,
    "parent_id": None,
    "criminal_record": False,
}
# 居转户: permit and insurance seven years, an intermediate title (沪府发〔2009〕7号)
SHANGHAI: dict[str, Any] = _COMMON | {
    "birth_date": date(1990, 3, 1),
    "residence_region": "310100",
    "residence_since": date(2019, 1, 1),
    "residence_permit_since": date(2019, 6, 1),
    "si_months_local": 84,
    "si_months_total": 84,
    "medical_months_local": 84,
    "education": "bachelor",
    "housing": "rented",
    "admin_detentions": 0,
    "professional_title": "skill_2_or_intermediate",
}
# Beijing: 137 points (a doctor with an owned home, 20 years insured) against a line of 105.42; a detention −30
BEIJING: dict[str, Any] = _COMMON | {
    "birth_date": date(1982, 3, 1),
    "residence_region": "110100",
    "residence_since": date(2006, 1, 1),
    "residence_permit_since": date(2006, 10, 1),
    "si_months_local": 240,
    "si_months_total": 240,
    "medical_months_local": 240,
    "education": "doctor",
    "housing": "owned",
    "professional_title": "none",
    "admin_detentions": 0,
    "degree": "doctor",
    "owned_home_months": 245,
    "rented_home_months": 0,
    "outer_residence_months": 0,
    "outer_residence_and_job_months": 0,
    "tax_years_over_100k_last3": 0,
    "beijing_honour": False,
}
CASES = [
    pytest.param(SHANGHAI, "professional_title", "residence_registration_settlement", id="shanghai-title"),
    pytest.param(BEIJING, "admin_detentions", "points_settlement", id="beijing-detentions"),
]


def _without(row: dict[str, Any], name: str) -> dict[str, Any]:
    return {k: v for k, v in row.items() if k != name}


@pytest.mark.parametrize(("row", "name", "service"), CASES)
@pytest.mark.parametrize("earliest", [True, False], ids=["interval", "compiled"])
def test_an_absent_column_leaves_the_decision_undetermined(
    row: dict[str, Any], name: str, service: str, earliest: bool
) -> None:
    known = evaluate(people_from_records([row]), ON, earliest=earliest).row(0, named=True)
    assert known[f"eligible_{service}"] is True and not known[f"undetermined_{service}"]
    for missing in (_without(row, name), row | {name: None}):  # no column at all; an empty cell
        out = evaluate(people_from_records([missing]), ON, earliest=earliest).row(0, named=True)
        assert out[f"eligible_{service}"] is False, missing
        assert out[f"undetermined_{service}"] is True
        assert name in out[f"needs_{service}"]


@pytest.mark.parametrize(("row", "name", "service"), CASES)
def test_explain_names_the_absent_column(row: dict[str, Any], name: str, service: str) -> None:
    label = {"professional_title": "title", "admin_detentions": "detentions"}[name]
    for lang, shown in (("en", label), ("zh", {"title": "职称", "detentions": "行政拘留"}[label])):
        got = explain(people_from_records([_without(row, name)]), ON, 1, lang=lang)
        decided = next(s for s in got.services if s.service == service)
        assert decided.decision == "undetermined"
        assert any(shown in need for need in decided.needs), decided.needs


def test_the_validated_table_keeps_the_absent_columns_null() -> None:
    row = _without(_without(SHANGHAI, "admin_detentions"), "professional_title")
    table = validate_person_table(people_from_records([row]))
    assert table["admin_detentions"].null_count() == 1 and table["professional_title"].null_count() == 1
