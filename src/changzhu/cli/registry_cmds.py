"""Commands for residents, the portable account, vouchers, bulk import and the audit log."""

from __future__ import annotations

import getpass
import tempfile
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import polars as pl
import typer
from sqlalchemy import Engine

from changzhu.cli.output import OutputFormat, console, emit_table
from changzhu.errors import ChangzhuError

if TYPE_CHECKING:
    from changzhu.registry.residents import ProofKind

resident_app = typer.Typer(help="Residents: register (常住地登记), permits (居住证), moves, households, settlement.")
ledger_app = typer.Typer(help="The portable account (终身福利账户): contributions, transfers, balances, checks.")
voucher_app = typer.Typer(help="Service vouchers (服务券): issue, redeem, clear between regions.")
import_app = typer.Typer(help="Bulk import from CSV, all or nothing per file.")
audit_app = typer.Typer(help="The hash-chained audit log.")

Fmt = Annotated[OutputFormat, typer.Option("--format", help="table, csv or json")]
Key = Annotated[str | None, typer.Option("--key", help="idempotency key: repeating a call with it is a no-op")]
Day = Annotated[str, typer.Option("--on", help="date (YYYY-MM-DD)")]


def _engine() -> Engine:
    from changzhu.registry.db import make_engine
    from changzhu.registry.migrate import upgrade

    engine = make_engine()
    upgrade(engine)
    return engine


def _actor() -> str:
    return f"cli:{getpass.getuser()}"


def _day(text: str, name: str = "--on") -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise ChangzhuError(f"{name}: {text!r} is not a date (YYYY-MM-DD)") from exc


def _show(result: dict[str, object], fmt: OutputFormat = OutputFormat.TABLE) -> None:
    emit_table(pl.DataFrame([{k: str(v) for k, v in result.items()}]), fmt)


def _proof_kind(value: str) -> ProofKind:
    """The proof of residence named by --proof (housing or employment)."""
    from changzhu.registry.residents import ProofKind

    try:
        return ProofKind(value)
    except ValueError as exc:
        raise ChangzhuError(f"--proof must be one of {', '.join(p.value for p in ProofKind)}") from exc


@resident_app.command("register")
def resident_register(
    id_number: Annotated[str, typer.Option(prompt=True, hide_input=True, help="national ID (never stored in clear)")],
    hukou: Annotated[str, typer.Option(help="hukou place (户籍地), prefecture code")],
    residence: Annotated[str, typer.Option(help="place of habitual residence (常住地), prefecture code")],
    since: Annotated[str, typer.Option(help="residence since (YYYY-MM-DD)")],
    proof: Annotated[str, typer.Option(help="housing, employment or study")],
    proof_ref: Annotated[str, typer.Option(help="reference of the proof (contract, certificate)")],
    key: Key = None,
) -> None:
    """Register a person's habitual residence with its proof."""
    from changzhu.registry.residents import Registration, register_resident

    kind = _proof_kind(proof)
    reg = Registration(id_number, hukou, residence, _day(since, "--since"), kind, proof_ref, {})
    _show(register_resident(_engine(), reg, actor=_actor(), key=key))


@resident_app.command("find")
def resident_find(id_number: Annotated[str, typer.Option(prompt=True, hide_input=True)]) -> None:
    """The person key of an identity number (looked up by keyed hash)."""
    from changzhu.registry.residents import find_person, person_summary

    engine = _engine()
    _show(person_summary(engine, find_person(engine, id_number)))


@resident_app.command("show")
def resident_show(person: str, fmt: Fmt = OutputFormat.TABLE) -> None:
    """Registry facts of a person (never the identity number)."""
    from changzhu.registry.residents import person_summary

    _show(person_summary(_engine(), person), fmt)


@resident_app.command("permit")
def resident_permit(person: str, on: Day, key: Key = None) -> None:
    """Issue a residence permit (居住证) where the person lives."""
    from changzhu.registry.residents import issue_permit

    _show(issue_permit(_engine(), person, _day(on), actor=_actor(), key=key))


@resident_app.command("renew")
def resident_renew(permit_no: str, on: Day, key: Key = None) -> None:
    """Renew (签注) a residence permit for another year."""
    from changzhu.registry.residents import renew_permit

    _show(renew_permit(_engine(), permit_no, _day(on), actor=_actor(), key=key))


