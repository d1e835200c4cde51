"""Creating, listing and authenticating accounts."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, select
from sqlalchemy.exc import IntegrityError

from changzhu.api.auth.passwords import hash_password, require_new_password_allowed, verify_password
from changzhu.api.auth.principal import Principal, validate_scope
from changzhu.api.auth.roles import NATIONAL_SCOPE, ROLE_DESCRIPTIONS, Role
from changzhu.api.errors import Conflict, Forbidden, NotAuthenticated, NotFound
from changzhu.domain.refusals import CodedError, RefusalCode, refusal
from changzhu.store.auth_models import RoleRow, UserRow, UserScopeRow
from changzhu.store.db import session_scope
from changzhu.store.resident_models import PersonRow

_USERNAME = re.compile(r"^[A-Za-z0-9_.@-]{3,64}$")


class InvalidAccount(CodedError):
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
        must_change_password=row.must_change_password,
    )


def create_user(
    engine: Engine,
    username: str,
    password: str,
    role: Role,
    scopes: list[str] | None = None,
    person_id: int | None = None,
    display_name: str | None = None,
    *,
    must_change_password: bool = False,
    one_time_until: datetime | None = None,
) -> Principal:
    """Create an account; a resident needs a person id, every other role at least one jurisdiction. An account
    given a one-time password is created with `must_change_password` (changed at the first login), one the
    service generated with the time it stops working (`one_time_until`)."""
    if not _USERNAME.match(username):
        raise InvalidAccount(refusal(RefusalCode.USER_NAME_FORM, username=username))
    scopes = sorted({validate_scope(s) for s in scopes or []})
    if role == Role.RESIDENT:
        if person_id is None:
            raise InvalidAccount(refusal(RefusalCode.RESIDENT_NEEDS_PERSON))
        if scopes:
            raise InvalidAccount(refusal(RefusalCode.RESIDENT_HAS_NO_JURISDICTION))
    else:
        if not scopes:
            raise InvalidAccount(refusal(RefusalCode.STAFF_NEEDS_JURISDICTION, role=role.value))
        if person_id is not None:
            raise InvalidAccount(refusal(RefusalCode.ONLY_RESIDENT_HAS_PERSON))
    row = UserRow(
        username=username,
        password_hash=hash_password(password),
        role=role.value,
        display_name=display_name,
        person_id=person_id,
        active=True,
        must_change_password=must_change_password,
        one_time_until=one_time_until,
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
        if not _name_taken(engine, username):
            raise  # another constraint (a person id the registry lacks): not the caller's name, a server error
        raise Conflict(refusal(RefusalCode.USER_NAME_TAKEN, username=username)) from exc


def _name_taken(engine: Engine, username: str) -> bool:
    """Whether an account holds `username` (read again after a refused insert: the one unique constraint a new
    account can meet is its name's, taken before or by a racing request that committed first)."""
    with session_scope(engine) as session:
        return session.scalar(select(UserRow.id).where(UserRow.username == username)) is not None


def require_within_reach(
    engine: Engine, creator: Principal, role: Role, scopes: list[str], person_id: int | None
) -> None:
    """Refuse an account with more reach than its creator's: every jurisdiction inside the creator's, and a
    resident login only for a person living in the creator's jurisdiction (the same answer for an unknown id)."""
    for scope in scopes:
        code = validate_scope(scope)
        if not creator.is_national and (code == NATIONAL_SCOPE or not creator.covers(code)):
            raise Forbidden(refusal(RefusalCode.JURISDICTION_NOT_INSIDE, region=code, scopes=tuple(creator.scopes)))
    if role == Role.RESIDENT and person_id is not None:
        with session_scope(engine) as session:
            residence = session.scalar(select(PersonRow.residence_region).where(PersonRow.id == person_id))
            taken = session.scalar(select(UserRow.id).where(UserRow.person_id == person_id))
        if residence is None or not creator.covers(residence):
            raise Forbidden(
                refusal(RefusalCode.NO_PERSON_IN_JURISDICTION, person_id=person_id, scopes=tuple(creator.scopes))
            )
        if taken is not None:
            raise Conflict(refusal(RefusalCode.ALREADY_HAS_LOGIN, person_id=person_id))


def authenticate(engine: Engine, username: str, password: str) -> Principal:
    """The principal for a correct user name and password; NotAuthenticated otherwise (same message)."""
    with session_scope(engine) as session:
        row = session.scalar(select(UserRow).where(UserRow.username == username))
        ok = verify_password(row.password_hash if row else None, password)
        if row is None or not ok or not row.active:
            raise NotAuthenticated(refusal(RefusalCode.WRONG_LOGIN))
        if row.must_change_password and _expired(row.one_time_until):
            raise NotAuthenticated(refusal(RefusalCode.ACTIVATION_CODE_EXPIRED))
        return _principal(row)


def _expired(until: datetime | None) -> bool:
    """Whether a one-time password's time is up (SQLite gives the stored time back without its zone: UTC)."""
    if until is None:
        return False
    return datetime.now(UTC) >= (until if until.tzinfo else until.replace(tzinfo=UTC))


def load_principal(engine: Engine, user_id: int) -> Principal:
    """The current role and scopes of an active user, re-read so that changes apply at once."""
    with session_scope(engine) as session:
        row = session.get(UserRow, user_id)
        if row is None or not row.active:
            raise NotAuthenticated(refusal(RefusalCode.ACCOUNT_GONE))
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
            raise InvalidAccount(refusal(RefusalCode.NO_ACCOUNT, username=username))
        row.active = active


def _reach_of(engine: Engine, row: UserRow) -> list[str]:
    """The regions an account reaches: its jurisdictions, or for a resident login the place the person lives."""
    if row.person_id is None:
        return [s.region_code for s in row.scopes]
    with session_scope(engine) as session:
        residence = session.scalar(select(PersonRow.residence_region).where(PersonRow.id == row.person_id))
    return [residence] if residence else []


def within_reach(engine: Engine, admin: Principal, row: UserRow) -> bool:
    """Whether an administrator reaches an account: every region it reaches lies inside theirs."""
    if admin.is_national:
        return True
    reach = _reach_of(engine, row)
    return bool(reach) and NATIONAL_SCOPE not in reach and all(admin.covers(code) for code in reach)


def account_in_reach(engine: Engine, admin: Principal, username: str) -> UserRow:
    """The account named `username` if the administrator reaches it (the same 404 for one out of reach)."""
    with session_scope(engine) as session:
        row = session.scalar(select(UserRow).where(UserRow.username == username))
        if row is not None:
            session.expunge(row)
    if row is None or not within_reach(engine, admin, row):
        raise NotFound(refusal(RefusalCode.NO_ACCOUNT_IN_JURISDICTION, username=username))
    return row


def update_user(
    engine: Engine,
    admin: Principal,
    username: str,
    *,
    disabled: bool | None = None,
    jurisdictions: list[str] | None = None,
    role: Role | None = None,
) -> Principal:
    """Disable or enable an account, change its jurisdictions or role: never beyond the administrator's reach."""
    target = account_in_reach(engine, admin, username)
    if target.id == admin.user_id and (disabled or role not in (None, admin.role) or jurisdictions is not None):
        raise Forbidden(refusal(RefusalCode.OWN_ACCOUNT_UNCHANGED))
    new_role = role or Role(target.role)
    if (new_role == Role.RESIDENT) != (Role(target.role) == Role.RESIDENT):
        raise InvalidAccount(refusal(RefusalCode.ROLE_KIND_FIXED))
    if new_role == Role.RESIDENT and jurisdictions:
        raise InvalidAccount(refusal(RefusalCode.RESIDENT_HAS_NO_JURISDICTION))
    scopes = None if jurisdictions is None else sorted({validate_scope(s) for s in jurisdictions})
    if scopes is not None:
        if not scopes:
            raise InvalidAccount(refusal(RefusalCode.STAFF_NEEDS_JURISDICTION, role=new_role.value))
        require_within_reach(engine, admin, new_role, scopes, None)
    with session_scope(engine) as session:
        row = session.scalar(select(UserRow).where(UserRow.username == username).with_for_update())
        assert row is not None
        if disabled is not None:
            row.active = not disabled
        if role is not None:
            row.role = role.value
        if scopes is not None:
            row.scopes = [UserScopeRow(region_code=s) for s in scopes]
        session.flush()
        return _principal(row)


@dataclass(frozen=True)
class OneTime:
    """A one-time password (the activation code staff hand over) and when it stops working."""

    password: str
    until: datetime


# the characters of a one-time password, read out at a counter: capitals and digits without look-alikes (no 0/O,
# 1/I/L, U/V), so 16 of them (78 bits) are typed right from hearing or from a slip
READABLE = "23456789ABCDEFGHJKMNPQRSTWXYZ"


def one_time_password(hours: int) -> OneTime:
    """A random password of 16 READABLE characters (≈78 bits), to be shown once, working for `hours`."""
    password = "".join(secrets.choice(READABLE) for _ in range(16))
    return OneTime(password, datetime.now(UTC) + timedelta(hours=hours))


def reset_password(engine: Engine, admin: Principal, username: str, hours: int) -> OneTime:
    """A new one-time password for an account in the administrator's reach, returned once and stored only hashed;
    the account must change it at its first login, within `hours`."""
    account_in_reach(engine, admin, username)
    one_time = one_time_password(hours)
    with session_scope(engine) as session:
        row = session.scalar(select(UserRow).where(UserRow.username == username).with_for_update())
        assert row is not None
        row.password_hash = hash_password(one_time.password)
        row.must_change_password = True
        row.one_time_until = one_time.until
    return one_time


def change_password(engine: Engine, user_id: int, current: str, new: str) -> None:
    """Replace the caller's password after checking the current one (Forbidden if wrong) and the policy
    (WeakPassword); the account no longer has to change it."""
    with session_scope(engine) as session:
        row = session.scalar(select(UserRow).where(UserRow.id == user_id).with_for_update())
        if row is None or not row.active:
            raise NotAuthenticated(refusal(RefusalCode.ACCOUNT_GONE))
        if not verify_password(row.password_hash, current):
            raise Forbidden(refusal(RefusalCode.CURRENT_PASSWORD_WRONG))
        require_new_password_allowed(row.username, current, new)
        row.password_hash = hash_password(new)
        row.must_change_password = False
        row.one_time_until = None


def account_view(engine: Engine, username: str) -> dict[str, object]:
    """An account as administrators see it (no secret): name, role, jurisdictions, person, whether disabled."""
    with session_scope(engine) as session:
        row = session.scalar(select(UserRow).where(UserRow.username == username))
        if row is None:
            raise NotFound(refusal(RefusalCode.NO_ACCOUNT, username=username))
        person_key = None
        if row.person_id is not None:
            person_key = session.scalar(select(PersonRow.person_key).where(PersonRow.id == row.person_id))
        return {
            "username": row.username,
            "role": row.role,
            "jurisdictions": sorted(s.region_code for s in row.scopes),
            "person_id": row.person_id,
            "person_key": person_key,
            "display_name": row.display_name,
            "disabled": not row.active,
        }
