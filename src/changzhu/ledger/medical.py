"""Medical cross-province direct settlement: filing (备案), settlement at the hospital, fund clearing.

Money path (fen) of a settled bill: the treatment place's fund advances what the insured place's policy
pays (F:medical:<treatment> → H:<hospital>), the patient pays the rest (X:self_pay → H:<hospital>), and the
insured place's fund owes the advance (F:medical:<insured> → C:medical:<insured>><treatment>) until clearing
(C:medical:<insured>><treatment> → F:medical:<treatment>).
"""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum
from typing import cast

from sqlalchemy import Engine, Table, bindparam, delete, func, select
from sqlalchemy.orm import Session

from changzhu.domain.refusals import RefusalCode, refusal
from changzhu.ledger.accounts import Leg, post
from changzhu.ledger.budgets import Budget, charge
from changzhu.ledger.medical_rules import CatalogueItem, Policy, settle
from changzhu.ledger.thresholds import long_term_filing_lock_months, temporary_filing_months
from changzhu.parameters import ParameterError
from changzhu.rules.dates import add_months_scalar
from changzhu.store import audit_subjects
from changzhu.store.audit_reasons import because
from changzhu.store.bound import bind_row, insert_row
from changzhu.store.checks import RegistryError, check_region, lock_person
from changzhu.store.resident_models import (
    LedgerTransactionRow,
    MedicalCatalogueRow,
    MedicalClaimRow,
    MedicalFilingRow,
    MedicalPolicyRow,
)
from changzhu.store.txn import Operation, Outcome, new_key, run_operation

OPEN_END = date(9999, 12, 31)


_FILINGS = cast(Table, MedicalFilingRow.__table__)
_CLAIMS = cast(Table, MedicalClaimRow.__table__)
# Built once: the SQL is compiled once per engine and reused.
_FILING_IN_FORCE = (
    select(_FILINGS.c.kind)
    .where(
        _FILINGS.c.person_id == bindparam("person_id"),
        _FILINGS.c.insured_region == bindparam("region"),
        _FILINGS.c.treatment_region == bindparam("treatment"),
        _FILINGS.c.filed_on <= bindparam("treated_on"),
        _FILINGS.c.valid_until >= bindparam("treated_on"),
    )
    .order_by(_FILINGS.c.filed_on.desc())
    .limit(1)
    .scalar_subquery()
)
_PAID_IN_YEAR = (
    select(func.coalesce(func.sum(_CLAIMS.c.fund_fen), 0))
    .where(
        _CLAIMS.c.person_id == bindparam("person_id"),
        _CLAIMS.c.insured_region == bindparam("region"),
        _CLAIMS.c.treated_on.between(bindparam("year_start"), bindparam("year_end")),
    )
    .scalar_subquery()
)
_POLICY_FILING_PAID = select(MedicalPolicyRow, _FILING_IN_FORCE, _PAID_IN_YEAR).where(
    MedicalPolicyRow.region == bindparam("region")
)
_CATALOGUE = select(
    MedicalCatalogueRow.item_code, MedicalCatalogueRow.category, MedicalCatalogueRow.self_pay_permille
).where(MedicalCatalogueRow.region == bindparam("region"))
_CLAIM = insert_row(
    _CLAIMS,
    "claim",
    (
        "claim_no",
        "person_id",
        "insured_region",
        "treatment_region",
        "hospital",
        "treated_on",
        "total_fen",
        "fund_fen",
        "self_fen",
    ),
)


class FilingKind(StrEnum):
    """Long-term residence elsewhere (长期) or temporary outside treatment (临时)."""

    LONG_TERM = "long_term"
    TEMPORARY = "temporary"


class MedicalError(RegistryError):
    """A filing, settlement or clearing that cannot be done as asked."""


def set_policy(
    engine: Engine, region: str, policy: Policy, source: str, *, actor: str, key: str | None = None
) -> dict[str, object]:
    """Set the insured place's policy for cross-province treatment (replaces the previous one)."""
    if not (0 <= policy.rate_permille <= 1000 and policy.deductible_fen >= 0 and policy.cap_fen >= 0):
        raise MedicalError(refusal(RefusalCode.MEDICAL_POLICY_RANGE))
    if not source.strip():
        raise MedicalError(refusal(RefusalCode.MEDICAL_POLICY_SOURCE))

    def apply(session: Session, _txn: LedgerTransactionRow) -> Outcome:
        check_region(session, region, "region")
        session.execute(delete(MedicalPolicyRow).where(MedicalPolicyRow.region == region))
        session.add(MedicalPolicyRow(region=region, source=source, **vars(policy)))
        return Outcome({"region": region}, audit_subjects.region(region), {**vars(policy), "source": source})

    request = {"region": region, **vars(policy), "source": source}
    return run_operation(
        engine, Operation("medical.policy", key or new_key("policy"), request, actor, because("medical_policy")), apply
    )


