"""Registry operations: register habitual residence (常住地登记), residence permits (居住证), moves,
household links and hukou settlement (落户). Plain functions taking an Engine; bad input raises a
ChangzhuError subclass and changes nothing; every call is idempotent under its key and audited."""

from __future__ import annotations

import calendar
import uuid
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

import polars as pl
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from changzhu.domain.person import INSURANCE_MONTH_COLUMNS, MONTH_COLUMNS, PERSON_SCHEMA
from changzhu.domain.refusals import Refusal, RefusalCode, refusal
from changzhu.parameters import Scenario, parameter_tree
from changzhu.parameters.tree import chain_for
from changzhu.registry.contact import CONTACT_KINDS, contact_hash, normalise, seal
from changzhu.registry.identity import IdentityKeys, identity_keys, parse_id_number
from changzhu.rules.catalog import policies_in_use, resolve
from changzhu.store import audit_subjects
from changzhu.store.audit import now_iso
from changzhu.store.audit_reasons import Reason, because
from changzhu.store.checks import (
    RegistryError,
    UnknownPerson,
    check_regions,
    lock_person,
    refuse_moved_out,
    unknown_person,
)
from changzhu.store.db import session_scope
from changzhu.store.resident_models import (
    MAX_STORED_DATES,
    Fact,
    HouseholdLinkRow,
    LedgerTransactionRow,
    PersonAttributeRow,
    PersonRow,
    ResidenceEventRow,
    ResidencePermitRow,
    TransferRow,
)
from changzhu.store.txn import Operation, Outcome, new_key, run_operation
from changzhu.tables.vocab import dates_value

# person-table columns the registry keeps in its own columns or derives; the rest live in `attributes`
STORED_COLUMNS = frozenset(
    {
        "person_id",
        "sex",
        "birth_date",
        "hukou_region",
        "residence_region",
        "residence_since",
        "residence_permit_since",
        "prior_region",
        "prior_residence_months",
        "parent_id",
    }
)
DERIVED_COLUMNS = frozenset(INSURANCE_MONTH_COLUMNS)  # counted from contribution records, else the facts given
PERMIT_MIN_MONTHS = "residence_permit.min_residence_months"  # the rules' parameter (《居住证暂行条例》 art. 2)
PERMIT_VALID_YEARS = "registry.residence_permit.valid_years"  # endorsed (签注) every year, in the parameter tree


class ProofKind(StrEnum):
    """Proof of habitual residence: legal stable housing, employment, or continuous study."""

    HOUSING = "housing"
    EMPLOYMENT = "employment"
    STUDY = "study"


def years_after(day: date, years: int) -> date:
    """The same day `years` later; the month's last day when it has no such day (29 February → 28 February), as
    《民法典》art. 202 counts periods in years."""
    target = day.year + years
    return date(target, day.month, min(day.day, calendar.monthrange(target, day.month)[1]))


def months_between(start: date, end: date) -> int:
    """Whole months from start to end (0 if end is before start)."""
    months = (end.year - start.year) * 12 + end.month - start.month - (1 if end.day < start.day else 0)
    return max(months, 0)


def fact_types() -> dict[str, pl.DataType]:
    """Every fact the registry keeps as given: the person-table columns it does not keep itself (the insurance
    months among them: they count where no contribution record of the scheme is held, person_frame), and the
    inputs the jurisdictions in use declare."""
    from changzhu.rules.catalog import policies_in_use

    core = {n: t for n, t in PERSON_SCHEMA.items() if n not in STORED_COLUMNS}
    return {**core, **{n: spec.dtype for n, spec in policies_in_use().declared_inputs().items()}}


