"""Frame.prefetch builds in one polars pass what the frame otherwise builds one array at a time: the same arrays.

Its date clocks read the same table of whole months as Clock.now; a dates input's counts are polars list
expressions that must agree with the padded matrix (dated_lists.dates_matrix, count_within), month ends included.
"""

from __future__ import annotations

import calendar
import random
from datetime import date, timedelta

import numpy as np
import polars as pl
import pytest
from rules_support import ON, random_people

from changzhu.domain.person import ExtraColumn, PersonTableError, _extra_checked, validate_person_table
from changzhu.rules.catalog import policies_in_use, region_lookup
from changzhu.rules.dated_lists import count_within, dates_matrix
from changzhu.rules.dates import to_days
from changzhu.rules.evaluate import prepare
from changzhu.rules.frame import DATE_CLOCKS, Frame, within_on


def _month_end_heavy(rng: random.Random, low: int, high: int) -> date:
    """A date whose day is often the 28th to the 31st (where adding months clips the day)."""
    year, month = rng.randint(low, high), rng.randint(1, 12)
    return date(year, month, min(calendar.monthrange(year, month)[1], rng.choice([1, 15, 28, 29, 30, 31])))


@pytest.mark.parametrize("seed", range(4))
def test_counts_of_a_dates_input_are_the_matrix_counts(seed: int) -> None:
    rng = random.Random(seed)
    lists = [
        [_month_end_heavy(rng, 2015, 2028) for _ in range(rng.randint(0, 4))] if rng.random() < 0.85 else None
        for _ in range(400)
    ]
    lists[0] = [date(2024, 1, 31), None]  # a null date in a list counts nowhere, as in the matrix
    series = pl.Series("d", lists, dtype=pl.List(pl.Date))
    matrix, lengths = dates_matrix(series)
    for _ in range(6):
        on = _month_end_heavy(rng, 2019, 2027)
        months = rng.choice([1, 12, 13, 24, 60])
        got = series.to_frame().select(within_on(pl.col("d"), months, on)).to_series().to_numpy()
        assert np.array_equal(got, count_within(matrix, months, to_days(on)))
    counted = series.to_frame().select(pl.col("d").list.len().fill_null(-1).cast(pl.Int32)).to_series().to_numpy()
    assert np.array_equal(counted, lengths)


def _people(seed: int) -> pl.DataFrame:
    """Valid people with month-end birth, residence and permit dates (some unknown), on ON."""
    rng = random.Random(seed)
    people = random_people(300, seed)
    n = people.height

    def dates(low: int, high: int, unknown: float) -> pl.Series:
        return pl.Series(
            [None if rng.random() < unknown else _month_end_heavy(rng, low, high) for _ in range(n)], dtype=pl.Date
        )

    birth, since = dates(1950, 1990, 0.0), dates(1995, 2025, 0.0)
    permit = dates(1996, 2025, 0.4)
    permit = pl.Series([p if p is None or p >= s else s for p, s in zip(permit, since, strict=True)], dtype=pl.Date)
    return people.with_columns(birth_date=birth, residence_since=since, residence_permit_since=permit)


@pytest.mark.parametrize("seed", range(3))
def test_prefetched_arrays_are_those_built_one_by_one(seed: int) -> None:
    policies, regions = policies_in_use(), region_lookup()
    typed = validate_person_table(_people(seed), as_of=ON)
    statics = ["employed", "criminal_record", "education", "housing", "professional_title", "si_base_ratio"]
    for on in (ON, ON - timedelta(days=1), date(2026, 2, 28), date(2024, 2, 29)):
        ahead, lazy = Frame(typed, on, policies, regions), Frame(typed, on, policies, regions)
        ahead.prefetch(statics, DATE_CLOCKS)
        assert set(DATE_CLOCKS) <= set(ahead.clocks) and set(statics) <= set(ahead.statics)
        for name in statics:
            assert np.array_equal(ahead.statics[name], lazy.statics[name]), name
        for name in DATE_CLOCKS:
            now, want = ahead.clocks[name].now(ahead.on), lazy.clocks[name].now(lazy.on)
            assert now.dtype == want.dtype and np.array_equal(now, want), (name, on)
            assert np.array_equal(ahead.clocks[name].base, lazy.clocks[name].base), name


def test_dates_before_the_table_of_months_are_counted_as_clock_now_counts_them() -> None:
    """A birth date before 1850 (outside the table of whole months): the clock is left to Clock.now."""
    policies, regions = policies_in_use(), region_lookup()
    people = _people(5).with_columns(
        pl.when(pl.col("person_id") == 3).then(date(1840, 2, 29)).otherwise(pl.col("birth_date")).alias("birth_date")
    )
    typed = validate_person_table(people, as_of=ON)
    ahead, lazy = Frame(typed, ON, policies, regions), Frame(typed, ON, policies, regions)
    ahead.prefetch(["employed", "housing"], ["age", "residence"])
    assert np.array_equal(ahead.clocks["age"].now(ahead.on), lazy.clocks["age"].now(lazy.on))
    assert np.array_equal(ahead.clocks["residence"].now(ahead.on), lazy.clocks["residence"].now(lazy.on))


