"""Whom a resident acts for: themself and, as guardian (监护人), their linked children who are minors today."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Engine

from changzhu.api.auth.principal import Principal
from changzhu.api.auth.roles import Role
from changzhu.registry.households import minor_children


def acts_for(engine: Engine, principal: Principal) -> list[int]:
    """The person ids a resident may act for: their own, then their linked minor children (none for staff)."""
    if principal.role != Role.RESIDENT or principal.person_id is None:
        return []
    children = minor_children(engine, principal.person_id, date.today())
    return [principal.person_id, *(child.id for child in children)]


def guardian_of(engine: Engine, principal: Principal, person_id: int) -> bool:
    """Whether the caller is a resident linked as parent of `person_id`, a minor today."""
    return person_id != principal.person_id and person_id in acts_for(engine, principal)