def _check_attributes(attributes: dict[str, object]) -> dict[str, Fact]:
    """Only facts the registry keeps as given (fact_types), each read as its type (null: not given, unknown)."""
    types = fact_types() if attributes else {}
    clean: dict[str, Fact] = {}
    for name, value in attributes.items():
        if name not in types:
            raise RegistryError(refusal(RefusalCode.NOT_A_STORED_ATTRIBUTE, name=name))
        if types[name] == pl.List(pl.Date) and value is not None:  # a list of dates (a dates input)
            dates = dates_value(value)
            if isinstance(dates, Refusal) or len(dates) > MAX_STORED_DATES:
                raise RegistryError(
                    refusal(RefusalCode.ATTRIBUTE_REFUSED, name=repr(name), why_zh=dates.zh, why_en=dates.en)
                    if isinstance(dates, Refusal)
                    else refusal(RefusalCode.ATTRIBUTE_TOO_MANY_DATES, name=repr(name), limit=MAX_STORED_DATES)
                )
            clean[name] = dates
            continue
        try:
            typed = pl.Series(name, [value]).cast(types[name], strict=True)
        except (pl.exceptions.InvalidOperationError, pl.exceptions.ComputeError) as exc:
            wrong = refusal(
                RefusalCode.ATTRIBUTE_NOT_OF_TYPE, name=repr(name), value=repr(value), dtype=str(types[name])
            )
            raise RegistryError(wrong) from exc
        if isinstance(typed.dtype, pl.Enum):
            typed = typed.cast(pl.String)
        if name in MONTH_COLUMNS and typed[0] is not None and typed[0] < 0:
            raise RegistryError(f"attribute {name!r}: {refusal(RefusalCode.MONTHS_NEGATIVE)}")
        if typed[0] is not None:
            clean[name] = typed.to_list()[0]
    return clean


@dataclass(frozen=True)
class Registration:
    """Arguments of a registration of habitual residence."""

    id_number: str
    hukou_region: str
    residence_region: str
    residence_since: date
    proof_kind: ProofKind
    proof_ref: str
    attributes: dict[str, object]
    name: str | None = None
    phone: str | None = None

    def request(self) -> dict[str, object]:
        """The request as hashed for idempotency: the identity number, name and phone only as keyed hashes."""
        number = parse_id_number(self.id_number)
        contact = {
            kind: contact_hash(kind, normalise(kind, text))
            for kind, text in zip(CONTACT_KINDS, (self.name, self.phone), strict=True)
            if text is not None
        }
        return {
            "id_hash": identity_keys().lookup_hash(number),
            "hukou": self.hukou_region,
            "residence": self.residence_region,
            "since": self.residence_since.isoformat(),
            "proof": [self.proof_kind.value, self.proof_ref],
            "attributes": self.attributes,
            **({"contact": contact} if contact else {}),
        }


def store_contact(person: PersonRow, name: str | None, phone: str | None, keys: IdentityKeys) -> None:
    """Set the person's name and phone (normalised, encrypted, with keyed look-up hashes) where given."""
    if name is not None:
        sealed = seal("name", name, keys)
        person.name_hash, person.name_cipher = sealed.lookup, sealed.cipher
    if phone is not None:
        sealed = seal("phone", phone, keys)
        person.phone_hash, person.phone_cipher = sealed.lookup, sealed.cipher


def register_in_session(session: Session, reg: Registration, today: date | None = None) -> PersonRow:
    """Insert a person and the registration event (no commit): shared by the service call and bulk import."""
    number = parse_id_number(reg.id_number, today=today)
    keys = identity_keys()
    lookup = keys.lookup_hash(number)
    if session.scalar(select(PersonRow.id).where(PersonRow.id_hash == lookup)) is not None:
        raise RegistryError(refusal(RefusalCode.ALREADY_REGISTERED))
    check_regions(session, {"hukou_region": reg.hukou_region, "residence_region": reg.residence_region})
    if reg.residence_since < number.birth_date:
        raise RegistryError(refusal(RefusalCode.RESIDENCE_BEFORE_ID_BIRTH))
    if today is not None and reg.residence_since > today:
        raise RegistryError(refusal(RefusalCode.RESIDENCE_IN_FUTURE))
    if not reg.proof_ref.strip():
        raise RegistryError(refusal(RefusalCode.PROOF_REF_REQUIRED, kind=reg.proof_kind.value))
    person = PersonRow(
        person_key=uuid.uuid4().hex,
        id_hash=lookup,
        id_cipher=keys.encrypt(number),
        sex=number.sex,
        birth_date=number.birth_date,
        hukou_region=reg.hukou_region,
        residence_region=reg.residence_region,
        residence_since=reg.residence_since,
        residence_permit_since=None,
        prior_region=None,
        prior_residence_months=0,
        created_at=now_iso(),
    )
    store_contact(person, reg.name, reg.phone, keys)
    facts = _check_attributes(reg.attributes)
    session.add(person)
    session.flush()
    session.add_all(PersonAttributeRow.of(person.id, name, value) for name, value in facts.items())
    session.add(
        ResidenceEventRow(
            person_id=person.id,
            kind="registration",
            from_region=reg.hukou_region,
            to_region=reg.residence_region,
            on_date=reg.residence_since,
            proof_kind=reg.proof_kind.value,
            proof_ref=reg.proof_ref,
        )
    )
    return person


