"""Reading applications as a caller: the rule and audit of GET /applications and GET /applications/{id}, shared by
the API and the CLI's `applications list|show` (docs/applications.md)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, select

from changzhu.api.access import STAFF_WITH_PERSONAL_ACCESS, audit_listing, audit_read
from changzhu.api.applicant_names import with_names
from changzhu.api.application_actors import with_actor_roles
from changzhu.api.application_writes import knows_where, open_application
from changzhu.api.auth.principal import Principal
from changzhu.api.auth.roles import NATIONAL_SCOPE, Role
from changzhu.api.errors import Forbidden
from changzhu.api.guardians import acts_for, guardian_of
from changzhu.api.overview import moved_out_named
from changzhu.casework import application_records as records
from changzhu.domain.refusals import RefusalCode, refusal
from changzhu.domain.regions import region_prefix
from changzhu.registry.contact import unseal
from changzhu.registry.region_names import region_labels
from changzhu.store.audit_reasons import because
from changzhu.store.db import session_scope
from changzhu.store.resident_models import PersonRow
from changzhu.store.txn import write_session

# `moved_out` of an applicant handed over to another province's instance, to a caller who may not see where she lives
# (staff of the application's region she left the province from elsewhere, a guardian): she moved, no place, no date
MOVED_ELSEWHERE: dict[str, Any] = dict.fromkeys(
    ("city", "city_name", "city_name_en", "on", "from_region", "from_region_name", "from_region_name_en")
)


def _prefixes(principal: Principal) -> list[str] | None:
    return None if NATIONAL_SCOPE in principal.scopes else [region_prefix(s) for s in principal.scopes]


def _with_region_names(engine: Engine, items: list[dict[str, Any]]) -> None:
    """Add region_name_zh and region_name_en (region_labels: the English name, else the Chinese; None for a code no
    region has) to each application."""
    with session_scope(engine) as session:
        names = region_labels(session, {str(i["region"]) for i in items if i.get("region")})
    for item in items:
        item["region_name_zh"], item["region_name_en"] = names.get(str(item.get("region")), (None, None))


def applications_as(
    engine: Engine,
    principal: Principal,
    where: records.Filter,
    person_key: str | None,
    offset: int,
    limit: int,
) -> dict[str, Any]:
    """A page of applications: a resident's own (and the children they act for), or for staff those in their
    jurisdiction, the listing audited and names shown."""
    person_id = None
    if person_key is not None:
        with session_scope(engine) as session:
            person_id = session.scalar(select(PersonRow.id).where(PersonRow.person_key == person_key)) or -1
    if principal.role == Role.RESIDENT:
        mine = acts_for(engine, principal)
        if person_id is not None and person_id not in mine:
            raise Forbidden(refusal(RefusalCode.RESIDENT_SEES_OWN_APPLICATIONS))
        who = tuple(mine) if person_id is None else (person_id,)
        own = records.listing(engine, records.Filter(where.status, where.kind, where.region, person_ids=who), None,
                              offset, limit)  # fmt: skip
        with_names(engine, principal, own["items"], None)  # a resident's list carries no names
        _with_region_names(engine, own["items"])
        return own
    principal.require_role(*STAFF_WITH_PERSONAL_ACCESS)
    staff_where = records.Filter(where.status, where.kind, where.region, person_id)
    page = records.listing(engine, staff_where, _prefixes(principal), offset, limit)
    audit_listing(engine, principal, where.region, len(page["items"]))
    with_names(engine, principal, page["items"], None)  # the listing's audit record says names are shown
    _with_region_names(engine, page["items"])
    return page


def application_as(engine: Engine, principal: Principal, application_id: int) -> dict[str, Any]:
    """One application with its events and `moved_out`, if the caller may act on it or is its applicant (or her
    guardian); the read is audited."""
    row, person = open_application(engine, principal, application_id, self_service=True)
    with write_session(engine) as session:
        audit_read(session, principal, person.person_key, because("read_application"), application_id=row.id)
    found = records.view(row, person.person_key, records.events_of(engine, application_id))
    told = knows_where(engine, principal, person)
    found["moved_out"] = moved_out_named(engine, person) if told else dict(MOVED_ELSEWHERE)
    with_actor_roles(engine, found, person.id, principal.username)
    with_names(engine, principal, [found], None)  # the read is audited above
    if guardian_of(engine, principal, person.id):  # a parent sees the name of the child they act for
        found["name"], found["name_shown"] = unseal(person.name_cipher, person.name_hash), True
    return found
