"""Region places read from the text's string views (changzhu.rules.text_codes), as polars' cast gives them, and
evaluate's validation handed them rather than casting the text again."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest
from rules_support import ON, random_people

import changzhu.domain.person as person
from changzhu.domain.person import PersonTableError, region_place
from changzhu.rules.catalog import region_lookup
from changzhu.rules.evaluate import evaluate, prepare
from changzhu.rules.text_codes import text_places


def _cast(column: pl.Series, known: tuple[str, ...]) -> list[int]:
    return column.to_frame().select(region_place(column.name, known).fill_null(-1)).to_series().to_list()


def test_places_are_those_of_the_cast_with_nulls_chunks_and_slices() -> None:
    known = region_lookup().codes
    rng = np.random.default_rng(5)
    texts = [known[i] for i in rng.integers(0, len(known), 3000)]
    values: list[str | None] = [None if i % 7 == 0 else t for i, t in enumerate(texts)]
    column = pl.Series("residence_region", values)
    got = text_places(column, known)
    assert got is not None and got.dtype == np.int32
    assert got.tolist() == _cast(column, known)
    chunked = pl.concat([column[:1000], column[1000:]], rechunk=False)
    assert chunked.n_chunks() == 2
    assert text_places(chunked, known).tolist() == _cast(chunked, known)  # type: ignore[union-attr]
    sliced = column[13:2500]
    assert text_places(sliced, known).tolist() == _cast(sliced, known)  # type: ignore[union-attr]
    nothing = pl.Series("prior_region", [None] * 20, dtype=pl.String)
    assert text_places(nothing, known).tolist() == [-1] * 20  # type: ignore[union-attr]


@pytest.mark.parametrize("odd", ["999999", "31x100", "3101000", "", " 310100", "310100 and a long tail"])
def test_a_text_not_among_the_codes_is_left_to_the_cast(odd: str) -> None:
    known = region_lookup().codes
    column = pl.Series("hukou_region", [known[0], odd, known[1]])
    assert text_places(column, known) is None


def test_only_text_and_short_distinct_codes_are_placed() -> None:
    assert text_places(pl.Series("x", [1, 2]), ("1", "2")) is None
    assert text_places(pl.Series("x", ["a", "b"]), ("a", "a")) is None
    assert text_places(pl.Series("x", ["a"]), ("a", "b" * 13)) is None
    assert text_places(pl.Series("x", ["b" * 12, "a"]), ("a", "b" * 12)).tolist() == [1, 0]  # type: ignore[union-attr]


def test_evaluate_hands_validation_the_places_and_reads_no_region_text(monkeypatch: pytest.MonkeyPatch) -> None:
    """A good table's region codes are not cast to an Enum by validation (the caller's places are used); a table with
    an unknown code is refused naming it, as before."""
    people = random_people(400, seed=9)
    expected = evaluate(people, ON, earliest=False, needs=False)
    calls: list[str] = []
    real = person.region_place

    def counted(column: str, regions: object) -> pl.Expr:
        calls.append(column)
        return real(column, regions)  # type: ignore[arg-type]

    monkeypatch.setattr(person, "region_place", counted)
    frame = prepare(people, ON)
    assert calls == []
    assert frame.region_idx.tolist() == _cast(people["residence_region"], region_lookup().codes)
    assert evaluate(people, ON, earliest=False, needs=False).equals(expected)
    bad = people.with_columns(
        pl.when(pl.col("person_id") == people["person_id"][3]).then(pl.lit("129999")).otherwise("residence_region")
        .alias("residence_region")
    )  # fmt: skip
    with pytest.raises(PersonTableError) as refused:
        prepare(bad, ON)
    assert any(p.column == "residence_region" and 3 in p.rows for p in refused.value.problems)


def test_a_column_in_chunks_is_read_chunk_by_chunk(monkeypatch: pytest.MonkeyPatch) -> None:
    """The views of a column in chunks are read where they are: no Arrow array of the whole column is asked for
    (to_arrow of a column in chunks first copies every chunk's views into one, 16 bytes a row)."""
    known = region_lookup().codes
    parts = [pl.Series("hukou_region", [known[i % 7] if i % 5 else None for i in range(k, k + 400)]) for k in (0, 9)]
    column = pl.concat([parts[0], parts[1][3:]], rechunk=False)
    assert column.n_chunks() == 2
    asked: list[int] = []
    real = pl.Series.to_arrow

    def recorded(self: pl.Series, *args: object, **kwargs: object) -> object:
        asked.append(self.len())
        return real(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pl.Series, "to_arrow", recorded)
    got = text_places(column, known)
    assert got is not None and got.tolist() == _cast(column, known)
    assert asked == [400, 397]