def register_resident(
    engine: Engine, reg: Registration, *, actor: str, reason: Reason | None = None, key: str | None = None
) -> dict[str, object]:
    """Register a person's habitual residence with its proof; returns {'person_key': ...}."""
    request = reg.request()

    def apply(session: Session, _txn: LedgerTransactionRow) -> Outcome:
        person = register_in_session(session, reg, today=date.today())
        return Outcome(
            {"person_key": person.person_key},
            audit_subjects.person(person.person_key),
            {"residence_region": reg.residence_region, "proof": reg.proof_kind.value},
        )

    return run_operation(
        engine, Operation("register", key or new_key("register"), request, actor, reason or because("register")), apply
    )


def find_person(engine: Engine, id_number: str) -> str:
    """The person key registered for an identity number (looked up by keyed hash)."""
    lookup = identity_keys().lookup_hash(parse_id_number(id_number))
    with session_scope(engine) as session:
        found = session.scalar(select(PersonRow.person_key).where(PersonRow.id_hash == lookup))
    if found is None:
        raise UnknownPerson(refusal(RefusalCode.NO_SUCH_PERSON))
    return str(found)


def _permit_number(key: str, on: date, region: str, scenario: Scenario | None) -> int:
    """A number of the permit rule in force in `region` on `on`: the rules' months, the tree's validity years."""
    if key == PERMIT_MIN_MONTHS:
        policies = policies_in_use()
        params = resolve(policies, policies.chain_for(region[:4] + "00"), None).parameters
        if scenario is not None:  # overrides for the region's own codes, whether or not they have a policy file
            params = scenario.apply(chain_for(region), params)
        dated = params[key].at(on)
        if dated is None:
            raise RegistryError(refusal(RefusalCode.NO_PERMIT_RULE, on=on.isoformat(), parameter=key))
        return int(dated.value)
    return int(parameter_tree().number(key, on, region=region, scenario=scenario))


def refuse_after_today(day: date, today: date | None, code: RefusalCode) -> None:
    """Refuse a permit or move dated after `today` (None: not checked, as a simulation or a test may date it so): the
    registry records what has happened, and every evaluation of the person (her page, her own) is as of today."""
    if today is not None and day > today:
        raise RegistryError(refusal(code, on=day.isoformat(), today=today.isoformat()))


