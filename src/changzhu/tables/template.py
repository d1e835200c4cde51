"""A kind's columns described (markdown, JSON, CSV) and empty templates with Chinese and English headers."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl

from changzhu.errors import ChangzhuError
from changzhu.tables.schema import Column, ColumnType, TableSchema


def template_header(col: Column) -> str:
    """The header a template writes: Chinese label and column name, e.g. 出生日期 (birth_date)."""
    return f"{col.zh} ({col.name})"


def describe(schema: TableSchema) -> pl.DataFrame:
    """One row per column: name, labels, type, unit, whether required, accepted categories, aliases, example."""
    rows = [
        {
            "column": c.name,
            "label_zh": c.zh,
            "label_en": c.en,
            "type": c.type.value,
            "unit": c.unit,
            "required": c.required,
            "may_be_empty": c.nullable or c.default is not None,
            "default": "" if c.default is None else str(c.default),
            "categories": "; ".join(
                f"{k.code}={k.zh}" + (f" (also {', '.join(k.aliases)})" if k.aliases else "") for k in c.categories
            ),
            "aliases": "; ".join(c.aliases),
            "example": c.example,
        }
        for c in schema.columns
    ]
    return pl.DataFrame(rows)


def describe_markdown(schema: TableSchema) -> str:
    """The columns as a markdown table, with a title naming the kind."""
    table = describe(schema)
    lines = [f"### {schema.zh} / {schema.en} (`{schema.kind}`)", "", "| " + " | ".join(table.columns) + " |"]
    lines.append("|" + " --- |" * len(table.columns))
    for row in table.iter_rows():
        cells = ["yes" if v is True else "no" if v is False else str(v).replace("|", "\\|") for v in row]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def describe_json(schema: TableSchema) -> str:
    """The columns as JSON (kind, labels, columns with categories as objects)."""
    columns = [
        {
            "name": c.name,
            "label_zh": c.zh,
            "label_en": c.en,
            "type": c.type.value,
            "unit": c.unit,
            "required": c.required,
            "nullable": c.nullable,
            "default": c.default,
            "categories": [{"code": k.code, "label_zh": k.zh, "label_en": k.en} for k in c.categories],
            "aliases": list(c.aliases),
            "example": c.example,
        }
        for c in schema.columns
    ]
    doc = {"kind": schema.kind, "label_zh": schema.zh, "label_en": schema.en, "columns": columns}
    return json.dumps(doc, ensure_ascii=False, indent=1)


def template_example(col: Column) -> str:
    """A column's example as a clerk writes it in the template: a category by its Chinese label (郊区, not suburban;
    a set's each one), a yes/no as 是 or 否 (not false), as the core columns' examples are written; read back, the
    same values."""
    if col.type == ColumnType.BOOL:
        return {"true": "是", "false": "否"}.get(col.example.strip().lower(), col.example)
    labels = {k.code: k.zh for k in col.categories}
    if labels and col.example:
        return ";".join(labels.get(part, part) for part in col.example.split(";"))
    return col.example


def template_frame(schema: TableSchema, *, typed: bool = False) -> pl.DataFrame:
    """The template as a table: headers in Chinese and English, one example row: text cells, or (`typed`, for a
    workbook) a number column's example a number, so that the sheet holds it as a number cell as a clerk's typing
    would (not a number kept as text, which Excel marks and a sum leaves out); an identity number, a phone and a
    region code stay text."""
    numbers = {ColumnType.NUMBER: pl.Float64(), ColumnType.INTEGER: pl.Int64(), ColumnType.MONTHS: pl.Int64()}
    return pl.DataFrame(
        [
            pl.Series(template_header(c), [c.example or None]).cast(numbers[c.type])
            if typed and c.type in numbers
            else pl.Series(template_header(c), [template_example(c)], pl.String)
            for c in schema.columns
        ]
    )


def write_template(schema: TableSchema, path: Path) -> None:
    """Write an empty template with one example row: .csv (UTF-8 with BOM, opens in Excel) or .xlsx."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        template_frame(schema).write_csv(path, include_bom=True)
    elif suffix == ".xlsx":
        template_frame(schema, typed=True).write_excel(path, worksheet=schema.kind, autofit=True)
    else:
        raise ChangzhuError(f"--template {path}: give a .csv or .xlsx file")
