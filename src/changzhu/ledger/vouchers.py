"""Service vouchers (服务券): issued by a funding region, redeemed once by a provider where the holder lives,
cleared between the issuing and the providing region.

Money path (fen): issue  B:vouchers:<issuer> → V:outstanding:<issuer>;
redeem  V:outstanding:<issuer> → C:voucher:<issuer>><provider region>  and  F:services:<provider region> → H:<provider>;
clear   C:voucher:<issuer>><provider region> → F:services:<provider region>.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import cast

import polars as pl
from sqlalchemy import Engine, Table, bindparam, select, update
from sqlalchemy.orm import Session

from changzhu.domain.refusals import Refusal, RefusalCode, refusal
from changzhu.ledger.accounts import Leg, post
from changzhu.ledger.budgets import Budget, charge
from changzhu.store import audit, audit_subjects
from changzhu.store.audit_reasons import Reason, because
from changzhu.store.bound import Bound, bind_row, insert_row
from changzhu.store.checks import RegistryError, lock_person
from changzhu.store.db import session_scope
from changzhu.store.resident_models import LedgerTransactionRow, PersonRow, VoucherRow
from changzhu.store.txn import Operation, Outcome, claim_row, new_key, run_operation

CANCELLED = "cancelled"  # the holder was handed over to another province's instance (api/interregion/moveout.py)
HAND_OVER_KEY = "interregion-out:"  # + message id: the key of the hand-over's ledger transaction, which cancels

_VOUCHERS = cast(Table, VoucherRow.__table__)
_ISSUE = insert_row(
    _VOUCHERS,
    "voucher",
    ("voucher_no", "holder_id", "service", "value_fen", "issuer_region", "issued_on", "expires_on", "status"),
)


_REDEEM = (  # built once: sent with the audit record
    update(_VOUCHERS)
    .where(_VOUCHERS.c.id == bindparam("redeem_id"), _VOUCHERS.c.status == "issued")
    .values(
        status="redeemed",
        provider=bindparam("redeem_provider"),
        provider_region=bindparam("redeem_provider_region"),
        redeemed_on=bindparam("redeem_on"),
    )
)


class VoucherError(RegistryError):
    """A voucher that cannot be issued, redeemed or cleared as asked."""


def _claim_redemption(session: Session, voucher_no: str, txn: LedgerTransactionRow) -> None:
    """Claim the voucher's one redemption: a unique marker row, so resetting the status cannot redeem it again."""
    marker = {
        "idempotency_key": f"voucher-redeemed:{voucher_no}",
        "kind": "voucher.redeemed",
        "request_hash": txn.request_hash,
        "result": {"operation_id": txn.id},
        "actor": txn.actor,
        "created_at": audit.now_iso(),
    }
    if claim_row(session, marker) is None:
        raise VoucherError(refusal(RefusalCode.VOUCHER_REDEEMED, voucher_no=voucher_no))


def _cancelled(session: Session, voucher: VoucherRow, holder: PersonRow) -> Refusal:
    """What a provider presenting a cancelled voucher is told: that it is cancelled, and on which day (the server's
    date of the hand-over that cancelled it, while that hand-over stands), never why (the holder's move to another
    province is not the provider's to learn)."""
    if holder.moved_out_by is not None:
        at = session.scalar(
            select(LedgerTransactionRow.created_at).where(
                LedgerTransactionRow.idempotency_key == HAND_OVER_KEY + holder.moved_out_by
            )
        )
        if at is not None:
            on = datetime.fromisoformat(at).astimezone().date().isoformat()
            return refusal(
                RefusalCode.VOUCHER_CANCELLED_ON, voucher_no=voucher.voucher_no, on=on, issuer=voucher.issuer_region
            )
    return refusal(RefusalCode.VOUCHER_CANCELLED, voucher_no=voucher.voucher_no, issuer=voucher.issuer_region)


