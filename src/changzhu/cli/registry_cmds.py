"""Commands for residents, the portable account, vouchers, bulk import and the audit log."""

from __future__ import annotations

import sys
import tempfile
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from changzhu.cli.lang import LangOption
from changzhu.cli.tables_cmds import ErrorsOption, SheetOption, SkipOption, report_errors, report_ignored
from changzhu.domain import field_sizes as sizes
from changzhu.domain.lang import Lang
from changzhu.errors import ChangzhuError
from changzhu.output import ExportOption, OutputFormat, console, emit_table, print_fields
from changzhu.report.lang import pick

if TYPE_CHECKING:
    import polars as pl
    from sqlalchemy import Engine

    from changzhu.api.auth.principal import Principal
    from changzhu.registry.residents import ProofKind

resident_app = typer.Typer(help="Residents: register (常住地登记), permits (居住证), moves, households, settlement.")
ledger_app = typer.Typer(help="The portable account (终身福利账户): contributions, transfers, balances, checks.")
voucher_app = typer.Typer(help="Service vouchers (服务券): issue, redeem, clear between regions.")
import_app = typer.Typer(help="Bulk import from CSV, Excel, Parquet, JSON or YAML, all or nothing per file.")
audit_app = typer.Typer(help="The hash-chained audit log.")

Fmt = Annotated[OutputFormat, typer.Option("--format", help="table, csv, json; xlsx or parquet with --out")]


def _client_key(key: str | None) -> str | None:
    """Refuse a key of the form the service derives itself (changzhu.api.client_keys), as the API does."""
    from changzhu.api.client_keys import client_key

    try:
        return client_key(key)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from exc


def _transfer_no(number: str) -> str:
    """A transfer number as the API takes it (changzhu.api.client_keys.transfer_no: its length, its letters, not of
    a form the service keeps for its own keys): a longer one would not fit the ledger's keys."""
    from changzhu.api.client_keys import transfer_no

    try:
        return transfer_no(number)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from exc


TRANSFER_NO_HELP = (
    f"transfer number, {sizes.TRANSFER_NO_MIN} to {sizes.TRANSFER_NO} characters of A-Z, a-z, 0-9 and _ . : -;"
    " retrying with it finishes, never repeats (the keys of its two steps derive from it: not of a form the service"
    " keeps for its own keys)"
)
BASE_HELP = "monthly contribution base, yuan; required but for housing_wait (waiting months carry none)"
Key = Annotated[
    str | None,
    typer.Option("--key", help="idempotency key: repeating a call with it is a no-op", callback=_client_key),
]
RequiredKey = Annotated[
    str,
    typer.Option("--key", help="idempotency key: repeating a call with it is a no-op", callback=_client_key),
]
Day = Annotated[str, typer.Option("--on", help="date (YYYY-MM-DD)")]
PERSON_HELP = "person key (`changzhu resident find` prints it)"
Person = Annotated[str, typer.Argument(help=PERSON_HELP)]
ProofOption = Annotated[str, typer.Option(help="housing, employment or study")]
ProofRef = Annotated[str, typer.Option(help="reference of the proof (contract, certificate)")]
HELD_FIELDS = ("approval_id", "status", "maker", "created_at", "replayed")  # what a held write prints of its item
As = Annotated[
    str,
    typer.Option(
        "--as",
        envvar="CHANGZHU_OPERATOR",
        help="the user (of the users table) this command acts as: their role and jurisdictions are checked",
    ),
]


def migrated_engine() -> Engine:
    """The registry database, migrated to the latest revision."""
    from changzhu.registry.migrate import upgrade
    from changzhu.store.db import make_engine

    engine = make_engine()
    upgrade(engine)
    return engine


def _day(text: str, name: str = "--on") -> date:
    """The date an option gives, written YYYY-MM-DD; else refused saying how to write it."""
    from changzhu.domain.refusals import CodedError, RefusalCode, refusal

    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise CodedError(refusal(RefusalCode.CLI_OPTION_NOT_A_DATE, option=name, value=text)) from exc


def _month(text: str, name: str) -> int:
    """The month an option gives, written YYYYMM; else refused saying how to write it."""
    from changzhu.domain.refusals import CodedError, RefusalCode, refusal

    if len(text) != 6 or not text.isdigit() or not 1 <= int(text[4:]) <= 12:
        raise CodedError(refusal(RefusalCode.CLI_OPTION_NOT_A_MONTH, option=name, value=text))
    return int(text)


def _choice(text: str, name: str, choices: list[str]) -> str:
    """`text` if it is one of `choices`; else refused listing them."""
    from changzhu.domain.refusals import CodedError, RefusalCode, refusal

    if text not in choices:
        raise CodedError(refusal(RefusalCode.CLI_OPTION_NOT_ONE_OF, option=name, value=text, choices=tuple(choices)))
    return text


