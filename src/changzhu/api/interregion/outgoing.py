"""The sending office's list of its 跨省通办 hand-overs (GET /interregion/outbox): each message with its state, the
person (name and masked identity number, as the list of transfers awaiting release shows them), the city she left
and the one she moved to, the move date, when it was queued, and for a message not delivered what the peer answered
on the last attempt.

Whose list: a message belongs to the place the person left, read from the hand-over's `move_out` event (its
`from_region`, the message id its proof) — the person's own residence is the destination city from then on, so it
cannot say whose caseworkers may resolve the message (outbox.sender_region_of reads the same place from the ledger).
"""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Literal, cast

from pydantic import BaseModel
from sqlalchemy import Engine, and_, func, or_, select

from changzhu.api.auth.principal import Principal
from changzhu.api.auth.roles import ROLE_NAMES
from changzhu.api.interregion import moveout
from changzhu.api.interregion.transfer import KIND
from changzhu.api.resident_search import region_within
from changzhu.domain.lang import Lang
from changzhu.domain.masking import mask
from changzhu.domain.refusals import PLACE, ROLE, Names, Refusal, RefusalCode
from changzhu.registry.contact import unseal
from changzhu.registry.identity import identity_keys
from changzhu.registry.region_names import PlaceNames, region_names
from changzhu.store.db import session_scope
from changzhu.store.interregion_models import OutboxRow
from changzhu.store.resident_models import PersonRow, ResidenceEventRow
from changzhu.tables.places import place_names

State = Literal["pending", "delivered", "reversed", "disputed"]
_HTTP = re.compile(r"^HTTP (\d{3}): (.*)$", re.DOTALL)


class Place(BaseModel):
    """A region by its code and its names (None: a code no table of names holds)."""

    code: str
    name_zh: str | None
    name_en: str | None


class PeerAnswer(BaseModel):
    """What the peer answered on the last attempt (nothing when it was not reached: `http_status` None)."""

    http_status: int | None
    code: str | None  # the refusal's code when the peer said one (both instances run this software)
    text_zh: str | None  # the refusal in words; None when the answer named no refusal this instance can translate
    text_en: str | None
    peer_text: str | None = None  # then the peer's own words as it sent them (any language), for the detail


class OutgoingMessage(BaseModel):
    """One hand-over this instance sent (or is sending) to another province's instance."""

    message_id: str
    status: State
    person_key: str
    name: str | None
    id_number_masked: str
    from_city: Place
    to_city: Place
    to_province: Place
    moved_on: date
    created_at: str
    delivered_at: str | None
    attempts: int
    peer_answer: PeerAnswer | None  # the last attempt's answer, for a message not delivered


def peer_answer(last_error: str | None) -> PeerAnswer | None:
    """The peer's last answer as a refusal in both languages where it names one (outbox._send stores
    "HTTP <status>: <body>", or the exception of an attempt that reached no one)."""
    if not last_error:
        return None
    matched = _HTTP.match(last_error)
    if matched is None:
        return PeerAnswer(http_status=None, code=None, text_zh=None, text_en=None)
    status, body = int(matched[1]), matched[2]
    try:
        parsed = json.loads(body)
        said = Refusal.from_json(parsed)
    except (ValueError, KeyError, TypeError, AttributeError):  # a body cut at 300 characters, or no coded refusal
        return PeerAnswer(http_status=status, code=None, text_zh=None, text_en=None, peer_text=_own_words(body))
    if said.code in PEERS_OWN_WORDS:  # its words are an error's text, in the language it was raised in
        return PeerAnswer(http_status=status, code=None, text_zh=None, text_en=None, peer_text=_own_words(body))
    wanted = said.named()
    roles: dict[str, tuple[str, str | None]] = {
        str(role.value): words for role, words in ROLE_NAMES.items() if role.value in wanted.get(ROLE, set())
    }
    names: Names = {PLACE: place_names(wanted.get(PLACE, set())), ROLE: roles}
    return PeerAnswer(
        http_status=status,
        code=said.code.value,
        text_zh=said.text(Lang.ZH, names),
        text_en=said.text(Lang.EN, names),
    )


# refusals whose words are a text no code of the peer names (an exception's message, mostly English): shown
# translated as "refused without a reason this office can translate", the text itself as the detail
PEERS_OWN_WORDS = frozenset({RefusalCode.UNCODED, RefusalCode.UNTRANSLATED})
_MARKUP = re.compile(r"<[^>]*>")


def _own_words(body: str) -> str | None:
    """What the peer said in an answer this instance cannot translate: an error body's text (an uncoded refusal's
    `text`, else its `message` or a framework's `detail`), else the body itself without markup (a proxy's error
    page); None when it said nothing."""
    try:
        parsed = json.loads(body)
    except ValueError:
        parsed = None
    said: object = body
    if isinstance(parsed, dict):
        params = parsed.get("params")
        own = params.get("text") if isinstance(params, dict) else None
        said = own or parsed.get("message") or parsed.get("detail") or body
    words = " ".join(_MARKUP.sub(" ", str(said)).split())
    return words or None


def place_of(code: str, names: PlaceNames) -> Place:
    """The region `code` with its names from `names`."""
    zh, en = names.get(code, (None, None))
    return Place(code=code, name_zh=zh, name_en=en)


def outgoing_messages(
    engine: Engine, principal: Principal, status: State | None, offset: int, limit: int
) -> tuple[list[OutgoingMessage], int]:
    """One page of the hand-overs from places in the caller's jurisdiction (newest first), and how many in all."""
    query = (
        select(OutboxRow, ResidenceEventRow, PersonRow)
        .join(
            ResidenceEventRow,
            and_(
                ResidenceEventRow.proof_ref == OutboxRow.message_id,
                ResidenceEventRow.kind == moveout.MOVE_OUT,
                ResidenceEventRow.proof_kind == moveout.PROOF,
            ),
        )
        .join(PersonRow, PersonRow.id == OutboxRow.person_id)
        .where(
            OutboxRow.kind == KIND,
            or_(*[region_within(ResidenceEventRow.from_region, s) for s in principal.scopes]),
        )
    )
    if status is not None:
        query = query.where(OutboxRow.status == status)
    keys = identity_keys()
    with session_scope(engine) as session:
        total = int(session.scalar(select(func.count()).select_from(query.subquery())) or 0)
        rows = session.execute(query.order_by(OutboxRow.id.desc()).offset(offset).limit(limit)).all()
        codes = {c for _m, e, _p in rows for c in (e.from_region or "", e.to_region, _m.to_region)}
        names = region_names(session, codes - {""})
        items = [
            OutgoingMessage(
                message_id=m.message_id,
                status=cast(State, m.status),
                person_key=p.person_key,
                name=unseal(p.name_cipher, p.name_hash),
                id_number_masked=mask(keys.decrypt(p.id_cipher, p.id_hash)),
                from_city=place_of(e.from_region or "", names),
                to_city=place_of(e.to_region, names),
                to_province=place_of(m.to_region, names),
                moved_on=e.on_date,
                created_at=m.created_at,
                delivered_at=m.delivered_at,
                attempts=m.attempts,
                peer_answer=None if m.status == "delivered" else peer_answer(m.last_error),
            )
            for m, e, p in rows
        ]
    return items, total
