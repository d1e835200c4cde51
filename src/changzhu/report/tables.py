"""HTML tables for the report: each column has a Chinese and an English header and its own format."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import polars as pl

from changzhu.domain.lang import heading
from changzhu.report.lang import Lang, people, pick
from changzhu.report.sections import escape, table_box


@dataclass(frozen=True)
class Column:
    """A table column: the frame's column, its headers, and how a value is shown (as it is when `show` is None).

    Text values are aligned left, numbers right."""

    key: str
    zh: str
    en: str
    show: Callable[[Any, Lang], str] | None = None

    def header(self, lang: Lang) -> str:
        """The header in `lang`: the English in sentence case (`heading`), however the column was built."""
        return pick(self.zh, heading(self.en), lang)


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


def text_frame(frame: pl.DataFrame, columns: list[Column], lang: Lang) -> pl.DataFrame:
    """The frame's chosen columns as a terminal or spreadsheet reads them: each value as the report shows it, each
    header in `lang` (the same Column as the report's table)."""
    return pl.DataFrame(
        {c.header(lang): [v if c.show is None else c.show(v, lang) for v in frame[c.key].to_list()] for c in columns},
        schema={c.header(lang): pl.String for c in columns},
    )


NUMBER_AND_UNIT = re.compile(r"(\d) (?=\S)")  # "50 公里", "50 km", "6–11 岁": a figure and the word after it


def unbroken(header: str) -> str:
    """A table header (HTML) whose figures stay on one line with the word they count ("50&nbsp;公里内…",
    "within 50&nbsp;km"): a narrow column breaks the header elsewhere."""
    return NUMBER_AND_UNIT.sub("\\1&nbsp;", header)


FIGURE_IN_WAN = re.compile(r"(-?\d[\d,.]*[万亿])")  # -3.5万, 376.5万, 1.26亿 (report.lang.people), its sign inside


def kept_whole(figure: str) -> str:
    """A figure (HTML) whose number stays on one line with its 万 or 亿 (a narrow column broke "376.5 / 万")."""
    return FIGURE_IN_WAN.sub("<span class='figure'>\\1</span>", figure)


def html_table(
    frame: pl.DataFrame, columns: list[Column], lang: Lang, limit: int | None = None, *, stack: bool = False
) -> str:
    """The frame's chosen columns as a table with translated headers, in the box it scrolls in (`table_box`);
    `stack`: on a phone (the report's `table.data.stack` style) each row becomes a card whose cells name their
    column (`data-label`) instead of a table scrolling sideways."""
    headers = [c.header(lang) for c in columns]
    head = "".join(f"<th>{unbroken(escape(h))}</th>" for h in headers)
    labels = [f" data-label='{escape(h)}'" if stack else "" for h in headers]
    rows = []
    for row in (frame.head(limit) if limit else frame).iter_rows(named=True):
        cells = "".join(
            f"<td class='text'{label}>{escape(str(row[c.key]) if c.show is None else c.show(row[c.key], lang))}</td>"
            if c.show is None or isinstance(row[c.key], str)
            else f"<td{label}>{kept_whole(escape(c.show(row[c.key], lang)))}</td>"
            for c, label in zip(columns, labels, strict=True)
        )
        rows.append(f"<tr>{cells}</tr>")
    kind = "data stack" if stack else "data"
    return table_box(f"<table class='{kind}'><tr>{head}</tr>{''.join(rows)}</table>", lang)
