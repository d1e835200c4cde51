"""`changzhu audit verify|checkpoint` and `changzhu ledger check` catch tampering; `check_peers` over the network."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import Engine, delete, select, update
from test_ledger_interregion import _chengdu_worker, _deliver, _start, pair  # noqa: F401
from typer.testing import CliRunner

from changzhu.api.interregion.local import LocalNetwork
from changzhu.api.interregion.peers import add_peer
from changzhu.api.interregion.reconcile import check_peers, peer_findings, received_summary
from changzhu.api.interregion.simulation import Node
from changzhu.api.keys import public_key_text
from changzhu.cli.main import app
from changzhu.ledger.contributions import MonthPaid, Scheme, record_contributions
from changzhu.registry.identity import check_char
from changzhu.registry.residents import ProofKind, Registration, register_resident
from changzhu.store import audit
from changzhu.store.db import session_scope
from changzhu.store.resident_models import AuditHeadRow, AuditRow, LedgerEntryRow


def _paid_person(engine: Engine) -> str:
    first17 = "51010419900101002"
    reg = Registration(first17 + check_char(first17), "510100", "510100", date(2020, 1, 1), ProofKind.HOUSING, "x", {})
    key = str(register_resident(engine, reg, actor="test")["person_key"])
    record_contributions(engine, key, Scheme.PENSION, "510100", [MonthPaid(202401, 800000)], actor="test")
    return key


def test_cli_checkpoints_and_catches_a_deleted_chain(
    engine: Engine, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CHANGZHU_DATABASE_URL", database_url)
    monkeypatch.setenv("CHANGZHU_LANG", "en")
    key = _paid_person(engine)
    runner = CliRunner()
    ok = runner.invoke(app, ["audit", "verify"])
    assert ok.exit_code == 0 and ok.output.startswith("audit log intact:"), ok.output  # one language, not both
    assert audit.checkpoint_file(engine).exists()
    written = runner.invoke(app, ["audit", "checkpoint"])
    assert written.exit_code == 0 and written.output.startswith("checkpoint of "), written.output
    monkeypatch.setenv("CHANGZHU_LANG", "zh")
    said = runner.invoke(app, ["audit", "checkpoint"])
    assert said.exit_code == 0 and said.output.startswith("审计检查点已写入（") and "written" not in said.output
    assert runner.invoke(app, ["ledger", "check"]).exit_code == 0
    with session_scope(engine) as session:  # tamper: an entry edited, a whole chain deleted and its head reset
        entry = session.scalar(select(LedgerEntryRow).where(LedgerEntryRow.unit == "fen").limit(1))
        assert entry is not None
        entry.amount += 1
        other = session.scalar(
            select(LedgerEntryRow).where(LedgerEntryRow.id != entry.id, LedgerEntryRow.unit == "fen")
        )
        assert other is not None
        other.amount -= 1
        chain = session.scalar(select(AuditRow.chain).where(AuditRow.subject == key).limit(1))
        session.execute(delete(AuditRow).where(AuditRow.chain == chain))
        session.execute(update(AuditHeadRow).where(AuditHeadRow.id == chain).values(last_hash=audit.GENESIS, length=0))
    broken = runner.invoke(app, ["audit", "verify"])
    assert broken.exit_code == 1 and "signed checkpoint" in f"{broken.output}{broken.exception}"
    check = runner.invoke(app, ["ledger", "check"])
    assert check.exit_code == 1 and "审计" in f"{check.output}{check.exception}"  # the entry, or its vouching record


def test_check_peers_over_the_network(pair: tuple[LocalNetwork, Node, Node]) -> None:  # noqa: F811
    network, sichuan, guangdong = pair
    key = _chengdu_worker(sichuan)
    _deliver(network, sichuan, _start(sichuan, key))
    with network.client() as client:
        report = check_peers(sichuan.engine, "510000", sichuan.key, client)
    problems, totals = report["440000"]
    assert problems == [] and totals["sent"]["month"] == 60 == totals["received"]["month"]
    with network.client() as client:  # Guangdong answers for its own side too
        problems, totals = check_peers(guangdong.engine, "440000", guangdong.key, client)["510000"]
    assert problems == [] and totals["sent"] == {"fen": 0, "month": 0, "year": 0}


def test_cli_check_words_each_problem_in_chinese(
    engine: Engine, database_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """`changzhu ledger check --peers` in Chinese: each problem it lists (an entry edited, a peer that does not
    answer) in Chinese too. Before: "账户不一致，共 3 处：entries in unit fen sum to 1, not 0；ledger transaction 1:
    entries differ …；440000 → 510000: peer 510000 did not answer: …"."""
    monkeypatch.setenv("CHANGZHU_DATABASE_URL", database_url)
    monkeypatch.setenv("CHANGZHU_KEYS_DIR", str(tmp_path))
    monkeypatch.setenv("CHANGZHU_INSTANCE_REGION", "440000")
    _paid_person(engine)
    add_peer(engine, "510000", "http://510000.invalid", public_key_text(Ed25519PrivateKey.generate()))
    with session_scope(engine) as session:  # tamper: one entry's amount edited
        entry = session.scalar(select(LedgerEntryRow).where(LedgerEntryRow.unit == "fen").limit(1))
        assert entry is not None
        entry.amount += 1
    runner = CliRunner()
    monkeypatch.setenv("CHANGZHU_LANG", "zh")
    zh = runner.invoke(app, ["ledger", "check", "--peers"])
    said = f"{zh.output}{zh.exception}"
    assert zh.exit_code == 1 and "账户不一致，共 3 处：单位为分的分录合计为 1，不为 0；账务交易 " in said, said
    assert "：分录与审计日志中记录的不同；440000 → 510000：对方实例 510000 没有应答：" in said, said
    assert not any(words in said for words in ("entries", "ledger transaction", "did not answer", "fen")), said
    monkeypatch.setenv("CHANGZHU_LANG", "en")
    en = runner.invoke(app, ["ledger", "check", "--peers"])
    said = f"{en.output}{en.exception}"
    assert en.exit_code == 1 and "3 inconsistencies: entries in unit fen sum to 1, not 0; ledger transaction " in said
    assert ": entries differ from those recorded in the audit log; 440000 → 510000: peer 510000 did not answer:" in said


