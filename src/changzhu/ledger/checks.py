"""Consistency of the ledger with the records it summarises: what the property and fault tests assert,
and what `changzhu ledger check` reports."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import Engine, func, select

from changzhu.ledger.accounts import balances_frame, totals_by_unit
from changzhu.registry.db import session_scope
from changzhu.registry.resident_models import (
    ContributionMonthRow,
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


def ledger_problems(engine: Engine) -> list[str]:
    """Every inconsistency found (empty when the ledger is sound)."""
    problems = [
        f"entries in unit {unit} sum to {total}, not 0" for unit, total in totals_by_unit(engine).items() if total != 0
    ]
    actual = {row["account"]: row["balance"] for row in balances_frame(engine).iter_rows(named=True)}
    expected = _expected_person_balances(engine)
    checked_kinds = ("_months", "school_years", "V:outstanding", "C:voucher", "C:medical")
    for code in sorted(set(actual) | set(expected)):
        if not any(k in code for k in checked_kinds):
            continue
        if actual.get(code, 0) != expected.get(code, 0):
            problems.append(f"{code}: balance {actual.get(code, 0)}, records say {expected.get(code, 0)}")
    for code, value in actual.items():
        if code.startswith("P:") and value < 0:
            problems.append(f"{code}: negative balance {value}")
    return problems
