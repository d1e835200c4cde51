"""Aggregate results (planning, fiscal, scenarios): who may read them, and the rows within their jurisdiction."""

from __future__ import annotations

import math
from typing import Any

import polars as pl

from changzhu.api.auth.principal import Principal, scope_covers
from changzhu.api.auth.roles import Role
from changzhu.api.pagination import Page

ANALYSTS = (Role.PLANNER, Role.FISCAL_OFFICER, Role.ADMINISTRATOR)


def require_analyst(principal: Principal) -> None:
    """Planners, fiscal officers and administrators read aggregate results; residents and caseworkers do not."""
    principal.require_role(*ANALYSTS)


def overlaps(principal: Principal, code: str) -> bool:
    """Whether region `code` lies in, or contains, one of the caller's jurisdictions (a city sees its province)."""
    return principal.covers(code) or any(scope_covers(code, s) for s in principal.scopes if s != "000000")


def in_jurisdiction(frame: pl.DataFrame, principal: Principal, *columns: str) -> pl.DataFrame:
    """Rows whose region in any of `columns` overlaps the caller's jurisdiction (all rows for a national scope)."""
    if principal.is_national:
        return frame
    keep = pl.lit(False)
    for column in columns:
        codes = [c for c in frame[column].unique().to_list() if c is not None and overlaps(principal, str(c))]
        keep = keep | pl.col(column).is_in(codes)
    return frame.filter(keep)


def within_jurisdiction(frame: pl.DataFrame, principal: Principal, column: str) -> pl.DataFrame:
    """Rows whose region in `column` lies inside one of the caller's jurisdictions (a city's planner reads the city
    and its counties, not the province's totals, which sum other cities' figures)."""
    if principal.is_national:
        return frame
    codes = [c for c in frame[column].unique().to_list() if principal.covers(c)]
    return frame.filter(pl.col(column).is_in(codes))


def _clean(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def json_rows(frame: pl.DataFrame) -> list[dict[str, Any]]:
    """Rows as plain dicts; NaN and infinities become null (JSON has neither)."""
    return [{k: _clean(v) for k, v in row.items()} for row in frame.iter_rows(named=True)]


def frame_page(frame: pl.DataFrame, limit: int, offset: int) -> Page[dict[str, Any]]:
    """One page of a table's rows."""
    return Page[dict[str, Any]](
        items=json_rows(frame.slice(offset, limit)), total=frame.height, limit=limit, offset=offset
    )
