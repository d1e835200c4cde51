"""Applications (申请): kinds and materials, submit with a pre-check, list, read, take a step, draft a reason.

A resident applies and appeals for themself, and as guardian for a linked child who is a minor (a school place
only); caseworkers and administrators act on applications whose region (where the applicant lived when applying)
lies in their jurisdiction (docs/applications.md).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, Field
from sqlalchemy import Engine, select

from changzhu.api.access import STAFF_WITH_PERSONAL_ACCESS, audit_listing
from changzhu.api.applicant_names import with_names
from changzhu.api.application_actors import with_actor_roles
from changzhu.api.application_writes import knows_where, open_application, step_as, submit_as
from changzhu.api.auth.principal import Principal
from changzhu.api.auth.roles import NATIONAL_SCOPE, Role
from changzhu.api.deps import EngineDep, PrincipalDep
from changzhu.api.errors import Forbidden
from changzhu.api.guardians import acts_for, guardian_of
from changzhu.api.overview import moved_out_named
from changzhu.casework import application_records as records
from changzhu.casework.applications import KIND_LABELS, Action, ApplicationKind, Status
from changzhu.casework.materials import materials
from changzhu.domain import field_sizes as sizes
from changzhu.domain.refusals import RefusalCode, refusal
from changzhu.domain.regions import region_prefix
from changzhu.registry.contact import unseal
from changzhu.registry.region_names import region_labels
from changzhu.store import audit, audit_subjects
from changzhu.store.audit_reasons import because
from changzhu.store.db import session_scope
from changzhu.store.resident_models import PersonRow
from changzhu.store.txn import write_session

router = APIRouter(tags=["applications"])
# `moved_out` of an applicant handed over to another province's instance, to a caller who may not see where she lives
# (staff of the application's region she left the province from elsewhere, a guardian): she moved, no place, no date
MOVED_ELSEWHERE: dict[str, Any] = dict.fromkeys(
    ("city", "city_name", "city_name_en", "on", "from_region", "from_region_name", "from_region_name_en")
)
CODE = r"^\d{6}$"
MAX_ID = 2**31 - 1
ApplicationId = Annotated[int, Path(ge=1, le=MAX_ID)]


class NewApplication(BaseModel):
    """Who applies, for what, with an optional note."""

    person_key: str = Field(min_length=1, max_length=sizes.PERSON_KEY)
    kind: ApplicationKind
    note: str | None = Field(default=None, max_length=sizes.APPLICATION_NOTE)


class Step(BaseModel):
    """A step of the state machine; a decision without a reason takes the reason drafted from the explanation."""

    action: Action
    reason: str | None = Field(default=None, min_length=1, max_length=sizes.APPLICATION_REASON)


def _prefixes(principal: Principal) -> list[str] | None:
    return None if NATIONAL_SCOPE in principal.scopes else [region_prefix(s) for s in principal.scopes]


@router.get("/applications/kinds", responses={401: {}})
def kinds(
    principal: PrincipalDep,
    engine: EngineDep,
    region: Annotated[str | None, Query(pattern=CODE, description="whose rules (default: your own city)")] = None,
) -> list[dict[str, Any]]:
    """Every kind of application with its labels and its materials list (材料清单) under the region's rules."""
    where = region
    if where is None and principal.person_id is not None:
        with session_scope(engine) as session:
            where = session.scalar(select(PersonRow.residence_region).where(PersonRow.id == principal.person_id))
    where = where or NATIONAL_SCOPE
    return [
        {
            "kind": kind.value,
            "label_zh": KIND_LABELS[kind][0],
            "label_en": KIND_LABELS[kind][1],
            "region": where,
            "materials": [m.to_dict() for m in materials(kind, where)],
        }
        for kind in ApplicationKind
    ]


@router.post("/applications", status_code=201, responses={401: {}, 403: {}, 404: {}})
def submit(body: NewApplication, engine: EngineDep, principal: PrincipalDep) -> dict[str, Any]:
    """Start an application: pre-checked by the rules engine, stored as submitted, audited."""
    return submit_as(engine, principal, body.person_key, body.kind, body.note)


def _with_region_names(engine: Engine, items: list[dict[str, Any]]) -> None:
    """Add region_name_zh and region_name_en (region_labels: the English name, else the Chinese; None for a code no
    region has) to each application."""
    with session_scope(engine) as session:
        names = region_labels(session, {str(i["region"]) for i in items if i.get("region")})
    for item in items:
        item["region_name_zh"], item["region_name_en"] = names.get(str(item.get("region")), (None, None))


