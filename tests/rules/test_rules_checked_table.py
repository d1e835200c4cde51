"""A CheckedPersonTable (the table reader's, checked once) is evaluated as its DataFrame is, and is still checked for
what depends on the evaluation date and the policies: the same problems, in the same order, as for the DataFrame."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
import pytest
from rules_support import ON, random_people

from changzhu.domain.person import CheckedPersonTable, PersonTableError
from changzhu.rules import evaluate
from changzhu.tables.person import person_schema, read_person_table


@pytest.mark.parametrize("earliest", [False, True])
def test_checked_table_gives_the_dataframes_result(earliest: bool) -> None:
    people = random_people(150, 11)
    assert evaluate(CheckedPersonTable(people), ON, earliest=earliest).equals(evaluate(people, ON, earliest=earliest))


def _late(df: pl.DataFrame) -> pl.DataFrame:
    """Row 4 moved in after the evaluation date, row 6 got a residence permit after it."""
    late = pl.col("person_id").is_in([4, 6])
    return df.with_columns(
        pl.when(late).then(pl.lit(date(2026, 9, 1))).otherwise(pl.col("residence_since")).alias("residence_since"),
        pl.when(pl.col("person_id") == 6)
        .then(pl.lit(date(2026, 10, 1)))
        .otherwise(pl.col("residence_permit_since"))
        .alias("residence_permit_since"),
    )


def _unknown_region(df: pl.DataFrame) -> pl.DataFrame:
    """Row 3 lives in a well-formed code that names no region."""
    region = pl.when(pl.col("person_id") == 3).then(pl.lit("129999")).otherwise(pl.col("residence_region"))
    return df.with_columns(region.alias("residence_region"))


def _bad_declared(df: pl.DataFrame) -> pl.DataFrame:
    """A declared input (Shanghai's degree) with a code it does not have in row 2."""
    return df.with_columns(pl.when(pl.col("person_id") == 2).then(pl.lit("phd")).otherwise(None).alias("degree"))


@pytest.mark.parametrize(
    "change",
    [_late, _unknown_region, _bad_declared, lambda df: _late(_unknown_region(df))],
    ids=["dates after the date", "unknown region", "declared input", "dates and region"],
)
def test_checked_table_is_rejected_as_the_dataframe_is(change) -> None:  # type: ignore[no-untyped-def]
    bad = change(random_people(30, 12))
    with pytest.raises(PersonTableError) as whole:
        evaluate(bad, ON)
    checked = CheckedPersonTable(bad)  # nothing here depends on the date or the policies
    with pytest.raises(PersonTableError) as once:
        evaluate(checked, ON)
    assert once.value.problems == whole.value.problems
    assert str(once.value) == str(whole.value)


def test_a_checked_table_is_made_by_checking() -> None:
    people = random_people(20, 13)
    bad = people.with_columns(
        pl.when(pl.col("person_id") == 5)
        .then(pl.col("si_months_total") + 1)
        .otherwise(pl.col("si_months_local"))
        .alias("si_months_local")
    )
    with pytest.raises(PersonTableError, match="rows 5: exceeds the total months of social insurance contributions"):
        CheckedPersonTable(bad)
    assert CheckedPersonTable(people).frame.schema["sex"] == pl.Enum(["F", "M"])


def test_the_reader_hands_over_its_checked_table(tmp_path: Path) -> None:
    people = random_people(40, 14)
    path = tmp_path / "people.csv"
    people.write_csv(path)
    read, checked = read_person_table(path, person_schema())
    assert checked is not None and checked.frame.height == read.frame.height == 40
    assert evaluate(checked, ON).equals(evaluate(people, ON))
    doubled = pl.concat([people, people.slice(7, 1)])  # a duplicate person_id: the cross-column check fails
    doubled.write_csv(path)
    kept, none = read_person_table(path, person_schema(), skip_bad_rows=True)
    assert none is None and kept.frame.height == 39


def test_declared_inputs_given_all_null_are_prepared_as_inputs_not_given() -> None:
    """A reader gives each declared input its file lacks as nulls of the input's type: they are prepared as inputs
    not given at all (the same typed columns: a text category column too becomes its codes), with the same result."""
    from changzhu.rules.catalog import policies_in_use
    from changzhu.rules.evaluate import prepare

    people = random_people(80, 5)
    declared = [i for i in policies_in_use().declared_inputs().values() if i.name not in people.columns]
    assert any(i.categories for i in declared) and any(i.type == "months" for i in declared)
    nulls = people.with_columns(pl.lit(None, dtype=i.dtype).alias(i.name) for i in declared)
    absent, given = prepare(people, ON).people, prepare(nulls, ON).people
    assert set(given.columns) == set(absent.columns)
    assert given.select(absent.columns).equals(absent)
    assert evaluate(nulls, ON, earliest=False).equals(evaluate(people, ON, earliest=False))