def issue_permit(
    engine: Engine,
    person_key: str,
    issued_on: date,
    *,
    actor: str,
    reason: Reason | None = None,
    key: str | None = None,
    scenario: Scenario | None = None,
    today: date | None = None,
) -> dict[str, object]:
    """Issue a residence permit after the months of residence the rules ask in the place of residence (six,
    《居住证暂行条例》 art. 2: parameter residence_permit.min_residence_months, which a scenario may change); with
    `today`, not dated after it."""
    refuse_after_today(issued_on, today, RefusalCode.PERMIT_IN_FUTURE)

    def apply(session: Session, _txn: LedgerTransactionRow) -> Outcome:
        person = lock_person(session, person_key)
        lived = months_between(person.residence_since, issued_on)
        needed = _permit_number(PERMIT_MIN_MONTHS, issued_on, person.residence_region, scenario)
        if lived < needed:
            raise RegistryError(
                refusal(
                    RefusalCode.PERMIT_TOO_EARLY,
                    needed=needed,
                    region=person.residence_region,
                    lived=lived,
                    on=issued_on.isoformat(),
                )
            )
        current = session.scalar(
            select(ResidencePermitRow.id).where(
                ResidencePermitRow.person_id == person.id,
                ResidencePermitRow.region == person.residence_region,
                ResidencePermitRow.expires_on > issued_on,
            )
        )
        if current is not None:
            raise RegistryError(refusal(RefusalCode.PERMIT_HELD))
        permit = ResidencePermitRow(
            permit_no=f"JZZ-{person.residence_region}-{uuid.uuid4().hex[:12]}",
            person_id=person.id,
            region=person.residence_region,
            issued_on=issued_on,
            expires_on=years_after(
                issued_on, _permit_number(PERMIT_VALID_YEARS, issued_on, person.residence_region, scenario)
            ),
            previous_id=None,
        )
        session.add(permit)
        person.residence_permit_since = issued_on
        return Outcome(
            {"permit_no": permit.permit_no, "expires_on": permit.expires_on.isoformat()},
            audit_subjects.person(person_key),
            {"region": permit.region},
        )

    op = Operation(
        "permit.issue",
        key or new_key("permit"),
        {"person": person_key, "on": issued_on.isoformat()},
        actor,
        reason or because("permit_issue"),
    )
    return run_operation(engine, op, apply)


def renew_permit(
    engine: Engine,
    permit_no: str,
    renewed_on: date,
    *,
    actor: str,
    reason: Reason | None = None,
    key: str | None = None,
    scenario: Scenario | None = None,
    today: date | None = None,
) -> dict[str, object]:
    """Renew (签注) a permit for another year; continuous holding keeps the first issue date; with `today`, not
    dated after it."""
    refuse_after_today(renewed_on, today, RefusalCode.PERMIT_IN_FUTURE)

    def apply(session: Session, _txn: LedgerTransactionRow) -> Outcome:
        old = session.execute(select(ResidencePermitRow).where(ResidencePermitRow.permit_no == permit_no)).scalar()
        if old is None:
            raise RegistryError(refusal(RefusalCode.NO_PERMIT, permit_no=permit_no))
        person = session.execute(select(PersonRow).where(PersonRow.id == old.person_id).with_for_update()).scalar_one()
        refuse_moved_out(person)  # handed over to another province's instance: her record here is history
        if person.residence_region != old.region:
            raise RegistryError(refusal(RefusalCode.PERMIT_HOLDER_MOVED, region=old.region))
        if session.scalar(select(ResidencePermitRow.id).where(ResidencePermitRow.previous_id == old.id)):
            raise RegistryError(refusal(RefusalCode.PERMIT_RENEWED, permit_no=permit_no))
        start = max(old.expires_on, renewed_on)
        if renewed_on > old.expires_on:  # lapsed: a new period of holding starts
            person.residence_permit_since = renewed_on
        permit = ResidencePermitRow(
            permit_no=f"JZZ-{old.region}-{uuid.uuid4().hex[:12]}",
            person_id=person.id,
            region=old.region,
            issued_on=renewed_on,
            expires_on=years_after(start, _permit_number(PERMIT_VALID_YEARS, renewed_on, old.region, scenario)),
            previous_id=old.id,
        )
        session.add(permit)
        return Outcome(
            {"permit_no": permit.permit_no, "expires_on": permit.expires_on.isoformat()},
            audit_subjects.person(person.person_key),
            {"previous": permit_no},
        )

    op = Operation(
        "permit.renew",
        key or new_key("renew"),
        {"permit": permit_no, "on": renewed_on.isoformat()},
        actor,
        reason or because("permit_renew"),
    )
    return run_operation(engine, op, apply)


