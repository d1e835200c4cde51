"""The handlers that turn any exception into an error body (api/errors.py's shape) without a trace, in the
request's language (api/language.py), places and roles by their names."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Mapping
from functools import cache
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError, OperationalError, SQLAlchemyError
from starlette.exceptions import HTTPException as StarletteHTTPException

from changzhu.api.access import person_not_in_reach
from changzhu.api.auth.roles import ROLE_NAMES
from changzhu.api.errors import ApiError, TooManyRequests, error_body
from changzhu.api.language import answer_lang
from changzhu.api.upload_tables import UploadKind, schema_for
from changzhu.domain.lang import Lang
from changzhu.domain.new_areas import new_area, new_area_refusal
from changzhu.domain.refusals import PLACE, ROLE, Names, Refusal, RefusalCode, reason_of, refusal, uncoded
from changzhu.errors import ChangzhuError
from changzhu.registry.identity import IdentityKeyError, IdentityKeyMismatch
from changzhu.registry.queries import RegistryNotLoaded
from changzhu.registry.region_names import region_names
from changzhu.store.checks import PersonMovedOut, UnknownPerson
from changzhu.store.db import DatabaseUnavailable, session_scope
from changzhu.store.txn import IdempotencyConflict
from changzhu.tables.places import PlaceNames, place_names

log = logging.getLogger("changzhu.api")

_ROLE_NAMES = {role.value: names for role, names in ROLE_NAMES.items()}


def _names(request: Request, reason: Refusal) -> Names:
    """The names of the places and roles the reason shows: places by the one lookup of region names (a district with
    its city; a region an office added as the registry names it); if the registry cannot be read, the shipped
    names alone (a place they do not hold: its code)."""
    wanted = reason.named()
    names: Names = {ROLE: {v: _ROLE_NAMES[v] for v in wanted.get(ROLE, set()) if v in _ROLE_NAMES}}
    codes = wanted.get(PLACE, set())
    names[PLACE] = _place_names(request, codes) if codes else {}
    return names


def _place_names(request: Request, codes: set[str]) -> PlaceNames:
    """The one lookup (the registry is read only for a code the shipped regions do not hold); the shipped names
    alone if the registry cannot be read."""
    try:
        with session_scope(request.app.state.engine) as session:
            return region_names(session, codes)
    except (ChangzhuError, SQLAlchemyError):
        log.warning("region names of an error message could not be read", exc_info=True)
        return place_names(codes)


def answer(
    request: Request,
    status: int,
    kind: str,
    reason: Refusal,
    headers: Mapping[str, str] | None = None,
    **extra: object,
) -> JSONResponse:
    """The error body of `reason` in the request's language."""
    lang = answer_lang(request.query_params, request.headers)
    body = error_body(kind, reason, lang, _names(request, reason), **extra)
    return JSONResponse(body, status_code=status, headers=headers)


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


def _route_of(request: Request) -> str:
    """The route as declared (its path template, never the person key in the path) and the method."""
    route = request.scope.get("route")
    return f"{request.method} {getattr(route, 'path', None) or request.url.path}"


def _untold_move(request: Request, exc: PersonMovedOut) -> ChangzhuError:
    """A refusal at a person's lock because she moved to another province that no one decided for this caller (a
    write outside `write_access.told_of_move`): its message names her new city, written for a caller who may see
    her. It is answered as a key no one has (404 `no_person_in_reach`), which tells no caller anything of her,
    and the route is named in the log for a developer to wrap (docs/api.md, "Who may change what")."""
    log.warning(
        "%s: a refusal naming where a person moved was not decided for the caller (no told_of_move around the"
        " write); answered as a key no one has",
        _route_of(request),
    )
    return person_not_in_reach(exc.person_key or "")


async def _changzhu_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ChangzhuError)
    if isinstance(exc, PersonMovedOut) and not exc.told:
        exc = _untold_move(request, exc)
    status, kind = _status_and_kind(exc)
    headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, TooManyRequests) else None
    if status == 401:
        headers = {"WWW-Authenticate": "Bearer"}
    details = exc.details if isinstance(exc, ApiError) else {}
    return answer(request, status, kind, reason_of(exc), headers, **jsonable_encoder(details))


# fields of the caseworker's account forms (voucher, transfer, redemption, medical settlement) no file column
# labels, as the office's dialogs label them: a refused one is named in words, not as issuer_region
FORM_LABELS: dict[str, tuple[str, str]] = {
    "holder_key": ("持券人", "holder"),
    "issuer_region": ("出资地", "issuing place"),
    "service": ("服务项目", "service"),
    "value_fen": ("面额（分）", "value (fen)"),
    "issued_on": ("发放日期", "issued on"),
    "expires_on": ("有效期至", "expires on"),
    "transfer_no": ("转移编号", "transfer number"),
    "from_region": ("转出地", "from"),
    "to_region": ("转入地", "to"),
    "applied_on": ("申请日期", "applied on"),
    "provider": ("服务机构", "provider"),
    "provider_region": ("服务机构所在地", "provider's place"),
    "redeemed_on": ("兑付日期", "redeemed on"),
    "insured_region": ("参保地", "insured place"),
    "treatment_region": ("就医地", "place of treatment"),
    "hospital": ("医院", "hospital"),
    "treated_on": ("就医日期", "treated on"),
}


