"""Transfers between regions (转移接续): applied in the new place, then released by the old place and received
by the new one in a single all-or-nothing step; and the final consolidation where the pension is drawn.

Pension follows 国办发〔2009〕66号: the individual account moves in full, the pooled part at 12% of each
month's base from 1998 (art. 4), temporary accounts (art. 5), the 10-year rule (art. 6). Medical,
unemployment and housing-waiting months and school years move as counts: recognised and accumulated.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from enum import StrEnum
from typing import NamedTuple, cast

from sqlalchemy import Engine, Table, exists, func, insert, select, update
from sqlalchemy.orm import Session
from sqlalchemy.sql.dml import UpdateBase

from changzhu.domain.refusals import RefusalCode, refusal
from changzhu.ledger import pension_rules as rules
from changzhu.ledger.accounts import Leg, balance, balances, person_account, post
from changzhu.ledger.pension_holdings import PensionHistory, moved_totals, pension_history, reconcile_pension
from changzhu.store import audit_subjects
from changzhu.store.audit_reasons import Reason, because
from changzhu.store.bound import Bound, bind_row, insert_row
from changzhu.store.checks import RegistryError, lock_person, lock_person_with, refuse_moved_out
from changzhu.store.resident_models import (
    ContributionMonthRow,
    LedgerTransactionRow,
    PensionRelationRow,
    PersonRow,
    SchoolRecordRow,
    TransferRow,
)
from changzhu.store.txn import Operation, Outcome, run_operation, run_together

_TRANSFERS = cast(Table, TransferRow.__table__)
_COMPLETED = insert_row(  # built once: a transfer applied and completed in one transaction, sent with the audit record
    _TRANSFERS,
    "transfer",
    ("transfer_no", "person_id", "scheme", "from_region", "to_region", "status", "applied_on", "amounts"),
)


class TransferScheme(StrEnum):
    """Parts of the account that move between regions."""

    PENSION = "pension"
    MEDICAL = "medical"
    UNEMPLOYMENT = "unemployment"
    HOUSING_WAIT = "housing_wait"
    SCHOOL = "school"


class LedgerInconsistent(AssertionError):
    """Derived balances disagree with the records they summarise: a bug, never user input."""


def _held_rows(
    session: Session, person: PersonRow, scheme: str, regions: set[str] | None, temporary: bool | None
) -> list[ContributionMonthRow]:
    query = select(ContributionMonthRow).where(
        ContributionMonthRow.person_id == person.id, ContributionMonthRow.scheme == scheme
    )
    if regions is not None:
        query = query.where(ContributionMonthRow.held_region.in_(sorted(regions)))
    if temporary is not None:
        query = query.where(ContributionMonthRow.temporary == temporary)
    return list(session.execute(query.order_by(ContributionMonthRow.period)).scalars())


def _move_months(
    session: Session, person: PersonRow, scheme: str, rows: list[ContributionMonthRow], to_region: str
) -> tuple[list[Leg], dict[str, int]]:
    """Legs moving the given month rows (grouped by holding place) to `to_region`; rows are re-homed."""
    groups: dict[tuple[str, bool], list[ContributionMonthRow]] = defaultdict(list)
    for row in rows:
        if (row.held_region, row.temporary) != (to_region, False):
            groups[(row.held_region, row.temporary)].append(row)
    legs: list[Leg] = []
    totals = {"months": 0, "individual_fen": 0, "pooled_fen": 0}
    key = person.person_key
    codes = [
        person_account(key, f"{kind}{'_temp' if temporary else ''}", region)
        for region, temporary in groups
        for kind in (f"{scheme}_months", "pension_individual")
    ]
    held = balances(session, codes)
    for (region, temporary), group in sorted(groups.items()):
        suffix = "_temp" if temporary else ""
        months_code = person_account(key, f"{scheme}_months{suffix}", region)
        if held[months_code] != len(group):
            raise LedgerInconsistent(f"{months_code}: balance differs from {len(group)} recorded months")
        legs += [
            Leg(months_code, -len(group), "month"),
            Leg(person_account(key, f"{scheme}_months", to_region), len(group), "month"),
        ]
        totals["months"] += len(group)
        if scheme == TransferScheme.PENSION:
            individual = held[person_account(key, f"pension_individual{suffix}", region)]
            pooled = rules.pooled_transfer([(r.period, r.base_fen) for r in group])
            legs += [
                Leg(person_account(key, f"pension_individual{suffix}", region), -individual, "fen"),
                Leg(person_account(key, "pension_individual", to_region), individual, "fen"),
                Leg(f"F:pension_pooled:{region}", -pooled, "fen"),
                Leg(f"F:pension_pooled:{to_region}", pooled, "fen"),
            ]
            totals["individual_fen"] += individual
            totals["pooled_fen"] += pooled
    moved = [row.id for group in groups.values() for row in group]
    if moved:  # one statement; the loaded rows are updated in place too (synchronize_session="evaluate")
        session.execute(
            update(ContributionMonthRow)
            .where(ContributionMonthRow.id.in_(moved))
            .values(held_region=to_region, temporary=False)
            .execution_options(synchronize_session="evaluate")
        )
    return legs, totals


def _move_school(session: Session, person: PersonRow, from_region: str, to_region: str) -> tuple[list[Leg], int]:
    rows = list(
        session.execute(
            select(SchoolRecordRow).where(
                SchoolRecordRow.person_id == person.id, SchoolRecordRow.held_region == from_region
            )
        ).scalars()
    )
    for row in rows:
        row.held_region = to_region
    n = len(rows)
    key = person.person_key
    return [
        Leg(person_account(key, "school_years", from_region), -n, "year"),
        Leg(person_account(key, "school_years", to_region), n, "year"),
    ], n


class Holdings(NamedTuple):
    """What an application to take over `region`'s records of a scheme depends on."""

    held: bool  # the region holds a record of the scheme for the person
    relation: PensionRelationRow | None  # the person's pension relation
    open_here: bool  # an application to take them over from the region is open (applied, not completed)