def _extra() -> tuple[ExtraColumn, ...]:
    declared = policies_in_use().declared_inputs().values()
    return tuple(
        ExtraColumn(i.name, i.dtype, tuple(c.code for c in i.categories), i.type in ("integer", "months"))
        for i in declared
    )


def test_bad_declared_inputs_are_named_as_one_by_one() -> None:
    """The declared inputs' parallel check finds a bad code (also when it is cast to codes) or a negative count, and
    the problems are those the one-by-one path names, in its order."""
    people = random_people(50, 3).with_columns(
        degree=pl.Series(["bachelor"] * 50).scatter([2, 7], "phd"),
        local_hires_avg_3y=pl.Series([0] * 50).scatter(4, -1),
    )
    extra = _extra()
    _, expected = _extra_checked(people, [c for c in extra if c.name in people.columns])
    assert [(p.column, p.rows) for p in expected] == [("degree", (2, 7)), ("local_hires_avg_3y", (4,))]
    for codes in (False, True):
        with pytest.raises(PersonTableError) as raised:
            validate_person_table(people, as_of=ON, extra=extra, codes=codes)
        assert raised.value.problems == expected


def test_a_declared_category_is_read_as_its_codes_only_when_asked() -> None:
    people = random_people(50, 4).with_columns(degree=pl.Series(["bachelor", None] * 25))
    assert validate_person_table(people, as_of=ON, extra=_extra())["degree"].dtype == pl.String
    typed = validate_person_table(people, as_of=ON, extra=_extra(), codes=True)
    assert typed["degree"].dtype == pl.Enum(["none", "bachelor", "master", "doctor"])
    assert typed["degree"].cast(pl.String).equals(people["degree"])


def test_declared_inputs_a_table_leaves_out_are_one_shared_array_per_value() -> None:
    """Declared inputs with no value anywhere (left out of the table, or given empty) are read as the arrays their
    rules read, one read-only array per value and type for all of them; prefetched or not, their values are those of
    a column given with a value on some row and null on the others."""
    declared = {i.name: i for i in policies_in_use().declared_inputs().values()}
    numbers = sorted(name for name, i in declared.items() if i.type == "number")[:3]
    months = sorted(name for name, i in declared.items() if i.type == "months")[:2]
    assert len(numbers) == 3 and len(months) == 2
    people = random_people(40, 6).with_columns(pl.lit(None, dtype=pl.Float64).alias(numbers[2]))
    frame = prepare(people, ON)
    first, second, given_empty = (frame.statics[name] for name in numbers)
    assert first is second is given_empty and not first.flags.writeable and np.isnan(first).all()
    counts = [frame.clocks[name].const for name in months]
    assert counts[0] is counts[1] and (counts[0] == -1).all()
    ahead = prepare(people, ON)
    ahead.prefetch(numbers, months)
    assert ahead.statics[numbers[0]] is ahead.statics[numbers[1]]
    one_known = people.with_columns(pl.Series(numbers[0], [2.5] + [None] * 39), pl.Series(months[0], [7] + [None] * 39))
    read = prepare(one_known, ON)
    assert np.array_equal(read.statics[numbers[0]][1:], first[1:], equal_nan=True)
    assert np.array_equal(read.clocks[months[0]].const[1:], counts[0][1:])


def test_inputs_a_table_leaves_out_are_found_in_one_select_before_the_engine_reads_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """prefetch_blanks: every statics and clock among the names whose column holds no value is built by one select on
    a row of nulls (not one select each on first use), as the same shared arrays; a column with a value is left to
    be built on first use."""
    declared = {i.name: i for i in policies_in_use().declared_inputs().values()}
    numbers = sorted(name for name, i in declared.items() if i.type == "number")[:3]
    months = sorted(name for name, i in declared.items() if i.type == "months")[:2]
    people = random_people(40, 6)
    lazy, ahead = prepare(people, ON), prepare(people, ON)
    selects: list[set[str]] = []
    blank_reads = Frame._blank_reads
    monkeypatch.setattr(
        Frame, "_blank_reads", lambda frame, reads: selects.append(set(reads)) or blank_reads(frame, reads)
    )
    ahead.prefetch_blanks([*numbers, *months, "employed", "age", "no such variable"])
    assert len(selects) == 1 and set(numbers) <= selects[0] and "employed" not in ahead.statics
    statics, counts = [ahead.statics[name] for name in numbers], [ahead.clocks[name].const for name in months]
    assert len(selects) == 1  # the clocks' counts were found in that select too
    for name, got in zip(numbers, statics, strict=True):
        assert got is statics[0] and np.array_equal(got, lazy.statics[name], equal_nan=True)
    for name, got in zip(months, counts, strict=True):
        assert np.array_equal(got, lazy.clocks[name].const)