def _withdraw_applications(session: Session, person_id: int, to_region: str) -> list[str]:
    """Withdraw the person's pending transfer applications to any place but the one they move to (their numbers).

    An application is made where the person lives, and opens their record to that place's staff (api/access.py);
    once they live elsewhere it would keep it open, and the old place could release their months to a place they
    left. Nothing was posted for an application, so withdrawing it moves nothing (docs/ledger.md)."""
    stale = list(
        session.scalars(
            select(TransferRow)
            .where(
                TransferRow.person_id == person_id,
                TransferRow.status == "applied",
                TransferRow.to_region != to_region,
            )
            .order_by(TransferRow.id)
        )
    )
    for transfer in stale:
        transfer.status = "withdrawn"
    return [t.transfer_no for t in stale]


def record_move(
    engine: Engine,
    person_key: str,
    to_region: str,
    moved_on: date,
    proof_kind: ProofKind,
    proof_ref: str,
    *,
    actor: str,
    reason: Reason | None = None,
    key: str | None = None,
    today: date | None = None,
) -> dict[str, object]:
    """Record a move of habitual residence; the old place becomes the prior region (for 互认); with `today`, not
    dated after it."""
    refuse_after_today(moved_on, today, RefusalCode.MOVE_IN_FUTURE)

    def apply(session: Session, _txn: LedgerTransactionRow) -> Outcome:
        person = lock_person(session, person_key, {"to_region": to_region})
        if to_region == person.residence_region:
            raise RegistryError(refusal(RefusalCode.ALREADY_LIVES_THERE, region=to_region))
        if moved_on < person.residence_since:
            raise RegistryError(
                refusal(RefusalCode.MOVE_BEFORE_RESIDENCE, on=moved_on.isoformat(), region=person.residence_region)
            )
        if not proof_ref.strip():
            raise RegistryError(refusal(RefusalCode.PROOF_REF_REQUIRED, kind=proof_kind.value))
        session.add(
            ResidenceEventRow(
                person_id=person.id,
                kind="move",
                from_region=person.residence_region,
                to_region=to_region,
                on_date=moved_on,
                proof_kind=proof_kind.value,
                proof_ref=proof_ref,
            )
        )
        from_region = person.residence_region
        person.prior_region = from_region
        person.prior_residence_months = months_between(person.residence_since, moved_on)
        person.residence_region, person.residence_since = to_region, moved_on
        person.residence_permit_since = None
        withdrawn = _withdraw_applications(session, person.id, to_region)
        return Outcome(
            {"from_region": from_region, "to_region": to_region, "withdrawn_transfers": withdrawn},
            audit_subjects.person(person_key),
            {"from": from_region, "to": to_region, "on": moved_on.isoformat(), "withdrawn_transfers": withdrawn},
        )

    request = {
        "person": person_key,
        "to": to_region,
        "on": moved_on.isoformat(),
        "proof": [proof_kind.value, proof_ref],
    }
    return run_operation(
        engine, Operation("move", key or new_key("move"), request, actor, reason or because("move")), apply
    )


class HouseholdConflict(RegistryError):
    """The link exists already, or the child has two linked parents."""

    http_status = 409


def link_household(
    engine: Engine,
    parent_key: str,
    child_key: str,
    *,
    actor: str,
    reason: Reason | None = None,
    key: str | None = None,
) -> dict[str, object]:
    """Link a parent and a child (both registered); a child has at most two parents."""

    def lock_both(session: Session) -> None:
        for k in sorted({parent_key, child_key}):  # fixed order: no deadlock between two linkings
            lock_person(session, k)

    def apply(session: Session, _txn: LedgerTransactionRow) -> Outcome:
        if parent_key == child_key:
            raise RegistryError(refusal(RefusalCode.OWN_PARENT))
        parent, child = lock_person(session, parent_key), lock_person(session, child_key)
        if parent.birth_date >= child.birth_date:
            raise RegistryError(refusal(RefusalCode.PARENT_BORN_AFTER))
        parents = session.scalars(select(HouseholdLinkRow.parent_id).where(HouseholdLinkRow.child_id == child.id))
        existing = list(parents)
        if parent.id in existing:
            raise HouseholdConflict(refusal(RefusalCode.ALREADY_LINKED))
        if len(existing) >= 2:
            raise HouseholdConflict(refusal(RefusalCode.TWO_PARENTS_LINKED))
        session.add(HouseholdLinkRow(parent_id=parent.id, child_id=child.id))
        return Outcome(
            {"parent": parent_key, "child": child_key}, audit_subjects.person(child_key), {"parent": parent_key}
        )

    op = Operation(
        "household.link",
        key or new_key("link"),
        {"parent": parent_key, "child": child_key},
        actor,
        reason or because("household_link"),
    )
    return run_operation(engine, op, apply, lock=lock_both)


