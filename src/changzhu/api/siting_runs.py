"""Siting runs (where to build) started from the office: queued by a planner's request, computed by the worker the
scenario runs use (api/run_store.py), read back by id and cut to each reader's jurisdiction.

A run sites one service (hospital beds, or primary or junior-secondary places from an uploaded school list) in one
province or prefecture-level city with `p` new facilities (planning/region_siting.py). Its row keeps the summary
(the region's gap and supply, the capacity added, the three models' results) as JSON and two tables as Parquet: per
county (demand weight, distances and access before and after, the sites each model chose) and the sites (existing
facilities or prefecture seats with their capacity, and the p-median's new sites)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np
import polars as pl
from sqlalchemy import Engine, select
from sqlalchemy.orm import defer

from changzhu.api.aggregates import json_rows, overlaps
from changzhu.api.auth.principal import Principal
from changzhu.api.errors import NotFound
from changzhu.api.run_store import StoredRuns, now, run_state
from changzhu.api.scenario_runs import result_bytes
from changzhu.domain.lang import Lang
from changzhu.domain.refusals import Refusal, RefusalCode, refusal
from changzhu.planning.region_siting import site_region, siting_inputs
from changzhu.planning.siting import EXISTING, SitingPlan, access_estimate, county_rows, result_rows
from changzhu.registry.region_names import region_labels
from changzhu.report.siting import MODEL
from changzhu.store.db import session_scope
from changzhu.store.siting_models import SitingRunRow

STEP_PROGRESS = {"p_median": 0.1, "max_covering": 0.55, "set_covering": 0.8}  # share done when each model starts


def site_table(plan: SitingPlan) -> pl.DataFrame:
    """The existing sites with their capacity (a listed facility's own; a prefecture seat's apportioned, an
    estimate) and the p-median's new sites, each adding an equal part of the gap (an estimate)."""
    held = plan.sites.filter(pl.col(EXISTING))
    existing = held.select(
        "region_code",
        "facility_name",
        "lon",
        "lat",
        pl.when(pl.col("facility_name").is_null()).then(pl.lit("seat")).otherwise(pl.lit("listed")).alias("kind"),
        pl.Series("capacity", list(plan.existing_capacity), dtype=pl.Float64),
    ).with_columns((pl.col("kind") == "seat").alias("capacity_is_estimate"))
    chosen = plan.sites[np.asarray(plan.p_median.sites, dtype=np.int64).tolist()]
    per_site = plan.added / max(len(plan.p_median.sites), 1)
    new = chosen.select(
        "region_code",
        "facility_name",
        "lon",
        "lat",
        pl.lit("new").alias("kind"),
        pl.lit(per_site, pl.Float64).alias("capacity"),
        pl.lit(True).alias("capacity_is_estimate"),
    )
    return pl.concat([existing, new])


def summary_of(plan: SitingPlan, gap: float, supply: float, supply_is_estimate: bool) -> dict[str, Any]:
    """What the run row keeps as JSON: the region's gap and supply, the capacity added, the models' rows."""
    return {
        "gap": gap,
        "supply": supply,
        "supply_is_estimate": supply_is_estimate,
        "added": plan.added,
        "added_per_site": plan.added / max(len(plan.p_median.sites), 1),
        "radius_km": plan.radius_km,
        "listed": plan.listed,
        "models": json_rows(result_rows(plan)),
        "left_out": plan.left_out_summary(),
        "estimate": plan.access_estimate().as_json(),
    }


def told_summary(row: SitingRunRow, lang: Lang) -> dict[str, Any] | None:
    """A run's summary with its estimate note worded in `lang` (`estimate_note`) from its code (`estimate`). A run
    stored before the note was coded kept its text, which named the school-age parameters by their keys: it is
    read as the coded note of its service, never shown as stored (the shares are the national ones, as office runs
    use, unchanged since schools were sited)."""
    if row.summary is None:
        return None
    kept = {k: v for k, v in row.summary.items() if k != "estimate_note"}
    coded = kept.get("estimate")
    note = Refusal.from_json(dict(coded)) if isinstance(coded, dict) else access_estimate(row.service)
    return {**kept, "estimate": note.as_json(), "estimate_note": note.text(lang)}


