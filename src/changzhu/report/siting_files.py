"""A siting run's county and site tables (api/siting_runs.py) as a file for people in the language asked for: the
headers in words with the service's own (demand weight of 常住人口 or 6–11 岁儿童, 每千人床位, 床位), yes and no,
the kinds of site and why a unit was left out in words, the figures numbers a spreadsheet sums (rounded as the page
shows them; an unknown figure an empty cell, never 0). The region's code and the left-out reason's code keep their
own columns; without a language the file keeps the columns' codes, for scripts (docs/planning.md)."""

from __future__ import annotations

from typing import Any

import polars as pl

from changzhu.domain.lang import Lang, heading
from changzhu.domain.refusals import TERMS
from changzhu.report.code_words import in_words
from changzhu.report.run_versions import data_words
from changzhu.report.siting import MODEL, WORDS
from changzhu.rules.labels import (
    PLANNING_MEASURES,
    SITE_KINDS,
    SITING_COLUMNS,
    SITING_RUN_COLUMNS,
    SOLVED,
    YES_NO,
    pick_label,
)

MODEL_FIGURES = (
    "solved",
    "new_sites",
    "mean_km_before",
    "mean_km_after",
    "covered_share_before",
    "covered_share_after",
)
FLAGS = ("seat_verified", "p_median_site", "max_covering_site", "set_covering_site", "in_plan", "capacity_is_estimate")
KM_PLACES = 1  # distances to 0.1 km
WHOLE = ("weight", "residents", "capacity")  # people and beds or places, whole


def siting_file_in(frame: pl.DataFrame, service: str, lang: Lang) -> pl.DataFrame:
    """A run's `counties` or `sites` table, already cut and named (`region_name` in `lang`), as a file in `lang`;
    `service` gives the words of its weight, access and capacity headers."""
    words = WORDS[service]
    access = [c for c in frame.columns if c.startswith("access_")]
    rounded = [
        *(pl.col(c).round(0) for c in WHOLE if c in frame.columns),
        *(pl.col(c).round(KM_PLACES) for c in frame.columns if c.startswith("nearest_km_")),
        *(pl.col(c).round(words.decimals) for c in access),
        *(in_words(c, YES_NO, lang) for c in FLAGS if c in frame.columns),
    ]
    if "kind" in frame.columns:
        rounded.append(in_words("kind", SITE_KINDS, lang))
    out = frame.drop("region_name_zh", strict=False).with_columns(rounded)
    said = {
        "counted": pick_label(words.counted, lang),
        "per_1000": pick_label(words.per_1000, lang),
        "capacity": pick_label(words.capacity, lang),
    }
    headers = {
        c: heading(pick_label(SITING_COLUMNS[c], lang).format(**said)) for c in out.columns if c in SITING_COLUMNS
    }
    return out.rename(headers)


def _round(value: Any, places: int, scale: float = 1.0) -> float | None:
    """A figure rounded as the page shows it; unknown stays unknown (an empty cell), never 0."""
    return None if value is None else round(float(value) * scale, places)


def _summary_cells(run: dict[str, Any], lang: Lang) -> dict[str, Any]:
    """A run's summary (the whole region's figures) spread into columns, keyed as SITING_RUN_COLUMNS (the models'
    as `figure:model`): empty where the run has none (not done, or cut to the reader's part), and where a run
    stored before a figure was recorded lacks it (the units left out)."""
    summary = run.get("summary") or {}
    words = WORDS.get(str(run["service"]))
    cells: dict[str, Any] = {
        "unit": pick_label(words.capacity, lang) if words and summary else None,
        "gap": _round(summary.get("gap"), 0),
        "supply": _round(summary.get("supply"), 0),
        "supply_is_estimate": None,
        "added": _round(summary.get("added"), 0),
        "added_per_site": _round(summary.get("added_per_site"), 0),
        "radius_km": _round(summary.get("radius_km"), 1),
        "listed": summary.get("listed"),
    }
    if "supply_is_estimate" in summary:
        cells["supply_is_estimate"] = pick_label(YES_NO[bool(summary["supply_is_estimate"])], lang)
    models = {str(m.get("model")): m for m in summary.get("models") or []}
    for model in MODEL:
        row = models.get(model, {})
        status = row.get("status")
        cells[f"solved:{model}"] = (
            None if status is None else pick_label(SOLVED.get(str(status), (str(status), str(status))), lang)
        )
        cells[f"new_sites:{model}"] = row.get("new_sites")
        cells[f"mean_km_before:{model}"] = _round(row.get("mean_km_before"), 1)
        cells[f"mean_km_after:{model}"] = _round(row.get("mean_km_after"), 1)
        cells[f"covered_share_before:{model}"] = _round(row.get("covered_share_before"), 1, 100.0)
        cells[f"covered_share_after:{model}"] = _round(row.get("covered_share_after"), 1, 100.0)
    left_out = summary.get("left_out") or {}
    cells["left_out_units"] = left_out.get("units")
    cells["left_out_residents"] = left_out.get("residents")
    cells["estimate_note"] = summary.get("estimate_note")
    return cells


def _header(key: str, lang: Lang) -> str:
    """A column's header in `lang`; a model's figure (`figure:model`) with the model's name."""
    figure, _, model = key.partition(":")
    text = pick_label(SITING_RUN_COLUMNS[figure], lang)
    return heading(text.format(model=pick_label(MODEL[model], lang)) if model else text)


def siting_runs_file_in(runs: list[dict[str, Any]], lang: Lang) -> list[dict[str, Any]]:
    """Siting runs as describe_siting gives them, for a file a person reads in `lang`: the headers in words
    (rules/labels.py, SITING_RUN_COLUMNS), the service, status, yes and no and the solvers' results in words,
    progress in %, the summary spread into columns (the figures numbers, rounded as the page shows them, each
    estimate marked), the data version in words with its stored value for support; the settings and the coded note
    (for scripts: the file without `lang`) left out."""
    rows = []
    for run in runs:
        service = str(run["service"])
        status = str(run["status"])
        cells: dict[str, Any] = {
            "run_id": run["run_id"],
            "region_name": run["region_name"],
            "region_code": run["region_code"],
            "service": pick_label(PLANNING_MEASURES.get(service, (service, service)), lang),
            "p": run["p"],
            "status": pick_label(TERMS.get(status, (status, status)), lang),
            "progress": _round(run.get("progress"), 1, 100.0),
            "message": run.get("message"),
            "cut": pick_label(YES_NO[bool(run.get("cut"))], lang),
            **_summary_cells(run, lang),
            "data_version": data_words(run.get("data_version"), lang),
            "data_version_code": run.get("data_version"),
            **{k: run.get(k) for k in ("code_version", "created_by", "created_at", "started_at", "finished_at")},
            "share_url": run.get("share_url"),
        }
        rows.append({_header(key, lang): value for key, value in cells.items()})
    return rows