_NAME_ENDINGS = ("", "市", "省", "地区", "自治州", "盟", "区", "县")


def _region(text: str, name: str) -> str:
    """A region code an option gives (six digits); a place's name is refused with its code to write instead (the
    prefecture's where several levels share the name; each region's where several of one level do), anything else
    with where to find the codes."""
    from changzhu.domain.refusals import CodedError, RefusalCode, refusal
    from changzhu.tables.vocab import shipped_region_index

    code = text.strip()
    if len(code) == 6 and code.isdigit():
        return code
    levels = {"prefecture": 0, "province": 1, "county": 2}
    word = code.lower()
    found = sorted(
        (levels.get(level, 3), c)
        for level, c, zh, en in shipped_region_index().rows
        if any(zh == code + ending for ending in _NAME_ENDINGS if code) or (en and en.lower() == word)
    )
    shared = [c for level, c in found if level == found[0][0]] if found else []  # the nearest level's
    if len(shared) == 1:
        near = shared[0]
        raise CodedError(refusal(RefusalCode.CLI_REGION_NAME_NOT_CODE, option=name, value=text, near=near, code=near))
    if shared:  # (南山: Hegang's and Shenzhen's districts) each with its code, none of them picked
        options = tuple(shared[:6])
        raise CodedError(refusal(RefusalCode.CLI_REGION_NAME_SHARED, option=name, value=text, options=options))
    command = "changzhu regions --level prefecture"
    raise CodedError(refusal(RefusalCode.CLI_REGION_NOT_A_CODE, option=name, value=text, command=command))


def _operator(engine: Engine, username: str) -> Principal:
    """The named principal an operator command acts as (refused if no such active user)."""
    from changzhu.api.ledger_writes import operator

    return operator(engine, username)


def _show(
    result: dict[str, object], fmt: OutputFormat = OutputFormat.TABLE, out: Path | None = None, lang: Lang = Lang.ZH
) -> None:
    """One record: on screen a field per line by its label in `lang`, values in words and folded, never cut (a
    person key is there to be copied); as CSV, JSON or a file, one row of the codes."""
    import polars as pl

    if fmt == OutputFormat.TABLE and out is None:
        from changzhu.cli.resident_view import result_rows

        print_fields(result_rows(result, lang))
        return
    emit_table(pl.DataFrame([{k: str(v) for k, v in result.items()}]), fmt, out=out, lang=lang)


def _proof_kind(value: str) -> ProofKind:
    """The proof of residence named by --proof (housing, employment or study)."""
    from changzhu.registry.residents import ProofKind

    return ProofKind(_choice(value, "--proof", [p.value for p in ProofKind]))


def _asked_id_number(given: str | None) -> str:
    """The identity number given, else asked for on the terminal without echo, else the first line of stdin: the
    question goes to stderr, so what the command prints on stdout (a JSON or CSV record) stays readable to a script."""
    if given is not None:
        return given
    if sys.stdin.isatty():
        return str(typer.prompt("公民身份号码 / ID number", hide_input=True, err=True))
    return sys.stdin.readline().strip()


@resident_app.command("register")
def resident_register(
    hukou: Annotated[str, typer.Option(help="hukou place (户籍地), prefecture code")],
    residence: Annotated[str, typer.Option(help="place of habitual residence (常住地), prefecture code")],
    since: Annotated[str, typer.Option(help="residence since (YYYY-MM-DD)")],
    proof: ProofOption,
    proof_ref: ProofRef,
    as_user: As,
    id_number: Annotated[
        str | None, typer.Option(help="national ID (never stored in clear); asked for, not echoed, when left out")
    ] = None,
    fact: Annotated[
        list[str] | None,
        typer.Option("--fact", help="a fact the rules need, name=value (e.g. education=bachelor, 就业=是); repeat"),
    ] = None,
    name: Annotated[str | None, typer.Option(help="name 姓名 (stored encrypted, found by keyed hash)")] = None,
    phone: Annotated[
        str | None, typer.Option(help="mobile number 手机号 (stored encrypted, found by keyed hash)")
    ] = None,
    key: Key = None,
    *,
    lang: LangOption,
) -> None:
    """Register a person's habitual residence with its proof, and facts the rules need (`changzhu schema resident`);
    staff of the place of residence."""
    from changzhu.api.registry_writes import register_as
    from changzhu.registry.declared import declared_columns
    from changzhu.registry.residents import Registration
    from changzhu.tables.facts import parse_facts

    kind = _proof_kind(proof)
    facts = parse_facts(fact or [], declared_columns())
    hukou, residence = _region(hukou, "--hukou"), _region(residence, "--residence")
    id_no = _asked_id_number(id_number)
    reg = Registration(id_no, hukou, residence, _day(since, "--since"), kind, proof_ref, facts, name, phone)
    engine = migrated_engine()
    _show(register_as(engine, _operator(engine, as_user), reg, key=key), lang=lang)