def issue_voucher(
    engine: Engine,
    holder_key: str,
    issuer_region: str,
    service: str,
    value_fen: int,
    issued_on: date,
    expires_on: date,
    *,
    actor: str,
    reason: Reason | None = None,
    key: str | None = None,
    budget: Budget | None = None,
) -> dict[str, object]:
    """Issue a voucher of `value_fen` for `service` to a registered person (within `budget`, if given)."""
    if value_fen <= 0:
        raise VoucherError(refusal(RefusalCode.VOUCHER_VALUE_NOT_POSITIVE))
    if expires_on <= issued_on:
        raise VoucherError(refusal(RefusalCode.VOUCHER_EXPIRES_BEFORE_ISSUE))
    if not service.strip():
        raise VoucherError(refusal(RefusalCode.VOUCHER_SERVICE_REQUIRED))

    def apply(session: Session, txn: LedgerTransactionRow) -> Outcome:
        holder = lock_person(session, holder_key, {"issuer_region": issuer_region})
        if budget is not None:
            charge(session, budget, value_fen)
        subject = _new_voucher(issuer_region)
        voucher_no = subject.text
        voucher = {
            "voucher_no": voucher_no,
            "holder_id": holder.id,
            "service": service,
            "value_fen": value_fen,
            "issuer_region": issuer_region,
            "issued_on": issued_on,
            "expires_on": expires_on,
            "status": "issued",
        }
        post(
            session,
            txn.id,
            [
                Leg(f"B:vouchers:{issuer_region}", -value_fen, "fen"),
                Leg(f"V:outstanding:{issuer_region}", value_fen, "fen"),
            ],
        )
        return Outcome(
            {"voucher_no": voucher_no, "value_fen": value_fen},
            subject,
            {"holder": holder_key, "service": service, "value_fen": value_fen},
            writes=[bind_row(_ISSUE, "voucher", voucher)],  # sent with the audit record
        )

    request = {
        "holder": holder_key,
        "issuer": issuer_region,
        "service": service,
        "value": value_fen,
        "on": issued_on.isoformat(),
        "expires": expires_on.isoformat(),
    }
    return run_operation(
        engine,
        Operation("voucher.issue", key or new_key("voucher"), request, actor, reason or because("voucher_issue")),
        apply,
    )


def redeem_voucher(
    engine: Engine,
    voucher_no: str,
    provider: str,
    provider_region: str,
    redeemed_on: date,
    *,
    actor: str,
    key: str,
    reason: Reason | None = None,
) -> dict[str, object]:
    """Redeem a voucher at a provider in the holder's place of residence; a second redemption is refused."""

    locked: list[tuple[VoucherRow, PersonRow]] = []

    def lock(session: Session) -> None:
        """Lock the voucher row and load it with its holder in one statement."""
        found = session.execute(
            select(VoucherRow, PersonRow)
            .join(PersonRow, PersonRow.id == VoucherRow.holder_id)
            .where(VoucherRow.voucher_no == voucher_no)
            .with_for_update(of=VoucherRow)
        ).first()
        if found is None:
            raise VoucherError(refusal(RefusalCode.NO_VOUCHER, voucher_no=voucher_no))
        locked[:] = [(found[0], found[1])]

    def apply(session: Session, txn: LedgerTransactionRow) -> Outcome:
        voucher, holder = locked[0]
        if voucher.status == CANCELLED:
            raise VoucherError(_cancelled(session, voucher, holder))
        if voucher.status != "issued":
            raise VoucherError(
                refusal(RefusalCode.VOUCHER_REDEEMED_ON, voucher_no=voucher_no, on=str(voucher.redeemed_on))
            )
        if redeemed_on > voucher.expires_on:
            raise VoucherError(refusal(RefusalCode.VOUCHER_EXPIRED, voucher_no=voucher_no, on=str(voucher.expires_on)))
        if provider_region != holder.residence_region:
            raise VoucherError(
                refusal(
                    RefusalCode.VOUCHER_PROVIDER_ELSEWHERE, region=holder.residence_region, provider=provider_region
                )
            )
        # the voucher is locked and still issued; its one redemption is claimed by a unique marker row (so a
        # status reset cannot redeem it again); the status flips with the audit record (one statement on PostgreSQL)
        _claim_redemption(session, voucher_no, txn)
        flip = Bound(
            _REDEEM,
            {
                "redeem_id": voucher.id,
                "redeem_provider": provider,
                "redeem_provider_region": provider_region,
                "redeem_on": redeemed_on,
            },
        )
        v, issuer = voucher.value_fen, voucher.issuer_region
        post(
            session,
            txn.id,
            [
                Leg(f"V:outstanding:{issuer}", -v, "fen"),
                Leg(f"C:voucher:{issuer}>{provider_region}", v, "fen"),
                Leg(f"F:services:{provider_region}", -v, "fen"),
                Leg(f"H:{provider}", v, "fen"),
            ],
        )
        return Outcome(
            {"voucher_no": voucher_no, "value_fen": v, "provider": provider},
            _voucher_subject(voucher_no, issuer),
            {"provider": provider, "provider_region": provider_region, "value_fen": v},
            writes=[flip],
        )

    request = {"voucher": voucher_no, "provider": provider, "region": provider_region, "on": redeemed_on.isoformat()}
    return run_operation(
        engine, Operation("voucher.redeem", key, request, actor, reason or because("voucher_redeem")), apply, lock=lock
    )


