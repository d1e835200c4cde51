"""Consistency of the ledger with the records it summarises, and with what the audit log vouches for: what
the property and fault tests assert, and what `changzhu ledger check` reports.

Tamper evidence: every ledger transaction's entries must match the digest its audit record carries (an edit
inside a balanced transaction, a deleted or added entry, a deleted transaction all show), and a voucher's
status must agree with the redemption transactions that exist for it.

Each problem is a Refusal (domain.refusals), worded in either language (`ledger_findings`, what `changzhu ledger
check` shows in the reader's); `ledger_problems` gives their English."""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any, cast

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from changzhu.domain.refusals import Refusal, RefusalCode, refusal
from changzhu.ledger.accounts import balances_frame, entries_digest, totals_by_unit
from changzhu.ledger.vouchers import CANCELLED
from changzhu.store.db import session_scope
from changzhu.store.resident_models import (
    AuditRow,
    ContributionMonthRow,
    LedgerAccountRow,
    LedgerEntryRow,
    LedgerTransactionRow,
    MedicalClaimRow,
    PersonRow,
    SchoolRecordRow,
    VoucherRow,
)


def _expected_person_balances(engine: Engine) -> dict[str, int]:
    expected: dict[str, int] = defaultdict(int)
    with session_scope(engine) as session:
        months = session.execute(
            select(
                PersonRow.person_key,
                ContributionMonthRow.scheme,
                ContributionMonthRow.held_region,
                ContributionMonthRow.temporary,
                func.count(),
            )
            .join(PersonRow, PersonRow.id == ContributionMonthRow.person_id)
            .group_by(
                PersonRow.person_key,
                ContributionMonthRow.scheme,
                ContributionMonthRow.held_region,
                ContributionMonthRow.temporary,
            )
        ).all()
        for key, scheme, region, temporary, n in months:
            expected[f"P:{key}:{scheme}_months{'_temp' if temporary else ''}:{region}"] += int(n)
        school = session.execute(
            select(PersonRow.person_key, SchoolRecordRow.held_region, func.count())
            .join(PersonRow, PersonRow.id == SchoolRecordRow.person_id)
            .group_by(PersonRow.person_key, SchoolRecordRow.held_region)
        ).all()
        for key, region, n in school:
            expected[f"P:{key}:school_years:{region}"] += int(n)
        for issuer, total in session.execute(
            select(VoucherRow.issuer_region, func.sum(VoucherRow.value_fen))
            .where(VoucherRow.status == "issued")
            .group_by(VoucherRow.issuer_region)
        ):
            expected[f"V:outstanding:{issuer}"] += int(total)
        for issuer, provider_region, total in session.execute(
            select(VoucherRow.issuer_region, VoucherRow.provider_region, func.sum(VoucherRow.value_fen))
            .where(VoucherRow.status == "redeemed")
            .group_by(VoucherRow.issuer_region, VoucherRow.provider_region)
        ):
            expected[f"C:voucher:{issuer}>{provider_region}"] += int(total)
        for insured, treatment, total in session.execute(
            select(MedicalClaimRow.insured_region, MedicalClaimRow.treatment_region, func.sum(MedicalClaimRow.fund_fen))
            .where(MedicalClaimRow.clearing_id.is_(None))
            .group_by(MedicalClaimRow.insured_region, MedicalClaimRow.treatment_region)
        ):
            expected[f"C:medical:{insured}>{treatment}"] += int(total)
    return expected


def posted_entries(session: Session) -> dict[int, list[tuple[str, int, str]]]:
    """Every ledger transaction's entries (account code, amount, unit), by transaction id."""
    entries: dict[int, list[tuple[str, int, str]]] = defaultdict(list)
    for txn_id, code, amount, unit in session.execute(
        select(LedgerEntryRow.transaction_id, LedgerAccountRow.code, LedgerEntryRow.amount, LedgerEntryRow.unit).join(
            LedgerAccountRow, LedgerAccountRow.id == LedgerEntryRow.account_id
        )
    ):
        entries[int(txn_id)].append((code, int(amount), unit))
    return entries