def settle_hukou(
    engine: Engine,
    person_key: str,
    settled_on: date,
    *,
    actor: str,
    reason: Reason | None = None,
    key: str | None = None,
) -> dict[str, object]:
    """Move the hukou to the place of habitual residence (落户)."""

    def apply(session: Session, _txn: LedgerTransactionRow) -> Outcome:
        person = lock_person(session, person_key)
        if person.hukou_region == person.residence_region:
            raise RegistryError(refusal(RefusalCode.HUKOU_ALREADY_THERE, region=person.residence_region))
        if settled_on < person.residence_since:
            raise RegistryError(
                refusal(RefusalCode.SETTLE_BEFORE_RESIDENCE, on=settled_on.isoformat(), region=person.residence_region)
            )
        old = person.hukou_region
        session.add(
            ResidenceEventRow(
                person_id=person.id,
                kind="settlement",
                from_region=old,
                to_region=person.residence_region,
                on_date=settled_on,
            )
        )
        person.hukou_region = person.residence_region
        return Outcome(
            {"from_region": old, "to_region": person.residence_region},
            audit_subjects.person(person_key),
            {"from": old, "to": person.residence_region, "on": settled_on.isoformat()},
        )

    op = Operation(
        "settle",
        key or new_key("settle"),
        {"person": person_key, "on": settled_on.isoformat()},
        actor,
        reason or because("settle"),
    )
    return run_operation(engine, op, apply)


def person_summary(engine: Engine, person_key: str) -> dict[str, object]:
    """Registry facts of one person (no identity number), for display."""
    with session_scope(engine) as session:
        person = session.execute(select(PersonRow).where(PersonRow.person_key == person_key)).scalar()
        if person is None:
            raise unknown_person(person_key)
        return {
            "person_key": person.person_key,
            "sex": person.sex,
            "birth_date": person.birth_date,
            "hukou_region": person.hukou_region,
            "residence_region": person.residence_region,
            "residence_since": person.residence_since,
            "residence_permit_since": person.residence_permit_since,
            "prior_region": person.prior_region,
            "prior_residence_months": person.prior_residence_months,
        }


def issue_or_renew_permit(
    engine: Engine, person_key: str, on: date, *, actor: str, key: str | None = None, today: date | None = None
) -> dict[str, object]:
    """Renew the person's latest permit where they live (签注), or issue the first one there (申领); with `today`,
    not dated after it."""
    with session_scope(engine) as session:
        person = session.scalar(select(PersonRow).where(PersonRow.person_key == person_key))
        if person is None:
            raise unknown_person(person_key)
        renewed = select(ResidencePermitRow.previous_id).where(ResidencePermitRow.previous_id.is_not(None))
        latest = session.scalar(
            select(ResidencePermitRow.permit_no)
            .where(
                ResidencePermitRow.person_id == person.id,
                ResidencePermitRow.region == person.residence_region,
                ResidencePermitRow.id.not_in(renewed),
            )
            .order_by(ResidencePermitRow.issued_on.desc())
            .limit(1)
        )
    if latest is None:
        return {"action": "issued", **issue_permit(engine, person_key, on, actor=actor, key=key, today=today)}
    return {"action": "renewed", **renew_permit(engine, latest, on, actor=actor, key=key, today=today)}
