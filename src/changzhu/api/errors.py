"""Errors the API answers with, and the handlers that turn any exception into a JSON body without a trace."""

from __future__ import annotations

import logging
import uuid

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError, OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from changzhu.errors import ChangzhuError
from changzhu.registry.queries import RegistryNotLoaded
from changzhu.store.checks import UnknownPerson
from changzhu.store.db import DatabaseUnavailable
from changzhu.store.txn import IdempotencyConflict

log = logging.getLogger("changzhu.api")


class ApiError(ChangzhuError):
    """A ChangzhuError with the HTTP status the API answers it with."""

    http_status = 400
    kind = "bad_request"


class NotAuthenticated(ApiError):
    """No valid token, or a wrong user name or password."""

    http_status = 401
    kind = "not_authenticated"


class Forbidden(ApiError):
    """The caller's role or jurisdiction does not cover what they asked for."""

    http_status = 403
    kind = "forbidden"


class NotFound(ApiError):
    """The thing asked for does not exist (or is not visible to the caller)."""

    http_status = 404
    kind = "not_found"


class Conflict(ApiError):
    """The request clashes with what is stored (a duplicate name, a reused idempotency key)."""

    http_status = 409
    kind = "conflict"


class TooManyRequests(ApiError):
    """Too many attempts in a short time; retry after `retry_after` seconds."""

    http_status = 429
    kind = "too_many_requests"

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


def error_body(kind: str, message: str, **extra: object) -> dict[str, object]:
    """The one shape of every error body: {"error": kind, "message": text, ...}."""
    return {"error": kind, "message": message, **extra}


def _status_and_kind(exc: ChangzhuError) -> tuple[int, str]:
    if isinstance(exc, ApiError):
        return exc.http_status, exc.kind
    if isinstance(exc, DatabaseUnavailable | RegistryNotLoaded):
        return 503, "unavailable"
    if isinstance(exc, UnknownPerson):
        return 404, "not_found"
    if isinstance(exc, IdempotencyConflict):
        return 409, "conflict"
    status = int(getattr(exc, "http_status", 400))
    return status, {409: "conflict", 422: "invalid_request"}.get(status, "bad_request")


async def _changzhu_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ChangzhuError)
    status, kind = _status_and_kind(exc)
    headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, TooManyRequests) else None
    if status == 401:
        headers = {"WWW-Authenticate": "Bearer"}
    return JSONResponse(error_body(kind, str(exc)), status_code=status, headers=headers)


def _field_name(location: tuple[object, ...]) -> str:
    parts = [str(p) for p in location if p not in ("body", "query", "path", "header")]
    return ".".join(parts) or str(location[0] if location else "request")


async def _validation_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    problems = [
        {"field": _field_name(tuple(e.get("loc", ()))), "problem": str(e.get("msg", "invalid"))} for e in exc.errors()
    ]
    text = "; ".join(f"{p['field']}: {p['problem']}" for p in problems[:10])
    return JSONResponse(error_body("invalid_request", text, problems=problems), status_code=422)


async def _http_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    kind = {404: "not_found", 405: "method_not_allowed", 413: "payload_too_large"}.get(exc.status_code, "http")
    return JSONResponse(error_body(kind, str(exc.detail)), status_code=exc.status_code, headers=exc.headers)


def _timed_out(exc: OperationalError) -> bool:
    code = getattr(exc.orig, "sqlstate", None)
    text = str(exc.orig).lower()
    return code == "57014" or "timeout expired" in text or "database is locked" in text


async def _database_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, OperationalError)
    incident = uuid.uuid4().hex[:12]
    log.error("database unavailable (incident %s): %s", incident, exc)
    if _timed_out(exc):
        settings = request.app.state.settings
        message = (
            f"the database did not answer in time (statement timeout {settings.db_statement_timeout_ms} ms, "
            f"connect timeout {settings.db_connect_timeout_s} s); the request did not complete: retry it "
            f"(writes with the same idempotency key); incident {incident}"
        )
        return JSONResponse(error_body("timeout", message), status_code=503, headers={"Retry-After": "5"})
    return JSONResponse(
        error_body("unavailable", f"the database is unavailable; incident {incident}"),
        status_code=503,
        headers={"Retry-After": "5"},
    )


async def _data_error(_request: Request, exc: Exception) -> JSONResponse:
    """A value the database refuses (too long for its column, out of range): the caller's input, never a 500."""
    incident = uuid.uuid4().hex[:12]
    log.error("database refused a value (incident %s): %s", incident, exc)
    return JSONResponse(
        error_body(
            "invalid_request", f"a value does not fit the database (too long or out of range); incident {incident}"
        ),
        status_code=422,
    )


async def _unexpected(_request: Request, exc: Exception) -> JSONResponse:
    incident = uuid.uuid4().hex[:12]
    log.exception("unexpected error (incident %s)", incident, exc_info=exc)
    return JSONResponse(
        error_body("internal", f"internal error; the operator can find incident {incident} in the log"),
        status_code=500,
    )


def install_error_handlers(app: FastAPI) -> None:
    """Every exception becomes a JSON error body; a stack trace only ever reaches the server log."""
    app.add_exception_handler(ChangzhuError, _changzhu_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(OperationalError, _database_error)
    app.add_exception_handler(DataError, _data_error)
    app.add_exception_handler(Exception, _unexpected)
