"""The account transfer (跨省转移接续): a person's contribution record and school record (学籍) move with them.

The origin packs what it holds for the person into one message and marks it as handed over in the same
transaction; the destination registers the person (or finds them by identity number) and takes the records
in, once per message id.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from changzhu.api.interregion.protocol import Message, register_handler
from changzhu.errors import ChangzhuError
from changzhu.registry import audit
from changzhu.registry.identity import identity_keys, parse_id_number
from changzhu.registry.resident_models import ContributionMonthRow, LedgerTransactionRow, PersonRow, SchoolRecordRow
from changzhu.registry.residents import ProofKind, Registration, check_region, register_in_session

KIND = "account_transfer"


class TransferRefused(ChangzhuError):
    """A transfer that cannot be carried (wrong destination, nothing held here)."""


def pack(
    session: Session,
    person: PersonRow,
    from_region: str,
    to_region: str,
    to_city: str,
    moved_on: date,
) -> Message:
    """The message carrying `person`'s records held here; the records are marked as handed over to `to_city`."""
    if to_city[:2] != to_region[:2]:
        raise TransferRefused(f"destination city {to_city} is not in the destination region {to_region}")
    keys = identity_keys()
    id_number = keys.decrypt(person.id_cipher, person.id_hash)
    schools = list(
        session.scalars(
            select(SchoolRecordRow).where(
                SchoolRecordRow.person_id == person.id, SchoolRecordRow.held_region == person.residence_region
            )
        )
    )
    months = list(
        session.scalars(
            select(ContributionMonthRow).where(
                ContributionMonthRow.person_id == person.id, ContributionMonthRow.held_region == person.residence_region
            )
        )
    )
    payload: dict[str, Any] = {
        "id_number": id_number,
        "hukou_region": person.hukou_region,
        "to_city": to_city,
        "moved_on": moved_on.isoformat(),
        "school_records": [
            {"school_year": s.school_year, "grade": s.grade, "school": s.school, "enrolled_region": s.enrolled_region}
            for s in schools
        ],
        "contributions": [
            {"scheme": m.scheme, "period": m.period, "paid_region": m.paid_region, "base_fen": m.base_fen}
            for m in months
        ],
    }
    for school in schools:
        school.held_region = to_city
    for month in months:
        month.held_region = to_city
    return Message(uuid.uuid4().hex, from_region, to_region, KIND, payload)


def _receive(session: Session, message: Message, sender: str) -> tuple[int | None, dict[str, Any]]:
    p = message.payload
    try:
        to_city = check_region(session, str(p["to_city"]), "to_city")
        number = parse_id_number(str(p["id_number"]))
        moved_on = date.fromisoformat(str(p["moved_on"]))
        schools, months = list(p["school_records"]), list(p["contributions"])
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
    txn = LedgerTransactionRow(
        idempotency_key=f"interregion:{message.message_id}",
        kind="interregion.receive",
        request_hash=message.payload_hash(),
        result={},
        actor=f"peer:{sender}",
        created_at=audit.now_iso(),
    )
    session.add(txn)
    session.flush()
    for s in schools:
        session.add(
            SchoolRecordRow(
                person_id=person.id,
                school_year=int(s["school_year"]),
                grade=int(s["grade"]),
                school=str(s["school"]),
                enrolled_region=str(s["enrolled_region"]),
                held_region=to_city,
            )
        )
    for m in months:
        session.add(
            ContributionMonthRow(
                person_id=person.id,
                scheme=str(m["scheme"]),
                period=int(m["period"]),
                paid_region=str(m["paid_region"]),
                held_region=to_city,
                base_fen=int(m["base_fen"]),
                temporary=False,
                transaction_id=txn.id,
            )
        )
    receipt = {"person_key": person.person_key, "school_records": len(schools), "contribution_months": len(months)}
    txn.result = receipt
    return person.id, receipt


register_handler(KIND, _receive)
