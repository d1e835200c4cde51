"""Who may change what: every write is checked against the jurisdictions of the resource it changes.

A person's record belongs to the place they live now; a voucher to the region that funds it; a medical
settlement to the fund of the place where the person is insured; a transfer to both of its ends. Writes never
widen who may read a person (docs/api.md, "Who may change what").
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from changzhu.api.access import STAFF_WITH_PERSONAL_ACCESS, may_see, person_not_in_reach
from changzhu.api.auth.principal import Principal
from changzhu.api.errors import Forbidden
from changzhu.domain.refusals import RefusalCode, refusal
from changzhu.errors import ChangzhuError
from changzhu.registry.identity import IdNumber, identity_keys
from changzhu.store.checks import PersonMovedOut, UnknownPerson, refuse_moved_out, unknown_person
from changzhu.store.db import session_scope
from changzhu.store.resident_models import ContributionMonthRow, PersonRow, SchoolRecordRow


@dataclass(frozen=True)
class PersonFacts:
    """The facts of a person that decide who may write to their record."""

    id: int
    person_key: str
    hukou_region: str
    residence_region: str


def person_facts(engine: Engine, person_key: str) -> PersonFacts:
    """The person's id and regions; UnknownPerson (404) if no one has this key."""
    with session_scope(engine) as session:
        row = session.execute(
            select(PersonRow.id, PersonRow.hukou_region, PersonRow.residence_region).where(
                PersonRow.person_key == person_key
            )
        ).first()
    if row is None:
        raise unknown_person(person_key)
    return PersonFacts(int(row[0]), person_key, str(row[1]), str(row[2]))


def require_staff(principal: Principal) -> None:
    """Only caseworkers and administrators change personal records."""
    principal.require_role(*STAFF_WITH_PERSONAL_ACCESS)


def named_person(engine: Engine, person_key: str) -> PersonFacts:
    """The person a staff write names; a key no one has gets the one not-in-reach answer (404), as a person the
    caller may not reach will."""
    try:
        return person_facts(engine, person_key)
    except UnknownPerson:
        raise person_not_in_reach(person_key) from None


def staff_over_resident(engine: Engine, principal: Principal, person_key: str) -> PersonFacts:
    """The person, if they live in the caller's jurisdiction and the caller is staff; Forbidden for another role,
    and the one not-in-reach answer (404) for a key no one has or a person living elsewhere alike. Staff of the place
    a person handed over to another province's instance left (who read her file as history) are told that she moved
    and where to (409 `person_moved_out`): her record here takes no writes."""
    require_staff(principal)
    person = named_person(engine, person_key)
    if not principal.covers(person.residence_region):
        refuse_move_to_reader(engine, principal, person.id)
        raise person_not_in_reach(person_key)
    return person


def refuse_move_to_reader(engine: Engine, principal: Principal, person_id: int) -> None:
    """PersonMovedOut (where to, since when) if the person was handed over to another province's instance and the
    caller may see her (access.may_see: staff of the place she left read her file); nothing otherwise."""
    with session_scope(engine) as session:
        row = session.get(PersonRow, person_id)
        if row is not None and row.moved_out_by is not None and may_see(session, principal, row):
            refuse_moved_out(row, told=True)


def _tied(session: Session, principal: Principal, person: PersonRow) -> bool:
    """Whether the caller's jurisdiction holds a region of the person's own other than where she lives: her hukou
    region, or a region where months of hers were paid or are held (where she is insured, whose fund holds them),
    or where a school year of hers was recorded or is held."""
    if principal.covers(person.hukou_region):
        return True
    months = select(ContributionMonthRow.paid_region, ContributionMonthRow.held_region).where(
        ContributionMonthRow.person_id == person.id
    )
    schools = select(SchoolRecordRow.enrolled_region, SchoolRecordRow.held_region).where(
        SchoolRecordRow.person_id == person.id
    )
    regions = {str(code) for row in session.execute(months.union(schools)) for code in row if code is not None}
    return any(principal.covers(code) for code in regions)