def recorded_digests(session: Session) -> dict[int, str]:
    """The entries digest the audit log holds for each ledger transaction (postings, or a digest baseline)."""
    recorded: dict[int, str] = {}
    for (text,) in session.execute(select(AuditRow.details).where(AuditRow.details.contains('"postings"'))):
        for txn_id, digest in json.loads(text).get("postings", {}).items():
            recorded[int(txn_id)] = str(digest)
    return recorded


def posting_problems(engine: Engine) -> list[Refusal]:
    """Ledger transactions whose entries differ from the digest recorded in the (chained) audit log."""
    with session_scope(engine) as session:
        entries, recorded = posted_entries(session), recorded_digests(session)
        existing = set(session.scalars(select(LedgerTransactionRow.id).where(LedgerTransactionRow.id.in_(recorded))))
    problems = []
    for txn_id in sorted(set(entries) | set(recorded)):
        if txn_id not in recorded:
            problems.append(refusal(RefusalCode.LEDGER_TXN_UNVOUCHED, transaction=txn_id))
        elif txn_id not in existing:
            problems.append(refusal(RefusalCode.LEDGER_TXN_MISSING, transaction=txn_id))
        elif entries_digest(txn_id, entries.get(txn_id, [])) != recorded[txn_id]:
            problems.append(refusal(RefusalCode.LEDGER_TXN_DIFFERS, transaction=txn_id))
    return problems


def voucher_problems(engine: Engine) -> list[Refusal]:
    """Vouchers whose status disagrees with the redemption transactions that exist for them."""
    with session_scope(engine) as session:
        redemptions: dict[str, int] = defaultdict(int)
        for (result,) in session.execute(
            select(LedgerTransactionRow.result).where(LedgerTransactionRow.kind == "voucher.redeem")
        ):
            if isinstance(result, dict) and "voucher_no" in result:
                redemptions[str(result["voucher_no"])] += 1
        statuses = dict(session.execute(select(VoucherRow.voucher_no, VoucherRow.status)).all())
        cancelled = _cancelled_by_hand_overs(session)
    problems = []
    for voucher_no, status in sorted(statuses.items()):
        n = redemptions.get(voucher_no, 0)
        if n > 1:
            problems.append(refusal(RefusalCode.LEDGER_VOUCHER_REDEEMED_AGAIN, voucher=voucher_no, count=n))
        elif n == 1 and status == "issued":
            problems.append(refusal(RefusalCode.LEDGER_VOUCHER_ISSUED_REDEEMED, voucher=voucher_no))
        elif status == CANCELLED and voucher_no not in cancelled:
            problems.append(refusal(RefusalCode.LEDGER_VOUCHER_CANCELLED_UNEXPLAINED, voucher=voucher_no))
        elif status != CANCELLED and voucher_no in cancelled:
            by = cancelled[voucher_no]
            problems.append(
                refusal(RefusalCode.LEDGER_VOUCHER_CANCELLED_BY, voucher=voucher_no, status=status, message=by)
            )
        elif n == 0 and status not in ("issued", CANCELLED):
            problems.append(refusal(RefusalCode.LEDGER_VOUCHER_NO_REDEMPTION, voucher=voucher_no, status=status))
    return problems


def _cancelled_by_hand_overs(session: Session) -> dict[str, str]:
    """Vouchers cancelled by a 跨省通办 hand-over that stands (not reversed): voucher number → message id."""
    kinds = ("interregion.send", "interregion.reverse")
    pairs: list[tuple[str, str]] = []  # (voucher number, message id) of every hand-over that cancelled one
    reversed_ids: set[str] = set()
    for kind, result in session.execute(
        select(LedgerTransactionRow.kind, LedgerTransactionRow.result).where(LedgerTransactionRow.kind.in_(kinds))
    ):
        message_id = str(result["message_id"])
        if kind == "interregion.reverse":
            reversed_ids.add(message_id)
        vouchers = cast(list[dict[str, Any]], result.get("vouchers_cancelled", []))
        pairs += [(str(voucher["voucher_no"]), message_id) for voucher in vouchers]
    return {no: message_id for no, message_id in pairs if message_id not in reversed_ids}


