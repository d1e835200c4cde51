"""Operator commands for a person handed over to another province's instance (跨省通办), on SQLite and PostgreSQL.

An operator command acts as a named user (`--as USER`: docs/operations.md, "Operator commands"), so it tells that
user what the API tells the same account (docs/api.md, "Who may change what"): where she moved only to a user who
may see her, "moved to another province" to her hukou place, the answer to a key no one has to anyone else; and a
refusal at her lock that no command decided for its user is printed as that same answer, never with her new city.

A Guangzhou resident whose hukou is in Shenzhen moves to Chengdu. Before: a voucher above the approval threshold was
held for her (Shenzhen's caseworker), the national administrator renewing her old Guangzhou permit was told that she
no longer lives in Guangzhou rather than where she went, and a command reaching her lock outside `told_of_move` printed
Chengdu and the day she moved to whoever ran it."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import nullcontext
from datetime import date

import pytest
from console_support import run_console
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import Engine, func, select

from changzhu.api import ledger_writes
from changzhu.api.auth.accounts import create_user
from changzhu.api.auth.roles import Role
from changzhu.api.interregion import outbox
from changzhu.api.interregion.peers import add_peer
from changzhu.api.keys import public_key_text
from changzhu.ledger.accounts import balances_frame
from changzhu.ledger.checks import ledger_problems
from changzhu.ledger.contributions import MonthPaid, Scheme, record_contributions
from changzhu.registry.identity import check_char
from changzhu.registry.residents import ProofKind, Registration, issue_permit, register_resident
from changzhu.store.approval_models import PendingApprovalRow
from changzhu.store.db import session_scope
from changzhu.store.resident_models import ResidencePermitRow

ID17 = "44030619900101123"  # born in Shenzhen
MOVED_ON = date(2026, 11, 1)
NEW_CITY = ("510100", "成都", "Chengdu", MOVED_ON.isoformat())
STAFF = {"cw_gz": ["440100"], "cw_sz": ["440300"], "cw_fs": ["440600"], "cw_cd": ["510100"]}
NOT_IN_REACH = "no such resident within your reach"


def _months(first: int, last: int, base_fen: int) -> list[MonthPaid]:
    out, period = [], first
    while period <= last:
        out.append(MonthPaid(period, base_fen))
        period = period + 89 if period % 100 == 12 else period + 1
    return out


@pytest.fixture
def moved(engine: Engine, database_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """Her key: a Guangzhou resident (Shenzhen hukou, insured there) with a Guangzhou permit, handed over to
    Sichuan's instance on MOVED_ON; the caseworkers of STAFF and a national administrator; the CLI on the database."""
    monkeypatch.setenv("CHANGZHU_DATABASE_URL", database_url)
    monkeypatch.setenv("CHANGZHU_LANG", "en")
    monkeypatch.delenv("CHANGZHU_OPERATOR", raising=False)
    reg = Registration(ID17 + check_char(ID17), "440300", "440100", date(2021, 3, 1), ProofKind.EMPLOYMENT, "c", {})
    person = str(register_resident(engine, reg, actor="test")["person_key"])
    issue_permit(engine, person, date(2025, 3, 1), actor="test")
    paid = _months(202301, 202412, 700000)
    record_contributions(engine, person, Scheme.PENSION, "440100", paid, actor="test", key="gz-pension")
    record_contributions(engine, person, Scheme.MEDICAL, "440300", _months(202501, 202610, 40000), actor="test")
    add_peer(engine, "510000", "http://510000.invalid", public_key_text(Ed25519PrivateKey.generate()))
    outbox.start_transfer(engine, person, "440000", "510000", "510100", MOVED_ON, actor="test", authorize=lambda _r: 0)
    for username, scopes in STAFF.items():
        create_user(engine, username, "correct horse battery staple", Role.CASEWORKER, scopes)
    create_user(engine, "ad_nat", "correct horse battery staple", Role.ADMINISTRATOR, ["000000"])
    return person


def _cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, *args: str) -> tuple[int, str]:
    """`changzhu ARGS` as the console script runs it (main._run: an error is one line, exit 1); code and output."""
    return run_console(capsys, monkeypatch, *args)


