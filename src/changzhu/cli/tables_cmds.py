"""`changzhu schema`: the columns of every kind of table, and templates; and reading a user's file for a command
(row-level error report printed and optionally written, all or nothing unless --skip-bad-rows)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from changzhu.cli.lang import LangOption, command_lang
from changzhu.domain.lang import Lang
from changzhu.errors import ChangzhuError
from changzhu.output import OutputFormat, console, emit_table, err_console, export_table

if TYPE_CHECKING:  # the readers (polars) are imported when a file is read, not for `--help`
    import polars as pl

    from changzhu.casework.bulk_import import ImportRejected
    from changzhu.domain.person import CheckedPersonTable
    from changzhu.tables import TableRead, TableRejected, TableSchema

SheetOption = Annotated[str | None, typer.Option("--sheet", help="Excel sheet to read (default: the first)")]
SkipOption = Annotated[
    bool, typer.Option("--skip-bad-rows", help="use the good rows of a file with bad rows (says how many were left)")
]
ErrorsOption = Annotated[
    Path | None, typer.Option("--errors", help="write the row-level error report to this CSV file")
]


def person_file_schema(jurisdiction: str | None = None) -> TableSchema:
    """The person table as a file: the core columns and the inputs the policies in use declare (of every
    jurisdiction, or of one code's chain)."""
    from changzhu.registry.declared import declared_columns
    from changzhu.tables.person import person_schema

    return person_schema(declared_columns(jurisdiction))


def read_user_table(
    path: Path, schema: TableSchema, *, sheet: str | None, skip_bad_rows: bool, errors: Path | None
) -> pl.DataFrame:
    """`path` read as `schema`'s kind; bad rows are printed (and written to `errors`), then nothing is used,
    unless `skip_bad_rows`: then the good rows are, and the count of the others is said."""
    from changzhu.tables import TableRejected, read_table

    try:
        read = read_table(path, schema, sheet=sheet, skip_bad_rows=skip_bad_rows)
    except TableRejected as exc:
        report_errors(exc.report(), errors)
        raise rejected(exc) from exc
    report_ignored(read, schema)
    _report_skipped(read, errors)
    return read.frame


def read_user_people(
    path: Path, *, sheet: str | None, skip_bad_rows: bool, errors: Path | None
) -> pl.DataFrame | CheckedPersonTable:
    """A person file (person_file_schema) read as read_user_table reads it: the table as the reader checked it (a
    CheckedPersonTable: evaluate and explain do not check it again), or the rows kept when that check left some
    out."""
    from concurrent.futures import ThreadPoolExecutor

    from changzhu.tables import TableRejected
    from changzhu.tables.formats import read_raw
    from changzhu.tables.person import PERSON_RECORDS_KEY, read_person_table

    # a population stored by `changzhu simulate --store` also holds the simulation's own attributes (hukou type,
    # county, income band, …): read as a person table, those columns are left out rather than refused
    stored = path.is_dir() and (path / _stored_manifest()).is_file()
    # the file is read in a thread while the policies load for the schema (their declared inputs): polars reads
    # without the GIL, the policies are Python
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="changzhu-read") as pool:
        cells = pool.submit(read_raw, path, sheet=sheet, records_key=PERSON_RECORDS_KEY)
        schema = person_file_schema()
        raw = cells.result()
    try:
        read, checked = read_person_table(
            path, schema, sheet=sheet, skip_bad_rows=skip_bad_rows, ignore_unknown=stored, raw=raw
        )
    except TableRejected as exc:
        report_errors(exc.report(), errors)
        raise rejected(exc) from exc
    report_ignored(read, schema)
    _report_skipped(read, errors)
    return read.frame if checked is None else checked


def rejected(exc: TableRejected | ImportRejected) -> ChangzhuError:
    """The one line saying a file was refused, in the error line's language: how many rows were wrong, that nothing
    was used, and the first problems by row, column and reason (each exception says it in Chinese and English)."""
    from changzhu.domain.refusals import CodedError

    return CodedError(exc.refusal)


def _stored_manifest() -> str:
    """The file naming a stored population in its directory (imported only for a directory: changzhu.simulation
    imports the whole microsimulation, ≈0.1 s of CPU that reading a file does not need)."""
    from changzhu.simulation.store import MANIFEST

    return MANIFEST


def report_ignored(read: TableRead, schema: TableSchema) -> None:
    """The file's columns that are not the table's (备注, 电话…): named in the command's language, read for
    nothing."""
    note = read.ignored_note(schema)
    for said in [*read.sheets_notes(schema), *([] if note is None else [note])]:
        line = (
            f"[yellow]注意：[/yellow]{said.zh}" if command_lang() == Lang.ZH else f"[yellow]warning:[/yellow] {said.en}"
        )
        err_console.print(line, highlight=False)


