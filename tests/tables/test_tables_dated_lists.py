"""A dates input (one date per occurrence) in the person file: listed by `changzhu schema person`, read from CSV
(dates separated by ; or ；, in any date form, 无 for none), Parquet list<date> and JSON, a bad date reported by
row and column, and kept by the registry as a typed attribute."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from changzhu.cli.main import app
from changzhu.rules.catalog import POLICY_DIR

FIXTURE = Path(__file__).parents[1] / "rules" / "fixtures" / "dated_lists.yaml"
HEADER = (
    "编号,性别,出生日期,户籍地,常住地,居住起始日期,居住证办理日期,本地社保缴费月数,社保缴费总月数,本地医保缴费月数,"
    "上一居住地,上一居住地居住月数,上一居住地社保月数,合法稳定就业,学历,住房,家庭人均月收入,父母编号,犯罪记录,"
    "提供虚假材料被认定的日期,获奖日期\n"
)
CORE = "女,1990年3月1日,340800,杭州市,2020/6/1,2020-12-01,120,130,70,,0,0,是,本科,租房,8000,,否"
ROWS = [
    f"1,{CORE},无,2023/6/2；2023-06-01",  # none; awards: one still within 36 months (+30) → 150
    f"2,{CORE},2022年1月15日;2025-07-01,",  # two findings within five years → −300 (−180); awards unknown
    f"3,{CORE},,无",  # findings unknown
]


@pytest.fixture
def policy_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "policies"
    (root / "jurisdictions").mkdir(parents=True)
    shutil.copytree(POLICY_DIR / "agreements", root / "agreements")
    shutil.copy(POLICY_DIR / "jurisdictions" / "000000.yaml", root / "jurisdictions")
    shutil.copy(FIXTURE, root / "jurisdictions" / "330100.yaml")
    monkeypatch.setenv("CHANGZHU_POLICY_DIR", str(root))
    return root


def test_schema_person_lists_a_dates_input(policy_dir: Path) -> None:
    ran = CliRunner().invoke(app, ["schema", "person", "--jurisdiction", "330100", "--format", "json"])
    assert ran.exit_code == 0, ran.output
    columns = {c["name"]: c for c in json.loads(ran.output)["columns"]}
    assert columns["award_dates"]["type"] == "dates" and columns["award_dates"]["example"] == "2025-05-01;2023-01-10"


def _decide(path: Path, tmp_path: Path) -> pl.DataFrame:
    out = tmp_path / "result.parquet"
    ran = CliRunner().invoke(app, ["evaluate", str(path), "--on", "2026-06-01", "--out", str(out), "-f", "json"])
    assert ran.exit_code == 0, ran.output
    return pl.read_parquet(out).sort("person_id")


def test_a_csv_with_dates_lists_is_read_in_any_date_form(policy_dir: Path, tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_bytes((HEADER + "\n".join(ROWS) + "\n").encode("gbk"))
    result = _decide(path, tmp_path)
    assert result["points_test_points"].to_list() == [150.0, -180.0, 120.0]
    assert result["points_low_test_points"].to_list() == [150.0, -180.0, -180.0]
    # 2: awards unknown could add any number of +30 (the line is reachable); 3: the findings unknown
    assert result["undetermined_points_settlement"].to_list() == [False, True, True]
    assert result["needs_points_settlement"][1].to_list() == ["award_dates"]
    assert result["needs_points_settlement"][2].to_list() == ["false_material_dates"]


def test_parquet_list_of_dates_and_json_lists_give_the_same(policy_dir: Path, tmp_path: Path) -> None:
    csv = tmp_path / "people.csv"
    csv.write_bytes((HEADER + "\n".join(ROWS) + "\n").encode("gbk"))
    expected = _decide(csv, tmp_path)
    people = [
        {"person_id": i + 1, "sex": "F", "birth_date": date(1990, 3, 1), "hukou_region": "340800",
         "residence_region": "330100", "residence_since": date(2020, 6, 1), "residence_permit_since": date(2020, 12, 1),
         "si_months_local": 120, "si_months_total": 130, "medical_months_local": 70, "prior_residence_months": 0,
         "prior_si_months": 0, "employed": True, "education": "bachelor", "housing": "rented",
         "income_per_capita_month": 8000.0, "criminal_record": False, "prior_region": None, "parent_id": None}
        for i in range(3)
    ]  # fmt: skip
    findings = [[], [date(2022, 1, 15), date(2025, 7, 1)], None]
    awards = [[date(2023, 6, 2), date(2023, 6, 1)], None, []]
    parquet = tmp_path / "people.parquet"
    table = pl.DataFrame(people, schema_overrides={"prior_region": pl.String, "parent_id": pl.Int64}).with_columns(
        pl.Series("false_material_dates", findings, dtype=pl.List(pl.Date)),
        pl.Series("award_dates", awards, dtype=pl.List(pl.Date)),
    )
    table.write_parquet(parquet)
    columns = ["person_id", "points_test_points", "points_low_test_points", "undetermined_points_settlement"]
    assert _decide(parquet, tmp_path).select(columns).equals(expected.select(columns))
    records = [
        {**{k: v.isoformat() if isinstance(v, date) else v for k, v in p.items()},
         "false_material_dates": None if f is None else [d.isoformat() for d in f],
         "award_dates": None if a is None else [d.isoformat() for d in a]}
        for p, f, a in zip(people, findings, awards, strict=True)
    ]  # fmt: skip
    as_json = tmp_path / "people.json"
    as_json.write_text(json.dumps({"people": records}), encoding="utf-8")
    assert _decide(as_json, tmp_path).select(columns).equals(expected.select(columns))


def test_a_bad_date_in_a_list_is_reported_by_row_and_column(policy_dir: Path, tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    bad = ROWS[1].replace("2025-07-01", "2025-13-01")
    path.write_bytes((HEADER + "\n".join([ROWS[0], bad]) + "\n").encode("gbk"))
    errors = tmp_path / "errors.csv"
    ran = CliRunner().invoke(app, ["evaluate", str(path), "--on", "2026-06-01", "--errors", str(errors)])
    assert ran.exit_code != 0
    report = pl.read_csv(errors, infer_schema=False)
    assert report.select("row", "column", "value").rows() == [
        ("3", "提供虚假材料被认定的日期", "2022年1月15日;2025-13-01")
    ]
    assert "'2025-13-01' is not a date" in report["reason"][0]


def test_the_registry_keeps_a_dates_input(policy_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from changzhu.api.auth.accounts import create_user
    from changzhu.api.auth.roles import Role
    from changzhu.registry import person_frame
    from changzhu.registry.facts import InvalidFact, update_facts
    from changzhu.registry.migrate import upgrade
    from changzhu.store.db import make_engine

    url = f"sqlite:///{tmp_path / 'registry.sqlite3'}"
    monkeypatch.setenv("CHANGZHU_DATABASE_URL", url)
    engine = make_engine(url)
    upgrade(engine)
    create_user(engine, "cw_hz", "correct horse battery staple", Role.CASEWORKER, ["330100"])
    args = ["resident", "register", "--id-number", "11010519491231002X", "--hukou", "110100", "--residence", "330100",
            "--since", "2019-01-01", "--proof", "housing", "--proof-ref", "房产证 3", "--as", "cw_hz"]  # fmt: skip
    core = ["学历=本科", "就业=是", "住房=租房", "家庭人均月收入=6000", "犯罪记录=否"]
    given = [*core, "提供虚假材料被认定的日期=2025/7/1；2022年1月15日", "获奖日期=无"]
    facts = [word for fact in given for word in ("--fact", fact)]
    ran = CliRunner().invoke(app, [*args, *facts])
    assert ran.exit_code == 0, ran.output
    frame = person_frame(engine)
    assert frame["false_material_dates"].to_list() == [[date(2022, 1, 15), date(2025, 7, 1)]]
    assert frame["award_dates"].to_list() == [[]]
    assert frame.schema["false_material_dates"] == pl.List(pl.Date)
    with pytest.raises(InvalidFact, match="is not a date"):
        update_facts(engine, _person_key(engine), {"award_dates": ["2024-02-30"]}, actor="cw_hz")
    update_facts(engine, _person_key(engine), {"award_dates": ["2024-02-29", "2023-01-10"]}, actor="cw_hz")
    assert person_frame(engine)["award_dates"].to_list() == [[date(2023, 1, 10), date(2024, 2, 29)]]


def _person_key(engine: object) -> str:
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from changzhu.store.resident_models import PersonRow

    with Session(engine) as session:  # type: ignore[arg-type]
        return str(session.scalars(select(PersonRow.person_key)).one())
