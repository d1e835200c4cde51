"""`changzhu audit verify|checkpoint` and `changzhu ledger check` catch tampering; `check_peers` over the network."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine, delete, select, update
from test_ledger_interregion import _chengdu_worker, _deliver, _start, pair  # noqa: F401
from typer.testing import CliRunner

from changzhu.api.interregion.local import LocalNetwork
from changzhu.api.interregion.reconcile import check_peers
from changzhu.api.interregion.simulation import Node
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
    assert check.exit_code == 1 and "audit" in f"{check.output}{check.exception}"  # the entry, or its vouching record


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
