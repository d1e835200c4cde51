"""Statements built once with named bind parameters, and the values to send with them.

A statement built per call costs more Python than sending it: constructing the expression and its cache key.
Hot writes are built once at import (their SQL is compiled once per engine) and sent with their values;
the parameter names carry a prefix so that several such statements can travel in one (changzhu.store.audit).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import Insert, Table, bindparam, insert
from sqlalchemy.sql.dml import UpdateBase


@dataclass(frozen=True)
class Bound:
    """A statement built once (module level) with named bind parameters, and the values to send with it."""

    statement: UpdateBase
    params: Mapping[str, object]


def insert_row(table: Table, prefix: str, columns: Sequence[str]) -> Insert:
    """INSERT INTO table (columns) with each value bound as <prefix>_<column>; build once, send with `bind_row`."""
    return insert(table).values({column: bindparam(f"{prefix}_{column}") for column in columns})


def bind_row(statement: UpdateBase, prefix: str, values: Mapping[str, object]) -> Bound:
    """`statement` (from insert_row with the same prefix) with the row's values."""
    return Bound(statement, {f"{prefix}_{column}": value for column, value in values.items()})
