"""HTML tables for the report: each column has a Chinese and an English header and its own format."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import polars as pl

from changzhu.report.lang import Lang, people, pick
from changzhu.report.sections import escape


@dataclass(frozen=True)
class Column:
    """A table column: the frame's column, its headers, and how a value is shown (as it is when `show` is None).

    Text values are aligned left, numbers right."""

    key: str
    zh: str
    en: str
    show: Callable[[Any, Lang], str] | None = None


def count(value: Any, lang: Lang) -> str:
    """People, places or beds: 万 / 亿 in Chinese."""
    return "—" if value is None else people(float(value), lang)


def yuan(value: Any, lang: Lang) -> str:
    """Yuan in units of 10⁸: the column says 亿元 in Chinese, 100 million yuan in English."""
    return "—" if value is None else f"{float(value) / 1e8:,.2f}"


def share(value: Any, lang: Lang) -> str:
    """A fraction as a percentage."""
    return "—" if value is None else f"{float(value):.1%}"


def decimal(value: Any, lang: Lang) -> str:
    """A plain number with two decimals."""
    return "—" if value is None else f"{float(value):,.2f}"


def signed(value: Any, lang: Lang) -> str:
    """A signed number with two decimals."""
    return "—" if value is None else f"{float(value):+,.2f}"


def html_table(frame: pl.DataFrame, columns: list[Column], lang: Lang, limit: int | None = None) -> str:
    """The frame's chosen columns as a scrollable table with translated headers."""
    head = "".join(f"<th>{escape(pick(c.zh, c.en, lang))}</th>" for c in columns)
    rows = []
    for row in (frame.head(limit) if limit else frame).iter_rows(named=True):
        cells = "".join(
            f"<td class='text'>{escape(str(row[c.key]) if c.show is None else c.show(row[c.key], lang))}</td>"
            if c.show is None or isinstance(row[c.key], str)
            else f"<td>{escape(c.show(row[c.key], lang))}</td>"
            for c in columns
        )
        rows.append(f"<tr>{cells}</tr>")
    return f"<div class='table-wrap'><table class='data'><tr>{head}</tr>{''.join(rows)}</table></div>"
