"""One resident's whole file as the office and the resident see it: record, history across cities, entitlements,
the portable account, vouchers, transfers, directly settled hospital bills and applications, and the account
statement."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any, cast

from sqlalchemy import Engine, func, select

from changzhu.api.interregion.crossings import crossings_of
from changzhu.api.interregion.periods import FIELD as PERIODS
from changzhu.api.interregion.transfer import KIND as TRANSFER
from changzhu.api.resident_search import person_item
from changzhu.domain.masking import mask
from changzhu.ledger.accounts import balances_frame
from changzhu.ledger.transfers import held_at_origin
from changzhu.ledger.vouchers import vouchers_frame
from changzhu.registry.contact import unseal
from changzhu.registry.identity import identity_keys
from changzhu.registry.region_names import region_names
from changzhu.store.db import session_scope
from changzhu.store.interregion_models import InboxRow
from changzhu.store.resident_models import (
    ContributionMonthRow,
    LedgerTransactionRow,
    MedicalClaimRow,
    PersonAttributeRow,
    PersonRow,
    ResidenceEventRow,
    ResidencePermitRow,
    SchoolRecordRow,
    TransferRow,
)
from changzhu.tables.places import PlaceNames


def _masked_id(person: PersonRow) -> str:
    """The person's identity number as shown to those who may see it: 51**************2X."""
    return mask(identity_keys().decrypt(person.id_cipher, person.id_hash))


def record_of(engine: Engine, person: PersonRow, show_contact: bool) -> dict[str, Any]:
    """The registry record with region names; name, phone and the masked identity number (51**************2X, what a
    caseworker checks against the card in front of them: the person key is the record's address, never shown) only
    for those who may see them. `facts` are the declared rule inputs on record (what the facts dialog shows as
    recorded); a fact not on record is absent: unknown."""
    with session_scope(engine) as session:
        codes = {person.hukou_region, person.residence_region, *([person.prior_region] if person.prior_region else [])}
        names = region_names(session, codes)
        permits = session.scalars(
            select(ResidencePermitRow)
            .where(ResidencePermitRow.person_id == person.id)
            .order_by(ResidencePermitRow.issued_on)
        ).all()
        facts = session.scalars(
            select(PersonAttributeRow)
            .where(PersonAttributeRow.person_id == person.id)
            .order_by(PersonAttributeRow.name)
        ).all()
        prior = names.get(person.prior_region or "", (None, None))
        return {
            **person_item(person, names, show_name=show_contact),
            "phone": unseal(person.phone_cipher, person.phone_hash) if show_contact else None,
            "id_number_masked": _masked_id(person) if show_contact else None,
            "prior_region": person.prior_region,
            "prior_region_name": prior[0],
            "prior_region_name_en": prior[1],
            "prior_residence_months": person.prior_residence_months,
            "moved_out": moved_out_of(person, names),
            "permits": [
                {"permit_no": p.permit_no, "region": p.region, "issued_on": p.issued_on, "expires_on": p.expires_on}
                for p in permits
            ],
            "facts": {f.name: f.value() for f in facts} if show_contact else None,
        }


def history_of(engine: Engine, person_id: int) -> list[dict[str, Any]]:
    """Registrations, moves and hukou settlements in date order, with the names of the places."""
    with session_scope(engine) as session:
        events = session.scalars(
            select(ResidenceEventRow)
            .where(ResidenceEventRow.person_id == person_id)
            .order_by(ResidenceEventRow.on_date, ResidenceEventRow.id)
        ).all()
        names = region_names(session, {c for e in events for c in (e.from_region, e.to_region) if c})
        return [
            {
                "kind": e.kind,
                "on": e.on_date,
                "from_region": e.from_region,
                "from_region_name": names.get(e.from_region, (None, None))[0] if e.from_region else None,
                "from_region_name_en": names.get(e.from_region, (None, None))[1] if e.from_region else None,
                "to_region": e.to_region,
                "to_region_name": names.get(e.to_region, (None, None))[0],
                "to_region_name_en": names.get(e.to_region, (None, None))[1],
                "proof_kind": e.proof_kind,
            }
            for e in events
        ]


