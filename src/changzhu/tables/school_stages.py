"""Schools that span stages (九年一贯制, 完全中学, 十二年一贯制) in a facility list: one row, one capacity, split into a
row per planned stage by the stage's share of the school's grades, so no place is dropped or counted twice.

The share assumes the 六三学制 (6 primary grades, 3 junior, 3 senior) and as many places in each grade; a stage the
plan does not count (高中) keeps its share out of every planned service. A planner who knows a school's real split
writes one row per stage instead (小学 1,800; 初中 900). docs/planning.md, "Schools that span stages"."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl

from changzhu.tables.schema import Category

PRIMARY, JUNIOR = "primary_school_places", "junior_secondary_places"
SENIOR = "senior"  # a stage no shipped service plans: its grades count in the share, its places in no service


@dataclass(frozen=True)
class SpanningSchool:
    """A kind of school serving several stages: its code in a facility list, labels, other words, and the grades of
    each stage (a planned service key, or SENIOR)."""

    code: str
    zh: str
    en: str
    words: tuple[str, ...]
    grades: tuple[tuple[str, int], ...]

    def category(self) -> Category:
        return Category(self.code, self.zh, self.en, self.words)

    def shares(self, capacity: float, planned: Sequence[str]) -> list[tuple[str, float]]:
        """The capacity of each planned stage: by grades, rounded to whole places that add up to the planned part."""
        total = sum(g for _, g in self.grades)
        out, before, seen = [], 0.0, 0
        for stage, grades in self.grades:
            seen += grades
            upto = round(capacity * seen / total)
            if stage in planned:
                out.append((stage, float(upto - before)))
            before = upto
        return out


SPANNING_SCHOOLS = (
    SpanningSchool(
        "nine_year_school",
        "九年一贯制学校",
        "nine-year school (primary and junior)",
        ("九年一贯制", "九年制学校", "九年一贯"),
        ((PRIMARY, 6), (JUNIOR, 3)),
    ),
    SpanningSchool(
        "complete_secondary_school",
        "完全中学",
        "complete secondary school (junior and senior)",
        ("完中", "完全中学（初中、高中）"),
        ((JUNIOR, 3), (SENIOR, 3)),
    ),
    SpanningSchool(
        "twelve_year_school",
        "十二年一贯制学校",
        "twelve-year school (primary to senior)",
        ("十二年一贯制", "十二年制学校"),
        ((PRIMARY, 6), (JUNIOR, 3), (SENIOR, 3)),
    ),
)


def spanning_categories(planned: Sequence[str]) -> tuple[Category, ...]:
    """The words a facility list's service column reads for the spanning schools one of whose stages is planned."""
    return tuple(s.category() for s in SPANNING_SCHOOLS if any(stage in planned for stage, _ in s.grades))


def split_spanning_schools(frame: pl.DataFrame, planned: Sequence[str]) -> tuple[pl.DataFrame, list[int]]:
    """The facility list with each spanning school's row replaced by one row per planned stage (its share of the
    capacity), and for each row the row it came from. A list without one is returned as it is."""
    kinds = {s.code: s for s in SPANNING_SCHOOLS}
    services = frame["service"].cast(pl.String)
    if not services.is_in(list(kinds)).any():
        return frame, list(range(frame.height))
    rows: list[dict[str, object]] = []
    source: list[int] = []
    for i, row in enumerate(frame.iter_rows(named=True)):
        kind = kinds.get(str(row["service"]))
        if kind is None:
            rows.append(row)
            source.append(i)
            continue
        for stage, capacity in kind.shares(row["capacity"], planned):
            rows.append({**row, "service": stage, "capacity": capacity})
            source.append(i)
    return pl.DataFrame(rows, schema=frame.schema, orient="row"), source
