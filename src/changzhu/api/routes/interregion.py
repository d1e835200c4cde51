"""跨省通办 endpoints: peers post signed messages here; caseworkers start transfers and retry deliveries."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

import httpx
from fastapi import APIRouter, Header, Query, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field
from sqlalchemy import select

from changzhu.api.access import STAFF_WITH_PERSONAL_ACCESS, audit_listing, open_person
from changzhu.api.auth.roles import Role
from changzhu.api.deps import EngineDep, LimitQuery, OffsetQuery, PrincipalDep, SettingsDep
from changzhu.api.errors import Conflict
from changzhu.api.interregion import inbox, outbox, reconcile
from changzhu.api.interregion.outgoing import OutgoingMessage, Place, State, outgoing_messages, place_of
from changzhu.api.interregion.protocol import MESSAGES_PATH
from changzhu.api.keys import SIGNING_KEY_FILE, load_or_create_signing_key
from changzhu.api.pagination import Page
from changzhu.api.settings import ApiSettings
from changzhu.api.write_access import told_of_move
from changzhu.domain.refusals import RefusalCode, refusal
from changzhu.registry.region_names import region_names
from changzhu.store.audit_reasons import because
from changzhu.store.db import session_scope
from changzhu.store.interregion_models import PeerRow

router = APIRouter(prefix="/interregion", tags=["跨省通办"])


class TransferRequest(BaseModel):
    """Hand a resident's account and school record over to another region's instance."""

    person_key: str = Field(min_length=8, max_length=32)
    to_region: str = Field(pattern=r"^[1-8]\d{5}$", description="the peer instance's region")
    to_city: str = Field(pattern=r"^[1-8]\d{5}$", description="the city the person moves to")
    moved_on: date


class Resolution(BaseModel):
    """How a caseworker settles a disputed message, and why."""

    action: str = Field(pattern=r"^(reverse|resend)$", description="reverse here, or send again")
    reason: str = Field(min_length=4, max_length=400)


class Peers(BaseModel):
    """This instance's province and the provinces' instances it may hand people over to (an empty list: none
    configured, so no hand-over can be made; `instance`: None when this instance has no province set)."""

    instance: Place | None
    peers: list[Place]


def _sender(settings: ApiSettings) -> str:
    if settings.instance_region is None:
        raise Conflict(refusal(RefusalCode.NO_INSTANCE_REGION))
    return settings.instance_region


def _deliver(settings: ApiSettings, message_id: str | None, engine: Any) -> list[dict[str, Any]]:
    key = load_or_create_signing_key(settings.keys_dir / SIGNING_KEY_FILE)
    with httpx.Client(timeout=5.0, trust_env=False) as client:
        results = outbox.deliver(engine, _sender(settings), key, client, message_id)
    return [r.__dict__ for r in results]


@router.post(MESSAGES_PATH.removeprefix("/api/v1/interregion"), responses={401: {}, 403: {}, 409: {}})
async def receive_message(
    request: Request,
    engine: EngineDep,
    settings: SettingsDep,
    x_changzhu_region: Annotated[str | None, Header()] = None,
    x_changzhu_timestamp: Annotated[str | None, Header()] = None,
    x_changzhu_signature: Annotated[str | None, Header()] = None,
) -> dict[str, Any]:
    """A peer instance's signed message; applied exactly once, a retry gets the same receipt."""
    body = await request.body()  # the signature covers the raw bytes; the database work runs off the event loop

    def authenticate_and_apply() -> dict[str, Any]:
        sender = inbox.authenticate_peer(
            engine,
            x_changzhu_region,
            x_changzhu_timestamp,
            x_changzhu_signature,
            MESSAGES_PATH,
            body,
            settings.signature_max_age_seconds,
        )
        return inbox.receive(engine, sender, inbox.parse_message(body), settings.instance_region)

    return await run_in_threadpool(authenticate_and_apply)


