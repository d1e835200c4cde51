"""`changzhu plan --uploaded-facilities`: the command sites from the facility list an office uploaded (the service
stores it under CHANGZHU_HOME/uploads, whatever its database), not only from a file given on the command line."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from api_support import Service
from typer.testing import CliRunner

from changzhu.cli.main import app, error_text
from changzhu.domain.lang import Lang
from cli_support import LANG_ENV

SHENZHEN = (
    "facility_id,name,service,region_code,capacity\n"
    "h1,人民医院,hospital_beds,440303,3000\nh2,南山医院,hospital_beds,440305,2000\n"
)


def _plan(home: Path, out: Path, *options: str) -> object:
    env = {"CHANGZHU_HOME": str(home), LANG_ENV: "en"}
    args = ["plan", "--out", str(out), "--years", "5", "--p", "3", "--lang", "en", *options]
    return CliRunner().invoke(app, args, env=env)


def test_plan_sites_from_the_list_an_office_uploaded(
    db_service: Service, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    monkeypatch.setenv("CHANGZHU_HOME", str(home))  # where the service keeps uploaded planning datasets
    files = {"file": ("医院清单.csv", SHENZHEN.encode("utf-8"), "text/csv")}
    stored = db_service.client.post("/api/v1/uploads/facility", files=files, headers=db_service.as_("pl_nat"))
    assert stored.status_code in (200, 201), stored.text

    printed = tmp_path / "printed.xlsx"
    result = _plan(home, tmp_path / "out", "--uploaded-facilities", "440300", "--export", str(printed))
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    output = " ".join(result.output.split())  # type: ignore[attr-defined]
    assert "Supply replaced by the facility list" in output and "Where to build hospitals:" in output
    assert "in Guangdong" in output and "广东" not in output  # --lang en: the province by its English name
    replaced = pl.read_excel(printed, sheet_name="Supply replaced by the list")
    shenzhen = replaced.filter(pl.col("Region") == "Shenzhen (440300)", pl.col("Service") == "Hospital beds")
    assert shenzhen["Supply in the list"].to_list() == [5000], replaced
    html = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert "supply from an uploaded facility list, not the NBS statistics: Shenzhen (440300)" in html

    # refused as the command prints a refusal (changzhu.cli.main: one line in the reader's language)
    missing = _plan(home, tmp_path / "out2", "--uploaded-facilities", "510100").exception  # type: ignore[attr-defined]
    said = error_text(missing, Lang.EN)
    assert "no facility list was uploaded for Chengdu (510100)" in said and "Shenzhen (440300)" in said, said
    assert "成都市（510100）没有已上传的设施清单" in error_text(missing, Lang.ZH)
    listed = tmp_path / "list.csv"
    listed.write_text(SHENZHEN, encoding="utf-8")
    twice = _plan(home, tmp_path / "out3", "--uploaded-facilities", "440300", "--facilities", str(listed))
    assert "give one facility list" in error_text(twice.exception, Lang.EN)  # type: ignore[attr-defined]
