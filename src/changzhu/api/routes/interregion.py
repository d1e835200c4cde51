"""跨省通办 endpoints: peers post signed messages here; caseworkers start transfers and retry deliveries."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

import httpx
from fastapi import APIRouter, Header, Request
from pydantic import BaseModel, Field
from sqlalchemy import select

from changzhu.api.access import open_person
from changzhu.api.auth.roles import Role
from changzhu.api.deps import EngineDep, PrincipalDep, SettingsDep
from changzhu.api.errors import Conflict
from changzhu.api.interregion import inbox, outbox, transfer
from changzhu.api.interregion.protocol import MESSAGES_PATH
from changzhu.api.keys import load_or_create_signing_key
from changzhu.api.settings import ApiSettings
from changzhu.registry import audit
from changzhu.registry.resident_models import PersonRow
from changzhu.registry.txn import write_session

router = APIRouter(prefix="/interregion", tags=["跨省通办"])
SIGNING_KEY_FILE = "instance_ed25519.pem"


class TransferRequest(BaseModel):
    """Hand a resident's account and school record over to another region's instance."""

    person_key: str = Field(min_length=8, max_length=32)
    to_region: str = Field(pattern=r"^[1-8]\d{5}$", description="the peer instance's region")
    to_city: str = Field(pattern=r"^[1-8]\d{5}$", description="the city the person moves to")
    moved_on: date


def _sender(settings: ApiSettings) -> str:
    if settings.instance_region is None:
        raise Conflict("this instance has no CHANGZHU_INSTANCE_REGION: it cannot take part in 跨省通办")
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
    body = await request.body()
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


@router.post("/transfers", status_code=202, responses={401: {}, 403: {}, 404: {}, 409: {}})
def start_transfer(
    body: TransferRequest, engine: EngineDep, settings: SettingsDep, principal: PrincipalDep
) -> dict[str, Any]:
    """Pack the person's records for the destination and try to deliver at once (retried until acknowledged)."""
    principal.require_role(Role.CASEWORKER, Role.ADMINISTRATOR)
    sender = _sender(settings)
    open_person(engine, principal, body.person_key, "跨省通办 transfer out")
    with write_session(engine) as session:
        person = session.scalar(select(PersonRow).where(PersonRow.person_key == body.person_key))
        assert person is not None
        principal.require_region(person.residence_region)
        message = transfer.pack(session, person, sender, body.to_region, body.to_city, body.moved_on)
        outbox.enqueue(session, message, person.id)
        audit.append(
            session,
            actor=f"user:{principal.username}",
            action="interregion_transfer_out",
            subject=person.person_key,
            details={"message_id": message.message_id, "to": body.to_city},
            reason="跨省通办",
        )
    return {"message_id": message.message_id, "deliveries": _deliver(settings, message.message_id, engine)}


@router.post("/outbox/deliver", responses={401: {}, 403: {}})
def deliver_pending(engine: EngineDep, settings: SettingsDep, principal: PrincipalDep) -> dict[str, Any]:
    """Re-send every message a peer has not acknowledged yet (same ids: the peer applies each once)."""
    principal.require_role(Role.CASEWORKER, Role.ADMINISTRATOR)
    return {"deliveries": _deliver(settings, None, engine)}
