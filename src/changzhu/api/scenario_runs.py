"""Scenario runs kept in the database: queued by a request, computed by the worker thread, read back by id.

The queue is api/run_store.py's (shared with siting runs); the worker writes progress to the run's row while it
computes and, at the end, the summary (JSON) and the estimates (Parquet).
"""

from __future__ import annotations

import io
import time
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from typing import Any

import polars as pl
import yaml
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import defer

from changzhu.api.run_store import StoredRuns, now, run_state
from changzhu.api.scenario_files import spec_of
from changzhu.data.census import census_2020
from changzhu.domain.lang import Lang
from changzhu.domain.refusals import TERMS, RefusalCode, refusal
from changzhu.domain.services import Service
from changzhu.fiscal.parameters import fiscal_parameters
from changzhu.report.run_versions import data_words
from changzhu.rules.labels import RESULT_GROUPS, RUN_COLUMNS, pick_label
from changzhu.simulation import rules_evaluator
from changzhu.simulation.bands import ALL_SERVICES, BANDS
from changzhu.simulation.intervals import CLIPPED_AT_ZERO
from changzhu.simulation.reform import ReformResult, run_reform
from changzhu.simulation.reform_titles import reform_title
from changzhu.simulation.spec import covering_years
from changzhu.store.db import session_scope
from changzhu.store.scenario_models import ScenarioRunRow

MAX_SAMPLE = 0.001  # 1.4 million synthetic people at most; the CLI runs bigger samples
PROGRESS_EVERY_SECONDS = 1.0
REGIONAL_DIMENSIONS = ("province", "prefecture", "county")
BAND_SCHEMA: dict[str, pl.DataType] = {
    "scenario": pl.String(),
    "year": pl.Int32(),
    "dimension": pl.String(),
    "group": pl.String(),
    "group_label": pl.String(),
    "unit": pl.String(),
    "band": pl.String(),
    "share": pl.Float64(),
    "share_low": pl.Float64(),
    "share_high": pl.Float64(),
    "count": pl.Float64(),
    "count_low": pl.Float64(),
    "count_high": pl.Float64(),
    "sampled_persons": pl.Int64(),
}
# a group's label as a run stores it, in both languages ("本地户籍 local hukou"): the names labels.RESULT_GROUPS holds
GROUP_LABELS = {code: f"{zh} {en}" for code, (zh, en) in RESULT_GROUPS.items()}


def labelled(estimates: pl.DataFrame) -> pl.DataFrame:
    """Estimates with a readable `group_label`: province, prefecture and county names (not codes), groups in
    Chinese and English."""
    census = census_2020()
    counties = census.counties.filter(pl.col("in_census_2020")).select(
        pl.coalesce("code", "code_2020").alias("code"), pl.coalesce("name_zh", "name_zh_2020").alias("name_zh")
    )
    names = {
        **dict(zip(counties["code"], counties["name_zh"], strict=True)),
        **dict(zip(census.provinces["code"], census.provinces["name_zh"], strict=True)),
        **dict(zip(census.prefectures["code"], census.prefectures["name_zh"], strict=True)),
    }
    label = (
        pl.when(pl.col("dimension").is_in(list(REGIONAL_DIMENSIONS)))
        .then(pl.col("group").replace_strict(names, default=pl.col("group")))
        .otherwise(pl.col("group").replace_strict(GROUP_LABELS, default=pl.col("group")))
    )
    return estimates.with_columns(label.alias("group_label"))


