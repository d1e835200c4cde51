"""Logging in and asking who one is."""

from __future__ import annotations

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field
from sqlalchemy import select

from changzhu.api.auth.accounts import authenticate, change_password
from changzhu.api.auth.passwords import MIN_PASSWORD_LENGTH
from changzhu.api.auth.tokens import issue_token
from changzhu.api.deps import EngineDep, PendingPrincipalDep, SettingsDep
from changzhu.api.errors import Forbidden, NotAuthenticated
from changzhu.api.limits import LoginRateLimiter, client_address
from changzhu.store import audit, audit_subjects
from changzhu.store.audit_reasons import because
from changzhu.store.db import session_scope
from changzhu.store.resident_models import PersonRow
from changzhu.store.txn import write_session

router = APIRouter(prefix="/auth", tags=["auth"])


class LoginRequest(BaseModel):
    """A user name and password."""

    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=256)


class TokenResponse(BaseModel):
    """A short-lived bearer token."""

    access_token: str
    token_type: str = "bearer"
    expires_in: int
    role: str


class Me(BaseModel):
    """The caller's account as the service sees it."""

    username: str
    role: str
    jurisdictions: list[str]
    person_id: int | None
    person_key: str | None
    must_change_password: bool = Field(
        description="the account holds a one-time password: every other endpoint answers 403 "
        "password_change_required until POST /auth/password"
    )


class PasswordChange(BaseModel):
    """The current password and the new one (at least MIN_PASSWORD_LENGTH characters, not the user name, not the
    current one)."""

    old_password: str = Field(min_length=1, max_length=256)
    new_password: str = Field(
        min_length=1, max_length=256, description=f"at least {MIN_PASSWORD_LENGTH} characters (else 400, zh/en)"
    )


class PasswordChanged(BaseModel):
    """The password was changed; tokens already issued stay valid."""

    username: str
    must_change_password: bool


def _client(request: Request, trusted_proxies: frozenset[str]) -> str:
    return client_address(
        request.client.host if request.client else None, request.headers.get("x-forwarded-for"), trusted_proxies
    )


@router.post("/login", response_model=TokenResponse, responses={401: {}, 429: {}})
def login(body: LoginRequest, request: Request, engine: EngineDep, settings: SettingsDep) -> TokenResponse:
    """Exchange a user name and password for an access token (failed attempts are rate-limited)."""
    limiter: LoginRateLimiter = request.app.state.login_limiter
    client = _client(request, settings.trusted_proxies)
    limiter.check(body.username, client)
    try:
        principal = authenticate(engine, body.username, body.password)
    except NotAuthenticated:
        limiter.failed(body.username, client)
        raise
    limiter.succeeded(body.username, client)
    token = issue_token(principal.user_id, settings.jwt_secret, settings.token_ttl_seconds)
    return TokenResponse(access_token=token, expires_in=settings.token_ttl_seconds, role=principal.role.value)


@router.get("/me", response_model=Me, responses={401: {}})
def me(principal: PendingPrincipalDep, engine: EngineDep) -> Me:
    """Who the token belongs to: role, jurisdictions, (for a resident) the person, and whether the account must
    change its one-time password first."""
    person_key = None
    if principal.person_id is not None:
        with session_scope(engine) as session:
            person_key = session.scalar(select(PersonRow.person_key).where(PersonRow.id == principal.person_id))
    return Me(
        username=principal.username,
        role=principal.role.value,
        jurisdictions=list(principal.scopes),
        person_id=principal.person_id,
        person_key=person_key,
        must_change_password=principal.must_change_password,
    )


@router.post("/password", response_model=PasswordChanged, responses={400: {}, 401: {}, 403: {}, 429: {}})
def new_password(
    body: PasswordChange, request: Request, principal: PendingPrincipalDep, engine: EngineDep, settings: SettingsDep
) -> PasswordChanged:
    """Change one's own password (the only write an account holding a one-time password may do): a wrong current
    password is 403 and counts as a failed login; a new password the policy refuses is 400."""
    limiter: LoginRateLimiter = request.app.state.login_limiter
    client = _client(request, settings.trusted_proxies)
    limiter.check(principal.username, client)
    try:
        change_password(engine, principal.user_id, body.old_password, body.new_password)
    except Forbidden:
        limiter.failed(principal.username, client)
        raise
    limiter.succeeded(principal.username, client)
    with write_session(engine) as session:
        audit.append(
            session,
            actor=f"user:{principal.username}",
            action="account.activate" if principal.must_change_password else "account.password_change",
            subject=audit_subjects.user(principal.username),
            details={"was_one_time": principal.must_change_password},
            reason=because("own_password"),
        )
    return PasswordChanged(username=principal.username, must_change_password=False)
