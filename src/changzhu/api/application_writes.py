"""Who may submit an application, take a step on one, or publish a quota run: shared by the API routes and the
operator CLI (`changzhu applications|quota ... --as USER`). A resident acts for themself and, for the kinds a guardian
applies for, their linked minor children (api/guardians.py); caseworkers and
administrators on applications whose region (where the applicant lived when applying), or the run's city, lies in
their jurisdiction (docs/applications.md)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, select

from changzhu.api.access import STAFF_WITH_PERSONAL_ACCESS, may_see, person_not_in_reach
from changzhu.api.auth.principal import Principal
from changzhu.api.auth.roles import Role
from changzhu.api.casework_errors import casework_errors
from changzhu.api.errors import Forbidden
from changzhu.api.guardians import acts_for, guardian_of
from changzhu.api.write_access import refuse_move_to_reader, told_of_move
from changzhu.casework import application_records as records
from changzhu.casework.applications import GUARDIAN_KINDS, KIND_LABELS, Action, ApplicationKind
from changzhu.domain.refusals import RefusalCode, refusal
from changzhu.store.application_models import ApplicationRow
from changzhu.store.checks import refuse_moved_out
from changzhu.store.db import session_scope
from changzhu.store.resident_models import PersonRow


def may_act(engine: Engine, principal: Principal, region: str, person_id: int, *, self_service: bool) -> None:
    """Staff covering the region; where `self_service`, the applicant themself or their guardian (a linked parent
    while the applicant is a minor); Forbidden otherwise."""
    if principal.role == Role.RESIDENT:
        if self_service and person_id in acts_for(engine, principal):
            return
        raise Forbidden(refusal(RefusalCode.RESIDENT_ACTS_FOR_OWN))
    principal.require_role(*STAFF_WITH_PERSONAL_ACCESS)
    if not principal.covers(region):
        raise Forbidden(refusal(RefusalCode.APPLICATION_REGION_OUTSIDE, region=region))


def applicant(engine: Engine, principal: Principal, person_key: str, kind: ApplicationKind) -> PersonRow:
    """The person applied for: any registered person for staff (checked by `may_act`); for a resident their own
    record, or a linked minor child's for a kind a guardian applies for (Forbidden for anyone else's key, existing
    or not)."""
    with session_scope(engine) as session:
        person = session.scalar(select(PersonRow).where(PersonRow.person_key == person_key))
        if person is not None:
            session.expunge(person)
    if principal.role != Role.RESIDENT:
        if person is None or not principal.covers(person.residence_region):
            if person is not None:  # staff of the place she left (跨省通办) are told that she moved, and where to
                refuse_move_to_reader(engine, principal, person.id)
            raise person_not_in_reach(person_key)
        return person
    if person is not None and person.id == principal.person_id:
        return person
    if person is None or not guardian_of(engine, principal, person.id):
        raise Forbidden(refusal(RefusalCode.RESIDENT_APPLIES_FOR_OWN))
    if kind not in GUARDIAN_KINDS:
        allowed_zh = "、".join(KIND_LABELS[k][0] for k in GUARDIAN_KINDS)
        allowed_en = ", ".join(KIND_LABELS[k][1] for k in GUARDIAN_KINDS)
        raise Forbidden(refusal(RefusalCode.GUARDIAN_KINDS_ONLY, kinds_zh=allowed_zh, kinds_en=allowed_en))
    return person


def submit_as(
    engine: Engine, principal: Principal, person_key: str, kind: ApplicationKind, note: str | None
) -> dict[str, Any]:
    """Start an application for a person living in the caller's jurisdiction (or a resident's own)."""
    if principal.role not in (Role.RESIDENT, *STAFF_WITH_PERSONAL_ACCESS):
        raise Forbidden(refusal(RefusalCode.ROLE_MAY_NOT_APPLY, role=principal.role.value))
    person = applicant(engine, principal, person_key, kind)
    may_act(engine, principal, person.residence_region, person.id, self_service=True)
    with told_of_move(engine, principal):  # she herself is told where to; a guardian, who may not see her, is not
        refuse_moved_out(person)  # handed over to another province's instance: nothing to apply for here
    with casework_errors():  # a second open application of the kind: 409 naming the open one
        return records.submit(engine, person, kind, note, principal.username)


def open_application(
    engine: Engine, principal: Principal, application_id: int, *, self_service: bool
) -> tuple[ApplicationRow, PersonRow]:
    """The application and its applicant, if the caller may act on it."""
    with casework_errors():
        row, person = records.load(engine, application_id)
    may_act(engine, principal, row.region, person.id, self_service=self_service)
    return row, person


def knows_where(engine: Engine, principal: Principal, person: PersonRow) -> bool:
    """Whether the caller may be told where an applicant handed over to another province's instance lives now: one
    who may see her (access.may_see: she herself, staff of the place she left). Staff of the application's region
    may act on it without that: she may have left the province from another place of it (docs/api.md, "Who may
    change what"); they, and a guardian, are told that she moved to another province, naming no place."""
    if person.moved_out_by is None:
        return True
    with session_scope(engine) as session:
        row = session.get(PersonRow, person.id)
        return row is not None and may_see(session, principal, row)


def step_as(
    engine: Engine, principal: Principal, application_id: int, action: Action, reason: str | None
) -> dict[str, Any]:
    """Take a step: staff of the application's region; the applicant may appeal."""
    _row, person = open_application(engine, principal, application_id, self_service=action == Action.APPEAL)
    name_place = knows_where(engine, principal, person)
    with casework_errors():
        return records.transition(engine, application_id, action, reason, principal.username, name_place=name_place)


def publisher(principal: Principal, region: str) -> None:
    """Quota runs of a city are published by its caseworkers and administrators."""
    principal.require_role(*STAFF_WITH_PERSONAL_ACCESS)
    principal.require_region(region)