def band_table(results: pl.DataFrame) -> pl.DataFrame:
    """The gain/loss bands of a run's results, one row per scenario, year, group, unit (households, persons or
    persons not linked to a household) and band: share of the group and count, each with its 90% interval. Empty
    for a run made before bands."""
    rows = results.filter(pl.col("service") == ALL_SERVICES)
    if rows.is_empty():
        return pl.DataFrame(schema=BAND_SCHEMA)
    parts = rows.filter(pl.col("measure").str.contains_any([f"_{b}" for b in BANDS])).with_columns(
        pl.col("measure").str.starts_with("share_").alias("_share"),
        pl.col("measure")
        .str.replace("^share_", "")
        .str.extract(r"^(households|persons|unlinked_persons)_")
        .alias("unit"),
        pl.col("measure")
        .str.replace("^share_", "")
        .str.replace(r"^(households|persons|unlinked_persons)_", "")
        .alias("band"),
    )
    shares = parts.filter(pl.col("_share")).select(
        "scenario",
        "year",
        "dimension",
        "group",
        "group_label",
        "unit",
        "band",
        pl.col("estimate").alias("share"),
        pl.col("low").alias("share_low"),
        pl.col("high").alias("share_high"),
        "sampled_persons",
    )
    counts = parts.filter(~pl.col("_share")).select(
        "scenario",
        "year",
        "dimension",
        "group",
        "unit",
        "band",
        pl.col("estimate").alias("count"),
        pl.col("low").alias("count_low"),
        pl.col("high").alias("count_high"),
    )
    order = {band: i for i, band in enumerate(BANDS)}
    joined = shares.join(counts, on=["scenario", "year", "dimension", "group", "unit", "band"], how="left")
    return (
        joined.with_columns(pl.col("band").replace_strict(order, return_dtype=pl.Int32).alias("_order"))
        .sort(["scenario", "year", "dimension", "group", "unit", "_order"])
        .select(list(BAND_SCHEMA))
    )


def result_bytes(frame: pl.DataFrame) -> bytes:
    """A table as Parquet bytes (stored in the run's row)."""
    buffer = io.BytesIO()
    frame.write_parquet(buffer)
    return buffer.getvalue()


def result_frame(blob: bytes) -> pl.DataFrame:
    """A stored result table."""
    return pl.read_parquet(io.BytesIO(blob))


def summary_of(result: ReformResult) -> dict[str, Any]:
    """What the run row keeps as JSON: sample, years, precision reached, unit costs and their sources."""
    return {
        "sample": result.fraction,
        "seed": result.seed,
        "years": list(result.years),
        "sampled_persons": result.sampled_persons,
        "interval": f"90%, delete-a-group jackknife over 20 random groups of households; {CLIPPED_AT_ZERO}",
        "headline": result.headline,
        "pilot": result.pilot,
        "unit_costs": result.unit_costs,
        "services_without_unit_cost": result.uncosted,
    }


def cost_sharing_rows(scheme_id: str, shares: Mapping[str, Mapping[str, float]]) -> dict[str, Any]:
    """The fiscal scheme whose cost-sharing rules split each service's change in cost, and the shares used."""
    return {"scheme": scheme_id, "shares": {service: dict(row) for service, row in shares.items()}}


