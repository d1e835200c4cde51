"""A resident's page and the actions on it: overview, facts, residence permits, contributions, resident login."""

from __future__ import annotations

import secrets
from dataclasses import asdict
from datetime import date, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, Field
from sqlalchemy import Engine

from changzhu.api.access import STAFF_WITH_PERSONAL_ACCESS, open_person
from changzhu.api.auth.accounts import create_user, one_time_password, require_within_reach
from changzhu.api.auth.roles import Role
from changzhu.api.client_keys import OptionalClientKey
from changzhu.api.deps import EngineDep, PrincipalDep, SettingsDep
from changzhu.api.errors import Conflict
from changzhu.api.interregion.crossings import crossings_of
from changzhu.api.overview import (
    account_of,
    history_of,
    medical_claims_of,
    names_of_places,
    record_of,
    reported_residence_of,
    transfers_of,
)
from changzhu.api.routes.eligibility import (
    EARLIEST,
    LATEST,
    entitlement_view,
    person_explanation,
)
from changzhu.api.write_access import insured_place, refuse_if_handed_over, staff_over_resident, told_of_move
from changzhu.casework import application_records
from changzhu.casework.application_records import Filter
from changzhu.domain import field_sizes as sizes
from changzhu.domain.lang import Lang
from changzhu.ledger.contributions import MonthPaid, Scheme, record_contributions
from changzhu.ledger.vouchers import vouchers_frame
from changzhu.registry.explained import lacking
from changzhu.registry.facts import update_facts
from changzhu.registry.frames import counted_months, person_frame
from changzhu.registry.residents import issue_or_renew_permit
from changzhu.rules.explain import Explanation
from changzhu.store import audit, audit_subjects
from changzhu.store.audit_reasons import because
from changzhu.store.resident_models import PersonRow
from changzhu.store.txn import write_session

router = APIRouter(prefix="/residents", tags=["residents"])
CODE = r"^[1-8]\d{5}$"
PersonKeyPath = Annotated[str, Path(max_length=sizes.PERSON_KEY)]
IdempotencyKey = OptionalClientKey
FactValue = str | int | float | bool | list[str] | None


class FactsChange(BaseModel):
    """Declared rule inputs to set (a null removes one: it becomes unknown again)."""

    facts: dict[str, FactValue] = Field(min_length=1, max_length=50)
    idempotency_key: IdempotencyKey = None


class PermitRequest(BaseModel):
    """Issue the first 居住证 where the person lives, or renew (签注) the one they hold."""

    issued_on: date = Field(ge=date(2000, 1, 1), le=date(2100, 12, 31))
    idempotency_key: IdempotencyKey = None


class ContributionRequest(BaseModel):
    """Consecutive months of insurance paid in `region`, each on the same monthly base."""

    scheme: Literal["pension", "medical"]
    region: str = Field(pattern=CODE)
    from_period: int = Field(ge=195001, le=210012, description="first month paid, YYYYMM")
    months: int = Field(ge=1, le=600, description="how many consecutive months")
    amount_yuan: float = Field(gt=0, le=1_000_000, description="monthly contribution base (缴费基数), yuan")
    idempotency_key: IdempotencyKey = None


class LoginRequest(BaseModel):
    """A resident login for the person; the user name defaults to one derived from the person key."""

    username: str | None = Field(default=None, min_length=3, max_length=sizes.USERNAME)


class LoginCreated(BaseModel):
    """The new login: give the person the user name and the one-time password (the activation code, shown only
    this once), which they replace with their own password at the first login before `expires_at`."""

    username: str
    person_key: str
    one_time_password: str
    expires_at: str


MAX_APPLICATIONS = 500  # a person's applications on their page (each one's events: GET /applications/{id})


def applications_of(engine: Engine, person_ids: tuple[int, ...]) -> list[dict[str, Any]]:
    """The applications (申请) of these applicants in the order they were made, with status, pre-check and reason."""
    found = application_records.listing(engine, Filter(person_ids=person_ids), None, 0, MAX_APPLICATIONS)
    items: list[dict[str, Any]] = found["items"]
    return items


