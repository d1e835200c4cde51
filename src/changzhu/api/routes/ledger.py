"""The portable account over the API: transfers (转移接续), service vouchers (服务券), medical direct settlement.

Every call goes to the ledger's service functions (changzhu.ledger.*): idempotent under `idempotency_key`
(a retry returns the first result with `replayed: true`; the key reused for another request is 409).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Path, Response
from pydantic import BaseModel, Field

from changzhu.api import approvals
from changzhu.api import ledger_writes as writes
from changzhu.api.access import open_person
from changzhu.api.approvals import HeldKind
from changzhu.api.auth.roles import Role
from changzhu.api.client_keys import ClientKey, OptionalClientKey, TransferNo
from changzhu.api.controls import controls_for
from changzhu.api.deps import EngineDep, PrincipalDep, SettingsDep
from changzhu.api.overview import transfers_of
from changzhu.api.write_access import named_person, refuse_if_handed_over, require_insured, told_of_move
from changzhu.domain import field_sizes as sizes
from changzhu.ledger.budgets import BudgetKind
from changzhu.ledger.medical import FilingKind, clear_medical, file_treatment, set_catalogue, set_policy, settle_bill
from changzhu.ledger.medical_rules import Policy
from changzhu.ledger.transfers import TransferScheme
from changzhu.ledger.vouchers import vouchers_frame
from changzhu.store.audit_reasons import because

router = APIRouter(tags=["ledger"])
CODE = r"^[1-8]\d{5}$"
Key = ClientKey
OptionalKey = OptionalClientKey
PersonKey = Annotated[str, Field(min_length=8, max_length=sizes.PERSON_KEY)]
PersonKeyPath = Annotated[str, Path(max_length=sizes.PERSON_KEY)]
Day = Annotated[date, Field(ge=date(1990, 1, 1), le=date(2100, 12, 31))]
Fen = Annotated[int, Field(gt=0, le=10**12, description="amount in fen (0.01 yuan)")]
FISCAL = writes.FISCAL


_actor, _staff_in = writes.actor_of, writes.staff_in


class TransferApplication(BaseModel):
    """An application, made in the new place, to take over what the old place holds (转移接续申请)."""

    transfer_no: TransferNo
    person_key: PersonKey
    scheme: TransferScheme
    from_region: str = Field(pattern=CODE)
    to_region: str = Field(pattern=CODE)
    applied_on: Day


@router.post("/transfers", status_code=201, responses={401: {}, 403: {}, 404: {}, 409: {}})
def apply(body: TransferApplication, engine: EngineDep, principal: PrincipalDep) -> dict[str, object]:
    """Record the application where the person lives now (its staff); nothing moves until the old place releases."""
    return writes.apply_transfer_as(
        engine,
        principal,
        body.person_key,
        body.scheme,
        body.from_region,
        body.to_region,
        body.applied_on,
        body.transfer_no,
    )


@router.post("/transfers/{transfer_no}/complete", responses={401: {}, 403: {}, 404: {}, 409: {}})
def complete(
    transfer_no: Annotated[str, Path(max_length=sizes.TRANSFER_NO)], engine: EngineDep, principal: PrincipalDep
) -> dict[str, object]:
    """Release from the old place and receive in the new one, all at once (staff of the old place, whose fund
    pays: the new place applied, the old place completes)."""
    return writes.complete_transfer_as(engine, principal, transfer_no)


@router.get("/residents/{person_key}/transfers", responses={401: {}, 403: {}, 404: {}})
def person_transfers(person_key: PersonKeyPath, engine: EngineDep, principal: PrincipalDep) -> list[dict[str, Any]]:
    """The person's transfer applications and what each moved."""
    person = open_person(engine, principal, person_key, because("view_transfers"))
    return transfers_of(engine, person.id)


class NewVoucher(BaseModel):
    """A service voucher funded by `issuer_region` for a registered person."""

    holder_key: PersonKey
    issuer_region: str = Field(pattern=CODE)
    service: str = Field(min_length=1, max_length=sizes.VOUCHER_SERVICE)
    value_fen: Fen
    issued_on: Day
    expires_on: Day
    idempotency_key: OptionalKey = None


