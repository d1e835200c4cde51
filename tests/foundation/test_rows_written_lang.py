"""A command writing its table to --out says so in its language: 31 行已写入 … in a Chinese run (was "31 rows written
to" in the middle of Chinese output)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from changzhu.cli.main import app


def test_the_rows_written_line_is_in_the_command_s_language(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHANGZHU_DATABASE_URL", f"sqlite:///{tmp_path / 'db.sqlite3'}")
    assert CliRunner().invoke(app, ["db", "load"]).exit_code == 0
    for lang, said, not_said in (("zh", "31 行已写入", " written to"), ("en", "31 row(s) written to", "已写入")):
        out = tmp_path / f"provinces_{lang}.csv"
        ran = CliRunner().invoke(app, ["population", "--level", "province", "--out", str(out), "--lang", lang])
        assert ran.exit_code == 0, ran.output
        assert f"{said} {out}".replace(" ", "") in ran.output.replace(" ", "").replace("\n", ""), ran.output
        assert not_said not in ran.output, ran.output
        assert len(out.read_text(encoding="utf-8").splitlines()) == 32  # the header and 31 provinces, as said
