"""Residents: registering habitual residence, moves, and reading a record (each read is audited)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Response
from pydantic import BaseModel, Field

from changzhu.api.access import STAFF_WITH_PERSONAL_ACCESS, audit_listing, open_person
from changzhu.api.auth.principal import Principal
from changzhu.api.client_keys import OptionalClientKey
from changzhu.api.deps import EngineDep, LimitQuery, OffsetQuery, PrincipalDep
from changzhu.api.errors import Forbidden
from changzhu.api.overview import account_of
from changzhu.api.pagination import Page
from changzhu.api.registry_writes import arrival_as, move_as, register_as
from changzhu.api.resident_search import Search, SearchBy, SortBy, search_residents
from changzhu.domain import field_sizes as sizes
from changzhu.domain.masking import mask
from changzhu.domain.refusals import RefusalCode, refusal
from changzhu.registry.contact import NAME_MAX
from changzhu.registry.residents import ProofKind, Registration
from changzhu.store.audit_reasons import because
from changzhu.store.resident_models import PersonRow

router = APIRouter(prefix="/residents", tags=["residents"])
CODE = r"^[1-8]\d{5}$"
PersonKeyPath = Annotated[str, Path(max_length=sizes.PERSON_KEY)]


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
    proof_ref: str = Field(min_length=1, max_length=sizes.PROOF_REF)
    attributes: dict[str, str | int | float | bool | None] = Field(default_factory=dict, max_length=30)
    name: str | None = Field(default=None, min_length=1, max_length=NAME_MAX, description="姓名 (stored encrypted)")
    phone: str | None = Field(default=None, min_length=11, max_length=20, description="手机号 (stored encrypted)")
    idempotency_key: OptionalClientKey = None


class ResidentItem(BaseModel):
    """A resident in a list: registry facts with region names; the name only for roles that may see it."""

    person_key: str
    name: str | None
    sex: str
    birth_date: date
    hukou_region: str
    hukou_region_name: str | None
    hukou_region_name_en: str | None
    residence_region: str
    residence_region_name: str | None
    residence_region_name_en: str | None
    residence_since: date
    residence_permit_since: date | None
    moved_out: bool = False  # handed over to another province's instance (跨省通办): the record here is history


class Move(BaseModel):
    """A change of habitual residence."""

    to_region: str = Field(pattern=CODE)
    moved_on: date
    proof_kind: ProofKind
    proof_ref: str = Field(min_length=1, max_length=sizes.PROOF_REF)
    id_number: str | None = Field(
        default=None,
        min_length=18,
        max_length=18,
        description="the identity number the person shows at the counter: needed to start the arrival of someone "
        "living outside the caller's jurisdiction (never stored with the move)",
    )
    idempotency_key: OptionalClientKey = None


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


def _require_staff(principal: Principal) -> None:
    if principal.role not in STAFF_WITH_PERSONAL_ACCESS:
        raise Forbidden(refusal(RefusalCode.ROLE_MAY_NOT_RECORDS, role=principal.role.value))


@router.get("", response_model=Page[ResidentItem], responses={401: {}, 403: {}, 422: {}})
def residents(
    engine: EngineDep,
    principal: PrincipalDep,
    q: Annotated[str | None, Query(min_length=1, max_length=64, description="name, ID number, key or phone")] = None,
    by: Annotated[SearchBy, Query(description="what q is; auto decides from the text")] = SearchBy.AUTO,
    region: Annotated[
        str | None,
        Query(pattern=CODE, description="only residents living in this region (a province, city: anywhere in it)"),
    ] = None,
    sort: Annotated[SortBy, Query(description="order of the list")] = SortBy.PERSON_KEY,
    order: Annotated[Literal["asc", "desc"], Query(description="ascending or descending")] = "asc",
    limit: LimitQuery = 50,
    offset: OffsetQuery = 0,
) -> Page[ResidentItem]:
    """Residents living in, or moving to, the caller's jurisdiction, found by name, ID number, person key or phone
    through keyed hashes (caseworkers, administrators; each search showing names is audited)."""
    _require_staff(principal)
    if region is not None:
        principal.require_region(region)
    search = Search(q, by, region, sort, order == "desc", offset, limit)
    items, total = search_residents(engine, principal, search)
    audit_listing(engine, principal, region, len(items), searched_by=None if q is None else by.value)
    return Page[ResidentItem](items=[ResidentItem(**i) for i in items], total=total, limit=limit, offset=offset)


@router.post("", status_code=201, responses={401: {}, 403: {}, 409: {}})
def register(body: NewResident, engine: EngineDep, principal: PrincipalDep) -> dict[str, object]:
    """Register a person's habitual residence in the caller's jurisdiction (idempotent under its key)."""
    reg = Registration(
        id_number=body.id_number,
        hukou_region=body.hukou_region,
        residence_region=body.residence_region,
        residence_since=body.residence_since,
        proof_kind=body.proof_kind,
        proof_ref=body.proof_ref,
        attributes=dict(body.attributes),
        name=body.name,
        phone=body.phone,
    )
    result = register_as(engine, principal, reg, key=body.idempotency_key)
    return {**result, "id_number": mask(body.id_number)}


@router.get("/{person_key}", response_model=ResidentOut, responses={401: {}, 403: {}, 404: {}})
def resident(person_key: PersonKeyPath, engine: EngineDep, principal: PrincipalDep) -> ResidentOut:
    """One resident's record: the person themself, or staff of the place they live in or move to."""
    return resident_out(open_person(engine, principal, person_key, because("view_record")))