def moved_out_refusal(engine: Engine, principal: Principal, refused: PersonMovedOut, person_key: str) -> ChangzhuError:
    """What the caller is told of a write refused because the person was handed over to another province's instance
    (docs/api.md, "Who may change what"): a caller who may see her (access.may_see) where she went and since when
    (409 `person_moved_out`); staff tied to her by another of her regions (`_tied`: the hukou region issuing a
    voucher, the insured place filing or approving a claim) that she moved to another province, naming no place
    (409 `person_moved_out_elsewhere`); anyone else the one not-in-reach answer (404), as for a key no one has.
    `refused`: the refusal made at the lock, which names the city."""
    with session_scope(engine) as session:
        person = session.scalar(select(PersonRow).where(PersonRow.person_key == person_key))
        if person is None:
            return person_not_in_reach(person_key)
        if may_see(session, principal, person):
            refused.told = True
            return refused
        if principal.role in STAFF_WITH_PERSONAL_ACCESS and _tied(session, principal, person):
            return PersonMovedOut(refusal(RefusalCode.PERSON_MOVED_OUT_ELSEWHERE), person_key, told=True)
    return person_not_in_reach(person_key)


@contextmanager
def told_of_move(engine: Engine, principal: Principal) -> Iterator[None]:
    """Around a write made for `principal`: a refusal at the person's lock because she was handed over to another
    province's instance (store/checks.py, which knows no caller and names her new city) becomes what this caller
    may be told (`moved_out_refusal`)."""
    try:
        yield
    except PersonMovedOut as exc:
        if exc.person_key is None or exc.told:
            raise
        raise moved_out_refusal(engine, principal, exc, exc.person_key) from None


def refuse_if_handed_over(engine: Engine, principal: Principal, person: PersonFacts) -> None:
    """Before a write for her that takes no lock of hers (an item held for a second approver, which would wait for
    an approval that her lock then refuses): refused if she was handed over to another province's instance, told to
    `principal` as at the lock (`told_of_move`)."""
    with told_of_move(engine, principal), session_scope(engine) as session:
        row = session.get(PersonRow, person.id)
        if row is not None:
            refuse_moved_out(row)


def reaches(engine: Engine, principal: Principal, person: PersonFacts) -> bool:
    """Whether the caller may see the person (the person themself, staff where they live or have a pending
    application to move to: access.may_see), so that a refusal may say why."""
    with session_scope(engine) as session:
        row = session.get(PersonRow, person.id)
        return row is not None and may_see(session, principal, row)


def handed_over(engine: Engine, person: PersonFacts) -> bool:
    """Whether the person was handed over to another province's instance (跨省通办): her record here is history."""
    with session_scope(engine) as session:
        return session.scalar(select(PersonRow.moved_out_by).where(PersonRow.id == person.id)) is not None


def insured_place(engine: Engine, person_id: int, on: date) -> str | None:
    """Where the person is insured for medical care on `on`: where their latest month up to then was paid."""
    month = on.year * 100 + on.month
    with session_scope(engine) as session:
        found = session.scalar(
            select(ContributionMonthRow.paid_region)
            .where(
                ContributionMonthRow.person_id == person_id,
                ContributionMonthRow.scheme == "medical",
                ContributionMonthRow.period <= month,
            )
            .order_by(ContributionMonthRow.period.desc())
            .limit(1)
        )
    return None if found is None else str(found)


def require_insured(
    engine: Engine, person: PersonFacts, insured_region: str, on: date, principal: Principal | None = None
) -> None:
    """Refuse to charge a medical fund for someone not insured in its region on `on`. Where the person is insured
    (or that they are not) is said only to a caller who may see the person (`reaches`); to anyone else the person
    is out of reach, answered as a key no one has (404 `no_person_in_reach`), since a reason would tell them that
    someone has this key."""
    place = insured_place(engine, person.id, on)
    if place != insured_region and principal is not None and not reaches(engine, principal, person):
        raise person_not_in_reach(person.person_key)
    if place != insured_region:
        if place is None:
            raise Forbidden(refusal(RefusalCode.NO_INSURANCE_MONTHS, on=on.isoformat(), region=insured_region))
        raise Forbidden(refusal(RefusalCode.NOT_INSURED_THERE, on=on.isoformat(), insured=place, region=insured_region))


def shows_identity(engine: Engine, person: PersonFacts, id_number: IdNumber) -> bool:
    """Whether `id_number` (as the person shows it at a counter, parsed before the person was looked up, so that
    a malformed one is refused saying nothing of the person) is the one registered for them, by keyed hash."""
    lookup = identity_keys().lookup_hash(id_number)
    with session_scope(engine) as session:
        return session.scalar(select(PersonRow.id_hash).where(PersonRow.id == person.id)) == lookup
