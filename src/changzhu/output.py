"""Printing tables for people (rich) and for machines (CSV, JSON), and exporting them (CSV, XLSX, Parquet)."""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Collection, Iterable, Mapping, Sequence
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from changzhu.errors import ChangzhuError
from changzhu.figures import minus

if TYPE_CHECKING:  # polars is imported where a table is written, so `changzhu <cmd> --help` stays light
    import polars as pl
    from rich.table import Table

# Piped output gets a wide console so tables are not truncated to 80 columns.
console = Console(width=None if sys.stdout.isatty() else 160)
err_console = Console(stderr=True, width=None if sys.stderr.isatty() else 160)


class OutputFormat(StrEnum):
    """How a command prints its table."""

    TABLE = "table"
    CSV = "csv"
    JSON = "json"
    XLSX = "xlsx"
    PARQUET = "parquet"


class PrintFormat(StrEnum):
    """How a command that only prints its table prints it (its files are written by --out, by their suffix)."""

    TABLE = "table"
    CSV = "csv"
    JSON = "json"


FILE_FORMATS = {
    ".csv": OutputFormat.CSV,
    ".xlsx": OutputFormat.XLSX,
    ".parquet": OutputFormat.PARQUET,
    ".json": OutputFormat.JSON,
}
ExportOption = Annotated[
    Path | None,
    typer.Option("--out", help="write the table to this file (.csv with BOM, .xlsx, .parquet or .json)"),
]
# For commands whose --out is a directory of results: the tables they print, to one file (several: see export_tables).
ExportTablesOption = Annotated[
    Path | None,
    typer.Option(
        "--export",
        help="also write the printed tables to this file: .csv (BOM), .xlsx (a sheet each), .parquet or .json; "
        "several CSV/Parquet tables go to FILE_<table>.<ext>",
    ),
]


PERCENT_SUFFIXES = ("share", "gap", "rate", "pct_of_residents")


def cell_text(column: str, value: object, decimals: int | None = None) -> str:
    """A value as the terminal table writes it: none as —, figures with thousands separated (`decimals` places), a
    negative one with the true minus (changzhu/figures.py; the CSV, JSON and files keep the number)."""
    return minus(_cell(column, value, decimals))


def _cell(column: str, value: object, decimals: int | None) -> str:
    if value is None:
        return "—"
    if isinstance(value, float) and decimals is not None:
        return f"{value:,.{decimals}f}"
    if isinstance(value, float):
        if column.endswith(PERCENT_SUFFIXES):
            return f"{value:.2%}"
        return f"{value:,.2f}" if abs(value) >= 100 else f"{value:,.4g}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)


# zstd at level 2 rather than polars' default (3): `evaluate`'s 29 result columns at 1M people 0.27 → 0.21 s of CPU
# and 6.8 → 5.6 MB (docs/performance-history.md, the whole process)
PARQUET_ZSTD_LEVEL = 2