def set_catalogue(
    engine: Engine, region: str, items: list[tuple[str, str, str, int]], *, actor: str, key: str | None = None
) -> dict[str, object]:
    """Replace the treatment place's catalogue with (item_code, name, category A/B/C, self-pay permille)."""
    for code, _name, category, share in items:
        if category not in ("A", "B", "C") or not 0 <= share <= 1000:
            raise MedicalError(refusal(RefusalCode.CATALOGUE_ITEM_FORM, code=repr(code)))
    if len({code for code, *_ in items}) != len(items):
        raise MedicalError(refusal(RefusalCode.CATALOGUE_CODE_TWICE))

    def apply(session: Session, _txn: LedgerTransactionRow) -> Outcome:
        check_region(session, region, "region")
        session.execute(delete(MedicalCatalogueRow).where(MedicalCatalogueRow.region == region))
        session.add_all(
            [
                MedicalCatalogueRow(region=region, item_code=c, name=n, category=k, self_pay_permille=s)
                for c, n, k, s in items
            ]
        )
        return Outcome({"region": region, "items": len(items)}, audit_subjects.region(region), {"items": len(items)})

    request = {"region": region, "items": [list(i) for i in items]}
    return run_operation(
        engine,
        Operation("medical.catalogue", key or new_key("catalogue"), request, actor, because("medical_catalogue")),
        apply,
    )


def file_treatment(
    engine: Engine,
    person_key: str,
    insured_region: str,
    treatment_region: str,
    kind: FilingKind,
    filed_on: date,
    *,
    actor: str,
    key: str | None = None,
) -> dict[str, object]:
    """File (备案) for treatment in another province; a temporary filing is valid six months, a long-term one
    cannot be changed within six months (`ledger.medical.*` parameters in force on the filing date). A period
    of months counts from the next day and ends on the same day of the last month, or that month's last day
    (民法典 arts. 201, 203): filed on 2026-08-31, valid until 2027-02-28."""
    if insured_region[:2] == treatment_region[:2]:
        raise MedicalError(refusal(RefusalCode.FILING_SAME_PROVINCE))
    try:
        valid_months, lock_months = temporary_filing_months(filed_on), long_term_filing_lock_months(filed_on)
    except ParameterError as exc:
        raise MedicalError(refusal(RefusalCode.NO_FILING_RULE, on=str(filed_on), detail=str(exc))) from exc

    def apply(session: Session, _txn: LedgerTransactionRow) -> Outcome:
        person = lock_person(
            session, person_key, {"insured_region": insured_region, "treatment_region": treatment_region}
        )
        recent = session.scalar(
            select(MedicalFilingRow)
            .where(
                MedicalFilingRow.person_id == person.id,
                MedicalFilingRow.kind == FilingKind.LONG_TERM.value,
                MedicalFilingRow.valid_until >= filed_on,
            )
            .order_by(MedicalFilingRow.filed_on.desc())
        )
        if kind == FilingKind.LONG_TERM and recent is not None:
            if filed_on <= add_months_scalar(recent.filed_on, lock_months):
                raise MedicalError(refusal(RefusalCode.FILING_LOCKED, on=str(recent.filed_on), months=lock_months))
            recent.valid_until = filed_on - timedelta(days=1)  # the new long-term filing replaces it
        valid = OPEN_END if kind == FilingKind.LONG_TERM else add_months_scalar(filed_on, valid_months)
        filing = MedicalFilingRow(
            person_id=person.id,
            insured_region=insured_region,
            treatment_region=treatment_region,
            kind=kind.value,
            filed_on=filed_on,
            valid_until=valid,
        )
        session.add(filing)
        session.flush()
        return Outcome(
            {"filing_id": filing.id, "valid_until": valid.isoformat()},
            audit_subjects.person(person_key),
            {"insured": insured_region, "treatment": treatment_region, "kind": kind.value},
        )

    request = {
        "person": person_key,
        "insured": insured_region,
        "treatment": treatment_region,
        "kind": kind.value,
        "on": filed_on.isoformat(),
    }
    return run_operation(
        engine, Operation("medical.file", key or new_key("filing"), request, actor, because("medical_file")), apply
    )