class RunQueue(StoredRuns[ScenarioRunRow]):
    """Scenario runs of one database: stored rows, computed one at a time by the worker thread (run_store)."""

    def __init__(self, engine: Engine, pool: ThreadPoolExecutor | None = None) -> None:
        super().__init__(
            engine, ScenarioRunRow, lambda run_id: refusal(RefusalCode.NO_SCENARIO_RUN, run_id=run_id), pool
        )

    def start(
        self,
        scenario_name: str,
        scenario_id: int | None,
        text: str,
        settings: dict[str, Any],
        username: str,
    ) -> str:
        """Check the scenario, store a queued run with its settings filled in, and hand it to the worker."""
        self.refuse_when_busy()
        spec = spec_of(text)
        years = settings.get("years") or list(covering_years(spec))
        filled: dict[str, Any] = {
            "sample": settings.get("sample") or spec.sample,
            "seed": settings.get("seed") if settings.get("seed") is not None else spec.seed,
            "years": [int(y) for y in years],
            "target_relative_half_width": settings.get("target_relative_half_width"),
        }
        filled["sample"] = min(float(filled["sample"]), MAX_SAMPLE)
        return self.enqueue(
            self._work,
            username,
            scenario_id=scenario_id,
            scenario_name=scenario_name,
            scenario_yaml=text,
            settings=filled,
            message=None,
        )

    def _work(self, run_id: str) -> None:
        """Compute one run (in the worker thread); any error ends it as failed with its coded reason (an error the
        project did not code: a generic reason, its details in the server log only)."""
        try:
            row = self.get(run_id)
            self.set(run_id, status="running", started_at=now(), note=refusal(RefusalCode.RUN_PREPARING).as_json())
            settings: dict[str, Any] = dict(row.settings)
            spec = spec_of(row.scenario_yaml)
            years = tuple(int(y) for y in settings["years"])
            scheme = fiscal_parameters(date(years[-1], 12, 31))
            shares = {service.value: scheme.shares_of(service.value) for service in Service}
            last = [0.0]

            def progress(done: float, year: int) -> None:
                if time.monotonic() - last[0] >= PROGRESS_EVERY_SECONDS:
                    last[0] = time.monotonic()
                    note = refusal(RefusalCode.RUN_COMPUTING_YEAR, year=year).as_json()
                    self.set(run_id, progress=round(done, 3), note=note)

            target = settings.get("target_relative_half_width")
            result = run_reform(
                spec,
                rules_evaluator(spec.services),
                sample=float(settings["sample"]),
                seed=int(settings["seed"]),
                years=years,
                shares=shares,
                target=float(target) if target is not None else None,
                max_sample=MAX_SAMPLE,
                progress=progress,
            )
            self.finish(
                run_id,
                summary={**summary_of(result), "cost_sharing": cost_sharing_rows(scheme.scheme_id, shares)},
                result_parquet=result_bytes(labelled(result.estimates)),
            )
        except Exception as exc:  # a run's failure is recorded on its row, never lost in the thread
            self.fail(run_id, exc)

    def listing(self, scenario: str | None, limit: int, offset: int) -> tuple[list[ScenarioRunRow], int]:
        """Runs newest first (of one scenario, if named), without their result tables, and how many there are."""
        self._ensure_recovered()
        query = select(ScenarioRunRow).options(defer(ScenarioRunRow.result_parquet))
        count = select(func.count()).select_from(ScenarioRunRow)
        if scenario is not None:
            query = query.where(ScenarioRunRow.scenario_name == scenario)
            count = count.where(ScenarioRunRow.scenario_name == scenario)
        query = query.order_by(ScenarioRunRow.created_at.desc(), ScenarioRunRow.id).offset(offset).limit(limit)
        with session_scope(self.engine) as session:
            rows = list(session.scalars(query))
            for row in rows:
                session.expunge(row)
            return rows, int(session.scalar(count) or 0)


def run_title(row: ScenarioRunRow, lang: Lang) -> str:
    """The run's reform as people know it in `lang`, from the YAML it ran (`reform_title`: its title, else its
    description or the parameters it changes in words; the scenario's name last)."""
    try:
        raw = yaml.safe_load(row.scenario_yaml)
    except yaml.YAMLError:
        raw = None
    return reform_title(raw, lang, row.scenario_name)


def describe_run(row: ScenarioRunRow, lang: Lang) -> dict[str, Any]:
    """A run's reform (`title` in `lang`, `title_zh` and `title_en` in each, `scenario` its name), settings,
    versions, status and progress (its step or why it failed: `message` in `lang`, `note` its code and parameters),
    and its summary once done."""
    return {
        "run_id": row.id,
        "scenario": row.scenario_name,
        "title": run_title(row, lang),
        "title_zh": run_title(row, Lang.ZH),
        "title_en": run_title(row, Lang.EN),
        "saved_scenario": row.scenario_id is not None,
        **run_state(row, lang),
        "summary": row.summary,
        "share_url": f"/api/v1/scenarios/runs/{row.id}",
    }


def runs_file_in(runs: list[dict[str, Any]], lang: Lang) -> list[dict[str, Any]]:
    """Runs as describe_run gives them, for a file a person reads in `lang`: the reform by its title, the status
    and yes or no in words, progress in %, the data version in words (its stored value beside it, for support), the
    headers in words (rules/labels.py, RUN_COLUMNS); the settings, the
    coded note and the summary (JSON, for scripts: the file without `lang`, or the run's results file) left out."""
    yes, no = pick_label(("是", "yes"), lang), pick_label(("否", "no"), lang)
    rows = []
    for run in runs:
        row = {**run, "saved_scenario": yes if run["saved_scenario"] else no}
        row["status"] = pick_label(TERMS.get(str(run["status"]), (str(run["status"]), str(run["status"]))), lang)
        row["progress"] = None if run["progress"] is None else round(float(run["progress"]) * 100, 1)
        row["data_version_code"] = run["data_version"]  # as stored, for support; the column people read in words
        row["data_version"] = data_words(run["data_version"], lang)
        rows.append({pick_label(label, lang): row[key] for key, label in RUN_COLUMNS.items()})
    return rows
