"""`changzhu regions` and `changzhu population` as a person reads them: the headers in words (rules/labels.py,
REGISTRY_COLUMNS), the region by its name in the language asked for, levels, division types, size classes and city
clusters in words. The CSV, JSON and files (--out) keep the columns' codes, as scripts read them (docs/planning.md)."""

from __future__ import annotations

import polars as pl

from changzhu.data.classification import AGGLOMERATIONS_FILE, FILES_DIR
from changzhu.domain.lang import Lang
from changzhu.report.code_words import in_words
from changzhu.rules.labels import REGISTRY_COLUMNS, YES_NO, category_labels, pick_label

LEVELS: dict[str, tuple[str, str]] = {
    "province": ("省级", "province"),
    "prefecture": ("地级", "prefecture"),
    "county": ("县级", "county"),
}
DIVISION_TYPES: dict[str, tuple[str, str]] = {
    "province": ("省、自治区", "province or autonomous region"),
    "municipality": ("直辖市", "municipality"),
    "prefecture_level_city": ("地级市", "prefecture-level city"),
    "prefecture": ("地区", "prefecture"),
    "autonomous_prefecture": ("自治州", "autonomous prefecture"),
    "league": ("盟", "league"),
    "province_direct_county_level": ("省直辖县级行政单位", "county-level unit under the province"),
    "county": ("县级单位", "county-level unit"),
}
SIZE_BASES: dict[str, tuple[str, str]] = {
    "census_2020_official_list": ("2020 年普查官方名单", "2020 census official list"),
    "district_urban_population_proxy": ("市辖区城镇人口（估算）", "district urban population (estimate)"),
}


def registry_in(frame: pl.DataFrame, lang: Lang) -> pl.DataFrame:
    """A regions or population frame (registry/queries.py; GET /regions and /population) for the screen or a file
    asked in `lang`: one name column (and one full name), the codes of level, division type, size class, its basis,
    currency and city clusters in words, the headers in words; the region's code kept in its own column."""
    out = frame
    for short in ("name", "full_name"):  # the name (and the full name, as the API lists it) in `lang` alone
        if f"{short}_zh" in out.columns:
            zh, en = pl.col(f"{short}_zh"), pl.col(f"{short}_en")
            shown = zh if lang == Lang.ZH else pl.coalesce(en, zh)
            out = out.with_columns(shown.alias(f"{short}_zh")).rename({f"{short}_zh": short}).drop(f"{short}_en")
    words = [(pl.col(c) * 100).round(2) for c in out.columns if c.endswith("_share")]  # headed (%)
    if "level" in out.columns:
        words.append(in_words("level", LEVELS, lang))
    if "division_type" in out.columns:
        words.append(in_words("division_type", DIVISION_TYPES, lang))
    if "city_size_class" in out.columns:
        sizes = {c: category_labels("city_size_class", c) for c in out["city_size_class"].drop_nulls().unique()}
        words.append(in_words("city_size_class", sizes, lang))
    if "city_size_basis" in out.columns:
        words.append(in_words("city_size_basis", SIZE_BASES, lang))
    if "current" in out.columns:
        words.append(in_words("current", YES_NO, lang))
    if "agglomerations" in out.columns:
        clusters = pl.read_csv(FILES_DIR / AGGLOMERATIONS_FILE, columns=["agglomeration_id", "name_zh", "name_en"])
        clusters = clusters.unique("agglomeration_id")
        names = {a: pick_label((zh, en), lang) for a, zh, en in clusters.iter_rows()}
        joiner = "、" if lang == Lang.ZH else ", "
        words.append(
            pl.col("agglomerations")
            .str.split(",")
            .list.eval(pl.element().str.strip_chars().replace(names))
            .list.join(joiner)
        )
    out = out.with_columns(words)
    return out.rename({c: pick_label(REGISTRY_COLUMNS[c], lang) for c in out.columns if c in REGISTRY_COLUMNS})


def share_places(frame: pl.DataFrame, lang: Lang) -> dict[str, int]:
    """The shares' headers in `lang` (headed (%)), each shown to two places, as `registry_in` rounds them: 34.30 in
    a column of 60.85, not 34.3."""
    return {pick_label(REGISTRY_COLUMNS[c], lang): 2 for c in frame.columns if c.endswith("_share")}
