"""Who may see a person's record: the person themself, or staff whose jurisdiction they live in or move to."""

from __future__ import annotations

import logging

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from changzhu.api.auth.principal import Principal
from changzhu.api.auth.roles import Role
from changzhu.api.errors import Forbidden, NotFound
from changzhu.domain.refusals import RefusalCode, refusal
from changzhu.store import audit, audit_subjects
from changzhu.store.audit_reasons import Reason, because
from changzhu.store.resident_models import PersonRow, TransferRow
from changzhu.store.txn import write_session

_log = logging.getLogger(__name__)
STAFF_WITH_PERSONAL_ACCESS = (Role.CASEWORKER, Role.ADMINISTRATOR)


def incoming_regions(session: Session, person: PersonRow) -> set[str]:
    """Regions the person has a pending application to move their accounts to (跨地区转移接续, not yet completed).

    Only the place the person lives in can make such an application (api/routes/ledger.py), so no write by
    another place can open a person's record to it."""
    query = select(TransferRow.to_region).where(TransferRow.person_id == person.id, TransferRow.status == "applied")
    return set(session.scalars(query))


def person_not_in_reach(person_key: str) -> NotFound:
    """The one answer to staff about a person key they may not reach, whether no one has it or the person lives
    elsewhere: the same status, body and code on every person route, so that no answer tells who is registered in
    another jurisdiction (docs/api.md, "Decisions of the security audit"). The key goes to the server log only."""
    _log.info("person key %s not in the caller's reach", person_key)
    return NotFound(refusal(RefusalCode.NO_PERSON_IN_REACH))


def may_see(session: Session, principal: Principal, person: PersonRow) -> bool:
    """The rule of access to one person's data (see docs/api.md, "Who may see what")."""
    if principal.role == Role.RESIDENT:
        return principal.person_id == person.id
    if principal.role not in STAFF_WITH_PERSONAL_ACCESS:
        return False
    if principal.covers(person.residence_region):
        return True
    if person.moved_out_by is not None and person.prior_region and principal.covers(person.prior_region):
        return True  # handed over to another province's instance from here: staff here read the history
    return any(principal.covers(code) for code in incoming_regions(session, person))


def open_person(engine: Engine, principal: Principal, person_key: str, purpose: Reason) -> PersonRow:
    """The person's row if the caller may see it; the access is appended to the audit log first."""
    if principal.role not in (Role.RESIDENT, *STAFF_WITH_PERSONAL_ACCESS):
        raise Forbidden(refusal(RefusalCode.AGGREGATES_ONLY, role=principal.role.value))
    with write_session(engine) as session:
        person = session.scalar(select(PersonRow).where(PersonRow.person_key == person_key))
        if person is None or not may_see(session, principal, person):
            if principal.role == Role.RESIDENT:
                raise Forbidden(refusal(RefusalCode.OWN_RECORD_ONLY))
            raise person_not_in_reach(person_key)
        audit_read(session, principal, person.person_key, purpose)
        return person


def audit_read(session: Session, principal: Principal, person_key: str, purpose: Reason, **details: object) -> None:
    """Record, in the caller's write session, that the caller read one person's data: the purpose, the caller's
    role and what `details` add (an application's id)."""
    audit.append(
        session,
        actor=f"user:{principal.username}",
        action="read_personal_data",
        subject=audit_subjects.person(person_key),
        details={"purpose": purpose.en, **details, "role": principal.role.value},
        reason=purpose,
    )


def audit_listing(
    engine: Engine,
    principal: Principal,
    region: str | None,
    count: int,
    searched_by: str | None = None,
    *,
    names_shown: bool = True,
    reason: str | None = None,
) -> None:
    """Record that the caller listed or searched residents, with their names or (`names_shown` False: the operator
    CLI's listings of accounts and vouchers) by person key (how, what filter, how many rows; never the search text
    itself). `reason`: the code of why (store.audit_reasons), by default a caseload listing or a resident search
    (the transfers awaiting release: `transfers_to_release`)."""
    why = reason or ("caseload_listing" if searched_by is None else "resident_search")
    with write_session(engine) as session:
        audit.append(
            session,
            actor=f"user:{principal.username}",
            action="list_personal_data",
            subject=audit_subjects.regions([region] if region else principal.scopes),
            details={"rows": count, "names_shown": names_shown, "searched_by": searched_by},
            reason=because(why),
        )
