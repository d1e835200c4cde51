"""Refuse NUL characters anywhere in a request (path, query, JSON body) with 422 before any database sees them.

PostgreSQL cannot store U+0000 in text and raises on it; SQLite would store it. One check on every route of the
API keeps the answer the same on both: 422 naming the field.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from fastapi import Request
from fastapi.exceptions import RequestValidationError

NUL = "\x00"


def _nul_fields(value: object, location: tuple[str | int, ...]) -> Iterator[tuple[str | int, ...]]:
    """Locations of every string (or mapping key) in a parsed JSON value that holds a NUL character."""
    if isinstance(value, str):
        if NUL in value:
            yield location
    elif isinstance(value, dict):
        for key, item in value.items():
            if NUL in str(key):
                yield (*location, str(key).replace(NUL, "\\0"))
            yield from _nul_fields(item, (*location, str(key)))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _nul_fields(item, (*location, i))


def _refuse(locations: list[tuple[str | int, ...]]) -> None:
    if locations:
        raise RequestValidationError(
            [{"loc": loc, "msg": "contains a NUL character (U+0000)", "type": "holds_nul"} for loc in locations[:10]]
        )


async def refuse_nul(request: Request) -> None:
    """A dependency of every API route: 422 if the path, the query or the JSON body holds a NUL character."""
    found: list[tuple[str | int, ...]] = [("path", k) for k, v in request.path_params.items() if NUL in str(v)]
    found += [("query", k) for k, v in request.query_params.multi_items() if NUL in k or NUL in v]
    _refuse(found)
    if "json" not in request.headers.get("content-type", ""):
        return
    raw = await request.body()  # read once by FastAPI already; Starlette keeps it
    if b"\\u0000" not in raw and b"\x00" not in raw:
        return
    try:
        parsed = json.loads(raw)
    except ValueError:
        return  # not JSON: the route's own validation answers 422
    _refuse(list(_nul_fields(parsed, ("body",))))
