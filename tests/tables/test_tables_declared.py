"""Declared inputs are columns of the person file too: listed by `changzhu schema person --jurisdiction`, read in
any form with Chinese headers, and a missing one makes the decision undetermined, naming it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from changzhu.cli.main import app
from changzhu.rules.catalog import POLICY_DIR

FIXTURE = Path(__file__).parents[1] / "rules" / "fixtures" / "330100.yaml"
DECLARED = [
    "awards",
    "degree",
    "false_material",
    "patents",
    "sanction_date",
    "spouse_si_months",
    "tax_paid_year",
    "work_district",
]
HEADER = (
    "编号,性别,出生日期,户籍地,常住地,居住起始日期,居住证办理日期,本地社保缴费月数,社保缴费总月数,本地医保缴费月数,"
    "上一居住地,上一居住地居住月数,上一居住地社保月数,合法稳定就业,学历,住房,家庭人均月收入,父母编号,犯罪记录,"
    "职称,社保缴费基数比,学位,上一年度个人所得税,获奖,提供虚假材料,受处罚日期,工作所在区,配偶社保月数,发明专利数\n"
)
COMPLETE = (
    "1,女,1990年3月1日,340800,杭州市,2020/6/1,2020-12-01,70,80,70,,0,0,是,本科,租房,8000,,否,"
    "一级/高级技师/高级职称,0.9,学士,45000,市级劳动模范,否,2022-01-15,县,30,1\n"
)
MISSING = COMPLETE.replace("1,女", "2,女", 1).replace(",学士,", ",,").replace(",否,2022-01-15", ",,2022-01-15")


@pytest.fixture
def policy_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "policies"
    (root / "jurisdictions").mkdir(parents=True)
    shutil.copytree(POLICY_DIR / "agreements", root / "agreements")
    shutil.copy(POLICY_DIR / "jurisdictions" / "000000.yaml", root / "jurisdictions")
    shutil.copy(FIXTURE, root / "jurisdictions")
    monkeypatch.setenv("CHANGZHU_POLICY_DIR", str(root))
    return root


def test_schema_person_lists_the_declared_inputs(policy_dir: Path, tmp_path: Path) -> None:
    ran = CliRunner().invoke(app, ["schema", "person", "--jurisdiction", "330100", "--format", "json"])
    assert ran.exit_code == 0, ran.output
    columns = {c["name"]: c for c in json.loads(ran.output)["columns"]}
    assert set(DECLARED) <= set(columns)
    assert columns["awards"]["type"] == "categories" and columns["degree"]["label_zh"] == "学位"
    assert not columns["degree"]["required"]


def test_a_gbk_file_with_declared_inputs_is_decided_and_a_missing_one_is_named(
    policy_dir: Path, tmp_path: Path
) -> None:
    path = tmp_path / "people.csv"
    path.write_bytes((HEADER + COMPLETE + MISSING).encode("gbk"))
    out = tmp_path / "result.parquet"
    ran = CliRunner().invoke(app, ["evaluate", str(path), "--on", "2026-06-01", "--out", str(out), "-f", "json"])
    assert ran.exit_code == 0, ran.output
    result = pl.read_parquet(out).sort("person_id")
    complete, missing = result.row(0, named=True), result.row(1, named=True)
    assert not complete["undetermined_points_settlement"]
    assert missing["undetermined_points_settlement"]
    assert "false_material" in str(missing["needs_points_settlement"])


def test_a_bad_declared_value_is_reported_by_row(policy_dir: Path, tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_bytes((HEADER + COMPLETE.replace("市级劳动模范", "市级劳动模范;省级劳模")).encode("gbk"))
    errors = tmp_path / "errors.csv"
    ran = CliRunner().invoke(app, ["evaluate", str(path), "--on", "2026-06-01", "--errors", str(errors)])
    assert ran.exit_code != 0
    report = pl.read_csv(errors, infer_schema=False)
    assert report.select("row", "column", "value").rows() == [("2", "获奖", "市级劳动模范;省级劳模")]


CORE_FACTS = [
    "--fact",
    "学历=本科",
    "--fact",
    "就业=是",
    "--fact",
    "住房=租房",
    "--fact",
    "家庭人均月收入=6000",
    "--fact",
    "犯罪记录=否",
]
RESIDENTS = (
    "身份证号,户籍地,常住地,居住起始日期,证明类型,证明编号,学历,合法稳定就业,住房,家庭人均月收入,犯罪记录,学位,获奖,"
    "受处罚日期,发明专利数\n"
    "510104199003070138,成都市,杭州市,2020/6/1,就业,合同 1,本科,是,租房,5000,否,学士,市级劳动模范;全国劳动模范,"
    "2024年3月1日,2\n"
    "510104198511200248,成都市,杭州市,2021-02-01,住房,租赁 2,初中,是,宿舍,3000,否,,,,\n"
)


def test_the_registry_keeps_declared_inputs_from_import_and_register(
    policy_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from changzhu.api.auth.accounts import create_user
    from changzhu.api.auth.roles import Role
    from changzhu.registry import person_frame
    from changzhu.registry.migrate import upgrade
    from changzhu.store.db import make_engine

    url = f"sqlite:///{tmp_path / 'registry.sqlite3'}"
    monkeypatch.setenv("CHANGZHU_DATABASE_URL", url)
    upgrade(make_engine(url))
    create_user(make_engine(url), "cw_hz", "correct horse battery staple", Role.CASEWORKER, ["330100"])
    path = tmp_path / "residents.csv"
    path.write_bytes(RESIDENTS.encode("gbk"))
    ran = CliRunner().invoke(app, ["import", "residents", str(path), "--as", "cw_hz"])
    assert ran.exit_code == 0, ran.output
    args = [
        "resident",
        "register",
        "--id-number",
        "11010519491231002X",
        "--hukou",
        "110100",
        "--residence",
        "330100",
        "--since",
        "2019-01-01",
        "--proof",
        "housing",
        "--proof-ref",
        "房产证 3",
        "--as",
        "cw_hz",
    ]
    fact = ["--fact", "学位=硕士", "--fact", "获奖=全国劳动模范", "--fact", "false_material=否"]
    assert CliRunner().invoke(app, [*args, *fact, *CORE_FACTS]).exit_code == 0
    frame = person_frame(make_engine(url))
    assert frame["degree"].to_list() == ["bachelor", None, "master"]
    assert frame["awards"].to_list() == [["city_model", "national_model"], None, ["national_model"]]
    assert frame["sanction_date"].dt.to_string().to_list() == ["2024-03-01", None, None]
    assert frame["false_material"].to_list() == [None, None, False]
    assert frame["patents"].to_list() == [2, None, None]
    out = tmp_path / "decisions.parquet"
    decided = CliRunner().invoke(app, ["evaluate", "--registry", "--on", "2026-06-01", "--out", str(out), "-f", "json"])
    assert decided.exit_code == 0, decided.output
    result = pl.read_parquet(out).sort("person_id")
    missing = result.row(1, named=True)  # no degree, awards, sanction date or patents given
    assert missing["undetermined_social_integration"] is True
    assert {"degree", "awards"} <= set(missing["needs_social_integration"])
