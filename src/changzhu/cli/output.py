"""Printing tables for people (rich) and for machines (CSV, JSON)."""

from __future__ import annotations

import json
import sys
from enum import StrEnum

import polars as pl
from rich.console import Console
from rich.table import Table

# Piped output gets a wide console so tables are not truncated to 80 columns.
console = Console(width=None if sys.stdout.isatty() else 160)
err_console = Console(stderr=True, width=None if sys.stderr.isatty() else 160)


class OutputFormat(StrEnum):
    """How a command prints its table."""

    TABLE = "table"
    CSV = "csv"
    JSON = "json"


PERCENT_SUFFIXES = ("share", "gap", "rate", "pct_of_residents")


def _cell(column: str, value: object) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        if column.endswith(PERCENT_SUFFIXES):
            return f"{value:.2%}"
        return f"{value:,.2f}" if abs(value) >= 100 else f"{value:,.4g}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)


def emit_table(df: pl.DataFrame, fmt: OutputFormat, title: str | None = None, *, limit: int | None = None) -> None:
    """Print `df` as a rich table (first `limit` rows), or all rows as CSV or JSON on stdout."""
    if fmt == OutputFormat.CSV:
        sys.stdout.write(df.write_csv())
        return
    if fmt == OutputFormat.JSON:
        sys.stdout.write(json.dumps(df.to_dicts(), ensure_ascii=False, default=str, indent=1) + "\n")
        return
    shown = df.head(limit) if limit else df
    table = Table(title=title, show_lines=False, header_style="bold")
    for name, dtype in df.schema.items():
        table.add_column(name, justify="right" if dtype.is_numeric() else "left")
    for row in shown.iter_rows():
        table.add_row(*(_cell(name, v) for name, v in zip(df.columns, row, strict=True)))
    console.print(table)
    if limit and df.height > limit:
        console.print(f"[dim]{df.height - limit} more rows; use --limit 0 or --format csv for all[/dim]")
