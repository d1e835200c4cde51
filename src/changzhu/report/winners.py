"""Each province's gain or loss on moving transfers from the registered to the resident basis (`GET /fiscal/winners`,
and the table `changzhu fiscal` prints and exports), as the API gives it and as a spreadsheet reads it: with a
language, one language per file (the province by its name in that language, the outcome in words, the headers and
the estimate note in it), as a reform run's files are (api/result_titles.py); without one, the codes and both names
in their own columns, as scripts read them."""

from __future__ import annotations

import polars as pl

from changzhu.domain.lang import Lang
from changzhu.report.file_figures import as_read
from changzhu.report.labels import service_name
from changzhu.rules.labels import ALLOCATION_LINES, FILE_COLUMNS, WINNER_OUTCOMES, labels_in, pick_label
from changzhu.tables.places import place_names

YI = 1e8  # 亿


def winners_table(comparison: pl.DataFrame) -> pl.DataFrame:
    """Per province (fiscal.run's comparison): both names, the two bases and the change in 亿 yuan, the change in %,
    the outcome code (gains, loses, unchanged) and the estimate label ("中文 / English", the API's)."""
    english = {code: en for code, (_zh, en) in place_names(comparison["region_code"].to_list()).items() if en}
    return comparison.select(
        "region_code",
        "region_name_zh",
        pl.col("region_code").replace_strict(english, default=pl.col("region_name_zh")).alias("region_name_en"),
        (pl.col("transfer_registered_basis_yuan") / YI).alias("registered_basis_yi"),
        (pl.col("transfer_resident_basis_yuan") / YI).alias("resident_basis_yi"),
        (pl.col("difference_yuan") / YI).alias("change_yi"),
        (pl.col("difference_share") * 100).alias("change_percent"),
        pl.when(pl.col("difference_yuan") > 0)
        .then(pl.lit("gains"))
        .when(pl.col("difference_yuan") < 0)
        .then(pl.lit("loses"))
        .otherwise(pl.lit("unchanged"))
        .alias("outcome"),
        "estimate",  # the registered basis is gravity-estimated
    )


def estimate_half(note: pl.Expr, lang: Lang) -> pl.Expr:
    """An estimate note written "中文 / English" (the fiscal tables' `estimate`), the half in `lang`."""
    return note.str.extract(r"^(.*?)\s*/ " if lang == Lang.ZH else r"/ (.*)$")


def winners_in(table: pl.DataFrame, lang: Lang) -> pl.DataFrame:
    """`winners_table` for a file in `lang`: one name column, the figures rounded as they are read, the outcome in
    words, the estimate note's half in `lang` (it is written "中文 / English") and the headers in it: no cell holds
    both languages."""
    name = "region_name_zh" if lang == Lang.ZH else "region_name_en"
    half = estimate_half(pl.col("estimate"), lang)
    out = table.select(
        "region_code",
        pl.col(name).alias("region_name"),
        # as a person reads them: 亿 to the whole yuan (8 places), % to two places
        *(pl.col(c).round(8) for c in ("registered_basis_yi", "resident_basis_yi", "change_yi")),
        pl.col("change_percent").round(2),
        pl.col("outcome").replace_strict(labels_in(WINNER_OUTCOMES, lang)),
        half.alias("estimate_note"),  # headed as a reform run's estimate note
    )
    return out.rename({c: pick_label(FILE_COLUMNS[c], lang) for c in out.columns})


def fiscal_file_in(table: pl.DataFrame, lang: Lang) -> pl.DataFrame:
    """A fiscal table by province (the allocation's splits and by service, the transfers, the net compensation
    flows) as a file in `lang`: each province by its name in it (`<who>_name`, from the code beside it), a service by
    its name, the estimate note's half in `lang`, the figures rounded as a person reads them (file_figures), the
    headers in it (FILE_COLUMNS; a column none names keeps its name: never a blank); as the winners' file is."""
    table, named = as_read(table), []
    for who in ("region", "payer", "payee"):
        if f"{who}_name_zh" in table.columns:
            code = f"{who}_code" if f"{who}_code" in table.columns else "region_code"
            names = {
                c: zh if lang == Lang.ZH else en or zh for c, (zh, en) in place_names(table[code].to_list()).items()
            }
            named.append(pl.col(code).replace_strict(names, default=pl.col(f"{who}_name_zh")).alias(f"{who}_name_zh"))
    out = table.with_columns(*named)
    if "service" in out.columns:  # a service by its name in `lang` (the allocation by service)
        lines = labels_in(ALLOCATION_LINES, lang)
        names = {s: lines.get(s) or service_name(s, lang) for s in out["service"].unique().to_list()}
        out = out.with_columns(pl.col("service").replace_strict(names, return_dtype=pl.String))
    if "estimate" in out.columns:
        out = out.with_columns(estimate_half(pl.col("estimate"), lang)).rename({"estimate": "estimate_note"})
    out = out.rename({c: c.removesuffix("_zh") for c in out.columns if c.endswith("_name_zh")})
    return out.rename({c: pick_label(FILE_COLUMNS[c], lang) for c in out.columns if c in FILE_COLUMNS})
