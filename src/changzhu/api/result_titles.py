"""A run's results and its gains and losses (bands) as a spreadsheet reads them: figures rounded to what they measure
(`rounded`, every CSV and XLSX file; the API's JSON keeps them as computed) and, in one language, column headers,
services, groupings, measures and bands by their names (`titled`; the codes stay for scripts: asked without a
language, the file keeps them)."""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from changzhu.api.scenario_runs import REGIONAL_DIMENSIONS
from changzhu.domain.lang import Lang, heading
from changzhu.domain.services import row_title
from changzhu.domain.units import unit_word
from changzhu.rules.labels import (
    ALL_COSTED,
    BAND_UNITS,
    BANDS,
    COMPARE_SIDES,
    FILE_COLUMNS,
    NO_UNIT_COST,
    RESULT_DIMENSIONS,
    RESULT_GROUPS,
    RESULT_MEASURES,
    labels_in,
    pick_label,
)
from changzhu.simulation.intervals import NO_UNIT_COST as NO_UNIT_COST_NOTE
from changzhu.tables.places import place_names

ESTIMATE_NOTE = "estimate_note"  # what a run's estimates are, on every row (the `estimate` column holds the figure)


def measure_title(measure: str, lang: Lang) -> str:
    """A measure's title in `lang` with its unit's word (常住人口（人）, "cost, reform (yuan a year)"); the code
    itself for a measure no table names."""
    if measure not in RESULT_MEASURES:
        return measure
    zh, en, unit = RESULT_MEASURES[measure]
    return heading(pick_label((zh, en), lang).format(unit=unit_word(unit, lang)))


def _service(code: str, lang: Lang) -> str:
    if code == "all_costed_services":
        return pick_label(ALL_COSTED, lang)
    return row_title(code, lang) or code


def titled(
    frame: pl.DataFrame, lang: Lang, scenarios: Mapping[str, str] | None = None, sides: tuple[str, ...] = ("",)
) -> pl.DataFrame:
    """`frame` (a run's results or its bands, or two runs compared) with its reforms (`scenarios`: name -> title in
    `lang`), services, groupings, measures, bands and headers in `lang`; a code no table names stays as it is (never
    a blank). `sides`: the suffixes of the columns each run has its own of (`_a`, `_b` when two are compared: their
    reform, note and estimate note), headed as the column with the run's letter (COMPARE_SIDES)."""

    columns = set(frame.columns)
    tables = (("dimension", RESULT_DIMENSIONS), ("unit", BAND_UNITS), ("band", BANDS))
    renamed = [pl.col(c).replace(labels_in(table, lang)) for c, table in tables if c in columns]
    if "measure" in columns:
        renamed.append(pl.col("measure").replace({m: measure_title(m, lang) for m in RESULT_MEASURES}))
    if "service" in columns:
        services = {code: _service(code, lang) for code in frame["service"].unique().to_list() if code is not None}
        renamed.append(pl.col("service").replace(services))
    if {"group", "group_label", "dimension"} <= columns:
        renamed.append(_group_names(frame, lang))
    if {"group", "dimension"} <= columns:  # a region's division code; no key (national, local) in a file for people
        renamed.append(_division_codes())
    for side in sides:
        if scenarios and f"scenario{side}" in columns:
            renamed.append(pl.col(f"scenario{side}").replace(dict(scenarios)))
        if f"note{side}" in columns:
            renamed.append(pl.col(f"note{side}").replace({NO_UNIT_COST_NOTE: pick_label(NO_UNIT_COST, lang)}))
        if f"{ESTIMATE_NOTE}{side}" in columns:  # the note is written "中文 / English": the half in `lang`
            part = "field_0" if lang == Lang.ZH else "field_1"
            renamed.append(
                pl.col(f"{ESTIMATE_NOTE}{side}").str.splitn(" / ", 2).struct.field(part).alias(f"{ESTIMATE_NOTE}{side}")
            )
    out = _group_first(frame.with_columns(*renamed))
    return out.rename({c: header for c in out.columns if (header := _header(c, lang, sides)) is not None})


