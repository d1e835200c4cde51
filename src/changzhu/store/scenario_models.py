"""Saved reform scenarios and the runs made of them, kept in the database so they survive a restart (0006)."""

from __future__ import annotations

from sqlalchemy import JSON, Float, ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from changzhu.domain import field_sizes as sizes
from changzhu.store.models import Base


class ScenarioRow(Base):
    """A named reform: the same YAML the CLI reads, with who saved it and when."""

    __tablename__ = "scenarios"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    body_yaml: Mapped[str] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(String(sizes.USERNAME))
    version: Mapped[int] = mapped_column(Integer, default=1)  # bumped on each update
    created_at: Mapped[str] = mapped_column(String(32))
    updated_at: Mapped[str] = mapped_column(String(32))


class ScenarioRunRow(Base):
    """One run of a scenario against the baseline: its settings, versions, progress and results."""

    __tablename__ = "scenario_runs"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)  # random token, used in the shareable URL
    scenario_id: Mapped[int | None] = mapped_column(ForeignKey(ScenarioRow.id), index=True)  # None: a shipped file
    scenario_name: Mapped[str] = mapped_column(String(80), index=True)
    scenario_yaml: Mapped[str] = mapped_column(Text)  # the reform exactly as run
    settings: Mapped[dict[str, object]] = mapped_column(JSON)  # sample, years, seed, precision target
    status: Mapped[str] = mapped_column(String(12), index=True)  # queued, running, done, failed
    progress: Mapped[float] = mapped_column(Float, default=0.0)  # 0..1
    message: Mapped[str | None] = mapped_column(String(400))  # a run's text before 0013 (read: describe_run)
    note: Mapped[dict[str, object] | None] = mapped_column(JSON)  # the step or the failure, coded: {code, params}
    data_version: Mapped[str] = mapped_column(String(80))
    code_version: Mapped[str] = mapped_column(String(80))
    created_by: Mapped[str] = mapped_column(String(sizes.USERNAME))
    created_at: Mapped[str] = mapped_column(String(32))
    started_at: Mapped[str | None] = mapped_column(String(32))
    finished_at: Mapped[str | None] = mapped_column(String(32))
    summary: Mapped[dict[str, object] | None] = mapped_column(JSON)  # totals, intervals, sample size
    result_parquet: Mapped[bytes | None] = mapped_column(LargeBinary)  # the full result table