def test_peer_problems_in_either_language(pair: tuple[LocalNetwork, Node, Node]) -> None:  # noqa: F811
    """A hand-over the peer never got: lost, and the months not conserved, in Chinese and English (the amounts in
    words, not a Python dict)."""
    network, sichuan, guangdong = pair
    _deliver(network, sichuan, _start(sichuan, _chengdu_worker(sichuan)))
    found, _totals = peer_findings(sichuan.engine, "440000", {})  # as if Guangdong had lost it
    zh = [problem.zh for problem in found]
    assert any(line.endswith("：本实例已送达，440000 却没有这条消息（丢失）") for line in zh), zh
    assert "个月：转出 60 ≠ 对方已接收 0 + 在途 0 + 已冲回 0" in zh, zh
    received = received_summary(guangdong.engine, "510000")
    taken = {mid: {**amounts, "month": amounts["month"] - 1} for mid, amounts in received.items()}
    (differs, *_rest), _totals = peer_findings(sichuan.engine, "440000", taken)
    assert differs.zh.endswith("：转出 9600000 分、60 个月、0 年，440000 接收 9600000 分、59 个月、0 年"), differs.zh
    assert differs.en.endswith(
        ": handed over 9600000 fen, 60 months, 0 years, 440000 took in 9600000 fen, 59 months, 0 years"
    )


def test_cli_check_names_an_account_in_words(
    engine: Engine, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A balance that differs from the records, for real: the month a person's pension account holds loses its
    record (deleted from the store behind the ledger's back). `changzhu ledger check` names the account as a
    reader does, in either language: its kind, the person by her person key (人员编号, what `ledger balances
    --person` takes; no name or identity number) and the place by its name. Before: "账户 P:<key>:pension_months:
    510100：余额 1，记录为 0"."""
    from changzhu.store.resident_models import ContributionMonthRow

    monkeypatch.setenv("CHANGZHU_DATABASE_URL", database_url)
    key = _paid_person(engine)
    with session_scope(engine) as session:
        session.execute(delete(ContributionMonthRow))
    runner = CliRunner()
    monkeypatch.setenv("CHANGZHU_LANG", "zh")
    zh = runner.invoke(app, ["ledger", "check"])
    said = f"{zh.output}{zh.exception}"
    assert zh.exit_code == 1, said
    assert f"人员编号 {key} 在成都市（510100）的养老保险缴费月数：余额 1 个月，记录为 0 个月" in said, said
    assert "P:" not in said and "pension_months" not in said, said
    monkeypatch.setenv("CHANGZHU_LANG", "en")
    en = runner.invoke(app, ["ledger", "check"])
    said = f"{en.output}{en.exception}"
    assert f"pension months of person key {key} at Chengdu (510100): balance 1, records say 0 (in months)" in said
    assert "P:" not in said, said


def test_each_account_shape_in_words() -> None:
    """A region's voucher account and a clearing account by their kinds and places; a person's below zero by her
    person key; a code of no known shape as it is (nothing guessed)."""
    from changzhu.domain.lang import Lang
    from changzhu.domain.refusals import Refusal
    from changzhu.ledger.checks import balance_differs, negative_balance
    from changzhu.tables.places import reason_text

    def both(found: Refusal) -> tuple[str, str]:
        return reason_text(found, Lang.ZH), reason_text(found, Lang.EN)

    assert both(balance_differs("V:outstanding:440300", 5000, 0)) == (
        "深圳市（440300）的已发放未使用的服务券：余额 5000 分，记录为 0 分",
        "vouchers issued, not yet redeemed of Shenzhen (440300): balance 5000, records say 0 (in fen)",
    )
    assert both(balance_differs("C:medical:510100>440300", 120, 100)) == (
        "异地就医清算，成都市（510100）应付深圳市（440300）：余额 120 分，记录为 100 分",
        "medical bills clearing owed by Chengdu (510100) to Shenzhen (440300): balance 120, records say 100 (in fen)",
    )
    assert both(negative_balance("P:k1:school_years:320500", -1)) == (
        "人员编号 k1 在苏州市（320500）的学籍年数：余额为负（-1 年）",
        "school years of person key k1 at Suzhou (320500): negative balance -1 (in years)",
    )
    assert balance_differs("Z:odd", 1, 0).en == "Z:odd: balance 1, records say 0"
