"""The ledger's printed tables (balances, vouchers, a resident's facts) also go to a file with --out."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from sqlalchemy import Engine
from test_ledger_cli_checks import _paid_person
from typer.testing import CliRunner

from changzhu.cli.main import app


@pytest.mark.parametrize("suffix", ["csv", "xlsx", "parquet"])
def test_balances_and_person_write_files(
    engine: Engine, database_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, suffix: str
) -> None:
    monkeypatch.setenv("CHANGZHU_DATABASE_URL", database_url)
    key = _paid_person(engine)
    runner = CliRunner()
    balances = tmp_path / f"balances.{suffix}"
    done = runner.invoke(app, ["ledger", "balances", key, "--out", str(balances)])
    assert done.exit_code == 0, done.output
    read = {"csv": pl.read_csv, "xlsx": pl.read_excel, "parquet": pl.read_parquet}[suffix]
    table = read(balances)
    assert table.height > 0 and "account" in " ".join(table.columns)
    person = tmp_path / f"person.{suffix}"
    done = runner.invoke(app, ["resident", "show", key, "--out", str(person)])
    assert done.exit_code == 0, done.output
    assert read(person).height == 1
    vouchers = tmp_path / f"vouchers.{suffix}"
    done = runner.invoke(app, ["voucher", "list", "--out", str(vouchers)])
    assert done.exit_code == 0, done.output
    assert vouchers.exists()
