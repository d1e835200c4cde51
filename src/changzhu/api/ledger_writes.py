"""Ledger writes under the API's authorization and financial controls, shared by the API routes and the operator
CLI (`changzhu ledger|voucher ... --as USER`): whoever writes is a named principal with a role and jurisdictions,
checked against the resource's own regions; vouchers go through the per-item limit, the second approver above
the threshold and the annual budget (docs/operations.md, "Operator commands")."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Engine, select

from changzhu.api import approvals
from changzhu.api.access import STAFF_WITH_PERSONAL_ACCESS, person_not_in_reach
from changzhu.api.approvals import HeldKind
from changzhu.api.auth.accounts import load_principal
from changzhu.api.auth.principal import Principal
from changzhu.api.auth.roles import Role
from changzhu.api.controls import controls_for
from changzhu.api.errors import Forbidden, NotAuthenticated, NotFound
from changzhu.api.write_access import (
    named_person,
    person_facts,
    reaches,
    refuse_if_handed_over,
    staff_over_resident,
    told_of_move,
)
from changzhu.domain.refusals import RefusalCode, refusal
from changzhu.ledger.budgets import BudgetKind
from changzhu.ledger.digest_baseline import take_baseline
from changzhu.ledger.pension_rules import reason_in_words
from changzhu.ledger.transfers import TransferScheme, apply_transfer, complete_transfer, settle_drawing
from changzhu.ledger.vouchers import clear_vouchers, issue_voucher, redeem_voucher
from changzhu.rules.scenario import Scenario
from changzhu.store.auth_models import UserRow
from changzhu.store.db import session_scope
from changzhu.store.resident_models import TransferRow

FISCAL = (Role.FISCAL_OFFICER, Role.ADMINISTRATOR)


def actor_of(principal: Principal) -> str:
    """How the audit log names the principal."""
    return f"user:{principal.username}"


def operator(engine: Engine, username: str) -> Principal:
    """The principal an operator command acts as: an active account of the users table, by name."""
    with session_scope(engine) as session:
        user_id = session.scalar(select(UserRow.id).where(UserRow.username == username))
    if user_id is None:
        raise NotAuthenticated(refusal(RefusalCode.OPERATOR_NO_ACCOUNT, username=username))
    return load_principal(engine, int(user_id))


def staff_in(principal: Principal, region: str) -> None:
    """Caseworkers and administrators whose jurisdiction contains `region`."""
    principal.require_role(*STAFF_WITH_PERSONAL_ACCESS)
    principal.require_region(region)


def apply_transfer_as(
    engine: Engine,
    principal: Principal,
    person_key: str,
    scheme: TransferScheme,
    from_region: str,
    to_region: str,
    applied_on: date,
    transfer_no: str,
) -> dict[str, object]:
    """The application, made by staff of the place where the person lives now (the destination)."""
    staff_in(principal, to_region)
    person = staff_over_resident(engine, principal, person_key)
    if person.residence_region != to_region:
        raise Forbidden(
            refusal(RefusalCode.TRANSFER_APPLIED_ELSEWHERE, residence=person.residence_region, region=to_region)
        )
    with told_of_move(engine, principal):
        return apply_transfer(
            engine,
            person_key,
            scheme,
            from_region,
            to_region,
            applied_on,
            transfer_no=transfer_no,
            actor=actor_of(principal),
        )


def complete_transfer_as(engine: Engine, principal: Principal, transfer_no: str) -> dict[str, object]:
    """The release, by staff of the old place (whose fund pays). Staff of the new place are told who releases it; a
    caller covering neither end is answered as for a number no transfer holds (404), so its existence is not told."""
    principal.require_role(*STAFF_WITH_PERSONAL_ACCESS)
    with session_scope(engine) as session:
        found = session.execute(
            select(TransferRow.from_region, TransferRow.to_region).where(TransferRow.transfer_no == transfer_no)
        ).first()
    if found is None or not (principal.covers(found.from_region) or principal.covers(found.to_region)):
        raise NotFound(refusal(RefusalCode.NO_TRANSFER, transfer_no=transfer_no))
    if not principal.covers(found.from_region):
        raise Forbidden(
            refusal(RefusalCode.TRANSFER_RELEASED_BY, transfer_no=transfer_no, region=str(found.from_region))
        )
    with told_of_move(engine, principal):
        return complete_transfer(engine, transfer_no, actor=actor_of(principal))


def issue_voucher_as(
    engine: Engine,
    principal: Principal,
    holder_key: str,
    issuer_region: str,
    service: str,
    value_fen: int,
    issued_on: date,
    expires_on: date,
    *,
    key: str | None,
    scenario: Scenario | None,
) -> tuple[bool, dict[str, Any]]:
    """Issue (False, the voucher), or hold it for a second approver (True, the held item); above the per-item
    limit or the budget it is refused. Staff of the issuing region, for its hukou holders or residents; a holder
    who is neither, and whom the caller may not see, is answered as a key no one has (404)."""
    staff_in(principal, issuer_region)
    holder = named_person(engine, holder_key)
    if issuer_region not in (holder.hukou_region, holder.residence_region):
        if not reaches(engine, principal, holder):
            raise person_not_in_reach(holder_key)
        raise Forbidden(refusal(RefusalCode.VOUCHER_ISSUER_OUTSIDE, region=issuer_region))
    controls = controls_for(BudgetKind.VOUCHERS, issuer_region, issued_on, scenario)
    controls.check_limit(value_fen, "voucher")
    if controls.needs_approval(value_fen):
        refuse_if_handed_over(engine, principal, holder)  # no approval could issue it: her lock refuses it
        request = {
            "holder_key": holder_key,
            "issuer_region": issuer_region,
            "service": service,
            "value_fen": value_fen,
            "issued_on": issued_on.isoformat(),
            "expires_on": expires_on.isoformat(),
        }
        held = approvals.hold(
            engine, principal, HeldKind.VOUCHER, issuer_region, request, key=key, amount_fen=value_fen
        )
        return True, held
    with told_of_move(engine, principal):  # the hukou region's staff are not told where she moved to
        issued = issue_voucher(
            engine,
            holder_key,
            issuer_region,
            service,
            value_fen,
            issued_on,
            expires_on,
            actor=actor_of(principal),
            key=key,
            budget=controls.budget,
        )
    return False, issued


def redeem_voucher_as(
    engine: Engine, principal: Principal, voucher_no: str, provider: str, region: str, on: date, *, key: str
) -> dict[str, object]:
    """Redeem once, by staff of the providing region."""
    staff_in(principal, region)
    return redeem_voucher(engine, voucher_no, provider, region, on, actor=actor_of(principal), key=key)


def clear_vouchers_as(
    engine: Engine, principal: Principal, payer_region: str, payee_region: str, *, key: str
) -> dict[str, object]:
    """Pay the providing region for the issuer's redeemed vouchers: fiscal officers of the issuer."""
    principal.require_role(*FISCAL)
    principal.require_region(payer_region)
    return clear_vouchers(engine, payer_region, payee_region, actor=actor_of(principal), key=key)


def record_at_as(engine: Engine, principal: Principal, person_key: str, region: str) -> None:
    """Months or school years recorded at `region`: staff of that region, for a registered person."""
    staff_in(principal, region)
    person_facts(engine, person_key)


def drawing_as(engine: Engine, principal: Principal, person_key: str, on: date, *, key: str) -> dict[str, object]:
    """Where the pension is drawn, decided by staff of the place where the person lives, and everything
    consolidated there (`settle_drawing`); a result stored before its reason was kept in both languages is read
    with it in both (`pension_rules.reason_in_words`)."""
    staff_over_resident(engine, principal, person_key)
    with told_of_move(engine, principal):
        return reason_in_words(settle_drawing(engine, person_key, on, actor=actor_of(principal), key=key))


def baseline_as(engine: Engine, principal: Principal) -> dict[str, object]:
    """Vouch for the entries written before digests existed (administrators: it speaks for the whole ledger)."""
    principal.require_role(Role.ADMINISTRATOR)
    return take_baseline(engine, actor_of(principal))