@router.post("/{person_key}/moves", responses={202: {}, 401: {}, 403: {}, 404: {}, 409: {}})
def move(
    person_key: PersonKeyPath, body: Move, response: Response, engine: EngineDep, principal: PrincipalDep
) -> dict[str, object]:
    """Record a move into the caller's jurisdiction (the new place registers it). From a place outside the
    caller's jurisdiction it is an arrival (跨省通办), started only with the identity number the person shows, and
    held (202) until the old place's staff, or the person themself, confirm; without a matching number the answer
    is the one for a key no one has (404 `no_person_in_reach`)."""
    held, result = move_as(
        engine,
        principal,
        person_key,
        body.to_region,
        body.moved_on,
        body.proof_kind,
        body.proof_ref,
        key=body.idempotency_key,
        id_number=body.id_number,
    )
    if held:
        response.status_code = 202
    return result


class Arrival(BaseModel):
    """A move into the caller's jurisdiction registered with the identity number the person shows (迁入登记)."""

    id_number: str = Field(min_length=18, max_length=18, description="the identity number shown at the counter")
    to_region: str = Field(pattern=CODE)
    moved_on: date
    proof_kind: ProofKind
    proof_ref: str = Field(min_length=1, max_length=sizes.PROOF_REF)
    idempotency_key: OptionalClientKey = None


@router.post("/arrivals", responses={202: {}, 401: {}, 403: {}, 404: {}, 409: {}})
def arrival(body: Arrival, response: Response, engine: EngineDep, principal: PrincipalDep) -> dict[str, object]:
    """Register a move into the caller's jurisdiction of the person showing this identity number, as
    `POST /residents/{person_key}/moves` does, the person found by the number (the arrival place has the card, not
    the key): recorded (200) when they live in the caller's jurisdiction already, else held (202) until staff of the
    place they live in, or the person themself, confirm it; a number no one is registered under is 404
    `no_person_in_reach`, as for a person out of reach."""
    held, result = arrival_as(
        engine,
        principal,
        body.id_number,
        body.to_region,
        body.moved_on,
        body.proof_kind,
        body.proof_ref,
        key=body.idempotency_key,
    )
    if held:
        response.status_code = 202
    return result


class AccountOut(BaseModel):
    """The portable account (终身福利账户) as held here: contribution months per scheme and place, school years."""

    person_key: str
    contribution_months: list[dict[str, str | int]]
    school_records: list[dict[str, str | int]]


@router.get("/{person_key}/account", response_model=AccountOut, responses={401: {}, 403: {}, 404: {}})
def account(person_key: PersonKeyPath, engine: EngineDep, principal: PrincipalDep) -> AccountOut:
    """Contribution months by scheme, paying and holding region, and the school record (学籍)."""
    person = open_person(engine, principal, person_key, because("view_account"))
    return AccountOut(**account_of(engine, person.id, person_key))
