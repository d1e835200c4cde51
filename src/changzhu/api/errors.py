"""Errors the API answers with, and the one shape of an error body (the handlers: api/error_handlers.py).

Each error carries a Refusal (domain/refusals.py: a code and its parameters, with a Chinese and an English
template); the body names the code and the parameters and gives `message` in the request's language."""

from __future__ import annotations

from changzhu.domain.lang import Lang
from changzhu.domain.refusals import CodedError, Names, Refusal


class ApiError(CodedError):
    """An error with the HTTP status and the kind the API answers it with; its reason a Refusal (or, not yet coded,
    a message)."""

    http_status = 400
    kind = "bad_request"
    details: dict[str, object] = {}  # noqa: RUF012 - read only: what the body carries besides the reason


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

    def __init__(self, reason: str | Refusal, retry_after: int) -> None:
        super().__init__(reason)
        self.retry_after = retry_after


def error_body(
    kind: str, reason: Refusal, lang: Lang, names: Names | None = None, **extra: object
) -> dict[str, object]:
    """The one shape of every error body: {"error": kind, "code": the reason's code, "params": its parameters,
    "message": the reason in `lang` (places and roles by `names`), ...}."""
    coded = reason.as_json()
    return {
        "error": kind,
        "code": coded["code"],
        "params": coded["params"],
        "message": reason.text(lang, names),
        **extra,
    }
