"""The table of items held for a second approver (maker–checker): vouchers, settlements and moves."""

from __future__ import annotations

from sqlalchemy import JSON, BigInteger, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from changzhu.domain import field_sizes as sizes
from changzhu.store.models import Base
from changzhu.store.resident_models import PersonRow


class PendingApprovalRow(Base):
    """One held item: what to do (kind, request), who asked, whose approval it waits for, and how it ended."""

    __tablename__ = "pending_approvals"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(32))
    region: Mapped[str] = mapped_column(String(sizes.REGION_CODE), index=True)  # the checker must cover it
    person_id: Mapped[int | None] = mapped_column(ForeignKey(PersonRow.id))  # who may confirm a move themself
    amount_fen: Mapped[int | None] = mapped_column(BigInteger)
    request: Mapped[dict[str, object]] = mapped_column(JSON)
    request_key: Mapped[str] = mapped_column(String(160), unique=True)  # kind + the client's idempotency key
    request_hash: Mapped[str] = mapped_column(String(64))
    maker_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    maker: Mapped[str] = mapped_column(String(sizes.USERNAME))
    status: Mapped[str] = mapped_column(String(12), index=True)  # pending, approved, rejected
    checker: Mapped[str | None] = mapped_column(String(sizes.USERNAME))
    note: Mapped[str | None] = mapped_column(String(sizes.APPROVAL_NOTE))
    result: Mapped[dict[str, object] | None] = mapped_column(JSON)
    created_at: Mapped[str] = mapped_column(String(32))
    decided_at: Mapped[str | None] = mapped_column(String(32))