@router.post("/vouchers", status_code=201, responses={202: {}, 401: {}, 403: {}, 404: {}, 409: {}, 422: {}})
def issue(
    body: NewVoucher, response: Response, engine: EngineDep, settings: SettingsDep, principal: PrincipalDep
) -> dict[str, object]:
    """Issue a voucher (staff of the issuing region, for its hukou holders or residents); above the approval
    threshold it is held (202) until another user approves it; above the limit or the budget it is refused."""
    held, result = writes.issue_voucher_as(
        engine,
        principal,
        body.holder_key,
        body.issuer_region,
        body.service,
        body.value_fen,
        body.issued_on,
        body.expires_on,
        key=body.idempotency_key,
        scenario=settings.controls_scenario,
    )
    if held:
        response.status_code = 202
    return result


class Redemption(BaseModel):
    """A provider where the holder lives redeems the voucher."""

    provider: str = Field(min_length=1, max_length=sizes.PROVIDER)
    provider_region: str = Field(pattern=CODE)
    redeemed_on: Day
    idempotency_key: Key


@router.post("/vouchers/{voucher_no}/redeem", responses={401: {}, 403: {}, 404: {}, 409: {}})
def redeem(
    voucher_no: Annotated[str, Path(max_length=60)], body: Redemption, engine: EngineDep, principal: PrincipalDep
) -> dict[str, object]:
    """Redeem once (staff of the providing region); a second redemption is refused."""
    return writes.redeem_voucher_as(
        engine, principal, voucher_no, body.provider, body.provider_region, body.redeemed_on, key=body.idempotency_key
    )


class Clearing(BaseModel):
    """Clear what one region owes another (vouchers: issuer → provider; medical: insured → treatment place)."""

    payer_region: str = Field(pattern=CODE)
    payee_region: str = Field(pattern=CODE)
    idempotency_key: Key


@router.post("/vouchers/clearing", responses={401: {}, 403: {}, 409: {}})
def clear(body: Clearing, engine: EngineDep, principal: PrincipalDep) -> dict[str, object]:
    """Pay the providing region for every redeemed voucher of the issuer (fiscal officers of the issuer)."""
    return writes.clear_vouchers_as(engine, principal, body.payer_region, body.payee_region, key=body.idempotency_key)


@router.get("/residents/{person_key}/vouchers", responses={401: {}, 403: {}, 404: {}})
def person_vouchers(person_key: PersonKeyPath, engine: EngineDep, principal: PrincipalDep) -> list[dict[str, Any]]:
    """The person's vouchers and their status."""
    open_person(engine, principal, person_key, because("view_vouchers"))
    return vouchers_frame(engine, person_key).to_dicts()


class Filing(BaseModel):
    """异地就医备案: treatment in another province than the insured place."""

    person_key: PersonKey
    insured_region: str = Field(pattern=CODE)
    treatment_region: str = Field(pattern=CODE)
    kind: FilingKind
    filed_on: Day
    idempotency_key: OptionalKey = None


@router.post("/medical/filings", status_code=201, responses={401: {}, 403: {}, 404: {}, 409: {}})
def file(body: Filing, engine: EngineDep, principal: PrincipalDep) -> dict[str, object]:
    """File for treatment elsewhere: the insured person themself online (跨省通办), or the insured place's staff;
    the person must be insured in `insured_region` on the filing date."""
    if principal.role == Role.RESIDENT:
        open_person(engine, principal, body.person_key, because("medical_filing_read"))
    else:
        _staff_in(principal, body.insured_region)
    require_insured(engine, named_person(engine, body.person_key), body.insured_region, body.filed_on, principal)
    with told_of_move(engine, principal):  # the insured place's staff are not told where she moved to
        return file_treatment(
            engine,
            body.person_key,
            body.insured_region,
            body.treatment_region,
            body.kind,
            body.filed_on,
            actor=_actor(principal),
            key=body.idempotency_key,
        )


class BillItem(BaseModel):
    """One line of a hospital bill."""

    item_code: str = Field(min_length=1, max_length=sizes.ITEM_CODE)
    amount_fen: Fen


class Bill(BaseModel):
    """A hospital bill settled directly (跨省直接结算)."""

    person_key: PersonKey
    insured_region: str = Field(pattern=CODE)
    treatment_region: str = Field(pattern=CODE)
    hospital: str = Field(min_length=1, max_length=sizes.HOSPITAL)
    treated_on: Day
    items: list[BillItem] = Field(min_length=1, max_length=500)
    idempotency_key: Key


