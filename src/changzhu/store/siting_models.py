"""Siting runs started from the office (where to build in a province or a city), kept in the database (0018)."""

from __future__ import annotations

from sqlalchemy import JSON, Float, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from changzhu.domain import field_sizes as sizes
from changzhu.store.models import Base


class SitingRunRow(Base):
    """One siting plan of one service in one region: what was asked, its progress, and its results."""

    __tablename__ = "siting_runs"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)  # random token, used in the shareable URL
    region_code: Mapped[str] = mapped_column(String(sizes.REGION_CODE), index=True)  # the province or city sited
    service: Mapped[str] = mapped_column(String(40))  # hospital_beds, primary_school_places, junior_secondary_places
    p: Mapped[int] = mapped_column(Integer)  # new facilities placed
    settings: Mapped[dict[str, object]] = mapped_column(JSON)  # the facility lists used, their scope, the radius
    status: Mapped[str] = mapped_column(String(12), index=True)  # queued, running, done, failed
    progress: Mapped[float] = mapped_column(Float, default=0.0)  # 0..1
    note: Mapped[dict[str, object] | None] = mapped_column(JSON)  # the step or the failure, coded: {code, params}
    data_version: Mapped[str] = mapped_column(String(80))
    code_version: Mapped[str] = mapped_column(String(80))
    created_by: Mapped[str] = mapped_column(String(sizes.USERNAME))
    created_at: Mapped[str] = mapped_column(String(32))
    started_at: Mapped[str | None] = mapped_column(String(32))
    finished_at: Mapped[str | None] = mapped_column(String(32))
    summary: Mapped[dict[str, object] | None] = mapped_column(JSON)  # gap, supply, added capacity, the models' rows
    counties_parquet: Mapped[bytes | None] = mapped_column(LargeBinary)  # per county: weight, access, chosen sites
    sites_parquet: Mapped[bytes | None] = mapped_column(LargeBinary)  # the existing sites and the new ones