@resident_app.command("move")
def resident_move(
    person: str,
    to: Annotated[str, typer.Option(help="new place of residence")],
    on: Day,
    proof: Annotated[str, typer.Option()],
    proof_ref: Annotated[str, typer.Option()],
    key: Key = None,
) -> None:
    """Record a move of habitual residence."""
    from changzhu.registry.residents import record_move

    kind = _proof_kind(proof)
    _show(record_move(_engine(), person, to, _day(on), kind, proof_ref, actor=_actor(), key=key))


@resident_app.command("link")
def resident_link(parent: str, child: str, key: Key = None) -> None:
    """Link a parent and a child."""
    from changzhu.registry.residents import link_household

    _show(link_household(_engine(), parent, child, actor=_actor(), key=key))


@resident_app.command("settle")
def resident_settle(person: str, on: Day, key: Key = None) -> None:
    """Settle the hukou at the place of residence (落户)."""
    from changzhu.registry.residents import settle_hukou

    _show(settle_hukou(_engine(), person, _day(on), actor=_actor(), key=key))


@ledger_app.command("contribute")
def ledger_contribute(
    person: str,
    scheme: Annotated[str, typer.Option(help="pension, medical, unemployment or housing_wait")],
    region: Annotated[str, typer.Option()],
    period_from: Annotated[str, typer.Option("--from", help="YYYYMM")],
    period_to: Annotated[str, typer.Option("--to", help="YYYYMM")],
    base: Annotated[float, typer.Option(help="monthly contribution base, yuan")] = 0.0,
    key: Key = None,
) -> None:
    """Record contribution (or waiting) months at a region."""
    from changzhu.ledger.contributions import MonthPaid, Scheme, record_contributions

    try:
        sch, start, end = Scheme(scheme), int(period_from), int(period_to)
    except ValueError as exc:
        raise ChangzhuError(f"--scheme one of {', '.join(s.value for s in Scheme)}; --from/--to YYYYMM") from exc
    months, p = [], start
    while p <= end:
        months.append(MonthPaid(p, round(base * 100)))
        p = p + 89 if p % 100 == 12 else p + 1
    _show(record_contributions(_engine(), person, sch, region, months, actor=_actor(), key=key))


@ledger_app.command("school")
def ledger_school(person: str, year: int, grade: int, school: str, region: str, key: Key = None) -> None:
    """Add a completed school year to a child's record (学籍)."""
    from changzhu.ledger.contributions import record_school_year

    _show(record_school_year(_engine(), person, year, grade, school, region, actor=_actor(), key=key))


@ledger_app.command("transfer")
def ledger_transfer(
    person: str,
    scheme: Annotated[str, typer.Option()],
    from_region: Annotated[str, typer.Option("--from")],
    to_region: Annotated[str, typer.Option("--to")],
    on: Day,
    transfer_no: Annotated[str, typer.Option(help="transfer number; retrying with it finishes, never repeats")],
) -> None:
    """Transfer a part of the account from one region to another (apply, release, receive)."""
    from changzhu.ledger.transfers import TransferScheme, transfer

    try:
        sch = TransferScheme(scheme)
    except ValueError as exc:
        raise ChangzhuError(f"--scheme must be one of {', '.join(s.value for s in TransferScheme)}") from exc
    _show(transfer(_engine(), person, sch, from_region, to_region, _day(on), transfer_no=transfer_no, actor=_actor()))


@ledger_app.command("drawing")
def ledger_drawing(person: str, on: Day, key: Annotated[str, typer.Option()]) -> None:
    """Decide where the pension is drawn (10-year rule) and consolidate everything there."""
    from changzhu.ledger.transfers import settle_drawing

    _show(settle_drawing(_engine(), person, _day(on), actor=_actor(), key=key))


@ledger_app.command("balances")
def ledger_balances(person: Annotated[str | None, typer.Argument()] = None, fmt: Fmt = OutputFormat.TABLE) -> None:
    """Balances derived from the entries (of one person, or all accounts)."""
    from changzhu.ledger.accounts import balances_frame

    emit_table(balances_frame(_engine(), person_key=person), fmt, title="ledger balances")


@ledger_app.command("check")
def ledger_check() -> None:
    """Check that entries balance and agree with the contribution, school, voucher and claim records."""
    from changzhu.ledger.checks import ledger_problems

    problems = ledger_problems(_engine())
    if problems:
        raise ChangzhuError(f"{len(problems)} inconsistencies: " + "; ".join(problems[:5]))
    console.print("ledger consistent: every unit sums to zero and balances agree with the records")