def export_table(df: pl.DataFrame, path: Path, fmt: OutputFormat | None = None) -> None:
    """Write every row of `df` to `path`: CSV (UTF-8 with BOM, so Excel opens it), XLSX or Parquet.

    The format is `fmt` if it is one of these, else the file's suffix."""
    given = (OutputFormat.CSV, OutputFormat.XLSX, OutputFormat.PARQUET)  # --format json prints; the suffix decides
    chosen = fmt if fmt in given else FILE_FORMATS.get(path.suffix.lower())
    if chosen is None:
        raise _suffix_refused("--out", path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if chosen == OutputFormat.CSV:
        spreadsheet_cells(df).write_csv(path, include_bom=True)
    elif chosen == OutputFormat.XLSX:
        spreadsheet_cells(df).write_excel(path, autofit=True)
    elif chosen == OutputFormat.JSON:
        path.write_text(_json(df), encoding="utf-8")
    else:
        df.write_parquet(path, compression="zstd", compression_level=PARQUET_ZSTD_LEVEL)


def spreadsheet_cells(df: pl.DataFrame) -> pl.DataFrame:
    """`df` as a CSV or a sheet holds it, a cell a text: a list written "a; b" (a decision's needs_), a record as JSON
    text; Parquet and JSON keep them as they are."""
    import polars as pl

    lists = [c for c, t in df.schema.items() if isinstance(t, pl.List | pl.Array)]
    records = [c for c, t in df.schema.items() if isinstance(t, pl.Struct)]
    if not lists and not records:
        return df
    return df.with_columns(
        *(pl.col(c).cast(pl.List(pl.String)).list.join("; ") for c in lists),
        *(pl.col(c).struct.json_encode() for c in records),
    )


# the characters Excel refuses in a sheet's name, each written as one it takes
SHEET_NAME_UNSAFE = str.maketrans({":": "：", "/": "／", "\\": "＼", "?": "？", "*": "＊", "[": "（", "]": "）"})


def export_tables(tables: dict[str, pl.DataFrame], path: Path, sheets: Mapping[str, str] | None = None) -> list[Path]:
    """Write named tables by `path`'s suffix: one table to `path`; several to one workbook (.xlsx, a sheet each,
    titled by `sheets` where given: the reader's words, else the table's name), one JSON object of row lists (.json),
    or `<stem>_<name><suffix>` files (.csv, .parquet). The paths written."""
    suffix = path.suffix.lower()
    if FILE_FORMATS.get(suffix) is None:
        raise _suffix_refused("--export", path)
    if len(tables) == 1:
        export_table(next(iter(tables.values())), path)
        return [path]
    path.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".xlsx":
        from xlsxwriter import Workbook

        with Workbook(path) as book:
            for name, df in tables.items():
                title = (sheets or {}).get(name, name).translate(SHEET_NAME_UNSAFE)[:31]
                df.write_excel(book, worksheet=title, autofit=True)
        return [path]
    if suffix == ".json":
        rows = {name: json.loads(_json(df)) for name, df in tables.items()}
        path.write_text(json.dumps(rows, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        return [path]
    written = [path.with_name(f"{path.stem}_{name}{path.suffix}") for name in tables]
    for target, df in zip(written, tables.values(), strict=True):
        export_table(df, target)
    return written


def _json(df: pl.DataFrame) -> str:
    """Rows as a JSON list of objects (dates as ISO strings), Chinese as is."""
    return json.dumps(df.to_dicts(), ensure_ascii=False, default=str, indent=1) + "\n"


FIGURE_THEN_HAN = re.compile(r"(\d) (?=[\u4e00-\u9fff])")  # "50 公里内", "6–11 岁"


def terminal_header(name: str) -> str:
    """A column's header as the terminal table shows it: a figure written with its Chinese unit ("50公里内", not
    "50 公里内", which a narrow column breaks after "50"; the terminal breaks a header at its spaces only and a
    non-breaking space is one to it). The files keep the header as written."""
    return FIGURE_THEN_HAN.sub(r"\1", name)


def rich_table(
    df: pl.DataFrame,
    title: str | None = None,
    *,
    decimals: Mapping[str, int] | None = None,
    right: Collection[str] = (),
) -> Table:
    """`df` as the terminal table `emit_table` prints (figures aligned right, `decimals` places where given; a long
    word folds onto the next line rather than being cut)."""
    from rich.table import Table

    table = Table(title=title, show_lines=False, header_style="bold")
    for name, dtype in df.schema.items():
        table.add_column(
            terminal_header(name),
            justify="right" if dtype.is_numeric() or name in right else "left",
            overflow="fold",
        )
    places = decimals or {}
    for row in df.iter_rows():
        table.add_row(*(cell_text(name, v, places.get(name)) for name, v in zip(df.columns, row, strict=True)))
    return table


def print_fields(rows: Iterable[Sequence[str]]) -> None:
    """A record on screen: a field per line, its label in bold, its value folded, never cut (a person key is there to
    be copied)."""
    from rich.table import Table

    table = Table(show_header=False)
    table.add_column(style="bold")
    table.add_column(overflow="fold")
    for label, value in rows:
        table.add_row(label, value)
    console.print(table)


def fits(table: Table) -> bool:
    """Whether the terminal is wide enough for `table` with no word broken (each column at least its longest word;
    a Chinese name, which has no spaces, is one word)."""
    from rich.measure import Measurement

    unbounded = console.options.update_width(1_000_000)  # rich clamps a measure to the width it is given
    return Measurement.get(console, unbounded, table).minimum <= console.width


def emit_table(
    df: pl.DataFrame,
    fmt: OutputFormat | PrintFormat,
    title: str | None = None,
    *,
    limit: int | None = None,
    out: Path | None = None,
    decimals: Mapping[str, int] | None = None,
    right: Collection[str] = (),
    lang: str = "en",
) -> None:
    """Print `df` as a rich table (first `limit` rows), or all rows as CSV or JSON on stdout; with `out`, write
    all rows to that file instead (CSV, XLSX or Parquet, by `fmt` or the file's suffix), saying so in `lang` (the
    command's: "zh" or "en", domain.lang.Lang's values). `decimals`: the columns
    whose figures the table shows to that many places (e.g. 亿元 to two), the others as `cell_text` writes them;
    `right`: text columns holding figures already written out (aligned right, as numbers are); a long word (a
    Chinese name has no spaces to break at) folds onto the next line rather than being cut."""
    if out is not None:
        export_table(df, out, OutputFormat(fmt.value))
        said = f"{df.height:,} 行已写入 {out}" if lang == "zh" else f"{df.height:,} row(s) written to {out}"
        err_console.print(said, highlight=False)
        return
    if fmt in (OutputFormat.XLSX, OutputFormat.PARQUET):
        raise ChangzhuError(  # said in both languages: the error line shows the half in its own (refusals.uncoded)
            f"--format {fmt.value} 写出的是文件：请用 --out 文件名 指定写到哪里"
            f" / --format {fmt.value} writes a file: give --out FILE"
        )
    if fmt == OutputFormat.CSV:
        sys.stdout.write(df.write_csv())
        return
    if fmt == OutputFormat.JSON:
        sys.stdout.write(_json(df))
        return
    console.print(rich_table(df.head(limit) if limit else df, title, decimals=decimals, right=right))
    if limit and df.height > limit:
        console.print(f"[dim]{more_rows(df.height - limit, lang)}[/dim]", highlight=False)


def more_rows(count: int, lang: str) -> str:
    """The line under a table cut at --limit, in `lang` ("zh" or "en"): how many rows are not shown, and how to see
    them all."""
    if lang == "zh":
        return f"另有 {count:,} 行未显示；显示全部请加 --limit 0，或用 --format csv 输出"
    return f"{count:,} more rows; use --limit 0 or --format csv for all"


def _suffix_refused(option: str, path: Path) -> ChangzhuError:
    """`option`'s file has a suffix none of FILE_FORMATS writes, said in both languages (output sits below the
    domain's refusals)."""
    zh = f"{option} {path}：文件名请以 .csv、.xlsx、.parquet 或 .json 结尾"
    en = f"{option} {path}: give a .csv, .xlsx, .parquet or .json file"
    return ChangzhuError(f"{zh} / {en}")  # the error line shows the half in its language (refusals.uncoded)
