"""A column of codes (or yes/no flags) in words for a table people read: one expression shared by the CLI's tables
and the API's files in the reader's language."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import polars as pl

from changzhu.rules.labels import pick_label


def in_words(column: str, table: Mapping[Any, tuple[str, str]], lang: str) -> pl.Expr:
    """`column` with each code the (zh, en) `table` names in `lang`'s words; a code none names stays as written
    (never a blank)."""
    pairs = {code: pick_label(label, lang) for code, label in table.items()}
    return pl.col(column).replace_strict(pairs, default=pl.col(column).cast(pl.String), return_dtype=pl.String)
