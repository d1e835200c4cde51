"""The reading commands (`resident show|find`, `ledger balances`, `voucher list`) act as a named user (`--as`), read
only what the API lets that user read (staff of the place where the person lives) and leave an audit record of the
read, as GET /residents/{key}, /account and /vouchers do (cli/reads.py).

Before: they took no `--as`, printed any person's record, account and vouchers to whoever ran them, and left nothing
in the audit log."""

from __future__ import annotations

import json
from datetime import date

import pytest
from console_support import run_console
from sqlalchemy import Engine, select

from changzhu.api.auth.accounts import create_user
from changzhu.api.auth.roles import Role
from changzhu.ledger.contributions import MonthPaid, Scheme, record_contributions
from changzhu.ledger.vouchers import issue_voucher
from changzhu.registry.identity import check_char
from changzhu.registry.residents import ProofKind, Registration, register_resident
from changzhu.store.db import session_scope
from changzhu.store.resident_models import AuditRow

PASSWORD = "correct horse battery staple"
GUANGZHOU, CHENGDU = "440100", "510100"
GZ_ID, CD_ID = "44010619900101001", "51010419850505002"


def _number(first17: str) -> str:
    return first17 + check_char(first17)


@pytest.fixture
def people(engine: Engine, database_url: str, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """A resident of Guangzhou and one of Chengdu, each with pension months and a voucher; a caseworker of each."""
    monkeypatch.setenv("CHANGZHU_DATABASE_URL", database_url)
    monkeypatch.delenv("CHANGZHU_OPERATOR", raising=False)
    monkeypatch.setenv("CHANGZHU_LANG", "en")
    keys = {}
    for city, first17 in ((GUANGZHOU, GZ_ID), (CHENGDU, CD_ID)):
        reg = Registration(_number(first17), city, city, date(2020, 1, 1), ProofKind.HOUSING, "x", {})
        key = str(register_resident(engine, reg, actor="test")["person_key"])
        record_contributions(engine, key, Scheme.PENSION, city, [MonthPaid(202401, 600000)], actor="test")
        issue_voucher(engine, key, city, "training", 50000, date(2026, 1, 5), date(2026, 12, 31), actor="test")
        keys[city] = key
    create_user(engine, "cw_gz", PASSWORD, Role.CASEWORKER, [GUANGZHOU])
    create_user(engine, "cw_cd", PASSWORD, Role.CASEWORKER, [CHENGDU])
    create_user(engine, "pl_nat", PASSWORD, Role.PLANNER, ["000000"])
    return keys


Run = pytest.CaptureFixture[str]


@pytest.fixture
def run(capsys: Run, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """`changzhu ARGS` as the console script runs it: (exit code, everything printed)."""
    return lambda *args: run_console(capsys, monkeypatch, *args)


def _reads(engine: Engine) -> list[tuple[str, str, str, str]]:
    """(actor, action, subject, English reason) of every read in the audit log, oldest first."""
    with session_scope(engine) as session:
        rows = session.execute(
            select(AuditRow.actor, AuditRow.action, AuditRow.subject, AuditRow.details)
            .where(AuditRow.action.in_(("read_personal_data", "list_personal_data")))
            .order_by(AuditRow.id)
        ).all()
    return [(actor, action, subject, str(json.loads(details)["reason_en"])) for actor, action, subject, details in rows]


def _commands(key: str) -> list[list[str]]:
    return [["resident", "show", key], ["ledger", "balances", key], ["voucher", "list", "--holder", key]]


def test_without_as_each_read_is_refused_naming_the_option(engine: Engine, people: dict[str, str], run) -> None:  # type: ignore[no-untyped-def]
    for command in [
        *_commands(people[GUANGZHOU]),
        ["resident", "find", "--id-number", _number(GZ_ID)],
        ["ledger", "balances"],
        ["voucher", "list"],
    ]:
        code, out = run(*command)
        assert code != 0 and "--as" in out and "202401" not in out and "P:" not in out, (command, out)
    assert _reads(engine) == []


def test_staff_of_the_place_read_and_the_read_is_audited(engine: Engine, people: dict[str, str], run) -> None:  # type: ignore[no-untyped-def]
    key = people[GUANGZHOU]
    for command in _commands(key):
        code, out = run(*command, "--as", "cw_gz", "--format", "json")
        assert code == 0 and key in out, (command, out)
    code, out = run("resident", "find", "--id-number", _number(GZ_ID), "--as", "cw_gz", "--format", "json")
    assert code == 0 and json.loads(out)[0]["person_key"] == key, out
    assert _reads(engine) == [
        ("user:cw_gz", "read_personal_data", key, purpose)
        for purpose in ("view record", "view account", "view vouchers", "resident search")
    ]


def test_staff_of_another_province_are_told_nothing(engine: Engine, people: dict[str, str], run) -> None:  # type: ignore[no-untyped-def]
    """Chengdu's caseworker is answered for a Guangzhou resident as for a key (or an identity number) no one has,
    and a planner (aggregates only) is refused by role: nothing of her is printed, no read is audited."""
    key = people[GUANGZHOU]
    for command in _commands(key):
        code, out = run(*command, "--as", "cw_cd")
        _, unknown = run(*command[:-1], "0" * 32, "--as", "cw_cd")
        assert code == 1 and out == unknown and "no such resident within your reach" in out, (command, out)
        code, out = run(*command, "--as", "pl_nat")
        assert code == 1 and "planner" in out and "202401" not in out, (command, out)
    code, elsewhere = run("resident", "find", "--id-number", _number(GZ_ID), "--as", "cw_cd")
    _, unknown = run("resident", "find", "--id-number", _number("11010119700101001"), "--as", "cw_cd")
    assert code == 1 and elsewhere == unknown and "no resident with this identity number within your reach" in unknown
    assert _reads(engine) == []


def test_the_whole_ledger_and_every_voucher_only_within_reach(engine: Engine, people: dict[str, str], run) -> None:  # type: ignore[no-untyped-def]
    """Without a person: the accounts of the people the user may see and of their jurisdiction's funds, the
    vouchers of those people; the listing audited (how many rows, no names)."""
    code, out = run("ledger", "balances", "--as", "cw_cd", "--format", "json")
    assert code == 0, out
    accounts = [row["account"] for row in json.loads(out)]
    assert any(a.startswith(f"P:{people[CHENGDU]}:") for a in accounts), accounts
    assert all(a.endswith(f":{CHENGDU}") for a in accounts) and "F:pension_pooled:510100" in accounts, accounts
    code, out = run("voucher", "list", "--as", "cw_cd", "--format", "json")
    assert code == 0 and [row["holder"] for row in json.loads(out)] == [people[CHENGDU]], out
    listed = [("user:cw_cd", "list_personal_data", f"region:{CHENGDU}", "caseload listing")]
    assert _reads(engine) == listed * 2


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        (
            "zh",
            (
                "账户余额",
                "余额",
                "地区",
                "成都市（510100）",
                "服务券",
                "发放地",
                "有效期至",
                "养老保险缴费月数",
                "养老保险个人账户",
                "个月",
                "已发放",
            ),
        ),
        (
            "en",
            (
                "ledger balances",
                "balance",
                "region",
                "Chengdu (510100)",
                "vouchers",
                "issued by",
                "valid until",
                "pension months",
                "pension individual account",
                "months",
                "issued",
            ),
        ),
    ],
)
def test_balances_and_vouchers_print_words_in_the_chosen_language(
    engine: Engine, people: dict[str, str], run, monkeypatch: pytest.MonkeyPatch, lang: str, words: tuple[str, ...]
) -> None:  # type: ignore[no-untyped-def]
    """On screen `ledger balances` and `voucher list` name their columns in --lang (or CHANGZHU_LANG), places by
    name and code, and an account's kind, its unit and a voucher's status as the office names them (the ledger's
    vocabulary, domain.refusals.TERMS); `--format csv` and `json` keep the codes. Before: they took no --lang and
    printed the raw column names, bare codes and the kinds, units and statuses as stored."""
    monkeypatch.setenv("COLUMNS", "250")
    key = people[CHENGDU]
    code, balances = run("ledger", "balances", key, "--as", "cw_cd", "--lang", lang)
    assert code == 0, balances
    code, vouchers = run("voucher", "list", "--holder", key, "--as", "cw_cd", "--lang", lang)
    assert code == 0, vouchers
    out = balances + vouchers
    assert all(word in out for word in words), out
    assert "issuer_region" not in out and "expires_on" not in out, out
    code, csv = run("voucher", "list", "--holder", key, "--as", "cw_cd", "--lang", lang, "--format", "csv")
    assert code == 0 and "issuer_region" in csv and f",{CHENGDU}," in csv and "成都市" not in csv, csv
    assert "pension_months" not in out.replace(f"{key}:pension_months:", ""), out  # the account's own code stays
    assert " month " not in out and (lang == "en" or " fen " not in out), out  # fen is a word in English
    code, raw = run("ledger", "balances", key, "--as", "cw_cd", "--lang", lang, "--format", "json")
    assert code == 0, raw
    kinds = {(row["kind"], row["unit"]) for row in json.loads(raw)}
    assert kinds == {("pension_individual", "fen"), ("pension_months", "month")}, raw
    code, raw = run("voucher", "list", "--holder", key, "--as", "cw_cd", "--lang", lang, "--format", "json")
    assert code == 0 and [row["status"] for row in json.loads(raw)] == ["issued"], raw


