"""Bulk import of residents and contribution histories from CSV: all or nothing per file, with a row-level
error report. Re-importing the same file is a no-op (the file's SHA-256 is the idempotency key)."""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import polars as pl
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from changzhu.errors import ChangzhuError
from changzhu.ledger.contributions import MonthPaid, Scheme, record_in_session, validate_months
from changzhu.registry.identity import identity_keys, parse_id_number
from changzhu.registry.resident_models import LedgerTransactionRow, PersonRow
from changzhu.registry.residents import ProofKind, Registration, register_in_session
from changzhu.registry.txn import Operation, Outcome, run_operation

RESIDENT_COLUMNS = ("id_number", "hukou_region", "residence_region", "residence_since", "proof_kind", "proof_ref")
CONTRIBUTION_COLUMNS = ("id_number", "scheme", "region", "period_from", "period_to", "monthly_base_yuan")


@dataclass(frozen=True)
class RowError:
    """One rejected row: its line in the file (header is line 1), the column and why."""

    line: int
    column: str
    message: str


class ImportRejected(ChangzhuError):
    """A file with bad rows: nothing was imported; `errors` lists every problem found."""

    def __init__(self, path: str, errors: list[RowError]) -> None:
        self.errors = errors
        first = "; ".join(f"line {e.line} {e.column}: {e.message}" for e in errors[:3])
        more = f" (and {len(errors) - 3} more)" if len(errors) > 3 else ""
        super().__init__(f"{path}: {len(errors)} bad row(s), nothing imported: {first}{more}")

    def report(self) -> pl.DataFrame:
        """The errors as a table (line, column, message)."""
        return pl.DataFrame(
            [vars(e) for e in self.errors], schema={"line": pl.Int64, "column": pl.String, "message": pl.String}
        )


def _read(path: Path, required: tuple[str, ...]) -> tuple[str, list[dict[str, str]]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ChangzhuError(f"{path}: cannot be read as UTF-8 text ({exc})") from exc
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in required if c not in (reader.fieldnames or [])]
    if missing:
        raise ImportRejected(str(path), [RowError(1, c, "column is missing") for c in missing])
    return hashlib.sha256(text.encode()).hexdigest(), list(reader)


def _date(text: str) -> date:
    return date.fromisoformat(text.strip())


def _period(text: str) -> int:
    value = int(text.strip())
    if not 195001 <= value <= 999912 or not 1 <= value % 100 <= 12:
        raise ValueError("not a YYYYMM month")
    return value


def import_residents(engine: Engine, path: Path, *, actor: str) -> dict[str, object]:
    """Register every resident of the file in one transaction, or none."""
    digest, rows = _read(path, RESIDENT_COLUMNS)
    errors: list[RowError] = []
    regs: list[tuple[int, Registration]] = []
    seen: dict[str, int] = {}
    keys = identity_keys()
    for line, row in enumerate(rows, start=2):
        try:
            number = parse_id_number(row["id_number"] or "")
        except ChangzhuError as exc:
            errors.append(RowError(line, "id_number", str(exc)))
            continue
        lookup = keys.lookup_hash(number)
        if lookup in seen:
            errors.append(RowError(line, "id_number", f"same person as line {seen[lookup]}"))
            continue
        seen[lookup] = line
        try:
            since = _date(row["residence_since"] or "")
        except ValueError:
            errors.append(RowError(line, "residence_since", "not a date (YYYY-MM-DD)"))
            continue
        try:
            proof = ProofKind((row["proof_kind"] or "").strip())
        except ValueError:
            errors.append(RowError(line, "proof_kind", f"must be one of {', '.join(p.value for p in ProofKind)}"))
            continue
        attributes: dict[str, object] = {
            k: v for k, v in row.items() if k not in RESIDENT_COLUMNS and v not in (None, "")
        }
        regs.append(
            (
                line,
                Registration(
                    number.value,
                    (row["hukou_region"] or "").strip(),
                    (row["residence_region"] or "").strip(),
                    since,
                    proof,
                    row["proof_ref"] or "",
                    attributes,
                ),
            )
        )
    if errors:
        raise ImportRejected(str(path), errors)

    def apply(session: Session, _txn: LedgerTransactionRow) -> Outcome:
        for line, reg in regs:
            try:
                register_in_session(session, reg, today=date.today())
            except ChangzhuError as exc:
                errors.append(RowError(line, "row", str(exc)))
        if errors:
            raise ImportRejected(str(path), errors)
        return Outcome({"residents": len(regs), "file_sha256": digest}, str(path.name), {"rows": len(regs)})

    op = Operation("import.residents", f"import-residents-{digest}", {"sha256": digest}, actor, "批量导入常住人口")
    return run_operation(engine, op, apply)


def import_contributions(engine: Engine, path: Path, *, actor: str) -> dict[str, object]:
    """Record every contribution range of the file in one transaction, or none."""
    digest, rows = _read(path, CONTRIBUTION_COLUMNS)
    errors: list[RowError] = []
    parsed: list[tuple[int, str, Scheme, str, list[MonthPaid]]] = []
    keys = identity_keys()
    for line, row in enumerate(rows, start=2):
        try:
            lookup = keys.lookup_hash(parse_id_number(row["id_number"] or ""))
            scheme = Scheme((row["scheme"] or "").strip())
            start, end = _period(row["period_from"] or ""), _period(row["period_to"] or "")
            base = round(float(row["monthly_base_yuan"] or "nan") * 100)
        except (ChangzhuError, ValueError) as exc:
            errors.append(RowError(line, "row", str(exc)))
            continue
        if end < start:
            errors.append(RowError(line, "period_to", "is before period_from"))
            continue
        months, p = [], start
        while p <= end:
            months.append(MonthPaid(p, base))
            p = p + 89 if p % 100 == 12 else p + 1
        try:
            validate_months(months, scheme, date.today())
        except ChangzhuError as exc:
            errors.append(RowError(line, "row", str(exc)))
            continue
        parsed.append((line, lookup, scheme, (row["region"] or "").strip(), months))
    if errors:
        raise ImportRejected(str(path), errors)

    def apply(session: Session, txn: LedgerTransactionRow) -> Outcome:
        total = 0
        for line, lookup, scheme, region, months in parsed:
            person = session.execute(select(PersonRow).where(PersonRow.id_hash == lookup).with_for_update()).scalar()
            if person is None:
                errors.append(RowError(line, "id_number", "no registered person has this identity number"))
                continue
            try:
                record_in_session(session, txn, person, scheme, region, months)
                session.flush()
                total += len(months)
            except ChangzhuError as exc:
                errors.append(RowError(line, "row", str(exc)))
        if errors:
            raise ImportRejected(str(path), errors)
        return Outcome(
            {"rows": len(parsed), "months": total, "file_sha256": digest},
            str(path.name),
            {"rows": len(parsed), "months": total},
        )

    op = Operation("import.contributions", f"import-contrib-{digest}", {"sha256": digest}, actor, "批量导入缴费记录")
    return run_operation(engine, op, apply)
