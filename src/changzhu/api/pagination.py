"""Pages of results: every list endpoint returns {items, total, limit, offset}."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Generic, TypeVar

from pydantic import BaseModel

T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    """One page of a longer list."""

    items: list[T]
    total: int
    limit: int
    offset: int


def page_of(rows: Sequence[T], limit: int, offset: int) -> Page[T]:
    """The slice of `rows` at `offset` of at most `limit` items, with the full count."""
    return Page[T](items=list(rows[offset : offset + limit]), total=len(rows), limit=limit, offset=offset)
