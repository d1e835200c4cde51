"""FastAPI dependencies: the engine, the settings, and the authenticated caller."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import Engine

from changzhu.api.auth.accounts import load_principal
from changzhu.api.auth.first_login import require_password_changed
from changzhu.api.auth.principal import Principal
from changzhu.api.auth.tokens import read_token
from changzhu.api.errors import NotAuthenticated
from changzhu.api.settings import ApiSettings
from changzhu.domain.refusals import RefusalCode, refusal

_bearer = HTTPBearer(auto_error=False, description="an access token from POST /api/v1/auth/login")


def get_engine(request: Request) -> Engine:
    """The database engine of this app."""
    engine: Engine = request.app.state.engine
    return engine


def get_settings(request: Request) -> ApiSettings:
    """The settings this app was built with."""
    settings: ApiSettings = request.app.state.settings
    return settings


def token_principal(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    """The caller named by the bearer token, with role and scopes as stored now (even one that must still change
    its one-time password: only GET /auth/me and POST /auth/password take this one)."""
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise NotAuthenticated(refusal(RefusalCode.NOT_LOGGED_IN))
    settings = get_settings(request)
    user_id = read_token(credentials.credentials, settings.jwt_secret)
    return load_principal(get_engine(request), user_id)


def current_principal(principal: Annotated[Principal, Depends(token_principal)]) -> Principal:
    """The caller named by the bearer token, refused (403) while their account must change its one-time password."""
    require_password_changed(principal)
    return principal


EngineDep = Annotated[Engine, Depends(get_engine)]
SettingsDep = Annotated[ApiSettings, Depends(get_settings)]
PrincipalDep = Annotated[Principal, Depends(current_principal)]
PendingPrincipalDep = Annotated[Principal, Depends(token_principal)]
LimitQuery = Annotated[int, Query(ge=1, le=500, description="page size")]
OffsetQuery = Annotated[int, Query(ge=0, le=10_000_000, description="rows to skip")]
