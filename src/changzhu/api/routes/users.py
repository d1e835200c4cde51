"""Account administration (administrators only)."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, Field

from changzhu.api.auth.accounts import create_user, list_users
from changzhu.api.auth.principal import Principal
from changzhu.api.auth.roles import Role
from changzhu.api.deps import EngineDep, LimitQuery, OffsetQuery, PrincipalDep
from changzhu.api.pagination import Page, page_of

router = APIRouter(prefix="/users", tags=["users"])


class UserOut(BaseModel):
    """An account without its secret."""

    username: str
    role: str
    jurisdictions: list[str]
    person_id: int | None


class NewUser(BaseModel):
    """A request to create an account."""

    username: str = Field(min_length=3, max_length=64)
    password: str = Field(min_length=10, max_length=256)
    role: Role
    jurisdictions: list[str] = Field(default_factory=list, max_length=50)
    person_id: int | None = Field(default=None, ge=1)
    display_name: str | None = Field(default=None, max_length=100)


def _out(p: Principal) -> UserOut:
    return UserOut(username=p.username, role=p.role.value, jurisdictions=list(p.scopes), person_id=p.person_id)


@router.get("", response_model=Page[UserOut], responses={401: {}, 403: {}})
def users(engine: EngineDep, principal: PrincipalDep, limit: LimitQuery = 50, offset: OffsetQuery = 0) -> Page[UserOut]:
    """Accounts whose jurisdictions lie within the administrator's (residents: all, for national admins)."""
    principal.require_role(Role.ADMINISTRATOR)
    visible = [
        _out(u)
        for u in list_users(engine)
        if principal.is_national or (u.scopes and all(principal.covers(s) for s in u.scopes))
    ]
    return page_of(visible, limit, offset)


@router.post("", response_model=UserOut, status_code=201, responses={401: {}, 403: {}, 409: {}})
def add_user(body: NewUser, engine: EngineDep, principal: PrincipalDep) -> UserOut:
    """Create an account within the administrator's jurisdiction."""
    principal.require_role(Role.ADMINISTRATOR)
    for scope in body.jurisdictions:
        if not principal.is_national:
            principal.require_region(scope)
    created = create_user(
        engine, body.username, body.password, body.role, body.jurisdictions, body.person_id, body.display_name
    )
    return _out(created)