def _holdings(session: Session, person: PersonRow, scheme: TransferScheme, region: str) -> Holdings:
    """Whether `region` holds any record of the scheme for the person, the person's pension relation and whether an
    application from `region` is open (one statement)."""
    if scheme == TransferScheme.SCHOOL:
        held = exists().where(SchoolRecordRow.person_id == person.id, SchoolRecordRow.held_region == region)
    else:
        held = exists().where(
            ContributionMonthRow.person_id == person.id,
            ContributionMonthRow.scheme == scheme.value,
            ContributionMonthRow.held_region == region,
        )
    open_here = exists().where(
        TransferRow.person_id == person.id,
        TransferRow.scheme == scheme.value,
        TransferRow.from_region == region,
        TransferRow.status == "applied",
    )
    found = session.execute(
        select(held.label("held"), PensionRelationRow, open_here.label("open_here"))
        .select_from(PersonRow)
        .outerjoin(PensionRelationRow, PensionRelationRow.person_id == PersonRow.id)
        .where(PersonRow.id == person.id)
    ).one()
    return Holdings(bool(found[0]), found[1], bool(found[2]))


def held_at_origin(session: Session, transfer: TransferRow) -> int:
    """How many months (school years) the transfer's old place holds of its scheme now: what a release would move
    (0: nothing, and a release completes the application moving nothing)."""
    if transfer.scheme == TransferScheme.SCHOOL:
        count = select(func.count()).where(
            SchoolRecordRow.person_id == transfer.person_id, SchoolRecordRow.held_region == transfer.from_region
        )
    else:
        count = select(func.count()).where(
            ContributionMonthRow.person_id == transfer.person_id,
            ContributionMonthRow.scheme == transfer.scheme,
            ContributionMonthRow.held_region == transfer.from_region,
        )
    return int(session.scalar(count) or 0)