def clear_vouchers(
    engine: Engine, issuer_region: str, provider_region: str, *, actor: str, key: str, reason: Reason | None = None
) -> dict[str, object]:
    """Pay the providing region for every redeemed, uncleared voucher of the issuer: one batch, all or none."""

    def apply(session: Session, txn: LedgerTransactionRow) -> Outcome:
        vouchers = list(
            session.execute(
                select(VoucherRow)
                .where(
                    VoucherRow.issuer_region == issuer_region,
                    VoucherRow.provider_region == provider_region,
                    VoucherRow.status == "redeemed",
                )
                .order_by(VoucherRow.id)
                .with_for_update()
            ).scalars()
        )
        total = sum(v.value_fen for v in vouchers)
        for v in vouchers:
            v.status, v.clearing_id = "cleared", txn.id
        post(
            session,
            txn.id,
            [
                Leg(f"C:voucher:{issuer_region}>{provider_region}", -total, "fen"),
                Leg(f"F:services:{provider_region}", total, "fen"),
            ],
        )
        result: dict[str, object] = {"vouchers": len(vouchers), "total_fen": total}
        return Outcome(result, audit_subjects.between(issuer_region, provider_region), result)

    request = {"issuer": issuer_region, "provider_region": provider_region}
    return run_operation(
        engine, Operation("voucher.clear", key, request, actor, reason or because("voucher_clear")), apply
    )


def vouchers_frame(engine: Engine, holder_key: str | None = None) -> pl.DataFrame:
    """Vouchers with their validity (issued on, expires on: the last day a provider may redeem it) and status
    (optionally of one holder)."""
    query = select(
        VoucherRow.voucher_no,
        PersonRow.person_key,
        VoucherRow.service,
        VoucherRow.value_fen,
        VoucherRow.issuer_region,
        VoucherRow.issued_on,
        VoucherRow.expires_on,
        VoucherRow.status,
        VoucherRow.provider,
        VoucherRow.provider_region,
        VoucherRow.redeemed_on,
    ).join(PersonRow, PersonRow.id == VoucherRow.holder_id)
    if holder_key is not None:
        query = query.where(PersonRow.person_key == holder_key)
    with session_scope(engine) as session:
        rows = [tuple(r) for r in session.execute(query.order_by(VoucherRow.id))]
    schema = {
        "voucher_no": pl.String,
        "holder": pl.String,
        "service": pl.String,
        "value_fen": pl.Int64,
        "issuer_region": pl.String,
        "issued_on": pl.Date,
        "expires_on": pl.Date,
        "status": pl.String,
        "provider": pl.String,
        "provider_region": pl.String,
        "redeemed_on": pl.Date,
    }
    return pl.DataFrame(rows, schema=schema, orient="row")


def _voucher_number(issuer_region: str, serial: str) -> str:
    """A voucher's number: FWQ-<issuing region>-<serial>."""
    return f"FWQ-{issuer_region}-{serial}"


def _new_voucher(issuer_region: str) -> audit_subjects.AuditSubject:
    """A new voucher's number (its serial 16 random hex digits), as an audit subject."""
    serial = uuid.uuid4().hex[:16]
    return audit_subjects.voucher(_voucher_number(issuer_region, serial), issuer_region, serial)


def _voucher_subject(voucher_no: str, issuer_region: str) -> audit_subjects.AuditSubject:
    """A stored voucher's number as an audit subject."""
    serial = voucher_no.removeprefix(_voucher_number(issuer_region, ""))
    return audit_subjects.voucher(voucher_no, issuer_region, serial)
