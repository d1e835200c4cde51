"""A child with no parent linked in the table: unknown is never zero. Nobody said the parent does not live here, so
the services that read a parent's record are undetermined, naming the facts that settle them (parent_id: link the
parent; parent_lives_here), on the date and in the earliest-date engine, and explain says so; parent_lives_here
false decides them as "no parent here" (not eligible, as before), and a linked parent's record decides as before."""

from __future__ import annotations

from datetime import date
from typing import Any

import polars as pl
import pytest

from changzhu.rules import evaluate
from changzhu.rules.explain import explain
from changzhu.rules.people import people_from_records

ON = date(2026, 6, 1)


def _family(city: str, child_birth: date, **child: Any) -> pl.DataFrame:
    """Two working adults with permits and a child of theirs, in `city`; the child as `child` says (no link)."""
    adult = {
        "sex": "F", "hukou_region": "510100", "residence_region": city, "residence_since": date(2020, 6, 1),
        "residence_permit_since": date(2021, 1, 1), "si_months_local": 60, "si_months_total": 60,
        "medical_months_local": 60, "prior_region": None, "prior_residence_months": 0, "prior_si_months": 0,
        "employed": True, "education": "bachelor", "housing": "rented", "income_per_capita_month": 6000,
        "parent_id": None, "criminal_record": False,
    }  # fmt: skip
    kid = adult | {
        "birth_date": child_birth, "residence_permit_since": None, "employed": False, "si_months_local": 0,
        "si_months_total": 0, "medical_months_local": 0, "education": "primary",
    }  # fmt: skip
    rows = [
        adult | {"person_id": 1, "birth_date": date(1985, 1, 1)},
        adult | {"person_id": 2, "birth_date": date(1987, 1, 1), "sex": "M"},
        kid | {"person_id": 3} | child,
    ]
    return people_from_records(rows)


def _child(people: pl.DataFrame, service: str, earliest: bool) -> dict[str, Any]:
    got = evaluate(people, ON, earliest=earliest).filter(pl.col("person_id") == 3)
    return got.select(pl.col(f"^(eligible|undetermined|needs)_{service}$")).row(0, named=True)


UNKNOWN = ["parent_id", "parent_lives_here"]


@pytest.mark.parametrize("earliest", [False, True])
@pytest.mark.parametrize("city", ["440300", "310100"])
@pytest.mark.parametrize("says", [{}, {"parent_lives_here": None}, {"parent_lives_here": True}])
def test_a_child_without_a_linked_parent_is_undetermined_naming_the_parent(
    city: str, earliest: bool, says: dict[str, Any]
) -> None:
    got = _child(_family(city, date(2015, 9, 20), **says), "compulsory_schooling", earliest)
    assert got == {
        "eligible_compulsory_schooling": False,
        "undetermined_compulsory_schooling": True,
        "needs_compulsory_schooling": UNKNOWN,
    }


@pytest.mark.parametrize("earliest", [False, True])
@pytest.mark.parametrize("city", ["440300", "310100"])
def test_the_entrance_exam_on_an_unlinked_parent_is_undetermined(city: str, earliest: bool) -> None:
    got = _child(_family(city, date(2011, 9, 20)), "local_entrance_exam", earliest)  # 14: exam age
    assert got["undetermined_local_entrance_exam"] is True and not got["eligible_local_entrance_exam"]
    assert set(UNKNOWN) <= set(got["needs_local_entrance_exam"])


@pytest.mark.parametrize("earliest", [False, True])
@pytest.mark.parametrize("city", ["440300", "310100"])
def test_no_parent_living_here_is_not_eligible_as_before(city: str, earliest: bool) -> None:
    got = _child(_family(city, date(2015, 9, 20), parent_lives_here=False), "compulsory_schooling", earliest)
    assert got == {
        "eligible_compulsory_schooling": False,
        "undetermined_compulsory_schooling": False,
        "needs_compulsory_schooling": None,
    }


@pytest.mark.parametrize("earliest", [False, True])
@pytest.mark.parametrize("says", [None, False, True])
def test_a_linked_parent_decides_whatever_the_column_says(earliest: bool, says: bool | None) -> None:
    people = _family("440300", date(2015, 9, 20), parent_id=1, parent_lives_here=says)
    got = _child(people, "compulsory_schooling", earliest)
    assert got["eligible_compulsory_schooling"] is True and got["undetermined_compulsory_schooling"] is False
    moved = people.with_columns(  # the linked parent lives in another city: known, not eligible
        pl.when(pl.col("person_id") == 1).then(pl.lit("310100")).otherwise("residence_region").alias("residence_region")
    )
    got = _child(moved, "compulsory_schooling", earliest)
    assert got["eligible_compulsory_schooling"] is False and got["undetermined_compulsory_schooling"] is False


@pytest.mark.parametrize(
    ("lang", "unknown", "needs"),
    [
        ("en", "unknown: no parent linked", "needs: registered parent (household link), a parent lives in this city"),
        ("zh", "未知：未关联父母记录", "需要补充：已登记的父母（家庭关系）、父母一方在本市居住"),
    ],
)
def test_explain_shows_the_parent_unknown_not_failed(lang: str, unknown: str, needs: str) -> None:
    shown = explain(_family("440300", date(2015, 9, 20)), ON, person_id=3, lang=lang)
    school = next(s for s in shown.services if s.service == "compulsory_schooling")
    assert school.decision == "undetermined"
    on_parent = [c for c in school.conditions if c.subject in ("parent_same_region", "residence_permit")]
    assert [(c.passed, c.value) for c in on_parent] == [(None, unknown), (None, unknown)]
    assert all(c.missing is not None and c.missing.startswith(needs) for c in on_parent)
    assert needs in shown.to_text()
    told = explain(_family("440300", date(2015, 9, 20), parent_lives_here=False), ON, person_id=3, lang=lang)
    school = next(s for s in told.services if s.service == "compulsory_schooling")
    assert school.decision == "not_eligible"
    assert [c.passed for c in school.conditions if c.subject == "parent_same_region"] == [False]


@pytest.mark.parametrize("earliest", [False, True])
def test_an_adult_is_not_asked_for_a_parent_for_medical_insurance(earliest: bool) -> None:
    """The branch "a parent qualifies for a residence permit here" of medical insurance is for minors: an adult
    without a job, a permit or a local hukou is not eligible, and no parent link is asked for; a minor in the same
    case is undetermined, naming the parent."""
    jobless = {"employed": False, "housing": "none", "residence_permit_since": None}
    people = _family("440300", date(1990, 1, 1), residence_since=date(2026, 3, 1), **jobless)
    assert _child(people, "medical_insurance", earliest) == {
        "eligible_medical_insurance": False,
        "undetermined_medical_insurance": False,
        "needs_medical_insurance": None,
    }
    minor = _family("440300", date(2015, 9, 20), residence_since=date(2026, 3, 1), **jobless)
    got = _child(minor, "medical_insurance", earliest)
    assert got["undetermined_medical_insurance"] and set(UNKNOWN) <= set(got["needs_medical_insurance"])
