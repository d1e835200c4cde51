"""A siting run's county and site tables (api/siting_runs.py) as a file for people in the language asked for: the
headers in words with the service's own (demand weight of 常住人口 or 6–11 岁儿童, 每千人床位, 床位), yes and no,
the kinds of site and why a unit was left out in words, the figures numbers a spreadsheet sums (rounded as the page
shows them; an unknown figure an empty cell, never 0). The region's code and the left-out reason's code keep their
own columns; without a language the file keeps the columns' codes, for scripts (docs/planning.md)."""

from __future__ import annotations

import polars as pl

from changzhu.domain.lang import Lang
from changzhu.report.code_words import in_words
from changzhu.report.siting import WORDS
from changzhu.rules.labels import SITE_KINDS, SITING_COLUMNS, YES_NO, pick_label

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
    headers = {c: pick_label(SITING_COLUMNS[c], lang).format(**said) for c in out.columns if c in SITING_COLUMNS}
    return out.rename(headers)