def _report_skipped(read: TableRead, errors: Path | None) -> None:
    """The rows left out with --skip-bad-rows: printed (and written to `errors`) and counted."""
    if read.errors:
        report_errors(read.report(), errors)
        left, used = read.skipped, read.frame.height
        said = (
            f"{left:,} 行有误，已略去（--skip-bad-rows）；使用 {used:,} 行"
            if command_lang() == Lang.ZH
            else f"{left:,} bad row(s) left out (--skip-bad-rows); {used:,} row(s) used"
        )
        err_console.print(said, highlight=False)


def report_errors(report: pl.DataFrame, errors: Path | None) -> None:
    """Print the row-level error report (first rows, in the command's language) and write all of it to `errors` if
    given."""
    import polars as pl

    zh = command_lang() == Lang.ZH
    if errors is not None:
        export_table(report, errors, OutputFormat.CSV)  # the file keeps both languages' reasons
        problems = "1 problem" if report.height == 1 else f"{report.height} problems"
        written_zh, written_en = (
            f"错误报告（{report.height} 个问题）已写入 {errors}",
            f"error report ({problems}) written to {errors}",
        )
        err_console.print(written_zh if zh else written_en, highlight=False)
    # on screen: the command's language only, its headers too
    shown = report.select(
        [pl.col(name).alias(REPORT_HEADERS_ZH.get(name, name)) for name in ("row", "column", "value", "reason_zh")]
        if zh
        else ["row", "column", "value", "reason"]
    )
    emit_table(
        shown, OutputFormat.TABLE, "被拒绝的行" if zh else "rejected rows", limit=20, lang=Lang.ZH if zh else Lang.EN
    )


REPORT_HEADERS_ZH = {"row": "行", "column": "列", "value": "值", "reason_zh": "原因"}  # the error report on screen


SCHEMA_FORMATS = ("table", "markdown", "json", "csv")


def schema_command(
    kind: Annotated[
        str, typer.Argument(help="person, resident, contribution, facility, supply, standard or population")
    ],
    fmt: Annotated[str, typer.Option("--format", "-f", help="table, markdown, json or csv")] = "table",
    template: Annotated[
        Path | None, typer.Option("--template", help="write an empty template (.csv or .xlsx) with one example row")
    ] = None,
    jurisdiction: Annotated[
        str | None,
        typer.Option("--jurisdiction", help="person, resident: the inputs this code's rules declare (default: all)"),
    ] = None,
    *,
    lang: LangOption,
) -> None:
    """Every column of a kind of table (type, unit, categories, Chinese and English labels, example)."""
    from changzhu.cli.admin_words import SCHEMA_COLUMNS, SCHEMA_WORDS, in_lang
    from changzhu.domain.refusals import CodedError, RefusalCode, either, refusal
    from changzhu.planning.standards import load_standards, service_catalog
    from changzhu.tables import schema_of
    from changzhu.tables.template import describe, describe_json, describe_markdown, write_template

    schema = (
        person_file_schema(jurisdiction) if kind == "person" else schema_of(kind, service_catalog(load_standards()))
    )
    if template is not None:
        write_template(schema, template)
        said_zh = f"{schema.zh}模板已写入 {template}：第 2 行是示例，导入前请删去或改写"
        said_en = f"template for {schema.en} written to {template}: row 2 is an example, delete or overwrite it first"
        console.print(said_zh if lang == Lang.ZH else said_en, highlight=False)
        return
    if fmt == "markdown":
        console.print(describe_markdown(schema), markup=False, highlight=False, soft_wrap=True)
    elif fmt == "json":
        print(describe_json(schema))
    elif fmt == "csv":
        emit_table(describe(schema), OutputFormat.CSV)
    elif fmt == "table":
        title = f"{schema.zh}（{schema.kind}）" if lang == Lang.ZH else f"{schema.en} ({schema.kind})"
        emit_table(in_lang(describe(schema), SCHEMA_COLUMNS, lang, SCHEMA_WORDS), OutputFormat.TABLE, title, lang=lang)
    else:
        choices = either("choices", SCHEMA_FORMATS)
        raise CodedError(refusal(RefusalCode.CLI_NOT_ONE_OF, option="--format", value=fmt, **choices))


def register(app: typer.Typer) -> None:
    """Add `changzhu schema` to the app."""
    app.command("schema")(schema_command)