def apply_transfer(
    engine: Engine,
    person_key: str,
    scheme: TransferScheme,
    from_region: str,
    to_region: str,
    applied_on: date,
    *,
    transfer_no: str,
    actor: str,
    reason: Reason | None = None,
) -> dict[str, object]:
    """The new place records an application to take over what `from_region` holds (nothing moves yet)."""

    def apply(session: Session, _txn: LedgerTransactionRow) -> Outcome:
        person = lock_person(session, person_key, {"from_region": from_region, "to_region": to_region})
        _check_application(session, person, scheme, from_region, to_region)
        application = insert(_TRANSFERS).values(
            transfer_no=transfer_no,
            person_id=person.id,
            scheme=scheme.value,
            from_region=from_region,
            to_region=to_region,
            status="applied",
            applied_on=applied_on,
            amounts={},
        )
        return _applied(transfer_no, person_key, scheme, from_region, to_region, writes=[application])

    op = _apply_operation(person_key, scheme, from_region, to_region, applied_on, transfer_no, actor, reason)
    return run_operation(engine, op, apply)


def _check_application(
    session: Session,
    person: PersonRow,
    scheme: TransferScheme,
    from_region: str,
    to_region: str,
    known: Holdings | None = None,
) -> None:
    """Refuse an application the person's holdings, open applications and pension relation do not allow; `known`
    is what `_holdings` reads, if the caller has read it."""
    if from_region == to_region:
        raise RegistryError(refusal(RefusalCode.TRANSFER_SAME_PLACE))
    held, relation, open_here = known if known is not None else _holdings(session, person, scheme, from_region)
    if not held:
        raise RegistryError(refusal(RefusalCode.NOTHING_HELD, region=from_region, scheme=scheme.value))
    if open_here:  # one application at a time takes over what a place holds: a second would wait on nothing
        raise RegistryError(refusal(RefusalCode.TRANSFER_ALREADY_OPEN, region=from_region, scheme=scheme.value))
    if scheme == TransferScheme.PENSION:
        if relation is not None and relation.drawing_region is not None:
            raise RegistryError(refusal(RefusalCode.DRAWS_PENSION_NO_TRANSFER))
        if relation is not None and to_region == relation.temp_region:
            raise RegistryError(refusal(RefusalCode.TEMPORARY_ACCOUNT_THERE, region=to_region))


def _applied(
    transfer_no: str,
    person_key: str,
    scheme: TransferScheme,
    from_region: str,
    to_region: str,
    writes: list[UpdateBase],
) -> Outcome:
    return Outcome(
        {"transfer_no": transfer_no, "status": "applied"},
        audit_subjects.person(person_key),
        {"scheme": scheme.value, "from": from_region, "to": to_region},
        writes=writes,
    )


def _apply_operation(
    person_key: str,
    scheme: TransferScheme,
    from_region: str,
    to_region: str,
    applied_on: date,
    transfer_no: str,
    actor: str,
    reason: Reason | None,
) -> Operation:
    request = {
        "person": person_key,
        "scheme": scheme.value,
        "from": from_region,
        "to": to_region,
        "on": applied_on.isoformat(),
    }
    return Operation("transfer.apply", f"{transfer_no}:apply", request, actor, reason or because("transfer_apply"))


def _complete_operation(transfer_no: str, actor: str, reason: Reason | None) -> Operation:
    return Operation(
        "transfer.complete",
        f"{transfer_no}:complete",
        {"transfer": transfer_no},
        actor,
        reason or because("transfer_complete"),
    )


def _release_and_receive(
    session: Session,
    txn: LedgerTransactionRow,
    person: PersonRow,
    transfer: TransferRow,
    history: PensionHistory | None = None,
) -> tuple[dict[str, object], list[UpdateBase | Bound]]:
    """Post the legs moving what the old place holds to the new one: the amounts moved, and the writes (re-homed
    months, the pension relation) left to send with the audit record. `history`: the person's pension history,
    if the caller has read it in this transaction."""
    writes: list[UpdateBase | Bound] = []
    scheme, src, dst = TransferScheme(transfer.scheme), transfer.from_region, transfer.to_region
    amounts: dict[str, object]
    if scheme == TransferScheme.SCHOOL:
        legs, n = _move_school(session, person, src, dst)
        amounts = {"years": n}
    elif scheme == TransferScheme.PENSION:  # replayed with every month and transfer, in the order they happened
        legs, moved = reconcile_pension(session, person, completing=transfer, deferred=writes, history=history)
        amounts = dict(moved_totals(moved, dst))
    else:
        rows = _held_rows(session, person, scheme.value, {src}, None)
        legs, totals = _move_months(session, person, scheme.value, rows, dst)
        amounts = dict(totals)
    post(session, txn.id, legs)
    return amounts, writes