@cache
def _field_labels() -> dict[str, tuple[str, str]]:
    """Chinese and English labels of the fields the office's forms and files name (the table schemas' columns, then
    the account forms' fields)."""
    labels: dict[str, tuple[str, str]] = {}
    for kind in (UploadKind.RESIDENT, *UploadKind):
        for column in schema_for(kind).columns:
            labels.setdefault(column.name, (column.zh, column.en or column.name.replace("_", " ")))
    for name, label in FORM_LABELS.items():
        labels.setdefault(name, label)
    return labels


def _field_name(location: tuple[object, ...]) -> str:
    parts = [str(p) for p in location if p not in ("body", "query", "path", "header")]
    return ".".join(parts) or str(location[0] if location else "request")


def _field_label(location: tuple[object, ...], lang: Lang) -> str:
    """The field as the office labels it in Chinese (its column's label, then the rest of its path), in English
    its name as the request wrote it."""
    name = _field_name(location)
    if lang == Lang.EN:
        return name
    last = next((str(p) for p in reversed(location) if isinstance(p, str)), "")
    label = _field_labels().get(last)
    if label is None:
        return {"body": "请求内容", "query": "查询参数", "path": "地址"}.get(name, name)
    rows = [str(p + 1) for p in location if isinstance(p, int)]
    return f"第 {'、'.join(rows)} 项的{label[0]}" if rows else label[0]


def _expected(context: Mapping[str, Any]) -> str:
    return str(context.get("expected", "")).replace("'", "")


# the patterns request fields give a six-digit GB/T 2260 region code (a prefecture's or any level's)
REGION_CODE_PATTERNS = frozenset({r"^[1-8]\d{5}$", r"^\d{6}$"})


def _problem(error: Mapping[str, Any]) -> Refusal:
    """The reason one field is refused, coded where pydantic's error type has a code of ours."""
    kind, context = str(error.get("type", "")), error.get("ctx") or {}
    message = str(error.get("msg", "invalid")).removeprefix("Value error, ")
    coded: dict[str, Refusal] = {
        "missing": refusal(RefusalCode.VALUE_MISSING),
        "holds_nul": refusal(RefusalCode.HOLDS_NUL),
        "extra_forbidden": refusal(RefusalCode.FIELD_NOT_ALLOWED),
        "int_parsing": refusal(RefusalCode.NOT_A_WHOLE_NUMBER),
        "int_type": refusal(RefusalCode.NOT_A_WHOLE_NUMBER),
        "int_from_float": refusal(RefusalCode.NOT_A_WHOLE_NUMBER),
        "float_parsing": refusal(RefusalCode.NOT_A_NUMBER),
        "float_type": refusal(RefusalCode.NOT_A_NUMBER),
        "decimal_parsing": refusal(RefusalCode.NOT_A_NUMBER),
        "bool_parsing": refusal(RefusalCode.NOT_YES_OR_NO),
        "bool_type": refusal(RefusalCode.NOT_YES_OR_NO),
        # a request's dates are ISO days (the office's date fields send them so): not_a_date's list of the forms
        # a file accepts (2026/6/1, 2026年6月1日) would name forms this refusal refuses
        "date_parsing": refusal(RefusalCode.REQUEST_NOT_A_DATE),
        "date_from_datetime_parsing": refusal(RefusalCode.REQUEST_NOT_A_DATE),
        "date_type": refusal(RefusalCode.REQUEST_NOT_A_DATE),
    }
    if kind in coded:
        return coded[kind]
    carried = getattr(context.get("error"), "refusal", None)  # a validator's own error: the refusal it carries
    if isinstance(carried, Refusal):
        return carried
    limits = {
        "greater_than": (RefusalCode.GREATER_THAN, "gt"),
        "less_than": (RefusalCode.LESS_THAN, "lt"),
        "string_too_short": (RefusalCode.TOO_SHORT, "min_length"),
        "too_short": (RefusalCode.TOO_FEW_ITEMS, "min_length"),
        "too_long": (RefusalCode.TOO_MANY_ITEMS, "max_length"),
    }
    if kind in limits:
        code, bound = limits[kind]
        return refusal(code, limit=str(context.get(bound, "")))
    if kind == "string_pattern_mismatch" and str(context.get("pattern", "")) in REGION_CODE_PATTERNS:
        written = str(error.get("input", ""))
        area = new_area(written)  # 天府新区: what it is and the counties it spans
        if area is not None:
            return new_area_refusal(written, area)
        return refusal(RefusalCode.NOT_A_GB_CODE)  # said in words (成都市 written for 510100), not as a regex
    if kind == "string_pattern_mismatch":
        return refusal(RefusalCode.PATTERN_MISMATCH, pattern=str(context.get("pattern", "")))
    if kind == "string_too_long":
        return refusal(RefusalCode.TOO_LONG, limit=str(context.get("max_length", "")))
    if kind == "greater_than_equal":
        return refusal(RefusalCode.AT_LEAST, limit=str(context.get("ge", "")))
    if kind == "less_than_equal":
        return refusal(RefusalCode.AT_MOST, limit=str(context.get("le", "")))
    if kind in ("enum", "literal_error"):
        return refusal(RefusalCode.NOT_ONE_OF, allowed=_expected(context))
    found = uncoded(message)
    return found if found.code == RefusalCode.IN_TWO_LANGUAGES else refusal(RefusalCode.VALUE_INVALID, detail=message)


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    """422 naming each refused field with its reason: the office's label of the field in Chinese."""
    assert isinstance(exc, RequestValidationError)
    lang = answer_lang(request.query_params, request.headers)
    problems = []
    for error in exc.errors():
        location = tuple(error.get("loc", ()))
        reason = _problem(error)
        coded = reason.as_json()
        field = _field_name(location)
        problems.append(
            {
                "field": field,
                "label": _field_label(location, lang),
                "problem": reason.text(lang),
                "code": coded["code"],
                "params": coded["params"],
            }
        )
    joiner, colon = ("；", "：") if lang == Lang.ZH else ("; ", ": ")
    fields = joiner.join(f"{p['label']}{colon}{p['problem']}" for p in problems[:10])
    head = refusal(RefusalCode.REQUEST_INVALID, fields=fields)
    body = error_body("invalid_request", head, lang, problems=problems)
    body["params"] = {"fields": [p["field"] for p in problems]}
    return JSONResponse(body, status_code=422)


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    kind = {404: "not_found", 405: "method_not_allowed", 413: "payload_too_large"}.get(exc.status_code, "http")
    reason = {
        404: refusal(RefusalCode.NO_SUCH_PATH),
        405: refusal(RefusalCode.METHOD_NOT_ALLOWED),
    }.get(exc.status_code) or uncoded(str(exc.detail))
    return answer(request, exc.status_code, kind, reason, exc.headers)