def reported_residence_of(engine: Engine, person_id: int) -> list[dict[str, Any]]:
    """The residence periods the account transfers received here carried (where the person lived before, by the
    sending authority's register), in date order, each with the place's names and the authority that reported it
    (`reported_by`, the sending instance's region)."""
    with session_scope(engine) as session:
        received = session.scalars(
            select(InboxRow).where(InboxRow.person_id == person_id, InboxRow.kind == TRANSFER)
        ).all()
        carried = [(r.from_region, cast(list[dict[str, str]], r.receipt.get(PERIODS) or [])) for r in received]
        periods = [{**p, "reported_by": sender} for sender, reported in carried for p in reported]
        names = region_names(session, {p["region"] for p in periods})
    return [
        {
            **p,
            "region_name": names.get(p["region"], (None, None))[0],
            "region_name_en": names.get(p["region"], (None, None))[1],
        }
        for p in sorted(periods, key=lambda p: (p["from"], p["to"]))
    ]


def account_of(engine: Engine, person_id: int, person_key: str) -> dict[str, Any]:
    """Contribution months by scheme, paying and holding region, and the school record (学籍)."""
    with session_scope(engine) as session:
        months = session.execute(
            select(
                ContributionMonthRow.scheme,
                ContributionMonthRow.paid_region,
                ContributionMonthRow.held_region,
                func.count(),
                func.min(ContributionMonthRow.period),
                func.max(ContributionMonthRow.period),
            )
            .where(ContributionMonthRow.person_id == person_id)
            .group_by(ContributionMonthRow.scheme, ContributionMonthRow.paid_region, ContributionMonthRow.held_region)
            .order_by(ContributionMonthRow.scheme)
        ).all()
        schools = session.scalars(
            select(SchoolRecordRow).where(SchoolRecordRow.person_id == person_id).order_by(SchoolRecordRow.school_year)
        ).all()
        return {
            "person_key": person_key,
            "contribution_months": [
                {"scheme": m[0], "paid_region": m[1], "held_region": m[2], "months": m[3], "first": m[4], "last": m[5]}
                for m in months
            ],
            "school_records": [
                {
                    "school_year": r.school_year,
                    "grade": r.grade,
                    "school": r.school,
                    "enrolled_region": r.enrolled_region,
                    "held_region": r.held_region,
                }
                for r in schools
            ],
        }


def transfers_of(engine: Engine, person_id: int) -> list[dict[str, Any]]:
    """The person's transfer applications and what each moved; one still applied for with what its old place holds
    now (`held`, months or school years: 0 when a release would move nothing)."""
    with session_scope(engine) as session:
        rows = session.scalars(
            select(TransferRow).where(TransferRow.person_id == person_id).order_by(TransferRow.applied_on)
        ).all()
        return [
            {
                "transfer_no": t.transfer_no,
                "scheme": t.scheme,
                "from_region": t.from_region,
                "to_region": t.to_region,
                "status": t.status,
                "applied_on": t.applied_on,
                "amounts": t.amounts,
                "held": held_at_origin(session, t) if t.status == "applied" else None,
            }
            for t in rows
        ]


# what the settlement stored of why the fund paid what it paid (ledger.medical.settle_bill's result)
_SPLIT_WHY = ("eligible_fen", "rate_permille", "deductible_fen", "cap_fen", "cap_left_fen", "fund_limited_by")


def _split_why(result: dict[str, Any] | None) -> dict[str, Any] | None:
    """The numbers the settlement computed the fund's part from, as it stored them; None for a bill settled before
    they were stored (not known: never guessed from today's policy)."""
    if not result or "fund_limited_by" not in result:
        return None
    return {name: result.get(name) for name in _SPLIT_WHY}


