"""Tables of 跨省通办: known peer instances, messages to send (outbox), and messages received (inbox)."""

from __future__ import annotations

from sqlalchemy import JSON, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from changzhu.store.models import Base
from changzhu.store.resident_models import PersonRow


class PeerRow(Base):
    """Another region's instance: where it listens and the Ed25519 key its requests are signed with."""

    __tablename__ = "interregion_peers"

    region_code: Mapped[str] = mapped_column(String(6), primary_key=True)
    base_url: Mapped[str] = mapped_column(String(200))
    public_key: Mapped[str] = mapped_column(String(64))


class OutboxRow(Base):
    """A message to a peer; kept until the peer acknowledges it, re-sent with the same id on retry."""

    __tablename__ = "interregion_outbox"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    message_id: Mapped[str] = mapped_column(String(64), unique=True)
    to_region: Mapped[str] = mapped_column(String(6))
    kind: Mapped[str] = mapped_column(String(32))
    person_id: Mapped[int] = mapped_column(ForeignKey(PersonRow.id))
    payload: Mapped[dict[str, object]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16), index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(String(400))
    receipt: Mapped[dict[str, object] | None] = mapped_column(JSON)
    created_at: Mapped[str] = mapped_column(String(32))
    delivered_at: Mapped[str | None] = mapped_column(String(32))


class InboxRow(Base):
    """A message applied here, with the receipt returned to the sender (returned again on a retry)."""

    __tablename__ = "interregion_inbox"

    message_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    from_region: Mapped[str] = mapped_column(String(6))
    kind: Mapped[str] = mapped_column(String(32))
    payload_hash: Mapped[str] = mapped_column(String(64))
    person_id: Mapped[int | None] = mapped_column(ForeignKey(PersonRow.id))
    receipt: Mapped[dict[str, object]] = mapped_column(JSON)
    received_at: Mapped[str] = mapped_column(String(32))
