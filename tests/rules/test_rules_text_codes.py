"""Region places and category codes read from the text's string views (changzhu.rules.text_codes), as polars' cast
gives them, and evaluate's validation handed them rather than casting the text again."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import polars as pl
import pytest
from rules_support import ON, random_people

import changzhu.domain.person as person
from changzhu.domain.person import PERSON_COLUMNS, PersonTableError, region_place
from changzhu.rules.catalog import region_lookup
from changzhu.rules.evaluate import evaluate, prepare
from changzhu.rules.text_codes import text_places


def _cast(column: pl.Series, known: tuple[str, ...]) -> list[int]:
    return column.to_frame().select(region_place(column.name, known).fill_null(-1)).to_series().to_list()


def _placed_as_cast(
    column: pl.Series, known: tuple[str, ...], cast: Callable[[pl.Series, tuple[str, ...]], list[int]], dtype: type
) -> None:
    """text_places of `column`, of it in two chunks and of a slice of it: each of `dtype`, as `cast` places it."""
    chunked = pl.concat([column[:1000], column[1000:]], rechunk=False)
    assert chunked.n_chunks() >= 2
    for part in (column, chunked, column[13:2500]):
        got = text_places(part, known, dtype)
        assert got is not None and got.dtype == dtype
        assert got.tolist() == cast(part, known)


def test_places_are_those_of_the_cast_with_nulls_chunks_and_slices() -> None:
    known = region_lookup().codes
    rng = np.random.default_rng(5)
    texts = [known[i] for i in rng.integers(0, len(known), 3000)]
    values: list[str | None] = [None if i % 7 == 0 else t for i, t in enumerate(texts)]
    _placed_as_cast(pl.Series("residence_region", values), known, _cast, np.int32)
    nothing = pl.Series("prior_region", [None] * 20, dtype=pl.String)
    assert text_places(nothing, known).tolist() == [-1] * 20  # type: ignore[union-attr]


@pytest.mark.parametrize("odd", ["999999", "31x100", "3101000", "", " 310100", "310100 and a long tail"])
def test_a_text_not_among_the_codes_is_left_to_the_cast(odd: str) -> None:
    known = region_lookup().codes
    column = pl.Series("hukou_region", [known[0], odd, known[1]])
    assert text_places(column, known) is None


def test_only_text_and_distinct_codes_are_placed() -> None:
    assert text_places(pl.Series("x", [1, 2]), ("1", "2")) is None
    assert text_places(pl.Series("x", ["a", "b"]), ("a", "a")) is None
    assert text_places(pl.Series("x", ["b" * 12, "a"]), ("a", "b" * 12)).tolist() == [1, 0]  # type: ignore[union-attr]
    assert text_places(pl.Series("x", ["a", "b" * 13]), ("a", "b" * 13)).tolist() == [0, 1]  # type: ignore[union-attr]


LONG = ("none", "skill_3", "skill_2_or_intermediate", "skill_1_or_senior", "vocational_college", "junior_secondary")


def _codes(column: pl.Series, known: tuple[str, ...]) -> list[int]:
    return column.cast(pl.Enum(list(known))).to_physical().cast(pl.Int8).fill_null(-1).to_list()


@pytest.mark.parametrize("dtype", [np.int8, np.int32])
def test_texts_longer_than_a_view_are_placed_as_the_cast_places_them(dtype: type, tmp_path: Path) -> None:
    """Codes of more than 12 bytes (held in the chunk's data buffer, not in the view) are compared byte by byte:
    each text its own bytes (built here) or a Parquet dictionary's texts read back (views pointing at the same
    bytes), with nulls, chunks and slices."""
    rng = np.random.default_rng(11)
    values: list[str | None] = [None if i % 9 == 0 else LONG[k] for i, k in enumerate(rng.integers(0, 6, 5000))]
    column = pl.Series("professional_title", values)
    _placed_as_cast(column, LONG, _codes, dtype)
    pl.DataFrame([column]).write_parquet(tmp_path / "t.parquet", row_group_size=1500)
    read = pl.read_parquet(tmp_path / "t.parquet")["professional_title"]
    _placed_as_cast(read, LONG, _codes, dtype)
    mixed = pl.concat([column[:2000], read[2000:]], rechunk=False)
    assert text_places(mixed, LONG, dtype).tolist() == _codes(mixed, LONG)  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "odd", ["skill_2_or_intermediatE", "skill_2_or_intermediate ", "skill_2_or_intermediat", "skill_1_or_seniors"]
)
def test_a_long_text_like_a_code_but_not_one_is_left_to_the_cast(odd: str, tmp_path: Path) -> None:
    """A text of a code's length and first bytes, differing after them (or one byte longer or shorter), is not placed,
    nor is it once read from Parquet after the code itself."""
    column = pl.Series("professional_title", ["none", "skill_2_or_intermediate", odd, "skill_3"])
    assert text_places(column, LONG) is None
    pl.DataFrame([column]).write_parquet(tmp_path / "t.parquet")
    assert text_places(pl.read_parquet(tmp_path / "t.parquet")["professional_title"], LONG) is None


def test_evaluate_reads_the_category_codes_from_the_text_and_validation_leaves_it_text() -> None:
    """The schema's category columns given as text are not cast to their Enum: the frame reads the codes found in the
    string views, and the result is that of the same table given as Enums; a text not among a column's categories is
    refused naming its row, as before."""
    people = random_people(600, seed=4).with_columns(
        pl.when(pl.col("person_id") % 5 == 0).then(None).otherwise("professional_title").alias("professional_title")
    )
    frame = prepare(people, ON)
    categories = {c.name: c.dtype for c in PERSON_COLUMNS if isinstance(c.dtype, pl.Enum)}
    assert set(categories) == {"sex", "education", "housing", "professional_title"}
    for name, dtype in categories.items():
        assert frame.people[name].dtype == pl.String
        assert frame.statics[name].tolist() == _codes(people[name], tuple(dtype.categories.to_list()))  # type: ignore[attr-defined]
    as_enums = people.with_columns(pl.col(name).cast(dtype) for name, dtype in categories.items())
    assert prepare(as_enums, ON).people["education"].dtype == categories["education"]
    for earliest in (True, False):
        assert evaluate(people, ON, earliest=earliest).equals(evaluate(as_enums, ON, earliest=earliest))
    bad = people.with_columns(
        pl.when(pl.col("person_id") == people["person_id"][5]).then(pl.lit("phd")).otherwise("education")
        .alias("education")
    )  # fmt: skip
    with pytest.raises(PersonTableError) as refused:
        prepare(bad, ON)
    assert any(p.column == "education" and 5 in p.rows for p in refused.value.problems)


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


def test_every_view_placed_is_kept_and_an_empty_slot_is_no_empty_text() -> None:
    """view_places keeps each view it placed, short or long (each row looks there first: one branch on every row,
    not one on the text's length), and a slot not yet written matches no text, the empty one (a view of zeros)
    included: it is placed where it is a code and left to the cast where not."""
    from changzhu.rules import text_codes

    kept: list[np.ndarray] = []
    real = text_codes.view_places

    def watching(*args: object) -> int:
        got = real(*args)
        kept.append(np.asarray(args[-2]).copy())  # seen_places after the call
        return int(got)

    column = pl.Series("x", ["a", "b" * 13, "", "a", None, "b" * 13])
    text_codes.view_places = watching
    try:
        got = text_places(column, ("b" * 13, "", "a"))
    finally:
        text_codes.view_places = real
    assert got is not None and got.tolist() == [2, 0, 1, 2, -1, 0]
    assert {int(p) for p in kept[0] if p >= 0} == {0, 1, 2}  # the short views kept too (each long one's own bytes)
    assert text_places(pl.Series("x", ["a", ""]), ("a", "b")) is None
    assert text_places(pl.Series("x", ["", "a"]), ("a", "b")) is None


def test_every_region_code_in_turn_is_placed_as_the_cast_places_it() -> None:
    """All the region codes, each many times in a random order: more views than slots kept, so views share a slot
    and replace each other there; every row placed as the cast places it."""
    known = region_lookup().codes
    rng = np.random.default_rng(19)
    texts = [known[i] for i in rng.integers(0, len(known), 20_000)]
    _placed_as_cast(pl.Series("hukou_region", texts), known, _cast, np.int32)
