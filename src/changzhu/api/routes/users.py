"""Account administration (administrators only): nobody grants more reach than they hold."""

from __future__ import annotations

from typing import Annotated, cast

from fastapi import APIRouter, Path, Response
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Engine, select

from changzhu.api.auth.accounts import (
    account_view,
    create_user,
    one_time_password,
    require_within_reach,
    reset_password,
    update_user,
    within_reach,
)
from changzhu.api.auth.principal import Principal
from changzhu.api.auth.roles import Role
from changzhu.api.deps import EngineDep, LimitQuery, OffsetQuery, PrincipalDep, SettingsDep
from changzhu.api.export import FILE_RESPONSES, ExportFormat, FormatQuery, records_file
from changzhu.api.pagination import Page
from changzhu.domain import field_sizes as sizes
from changzhu.registry.region_names import region_labels
from changzhu.store import audit, audit_subjects
from changzhu.store.audit_reasons import because
from changzhu.store.auth_models import UserRow
from changzhu.store.db import session_scope
from changzhu.store.txn import write_session

router = APIRouter(prefix="/users", tags=["users"])
UsernamePath = Annotated[str, Path(min_length=1, max_length=sizes.USERNAME)]


class UserOut(BaseModel):
    """An account without its secret."""

    username: str
    role: str
    jurisdictions: list[str]
    person_id: int | None
    person_key: str | None = None
    display_name: str | None = None
    disabled: bool = False
    jurisdiction_names_zh: list[str] = []  # the jurisdictions' names, in the order of `jurisdictions`
    jurisdiction_names_en: list[str] = []


NATIONAL = {"000000": ("全国", "national")}


def _named(engine: Engine, usernames: list[str]) -> list[UserOut]:
    """The accounts with their jurisdictions' names (000000: national; the code where no region has it)."""
    views = [account_view(engine, name) for name in usernames]
    held = [cast(list[str], v["jurisdictions"]) for v in views]
    with session_scope(engine) as session:
        names = {**region_labels(session, {c for codes in held for c in codes}), **NATIONAL}
    return [
        UserOut(
            **v,  # type: ignore[arg-type]
            jurisdiction_names_zh=[names.get(c, (c, c))[0] for c in codes],
            jurisdiction_names_en=[names.get(c, (c, c))[1] for c in codes],
        )
        for v, codes in zip(views, held, strict=True)
    ]


class NewUser(BaseModel):
    """A request to create an account. It sets no password: the service answers with a one-time password (an
    activation code) that the owner replaces at the first login (a `password` is refused, 422)."""

    model_config = ConfigDict(extra="forbid")

    username: str = Field(min_length=3, max_length=sizes.USERNAME)
    role: Role
    jurisdictions: list[str] = Field(default_factory=list, max_length=50)
    person_id: int | None = Field(default=None, ge=1, le=2**31 - 1)
    display_name: str | None = Field(default=None, max_length=sizes.DISPLAY_NAME)


class UserChange(BaseModel):
    """What an administrator changes about an account (fields left out stay as they are)."""

    disabled: bool | None = None
    jurisdictions: list[str] | None = Field(default=None, max_length=50)
    role: Role | None = None


class OneTimePassword(BaseModel):
    """A new password, shown this once and stored only as its hash: hand it to the account's owner, who replaces
    it at the first login before `expires_at` (after that it no longer works: reset it again)."""

    username: str
    one_time_password: str
    expires_at: str


class UserCreated(UserOut):
    """The new account and its one-time password (the activation code), shown this once: hand it to the owner, who
    replaces it with their own password at the first login before `expires_at`."""

    one_time_password: str
    expires_at: str


def _audit(engine: Engine, principal: Principal, action: str, username: str, details: dict[str, object]) -> None:
    with write_session(engine) as session:
        audit.append(
            session,
            actor=f"user:{principal.username}",
            action=action,
            subject=audit_subjects.user(username),
            details=details,
            reason=because("account_administration"),
        )


@router.get("", response_model=Page[UserOut], responses={401: {}, 403: {}, **FILE_RESPONSES})
def users(
    engine: EngineDep,
    principal: PrincipalDep,
    limit: LimitQuery = 50,
    offset: OffsetQuery = 0,
    fmt: FormatQuery = ExportFormat.JSON,
) -> Page[UserOut] | Response:
    """Accounts within the administrator's reach: jurisdictions inside theirs, resident logins of people living
    there (a national administrator sees every account)."""
    principal.require_role(Role.ADMINISTRATOR)
    with session_scope(engine) as session:
        rows = list(session.scalars(select(UserRow).order_by(UserRow.username)))
        session.expunge_all()
    visible = [r.username for r in rows if within_reach(engine, principal, r)]
    page = _named(engine, visible[offset : offset + limit])
    if fmt != ExportFormat.JSON:
        return records_file([u.model_dump(mode="json") for u in page], fmt, "users")
    return Page[UserOut](items=page, total=len(visible), limit=limit, offset=offset)


@router.post("", response_model=UserCreated, status_code=201, responses={401: {}, 403: {}, 409: {}})
def add_user(body: NewUser, engine: EngineDep, principal: PrincipalDep, settings: SettingsDep) -> UserCreated:
    """Create an account with no more reach than the administrator's own (docs/api.md, "Who may change what"),
    holding a one-time password returned this once (the administrator never learns the password it will use)."""
    principal.require_role(Role.ADMINISTRATOR)
    require_within_reach(engine, principal, body.role, body.jurisdictions, body.person_id)
    one_time = one_time_password(settings.one_time_hours)
    created = create_user(
        engine,
        body.username,
        one_time.password,
        body.role,
        body.jurisdictions,
        body.person_id,
        body.display_name,
        must_change_password=True,
        one_time_until=one_time.until,
    )
    _audit(engine, principal, "account.create", created.username, {"role": created.role.value})
    shown = _named(engine, [created.username])[0]
    return UserCreated(**shown.model_dump(), one_time_password=one_time.password, expires_at=one_time.until.isoformat())


@router.patch("/{username}", response_model=UserOut, responses={401: {}, 403: {}, 404: {}})
def change_user(username: UsernamePath, body: UserChange, engine: EngineDep, principal: PrincipalDep) -> UserOut:
    """Disable or enable an account, or change its role or jurisdictions, within the administrator's reach; a
    disabled account's tokens stop working at once."""
    principal.require_role(Role.ADMINISTRATOR)
    update_user(engine, principal, username, disabled=body.disabled, jurisdictions=body.jurisdictions, role=body.role)
    _audit(engine, principal, "account.update", username, body.model_dump(mode="json", exclude_none=True))
    return _named(engine, [username])[0]


@router.post("/{username}/password", response_model=OneTimePassword, responses={401: {}, 403: {}, 404: {}})
def new_password(
    username: UsernamePath, engine: EngineDep, principal: PrincipalDep, settings: SettingsDep
) -> OneTimePassword:
    """Reset an account's password: a random one-time one is returned once (stored only hashed), the old one stops
    working, and the new one works only until it is replaced or expires."""
    principal.require_role(Role.ADMINISTRATOR)
    one_time = reset_password(engine, principal, username, settings.one_time_hours)
    _audit(engine, principal, "account.password_reset", username, {})
    return OneTimePassword(
        username=username, one_time_password=one_time.password, expires_at=one_time.until.isoformat()
    )