def _header(column: str, lang: Lang, sides: tuple[str, ...]) -> str | None:
    """A file column's header in `lang` (FILE_COLUMNS; a run's own column of two compared, with the run's letter);
    None for a column no table names."""
    if column in FILE_COLUMNS:
        return pick_label(FILE_COLUMNS[column], lang)
    for side in sides:
        base = column.removesuffix(side)
        if side and base != column and base in FILE_COLUMNS:
            return pick_label(FILE_COLUMNS[base], lang) + pick_label(COMPARE_SIDES[side], lang)
    return None


def _group_first(frame: pl.DataFrame) -> pl.DataFrame:
    """`frame` with the group's name beside its grouping and before its division code (组别 was the last column but
    one, far from 分组方式, with the code column where a reader looks for the group)."""
    if not {"dimension", "group", "group_label"} <= set(frame.columns):
        return frame
    rest = [c for c in frame.columns if c not in ("group", "group_label")]
    at = rest.index("dimension") + 1
    return frame.select(*rest[:at], "group_label", "group", *rest[at:])


def _division_codes() -> pl.Expr:
    """The group code column of a file for people: a region's six-digit administrative division code (a code people
    look up, and what tells two counties of one name apart), empty on the rows of the whole country, of a population
    group and of residents whose region is unknown, which have no such code (their keys, `national`, `local`, `D03`,
    `unknown`, are for scripts: the file asked without a language keeps them)."""
    division = pl.col("dimension").is_in(REGIONAL_DIMENSIONS) & pl.col("group").str.contains(r"^\d{6}$")
    return pl.when(division).then(pl.col("group")).otherwise(None).alias("group")


def _group_names(frame: pl.DataFrame, lang: Lang) -> pl.Expr:
    """The group column in `lang`: a region by its name in that language (the stored label is the Chinese name), a
    group by RESULT_GROUPS, an age band as stored; a code no table names keeps the stored label."""
    groups = labels_in(RESULT_GROUPS, lang)
    regions: dict[str, str] = {}
    if lang == Lang.EN:
        codes = frame.filter(pl.col("dimension").is_in(REGIONAL_DIMENSIONS))["group"].unique().to_list()
        if codes:
            regions = {code: en for code, (_, en) in place_names(codes).items() if en}
    regional = pl.col("dimension").is_in(REGIONAL_DIMENSIONS)
    return (
        pl.when(regional)
        # residents whose region is not known: `unknown` named as a group is ("未知 unknown" in either file until
        # 2026-12-05); a region code no table names keeps the stored label
        .then(pl.col("group").replace_strict({**groups, **regions}, default=pl.col("group_label")))
        .when(pl.col("group").is_in(list(groups)))
        .then(pl.col("group").replace_strict(groups, default=pl.col("group_label")))
        .otherwise(pl.col("group_label"))
        .alias("group_label")
    )


SHARE_DIGITS = 4  # a share (0–1) to 0.01%
WHOLE_UNITS = ("people", "households", "count", "yuan/year")  # counted in whole people, households and yuan


def rounded(frame: pl.DataFrame, figures: tuple[str, ...] = ("estimate", "low", "high")) -> pl.DataFrame:
    """`frame` (a run's results or its bands, or two runs compared: their `figures`) with its figures rounded to what
    they measure (the measure's unit in RESULT_MEASURES), for a file people open: people, households and yuan a year
    whole, a share (0–1) to four decimals (no float noise, 2470371299999.9995); a measure no table names keeps its
    figures as computed."""
    if "measure" in frame.columns:
        share = pl.col("measure").is_in([m for m, (_zh, _en, unit) in RESULT_MEASURES.items() if unit == "ratio"])
        whole = pl.col("measure").is_in([m for m, (_zh, _en, unit) in RESULT_MEASURES.items() if unit in WHOLE_UNITS])
        return frame.with_columns(
            pl.when(share).then(pl.col(c).round(SHARE_DIGITS)).when(whole).then(pl.col(c).round(0)).otherwise(pl.col(c))
            for c in figures
        )
    return frame.with_columns(
        *(pl.col(c).round(SHARE_DIGITS) for c in ("share", "share_low", "share_high") if c in frame.columns),
        *(pl.col(c).round(0) for c in ("count", "count_low", "count_high") if c in frame.columns),
    )