def settle_bill(
    engine: Engine,
    person_key: str,
    insured_region: str,
    treatment_region: str,
    hospital: str,
    treated_on: date,
    bill: list[tuple[str, int]],
    *,
    actor: str,
    key: str,
    budget: Budget | None = None,
) -> dict[str, object]:
    """Settle a hospital bill directly: the treatment place's catalogue, the insured place's policy (and the
    insured place's fund `budget`, if given)."""
    if not bill or any(amount <= 0 for _, amount in bill):
        raise MedicalError(refusal(RefusalCode.BILL_EMPTY))

    def apply(session: Session, txn: LedgerTransactionRow) -> Outcome:
        person = lock_person(session, person_key)
        params = {
            "region": insured_region,
            "person_id": person.id,
            "treatment": treatment_region,
            "treated_on": treated_on,
            "year_start": date(treated_on.year, 1, 1),
            "year_end": date(treated_on.year, 12, 31),
        }
        found = session.execute(_POLICY_FILING_PAID, params).first()  # one statement for the three
        if found is None:
            raise MedicalError(refusal(RefusalCode.NO_MEDICAL_POLICY, region=insured_region))
        policy_row, filing, paid = found
        catalogue = {
            code: CatalogueItem(code, category, share)
            for code, category, share in session.execute(_CATALOGUE, {"region": treatment_region})
        }
        if not catalogue:
            raise MedicalError(refusal(RefusalCode.NO_CATALOGUE, region=treatment_region))
        policy = Policy(
            policy_row.deductible_fen,
            policy_row.rate_permille,
            policy_row.cap_fen,
            policy_row.temporary_cut_permille,
            policy_row.unfiled_cut_permille,
        )
        s = settle(bill, catalogue, policy, filing, int(paid or 0))
        if budget is not None:
            charge(session, budget, s.fund_fen)
        claim = {
            "claim_no": key,
            "person_id": person.id,
            "insured_region": insured_region,
            "treatment_region": treatment_region,
            "hospital": hospital,
            "treated_on": treated_on,
            "total_fen": s.total_fen,
            "fund_fen": s.fund_fen,
            "self_fen": s.self_fen,
        }
        post(
            session,
            txn.id,
            [
                Leg(f"F:medical:{treatment_region}", -s.fund_fen, "fen"),
                Leg("X:self_pay", -s.self_fen, "fen"),
                Leg(f"H:{hospital}", s.total_fen, "fen"),
                Leg(f"F:medical:{insured_region}", -s.fund_fen, "fen"),
                Leg(f"C:medical:{insured_region}>{treatment_region}", s.fund_fen, "fen"),
            ],
        )
        # the split and why (deductible, cap, what limited the fund's part): returned, and stored as the operation's
        # result, which the person's bills read back (api/overview.medical_claims_of)
        limit = s.fund_limited_by.value if s.fund_limited_by else None
        result: dict[str, object] = {"claim_no": key, "filing": filing or "none", **vars(s), "fund_limited_by": limit}
        writes = [bind_row(_CLAIM, "claim", claim)]  # sent with the audit record
        return Outcome(result, audit_subjects.person(person_key), result, writes=writes)

    request = {
        "person": person_key,
        "insured": insured_region,
        "treatment": treatment_region,
        "hospital": hospital,
        "on": treated_on.isoformat(),
        "bill": [list(b) for b in bill],
    }
    return run_operation(engine, Operation("medical.settle", key, request, actor, because("medical_settle")), apply)


def clear_medical(
    engine: Engine, insured_region: str, treatment_region: str, *, actor: str, key: str
) -> dict[str, object]:
    """Clear every unsettled claim between two funds in one batch: the insured fund pays the treatment fund."""

    def apply(session: Session, txn: LedgerTransactionRow) -> Outcome:
        claims = list(
            session.execute(
                select(MedicalClaimRow)
                .where(
                    MedicalClaimRow.insured_region == insured_region,
                    MedicalClaimRow.treatment_region == treatment_region,
                    MedicalClaimRow.clearing_id.is_(None),
                )
                .order_by(MedicalClaimRow.id)
                .with_for_update()
            ).scalars()
        )
        total = sum(c.fund_fen for c in claims)
        for c in claims:
            c.clearing_id = txn.id
        post(
            session,
            txn.id,
            [
                Leg(f"C:medical:{insured_region}>{treatment_region}", -total, "fen"),
                Leg(f"F:medical:{treatment_region}", total, "fen"),
            ],
        )
        result: dict[str, object] = {"claims": len(claims), "total_fen": total}
        return Outcome(result, audit_subjects.between(insured_region, treatment_region), result)

    request = {"insured": insured_region, "treatment": treatment_region}
    return run_operation(engine, Operation("medical.clear", key, request, actor, because("medical_clear")), apply)