def ledger_findings(engine: Engine) -> list[Refusal]:
    """Every inconsistency found, in both languages (empty when the ledger is sound)."""
    problems = [
        refusal(RefusalCode.LEDGER_UNIT_UNBALANCED, unit=unit, total=total)
        for unit, total in totals_by_unit(engine).items()
        if total != 0
    ]
    actual = {row["account"]: row["balance"] for row in balances_frame(engine).iter_rows(named=True)}
    expected = _expected_person_balances(engine)
    checked_kinds = ("_months", "school_years", "V:outstanding", "C:voucher", "C:medical")
    for code in sorted(set(actual) | set(expected)):
        if not any(k in code for k in checked_kinds):
            continue
        if actual.get(code, 0) != expected.get(code, 0):
            problems.append(balance_differs(code, actual.get(code, 0), expected.get(code, 0)))
    for code, value in actual.items():
        if code.startswith("P:") and value < 0:
            problems.append(negative_balance(code, value))
    return problems + posting_problems(engine) + voucher_problems(engine)


def _unit_of(kind: str) -> str:
    """The unit of an account of `kind` the checks compare (months, school years, else money in fen)."""
    return "month" if "_months" in kind else "year" if kind == "school_years" else "fen"


def balance_differs(code: str, balance: int, expected: int) -> Refusal:
    """An account whose balance differs from what the records say, named as a reader names it: a person's by its
    kind, her person key (人员编号, what `changzhu ledger balances --person` takes: no more of her than the code
    held) and its place; a region's by its place and kind; a clearing account by its kind and the two regions."""
    parts = code.split(":")
    amounts = {"balance": balance, "expected": expected}
    if parts[0] == "P" and len(parts) == 4:
        _, person, kind, region = parts
        return refusal(
            RefusalCode.LEDGER_PERSON_BALANCE_DIFFERS, person=person, kind=kind, region=region, unit=_unit_of(kind),
            **amounts,
        )  # fmt: skip
    if parts[0] == "V" and len(parts) == 3:
        kind = f"{parts[0]}:{parts[1]}"
        return refusal(RefusalCode.LEDGER_FUND_BALANCE_DIFFERS, kind=kind, region=parts[2], unit="fen", **amounts)
    if parts[0] == "C" and len(parts) == 3 and parts[2].count(">") == 1:
        debtor, creditor = parts[2].split(">")
        kind = f"{parts[0]}:{parts[1]}"
        return refusal(
            RefusalCode.LEDGER_CLEARING_BALANCE_DIFFERS, kind=kind, debtor=debtor, creditor=creditor, unit="fen",
            **amounts,
        )  # fmt: skip
    return refusal(RefusalCode.LEDGER_BALANCE_DIFFERS, account=code, **amounts)


def negative_balance(code: str, balance: int) -> Refusal:
    """A person's account below zero, named as balance_differs names it."""
    parts = code.split(":")
    if parts[0] == "P" and len(parts) == 4:
        _, person, kind, region = parts
        return refusal(
            RefusalCode.LEDGER_PERSON_NEGATIVE_BALANCE, person=person, kind=kind, region=region, unit=_unit_of(kind),
            balance=balance,
        )  # fmt: skip
    return refusal(RefusalCode.LEDGER_NEGATIVE_BALANCE, account=code, balance=balance)


def ledger_problems(engine: Engine) -> list[str]:
    """Every inconsistency found, in English (empty when the ledger is sound)."""
    return [problem.en for problem in ledger_findings(engine)]
