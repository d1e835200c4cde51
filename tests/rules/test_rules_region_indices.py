"""The frame's region indices: each prefecture code's place among the lookup's codes, -1 for anything else."""

from __future__ import annotations

import polars as pl
import pytest
from rules_support import ON, random_people

from changzhu.domain.person import (
    CheckedPersonTable,
    PersonTableError,
    validate_person_table,
    validate_placing_regions,
)
from changzhu.rules.catalog import region_lookup
from changzhu.rules.frame import _region_indices


def test_each_prefecture_code_is_its_place_and_anything_else_is_minus_one() -> None:
    regions = region_lookup()
    codes = list(regions.codes)
    others = [None, "999999", "31010", "+31010", " 310100", "3101000", "310101", "110000", ""]
    people = pl.DataFrame(
        {
            "residence_region": codes + [None] * len(others),
            "hukou_region": list(reversed(codes)) + others,
            "prior_region": pl.Series([None] * (len(codes) + len(others)), dtype=pl.String),
        }
    )
    columns = ("residence_region", "hukou_region", "prior_region")
    residence, hukou, prior = _region_indices(people, columns, regions)
    assert residence.tolist() == list(range(len(codes))) + [-1] * len(others)
    assert hukou.tolist() == list(reversed(range(len(codes)))) + [-1] * len(others)
    assert prior.tolist() == [-1] * people.height
    assert residence.dtype == hukou.dtype == prior.dtype == "int32"


def _people_with_bad_codes(n: int) -> pl.DataFrame:
    """A valid table, then an unknown code, a malformed one and an unknown prior place in some rows."""
    people = random_people(n, seed=3)
    row = pl.col("person_id")
    return people.with_columns(
        pl.when(row == 2).then(pl.lit("129999")).otherwise(pl.col("residence_region")).alias("residence_region"),
        pl.when(row == 5).then(pl.lit("31x100")).otherwise(pl.col("hukou_region")).alias("hukou_region"),
        pl.when(row == 7).then(pl.lit("999999")).otherwise(pl.col("prior_region")).alias("prior_region"),
    )


def test_validation_places_the_region_codes_as_the_frame_would() -> None:
    """The places read in the validation pass are the frame's region indices, and the table is the one
    validate_person_table returns."""
    regions = region_lookup()
    people = random_people(300, seed=5)
    columns = ("residence_region", "hukou_region", "prior_region")
    typed, places = validate_placing_regions(people, as_of=ON, regions=regions.codes)
    assert typed.equals(validate_person_table(people, as_of=ON, known_regions=set(regions.codes)))
    expected = _region_indices(typed, columns, regions)
    assert [places[c].to_numpy().tolist() for c in columns] == [e.tolist() for e in expected]
    assert min(int(places[c].min()) for c in columns) >= -1  # type: ignore[arg-type]
    assert places["prior_region"].null_count() == 0


def test_validation_placing_regions_names_the_same_problems() -> None:
    """Unknown and malformed codes are named with the same rows, columns and reasons, in the same order, as when
    every distinct code is judged (validate_person_table); a checked table likewise."""
    codes = region_lookup().codes
    bad = _people_with_bad_codes(20)
    with pytest.raises(PersonTableError) as judged:
        validate_person_table(bad, as_of=ON, known_regions=set(codes))
    with pytest.raises(PersonTableError) as placed:
        validate_placing_regions(bad, as_of=ON, regions=codes)
    assert str(placed.value) == str(judged.value)
    assert {p.message.en for p in placed.value.problems} == {"unknown region code", "not a six-digit GB/T 2260 code"}
    checked = CheckedPersonTable(random_people(20, seed=3).with_columns(pl.lit("129999").alias("residence_region")))
    with pytest.raises(PersonTableError, match="unknown region code") as from_checked:
        validate_placing_regions(checked, as_of=ON, regions=codes)
    with pytest.raises(PersonTableError) as judged_checked:
        validate_person_table(checked, as_of=ON, known_regions=set(codes))
    assert str(from_checked.value) == str(judged_checked.value)


def test_regions_not_all_well_formed_are_judged_code_by_code() -> None:
    """A list of known regions holding a code that is not well formed: the places still come back, and that code is
    named malformed as validate_person_table names it."""
    codes = (*region_lookup().codes, "31x100")
    bad = _people_with_bad_codes(20)
    with pytest.raises(PersonTableError) as placed:
        validate_placing_regions(bad, as_of=ON, regions=codes)
    with pytest.raises(PersonTableError) as judged:
        validate_person_table(bad, as_of=ON, known_regions=set(codes))
    assert str(placed.value) == str(judged.value)
    good = random_people(50, seed=9)
    _, places = validate_placing_regions(good, as_of=ON, regions=codes)
    assert places["residence_region"].to_list() == [codes.index(c) for c in good["residence_region"]]
