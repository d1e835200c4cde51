"""Residents: registering habitual residence, moves, and reading a record (each read is audited)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field
from sqlalchemy import func, or_, select

from changzhu.api.access import STAFF_WITH_PERSONAL_ACCESS, audit_listing, open_person
from changzhu.api.auth.principal import Principal
from changzhu.api.auth.roles import NATIONAL_SCOPE
from changzhu.api.deps import EngineDep, LimitQuery, OffsetQuery, PrincipalDep
from changzhu.api.errors import Forbidden
from changzhu.api.pagination import Page
from changzhu.registry.db import session_scope
from changzhu.registry.identity import mask
from changzhu.registry.resident_models import ContributionMonthRow, PersonRow, SchoolRecordRow, TransferRow
from changzhu.registry.residents import ProofKind, Registration, record_move, register_resident

router = APIRouter(prefix="/residents", tags=["residents"])
CODE = r"^[1-8]\d{5}$"


class ResidentOut(BaseModel):
    """A resident's registry facts; the identity number never leaves the database."""

    person_key: str
    sex: str
    birth_date: date
    hukou_region: str
    residence_region: str
    residence_since: date
    residence_permit_since: date | None
    prior_region: str | None
    prior_residence_months: int


class NewResident(BaseModel):
    """A registration of habitual residence (常住地登记) with its proof."""

    id_number: str = Field(min_length=18, max_length=18, description="GB 11643 identity number (stored hashed)")
    hukou_region: str = Field(pattern=CODE)
    residence_region: str = Field(pattern=CODE)
    residence_since: date
    proof_kind: ProofKind
    proof_ref: str = Field(min_length=1, max_length=120)
    attributes: dict[str, str | int | float | bool | None] = Field(default_factory=dict, max_length=30)
    idempotency_key: str | None = Field(default=None, min_length=8, max_length=120)


class Move(BaseModel):
    """A change of habitual residence."""

    to_region: str = Field(pattern=CODE)
    moved_on: date
    proof_kind: ProofKind
    proof_ref: str = Field(min_length=1, max_length=120)
    idempotency_key: str | None = Field(default=None, min_length=8, max_length=120)


def resident_out(p: PersonRow) -> ResidentOut:
    """The public fields of a person row."""
    return ResidentOut(
        person_key=p.person_key,
        sex=p.sex,
        birth_date=p.birth_date,
        hukou_region=p.hukou_region,
        residence_region=p.residence_region,
        residence_since=p.residence_since,
        residence_permit_since=p.residence_permit_since,
        prior_region=p.prior_region,
        prior_residence_months=p.prior_residence_months,
    )


def _scope_filter(scope: str):  # type: ignore[no-untyped-def]
    if scope == NATIONAL_SCOPE:
        return PersonRow.id.is_not(None)
    prefix = scope[:2] if scope.endswith("0000") else scope[:4] if scope.endswith("00") else scope
    moving_in = select(TransferRow.person_id).where(TransferRow.to_region.like(prefix + "%"))
    return or_(PersonRow.residence_region.like(prefix + "%"), PersonRow.id.in_(moving_in))


def _require_staff(principal: Principal) -> None:
    if principal.role not in STAFF_WITH_PERSONAL_ACCESS:
        raise Forbidden(f"role {principal.role.value} may not list or change residents' records")


@router.get("", response_model=Page[ResidentOut], responses={401: {}, 403: {}})
def residents(
    engine: EngineDep,
    principal: PrincipalDep,
    region: Annotated[str | None, Query(pattern=CODE, description="only residents living in this region")] = None,
    limit: LimitQuery = 50,
    offset: OffsetQuery = 0,
) -> Page[ResidentOut]:
    """Residents living in, or moving to, the caller's jurisdiction (caseworkers, administrators)."""
    _require_staff(principal)
    if region is not None:
        principal.require_region(region)
    condition = or_(*[_scope_filter(s) for s in principal.scopes])
    query = select(PersonRow).where(condition)
    if region is not None:
        query = query.where(PersonRow.residence_region == region)
    with session_scope(engine) as session:
        people = list(session.scalars(query.order_by(PersonRow.id)))
    page = [resident_out(p) for p in people[offset : offset + limit]]
    audit_listing(engine, principal, region, len(page))
    return Page[ResidentOut](items=page, total=len(people), limit=limit, offset=offset)


