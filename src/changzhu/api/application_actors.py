"""Who took each step of an application, as the office names them: the applicant and a guardian by their role,
never by a resident account's login name (which for a resident is the start of their person key)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, select

from changzhu.api.auth.roles import Role
from changzhu.store.auth_models import UserRow
from changzhu.store.db import session_scope


def with_actor_roles(engine: Engine, found: dict[str, Any], applicant_id: int, viewer: str) -> None:
    """Give each event of `found` its `actor_role`: `applicant` for the applicant's own resident account,
    `guardian` for another resident account (a parent acting for their child), `staff` otherwise. A resident
    account's `actor` (and `submitted_by`) is left empty but to that account itself (`viewer`, who sees "you"),
    so the office is shown no resident's login name."""
    events = found.get("events") or []
    names = {str(e["actor"]) for e in events if e.get("actor")} | {str(found.get("submitted_by"))}
    with session_scope(engine) as session:
        query = select(UserRow.username, UserRow.person_id).where(
            UserRow.username.in_(names), UserRow.role == Role.RESIDENT.value
        )
        residents = {str(name): person_id for name, person_id in session.execute(query)}
    for event in events:
        if event.get("actor") in residents:
            event["actor_role"] = "applicant" if residents[event["actor"]] == applicant_id else "guardian"
            if event["actor"] != viewer:
                event["actor"] = None
        else:
            event["actor_role"] = "staff"
    if found.get("submitted_by") in residents and found["submitted_by"] != viewer:
        found["submitted_by"] = None