@router.post("/medical/settlements", status_code=201, responses={202: {}, 401: {}, 403: {}, 404: {}, 409: {}, 422: {}})
def settle(
    body: Bill, response: Response, engine: EngineDep, settings: SettingsDep, principal: PrincipalDep
) -> dict[str, object]:
    """Split the bill into fund and self-pay (staff of the treatment place, where the hospital is), charged to the
    fund of the place where the person is insured; a large bill is held (202) for a checker of that place."""
    _staff_in(principal, body.treatment_region)
    person = named_person(engine, body.person_key)
    require_insured(engine, person, body.insured_region, body.treated_on, principal)
    controls = controls_for(BudgetKind.MEDICAL, body.insured_region, body.treated_on, settings.controls_scenario)
    total = sum(i.amount_fen for i in body.items)
    controls.check_limit(total, "hospital_bill")
    if controls.needs_approval(total):
        refuse_if_handed_over(engine, principal, person)  # no checker could settle it: her lock refuses it
        request = body.model_dump(mode="json")
        request["items"] = [[i.item_code, i.amount_fen] for i in body.items]
        response.status_code = 202
        return approvals.hold(
            engine,
            principal,
            HeldKind.SETTLEMENT,
            body.insured_region,
            request,
            key=body.idempotency_key,
            amount_fen=total,
        )
    with told_of_move(engine, principal):  # the treatment place is no tie of hers: a moved-out person is out of reach
        return settle_bill(
            engine,
            body.person_key,
            body.insured_region,
            body.treatment_region,
            body.hospital,
            body.treated_on,
            [(i.item_code, i.amount_fen) for i in body.items],
            actor=_actor(principal),
            key=body.idempotency_key,
            budget=controls.budget,
        )


@router.post("/medical/clearing", responses={401: {}, 403: {}, 409: {}})
def clear_claims(body: Clearing, engine: EngineDep, principal: PrincipalDep) -> dict[str, object]:
    """The insured place's fund pays the treatment place's advances (fiscal officers of the insured place)."""
    principal.require_role(*FISCAL)
    principal.require_region(body.payer_region)
    return clear_medical(
        engine, body.payer_region, body.payee_region, actor=_actor(principal), key=body.idempotency_key
    )


class MedicalPolicy(BaseModel):
    """The insured place's policy for treatment in other provinces."""

    deductible_fen: int = Field(ge=0, le=10**10)
    rate_permille: int = Field(ge=0, le=1000)
    cap_fen: int = Field(ge=0, le=10**12)
    temporary_cut_permille: int = Field(ge=0, le=1000)
    unfiled_cut_permille: int = Field(ge=0, le=1000)
    source: str = Field(min_length=1, max_length=sizes.POLICY_SOURCE, description="document and date")


@router.put("/medical/policies/{region}", responses={401: {}, 403: {}, 409: {}})
def put_policy(
    region: Annotated[str, Path(pattern=CODE)], body: MedicalPolicy, engine: EngineDep, principal: PrincipalDep
) -> dict[str, object]:
    """Set the insured place's cross-province policy (administrators of the region)."""
    principal.require_role(Role.ADMINISTRATOR)
    principal.require_region(region)
    policy = Policy(
        body.deductible_fen, body.rate_permille, body.cap_fen, body.temporary_cut_permille, body.unfiled_cut_permille
    )
    return set_policy(engine, region, policy, body.source, actor=_actor(principal))


class CatalogueItem(BaseModel):
    """A catalogue item: class A fully covered, B after a self-pay share, C not covered."""

    item_code: str = Field(min_length=1, max_length=sizes.ITEM_CODE)
    name: str = Field(min_length=1, max_length=sizes.ITEM_NAME)
    category: str = Field(pattern="^[ABC]$")
    self_pay_permille: int = Field(ge=0, le=1000)


class Catalogue(BaseModel):
    """Every item of a treatment place's catalogue."""

    items: list[CatalogueItem] = Field(min_length=1, max_length=5000)


@router.put("/medical/catalogues/{region}", responses={401: {}, 403: {}, 409: {}})
def put_catalogue(
    region: Annotated[str, Path(pattern=CODE)], body: Catalogue, engine: EngineDep, principal: PrincipalDep
) -> dict[str, object]:
    """Replace the treatment place's catalogue (就医地目录; administrators of the region)."""
    principal.require_role(Role.ADMINISTRATOR)
    principal.require_region(region)
    rows = [(i.item_code, i.name, i.category, i.self_pay_permille) for i in body.items]
    return set_catalogue(engine, region, rows, actor=_actor(principal))