@router.post("", status_code=201, responses={401: {}, 403: {}, 409: {}})
def register(body: NewResident, engine: EngineDep, principal: PrincipalDep) -> dict[str, object]:
    """Register a person's habitual residence in the caller's jurisdiction (idempotent under its key)."""
    _require_staff(principal)
    principal.require_region(body.residence_region)
    reg = Registration(
        id_number=body.id_number,
        hukou_region=body.hukou_region,
        residence_region=body.residence_region,
        residence_since=body.residence_since,
        proof_kind=body.proof_kind,
        proof_ref=body.proof_ref,
        attributes=dict(body.attributes),
    )
    result = register_resident(engine, reg, actor=f"user:{principal.username}", key=body.idempotency_key)
    return {**result, "id_number": mask(body.id_number)}


@router.get("/{person_key}", response_model=ResidentOut, responses={401: {}, 403: {}, 404: {}})
def resident(person_key: str, engine: EngineDep, principal: PrincipalDep) -> ResidentOut:
    """One resident's record: the person themself, or staff of the place they live in or move to."""
    return resident_out(open_person(engine, principal, person_key, "view record"))


@router.post("/{person_key}/moves", responses={401: {}, 403: {}, 404: {}})
def move(person_key: str, body: Move, engine: EngineDep, principal: PrincipalDep) -> dict[str, object]:
    """Record a move of habitual residence into the caller's jurisdiction (the new place registers it)."""
    _require_staff(principal)
    principal.require_region(body.to_region)
    with session_scope(engine) as session:
        found = session.scalar(select(PersonRow.id).where(PersonRow.person_key == person_key))
    if found is None:
        open_person(engine, principal, person_key, "record move")  # raises NotFound
    return record_move(
        engine,
        person_key,
        body.to_region,
        body.moved_on,
        body.proof_kind,
        body.proof_ref,
        actor=f"user:{principal.username}",
        key=body.idempotency_key,
    )


class AccountOut(BaseModel):
    """The portable account (终身福利账户) as held here: contribution months per scheme and place, school years."""

    person_key: str
    contribution_months: list[dict[str, str | int]]
    school_records: list[dict[str, str | int]]


@router.get("/{person_key}/account", response_model=AccountOut, responses={401: {}, 403: {}, 404: {}})
def account(person_key: str, engine: EngineDep, principal: PrincipalDep) -> AccountOut:
    """Contribution months by scheme, paying and holding region, and the school record (学籍)."""
    person = open_person(engine, principal, person_key, "view account")
    with session_scope(engine) as session:
        months = session.execute(
            select(
                ContributionMonthRow.scheme,
                ContributionMonthRow.paid_region,
                ContributionMonthRow.held_region,
                func.count(),
                func.min(ContributionMonthRow.period),
                func.max(ContributionMonthRow.period),
            )
            .where(ContributionMonthRow.person_id == person.id)
            .group_by(ContributionMonthRow.scheme, ContributionMonthRow.paid_region, ContributionMonthRow.held_region)
            .order_by(ContributionMonthRow.scheme)
        ).all()
        schools = session.scalars(
            select(SchoolRecordRow).where(SchoolRecordRow.person_id == person.id).order_by(SchoolRecordRow.school_year)
        ).all()
        return AccountOut(
            person_key=person_key,
            contribution_months=[
                {"scheme": m[0], "paid_region": m[1], "held_region": m[2], "months": m[3], "first": m[4], "last": m[5]}
                for m in months
            ],
            school_records=[
                {
                    "school_year": r.school_year,
                    "grade": r.grade,
                    "school": r.school,
                    "enrolled_region": r.enrolled_region,
                    "held_region": r.held_region,
                }
                for r in schools
            ],
        )