@resident_app.command("find")
def resident_find(
    as_user: As,
    id_number: Annotated[
        str | None, typer.Option(help="national ID; asked for, not echoed, when left out (or one line of stdin)")
    ] = None,
    fmt: Fmt = OutputFormat.TABLE,
    out: ExportOption = None,
    *,
    lang: LangOption,
) -> None:
    """The record of an identity number (looked up by keyed hash), with its person key: as `resident show`; a
    number registered outside the user's reach is answered as one not registered (the read is audited)."""
    from changzhu.cli.reads import find_as

    engine = migrated_engine()
    principal = _operator(engine, as_user)
    _show_resident(engine, find_as(engine, principal, _asked_id_number(id_number)), fmt, out, lang)


@resident_app.command("show")
def resident_show(
    person: Person,
    as_user: As,
    fmt: Fmt = OutputFormat.TABLE,
    out: ExportOption = None,
    *,
    lang: LangOption,
) -> None:
    """Registry facts of a person (never the identity number), in words in --lang; staff of the place where she
    lives (or moves to), as the API (the read is audited).

    On screen places by name and code and a fact not on record as unknown; as CSV, JSON or a file, the codes (a
    fact not on record empty, or null)."""
    from changzhu.cli.reads import open_as

    engine = migrated_engine()
    open_as(engine, _operator(engine, as_user), person, "view_record")
    _show_resident(engine, person, fmt, out, lang)


def _show_resident(engine: Engine, person: str, fmt: OutputFormat, out: Path | None, lang: Lang) -> None:
    import polars as pl

    from changzhu.cli.resident_view import record_rows, resident_record

    record, columns = resident_record(engine, person)
    if fmt == OutputFormat.TABLE and out is None:
        print_fields(record_rows(engine, record, columns, lang))
        return
    plain = {k: v.isoformat() if isinstance(v, date) else ";".join(map(str, v)) if isinstance(v, list) else v
             for k, v in record.items()}  # fmt: skip
    emit_table(pl.DataFrame([plain], infer_schema_length=None), fmt, out=out, lang=lang)


@resident_app.command("permit")
def resident_permit(person: Person, on: Day, as_user: As, key: Key = None, *, lang: LangOption) -> None:
    """Issue a residence permit (居住证) where the person lives (staff of that place)."""
    from changzhu.api.registry_writes import permit_as

    engine = migrated_engine()
    _show(permit_as(engine, _operator(engine, as_user), person, _day(on), key=key), lang=lang)


@resident_app.command("renew")
def resident_renew(
    permit_no: Annotated[str, typer.Argument(help="residence permit number (`resident permit` prints it)")],
    on: Day,
    as_user: As,
    key: Key = None,
    *,
    lang: LangOption,
) -> None:
    """Renew (签注) a residence permit for another year (staff of the issuing place, where the holder lives)."""
    from changzhu.api.registry_writes import renew_as

    engine = migrated_engine()
    _show(renew_as(engine, _operator(engine, as_user), permit_no, _day(on), key=key), lang=lang)


@resident_app.command("move")
def resident_move(
    person: Person,
    to: Annotated[str, typer.Option(help="new place of residence")],
    on: Day,
    proof: ProofOption,
    proof_ref: ProofRef,
    as_user: As,
    key: Key = None,
    id_number: Annotated[
        str | None, typer.Option(help="the identity number the person shows, for a move from outside your reach")
    ] = None,
    *,
    lang: LangOption,
) -> None:
    """Record a move of habitual residence, by staff of the new place; if the person lives outside the user's
    jurisdiction (give --id-number, as the person shows it) the move is held until staff of the old place (or the
    person) confirm it."""
    from changzhu.api.registry_writes import move_as

    kind, to, moved_on = _proof_kind(proof), _region(to, "--to"), _day(on)
    engine = migrated_engine()
    operator = _operator(engine, as_user)
    held, result = move_as(engine, operator, person, to, moved_on, kind, proof_ref, key=key, id_number=id_number)
    if held:
        number = result["approval_id"]
        held_zh, held_en = (
            f"待原居住地确认（复核事项 {number}）",
            f"held until the old place confirms (approval {number})",
        )
        console.print(held_zh if lang == Lang.ZH else held_en, highlight=False)
        result = {k: result[k] for k in HELD_FIELDS if k in result}  # the held item, not its stored request
    _show(result, lang=lang)


