"""`changzhu regions` and `changzhu population --lang zh|en`: the printed table's headers, names and codes in words in
the language asked for (Chinese by default), never the query's column names; CSV keeps the codes, for scripts."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from typer.testing import CliRunner

from changzhu.cli.main import app

RAW = ("name_zh", "name_en", "pop_resident_2020", "renhu_fenli_share", "parent_code", "city_size_class", "jjj")


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    env = {"CHANGZHU_DATABASE_URL": f"sqlite:///{tmp_path_factory.mktemp('registry') / 'db.sqlite3'}"}
    assert CliRunner().invoke(app, ["db", "load"], env=env).exit_code == 0
    return env


@pytest.mark.parametrize(
    ("args", "words", "other"),
    [
        (
            ("--lang", "zh"),
            (
                "2020 年人口普查，省级，常住口径",
                "地区代码",
                "常住人口（2020，人）",
                "跨省流入占比（%）",
                "广东省",
                "23.51",
            ),
            ("Guangdong",),
        ),
        (
            ("--lang", "en"),
            ("2020 census, province level, resident basis", "Region code", "Guangdong", "23.51"),
            ("广东", "常住"),
        ),
    ],
)
def test_population_prints_its_headers_in_words(
    loaded: dict[str, str], args: tuple[str, ...], words: tuple[str, ...], other: tuple[str, ...]
) -> None:
    ran = CliRunner().invoke(app, ["population", "--limit", "2", *args], env=loaded)
    assert ran.exit_code == 0, ran.output
    assert [w for w in words if w not in ran.output] == []
    assert [w for w in (*other, *RAW) if w in ran.output] == []


def test_population_shows_every_share_to_two_places(loaded: dict[str, str]) -> None:
    """Xinjiang's 34.30 % away from the hukou township printed as 34.30 in a column of 60.85 (was 34.3)."""
    ran = CliRunner().invoke(app, ["population", "--sort", "interprov_share", "--limit", "6"], env=loaded)
    assert ran.exit_code == 0, ran.output
    xinjiang = next(line for line in ran.output.splitlines() if "650000" in line)
    assert "34.30" in xinjiang and "13.12" in xinjiang, xinjiang


@pytest.mark.parametrize(
    ("lang", "words", "other"),
    [
        (
            "zh",
            ("3,404 个地区", "层级", "上级地区代码", "直辖市", "超大城市", "京津冀", "北京市"),
            ("Beijing", "municipality"),
        ),
        ("en", ("3,404 regions", "Level", "municipality", "super city", "Beijing–Tianjin–"), ("北京", "直辖市")),
    ],
)
def test_regions_prints_its_headers_and_codes_in_words(
    loaded: dict[str, str], lang: str, words: tuple[str, ...], other: tuple[str, ...]
) -> None:
    ran = CliRunner().invoke(app, ["regions", "--limit", "2", "--lang", lang], env=loaded)
    assert ran.exit_code == 0, ran.output
    printed = " ".join(ran.output.split())
    assert [w for w in words if w not in printed] == []
    assert [w for w in (*other, *RAW) if w in printed] == []


def test_csv_keeps_the_codes_for_scripts(loaded: dict[str, str], tmp_path: Path) -> None:
    ran = CliRunner().invoke(app, ["regions", "--format", "csv", "--level", "province", "--lang", "en"], env=loaded)
    rows = list(csv.DictReader(io.StringIO(ran.output)))
    assert rows[0]["code"] == "110000" and rows[0]["name_zh"] == "北京市" and rows[0]["level"] == "province"
