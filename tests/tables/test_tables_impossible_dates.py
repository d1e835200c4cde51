"""A date written in an accepted form whose month or day does not exist (a clerk's 2024.13.01, a 29 February of a
common year) is refused as no such day, naming the month or day; anything else lists every accepted form."""

from __future__ import annotations

from datetime import date

import polars as pl

from changzhu.tables.vocab import parse_date


def test_a_month_or_day_that_does_not_exist_is_named() -> None:
    cells = ["2024.13.01", "2023-02-29", "20241301", "2024年4月31日", "2024.2.29", "June 1", None]
    parsed = parse_date(pl.Series("d", cells))
    assert parsed.values.to_list() == [None, None, None, None, date(2024, 2, 29), None, None]
    assert [None if r is None else r.en for r in parsed.refusals()] == [
        "no such day: there is no month 13 (year 2024, month 13, day 1)",
        "no such day: month 2 of 2023 has no day 29",
        "no such day: there is no month 13 (year 2024, month 13, day 1)",
        "no such day: month 4 of 2024 has no day 31",
        None,
        "not a date (2026-06-01, 2026/6/1, 2026.6.1, 20260601 or 2026年6月1日)",
        None,
    ]
