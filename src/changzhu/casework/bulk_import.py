"""Bulk import of residents and contribution histories from the files offices have (CSV in UTF-8 or GBK, Excel,
Parquet, JSON, YAML): all or nothing per file, with a row-level error report, unless bad rows are skipped on
request. Re-importing the same file is a no-op (the file's SHA-256 is the idempotency key). A dry run is the import
itself, rolled back: every row goes through the reader's, the import's and the registry's checks, so what a dry run
leaves out and would store is what the import then leaves out and stores."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from changzhu.domain.lang import Lang
from changzhu.domain.masking import mask
from changzhu.domain.refusals import Refusal, RefusalCode, refusal, refusal_of, untranslated
from changzhu.errors import ChangzhuError
from changzhu.ledger.contributions import MonthPaid, Scheme, record_in_session, validate_months
from changzhu.registry.contact import CONTACT_KINDS, normalise
from changzhu.registry.declared import declared_columns
from changzhu.registry.identity import IdNumber, identity_keys, parse_id_number
from changzhu.registry.residents import ProofKind, Registration, register_in_session
from changzhu.store import audit_subjects
from changzhu.store.audit_reasons import because
from changzhu.store.checks import refuse_moved_out
from changzhu.store.resident_models import LedgerTransactionRow, PersonRow
from changzhu.store.txn import Operation, Outcome, run_operation
from changzhu.tables import TableRead, TableSchema, read_table
from changzhu.tables.kinds import CONTACT_COLUMNS, ID_FACTS, contribution_schema, resident_schema
from changzhu.tables.person import SEX
from changzhu.tables.places import reason_text
from changzhu.tables.read import CellError, errors_frame


@dataclass(frozen=True)
class RowError:
    """One rejected row: its line in the file (header is line 1), the column, the value and why."""

    line: int
    column: str
    reason: Refusal
    value: str = ""


class ImportRejected(ChangzhuError):
    """A file with bad rows: nothing was imported; `errors` lists every problem found (the reader's, the import's and
    the registry's: every row went through every check), `would_store` how many rows the same import would store
    with bad rows skipped."""

    def __init__(self, path: str, errors: list[RowError], would_store: int) -> None:
        self.errors = errors
        self.would_store = would_store
        first = "; ".join(f"row {e.line} {e.column}: {reason_text(e.reason, Lang.EN)}" for e in errors[:3])
        more = f" (and {len(errors) - 3} more)" if len(errors) > 3 else ""
        rows = len({e.line for e in errors})
        bad = "1 bad row" if rows == 1 else f"{rows} bad rows"
        problems = "" if len(errors) == rows else f" ({len(errors)} problems)"
        message = f"{path}: {bad}{problems}, nothing imported: {first}{more}"
        # the same in Chinese, for the command line's error line in its language (`refusal`)
        first_zh = "；".join(f"第 {e.line} 行 {e.column}：{reason_text(e.reason, Lang.ZH)}" for e in errors[:3])
        more_zh = f"（另有 {len(errors) - 3} 个问题）" if len(errors) > 3 else ""
        problems_zh = "" if len(errors) == rows else f"（共 {len(errors)} 个问题）"
        said_zh = f"{path}：{rows} 行有误{problems_zh}，未导入任何数据：{first_zh}{more_zh}"
        self.refusal = refusal(RefusalCode.IN_TWO_LANGUAGES, text_zh=said_zh, text_en=message)
        super().__init__(message)

    def report(self) -> pl.DataFrame:
        """The errors as a table (line, column, value, reason), as the file reader reports them."""
        return errors_frame([CellError(e.line, e.column, e.value, e.reason) for e in self.errors])


def _read(
    path: Path, schema: TableSchema, sheet: str | None, skip_bad_rows: bool
) -> tuple[str, TableRead, list[RowError]]:
    """The file read against its kind (good rows), the bad cells found on the way, and the idempotency digest
    (the file's bytes, and whether bad rows are skipped). The registry's own checks add to the same report."""
    read = read_table(path, schema, sheet=sheet, skip_bad_rows=True)
    digest = hashlib.sha256(path.read_bytes() + (b"skip-bad-rows" if skip_bad_rows else b"")).hexdigest()
    return digest, read, [RowError(e.line, e.column, e.reason, e.value) for e in read.errors]


# the column a registry check's refusal is about, named in the report as the file heads it (the other refusals of a
# registration, such as a write the database refused, concern the row as a whole)
_REGISTRY_COLUMNS = {
    RefusalCode.ALREADY_REGISTERED: "id_number",
    RefusalCode.RESIDENCE_BEFORE_ID_BIRTH: "residence_since",
    RefusalCode.RESIDENCE_IN_FUTURE: "residence_since",
    RefusalCode.PROOF_REF_REQUIRED: "proof_ref",
}


def _registration_error(line: int, reg: Registration, read: TableRead, reason: Refusal) -> RowError:
    """A registration the registry refused, named by the column its reason is about (with the cell's value, an
    identity number masked), else by the whole row."""
    column = _REGISTRY_COLUMNS.get(reason.code)
    if column is None:
        return RowError(line, "row", reason)
    value = {"id_number": mask(reg.id_number), "residence_since": reg.residence_since.isoformat()}.get(column, "")
    return RowError(line, read.header(column), reason, value)


def _reject(path: Path, errors: list[RowError], would_store: int) -> ImportRejected:
    return ImportRejected(str(path), sorted(errors, key=lambda e: e.line), would_store)


class _DryRun(Exception):
    """Raised at the end of a dry run so that its transaction rolls back; carries what would have been stored."""

    def __init__(self, result: dict[str, object]) -> None:
        self.result = result


def _rows_left_out(errors: list[RowError]) -> list[dict[str, object]]:
    """The left-out rows as the result keeps them: line, column and reason (never the value: the stored result holds
    no cell of a person's), the reason in English and as its code with its parameters (Refusal.as_json), from which
    the API renders it in Chinese. `_with_values` gives the caller each row's value from the file."""
    return [
        {"line": e.line, "column": e.column, "reason": e.reason.en, "refusal": e.reason.as_json()}
        for e in sorted(errors, key=lambda e: e.line)
    ]


Cells = dict[tuple[int, str], str]  # (line, column as the file heads it) -> the cell as a report shows it


def _with_values(result: dict[str, object], cells: Cells) -> dict[str, object]:
    """The import's result as its caller reads it: each left-out row with the value its cell held (`cells`: read
    from the file on this call, an identity number masked), so that the clerk sees what was wrong, in the report
    and in the --errors file; a replay's stored result gets them from the file too. A row left out as a whole has
    none."""
    rows = result.get("errors")
    if not isinstance(rows, list):
        return result
    found = [{**row, "value": cells.get((int(row["line"]), str(row["column"])), "")} for row in rows]
    return {**result, "errors": found}


def _cells(errors: list[RowError]) -> Cells:
    """The values of the cells `errors` name."""
    return {(e.line, e.column): e.value for e in errors if e.value}


def left_out_reason(row: dict[str, Any]) -> Refusal:
    """The reason of a row an import's result kept as left out; a result stored before reasons were coded
    (replayed) has only the English reason, shown as it is."""
    coded = row.get("refusal")
    return Refusal.from_json(coded) if isinstance(coded, dict) else untranslated(str(row["reason"]))


def _run(
    engine: Engine, op: Operation, apply: Callable[[Session, LedgerTransactionRow], Outcome], dry_run: bool
) -> dict[str, object]:
    """Run the import; a dry run does every check and write, then rolls back, and says so."""
    if not dry_run:
        return run_operation(engine, op, apply)

    def rehearse(session: Session, txn: LedgerTransactionRow) -> Outcome:
        raise _DryRun(apply(session, txn).result)

    try:
        return {**run_operation(engine, op, rehearse), "dry_run": True}
    except _DryRun as done:
        return {**done.result, "dry_run": True, "replayed": False}


def _contact_errors(line: int, row: dict[str, object], read: TableRead) -> list[RowError]:
    """The row's name and phone, where given, as the registry can store them; an error for each it cannot (named
    by the file's header)."""
    errors = []
    for kind in CONTACT_KINDS:
        value = row[kind]
        if value is None:
            continue
        try:
            normalise(kind, str(value))
        except ChangzhuError as exc:
            errors.append(RowError(line, read.header(kind), refusal_of(exc), mask(str(value))))
    return errors


def _id_fact_errors(line: int, row: dict[str, Any], read: TableRead, number: IdNumber) -> list[RowError]:
    """A 出生日期 or 性别 the row gives that the identity number contradicts (one it agrees with adds nothing: the
    number is the source)."""
    errors = []
    born = row.get("birth_date")
    if born is not None and born != number.birth_date:
        errors.append(
            RowError(line, read.header("birth_date"), refusal(RefusalCode.BIRTH_DATE_NOT_ID), born.isoformat())
        )
    sex = row.get("sex")
    if sex is not None and sex != number.sex:
        written = next(c.zh for c in SEX if c.code == sex)  # as a 派出所 writes it: 男 / 女
        errors.append(RowError(line, read.header("sex"), refusal(RefusalCode.SEX_NOT_ID), written))
    return errors


def _without_first_of_twice(
    regs: list[tuple[int, Registration]],
    twice: dict[str, tuple[int, int, str]],
    read: TableRead,
    errors: list[RowError],
) -> list[tuple[int, Registration]]:
    """`regs` without the first row of an identity number the file gives on two rows that differ, that row named as
    the same person as the next one: which of the two rows is the person (their date, proof, facts) is not known, so
    --skip-bad-rows stores neither (the first row was stored, the later one left out), as it leaves out both rows of
    a person table's doubled 编号. A row copied twice as it is keeps its first (the copy is refused)."""
    firsts = {first: (other, shown) for first, other, shown in twice.values()}
    for first, (other, shown) in firsts.items():
        errors.append(RowError(first, read.header("id_number"), refusal(RefusalCode.SAME_PERSON_AS, line=other), shown))
    return [(line, reg) for line, reg in regs if line not in firsts]


def import_residents(
    engine: Engine,
    path: Path,
    *,
    actor: str,
    sheet: str | None = None,
    skip_bad_rows: bool = False,
    dry_run: bool = False,
) -> dict[str, object]:
    """Register every resident of the file (any format `changzhu schema resident` describes) in one transaction,
    or none; with `skip_bad_rows`, the good rows and the rows left out; with `dry_run`, store nothing."""
    schema = resident_schema(declared_columns())
    digest, read, errors = _read(path, schema, sheet, skip_bad_rows)
    regs: list[tuple[int, Registration]] = []
    seen: dict[str, int] = {}
    first_rows: dict[str, dict[str, object]] = {}  # each number's first row, as read
    twice: dict[str, tuple[int, int, str]] = {}  # a number on two differing rows: the first, the next, masked
    keys = identity_keys()
    contact = {c.name for c in CONTACT_COLUMNS}
    facts = [c.name for c in schema.columns if not c.required and c.name not in contact and c.name not in ID_FACTS]
    for line, row in zip(read.lines, read.frame.iter_rows(named=True), strict=True):
        try:
            number = parse_id_number(row["id_number"])
        except ChangzhuError as exc:
            errors.append(RowError(line, read.header("id_number"), refusal_of(exc), mask(row["id_number"])))
            continue
        lookup = keys.lookup_hash(number)
        if lookup in seen:
            errors.append(
                RowError(
                    line,
                    read.header("id_number"),
                    refusal(RefusalCode.SAME_PERSON_AS, line=seen[lookup]),
                    mask(number.value),
                )
            )
            if row != first_rows[lookup]:  # the same row copied twice says who the person is: its first is kept
                twice.setdefault(lookup, (seen[lookup], line, mask(number.value)))
            continue
        seen[lookup], first_rows[lookup] = line, row
        bad_contact = _contact_errors(line, row, read) + _id_fact_errors(line, row, read, number)
        if bad_contact:
            errors.extend(bad_contact)
            continue
        attributes = {name: row[name] for name in facts if row[name] is not None}
        reg = Registration(
            number.value,
            row["hukou_region"],
            row["residence_region"],
            row["residence_since"],
            ProofKind(row["proof_kind"]),
            row["proof_ref"],
            attributes,
            name=row["name"],
            phone=row["phone"],
        )
        regs.append((line, reg))
    regs = _without_first_of_twice(regs, twice, read, errors)

    # the registry's checks run on every good row even when the file has bad ones, and a refusal comes after them: a
    # check (dry run) lists every row the import would leave out, and a refused file names all its bad rows at once
    def apply(session: Session, _txn: LedgerTransactionRow) -> Outcome:
        stored, found = 0, list(errors)  # a copy: a retried transaction starts again from the file's own errors
        for line, reg in regs:
            try:
                register_in_session(session, reg, today=date.today())
                stored += 1
            except ChangzhuError as exc:
                found.append(_registration_error(line, reg, read, refusal_of(exc)))
        if found and not skip_bad_rows:
            raise _reject(path, found, stored)
        left_out = len({e.line for e in found})
        result = {"residents": stored, "left_out": left_out, "file_sha256": digest, "errors": _rows_left_out(found)}
        return Outcome(result, audit_subjects.file(path.name), {"rows": stored, "left_out": left_out})

    op = Operation(
        "import.residents", f"import-residents-{digest}", {"sha256": digest}, actor, because("import_residents")
    )
    cells = _cells(errors)  # the reader's and the file's own checks; then what the registry's checks are about
    for line, reg in regs:
        cells[(line, read.header("id_number"))] = mask(reg.id_number)
        cells[(line, read.header("residence_since"))] = reg.residence_since.isoformat()
    return _with_values(_run(engine, op, apply, dry_run), cells)


@dataclass(frozen=True)
class Reach:
    """The jurisdiction a file is imported under: its codes, and whether it covers a region."""

    scopes: tuple[str, ...]
    covers: Callable[[str], bool]


def import_contributions(
    engine: Engine,
    path: Path,
    *,
    actor: str,
    sheet: str | None = None,
    skip_bad_rows: bool = False,
    dry_run: bool = False,
    reach: Reach | None = None,
) -> dict[str, object]:
    """Record every contribution range of the file in one transaction, or none (or the good ones, with
    `skip_bad_rows`; nothing with `dry_run`). With `reach` (the caller's jurisdiction), a row of a person living
    elsewhere is refused as one of a person no one registered: the same answer, so a file tells nothing of who is
    registered in another place; and the file is replayed only for a caller of the same jurisdiction."""
    digest, read, errors = _read(path, contribution_schema(), sheet, skip_bad_rows)
    parsed: list[tuple[int, str, Scheme, str, list[MonthPaid]]] = []
    keys = identity_keys()
    cells: Cells = {}  # what the registry's checks are about: the row's identity number, masked
    for line, row in zip(read.lines, read.frame.iter_rows(named=True), strict=True):
        try:
            lookup = keys.lookup_hash(parse_id_number(row["id_number"]))
        except ChangzhuError as exc:
            errors.append(RowError(line, read.header("id_number"), refusal_of(exc), mask(row["id_number"])))
            continue
        cells[(line, read.header("id_number"))] = mask(row["id_number"])
        scheme, start, end = Scheme(row["scheme"]), row["period_from"], row["period_to"]
        base = round(row["monthly_base_yuan"] * 100)
        months, p = [], start
        while p <= end:
            months.append(MonthPaid(p, base))
            p = p + 89 if p % 100 == 12 else p + 1
        try:
            validate_months(months, scheme, date.today())
        except ChangzhuError as exc:
            errors.append(RowError(line, "row", refusal_of(exc)))
            continue
        parsed.append((line, lookup, scheme, row["region"], months))

    # as for residents: every good row goes through the registry's checks before a file with bad rows is refused
    def apply(session: Session, txn: LedgerTransactionRow) -> Outcome:
        total = rows = 0
        found = list(errors)  # a copy: a retried transaction starts again from the file's own errors
        for line, lookup, scheme, region, months in parsed:
            person = session.execute(select(PersonRow).where(PersonRow.id_hash == lookup).with_for_update()).scalar()
            number = cells[(line, read.header("id_number"))]
            if reach is not None and (person is None or not reach.covers(person.residence_region)):
                why = refusal(RefusalCode.NO_SUCH_PERSON_IN_JURISDICTION)
                found.append(RowError(line, read.header("id_number"), why, number))
                continue
            if person is None:
                found.append(RowError(line, read.header("id_number"), refusal(RefusalCode.NO_SUCH_PERSON), number))
                continue
            try:  # every check of record_in_session comes before its first write, so a failed row writes nothing
                refuse_moved_out(person)  # handed over to another province's instance: her record here is history
                record_in_session(session, txn, person, scheme, region, months)
                session.flush()
                total += len(months)
                rows += 1
            except ChangzhuError as exc:
                found.append(RowError(line, "row", refusal_of(exc)))
        if found and not skip_bad_rows:
            raise _reject(path, found, rows)
        left_out = len({e.line for e in found})
        return Outcome(
            {
                "rows": rows,
                "months": total,
                "left_out": left_out,
                "file_sha256": digest,
                "errors": _rows_left_out(found),
            },
            audit_subjects.file(path.name),
            {"rows": rows, "months": total, "left_out": left_out},
        )

    key, request = f"import-contrib-{digest}", {"sha256": digest}
    if reach is not None:  # whose replay it is: another jurisdiction's earlier import of the file is not answered
        request["reach"] = ",".join(reach.scopes)
        key += "-" + hashlib.sha256(request["reach"].encode()).hexdigest()[:16]
    op = Operation("import.contributions", key, request, actor, because("import_contributions"))
    return _with_values(_run(engine, op, apply, dry_run), {**cells, **_cells(errors)})
