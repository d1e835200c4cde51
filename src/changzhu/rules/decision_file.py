"""The per-person decisions as a machine file (`changzhu evaluate --out x.csv|x.parquet`): the fields as evaluate()
returns them, with the note the workbook gives its earliest dates where they are estimates (--earliest).

An earliest date is an estimate, not a promise (it assumes nothing changes). The workbook says so in its header,
居住证：可符合日期（估算）, and on its 列说明 sheet (rules/decision_sheet.py); the machine files say it in a way that
travels with them:

- CSV: the header of each earliest column is the field followed by the workbook's word in the reader's language,
  earliest_residence_permit（估算） / earliest_residence_permit (estimate), what a person opening the file in Excel
  sees above the dates. Every other header stays its field name; the field name of an earliest header is its text
  up to the first "（" or " (" (`field_of`).
- Parquet: every field name as evaluate() returns it, the note in the file's key-value metadata (changzhu.estimates:
  the columns and the note in both languages, as JSON) and on each earliest column (changzhu.estimate = true,
  changzhu.note.zh, changzhu.note.en).
"""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl

from changzhu.domain.lang import Lang
from changzhu.output import PARQUET_ZSTD_LEVEL, spreadsheet_cells
from changzhu.rules.decision_sheet import WORDS

EARLIEST = "earliest_"
# the word the workbook's earliest header ends with, in each language (decision_sheet.WORDS["earliest"])
ESTIMATE_SUFFIX = {Lang.ZH: "（估算）", Lang.EN: " (estimate)"}
ESTIMATES_KEY = "changzhu.estimates"


def estimate_note(lang: Lang) -> str:
    """What an earliest date is, as the workbook's 列说明 / columns sheet says it in `lang`."""
    return WORDS["zh" if lang == Lang.ZH else "en"]["earliest_means"]


def field_of(header: str) -> str:
    """The field name a CSV header stands for: an earliest column's without its estimate word."""
    for suffix in ESTIMATE_SUFFIX.values():
        if header.startswith(EARLIEST) and header.endswith(suffix):
            return header[: -len(suffix)]
    return header


def write_decision_file(result: pl.DataFrame, path: Path, lang: Lang, *, earliest: bool) -> None:
    """`result` (evaluate()'s columns) to `path` by its suffix, .csv or .parquet; with `earliest` (the dates are
    then estimates) each earliest column says so (the module's docstring)."""
    estimated = [c for c in result.columns if c.startswith(EARLIEST)] if earliest else []
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix.lower() == ".csv":
        headed = result.rename({c: c + ESTIMATE_SUFFIX[lang] for c in estimated})
        spreadsheet_cells(headed).write_csv(path, include_bom=True)  # UTF-8 with BOM: Excel reads the Chinese
        return
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = result.to_arrow()
    notes = {"zh": estimate_note(Lang.ZH), "en": estimate_note(Lang.EN)}
    fields = [
        field.with_metadata(
            {"changzhu.estimate": "true", "changzhu.note.zh": notes["zh"], "changzhu.note.en": notes["en"]}
        )
        if field.name in estimated
        else field
        for field in table.schema
    ]
    metadata = {ESTIMATES_KEY: json.dumps({"columns": estimated, **notes}, ensure_ascii=False)} if estimated else {}
    table = table.cast(pa.schema(fields, metadata=metadata))
    pq.write_table(table, path, compression="zstd", compression_level=PARQUET_ZSTD_LEVEL)