def lacking_facts(engine: Engine, person: PersonRow) -> list[str]:
    """The core facts (employed, education, …) the person's record lacks."""
    return lacking(person_frame(engine, [person.id])).get(person.id, [])


def overview_of(
    engine: Engine, person: PersonRow, explanation: Explanation, applicants: tuple[int, ...] | None = None
) -> dict[str, Any]:
    """Everything on one resident's page (the caller has already been allowed to see the person). `incomplete`
    names the core facts the record lacks; the entitlements are decided under every value they can take, and a
    decision one of them could change is undetermined and names it. Applications are the person's own, or those
    of `applicants` (a resident's own and their minor children's). `counted_facts` are the insurance months as the
    rules read them, each with its source (counted from the contribution records, stated, or none: unknown), what
    the facts dialog shows beside the facts on record. `medical_insured_region` is where the medical insurance
    records say the person is insured today (None: no record), what the settlement dialog fills in as 参保地: the
    place of residence is another fact, and POST /medical/settlements checks the place against the same records."""
    account = account_of(engine, person.id, person.person_key)
    vouchers = vouchers_frame(engine, person.person_key).to_dicts()
    transfers = transfers_of(engine, person.id)
    crossings = crossings_of(engine, person.id)  # 跨省通办 hand-overs and arrivals, each with its message's state
    claims = medical_claims_of(engine, person.id)  # hospital bills settled directly (a held one once approved)
    return {
        "record": record_of(engine, person, show_contact=True),
        "history": history_of(engine, person.id),
        "reported_residence": reported_residence_of(engine, person.id),  # before an account transfer, as reported
        "entitlements": entitlement_view(explanation.to_dict(), person.person_key),
        "incomplete": lacking_facts(engine, person),
        "counted_facts": {name: asdict(counted) for name, counted in counted_months(engine, person).items()},
        "medical_insured_region": insured_place(engine, person.id, date.today()),
        "account": account,
        "vouchers": vouchers,
        "transfers": transfers,
        "crossings": crossings,
        "medical_claims": claims,
        "region_names": names_of_places(engine, account, vouchers, transfers, crossings=crossings, claims=claims),
        "applications": applications_of(engine, applicants or (person.id,)),
    }


@router.get("/{person_key}/overview", responses={401: {}, 403: {}, 404: {}, 409: {}})
def overview(
    person_key: PersonKeyPath,
    engine: EngineDep,
    settings: SettingsDep,
    principal: PrincipalDep,
    on: Annotated[date | None, Query(ge=EARLIEST, le=LATEST, description="date (default today)")] = None,
    lang: Annotated[Lang, Query(description="language of labels: zh or en")] = Lang.ZH,
) -> dict[str, Any]:
    """The resident's page: record, history across cities, entitlements, account, vouchers, transfers, directly
    settled hospital bills and applications (the person themself, or staff of the place they live in or move to;
    audited)."""
    person = open_person(engine, principal, person_key, because("view_overview"))
    return overview_of(engine, person, person_explanation(engine, settings, person, on or date.today(), None, lang))


@router.patch("/{person_key}/facts", responses={401: {}, 403: {}, 404: {}, 422: {}})
def facts(person_key: PersonKeyPath, body: FactsChange, engine: EngineDep, principal: PrincipalDep) -> dict[str, Any]:
    """Set the declared rule inputs of a person living in the caller's jurisdiction; 422 names a fact that is
    not declared where the person lives, or a value it cannot hold (in Chinese and English)."""
    staff_over_resident(engine, principal, person_key)
    with told_of_move(engine, principal):
        return update_facts(
            engine, person_key, dict(body.facts), actor=f"user:{principal.username}", key=body.idempotency_key
        )