def test_a_planner_finding_a_number_is_refused_by_role_whether_it_is_registered_or_not(
    engine: Engine, people: dict[str, str], run
) -> None:  # type: ignore[no-untyped-def]
    """`resident find` as a planner (aggregates only): the one refusal by role for a registered number and for one
    no one has. Before, a registered number was refused by role and an unregistered one as not found: the answer
    told a planner who is registered."""
    code, registered = run("resident", "find", "--id-number", _number(GZ_ID), "--as", "pl_nat")
    _, unregistered = run("resident", "find", "--id-number", _number("11010119700101001"), "--as", "pl_nat")
    assert code == 1 and registered == unregistered and "planner" in registered, (registered, unregistered)
    assert _reads(engine) == []


@pytest.mark.parametrize(
    ("lang", "role", "told"),
    [
        ("zh", Role.PLANNER, "错误：规划人员角色不能查看或更改居民记录"),
        ("en", Role.FISCAL_OFFICER, "error: role fiscal officer may not list or change residents' records"),
    ],
)
def test_a_role_refused_is_named_in_words(
    engine: Engine, people: dict[str, str], run, lang: str, role: Role, told: str
) -> None:  # type: ignore[no-untyped-def]
    """A refusal by role names the role as the API does (api.auth.roles.ROLE_NAMES). Before: its code inside the
    text ("planner角色不能查看…", "role fiscal_officer may not…")."""
    create_user(engine, "aggregates", PASSWORD, role, ["000000"])
    code, out = run("voucher", "list", "--as", "aggregates", "--lang", lang)
    assert code == 1 and told in " ".join(out.split()), out
    assert role.value not in out.replace(told, ""), out