@resident_app.command("link")
def resident_link(
    parent: Annotated[str, typer.Argument(help="the parent's person key")],
    child: Annotated[str, typer.Argument(help="the child's person key")],
    as_user: As,
    key: Key = None,
    *,
    lang: LangOption,
) -> None:
    """Link a parent and a child (staff of the place where each lives)."""
    from changzhu.api.registry_writes import link_as

    engine = migrated_engine()
    _show(link_as(engine, _operator(engine, as_user), parent, child, key=key), lang=lang)


@resident_app.command("settle")
def resident_settle(person: Person, on: Day, as_user: As, key: Key = None, *, lang: LangOption) -> None:
    """Settle the hukou at the place of residence (落户), by staff of that place."""
    from changzhu.api.registry_writes import settle_as

    engine = migrated_engine()
    _show(settle_as(engine, _operator(engine, as_user), person, _day(on), key=key), lang=lang)


@ledger_app.command("contribute")
def ledger_contribute(
    person: Person,
    scheme: Annotated[str, typer.Option(help="pension, medical, unemployment or housing_wait")],
    region: Annotated[str, typer.Option(help="region code of the place the months were paid (or waited) at")],
    period_from: Annotated[str, typer.Option("--from", help="first month paid (YYYYMM)")],
    period_to: Annotated[str, typer.Option("--to", help="last month paid (YYYYMM)")],
    as_user: As,
    base: Annotated[float | None, typer.Option(help=BASE_HELP, show_default=False)] = None,  # not given: never 0
    key: Key = None,
    *,
    lang: LangOption,
) -> None:
    """Record contribution (or waiting) months at a region (staff of that region)."""
    from changzhu.api.ledger_writes import actor_of, record_at_as
    from changzhu.api.write_access import told_of_move
    from changzhu.domain.refusals import CodedError, RefusalCode, refusal
    from changzhu.ledger.contributions import MonthPaid, Scheme, record_contributions

    sch = Scheme(_choice(scheme, "--scheme", [s.value for s in Scheme]))
    start, end, region = _month(period_from, "--from"), _month(period_to, "--to"), _region(region, "--region")
    if base is None and sch != Scheme.HOUSING_WAIT:
        raise CodedError(refusal(RefusalCode.CLI_CONTRIBUTION_NEEDS_BASE, option="--base"))
    base_fen = 0 if base is None else round(base * 100)  # waiting months carry no base (ledger.contributions)
    months, p = [], start
    while p <= end:
        months.append(MonthPaid(p, base_fen))
        p = p + 89 if p % 100 == 12 else p + 1
    engine = migrated_engine()
    principal = _operator(engine, as_user)
    record_at_as(engine, principal, person, region)
    with told_of_move(engine, principal):
        _show(record_contributions(engine, person, sch, region, months, actor=actor_of(principal), key=key), lang=lang)


@ledger_app.command("school")
def ledger_school(
    person: Person,
    year: Annotated[int, typer.Argument(help="the school year, by the calendar year it began (e.g. 2025)")],
    grade: Annotated[int, typer.Argument(help="grade, 1 to 12")],
    school: Annotated[str, typer.Argument(help="the school's name")],
    region: Annotated[str, typer.Argument(help="region code of the school's place")],
    as_user: As,
    key: Key = None,
    *,
    lang: LangOption,
) -> None:
    """Add a completed school year to a child's record (学籍), by staff of the school's region."""
    from changzhu.api.ledger_writes import actor_of, record_at_as
    from changzhu.api.write_access import told_of_move
    from changzhu.ledger.contributions import record_school_year

    region = _region(region, "REGION")
    engine = migrated_engine()
    principal = _operator(engine, as_user)
    record_at_as(engine, principal, person, region)
    with told_of_move(engine, principal):
        _show(
            record_school_year(engine, person, year, grade, school, region, actor=actor_of(principal), key=key),
            lang=lang,
        )