@router.get("/applications", responses={401: {}, 403: {}})
def listing(
    engine: EngineDep,
    principal: PrincipalDep,
    status: Status | None = None,
    kind: ApplicationKind | None = None,
    region: Annotated[str | None, Query(pattern=CODE)] = None,
    person_key: Annotated[str | None, Query(max_length=sizes.PERSON_KEY)] = None,
    offset: Annotated[int, Query(ge=0, le=MAX_ID)] = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> dict[str, Any]:
    """A page of applications: a resident's own, or those in the caller's jurisdiction."""
    person_id = None
    if person_key is not None:
        with session_scope(engine) as session:
            person_id = session.scalar(select(PersonRow.id).where(PersonRow.person_key == person_key)) or -1
    if principal.role == Role.RESIDENT:
        mine = acts_for(engine, principal)
        if person_id is not None and person_id not in mine:
            raise Forbidden(refusal(RefusalCode.RESIDENT_SEES_OWN_APPLICATIONS))
        who = tuple(mine) if person_id is None else (person_id,)
        where = records.Filter(status and status.value, kind and kind.value, region, person_ids=who)
        own = records.listing(engine, where, None, offset, limit)
        with_names(engine, principal, own["items"], None)  # a resident's list carries no names
        _with_region_names(engine, own["items"])
        return own
    principal.require_role(*STAFF_WITH_PERSONAL_ACCESS)
    where = records.Filter(status and status.value, kind and kind.value, region, person_id)
    page = records.listing(engine, where, _prefixes(principal), offset, limit)
    audit_listing(engine, principal, region, len(page["items"]))
    with_names(engine, principal, page["items"], None)  # the listing's audit record says names are shown
    _with_region_names(engine, page["items"])
    return page


@router.get("/applications/{application_id}", responses={401: {}, 403: {}, 404: {}})
def read(application_id: ApplicationId, engine: EngineDep, principal: PrincipalDep) -> dict[str, Any]:
    """One application with its events (the resident sees status and reason; a parent also the name of the minor
    child it is for) and `moved_out`, where to and from when the applicant moved to another province (null if they
    did not: then no step but closing it is taken here; all null, she moved to another province, to a caller who may
    not see where she lives); the read is audited."""
    row, person = open_application(engine, principal, application_id, self_service=True)
    with write_session(engine) as session:
        audit.append(
            session,
            actor=f"user:{principal.username}",
            action="read_personal_data",
            subject=audit_subjects.person(person.person_key),
            details={"purpose": "read application", "application_id": row.id, "role": principal.role.value},
            reason=because("read_application"),
        )
    found = records.view(row, person.person_key, records.events_of(engine, application_id))
    told = knows_where(engine, principal, person)
    found["moved_out"] = moved_out_named(engine, person) if told else dict(MOVED_ELSEWHERE)
    with_actor_roles(engine, found, person.id, principal.username)
    with_names(engine, principal, [found], None)  # the read is audited above
    if guardian_of(engine, principal, person.id):  # a parent sees the name of the child they act for
        found["name"], found["name_shown"] = unseal(person.name_cipher, person.name_hash), True
    return found


@router.post("/applications/{application_id}/transition", responses={401: {}, 403: {}, 404: {}, 409: {}})
def transition(application_id: ApplicationId, body: Step, engine: EngineDep, principal: PrincipalDep) -> dict[str, Any]:
    """Take a step: review, approve, reject, uphold, overturn (staff), appeal (the applicant, their guardian, or
    staff); on an application whose applicant moved to another province, only close (staff: an open one, 409
    `applicant_moved_out` for any other step)."""
    return step_as(engine, principal, application_id, body.action, body.reason)


class MissingFact(BaseModel):
    """A fact the rules still need to decide: the rule input and its label."""

    input: str
    label_zh: str
    label_en: str


class DraftReason(BaseModel):
    """The drafted reason (zh/en), the decision it rests on and, when undetermined, the facts still missing."""

    reason_zh: str
    reason_en: str
    decision: Literal["eligible", "not_eligible", "undetermined"]
    needs: list[MissingFact]


@router.get(
    "/applications/{application_id}/draft-reason", response_model=DraftReason, responses={401: {}, 403: {}, 404: {}}
)
def draft_reason(application_id: ApplicationId, engine: EngineDep, principal: PrincipalDep) -> DraftReason:
    """The reason drafted from today's explanation, for the caseworker to sign or edit (zh/en), with the rules'
    decision and the facts an undetermined decision still needs (an approval should not rest on "no decision yet")."""
    open_application(engine, principal, application_id, self_service=False)
    return DraftReason.model_validate(records.draft_reason(engine, application_id))
