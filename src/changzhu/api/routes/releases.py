"""Transfers awaiting release (待转出): the list the old place's caseworkers work through.

A transfer is applied where the person lives now and released by the place that holds the records (its fund
pays: api/ledger_writes.py, `complete_transfer_as`). The old place's staff may not open the person's page (they
neither live nor are moving there: api/access.py), so this list shows only what the release needs: who (name and
masked identity number), which scheme, from and to where, how much the old place holds, applied when and by whom.
Listing it is audited as a read of names; the release itself is POST /transfers/{transfer_no}/complete.
"""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Response
from pydantic import BaseModel
from sqlalchemy import Engine, Select, func, or_, select
from sqlalchemy.orm import Session

from changzhu.api.access import STAFF_WITH_PERSONAL_ACCESS, audit_listing
from changzhu.api.auth.principal import Principal
from changzhu.api.deps import EngineDep, LimitQuery, OffsetQuery, PrincipalDep
from changzhu.api.export import FILE_RESPONSES, ExportFormat, FormatQuery, records_file
from changzhu.api.pagination import Page
from changzhu.api.resident_search import region_within
from changzhu.domain.masking import mask
from changzhu.ledger.transfers import TransferScheme, held_at_origin
from changzhu.registry.contact import unseal
from changzhu.registry.identity import identity_keys
from changzhu.registry.region_names import region_names
from changzhu.store.db import session_scope
from changzhu.store.resident_models import (
    LedgerTransactionRow,
    PersonRow,
    TransferRow,
)

router = APIRouter(tags=["ledger"])


class AwaitingRelease(BaseModel):
    """One transfer applied elsewhere and waiting for the old place (in the caller's jurisdiction) to release it."""

    transfer_no: str
    name: str | None
    id_number_masked: str
    scheme: TransferScheme
    from_region: str
    from_region_name: str | None
    from_region_name_en: str | None
    to_region: str
    to_region_name: str | None
    to_region_name_en: str | None
    held: int
    unit: str  # "month", or "year" for school records
    applied_on: date
    applied_by: str | None  # the user who applied, as the ledger recorded it; None if not recorded


def _awaiting(principal: Principal) -> Select[TransferRow, PersonRow]:
    return (
        select(TransferRow, PersonRow)
        .join(PersonRow, PersonRow.id == TransferRow.person_id)
        .where(
            TransferRow.status == "applied",
            or_(*[region_within(TransferRow.from_region, s) for s in principal.scopes]),
        )
    )


def _appliers(session: Session, numbers: list[str]) -> dict[str, str]:
    """Who applied each transfer (the actor of its ledger operation `<transfer_no>:apply`), by transfer number."""
    keys = {f"{n}:apply": n for n in numbers}
    rows = session.execute(
        select(LedgerTransactionRow.idempotency_key, LedgerTransactionRow.actor).where(
            LedgerTransactionRow.idempotency_key.in_(keys)
        )
    ).all()
    return {keys[key]: actor.removeprefix("user:") for key, actor in rows}


def awaiting_release(
    engine: Engine, principal: Principal, offset: int, limit: int
) -> tuple[list[AwaitingRelease], int]:
    """One page of the transfers waiting for the caller's jurisdiction to release them (oldest application first),
    and how many wait in all."""
    query = _awaiting(principal)
    keys = identity_keys()
    with session_scope(engine) as session:
        total = int(session.scalar(select(func.count()).select_from(query.subquery())) or 0)
        ordered = query.order_by(TransferRow.applied_on, TransferRow.id).offset(offset).limit(limit)
        rows = session.execute(ordered).all()
        names = region_names(session, {c for t, _ in rows for c in (t.from_region, t.to_region)})
        appliers = _appliers(session, [t.transfer_no for t, _ in rows])
        items = [
            AwaitingRelease(
                transfer_no=t.transfer_no,
                name=unseal(p.name_cipher, p.name_hash),
                id_number_masked=mask(keys.decrypt(p.id_cipher, p.id_hash)),
                scheme=TransferScheme(t.scheme),
                from_region=t.from_region,
                from_region_name=names.get(t.from_region, (None, None))[0],
                from_region_name_en=names.get(t.from_region, (None, None))[1],
                to_region=t.to_region,
                to_region_name=names.get(t.to_region, (None, None))[0],
                to_region_name_en=names.get(t.to_region, (None, None))[1],
                held=held_at_origin(session, t),
                unit="year" if t.scheme == TransferScheme.SCHOOL else "month",
                applied_on=t.applied_on,
                applied_by=appliers.get(t.transfer_no),
            )
            for t, p in rows
        ]
    return items, total


@router.get(
    "/transfers/awaiting-release",
    response_model=Page[AwaitingRelease],
    responses={401: {}, 403: {}, 422: {}, **FILE_RESPONSES},
)
def transfers_awaiting_release(
    engine: EngineDep,
    principal: PrincipalDep,
    limit: LimitQuery = 50,
    offset: OffsetQuery = 0,
    fmt: FormatQuery = ExportFormat.JSON,
) -> Page[AwaitingRelease] | Response:
    """Transfers applied in another place whose old place (which releases them) lies in the caller's jurisdiction,
    oldest first (caseworkers and administrators; audited). Release one with POST /transfers/{transfer_no}/complete."""
    principal.require_role(*STAFF_WITH_PERSONAL_ACCESS)
    items, total = awaiting_release(engine, principal, offset, limit)
    audit_listing(engine, principal, None, len(items), reason="transfers_to_release")  # names, masked numbers
    if fmt == ExportFormat.JSON:
        return Page[AwaitingRelease](items=items, total=total, limit=limit, offset=offset)
    return records_file([i.model_dump(mode="json") for i in items], fmt, "transfers-awaiting-release")