@ledger_app.command("transfer")
def ledger_transfer(
    person: Person,
    scheme: Annotated[str, typer.Option(help="pension, medical, unemployment, housing_wait or school")],
    from_region: Annotated[str, typer.Option("--from", help="region code of the old place (transferred out of)")],
    to_region: Annotated[str, typer.Option("--to", help="region code of the new place (where the person lives)")],
    on: Day,
    transfer_no: Annotated[
        str,
        typer.Option(
            help=TRANSFER_NO_HELP,
            callback=_transfer_no,
        ),
    ],
    as_user: As,
    *,
    lang: LangOption,
) -> None:
    """Transfer a part of the account from one region to another: the application as staff of the new place
    (where the person lives), the release as staff of the old place; one user does both only if both are in
    their jurisdiction, else each place runs the command and the second run completes it."""
    from changzhu.api.access import STAFF_WITH_PERSONAL_ACCESS
    from changzhu.api.ledger_writes import apply_transfer_as, complete_transfer_as
    from changzhu.ledger.transfers import TransferScheme

    sch = TransferScheme(_choice(scheme, "--scheme", [s.value for s in TransferScheme]))
    from_region, to_region, on_day = _region(from_region, "--from"), _region(to_region, "--to"), _day(on)
    engine = migrated_engine()
    principal = _operator(engine, as_user)
    principal.require_role(*STAFF_WITH_PERSONAL_ACCESS)  # as each step requires: before any number is looked up
    applied = principal.covers(from_region) and _application_of(
        engine, principal, transfer_no, (person, sch.value, from_region, to_region)
    )
    if not applied:
        _show(apply_transfer_as(engine, principal, person, sch, from_region, to_region, on_day, transfer_no), lang=lang)
    if principal.covers(from_region):
        _show(complete_transfer_as(engine, principal, transfer_no), lang=lang)


def _application_of(engine: Engine, principal: Principal, transfer_no: str, named: tuple[str, str, str, str]) -> bool:
    """Whether an application numbered `transfer_no` exists that `principal` may see (staff of its old or its new
    place); refused (nothing released) when it is not the one the command names (`named`: person key, scheme, from,
    to): the old place would otherwise release another person's, scheme's or places' transfer under a number
    mistyped or reused. One of places outside the caller's jurisdiction is answered as a number no one used (the
    command goes on to apply, as for a new number), so its existence is not told."""
    from sqlalchemy import select

    from changzhu.domain.refusals import CodedError, RefusalCode, refusal
    from changzhu.store.db import session_scope
    from changzhu.store.resident_models import PersonRow, TransferRow

    with session_scope(engine) as session:
        found = session.execute(
            select(PersonRow.person_key, TransferRow.scheme, TransferRow.from_region, TransferRow.to_region)
            .join(PersonRow, PersonRow.id == TransferRow.person_id)
            .where(TransferRow.transfer_no == transfer_no)
        ).first()
    if found is None or not (principal.covers(found.from_region) or principal.covers(found.to_region)):
        return False
    if tuple(found) != named:  # said without its person or places: the number may be another place's
        raise CodedError(refusal(RefusalCode.TRANSFER_NO_OTHER_APPLICATION, transfer_no=transfer_no))
    return True


@ledger_app.command("drawing")
def ledger_drawing(person: Person, on: Day, key: RequiredKey, as_user: As, *, lang: LangOption) -> None:
    """Decide where the pension is drawn (10-year rule) and consolidate everything there (staff where the
    person lives)."""
    from changzhu.api.ledger_writes import drawing_as

    engine = migrated_engine()
    _show(drawing_as(engine, _operator(engine, as_user), person, _day(on), key=key), lang=lang)


@ledger_app.command("balances")
def ledger_balances(
    as_user: As,
    person: Annotated[
        str | None, typer.Argument(help=f"{PERSON_HELP}; left out: every account you may read", show_default=False)
    ] = None,
    fmt: Fmt = OutputFormat.TABLE,
    out: ExportOption = None,
    *,
    lang: LangOption,
) -> None:
    """Balances derived from the entries: of one person (staff who may see her, as the API), or of every account
    the user may read (people they may see, funds of their jurisdiction); the read is audited. On screen columns by
    their labels in --lang and places by name and code; as CSV, JSON or a file, the codes."""
    import polars as pl

    from changzhu.cli.reads import in_reach, open_as
    from changzhu.ledger.accounts import balances_frame

    engine = migrated_engine()
    principal = _operator(engine, as_user)
    if person is not None:
        open_as(engine, principal, person, "view_account")
        shown = balances_frame(engine, person_key=person)
    else:
        frame = balances_frame(engine)
        holder = pl.when(pl.col("account").str.starts_with("P:")).then(pl.col("account").str.split(":").list.get(1))
        shown = in_reach(engine, principal, frame.with_columns(holder.alias("holder")), "holder", "region")
        shown = shown.drop("holder")
    _emit_ledger(shown, fmt, out, ("账户余额", "ledger balances"), lang)


