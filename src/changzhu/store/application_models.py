"""The tables of applications (申请), their events, and published quota runs (积分排名)."""

from __future__ import annotations

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Integer, String, false
from sqlalchemy.orm import Mapped, mapped_column

from changzhu.domain import field_sizes as sizes
from changzhu.store.models import Base
from changzhu.store.resident_models import PersonRow


class ApplicationRow(Base):
    """One application: whose, what for, where it is decided, its state, the pre-check and the last reason."""

    __tablename__ = "applications"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    person_id: Mapped[int] = mapped_column(ForeignKey(PersonRow.id), index=True)
    kind: Mapped[str] = mapped_column(String(sizes.APPLICATION_KIND), index=True)
    region: Mapped[str] = mapped_column(String(sizes.REGION_CODE), index=True)  # residence when submitted
    status: Mapped[str] = mapped_column(String(sizes.APPLICATION_STATUS), index=True)
    note: Mapped[str | None] = mapped_column(String(sizes.APPLICATION_NOTE))
    precheck: Mapped[dict[str, object]] = mapped_column(JSON)
    points: Mapped[float | None] = mapped_column(Float)  # the ranked total at submission (None: no scheme)
    reason_zh: Mapped[str | None] = mapped_column(String(sizes.APPLICATION_REASON))
    reason_en: Mapped[str | None] = mapped_column(String(sizes.APPLICATION_REASON))
    # the reason is a person's own words, typed once and kept in both fields (False: drafted in each language)
    reason_as_written: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    submitted_by: Mapped[str] = mapped_column(String(sizes.USERNAME))
    submitted_at: Mapped[str] = mapped_column(String(32))
    updated_at: Mapped[str] = mapped_column(String(32))


class ApplicationEventRow(Base):
    """One transition of an application: from, action, to, who, why, and the policy version and values used."""

    __tablename__ = "application_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    application_id: Mapped[int] = mapped_column(ForeignKey(ApplicationRow.id), index=True)
    action: Mapped[str] = mapped_column(String(sizes.APPLICATION_STATUS))
    from_status: Mapped[str | None] = mapped_column(String(sizes.APPLICATION_STATUS))
    to_status: Mapped[str] = mapped_column(String(sizes.APPLICATION_STATUS))
    actor: Mapped[str] = mapped_column(String(sizes.USERNAME))
    reason_zh: Mapped[str | None] = mapped_column(String(sizes.APPLICATION_REASON))
    reason_en: Mapped[str | None] = mapped_column(String(sizes.APPLICATION_REASON))
    reason_as_written: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())  # as above
    policy_version: Mapped[str] = mapped_column(String(64))
    parameters: Mapped[dict[str, object]] = mapped_column(JSON)
    at: Mapped[str] = mapped_column(String(32))


class QuotaRunRow(Base):
    """A published ranking: kind, region, year, the quota or capacities, the cut-off and both lists."""

    __tablename__ = "quota_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(sizes.APPLICATION_KIND), index=True)
    region: Mapped[str] = mapped_column(String(sizes.REGION_CODE), index=True)
    year: Mapped[int] = mapped_column(Integer)
    quota: Mapped[int | None] = mapped_column(Integer)
    capacity: Mapped[dict[str, object] | None] = mapped_column(JSON)
    cutoff_points: Mapped[float | None] = mapped_column(Float)
    admitted: Mapped[list[dict[str, object]]] = mapped_column(JSON)
    waiting: Mapped[list[dict[str, object]]] = mapped_column(JSON)
    rule: Mapped[dict[str, object]] = mapped_column(JSON)  # tie-break, policy version, parameters used
    published_by: Mapped[str] = mapped_column(String(sizes.USERNAME))
    published_at: Mapped[str] = mapped_column(String(32))