class SitingQueue(StoredRuns[SitingRunRow]):
    """Siting runs of one database, computed on `pool` (the scenario runs' worker: one run at a time)."""

    def __init__(self, engine: Engine, pool: ThreadPoolExecutor | None = None) -> None:
        super().__init__(engine, SitingRunRow, lambda run_id: refusal(RefusalCode.NO_SITING_RUN, run_id=run_id), pool)

    def start(self, region_code: str, service: str, p: int, username: str) -> str:
        """Check the request (region, p, a school list for schools: refused at once, coded), store a queued run and
        hand it to the worker."""
        self.refuse_when_busy()
        inputs = siting_inputs(region_code, service, p)
        settings = {"list_regions": list(inputs.list_regions), "list_scope": inputs.scope, "level": inputs.level}
        return self.enqueue(self._work, username, region_code=region_code, service=service, p=p, settings=settings)

    def _work(self, run_id: str) -> None:
        """Compute one run (in the worker thread); any error ends it as failed with its coded reason."""
        try:
            row = self.get(run_id)
            preparing = refusal(RefusalCode.SITING_PREPARING).as_json()
            self.set(run_id, status="running", started_at=now(), note=preparing)
            inputs = siting_inputs(row.region_code, row.service, row.p)

            def progress(model: str) -> None:
                zh, en = MODEL[model]
                note = refusal(RefusalCode.SITING_SOLVING, model_zh=zh, model_en=en).as_json()
                self.set(run_id, progress=STEP_PROGRESS[model], note=note)

            plan = site_region(inputs, progress)
            self.finish(
                run_id,
                summary=summary_of(plan, inputs.gap, inputs.supply, inputs.supply_is_estimate),
                counties_parquet=result_bytes(county_rows(plan)),
                sites_parquet=result_bytes(site_table(plan)),
            )
        except Exception as exc:  # a run's failure is recorded on its row, never lost in the thread
            self.fail(run_id, exc)

    def in_reach(self, run_id: str, principal: Principal) -> SitingRunRow:
        """A run whose region overlaps the caller's jurisdiction (lies in it, or holds it: a city's planner reads the
        city's part of a province's run); any other answers as an unknown id (404), saying nothing of it."""
        row = self.get(run_id)
        if not overlaps(principal, row.region_code):
            raise NotFound(self._missing(run_id))
        return row

    def listing(self, principal: Principal, limit: int, offset: int) -> tuple[list[SitingRunRow], int]:
        """Runs in the caller's reach, newest first, without their tables, and how many there are."""
        self._ensure_recovered()
        query = (
            select(SitingRunRow)
            .options(defer(SitingRunRow.counties_parquet), defer(SitingRunRow.sites_parquet))
            .order_by(SitingRunRow.created_at.desc(), SitingRunRow.id)
        )
        with session_scope(self.engine) as session:
            rows = [r for r in session.scalars(query) if overlaps(principal, r.region_code)]
            for row in rows:
                session.expunge(row)
        return rows[offset : offset + limit], len(rows)


def describe_siting(row: SitingRunRow, lang: Lang, principal: Principal, engine: Engine) -> dict[str, Any]:
    """A run's request, status and progress (its step or why it failed: `message` in `lang`), and its summary once
    done; the summary (the whole region's figures) only to a reader whose jurisdiction holds the whole region (`cut`
    says it was left out)."""
    whole = principal.covers(row.region_code)
    with session_scope(engine) as session:
        zh, en = region_labels(session, [row.region_code]).get(row.region_code, (row.region_code, row.region_code))
    return {
        "run_id": row.id,
        "region_code": row.region_code,
        "region_name": zh if lang == Lang.ZH else en,
        "service": row.service,
        "p": row.p,
        **run_state(row, lang),
        "summary": told_summary(row, lang) if whole else None,
        "cut": not whole,
        "share_url": f"/api/v1/planning/siting/runs/{row.id}",
    }
