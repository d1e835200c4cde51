"""Creating, listing and authenticating accounts."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from sqlalchemy import Engine, select
from sqlalchemy.exc import IntegrityError

from changzhu.api.auth.models import RoleRow, UserRow, UserScopeRow
from changzhu.api.auth.passwords import hash_password, verify_password
from changzhu.api.auth.principal import Principal, validate_scope
from changzhu.api.auth.roles import ROLE_DESCRIPTIONS, Role
from changzhu.api.errors import Conflict, NotAuthenticated
from changzhu.errors import ChangzhuError
from changzhu.registry.db import session_scope

_USERNAME = re.compile(r"^[A-Za-z0-9_.@-]{3,64}$")


class InvalidAccount(ChangzhuError):
    """An account request with a bad user name, role, jurisdiction or person."""


def ensure_roles(engine: Engine) -> None:
    """Insert the five roles if they are missing (the migration also seeds them)."""
    with session_scope(engine) as session:
        present = set(session.scalars(select(RoleRow.name)))
        for role, text in ROLE_DESCRIPTIONS.items():
            if role.value not in present:
                session.add(RoleRow(name=role.value, description=text))


def _principal(row: UserRow) -> Principal:
    return Principal(
        user_id=row.id,
        username=row.username,
        role=Role(row.role),
        scopes=tuple(sorted(s.region_code for s in row.scopes)),
        person_id=row.person_id,
    )


def create_user(
    engine: Engine,
    username: str,
    password: str,
    role: Role,
    scopes: list[str] | None = None,
    person_id: int | None = None,
    display_name: str | None = None,
) -> Principal:
    """Create an account; a resident needs a person id, every other role at least one jurisdiction."""
    if not _USERNAME.match(username):
        raise InvalidAccount(f"user name {username!r} must be 3-64 letters, digits or _ . @ -")
    scopes = sorted({validate_scope(s) for s in scopes or []})
    if role == Role.RESIDENT:
        if person_id is None:
            raise InvalidAccount("a resident account needs the person id it belongs to")
        if scopes:
            raise InvalidAccount("a resident account has no jurisdiction: it sees its own record only")
    else:
        if not scopes:
            raise InvalidAccount(f"a {role.value} account needs at least one jurisdiction (region code or 000000)")
        if person_id is not None:
            raise InvalidAccount("only a resident account is tied to a person")
    row = UserRow(
        username=username,
        password_hash=hash_password(password),
        role=role.value,
        display_name=display_name,
        person_id=person_id,
        active=True,
        created_at=datetime.now(UTC),
        scopes=[UserScopeRow(region_code=s) for s in scopes],
    )
    ensure_roles(engine)
    try:
        with session_scope(engine) as session:
            session.add(row)
            session.flush()
            return _principal(row)
    except IntegrityError as exc:
        raise Conflict(f"user name {username!r} is already taken") from exc


def authenticate(engine: Engine, username: str, password: str) -> Principal:
    """The principal for a correct user name and password; NotAuthenticated otherwise (same message)."""
    with session_scope(engine) as session:
        row = session.scalar(select(UserRow).where(UserRow.username == username))
        ok = verify_password(row.password_hash if row else None, password)
        if row is None or not ok or not row.active:
            raise NotAuthenticated("wrong user name or password")
        return _principal(row)


def load_principal(engine: Engine, user_id: int) -> Principal:
    """The current role and scopes of an active user, re-read so that changes apply at once."""
    with session_scope(engine) as session:
        row = session.get(UserRow, user_id)
        if row is None or not row.active:
            raise NotAuthenticated("the account of this token no longer exists or is disabled")
        return _principal(row)


def list_users(engine: Engine) -> list[Principal]:
    """Every account, ordered by user name."""
    with session_scope(engine) as session:
        return [_principal(r) for r in session.scalars(select(UserRow).order_by(UserRow.username))]


def set_active(engine: Engine, username: str, active: bool) -> None:
    """Enable or disable an account (a disabled account's tokens stop working at once)."""
    with session_scope(engine) as session:
        row = session.scalar(select(UserRow).where(UserRow.username == username))
        if row is None:
            raise InvalidAccount(f"no account named {username!r}")
        row.active = active
