"""The foundation commands, run as a user runs them, and their error paths (one line, exit 1, no traceback)."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from cli_support import cli_env, run_changzhu


def changzhu(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return run_changzhu(*args, env=cli_env(**env))


@pytest.fixture(scope="module")
def loaded_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    data_dir = tmp_path_factory.mktemp("cli_data")
    env = {"CHANGZHU_HOME": str(data_dir), "CHANGZHU_DATABASE_URL": ""}
    result = changzhu("db", "load", env=env)
    assert result.returncode == 0, result.stderr
    assert "loaded 3,404 regions" in result.stdout
    return env


def test_db_upgrade_reports_revision(tmp_path: Path) -> None:
    result = changzhu("db", "upgrade", env={"CHANGZHU_HOME": str(tmp_path), "CHANGZHU_DATABASE_URL": ""})
    assert result.returncode == 0, result.stderr
    assert "at revision" in result.stdout
    assert (tmp_path / "changzhu.sqlite3").is_file()


def test_population_csv_has_resident_column(loaded_env: dict[str, str]) -> None:
    result = changzhu(
        "population", "--level", "prefecture", "--sort", "interprov_share", "--format", "csv", env=loaded_env
    )
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 367
    assert "pop_resident_2020" in rows[0]
    shares = [float(r["interprov_in_migrants_share"]) for r in rows]
    assert shares == sorted(shares, reverse=True)
    assert rows[0]["code"] == "441900"  # Dongguan has the highest inter-provincial share


def test_population_json_and_table(loaded_env: dict[str, str]) -> None:
    result = changzhu("population", "--format", "json", env=loaded_env)
    data = json.loads(result.stdout)
    assert len(data) == 31
    assert sum(row["pop_resident_2020"] for row in data) == 1_409_778_724
    table = changzhu("population", "--sort", "renhu_fenli_share", "--limit", "3", "--lang", "zh", env=loaded_env)
    assert table.returncode == 0
    assert "广东省" in table.stdout or "上海市" in table.stdout
    assert "另有 28 行未显示；显示全部请加 --limit 0" in table.stdout  # the footer in the table's language too


def test_regions_by_parent(loaded_env: dict[str, str]) -> None:
    result = changzhu("regions", "--level", "county", "--parent", "440300", "--format", "csv", env=loaded_env)
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert {r["parent_code"] for r in rows} == {"440300"}
    assert "福田区" in {r["name_zh"] for r in rows}


@pytest.mark.parametrize(
    ("args", "env_extra", "message"),
    [
        (("regions", "--parent", "329999"), {}, "unknown region code 329999"),
        (("regions", "--parent", "12"), {}, "not a six-digit GB/T 2260 code"),
        (
            ("population",),
            {"CHANGZHU_DATABASE_URL": "postgresql+psycopg://postgres@127.0.0.1:1/none"},
            "cannot reach database",
        ),
        (("population",), {"CHANGZHU_DATABASE_URL": "nonsense"}, "not a valid SQLAlchemy URL"),
    ],
)
def test_errors_are_one_line_without_traceback(
    loaded_env: dict[str, str], args: tuple[str, ...], env_extra: dict[str, str], message: str
) -> None:
    result = changzhu(*args, env={**loaded_env, **env_extra})
    assert result.returncode == 1
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_query_on_empty_database_says_what_to_run(tmp_path: Path) -> None:
    result = changzhu("population", env={"CHANGZHU_HOME": str(tmp_path), "CHANGZHU_DATABASE_URL": ""})
    assert result.returncode == 1
    assert "changzhu db load" in result.stderr
    assert "Traceback" not in result.stderr


def test_damaged_shipped_file_is_one_line(tmp_path: Path) -> None:
    """A damaged data file met by a command: one clear line naming file, line and column."""
    script = (
        "import shutil, sys, pathlib\n"
        "import changzhu.data.census as c\n"
        f"d = pathlib.Path({str(tmp_path)!r}) / 'files'\n"
        "shutil.copytree(c.FILES_DIR, d)\n"
        "p = d / 'china_provinces.csv'\n"
        "p.write_text(p.read_text('utf-8').replace('21893095', 'x1893095', 1), 'utf-8')\n"
        "c.FILES_DIR = d\n"
        "c.census_2020.__wrapped__.__defaults__ = None\n"
        "from changzhu.cli.main import run\n"
        "sys.argv = ['changzhu', 'db', 'load']\n"
        "import changzhu.data.census as cc\n"
        "cc.census_2020 = lambda: cc.Census2020(d)\n"
        "run()\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env=cli_env(CHANGZHU_HOME=str(tmp_path), CHANGZHU_DATABASE_URL=""),  # the English line on any machine
    )
    assert result.returncode == 1
    assert "china_provinces.csv line 2 column 'pop_resident_2020'" in result.stderr
    assert "Traceback" not in result.stderr
