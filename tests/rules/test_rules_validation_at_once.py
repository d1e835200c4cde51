"""Validation in one parallel polars call (validate_placing_regions on a good table) against the passes one after
another (validate_person_table): the same typed table and, where a value is bad, the same problems (columns, rows,
reasons, order) named; an optional category's unknown is -1 among the frame's codes, never a code."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest
from rules_support import ON, random_people

from changzhu.domain.person import (
    TITLE_LEVELS,
    CheckedPersonTable,
    ExtraColumn,
    PersonTableError,
    _placed_at_once,
    validate_person_table,
    validate_placing_regions,
)
from changzhu.rules.catalog import policies_in_use, region_lookup
from changzhu.rules.evaluate import prepare
from changzhu.rules.frame import _region_indices

REGION_COLUMNS = ("residence_region", "hukou_region", "prior_region")


def _extra() -> tuple[ExtraColumn, ...]:
    """The declared inputs as prepare checks them."""
    return tuple(
        ExtraColumn(i.name, i.dtype, tuple(c.code for c in i.categories), i.type in ("integer", "months"))
        for i in policies_in_use().declared_inputs().values()
    )


def _people(n: int = 60) -> pl.DataFrame:
    """Valid people with some of Shanghai's declared inputs given (text categories, counts, numbers, dates lists),
    some of them unknown."""
    people = random_people(n, seed=11)
    rng = np.random.default_rng(11)
    return people.with_columns(
        pl.Series("degree", rng.choice(["none", "bachelor", "master", None], n), dtype=pl.String),
        pl.Series("award_level", rng.choice(["none", "city_special"], n), dtype=pl.String),
        pl.Series("local_hires_avg_3y", rng.integers(0, 30, n), dtype=pl.Int64),
        pl.Series("tax_paid_avg_3y", rng.gamma(2.0, 1e5, n)),
        pl.Series("shortage_specialty", rng.random(n) < 0.2),
        pl.Series("false_material_dates", [[] if i % 7 else [ON] for i in range(n)], dtype=pl.List(pl.Date)),
        pl.Series("professional_title", rng.choice(["none", "skill_3", None], n), dtype=pl.String),
    )


def _both(people: pl.DataFrame | CheckedPersonTable) -> tuple[str, str]:
    """The error of each way (one call, passes one after another), or the empty text where it accepts the table."""
    codes = region_lookup().codes
    said: list[str] = []
    for check in (
        lambda: validate_placing_regions(people, as_of=ON, regions=codes, extra=_extra(), codes=True),
        lambda: validate_person_table(people, as_of=ON, known_regions=set(codes), extra=_extra(), codes=True),
    ):
        try:
            check()
            said.append("")
        except PersonTableError as exc:
            said.append(str(exc))
    return said[0], said[1]


def test_a_good_table_is_typed_and_placed_as_by_the_passes_one_after_another() -> None:
    regions = region_lookup()
    for people in (_people(), _people().reverse(), _people().drop("degree", "professional_title")):
        typed, places = validate_placing_regions(people, as_of=ON, regions=regions.codes, extra=_extra(), codes=True)
        expected = validate_person_table(people, as_of=ON, known_regions=set(regions.codes), extra=_extra(), codes=True)
        assert typed.equals(expected)
        assert typed.schema == expected.schema
        assert _placed_at_once(people, ON, _extra(), True, regions.codes) is not None  # taken in one call
        wanted = _region_indices(typed, REGION_COLUMNS, regions)
        assert [places[c].to_numpy().tolist() for c in REGION_COLUMNS] == [w.tolist() for w in wanted]
    checked = CheckedPersonTable(_people())
    typed, _ = validate_placing_regions(checked, as_of=ON, regions=regions.codes, extra=_extra(), codes=True)
    expected = validate_person_table(checked, as_of=ON, known_regions=set(regions.codes), extra=_extra(), codes=True)
    assert typed.equals(expected)
    assert typed.schema == expected.schema
    assert _placed_at_once(checked, ON, _extra(), True, regions.codes) is not None


def _set(people: pl.DataFrame, column: str, row: int, value: object) -> pl.DataFrame:
    values = people[column].to_list()
    values[row] = value
    return people.with_columns(pl.Series(column, values, dtype=people.schema[column]))


BAD = {
    "a negative count": lambda p: _set(p, "si_months_local", 3, -2),
    "a sex not among the codes": lambda p: _set(p, "sex", 4, "X"),
    "a date after the evaluation date": lambda p: _set(p, "residence_permit_since", 5, ON.replace(year=ON.year + 1)),
    "a degree not among the codes": lambda p: _set(p, "degree", 6, "phd"),
    "a negative declared count": lambda p: _set(p, "local_hires_avg_3y", 7, -1),
    "an infinite declared number": lambda p: _set(p, "tax_paid_avg_3y", 8, float("inf")),
    "a repeated person_id": lambda p: _set(p, "person_id", 9, 2),
    "a missing column": lambda p: p.drop("employed"),
    "prior months without a prior place": lambda p: _set(_set(p, "prior_region", 10, None), "prior_si_months", 10, 4),
    "an unknown region": lambda p: _set(p, "hukou_region", 11, "129999"),
    "two problems": lambda p: _set(_set(p, "sex", 1, "X"), "si_months_total", 2, None),
}


@pytest.mark.parametrize("bad", BAD)
def test_a_bad_value_is_named_as_by_the_passes_one_after_another(bad: str) -> None:
    one_call, passes = _both(BAD[bad](_people()))
    assert passes, bad  # the table is refused
    assert one_call == passes


def test_ids_out_of_order_but_not_repeated_are_accepted() -> None:
    people = _people().sample(fraction=1.0, shuffle=True, seed=3)
    assert _both(people) == ("", "")


def test_a_checked_table_is_checked_for_the_date_the_regions_and_the_declared_inputs() -> None:
    for bad in ("a date after the evaluation date", "a degree not among the codes", "an unknown region"):
        one_call, passes = _both(CheckedPersonTable(BAD[bad](_people())))
        assert passes, bad
        assert one_call == passes


def test_an_unknown_optional_category_is_minus_one_among_the_codes() -> None:
    """professional_title and degree have unknown rows: their codes are -1 there (never a code), int8, whether
    prefetched in one pass or built one at a time."""
    people = _people()
    for ahead in (True, False):
        frame = prepare(people, ON)
        if ahead:
            frame.prefetch(["professional_title", "degree", "education"])
        degrees = [c.code for c in policies_in_use().declared_inputs()["degree"].categories]
        for name, levels in (("professional_title", TITLE_LEVELS), ("degree", degrees)):
            codes = frame.statics[name]
            assert codes.dtype == np.int8
            given = people[name].to_list()
            assert codes.tolist() == [-1 if v is None else levels.index(v) for v in given]
