"""The arrays the rules read from the table's columns, built with fewer passes (docs/performance-history.md,
thirteenth pass): the same values as before, in less memory written."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest
from rules_support import ON, random_people

from changzhu.rules.evaluate import prepare
from changzhu.rules.frame import _NUMBERS

NUMBERS = ("income_per_capita_month", "si_base_ratio", "admin_detentions")


def _with_nulls(people: pl.DataFrame) -> pl.DataFrame:
    every_third = pl.int_range(pl.len()) % 3 == 0
    nullable = ("si_base_ratio", "admin_detentions")  # (income is required)
    return people.with_columns(pl.when(every_third).then(None).otherwise(pl.col(c)).alias(c) for c in nullable)


@pytest.mark.parametrize("nulls", [False, True])
def test_number_columns_are_read_in_one_conversion(monkeypatch: pytest.MonkeyPatch, nulls: bool) -> None:
    """income, the insurance base ratio and detentions as float64 with NaN where null, equal to the cast and fill
    they were built by, without a select on the table (fails on 9adc8c8: one select each)."""
    people = random_people(3_000, 11)
    people = _with_nulls(people) if nulls else people
    frame = prepare(pl.concat([people[:1000], people[1000:]], rechunk=False), ON)  # (a table in chunks)
    expected = {name: frame.people.select(_NUMBERS[name][0]).to_series().to_numpy() for name in NUMBERS}
    selected: list[list[str]] = []
    select = pl.DataFrame.select

    def recording(self: pl.DataFrame, *args: object, **kwargs: object) -> pl.DataFrame:
        selected.append(self.columns)
        return select(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pl.DataFrame, "select", recording)
    for name in NUMBERS:
        got = frame.statics[name]
        assert got.dtype == np.float64 and np.array_equal(got, expected[name], equal_nan=True)
        assert bool(np.isnan(got).any()) == (nulls and name != "income_per_capita_month")
    assert not any(set(columns) & set(NUMBERS) for columns in selected)


def test_city_size_class_and_other_province_are_the_tables_values() -> None:
    """city_size_class read from one int8 table (-1 for no region) and hukou_other_province compared as int8 give
    what the region table says, row by row."""
    people = random_people(2_000, 12)
    frame = prepare(people, ON)
    regions = frame.regions
    res, hukou = frame.region_idx, frame.hukou_idx
    size = frame.statics["city_size_class"]
    assert size.dtype == np.int8
    assert size.tolist() == [int(regions.size_class[r]) if r >= 0 else -1 for r in res.tolist()]
    other = frame.statics["hukou_other_province"]
    assert other.tolist() == [bool(regions.province[r] != regions.province[h]) for r, h in zip(res, hukou, strict=True)]
