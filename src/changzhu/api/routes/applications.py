"""Applications (申请): kinds and materials, submit with a pre-check, list, read, take a step, draft a reason.

A resident applies and appeals for themself, and as guardian for a linked child who is a minor (a school place
only); caseworkers and administrators act on applications whose region (where the applicant lived when applying)
lies in their jurisdiction (docs/applications.md).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, Field
from sqlalchemy import select

from changzhu.api.application_reads import application_as, applications_as
from changzhu.api.application_writes import open_application, step_as, submit_as
from changzhu.api.auth.roles import NATIONAL_SCOPE
from changzhu.api.deps import EngineDep, PrincipalDep
from changzhu.casework import application_records as records
from changzhu.casework.applications import KIND_LABELS, Action, ApplicationKind, Status
from changzhu.casework.materials import materials
from changzhu.domain import field_sizes as sizes
from changzhu.store.db import session_scope
from changzhu.store.resident_models import PersonRow

router = APIRouter(tags=["applications"])
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
    """A page of applications: a resident's own, or those in the caller's jurisdiction (the listing audited)."""
    where = records.Filter(status and status.value, kind and kind.value, region)
    return applications_as(engine, principal, where, person_key, offset, limit)


@router.get("/applications/{application_id}", responses={401: {}, 403: {}, 404: {}})
def read(application_id: ApplicationId, engine: EngineDep, principal: PrincipalDep) -> dict[str, Any]:
    """One application with its events (the resident sees status and reason; a parent also the name of the minor
    child it is for) and `moved_out`, where to and from when the applicant moved to another province (null if they
    did not: then no step but closing it is taken here; all null, she moved to another province, to a caller who may
    not see where she lives); the read is audited."""
    return application_as(engine, principal, application_id)


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