@router.post("/{person_key}/permits", status_code=201, responses={401: {}, 403: {}, 404: {}, 409: {}})
def permit(
    person_key: PersonKeyPath, body: PermitRequest, engine: EngineDep, principal: PrincipalDep
) -> dict[str, Any]:
    """Issue the 居住证 (after the months of residence the rules ask) or renew the one held where the person lives."""
    staff_over_resident(engine, principal, person_key)
    with told_of_move(engine, principal):
        return issue_or_renew_permit(
            engine,
            person_key,
            body.issued_on,
            actor=f"user:{principal.username}",
            key=body.idempotency_key,
            today=date.today(),
        )


def _periods(first: int, count: int) -> list[int]:
    year, month = divmod(first, 100)
    out = []
    for _ in range(count):
        out.append(year * 100 + month)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


@router.post("/{person_key}/contributions", status_code=201, responses={401: {}, 403: {}, 404: {}, 409: {}})
def contributions(
    person_key: PersonKeyPath, body: ContributionRequest, engine: EngineDep, principal: PrincipalDep
) -> dict[str, Any]:
    """Record months of pension or medical insurance paid in the caller's jurisdiction by a person living there,
    posted to the portable account by the ledger."""
    staff_over_resident(engine, principal, person_key)
    principal.require_region(body.region)
    base_fen = round(body.amount_yuan * 100)
    paid = [MonthPaid(p, base_fen) for p in _periods(body.from_period, body.months)]
    with told_of_move(engine, principal):
        return record_contributions(
            engine,
            person_key,
            Scheme(body.scheme),
            body.region,
            paid,
            actor=f"user:{principal.username}",
            key=body.idempotency_key,
        )


@router.post("/{person_key}/login", status_code=201, response_model=LoginCreated, responses={401: {}, 403: {}, 409: {}})
def resident_login(
    person_key: PersonKeyPath, body: LoginRequest, engine: EngineDep, principal: PrincipalDep, settings: SettingsDep
) -> LoginCreated:
    """Create the resident login of a person living in the caller's jurisdiction (caseworkers, administrators)."""
    principal.require_role(*STAFF_WITH_PERSONAL_ACCESS)
    person = staff_over_resident(engine, principal, person_key)
    refuse_if_handed_over(engine, principal, person)  # she lives in another province's instance's records now
    require_within_reach(engine, principal, Role.RESIDENT, [], person.id)
    one_time = one_time_password(settings.one_time_hours)
    username = _create_resident_account(engine, body.username, person.id, one_time.password, one_time.until)
    with write_session(engine) as session:
        audit.append(
            session,
            actor=f"user:{principal.username}",
            action="account.create",
            subject=audit_subjects.person(person_key),
            details={"username": username, "role": Role.RESIDENT.value},
            reason=because("resident_login"),
        )
    return LoginCreated(
        username=username,
        person_key=person_key,
        one_time_password=one_time.password,
        expires_at=one_time.until.isoformat(),
    )


GENERATED_NAME_TRIES = 5  # a hundred million names: a clash is rare, five in a row would mean they are nearly spent


def _create_resident_account(engine: Engine, asked: str | None, person_id: int, password: str, until: datetime) -> str:
    """Create the resident's account under the name asked for, else under a generated one the resident can read
    out and type: jm (居民) and eight digits, drawn at random and drawn again if taken (a name asked for that is
    taken is refused). It was `r` and the first 12 hex digits of the record's key, which put part of the key (never
    shown on a page) on the screen and in the resident's hands."""
    names = [asked] if asked else [f"jm{secrets.randbelow(10**8):08d}" for _ in range(GENERATED_NAME_TRIES)]

    def create(username: str) -> str:
        create_user(
            engine, username, password, Role.RESIDENT, [], person_id, must_change_password=True, one_time_until=until
        )
        return username

    for username in names[:-1]:
        try:
            return create(username)
        except Conflict:
            continue
    return create(names[-1])  # the name asked for, or the last drawn: taken, it is refused (409)