def _emit_ledger(frame: pl.DataFrame, fmt: OutputFormat, out: Path | None, title: tuple[str, str], lang: Lang) -> None:
    """A ledger table: on screen in words in `lang` (cli.resident_view.ledger_in_words), else the codes."""
    from changzhu.rules.labels import pick_label

    if fmt == OutputFormat.TABLE and out is None:
        from changzhu.cli.resident_view import ledger_in_words

        frame = ledger_in_words(frame, lang)
    emit_table(frame, fmt, title=pick_label(title, lang), out=out, lang=lang)


@ledger_app.command("check")
def ledger_check(
    peers: Annotated[
        bool, typer.Option("--peers", help="also reconcile 跨省通办 hand-overs with every registered peer instance")
    ] = False,
    *,
    lang: LangOption,
) -> None:
    """Check that entries balance, agree with the records and with the audit log (and, with --peers, conserve
    across instances: sent = received + in flight + reversed)."""
    from changzhu.ledger.checks import ledger_findings
    from changzhu.tables.places import reason_text

    engine = migrated_engine()
    problems = [reason_text(problem, lang) for problem in ledger_findings(engine)]  # places by name
    if peers:
        problems += _peer_problems(engine, lang)
    if problems:  # each problem as the ledger's checks word it (ledger/checks.py, api/interregion/reconcile.py)
        head = pick(f"账户不一致，共 {len(problems)} 处：", f"{len(problems)} inconsistencies: ", lang)
        raise ChangzhuError(head + pick("；", "; ", lang).join(problems[:5]))
    console.print(
        pick(
            "账户一致：每个单位的分录合计为零，余额与记录和审计日志一致",
            "ledger consistent: every unit sums to zero and balances agree with the records and the audit log",
            lang,
        ),
        highlight=False,
    )


@ledger_app.command("baseline")
def ledger_baseline(as_user: As, *, lang: LangOption) -> None:
    """Vouch in the audit log for ledger entries written before entry digests existed (once, after upgrading a
    database from before them; administrators). Newer entries without a digest are never vouched for."""
    from changzhu.api.ledger_writes import baseline_as

    engine = migrated_engine()
    _show(baseline_as(engine, _operator(engine, as_user)), lang=lang)


def _peer_problems(engine: Engine, lang: Lang) -> list[str]:
    """Reconcile with each peer over signed requests; prints the totals per peer; the problems in `lang`."""
    import os

    import httpx

    from changzhu.api.interregion.reconcile import check_peers
    from changzhu.api.keys import load_or_create_signing_key
    from changzhu.api.routes.interregion import SIGNING_KEY_FILE
    from changzhu.api.settings import INSTANCE_REGION_ENV, keys_dir

    region = os.environ.get(INSTANCE_REGION_ENV)
    if not region:
        from changzhu.domain.refusals import CodedError, RefusalCode, refusal

        raise CodedError(
            refusal(
                RefusalCode.CLI_PEERS_NEED_REGION,
                option="--peers",
                variable=INSTANCE_REGION_ENV,
                command=f"export {INSTANCE_REGION_ENV}=440000",
            )
        )
    from changzhu.domain.refusals import TERMS
    from changzhu.rules.labels import pick_label

    key = load_or_create_signing_key(keys_dir() / SIGNING_KEY_FILE)
    problems: list[str] = []
    with httpx.Client(timeout=30.0, trust_env=False) as client:
        for peer, (found, totals) in check_peers(engine, region, key, client).items():
            for state, amounts in sorted(totals.items()):
                shown = pick("、", ", ", lang).join(
                    f"{value} {pick_label(TERMS[unit], lang) if unit in TERMS else unit}"
                    for unit, value in amounts.items()
                )
                words = pick_label(_STATES[state], lang) if state in _STATES else state
                console.print(f"{region} → {peer} {words}: {shown}", highlight=False)
            problems += [f"{region} → {peer}{pick('：', ': ', lang)}{p.text(lang)}" for p in found]
    return problems


_STATES: dict[str, tuple[str, str]] = {
    "sent": ("转出", "sent"),
    "received": ("对方已接收", "received"),
    "in_flight": ("在途", "in flight"),
    "reversed": ("已冲回", "reversed"),
    "lost": ("丢失", "lost"),
}


@ledger_app.command("example")
def ledger_example() -> None:
    """Run the worked example (Chengdu → Shenzhen → Suzhou) on a scratch SQLite database and print it."""
    from changzhu.casework.example_doc import render
    from changzhu.casework.worked_example import run
    from changzhu.registry.migrate import upgrade
    from changzhu.store.db import make_engine

    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{Path(tmp) / 'example.sqlite3'}")
        upgrade(engine)
        console.print(render(run(engine)), markup=False, highlight=False)
        engine.dispose()


