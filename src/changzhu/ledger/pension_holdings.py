"""Keep a person's pension months where the recorded facts put them, whatever the order they were recorded in.

After every pension contribution and transfer, the holdings are replayed from all the person's months and
completed transfers (pension_rules.replay_pension); months whose place or temporary status differs are moved,
with their months, individual-account share and, between places, the 12% pooled share (国办发〔2009〕66号).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any, cast

from sqlalchemy import (
    BigInteger,
    Boolean,
    Integer,
    Select,
    Table,
    any_,
    bindparam,
    literal,
    null,
    select,
    union_all,
    update,
)
from sqlalchemy import cast as sql_cast
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Session
from sqlalchemy.sql.dml import UpdateBase

from changzhu.domain.refusals import RefusalCode, refusal
from changzhu.ledger import pension_rules as rules
from changzhu.ledger import rates
from changzhu.ledger.accounts import Leg, person_account
from changzhu.store.bound import Bound, bind_row, insert_row
from changzhu.store.checks import RegistryError
from changzhu.store.resident_models import (
    ContributionMonthRow,
    LedgerTransactionRow,
    PensionRelationRow,
    PersonRow,
    TransferRow,
)

_MONTHS = cast(Table, ContributionMonthRow.__table__)
_RELATIONS = cast(Table, PensionRelationRow.__table__)
_TRANSFERS = cast(Table, TransferRow.__table__)
_TXNS = cast(Table, LedgerTransactionRow.__table__)


@dataclass(frozen=True)
class Move:
    """One month moved: from and to (place, temporary), its individual-account share and pooled share moved."""

    src: rules.Holding
    dst: rules.Holding
    individual_fen: int
    pooled_fen: int


@dataclass(frozen=True)
class HeldMonth:
    """A pension month as the replay reads it; a negative id is a month about to be written by the caller."""

    id: int
    period: int
    paid_region: str
    held_region: str
    temporary: bool
    base_fen: int
    foreign: bool  # came through another instance (interregion): its holding is kept as it is


@dataclass(frozen=True)
class CompletedTransfer:
    """A completed pension transfer as the replay reads it."""

    id: int
    applied_on: date
    from_region: str
    to_region: str
    transfer_no: str


@dataclass(frozen=True)
class PensionHistory:
    """A person's pension months (in the order of their periods), completed pension transfers and the places an
    application still waits to take over from (`open_from`)."""

    months: list[HeldMonth]
    transfers: list[CompletedTransfer]
    open_from: frozenset[str] = frozenset()


def _transfer_rows(label: str, status: str) -> Select[Any]:
    """The person's pension transfers of `status`, in the union's columns: the months' columns as typed nulls
    (PostgreSQL types a union's columns pair by pair, and two untyped nulls become text)."""
    return select(
        literal(label),
        _TRANSFERS.c.id,
        sql_cast(null(), Integer),
        _TRANSFERS.c.from_region,
        _TRANSFERS.c.to_region,
        sql_cast(null(), Boolean),
        sql_cast(null(), BigInteger),
        _TRANSFERS.c.transfer_no,
        _TRANSFERS.c.applied_on,
    ).where(
        _TRANSFERS.c.person_id == bindparam("person_id"),
        _TRANSFERS.c.scheme == "pension",
        _TRANSFERS.c.status == status,
    )


# Built once: the SQL is compiled once per engine and reused. The transfers come first: their applied_on column
# types the union's (a date, read back as one on SQLite too); a month has none.
_HISTORY = union_all(
    _transfer_rows("transfer", "completed"),
    _transfer_rows("open", "applied"),
    select(
        literal("month"),
        _MONTHS.c.id,
        _MONTHS.c.period,
        _MONTHS.c.paid_region,
        _MONTHS.c.held_region,
        _MONTHS.c.temporary,
        _MONTHS.c.base_fen,
        _TXNS.c.kind,
        null(),
    )
    .join(_TXNS, _TXNS.c.id == _MONTHS.c.transaction_id)
    .where(_MONTHS.c.person_id == bindparam("person_id"), _MONTHS.c.scheme == "pension"),
)


def pension_history(session: Session, person_id: int) -> PensionHistory:
    """The person's pension months, completed pension transfers and open applications' origins (one statement, no
    ORM objects)."""
    months: list[HeldMonth] = []
    transfers: list[CompletedTransfer] = []
    open_from: set[str] = set()
    for what, id_, period, paid_or_from, held_or_to, temporary, base, kind_or_no, applied_on in session.execute(
        _HISTORY, {"person_id": person_id}
    ):
        if what == "month":
            foreign = kind_or_no.startswith("interregion")
            months.append(HeldMonth(id_, period, paid_or_from, held_or_to, bool(temporary), base, foreign))
        elif what == "open":
            open_from.add(paid_or_from)
        else:
            transfers.append(CompletedTransfer(id_, applied_on, paid_or_from, held_or_to, kind_or_no))
    months.sort(key=lambda m: m.period)  # one month per period (unique person, scheme, period)
    return PensionHistory(months, transfers, frozenset(open_from))


def _transfers(completed: list[CompletedTransfer], completing: TransferRow | None) -> list[rules.PensionTransfer]:
    """The person's completed pension transfers, with `completing` (being completed in this transaction)."""
    rows = [
        (t.id, t.applied_on.year * 100 + t.applied_on.month, t.from_region, t.to_region, t.transfer_no)
        for t in completed
    ]
    if completing is not None and all(id_ != completing.id for id_, *_ in rows):
        applied = completing.applied_on
        rows.append(
            (completing.id, applied.year * 100 + applied.month, completing.from_region, completing.to_region,
             completing.transfer_no)
        )  # fmt: skip
    return [rules.PensionTransfer(period, src, dst, number) for _id, period, src, dst, number in rows]


_RELATION_NEW = insert_row(_RELATIONS, "relation", ("person_id", "region", "temp_region", "drawing_region"))
_RELATION_MOVED = (
    update(_RELATIONS)
    .where(_RELATIONS.c.person_id == bindparam("relation_person_id"))
    .values(region=bindparam("relation_region"), temp_region=bindparam("relation_temp_region"))
)
_REHOMED: dict[tuple[bool, int], UpdateBase] = {}  # built once per database kind and place among the targets


def _rehome(postgres: bool, number: int) -> UpdateBase:
    """UPDATE of the months whose ids are bound as rehome<number>_ids: on PostgreSQL one array parameter (a list
    of hundreds of months is one value, and the statement's text does not change with their count)."""
    statement = _REHOMED.get((postgres, number))
    if statement is None:
        name = f"rehome{number}"
        if postgres:
            ids = _MONTHS.c.id == any_(bindparam(f"{name}_ids", type_=postgresql.ARRAY(Integer)))
        else:
            ids = _MONTHS.c.id.in_(bindparam(f"{name}_ids", expanding=True))
        built = (
            update(_MONTHS)
            .where(ids)
            .values(held_region=bindparam(f"{name}_region"), temporary=bindparam(f"{name}_temporary"))
        )
        statement = _REHOMED.setdefault((postgres, number), built)
    return statement


def _holding_writes(
    postgres: bool,
    person: PersonRow,
    by_target: dict[rules.Holding, list[int]],
    relation: PensionRelationRow | None,
    state: rules.PensionState,
) -> list[Bound]:
    """Statements re-homing the moved months and recording the pension relation (loaded rows are not updated)."""
    writes = [
        Bound(
            _rehome(postgres, n),
            {f"rehome{n}_ids": ids, f"rehome{n}_region": region, f"rehome{n}_temporary": temporary},
        )
        for n, ((region, temporary), ids) in enumerate(sorted(by_target.items()))
    ]
    if state.region is not None and relation is None:
        row = {"person_id": person.id, "region": state.region, "temp_region": state.temp_region, "drawing_region": None}
        writes.append(bind_row(_RELATION_NEW, "relation", row))
    elif state.region is not None:
        moved = {"relation_person_id": person.id, "relation_region": state.region}
        writes.append(Bound(_RELATION_MOVED, {**moved, "relation_temp_region": state.temp_region}))
    return writes


def reconcile_pension(
    session: Session,
    person: PersonRow,
    completing: TransferRow | None = None,
    deferred: list[UpdateBase | Bound] | None = None,
    months: list[HeldMonth] | None = None,
    history: PensionHistory | None = None,
) -> tuple[list[Leg], dict[int, Move]]:
    """Move every pension month to where the replay puts it; returns the legs (to post) and the moves made.

    `completing` is a transfer completed by this transaction, counted as completed before its status is written.
    With `deferred`, the statements re-homing months and recording the relation are appended there for the
    caller to send (with its audit record) instead of being run now; rows loaded in the session then stay stale.
    `months` are the person's pension months if the caller has read them (pension_history), with the months it is
    about to write under negative ids: their holdings come back in the moves (none moved: where they were paid),
    and no statement re-homes them. `history` is the person's pension history if the caller has read it
    (pension_history): its transfers are used, and its months unless `months` are given; else it is read here.

    A month handed to or received from another instance keeps its holding; so does one held at a place that
    neither its payment nor a completed transfer explains (moved there by another instance's message).
    """
    if history is None:
        history = pension_history(session, person.id)
    if months is None:
        months = history.months
    transfers = _transfers(history.transfers, completing)
    local = {t.to_region for t in transfers}
    relation = session.get(PensionRelationRow, person.id)
    if relation is not None and relation.drawing_region is not None:
        raise RegistryError(refusal(RefusalCode.DRAWS_PENSION))
    facts = [
        rules.PensionMonth(
            m.id,
            m.period,
            m.paid_region,
            (m.held_region, m.temporary) if m.foreign or m.held_region not in local | {m.paid_region} else None,
        )
        for m in months
    ]
    try:
        state = rules.replay_pension(person.sex, person.birth_date, person.hukou_region, facts, transfers)
    except rules.TransferConflict as exc:
        raise RegistryError(str(exc)) from exc
    key = person.person_key
    amounts: dict[tuple[str, str], int] = defaultdict(int)
    moved: dict[int, Move] = {}
    for m in months:
        target = state.held[m.id]
        if target == (m.held_region, m.temporary):
            continue
        (src, src_temp), (dst, dst_temp) = (m.held_region, m.temporary), target
        individual = rules.share(m.base_fen, rates.individual_rate_permille(m.period))
        for region, temporary, sign in ((src, src_temp, -1), (dst, dst_temp, 1)):
            suffix = "_temp" if temporary else ""
            amounts[(person_account(key, f"pension_months{suffix}", region), "month")] += sign
            amounts[(person_account(key, f"pension_individual{suffix}", region), "fen")] += sign * individual
        pooled = rules.pooled_share(m.period, m.base_fen) if src != dst else 0
        amounts[(f"F:pension_pooled:{src}", "fen")] -= pooled
        amounts[(f"F:pension_pooled:{dst}", "fen")] += pooled
        moved[m.id] = Move((src, src_temp), target, individual, pooled)
    by_target: dict[rules.Holding, list[int]] = defaultdict(list)
    for row_id, move in moved.items():
        if row_id > 0:  # a month about to be written is written where it belongs
            by_target[move.dst].append(row_id)
    if deferred is not None:
        postgres = session.get_bind().dialect.name == "postgresql"
        deferred += _holding_writes(postgres, person, by_target, relation, state)
    else:
        for (region, temporary), ids in sorted(by_target.items()):
            session.execute(
                update(ContributionMonthRow)
                .where(ContributionMonthRow.id.in_(ids))
                .values(held_region=region, temporary=temporary)
                .execution_options(synchronize_session="evaluate")
            )
        if state.region is not None and relation is None:
            session.add(
                PensionRelationRow(
                    person_id=person.id, region=state.region, temp_region=state.temp_region, drawing_region=None
                )
            )
        elif state.region is not None and relation is not None:
            relation.region, relation.temp_region = state.region, state.temp_region
    legs = [Leg(account, amount, unit) for (account, unit), amount in sorted(amounts.items()) if amount]
    return legs, moved


def moved_totals(moved: dict[int, Move], into: str) -> dict[str, int]:
    """Months, individual-account and pooled amounts that the moves brought into `into` from another place."""
    into_here = [m for m in moved.values() if m.dst[0] == into and m.src[0] != into]
    return {
        "months": len(into_here),
        "individual_fen": sum(m.individual_fen for m in into_here),
        "pooled_fen": sum(m.pooled_fen for m in into_here),
    }