def _completed(
    transfer_no: str,
    person_key: str,
    transfer: TransferRow,
    amounts: dict[str, object],
    writes: list[UpdateBase | Bound],
) -> Outcome:
    return Outcome(
        {"transfer_no": transfer_no, "status": "completed", **amounts},
        audit_subjects.person(person_key),
        {"scheme": transfer.scheme, "from": transfer.from_region, "to": transfer.to_region, **amounts},
        writes=writes,
    )


def complete_transfer(
    engine: Engine, transfer_no: str, *, actor: str, reason: Reason | None = None
) -> dict[str, object]:
    """Release from the old place and receive in the new one, atomically; a retry is a no-op."""

    locked: list[tuple[PersonRow, TransferRow, PensionRelationRow | None]] = []  # strong references: kept in the
    # session's identity map

    def lock(session: Session) -> None:
        """Lock the person and load the transfer with them in one statement."""
        found = session.execute(  # the pension relation comes along into the identity map (reconcile reads it)
            select(PersonRow, TransferRow, PensionRelationRow)
            .join(TransferRow, TransferRow.person_id == PersonRow.id)
            .outerjoin(PensionRelationRow, PensionRelationRow.person_id == PersonRow.id)
            .where(TransferRow.transfer_no == transfer_no)
            .with_for_update(of=PersonRow)
        ).first()
        if found is None:
            raise RegistryError(refusal(RefusalCode.NO_TRANSFER, transfer_no=transfer_no))
        locked[:] = [(found[0], found[1], found[2])]

    def apply(session: Session, txn: LedgerTransactionRow) -> Outcome:
        person, transfer, _relation = locked[0]
        refuse_moved_out(person)  # handed over to another province's instance since the application: history here
        if transfer.status != "applied":
            raise RegistryError(
                refusal(RefusalCode.TRANSFER_NOT_WAITING, transfer_no=transfer_no, status=str(transfer.status))
            )
        amounts, writes = _release_and_receive(session, txn, person, transfer)
        completed = update(_TRANSFERS).where(_TRANSFERS.c.id == transfer.id).values(status="completed", amounts=amounts)
        return _completed(transfer_no, person.person_key, transfer, amounts, [*writes, completed])

    return run_operation(engine, _complete_operation(transfer_no, actor, reason), apply, lock=lock)


def transfer(
    engine: Engine,
    person_key: str,
    scheme: TransferScheme,
    from_region: str,
    to_region: str,
    applied_on: date,
    *,
    transfer_no: str,
    actor: str,
) -> dict[str, object]:
    """Apply and complete in one call (one actor for both places).

    When neither step has run before, both run in one transaction (two operations with their own keys, stored
    results and audit records, committed together: a crash leaves neither); otherwise as apply_transfer then
    complete_transfer, each idempotent, so calling again after a crash or after a separate application finishes
    the transfer without repeating it.
    """
    both = _apply_and_complete(engine, person_key, scheme, from_region, to_region, applied_on, transfer_no, actor)
    if both is not None:
        return both
    apply_transfer(engine, person_key, scheme, from_region, to_region, applied_on, transfer_no=transfer_no, actor=actor)
    return complete_transfer(engine, transfer_no, actor=actor)