@voucher_app.command("issue")
def voucher_issue(
    holder: Annotated[str, typer.Argument(help="the holder's person key")],
    issuer: Annotated[str, typer.Option(help="region code of the issuing place (it pays)")],
    service: Annotated[
        str,
        typer.Option(help="the service it pays for, e.g. vocational_training, childcare, elderly_care, health_checkup"),
    ],
    value: Annotated[float, typer.Option(help="the voucher's value, yuan")],
    on: Day,
    expires: Annotated[str, typer.Option(help="valid until (YYYY-MM-DD)")],
    as_user: As,
    key: Key = None,
    *,
    lang: LangOption,
) -> None:
    """Issue a voucher to a registered person (staff of the issuer): above the per-item limit or the budget it is
    refused; above the approval threshold it is held until another user approves it."""
    from changzhu.api.ledger_writes import issue_voucher_as
    from changzhu.api.settings import ApiSettings

    engine = migrated_engine()
    principal = _operator(engine, as_user)
    scenario = ApiSettings.from_env().controls_scenario
    fen, issued_on, expires_on = round(value * 100), _day(on), _day(expires, "--expires")
    issuer = _region(issuer, "--issuer")
    held, result = issue_voucher_as(
        engine, principal, holder, issuer, service, fen, issued_on, expires_on, key=key, scenario=scenario
    )
    if held:
        number = result["approval_id"]
        held_zh, held_en = f"待另一名人员复核（复核事项 {number}）", f"held for a second approver (approval {number})"
        console.print(held_zh if lang == Lang.ZH else held_en, highlight=False)
        result = {k: result[k] for k in HELD_FIELDS if k in result}  # the held item, not its stored request
    _show(result, lang=lang)


@voucher_app.command("redeem")
def voucher_redeem(
    voucher_no: Annotated[str, typer.Argument(help="voucher number (`voucher list` shows it)")],
    provider: Annotated[str, typer.Option(help="the provider (service institution or hospital) redeeming it")],
    region: Annotated[str, typer.Option(help="region code of the provider's place")],
    on: Day,
    key: RequiredKey,
    as_user: As,
    *,
    lang: LangOption,
) -> None:
    """Redeem a voucher at a provider where the holder lives (once; staff of the providing region)."""
    from changzhu.api.ledger_writes import redeem_voucher_as

    region, redeemed_on = _region(region, "--region"), _day(on)
    engine = migrated_engine()
    _show(
        redeem_voucher_as(engine, _operator(engine, as_user), voucher_no, provider, region, redeemed_on, key=key),
        lang=lang,
    )


@voucher_app.command("clear")
def voucher_clear(
    issuer: Annotated[str, typer.Argument(help="region code of the issuing place")],
    provider_region: Annotated[str, typer.Argument(help="region code of the providing place")],
    key: RequiredKey,
    as_user: As,
    *,
    lang: LangOption,
) -> None:
    """Clear redeemed vouchers between the issuing and the providing region (fiscal officers of the issuer)."""
    from changzhu.api.ledger_writes import clear_vouchers_as

    issuer, provider_region = _region(issuer, "ISSUER"), _region(provider_region, "PROVIDER_REGION")
    engine = migrated_engine()
    _show(clear_vouchers_as(engine, _operator(engine, as_user), issuer, provider_region, key=key), lang=lang)


@voucher_app.command("list")
def voucher_list(
    as_user: As,
    holder: Annotated[
        str | None, typer.Option(help="the holder's person key; left out: every voucher of people you may see")
    ] = None,
    fmt: Fmt = OutputFormat.TABLE,
    out: ExportOption = None,
    *,
    lang: LangOption,
) -> None:
    """Vouchers and their status: of one holder (staff who may see her, as the API), or every voucher of people
    the user may see; the read is audited. On screen columns by their labels in --lang and places by name and code;
    as CSV, JSON or a file, the codes."""
    from changzhu.cli.reads import in_reach, open_as
    from changzhu.ledger.vouchers import vouchers_frame

    engine = migrated_engine()
    principal = _operator(engine, as_user)
    if holder is not None:
        open_as(engine, principal, holder, "view_vouchers")
        shown = vouchers_frame(engine, holder)
    else:
        shown = in_reach(engine, principal, vouchers_frame(engine), "holder", "issuer_region")
    _emit_ledger(shown, fmt, out, ("服务券", "vouchers"), lang)