@router.post("/transfers", status_code=202, responses={401: {}, 403: {}, 404: {}, 409: {}})
def start_transfer(
    body: TransferRequest, engine: EngineDep, settings: SettingsDep, principal: PrincipalDep
) -> dict[str, Any]:
    """Pack the person's records for the destination and try to deliver at once (retried until acknowledged)."""
    principal.require_role(Role.CASEWORKER, Role.ADMINISTRATOR)
    sender = _sender(settings)
    open_person(engine, principal, body.person_key, because("transfer_out_read"))
    with told_of_move(engine, principal):  # handed over already: told as for any write to her record here
        message_id = outbox.start_transfer(
            engine,
            body.person_key,
            sender,
            body.to_region,
            body.to_city,
            body.moved_on,
            actor=f"user:{principal.username}",
            authorize=principal.require_region,
        )
    return {"message_id": message_id, "deliveries": _deliver(settings, message_id, engine)}


@router.post("/outbox/deliver", responses={401: {}, 403: {}})
def deliver_pending(engine: EngineDep, settings: SettingsDep, principal: PrincipalDep) -> dict[str, Any]:
    """Re-send every message a peer has not acknowledged yet (same ids: the peer applies each once)."""
    principal.require_role(Role.CASEWORKER, Role.ADMINISTRATOR)
    return {"deliveries": _deliver(settings, None, engine)}


@router.post(reconcile.SUMMARY_PATH.removeprefix("/api/v1/interregion"), responses={401: {}})
async def summary(
    request: Request,
    engine: EngineDep,
    settings: SettingsDep,
    x_changzhu_region: Annotated[str | None, Header()] = None,
    x_changzhu_timestamp: Annotated[str | None, Header()] = None,
    x_changzhu_signature: Annotated[str | None, Header()] = None,
) -> dict[str, Any]:
    """For a peer's `ledger check --peers`: the amounts of every message it sent that was applied here."""
    body = await request.body()
    sender = inbox.authenticate_peer(
        engine,
        x_changzhu_region,
        x_changzhu_timestamp,
        x_changzhu_signature,
        reconcile.SUMMARY_PATH,
        body,
        settings.signature_max_age_seconds,
    )
    return {"messages": await run_in_threadpool(reconcile.received_summary, engine, sender)}


@router.post("/outbox/{message_id}/resolve", responses={401: {}, 403: {}, 404: {}, 409: {}})
def resolve_disputed(message_id: str, body: Resolution, engine: EngineDep, principal: PrincipalDep) -> dict[str, Any]:
    """Settle a disputed message after checking with the peer: reverse it here, or send it again."""
    principal.require_role(Role.CASEWORKER, Role.ADMINISTRATOR)
    principal.require_region(outbox.sender_region_of(engine, message_id))
    delivery = outbox.resolve(engine, message_id, body.action, f"user:{principal.username}", body.reason)
    return delivery.__dict__


@router.get("/outbox", response_model=Page[OutgoingMessage], responses={401: {}, 403: {}, 422: {}})
def outbox_list(
    engine: EngineDep,
    principal: PrincipalDep,
    status: Annotated[State | None, Query(description="only messages in this state")] = None,
    limit: LimitQuery = 50,
    offset: OffsetQuery = 0,
) -> Page[OutgoingMessage]:
    """Hand-overs of people who left a place in the caller's jurisdiction, newest first, with their state and, for a
    message not delivered, the peer's last answer (caseworkers and administrators; audited: it shows names)."""
    principal.require_role(*STAFF_WITH_PERSONAL_ACCESS)
    items, total = outgoing_messages(engine, principal, status, offset, limit)
    audit_listing(engine, principal, None, len(items), reason="interregion_outbox")
    return Page[OutgoingMessage](items=items, total=total, limit=limit, offset=offset)


@router.get("/peers", response_model=Peers, responses={401: {}, 403: {}})
def peers(engine: EngineDep, settings: SettingsDep, principal: PrincipalDep) -> Peers:
    """Where a hand-over can go from here: the provinces whose instances this one trusts (caseworkers and
    administrators; the office's hand-over dialog says plainly when there is none)."""
    principal.require_role(*STAFF_WITH_PERSONAL_ACCESS)
    here = settings.instance_region
    with session_scope(engine) as session:
        codes = list(session.scalars(select(PeerRow.region_code).order_by(PeerRow.region_code)))
        names = region_names(session, {*codes, *([here] if here else [])})
    return Peers(instance=place_of(here, names) if here else None, peers=[place_of(c, names) for c in codes])