def _says_nothing_of_the_city(out: str) -> None:
    assert not any(word in out for word in NEW_CITY), out


def _balances(engine: Engine, person: str) -> list[dict[str, object]]:
    return balances_frame(engine, person_key=person).to_dicts()


Run = Callable[..., tuple[int, str]]


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Run:
    return lambda *args: _cli(capsys, monkeypatch, *args)


def test_a_voucher_for_her_is_refused_as_the_api_refuses_it_held_or_not(engine: Engine, moved: str, run: Run) -> None:
    """Shenzhen (her hukou place) is told she moved to another province, for a voucher issued at once and for one
    above the approval threshold alike (before: that one was held for a second approver); Foshan, no issuer of
    hers, gets the answer to a key no one has. Nothing is issued or held."""
    before = _balances(engine, moved)
    issue = ["voucher", "issue", moved, "--service", "training", "--on", "2026-11-02", "--expires", "2026-12-31"]
    for value in ("2000", "20000"):
        code, out = run(*issue, "--issuer", "440300", "--value", value, "--as", "cw_sz")
        assert code == 1 and "moved to another province" in out, (value, out)
        _says_nothing_of_the_city(out)
    code, out = run(*issue, "--issuer", "440600", "--value", "2000", "--as", "cw_fs")
    assert code == 1 and NOT_IN_REACH in out, out
    _says_nothing_of_the_city(out)
    with session_scope(engine) as session:
        assert session.scalar(select(func.count()).select_from(PendingApprovalRow)) == 0
    assert _balances(engine, moved) == before and ledger_problems(engine) == []


def test_settling_where_her_pension_is_drawn_tells_only_a_user_who_may_see_her(
    engine: Engine, moved: str, run: Run
) -> None:
    """`ledger drawing`: the place she left (Guangzhou) and the place she lives in now (a Chengdu account here) are
    told where she moved and since when; her hukou place and Foshan the answer to a key no one has. Nothing moves."""
    before = _balances(engine, moved)
    drawing = ["ledger", "drawing", moved, "--on", "2026-12-01", "--key", "draw-1"]
    for user in ("cw_gz", "cw_cd", "ad_nat"):
        code, out = run(*drawing, "--as", user)
        assert code == 1 and "Chengdu" in out and MOVED_ON.isoformat() in out, (user, out)
    for user in ("cw_sz", "cw_fs"):
        code, out = run(*drawing, "--as", user)
        assert code == 1 and NOT_IN_REACH in out, (user, out)
        _says_nothing_of_the_city(out)
    assert _balances(engine, moved) == before and ledger_problems(engine) == []


def test_her_old_permit_is_not_renewed_and_the_user_is_told_why(engine: Engine, moved: str, run: Run) -> None:
    """Renewing her Guangzhou permit: the national administrator and Guangzhou's caseworker are told she moved to
    Chengdu (before: the administrator read that the holder no longer lives in Guangzhou); no permit is added."""
    with session_scope(engine) as session:
        permit_no = str(session.scalar(select(ResidencePermitRow.permit_no)))
    for user in ("ad_nat", "cw_gz"):
        code, out = run("resident", "renew", permit_no, "--on", "2026-12-01", "--as", user)
        assert code == 1 and "Chengdu" in out and "moved" in out, (user, out)
    with session_scope(engine) as session:
        assert session.scalar(select(func.count()).select_from(ResidencePermitRow)) == 1


def test_a_command_reaching_her_lock_undecided_prints_the_answer_to_a_key_no_one_has(
    moved: str, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A command that reaches her lock outside `told_of_move` (here `ledger drawing` with it taken out, as a command
    someone adds and forgets to wrap) prints the one not-in-reach line, even to the Chengdu account that may see her,
    not her new city (before: "… moved to Chengdu on 2026-11-01 …" to whoever ran it)."""
    monkeypatch.setattr(ledger_writes, "told_of_move", lambda _engine, _principal: nullcontext())
    code, out = run("ledger", "drawing", moved, "--on", "2026-12-01", "--key", "draw-2", "--as", "cw_cd")
    assert code == 1 and NOT_IN_REACH in out, out
    _says_nothing_of_the_city(out)
