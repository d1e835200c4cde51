"""A number that is not finite (inf, -inf) is refused with its row and column named, not scored: the two evaluators
read it differently (the interval engine as the largest float, the compiled rules as inf). Unknown is an empty cell."""

from __future__ import annotations

import polars as pl
import pytest
from rules_support import ON, random_people

from changzhu.domain.person import PersonTableError
from changzhu.rules import evaluate


@pytest.mark.parametrize("earliest", [True, False])
def test_an_infinite_declared_input_is_named(earliest: bool) -> None:
    people = random_people(4, 21).with_columns(
        pl.lit("310100").alias("residence_region"),
        pl.Series("tax_paid_avg_3y", [1000.0, float("inf"), None, -float("inf")]),
    )
    with pytest.raises(PersonTableError) as raised:
        evaluate(people, ON, earliest=earliest)
    assert [str(p) for p in raised.value.problems] == [
        "column 'tax_paid_avg_3y' rows 1, 3: not a finite number (leave the cell empty where it is not known)"
    ]


def test_an_infinite_income_is_named() -> None:
    people = random_people(3, 22).with_columns(pl.Series("income_per_capita_month", [1.0, 2.0, float("inf")]))
    with pytest.raises(PersonTableError) as raised:
        evaluate(people, ON, earliest=False)
    assert "column 'income_per_capita_month' rows 2: not a finite number" in str(raised.value)
