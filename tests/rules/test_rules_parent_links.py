"""Parent links the rules can follow: a person who is their own parent, or parents that lead back in a cycle, are
refused with the rows named (a child's rules read the parent's decisions, which such a table cannot order: before,
a table where every row had a parent in it made the interval engine read the child's own permit as the parent's)."""

from __future__ import annotations

import polars as pl
import pytest
from rules_support import ON, random_people

from changzhu.domain.person import PersonTableError
from changzhu.domain.services import Service
from changzhu.rules import evaluate


def _family(parents: list[int | None]) -> pl.DataFrame:
    people = random_people(len(parents), 11).with_columns(pl.lit("310100").alias("residence_region"))
    return people.with_columns(pl.Series("parent_id", parents, dtype=pl.Int64))


@pytest.mark.parametrize("earliest", [True, False])
def test_a_person_who_is_their_own_parent_is_named(earliest: bool) -> None:
    with pytest.raises(PersonTableError) as raised:
        evaluate(_family([None, 1, 0]), ON, earliest=earliest)
    assert str(raised.value.problems[0]) == "column 'parent_id' rows 1: a person cannot be their own parent"


@pytest.mark.parametrize("earliest", [True, False])
def test_parents_in_a_cycle_are_named(earliest: bool) -> None:
    with pytest.raises(PersonTableError) as raised:
        evaluate(_family([2, None, 3, 2, 0]), ON, services=[Service.COMPULSORY_SCHOOLING], earliest=earliest)
    assert str(raised.value.problems[0]) == "column 'parent_id' rows 0, 2, 3, 4: parent links form or lead into a cycle"


def test_long_lines_of_parents_are_not_a_cycle() -> None:
    line = [None, *range(0, 39)]  # each the parent of the next: 39 generations
    both = [evaluate(_family(line), ON, services=[Service.COMPULSORY_SCHOOLING], earliest=e) for e in (True, False)]
    assert both[0]["eligible_compulsory_schooling"].equals(both[1]["eligible_compulsory_schooling"])
