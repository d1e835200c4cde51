"""The sender's side of a 跨省通办 move: the person's residence here ends on the move date and their vouchers are
cancelled, in the hand-over's transaction; a reversed hand-over makes them a resident here again with the vouchers.

Residence: a `move_out` event (to the destination city, on the move date, the message id as its proof) is added,
the person's residence becomes the destination city (the old place their prior region) and `moved_out_by` names the
message, so every write to the record here is refused (store/checks.py) and staff of the old place read it as
history (api/access.py). Nothing is deleted: a reversal adds a `move_out_undone` event and puts back what was there.
A person handed over who later comes back by a peer's message is taken back (`take_back`): a `move_in_return`
event, the residence the receiving city from the move date, `moved_out_by` cleared (docs/ledger.md, "Coming back").

Vouchers (docs/ledger.md, "Vouchers"): a voucher is paid by its issuing region through a clearing between regions of
one ledger; no such clearing crosses instances, so at the hand-over each voucher still issued is cancelled, its
value back to the issuer's voucher budget (legs of the hand-over, so a reversal negates them), and the message
tells the receiving instance what was cancelled, so that the person is told at both ends.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from changzhu.domain.refusals import RefusalCode, refusal
from changzhu.ledger.accounts import Leg
from changzhu.ledger.vouchers import CANCELLED
from changzhu.registry.residents import months_between
from changzhu.store.checks import RegistryError
from changzhu.store.resident_models import PersonRow, ResidenceEventRow, VoucherRow

MOVE_OUT, MOVE_OUT_UNDONE, MOVE_IN_RETURN = "move_out", "move_out_undone", "move_in_return"
PROOF = "interregion"  # the proof kind of both events: the message id is the proof reference


def move_out(session: Session, person: PersonRow, to_city: str, moved_on: date, message_id: str) -> dict[str, Any]:
    """End the person's residence here on `moved_on` (they live in `to_city` from then); what it was, to restore."""
    before = {
        "residence_region": person.residence_region,
        "residence_since": person.residence_since.isoformat(),
        "residence_permit_since": None
        if person.residence_permit_since is None
        else person.residence_permit_since.isoformat(),
        "prior_region": person.prior_region,
        "prior_residence_months": person.prior_residence_months,
    }
    _relocate(session, person, MOVE_OUT, to_city, moved_on, message_id)
    person.moved_out_by = message_id
    return before


def take_back(
    session: Session,
    person: PersonRow,
    to_city: str,
    moved_on: date,
    message_id: str,
    came_from: tuple[str, date] | None = None,
) -> None:
    """A person this instance handed over before comes back (message `message_id` of the peer): they live in
    `to_city` from `moved_on` (a `move_in_return` event; the place they left their prior region) and their record
    here takes writes again. Their earlier events stay as history. `came_from`: the city they leave and since when
    they lived there, as the peer's register says (the last residence period its message carries: they may have
    moved on from the city this instance sent them to); None, the city this instance sent them to."""
    if came_from is not None:
        person.residence_region, person.residence_since = came_from
    _relocate(session, person, MOVE_IN_RETURN, to_city, moved_on, message_id)
    person.moved_out_by = None


def _relocate(session: Session, person: PersonRow, kind: str, to_city: str, moved_on: date, message_id: str) -> None:
    """The person lives in `to_city` from `moved_on` (event `kind`, the message id its proof); the place they left
    becomes their prior region, its months their prior residence months; no residence permit held. Refused for a
    move date before the residence it ends."""
    if moved_on < person.residence_since:
        raise RegistryError(
            refusal(RefusalCode.MOVE_BEFORE_RESIDENCE, on=moved_on.isoformat(), region=person.residence_region)
        )
    session.add(
        ResidenceEventRow(
            person_id=person.id,
            kind=kind,
            from_region=person.residence_region,
            to_region=to_city,
            on_date=moved_on,
            proof_kind=PROOF,
            proof_ref=message_id,
        )
    )
    person.prior_region = person.residence_region
    person.prior_residence_months = months_between(person.residence_since, moved_on)
    person.residence_region, person.residence_since = to_city, moved_on
    person.residence_permit_since = None


def move_back(session: Session, person_id: int, before: dict[str, Any], message_id: str) -> None:
    """Undo `move_out` of message `message_id`: the person lives here again as before; both events stay."""
    person = session.get(PersonRow, person_id)
    assert person is not None
    session.add(
        ResidenceEventRow(
            person_id=person.id,
            kind=MOVE_OUT_UNDONE,
            from_region=person.residence_region,
            to_region=str(before["residence_region"]),
            on_date=person.residence_since,
            proof_kind=PROOF,
            proof_ref=message_id,
        )
    )
    permit = before["residence_permit_since"]
    person.residence_region = str(before["residence_region"])
    person.residence_since = date.fromisoformat(str(before["residence_since"]))
    person.residence_permit_since = None if permit is None else date.fromisoformat(str(permit))
    person.prior_region = None if before["prior_region"] is None else str(before["prior_region"])
    person.prior_residence_months = int(before["prior_residence_months"])
    person.moved_out_by = None


def cancel_vouchers(session: Session, person: PersonRow) -> tuple[list[Leg], list[dict[str, Any]]]:
    """The person's vouchers still issued, cancelled: legs returning each value to its issuer's voucher budget, and
    what each was (number, service, value, issuer, expiry), for the hand-over's result and the message."""
    vouchers = list(
        session.scalars(
            select(VoucherRow)
            .where(VoucherRow.holder_id == person.id, VoucherRow.status == "issued")
            .order_by(VoucherRow.id)
            .with_for_update()
        )
    )
    legs: list[Leg] = []
    cancelled = []
    for v in vouchers:
        legs += [
            Leg(f"V:outstanding:{v.issuer_region}", -v.value_fen, "fen"),
            Leg(f"B:vouchers:{v.issuer_region}", v.value_fen, "fen"),
        ]
        cancelled.append(
            {
                "voucher_no": v.voucher_no,
                "service": v.service,
                "value_fen": v.value_fen,
                "issuer_region": v.issuer_region,
                "expires_on": v.expires_on.isoformat(),
            }
        )
        v.status = CANCELLED
    return legs, cancelled


def restore_vouchers(session: Session, voucher_nos: list[str]) -> None:
    """Vouchers cancelled by a hand-over that was reversed are issued again (their values come back by the negated
    legs of the hand-over)."""
    if voucher_nos:
        session.execute(
            update(VoucherRow)
            .where(VoucherRow.voucher_no.in_(voucher_nos), VoucherRow.status == CANCELLED)
            .values(status="issued")
        )
