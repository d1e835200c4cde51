"""Dates as a 街道's handwritten-then-typed register writes them: 2023年5月1号 (号 for 日, as people say a day of the
month) is 2023-05-01, a date and the month of a contribution alike; it was refused as no date."""

from __future__ import annotations

import polars as pl

from changzhu.tables.vocab import parse_date, parse_year_month


def test_a_day_written_with_hao_is_the_day() -> None:
    read = parse_date(pl.Series(["2023年5月1号", "2023年05月01号", "2023年5月1日"]))
    assert [str(d) for d in read.values.to_list()] == ["2023-05-01"] * 3
    assert read.reasons.null_count() == 3
    month = parse_year_month(pl.Series(["2021年3月1号"]))
    assert month.values.to_list() == [202103]