def _import(
    kind: str, path: Path, sheet: str | None, skip_bad_rows: bool, errors: Path | None, as_user: str, lang: Lang
) -> None:
    from changzhu.api.registry_writes import import_as
    from changzhu.api.upload_tables import UploadKind, read_upload, schema_for
    from changzhu.casework.bulk_import import ImportRejected
    from changzhu.cli.tables_cmds import rejected
    from changzhu.tables import TableRejected

    if not path.exists():
        import os

        from changzhu.domain.refusals import CodedError, RefusalCode, refusal

        raise CodedError(refusal(RefusalCode.CLI_FILE_NOT_FOUND, file=str(path), cwd=os.getcwd()))
    engine = migrated_engine()
    principal = _operator(engine, as_user)
    try:
        read = read_upload(path, UploadKind(kind), sheet=sheet)
        report_ignored(read, schema_for(UploadKind(kind)))
        result = import_as(
            engine, principal, UploadKind(kind), path, sheet=sheet, skip_bad_rows=skip_bad_rows, read=read
        )
    except (ImportRejected, TableRejected) as exc:
        report_errors(exc.report(), errors)
        raise rejected(exc) from exc
    left_out = result.pop("errors", None)
    _show(result, lang=lang)
    if isinstance(left_out, list) and left_out:
        report_errors(_left_out_report(left_out), errors)
        rows = len({row["line"] for row in left_out})
        left_zh, left_en = f"{rows} 行有误，已略去（--skip-bad-rows）", f"{rows} bad row(s) left out (--skip-bad-rows)"
        console.print(left_zh if lang == Lang.ZH else left_en, highlight=False)


def _left_out_report(left_out: list[dict[str, Any]]) -> pl.DataFrame:
    """The rows an import left out (its result's "errors") as the error report a refused file gives."""
    from changzhu.casework.bulk_import import left_out_reason
    from changzhu.tables.read import CellError, errors_frame

    return errors_frame(
        [CellError(int(r["line"]), str(r["column"]), str(r.get("value", "")), left_out_reason(r)) for r in left_out]
    )


ImportPath = Annotated[Path, typer.Argument(help="the file to import")]


@import_app.command("residents")
def import_residents_cmd(
    path: ImportPath,
    as_user: As,
    sheet: SheetOption = None,
    skip_bad_rows: SkipOption = False,
    errors: ErrorsOption = None,
    *,
    lang: LangOption,
) -> None:
    """Import residents (columns: `changzhu schema resident`): CSV (UTF-8 or GBK), Excel, Parquet, JSON, YAML; every
    row's residence in the user's jurisdiction (caseworkers, administrators)."""
    _import("resident", path, sheet, skip_bad_rows, errors, as_user, lang)


@import_app.command("contributions")
def import_contributions_cmd(
    path: ImportPath,
    as_user: As,
    sheet: SheetOption = None,
    skip_bad_rows: SkipOption = False,
    errors: ErrorsOption = None,
    *,
    lang: LangOption,
) -> None:
    """Import contribution histories (columns: `changzhu schema contribution`), in any format residents take; every
    row's region in the user's jurisdiction (caseworkers, administrators)."""
    _import("contribution", path, sheet, skip_bad_rows, errors, as_user, lang)


@audit_app.command("verify")
def audit_verify() -> None:
    """Recompute the audit chain and check it against the signed checkpoints; exit 1 if any record was changed,
    removed or inserted. A clean log is checkpointed again."""
    from changzhu.cli.lang import command_lang
    from changzhu.store.audit import checkpoint, verify

    engine = migrated_engine()
    report = verify(engine)
    if not report.ok:
        raise ChangzhuError(
            f"审计日志被改动：在第 {report.length} 条记录后：{report.problem} / "
            f"audit log broken after {report.length} records: {report.problem}"
        )
    checkpoint(engine)
    if command_lang() == Lang.ZH:
        console.print(f"审计日志完整：{report.length} 条记录首尾相连；已写入检查点")
    else:
        console.print(f"audit log intact: {report.length} records chained; checkpoint written")


@audit_app.command("checkpoint")
def audit_checkpoint() -> None:
    """Sign every chain's length and last hash into the checkpoint file (run it periodically, e.g. from cron)."""
    from changzhu.cli.lang import command_lang
    from changzhu.store.audit import checkpoint, checkpoint_file

    engine = migrated_engine()
    line = checkpoint(engine)
    records = sum(int(length) for length, _hash in line["heads"].values())
    if command_lang() == Lang.ZH:
        console.print(f"审计检查点已写入（{records} 条记录）：{checkpoint_file(engine)}")
    else:
        console.print(f"checkpoint of {records} records written to {checkpoint_file(engine)}")


def register(app: typer.Typer) -> None:
    """Add the resident, ledger, voucher, import and audit command groups."""
    app.add_typer(resident_app, name="resident")
    app.add_typer(ledger_app, name="ledger")
    app.add_typer(voucher_app, name="voucher")
    app.add_typer(import_app, name="import")
    app.add_typer(audit_app, name="audit")
