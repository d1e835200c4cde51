"""Logging in and asking who one is."""

from __future__ import annotations

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field
from sqlalchemy import select

from changzhu.api.auth.accounts import authenticate
from changzhu.api.auth.tokens import issue_token
from changzhu.api.deps import EngineDep, PrincipalDep, SettingsDep
from changzhu.api.errors import NotAuthenticated
from changzhu.api.limits import LoginRateLimiter
from changzhu.registry.db import session_scope
from changzhu.registry.resident_models import PersonRow

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


@router.post("/login", response_model=TokenResponse, responses={401: {}, 429: {}})
def login(body: LoginRequest, request: Request, engine: EngineDep, settings: SettingsDep) -> TokenResponse:
    """Exchange a user name and password for an access token (failed attempts are rate-limited)."""
    limiter: LoginRateLimiter = request.app.state.login_limiter
    client = request.client.host if request.client else "unknown"
    limiter.check(body.username, client)
    try:
        principal = authenticate(engine, body.username, body.password)
    except NotAuthenticated:
        limiter.failed(body.username, client)
        raise
    limiter.succeeded(body.username)
    token = issue_token(principal.user_id, settings.jwt_secret, settings.token_ttl_seconds)
    return TokenResponse(access_token=token, expires_in=settings.token_ttl_seconds, role=principal.role.value)


@router.get("/me", response_model=Me, responses={401: {}})
def me(principal: PrincipalDep, engine: EngineDep) -> Me:
    """Who the token belongs to: role, jurisdictions and (for a resident) the person."""
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
    )
