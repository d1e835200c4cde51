"""The ledger's printed tables (balances, vouchers, a resident's facts) also go to a file with --out."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from sqlalchemy import Engine
from test_ledger_cli_checks import _paid_person
from typer.testing import CliRunner

from changzhu.api.auth.accounts import create_user
from changzhu.api.auth.roles import Role
from changzhu.cli.main import app

CHENGDU = "510100"


@pytest.mark.parametrize("suffix", ["csv", "xlsx", "parquet"])
def test_balances_and_person_write_files(
    engine: Engine, database_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, suffix: str
) -> None:
    monkeypatch.setenv("CHANGZHU_DATABASE_URL", database_url)
    key = _paid_person(engine)
    create_user(engine, "cw_cd", "correct horse battery staple", Role.CASEWORKER, [CHENGDU])
    runner = CliRunner()
    balances = tmp_path / f"balances.{suffix}"
    done = runner.invoke(app, ["ledger", "balances", key, "--as", "cw_cd", "--out", str(balances)])
    assert done.exit_code == 0, done.output
    read = {"csv": pl.read_csv, "xlsx": pl.read_excel, "parquet": pl.read_parquet}[suffix]
    table = read(balances)
    assert table.height > 0 and "account" in " ".join(table.columns)
    person = tmp_path / f"person.{suffix}"
    done = runner.invoke(app, ["resident", "show", key, "--as", "cw_cd", "--out", str(person)])
    assert done.exit_code == 0, done.output
    assert read(person).height == 1
    vouchers = tmp_path / f"vouchers.{suffix}"
    done = runner.invoke(app, ["voucher", "list", "--as", "cw_cd", "--out", str(vouchers)])
    assert done.exit_code == 0, done.output
    assert vouchers.exists()