def medical_claims_of(engine: Engine, person_id: int) -> list[dict[str, Any]]:
    """The person's hospital bills settled directly (跨省直接结算), oldest treatment first: where treated and insured,
    the total and how it was split between the fund and the person, and `why`, the numbers the split rests on (the
    eligible amount, rate, deductible, the year's cap and what was left of it, and what limited the fund's part:
    `fund_limited_by` not_covered, deductible, no_rate, cap or null), as the settlement stored them (null for a bill
    settled before they were stored)."""
    with session_scope(engine) as session:
        rows = session.execute(
            select(MedicalClaimRow, LedgerTransactionRow.result)
            .outerjoin(
                LedgerTransactionRow,
                (LedgerTransactionRow.idempotency_key == MedicalClaimRow.claim_no)
                & (LedgerTransactionRow.kind == "medical.settle"),
            )
            .where(MedicalClaimRow.person_id == person_id)
            .order_by(MedicalClaimRow.treated_on, MedicalClaimRow.id)
        ).all()
        return [
            {
                "hospital": c.hospital,
                "treated_on": c.treated_on,
                "insured_region": c.insured_region,
                "treatment_region": c.treatment_region,
                "total_fen": c.total_fen,
                "fund_fen": c.fund_fen,
                "self_fen": c.self_fen,
                "why": _split_why(result),
            }
            for c, result in rows
        ]


def moved_out_of(person: PersonRow, names: PlaceNames) -> dict[str, Any] | None:
    """Where to and since when a person handed over to another province's instance lives, and the place here they
    left, each with its names from `names` (their record here is then history: no writes, no local entitlements as a
    resident; their new place's instance holds it); None for anyone else."""
    if person.moved_out_by is None:
        return None
    city, left = names.get(person.residence_region, (None, None)), names.get(person.prior_region or "", (None, None))
    return {
        "city": person.residence_region,
        "city_name": city[0],
        "city_name_en": city[1],
        "on": person.residence_since,
        "from_region": person.prior_region,
        "from_region_name": left[0],
        "from_region_name_en": left[1],
    }


def moved_out_named(engine: Engine, person: PersonRow) -> dict[str, Any] | None:
    """moved_out_of with the places' names looked up."""
    if person.moved_out_by is None:
        return None
    with session_scope(engine) as session:
        names = region_names(session, {c for c in (person.residence_region, person.prior_region) if c})
    return moved_out_of(person, names)


def statement_of(engine: Engine, person: PersonRow, on: date) -> dict[str, Any]:
    """The account statement as data: balances of every account, months by scheme and place, vouchers, transfers
    between places and the 跨省通办 hand-overs and arrivals (what moved to or from another province's instance)."""
    balances = balances_frame(engine, person_key=person.person_key).to_dicts()
    account = {k: v for k, v in account_of(engine, person.id, person.person_key).items() if k != "person_key"}
    transfers = transfers_of(engine, person.id)
    vouchers = vouchers_frame(engine, person.person_key).to_dicts()
    crossings = crossings_of(engine, person.id)
    return {
        "person_key": person.person_key,
        "on": on,
        "balances": [{**b, "yuan": b["balance"] / 100 if b["unit"] == "fen" else None} for b in balances],
        **account,
        "vouchers": vouchers,
        "transfers": transfers,
        "crossings": crossings,
        "moved_out": moved_out_named(engine, person),
        "region_names": names_of_places(engine, account, vouchers, transfers, balances, crossings),
    }


def names_of_places(
    engine: Engine,
    account: dict[str, Any],
    vouchers: list[dict[str, Any]],
    transfers: list[dict[str, Any]],
    balances: Sequence[dict[str, Any]] = (),
    crossings: Sequence[dict[str, Any]] = (),
    claims: Sequence[dict[str, Any]] = (),
) -> dict[str, dict[str, str | None]]:
    """The Chinese and English name of every place the account, vouchers, transfers and balances mention (a reader
    reads names, not six-digit codes)."""
    codes = {b["region"] for b in balances} | {t[end] for t in transfers for end in ("from_region", "to_region")}
    codes |= {m[where] for m in account["contribution_months"] for where in ("paid_region", "held_region")}
    codes |= {r[where] for r in account["school_records"] for where in ("enrolled_region", "held_region")}
    codes |= {v[where] for v in vouchers for where in ("issuer_region", "provider_region")}
    codes |= {c[where] for c in crossings for where in ("peer_region", "city")}
    codes |= {v["issuer_region"] for c in crossings for v in c.get("vouchers_cancelled", [])}
    codes |= {c[where] for c in claims for where in ("insured_region", "treatment_region")}
    with session_scope(engine) as session:
        names = region_names(session, {c for c in codes if c})
    return {code: {"name_zh": zh, "name_en": en} for code, (zh, en) in names.items()}