@ledger_app.command("example")
def ledger_example() -> None:
    """Run the worked example (Chengdu → Shenzhen → Suzhou) on a scratch SQLite database and print it."""
    from changzhu.ledger.example_doc import render
    from changzhu.ledger.worked_example import run
    from changzhu.registry.db import make_engine
    from changzhu.registry.migrate import upgrade

    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{Path(tmp) / 'example.sqlite3'}")
        upgrade(engine)
        console.print(render(run(engine)), markup=False, highlight=False)
        engine.dispose()


@voucher_app.command("issue")
def voucher_issue(
    holder: str,
    issuer: Annotated[str, typer.Option()],
    service: Annotated[str, typer.Option()],
    value: Annotated[float, typer.Option(help="yuan")],
    on: Day,
    expires: Annotated[str, typer.Option(help="YYYY-MM-DD")],
    key: Key = None,
) -> None:
    """Issue a voucher to a registered person."""
    from changzhu.ledger.vouchers import issue_voucher

    _show(
        issue_voucher(
            _engine(),
            holder,
            issuer,
            service,
            round(value * 100),
            _day(on),
            _day(expires, "--expires"),
            actor=_actor(),
            key=key,
        )
    )


@voucher_app.command("redeem")
def voucher_redeem(
    voucher_no: str,
    provider: Annotated[str, typer.Option()],
    region: Annotated[str, typer.Option()],
    on: Day,
    key: Annotated[str, typer.Option()],
) -> None:
    """Redeem a voucher at a provider where the holder lives (once)."""
    from changzhu.ledger.vouchers import redeem_voucher

    _show(redeem_voucher(_engine(), voucher_no, provider, region, _day(on), actor=_actor(), key=key))


@voucher_app.command("clear")
def voucher_clear(issuer: str, provider_region: str, key: Annotated[str, typer.Option()]) -> None:
    """Clear redeemed vouchers between the issuing and the providing region."""
    from changzhu.ledger.vouchers import clear_vouchers

    _show(clear_vouchers(_engine(), issuer, provider_region, actor=_actor(), key=key))


@voucher_app.command("list")
def voucher_list(holder: Annotated[str | None, typer.Option()] = None, fmt: Fmt = OutputFormat.TABLE) -> None:
    """Vouchers and their status."""
    from changzhu.ledger.vouchers import vouchers_frame

    emit_table(vouchers_frame(_engine(), holder), fmt, title="vouchers")


def _import(kind: str, path: Path, report: Path | None) -> None:
    from changzhu.registry.bulk_import import ImportRejected, import_contributions, import_residents

    func = import_residents if kind == "residents" else import_contributions
    try:
        _show(func(_engine(), path, actor=_actor()))
    except ImportRejected as exc:
        if report is not None:
            exc.report().write_csv(report)
        else:
            emit_table(exc.report(), OutputFormat.TABLE, title="rejected rows", limit=20)
        raise


@import_app.command("residents")
def import_residents_cmd(
    path: Path,
    report: Annotated[Path | None, typer.Option(help="write the row-level error report here")] = None,
) -> None:
    """Import residents (id_number, hukou_region, residence_region, residence_since, proof_kind, proof_ref)."""
    _import("residents", path, report)


@import_app.command("contributions")
def import_contributions_cmd(
    path: Path,
    report: Annotated[Path | None, typer.Option(help="write the row-level error report here")] = None,
) -> None:
    """Import contribution histories (id_number, scheme, region, period_from, period_to, monthly_base_yuan)."""
    _import("contributions", path, report)


@audit_app.command("verify")
def audit_verify() -> None:
    """Recompute the audit chain; exit 1 if any record was changed, removed or inserted."""
    from changzhu.registry.audit import verify

    report = verify(_engine())
    if not report.ok:
        raise ChangzhuError(f"audit log broken after {report.length} records: {report.problem}")
    console.print(f"audit log intact: {report.length} records chained")


def register(app: typer.Typer) -> None:
    """Add the resident, ledger, voucher, import and audit command groups."""
    app.add_typer(resident_app, name="resident")
    app.add_typer(ledger_app, name="ledger")
    app.add_typer(voucher_app, name="voucher")
    app.add_typer(import_app, name="import")
    app.add_typer(audit_app, name="audit")