def _apply_and_complete(
    engine: Engine,
    person_key: str,
    scheme: TransferScheme,
    from_region: str,
    to_region: str,
    applied_on: date,
    transfer_no: str,
    actor: str,
) -> dict[str, object] | None:
    """Both steps in one transaction, the completion's result; None (nothing written) if a step ran before.

    The person is locked with their pension relation; for a pension the application's check and the completion's
    replay share one read of the person's months and transfers."""
    locked: list[tuple[PersonRow, PensionRelationRow | None]] = []  # strong references: kept in the identity map
    histories: list[PensionHistory] = []
    application = TransferRow(  # completed by the second step before it is written: one insert, as completed
        transfer_no=transfer_no,
        scheme=scheme.value,
        from_region=from_region,
        to_region=to_region,
        status="applied",
        applied_on=applied_on,
    )

    def lock(session: Session) -> None:
        regions = {"from_region": from_region, "to_region": to_region}
        locked[:] = [lock_person_with(session, person_key, regions, PensionRelationRow)]

    def apply(session: Session, _txn: LedgerTransactionRow) -> Outcome:
        person, relation = locked[0]
        known = None
        if scheme == TransferScheme.PENSION and from_region != to_region:
            histories[:] = [pension_history(session, person.id)]
            history = histories[0]
            known = Holdings(
                any(m.held_region == from_region for m in history.months), relation, from_region in history.open_from
            )
        _check_application(session, person, scheme, from_region, to_region, known)
        return _applied(transfer_no, person_key, scheme, from_region, to_region, writes=[])

    def complete(session: Session, txn: LedgerTransactionRow) -> Outcome:
        person = locked[0][0]
        application.person_id = person.id
        amounts, writes = _release_and_receive(session, txn, person, application, *histories)
        row = {
            "transfer_no": transfer_no,
            "person_id": person.id,
            "scheme": scheme.value,
            "from_region": from_region,
            "to_region": to_region,
            "status": "completed",
            "applied_on": applied_on,
            "amounts": amounts,
        }
        return _completed(
            transfer_no, person_key, application, amounts, [*writes, bind_row(_COMPLETED, "transfer", row)]
        )

    steps = [
        (_apply_operation(person_key, scheme, from_region, to_region, applied_on, transfer_no, actor, None), apply),
        (_complete_operation(transfer_no, actor, None), complete),
    ]
    done = run_together(engine, steps, lock=lock)
    return None if done is None else done[1]


def settle_drawing(
    engine: Engine, person_key: str, on: date, *, actor: str, key: str, reason: Reason | None = None
) -> dict[str, object]:
    """Decide where the pension is drawn (art. 6) and consolidate every account and temporary account there."""

    def apply(session: Session, txn: LedgerTransactionRow) -> Outcome:
        person = lock_person(session, person_key)
        relation = session.get(PensionRelationRow, person.id)
        if relation is None:
            raise RegistryError(refusal(RefusalCode.NO_PENSION_CONTRIBUTIONS))
        if relation.drawing_region is not None:
            raise RegistryError(refusal(RefusalCode.DRAWING_PLACE_DECIDED, region=relation.drawing_region))
        rows = _held_rows(session, person, "pension", None, None)
        months_paid: dict[str, int] = defaultdict(int)
        last_paid: dict[str, int] = {}
        for row in rows:
            months_paid[row.paid_region] += 1
            last_paid[row.paid_region] = max(last_paid.get(row.paid_region, 0), row.period)
        place = rules.drawing_place(person.hukou_region, relation.region, dict(months_paid), last_paid, on)
        legs, totals = _move_months(session, person, "pension", rows, place.region)
        post(session, txn.id, legs)
        relation.region, relation.temp_region, relation.drawing_region = place.region, None, place.region
        individual = balance(session, person_account(person_key, "pension_individual", place.region))
        result: dict[str, object] = {
            "drawing_region": place.region,
            "clause": place.clause,
            "why_zh": place.reason_zh,
            "why_en": place.reason_en,
            "months_total": len(rows),
            "individual_account_fen": individual,
            "moved_months": totals["months"],
            "moved_pooled_fen": totals["pooled_fen"],
        }
        return Outcome(result, audit_subjects.person(person_key), result)

    op = Operation(
        "pension.drawing",
        key,
        {"person": person_key, "on": on.isoformat()},
        actor,
        reason or because("pension_drawing"),
    )
    return run_operation(engine, op, apply)