def _timed_out(exc: OperationalError) -> bool:
    code = getattr(exc.orig, "sqlstate", None)
    text = str(exc.orig).lower()
    return code == "57014" or "timeout expired" in text or "database is locked" in text


async def _database_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, OperationalError)
    incident = uuid.uuid4().hex[:12]
    log.error("database unavailable (incident %s): %s", incident, exc)
    retry = {"Retry-After": "5"}
    if _timed_out(exc):
        settings = request.app.state.settings
        reason = refusal(
            RefusalCode.DATABASE_TIMEOUT,
            statement_ms=settings.db_statement_timeout_ms,
            connect_s=settings.db_connect_timeout_s,
            incident=incident,
        )
        return answer(request, 503, "timeout", reason, retry)
    return answer(request, 503, "unavailable", refusal(RefusalCode.DATABASE_UNAVAILABLE, incident=incident), retry)


async def _data_error(request: Request, exc: Exception) -> JSONResponse:
    """A value the database refuses (too long for its column, out of range): the caller's input, never a 500."""
    incident = uuid.uuid4().hex[:12]
    log.error("database refused a value (incident %s): %s", incident, exc)
    return answer(request, 422, "invalid_request", refusal(RefusalCode.VALUE_DOES_NOT_FIT, incident=incident))


async def _identity_key_error(request: Request, exc: Exception) -> JSONResponse:
    """The identity keys are wrong for the stored data (or malformed): the operator's to fix, never the caller's
    (it was a 400 with the English message alone); the detail goes to the server log under an incident number."""
    assert isinstance(exc, IdentityKeyError)
    incident = uuid.uuid4().hex[:12]
    log.error("identity keys do not serve the stored data (incident %s): %s", incident, exc)
    code = RefusalCode.IDENTITY_KEY_MISMATCH if isinstance(exc, IdentityKeyMismatch) else RefusalCode.INTERNAL
    return answer(request, 500, "internal", refusal(code, incident=incident))


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    incident = uuid.uuid4().hex[:12]
    log.exception("unexpected error (incident %s)", incident, exc_info=exc)
    return answer(request, 500, "internal", refusal(RefusalCode.INTERNAL, incident=incident))


def install_error_handlers(app: FastAPI) -> None:
    """Every exception becomes a JSON error body; a stack trace only ever reaches the server log."""
    app.add_exception_handler(ChangzhuError, _changzhu_error)
    app.add_exception_handler(IdentityKeyError, _identity_key_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(OperationalError, _database_error)
    app.add_exception_handler(DataError, _data_error)
    app.add_exception_handler(Exception, _unexpected)
