"""Recording what accrues to the account: contribution months (pension, medical, unemployment), public-housing
waiting months, and school years of a child's record (学籍). Each month or school year is recorded once."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import cast

from sqlalchemy import Engine, Table, bindparam, insert, select
from sqlalchemy.orm import Session

from changzhu.domain.refusals import RefusalCode, refusal
from changzhu.ledger import pension_rules as rules
from changzhu.ledger import rates
from changzhu.ledger.accounts import Leg, person_account, post
from changzhu.ledger.pension_holdings import HeldMonth, PensionHistory, pension_history, reconcile_pension
from changzhu.store import audit_subjects
from changzhu.store.audit_reasons import Reason, because
from changzhu.store.checks import RegistryError, check_region, lock_person
from changzhu.store.resident_models import (
    ContributionMonthRow,
    LedgerTransactionRow,
    PensionRelationRow,
    PersonRow,
    SchoolRecordRow,
)
from changzhu.store.txn import Operation, Outcome, new_key, run_operation


class Scheme(StrEnum):
    """Month-counted parts of the account."""

    PENSION = "pension"  # 城镇企业职工基本养老保险
    MEDICAL = "medical"  # 职工基本医疗保险
    UNEMPLOYMENT = "unemployment"  # 失业保险
    HOUSING_WAIT = "housing_wait"  # 公共租赁住房轮候


@dataclass(frozen=True)
class MonthPaid:
    """One month of contribution: period as YYYYMM and the monthly contribution base in fen (0 for waiting)."""

    period: int
    base_fen: int


def period_of(year: int, month: int) -> int:
    """YYYYMM."""
    return year * 100 + month


def validate_months(months: list[MonthPaid], scheme: Scheme, today: date) -> None:
    """Each period a real month not in the future, listed once, with a positive base where money is paid."""
    seen: set[int] = set()
    for m in months:
        year, month = divmod(m.period, 100)
        if not (year >= 1950 and 1 <= month <= 12) or period_of(year, month) > period_of(today.year, today.month):
            raise RegistryError(refusal(RefusalCode.PERIOD_NOT_A_MONTH, period=m.period))
        if m.period in seen:
            raise RegistryError(refusal(RefusalCode.PERIOD_TWICE, period=m.period))
        seen.add(m.period)
        if scheme == Scheme.HOUSING_WAIT and m.base_fen != 0:
            raise RegistryError(refusal(RefusalCode.WAITING_MONTH_BASE, period=m.period))
        if scheme != Scheme.HOUSING_WAIT and m.base_fen <= 0:
            raise RegistryError(refusal(RefusalCode.BASE_NOT_POSITIVE, period=m.period))


_MONTHS = cast(Table, ContributionMonthRow.__table__)
# Built once: the SQL is compiled once per engine and reused.
_CLASH = (
    select(_MONTHS.c.period, _MONTHS.c.paid_region)
    .where(
        _MONTHS.c.person_id == bindparam("person_id"),
        _MONTHS.c.scheme == bindparam("scheme"),
        _MONTHS.c.period.in_(bindparam("periods", expanding=True)),
    )
    .limit(1)
)
_INSERT_MONTHS = insert(_MONTHS)


def record_in_session(
    session: Session, txn: LedgerTransactionRow, person: PersonRow, scheme: Scheme, region: str, months: list[MonthPaid]
) -> dict[str, object]:
    """Write contribution months and their legs (no commit): shared by the service call and bulk import.

    Every check comes before the first write, so a refused call writes nothing."""
    check_region(session, region, "region")
    periods = sorted(m.period for m in months)
    held: list[HeldMonth] = []
    history: PensionHistory | None = None
    if scheme == Scheme.PENSION:  # the person's pension months and transfers, read once: the clash check, the replay
        history = pension_history(session, person.id)
        held = history.months
        wanted = set(periods)
        clash = next(((m.period, m.paid_region) for m in held if m.period in wanted), None)
    else:
        params = {"person_id": person.id, "scheme": scheme.value, "periods": periods}
        clash = session.execute(_CLASH, params).first()
    if clash is not None:
        year, month = divmod(int(clash[0]), 100)  # the month as a person writes it, 2023-03 (was 202303)
        recorded = refusal(
            RefusalCode.MONTH_RECORDED, period=f"{year}-{month:02d}", scheme=scheme.value, paid_in=clash[1]
        )
        raise RegistryError(recorded)
    if scheme == Scheme.PENSION:
        relation = session.get(PensionRelationRow, person.id)
        if relation is not None and relation.drawing_region is not None:
            raise RegistryError(refusal(RefusalCode.DRAWS_PENSION))
    key, n = person.person_key, len(months)
    legs = [
        Leg(f"X:months:{scheme.value}:{region}", -n, "month"),
        Leg(person_account(key, f"{scheme.value}_months", region), n, "month"),
    ]
    if scheme == Scheme.PENSION:
        individual = sum(rules.share(m.base_fen, rates.individual_rate_permille(m.period)) for m in months)
        pooled = sum(rules.share(m.base_fen, rates.employer_pooled_rate_permille(m.period)) for m in months)
        legs += [
            Leg(f"X:contributions:{region}", -(individual + pooled), "fen"),
            Leg(person_account(key, "pension_individual", region), individual, "fen"),
            Leg(f"F:pension_pooled:{region}", pooled, "fen"),
        ]
    elif scheme == Scheme.MEDICAL:
        paid = sum(rules.share(m.base_fen, rates.medical_fund_rate_permille(m.period)) for m in months)
        legs += [Leg(f"X:contributions:{region}", -paid, "fen"), Leg(f"F:medical:{region}", paid, "fen")]
    holding: dict[int, tuple[str, bool]] = {m.period: (region, False) for m in months}
    if scheme == Scheme.PENSION:  # where the months belong by the facts recorded, whatever the order (art. 5)
        new = [HeldMonth(-1 - i, m.period, region, region, False, m.base_fen, False) for i, m in enumerate(months)]
        moves, moved = reconcile_pension(session, person, months=held + new, history=history)
        holding.update((m.period, moved[m.id].dst) for m in new if m.id in moved)
        net: dict[tuple[str, str], int] = defaultdict(int)
        for leg in legs + moves:
            net[(leg.account, leg.unit)] += leg.amount
        legs = [Leg(account, amount, unit) for (account, unit), amount in net.items() if amount]
    session.execute(
        _INSERT_MONTHS,
        [
            {
                "person_id": person.id,
                "scheme": scheme.value,
                "period": m.period,
                "paid_region": region,
                "held_region": holding[m.period][0],
                "base_fen": m.base_fen,
                "temporary": holding[m.period][1],
                "transaction_id": txn.id,
            }
            for m in months
        ],
    )
    post(session, txn.id, legs)
    temporary = any(temp for _region, temp in holding.values())
    return {"months": n, "temporary": temporary, "region": region, "scheme": scheme.value}


def record_contributions(
    engine: Engine,
    person_key: str,
    scheme: Scheme,
    region: str,
    months: list[MonthPaid],
    *,
    actor: str,
    reason: Reason | None = None,
    key: str | None = None,
) -> dict[str, object]:
    """Record paid months at `region`; pension contributions go to a temporary account where art. 5 applies."""
    if not months:
        raise RegistryError(refusal(RefusalCode.NO_MONTHS_GIVEN))
    validate_months(months, scheme, date.today())

    def apply(session: Session, txn: LedgerTransactionRow) -> Outcome:
        person = lock_person(session, person_key, {"region": region})  # record_in_session finds it checked
        result = record_in_session(session, txn, person, scheme, region, months)
        return Outcome(result, audit_subjects.person(person_key), result)

    request = {
        "person": person_key,
        "scheme": scheme.value,
        "region": region,
        "months": [[m.period, m.base_fen] for m in months],
    }
    return run_operation(
        engine,
        Operation(
            f"contribute.{scheme.value}", key or new_key("contrib"), request, actor, reason or because("contributions")
        ),
        apply,
    )


def record_school_year(
    engine: Engine,
    person_key: str,
    school_year: int,
    grade: int,
    school: str,
    region: str,
    *,
    actor: str,
    reason: Reason | None = None,
    key: str | None = None,
) -> dict[str, object]:
    """Add one completed school year to a child's record (学籍), held by the enrolling region."""
    if not 1 <= grade <= 12:
        raise RegistryError(refusal(RefusalCode.GRADE_RANGE, grade=grade))
    if not school.strip():
        raise RegistryError(refusal(RefusalCode.SCHOOL_REQUIRED))

    def apply(session: Session, txn: LedgerTransactionRow) -> Outcome:
        person = lock_person(session, person_key, {"region": region})
        if not person.birth_date.year + 5 <= school_year <= person.birth_date.year + 20:
            raise RegistryError(
                refusal(RefusalCode.SCHOOL_YEAR_BEFORE_BIRTH, school_year=school_year, born=person.birth_date.year)
            )
        if session.scalar(
            select(SchoolRecordRow.id).where(
                SchoolRecordRow.person_id == person.id, SchoolRecordRow.school_year == school_year
            )
        ):
            raise RegistryError(refusal(RefusalCode.SCHOOL_YEAR_RECORDED, school_year=school_year))
        session.add(
            SchoolRecordRow(
                person_id=person.id,
                school_year=school_year,
                grade=grade,
                school=school,
                enrolled_region=region,
                held_region=region,
            )
        )
        post(
            session,
            txn.id,
            [Leg(f"X:school:{region}", -1, "year"), Leg(person_account(person_key, "school_years", region), 1, "year")],
        )
        return Outcome(
            {"school_year": school_year, "grade": grade, "region": region},
            audit_subjects.person(person_key),
            {"school_year": school_year, "region": region},
        )

    request = {"person": person_key, "year": school_year, "grade": grade, "school": school, "region": region}
    return run_operation(
        engine,
        Operation("school.record", key or new_key("school"), request, actor, reason or because("school_record")),
        apply,
    )
