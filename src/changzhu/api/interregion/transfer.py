"""The account transfer (跨省转移接续): a person's contribution record and school record (学籍) move with them.

The origin packs what it holds for the person into one message and hands it over in its ledger in the same
transaction (balances move to the destination city's accounts, the pension money to the peer); the destination
registers the person (or finds them by identity number) and takes records and balances in through balanced
ledger postings, once per message id. Both ledgers stay consistent (changzhu.ledger.checks.ledger_problems).
A person handed over from here before who comes back is taken back (moveout.take_back): the months and school
years this ledger still has for her (held by the city she went to) are re-homed, never stored twice; only what is
new comes from the peer's clearing accounts.

The caller packs with the person's row locked (FOR UPDATE; the write lock on SQLite), so two concurrent transfers
of one person cannot both pack the same records: the second finds nothing held here and is refused. A message
the destination refuses is reversed here (`reverse`): the hand-over's entries are negated in a new audited
transaction and the records come back, so nothing is lost between the two ledgers.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from typing import Any, cast

from sqlalchemy import Table, bindparam, insert, select, update
from sqlalchemy.orm import Session

from changzhu.api.interregion import moveout
from changzhu.api.interregion.periods import FIELD as PERIODS
from changzhu.api.interregion.periods import reported_periods, residence_periods
from changzhu.api.interregion.protocol import Message, register_handler
from changzhu.domain.refusals import CodedError, RefusalCode, refusal
from changzhu.ledger import pension_rules
from changzhu.ledger.accounts import Leg, balances, person_account, post
from changzhu.ledger.pension_holdings import reconcile_pension
from changzhu.ledger.vouchers import HAND_OVER_KEY
from changzhu.registry.identity import identity_keys, parse_id_number
from changzhu.registry.residents import ProofKind, Registration, register_in_session
from changzhu.store import audit
from changzhu.store.checks import check_region
from changzhu.store.resident_models import (
    ContributionMonthRow,
    LedgerAccountRow,
    LedgerEntryRow,
    LedgerTransactionRow,
    PersonRow,
    ResidenceEventRow,
    SchoolRecordRow,
)

KIND = "account_transfer"
SEND_KEY, RECEIVE_KEY, REVERSE_KEY = HAND_OVER_KEY, "interregion:", "interregion-reverse:"
REPLAY_KEY = "interregion-reverse-replay:"


_MONTHS = cast(Table, ContributionMonthRow.__table__)
# Built once: the SQL is compiled once per engine and reused.
_MONTH_COLUMNS = (
    _MONTHS.c.id,
    _MONTHS.c.person_id,
    _MONTHS.c.scheme,
    _MONTHS.c.period,
    _MONTHS.c.paid_region,
    _MONTHS.c.held_region,
    _MONTHS.c.base_fen,
    _MONTHS.c.temporary,
)
_HELD_MONTHS = select(*_MONTH_COLUMNS).where(
    _MONTHS.c.person_id == bindparam("person_id"), _MONTHS.c.held_region == bindparam("held_region")
)
_PERSON_MONTHS = select(*_MONTH_COLUMNS).where(_MONTHS.c.person_id == bindparam("person_id"))
_MONTHS_BY_ID = select(*_MONTH_COLUMNS).where(_MONTHS.c.id.in_(bindparam("ids", expanding=True)))
_REHOME = (
    update(_MONTHS).where(_MONTHS.c.id.in_(bindparam("ids", expanding=True))).values(held_region=bindparam("region"))
)


class TransferRefused(CodedError):
    """A transfer that cannot be carried (wrong destination, nothing held here)."""


class ReversalRefused(TransferRefused):
    """A hand-over that can no longer be undone here: what it moved has moved on (the person came back)."""

    http_status = 409


def _ledger_txn(
    session: Session, key: str, kind: str, request_hash: str, actor: str, result: dict[str, Any]
) -> LedgerTransactionRow:
    txn = LedgerTransactionRow(
        idempotency_key=key,
        kind=kind,
        request_hash=request_hash,
        result=result,
        actor=actor,
        created_at=audit.now_iso(),
    )
    session.add(txn)
    session.flush()
    return txn


def _hand_over_legs(
    session: Session, person: PersonRow, months: Sequence[Any], school_years: int, peer: str, to_city: str
) -> tuple[list[Leg], int, int]:
    """Legs moving the records to `to_city` and the pension money out to the peer; (legs, individual, pooled)."""
    key, here = person.person_key, person.residence_region
    groups: dict[tuple[str, bool], list[Any]] = defaultdict(list)  # rows of _HELD_MONTHS
    for m in months:
        groups[(m.scheme, m.temporary)].append(m)
    legs = [
        Leg(person_account(key, "school_years", here), -school_years, "year"),
        Leg(person_account(key, "school_years", to_city), school_years, "year"),
    ]
    individual = pooled = 0
    suffixes = ["_temp" if temporary else "" for scheme, temporary in groups if scheme == "pension"]
    accounts = [person_account(key, f"pension_individual{suffix}", here) for suffix in suffixes]
    held = balances(session, accounts)  # one statement for the individual accounts
    for (scheme, temporary), group in sorted(groups.items()):
        kind = f"{scheme}_months{'_temp' if temporary else ''}"
        legs += [
            Leg(person_account(key, kind, here), -len(group), "month"),
            Leg(person_account(key, kind, to_city), len(group), "month"),
        ]
        if scheme == "pension":
            account = person_account(key, f"pension_individual{'_temp' if temporary else ''}", here)
            moved = held[account]
            share = pension_rules.pooled_transfer([(m.period, m.base_fen) for m in group])
            legs += [
                Leg(account, -moved, "fen"),
                Leg(f"F:pension_pooled:{here}", -share, "fen"),
                Leg(f"X:interregion_fen:{peer}", moved + share, "fen"),
            ]
            individual, pooled = individual + moved, pooled + share
    return legs, individual, pooled


def pack(
    session: Session,
    person: PersonRow,
    from_region: str,
    to_region: str,
    to_city: str,
    moved_on: date,
) -> Message:
    """The message carrying `person`'s records held here, handed over to `to_city` in the ledger (same transaction).

    Month and school-year balances move to the destination city's accounts (the records stay here as history,
    held by `to_city`); the pension individual account and the pooled share (国办发〔2009〕66号) leave for the peer.
    """
    if to_city[:2] != to_region[:2]:
        raise TransferRefused(refusal(RefusalCode.CITY_OUTSIDE_DESTINATION, city=to_city, region=to_region))
    keys = identity_keys()
    id_number = keys.decrypt(person.id_cipher, person.id_hash)
    here = person.residence_region
    schools = list(
        session.scalars(
            select(SchoolRecordRow).where(SchoolRecordRow.person_id == person.id, SchoolRecordRow.held_region == here)
        )
    )
    months = list(session.execute(_HELD_MONTHS, {"person_id": person.id, "held_region": here}))
    if not schools and not months:
        raise TransferRefused(refusal(RefusalCode.NOTHING_TO_TRANSFER, region=here))
    message_id = uuid.uuid4().hex
    legs, individual, pooled = _hand_over_legs(session, person, months, len(schools), to_region, to_city)
    voucher_legs, vouchers = moveout.cancel_vouchers(session, person)
    payload: dict[str, Any] = {
        "id_number": id_number,
        "hukou_region": person.hukou_region,
        "to_city": to_city,
        "moved_on": moved_on.isoformat(),
        "pension_individual_fen": individual,
        "pension_pooled_fen": pooled,
        "school_records": [
            {"school_year": s.school_year, "grade": s.grade, "school": s.school, "enrolled_region": s.enrolled_region}
            for s in schools
        ],
        "contributions": [
            {"scheme": m.scheme, "period": m.period, "paid_region": m.paid_region, "base_fen": m.base_fen}
            for m in months
        ],
        "vouchers_cancelled": [{k: v[k] for k in ("service", "value_fen", "issuer_region")} for v in vouchers],
        PERIODS: residence_periods(session, person.id, moved_on),  # the receiving city shows them as reported
    }
    message = Message(message_id, from_region, to_region, KIND, payload)
    result = {
        "message_id": message_id,
        "from_region": here,
        "to_city": to_city,
        "school_record_ids": [s.id for s in schools],
        "contribution_month_ids": [m.id for m in months],
        "vouchers_cancelled": vouchers,
        "person_id": person.id,
        "residence_before": moveout.move_out(session, person, to_city, moved_on, message_id),
    }
    txn = _ledger_txn(session, SEND_KEY + message_id, "interregion.send", message.payload_hash(), "system", result)
    post(session, txn.id, legs + voucher_legs)
    for school in schools:
        school.held_region = to_city
    _rehome(session, [m.id for m in months], to_city)
    return message


def _rehome(session: Session, month_ids: list[int], region: str) -> None:
    """Contribution months now held by `region` (one statement)."""
    if month_ids:
        session.execute(_REHOME, {"ids": month_ids, "region": region})


def ledger_transaction(session: Session, key: str) -> tuple[LedgerTransactionRow | None, Sequence[Any]]:
    """The ledger transaction stored under idempotency key `key` and its entries in order, each with its account:
    code, kind, region, person_id, amount, unit (the one read of a message's transaction: the crossings a statement
    shows, the reconciliation's amounts, a reversal)."""
    txn = session.scalar(select(LedgerTransactionRow).where(LedgerTransactionRow.idempotency_key == key))
    if txn is None:
        return None, []
    account = (LedgerAccountRow.code, LedgerAccountRow.kind, LedgerAccountRow.region, LedgerAccountRow.person_id)
    rows = session.execute(
        select(*account, LedgerEntryRow.amount, LedgerEntryRow.unit)
        .join(LedgerAccountRow, LedgerAccountRow.id == LedgerEntryRow.account_id)
        .where(LedgerEntryRow.transaction_id == txn.id)
        .order_by(LedgerEntryRow.id)
    ).all()
    return txn, rows


def transaction_entries(session: Session, key: str) -> tuple[LedgerTransactionRow | None, list[Leg]]:
    """The ledger transaction stored under idempotency key `key` and its entries as legs."""
    txn, rows = ledger_transaction(session, key)
    return txn, [Leg(row.code, int(row.amount), row.unit) for row in rows]


def reverse(session: Session, message_id: str, actor: str, why: str) -> dict[str, Any]:
    """Undo the hand-over of a message the destination did not apply: negated entries, records back here, the
    person a resident here again (moveout.move_back) and their cancelled vouchers issued again.

    Runs in the caller's transaction, once per message (the reversal's idempotency key is unique).
    """
    sent, legs = transaction_entries(session, SEND_KEY + message_id)
    if sent is None:
        raise TransferRefused(f"no hand-over of message {message_id} in this ledger")
    result = dict(sent.result)
    from_region, to_city = str(result["from_region"]), str(result["to_city"])
    school_ids = [int(i) for i in result["school_record_ids"]]  # type: ignore[attr-defined]
    month_ids = [int(i) for i in result["contribution_month_ids"]]  # type: ignore[attr-defined]
    schools = list(session.scalars(select(SchoolRecordRow).where(SchoolRecordRow.id.in_(school_ids))))
    months = list(session.execute(_MONTHS_BY_ID, {"ids": month_ids}))
    _refuse_after_return(session, result, message_id)
    if any(h != to_city for h in [s.held_region for s in schools] + [m.held_region for m in months]):
        raise ReversalRefused(refusal(RefusalCode.REVERSAL_RECORDS_MOVED_ON, region=to_city))
    reversal = {
        "message_id": message_id,
        "reason": why[:300],
        "school_records": len(schools),
        "contribution_months": len(months),
    }
    txn = _ledger_txn(session, REVERSE_KEY + message_id, "interregion.reverse", sent.request_hash, actor, reversal)
    post(session, txn.id, [Leg(leg.account, -leg.amount, leg.unit) for leg in legs])
    for school in schools:
        school.held_region = from_region
    _rehome(session, [m.id for m in months], from_region)
    moveout.restore_vouchers(session, [str(v["voucher_no"]) for v in result.get("vouchers_cancelled", [])])  # type: ignore[attr-defined]
    if "residence_before" in result:  # hand-overs made before 0016 did not move the person out
        before = dict(result["residence_before"])  # type: ignore[call-overload]
        moveout.move_back(session, int(result["person_id"]), before, message_id)  # type: ignore[call-overload]
    if any(m.scheme == "pension" for m in months):  # back here, the months follow the recorded facts again
        _replay_after_reversal(session, months[0].person_id, message_id, sent.request_hash, actor)
    return reversal


def _refuse_after_return(session: Session, result: dict[str, Any], message_id: str) -> None:
    """Refuse to undo a hand-over the person no longer stands moved out by: she came back since (a later message
    of the peer took her back here, `moveout.take_back`), which shows that the peer took this one in. Undoing it
    would put her residence back to before the first move and the records her return brought home back to the
    place she left, counted twice; the message is settled by sending it again (the peer answers with its receipt)."""
    if "residence_before" not in result:  # hand-overs made before 0016 did not move the person out
        return
    person = session.get(PersonRow, int(result["person_id"]))
    if person is None or person.moved_out_by == message_id:
        return
    back = session.execute(
        select(ResidenceEventRow.from_region, ResidenceEventRow.on_date)
        .where(ResidenceEventRow.person_id == person.id, ResidenceEventRow.kind == moveout.MOVE_IN_RETURN)
        .order_by(ResidenceEventRow.id.desc())
        .limit(1)
    ).first()
    if back is None:
        raise ReversalRefused(refusal(RefusalCode.REVERSAL_RECORDS_MOVED_ON, region=str(result["to_city"])))
    raise ReversalRefused(refusal(RefusalCode.REVERSAL_AFTER_RETURN, on=back[1].isoformat(), region=str(back[0])))


def _replay_after_reversal(session: Session, person_id: int, message_id: str, request_hash: str, actor: str) -> None:
    """Pension months returned by a reversal go where the completed local transfers put them (own transaction)."""
    person = session.get(PersonRow, person_id)
    assert person is not None
    session.flush()
    legs, _moved = reconcile_pension(session, person)
    if legs:
        txn = _ledger_txn(session, REPLAY_KEY + message_id, "pension.replay", request_hash, actor, {})
        post(session, txn.id, legs)


def _coming_back(
    session: Session, person: PersonRow, months: list[Any], schools: list[Any], to_city: str
) -> tuple[list[Any], list[SchoolRecordRow]]:
    """The rows this instance already has for months and school years that arrived: records it handed over before
    (held by a city of another province since) coming back. One held by a city of this instance is refused: a month
    or school year is held once."""
    arrived = {(str(m["scheme"]), int(m["period"])) for m in months}
    years = {int(s["school_year"]) for s in schools}
    held_months = [
        m for m in session.execute(_PERSON_MONTHS, {"person_id": person.id}) if (m.scheme, m.period) in arrived
    ]
    held_schools = [
        s
        for s in session.scalars(select(SchoolRecordRow).where(SchoolRecordRow.person_id == person.id))
        if s.school_year in years
    ]
    holders = [str(m.held_region) for m in held_months] + [s.held_region for s in held_schools]
    here = sorted({region for region in holders if region[:2] == to_city[:2]})
    if here:
        raise TransferRefused(f"months or school years of the message are held here already (by {', '.join(here)})")
    return held_months, held_schools


def _return_legs(key: str, months: list[Any], schools: list[SchoolRecordRow], to_city: str) -> list[Leg]:
    """Legs bringing records handed over before back to `to_city` from the city that held them (each row's own
    account kind: a temporary-account month stays one)."""
    moved: dict[tuple[str, str, str], int] = defaultdict(int)
    for m in months:
        moved[(f"{m.scheme}_months{'_temp' if m.temporary else ''}", m.held_region, "month")] += 1
    for s in schools:
        moved[("school_years", s.held_region, "year")] += 1
    return [
        leg
        for (kind, held, unit), n in sorted(moved.items())
        for leg in (Leg(person_account(key, kind, held), -n, unit), Leg(person_account(key, kind, to_city), n, unit))
    ]


def _take_in(
    session: Session, txn: LedgerTransactionRow, person: PersonRow, p: dict[str, Any], sender: str, to_city: str
) -> None:
    """Records and balanced legs for what arrived: months and school years new here from the peer, those handed
    over from here before back at `to_city` (their rows re-homed, never stored twice), and the pension money."""
    key = person.person_key
    back_months, back_schools = _coming_back(session, person, p["contributions"], p["school_records"], to_city)
    returned, years_back = {(m.scheme, m.period) for m in back_months}, {s.school_year for s in back_schools}
    schools = [s for s in p["school_records"] if int(s["school_year"]) not in years_back]
    months = [m for m in p["contributions"] if (str(m["scheme"]), int(m["period"])) not in returned]
    legs = [
        Leg(f"X:interregion_school:{sender}", -len(schools), "year"),
        Leg(person_account(key, "school_years", to_city), len(schools), "year"),
    ]
    by_scheme: dict[str, int] = defaultdict(int)
    for m in months:
        by_scheme[str(m["scheme"])] += 1
    for scheme, n in sorted(by_scheme.items()):
        legs += [
            Leg(f"X:interregion_periods:{sender}", -n, "month"),
            Leg(person_account(key, f"{scheme}_months", to_city), n, "month"),
        ]
    legs += _return_legs(key, back_months, back_schools, to_city)
    individual, pooled = int(p.get("pension_individual_fen", 0)), int(p.get("pension_pooled_fen", 0))
    legs += [
        Leg(f"X:interregion_fen:{sender}", -(individual + pooled), "fen"),
        Leg(person_account(key, "pension_individual", to_city), individual, "fen"),
        Leg(f"F:pension_pooled:{to_city}", pooled, "fen"),
    ]
    post(session, txn.id, legs)
    for school in back_schools:
        school.held_region = to_city
    _rehome(session, [m.id for m in back_months], to_city)
    session.add_all(
        SchoolRecordRow(
            person_id=person.id,
            school_year=int(s["school_year"]),
            grade=int(s["grade"]),
            school=str(s["school"]),
            enrolled_region=str(s["enrolled_region"]),
            held_region=to_city,
        )
        for s in schools
    )
    rows = [
        {
            "person_id": person.id,
            "scheme": str(m["scheme"]),
            "period": int(m["period"]),
            "paid_region": str(m["paid_region"]),
            "held_region": to_city,
            "base_fen": int(m["base_fen"]),
            "temporary": False,
            "transaction_id": txn.id,
        }
        for m in months
    ]
    if rows:
        session.execute(insert(_MONTHS), rows)


def _came_from(periods: list[dict[str, str]], sender: str, moved_on: date) -> tuple[str, date] | None:
    """The city a returning person leaves and since when she lived there, by the sender's register: the last period
    its message reports, if it is a city of the sender's province that ends on the move date; else None (a message
    without periods, from an instance that did not send them yet)."""
    if not periods:
        return None
    last = periods[-1]
    since = date.fromisoformat(last["from"])
    if last["region"][:2] != sender[:2] or last["to"] != moved_on.isoformat() or since > moved_on:
        return None
    return last["region"], since


def _receive(session: Session, message: Message, sender: str) -> tuple[int | None, dict[str, Any]]:
    p = message.payload
    try:
        to_city = check_region(session, str(p["to_city"]), "to_city")
        number = parse_id_number(str(p["id_number"]))
        moved_on = date.fromisoformat(str(p["moved_on"]))
        list(p["school_records"]), list(p["contributions"])
        periods = reported_periods(p)
    except (KeyError, ValueError, TypeError) as exc:
        raise TransferRefused(f"transfer payload is incomplete or malformed: {exc}") from exc
    if to_city[:2] != message.to_region[:2]:
        raise TransferRefused(f"destination city {to_city} is not served by this instance ({message.to_region})")
    lookup = identity_keys().lookup_hash(number)
    person = session.scalar(select(PersonRow).where(PersonRow.id_hash == lookup))
    if person is None:
        reg = Registration(
            number.value,
            str(p["hukou_region"]),
            to_city,
            moved_on,
            ProofKind.HOUSING,
            f"跨省通办 {message.message_id[:16]}",
            {},
        )
        person = register_in_session(session, reg)
    elif person.moved_out_by is not None:  # handed over from here before and coming back: her record opens again
        moveout.take_back(session, person, to_city, moved_on, message.message_id, _came_from(periods, sender, moved_on))
    receipt = {
        "person_key": person.person_key,
        "school_records": len(p["school_records"]),
        "contribution_months": len(p["contributions"]),
        "vouchers_cancelled": list(p.get("vouchers_cancelled", [])),  # at the sender: told to the person here too
        PERIODS: periods,  # kept with the receipt: the person's page shows them as the sending authority's report
    }
    txn = _ledger_txn(
        session,
        RECEIVE_KEY + message.message_id,
        "interregion.receive",
        message.payload_hash(),
        f"peer:{sender}",
        receipt,
    )
    try:
        _take_in(session, txn, person, p, sender, to_city)
    except (KeyError, ValueError, TypeError) as exc:
        raise TransferRefused(f"transfer payload has a malformed record: {exc}") from exc
    return person.id, receipt


register_handler(KIND, _receive)
