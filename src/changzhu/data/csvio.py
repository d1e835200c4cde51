"""Reading a CSV file into a typed polars table, naming the line and column of the first bad cell."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import polars as pl

from changzhu.data.errors import DataFileError

CODE_REGEX = r"^[1-8]\d{5}$"
HEADER_LINES = 1


def line_of(row_index: int) -> int:
    """The 1-based line number in the file of a 0-based data row (the header is line 1)."""
    return row_index + HEADER_LINES + 1


def read_typed_csv(path: Path, columns: Mapping[str, pl.DataType], *, nullable: Sequence[str] = ()) -> pl.DataFrame:
    """Read `path` as text, check the header, cast each column; raise DataFileError at the first bad cell."""
    if not path.is_file():
        raise DataFileError(path, "file not found")
    try:
        raw = pl.read_csv(path, infer_schema=False, encoding="utf8")
    except (pl.exceptions.ComputeError, pl.exceptions.NoDataError, UnicodeDecodeError) as exc:
        raise DataFileError(path, f"not a readable UTF-8 CSV file ({str(exc).splitlines()[0]})") from exc
    missing = [name for name in columns if name not in raw.columns]
    if missing:
        raise DataFileError(path, f"missing column(s) {', '.join(missing)}")
    if raw.height == 0:
        raise DataFileError(path, "file has a header but no rows")
    out: dict[str, pl.Series] = {}
    for name, dtype in columns.items():
        text = raw.get_column(name).str.strip_chars()
        text = text.replace("", None)
        if dtype == pl.Boolean():
            casted = text.replace_strict({"True": True, "False": False}, default=None, return_dtype=pl.Boolean)
        else:
            casted = text.cast(dtype, strict=False)
        failed = (casted.is_null() & text.is_not_null()).arg_true()
        if failed.len() > 0:
            row = int(failed[0])
            raise DataFileError(path, f"value {text[row]!r} is not a valid {dtype}", line=line_of(row), column=name)
        if name not in nullable:
            empty = casted.is_null().arg_true()
            if empty.len() > 0:
                raise DataFileError(path, "value is missing", line=line_of(int(empty[0])), column=name)
        out[name] = casted
    return pl.DataFrame(out)


def check_codes(path: Path, df: pl.DataFrame, column: str, *, unique: bool = True) -> None:
    """Every non-null value of `column` is a six-digit GB/T 2260 code (and unique, if asked)."""
    bad = df.get_column(column).is_not_null() & ~df.get_column(column).str.contains(CODE_REGEX)
    idx = bad.arg_true()
    if idx.len() > 0:
        row = int(idx[0])
        raise DataFileError(
            path,
            f"{df[column][row]!r} is not a six-digit GB/T 2260 code",
            line=line_of(row),
            column=column,
        )
    if unique:
        dup = (df.get_column(column).is_duplicated() & df.get_column(column).is_not_null()).arg_true()
        if dup.len() > 0:
            row = int(dup[0])
            raise DataFileError(path, f"code {df[column][row]} appears twice", line=line_of(row), column=column)


def check_non_negative(path: Path, df: pl.DataFrame, columns: Sequence[str]) -> None:
    """No negative counts."""
    for name in columns:
        idx = (df.get_column(name) < 0).arg_true()
        if idx.len() > 0:
            row = int(idx[0])
            raise DataFileError(path, f"count {df[name][row]} is negative", line=line_of(row), column=name)
