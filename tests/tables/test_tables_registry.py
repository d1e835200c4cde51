"""Residents' facts: typed attributes (migration 0005), from the import in every format and from the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest
from sqlalchemy import Engine, inspect, select, text
from tables_support import REGISTER_ARGS, reference, template_written_over, write_forms
from typer.testing import CliRunner

from changzhu.api.auth.accounts import create_user
from changzhu.api.auth.roles import Role
from changzhu.casework.bulk_import import ImportRejected, import_residents
from changzhu.cli.main import app
from changzhu.registry import person_frame
from changzhu.registry.migrate import downgrade, upgrade
from changzhu.store.db import make_engine, session_scope
from changzhu.store.resident_models import PersonAttributeRow


def _stored(engine: Engine, path: Path) -> pl.DataFrame:
    upgrade(engine)
    assert import_residents(engine, path, actor="t")["residents"] == 2
    return person_frame(engine).drop("person_id", "parent_id")


def test_every_form_of_a_resident_file_stores_the_same_records(engine: Engine, tmp_path: Path) -> None:
    expected = reference("resident", tmp_path)
    forms = {"en.csv": tmp_path / "resident_en.csv", **write_forms("resident", expected, tmp_path)}
    stored = {}
    for form, path in forms.items():
        scratch = make_engine(f"sqlite:///{tmp_path / form}.sqlite3")
        stored[form] = _stored(scratch, path)
        scratch.dispose()
    stored["gbk on this database"] = _stored(engine, forms["gbk.csv"])
    first = stored["en.csv"]
    for form, frame in stored.items():
        assert frame.equals(first), form
    assert first["education"].to_list() == ["bachelor", None] and first["employed"].to_list() == [True, None]
    assert first["si_base_ratio"].to_list() == [1.2, None]


def test_bad_rows_store_nothing_and_skip_stores_the_good_ones(engine: Engine, tmp_path: Path) -> None:
    reference("resident", tmp_path)
    good = (tmp_path / "resident_en.csv").read_text(encoding="utf-8").splitlines()
    bad = tmp_path / "bad.csv"
    bad.write_text("\n".join([*good, good[1].replace("510104199003070138", "510104199003070139")]) + "\n")
    bad_lines = bad.read_text().splitlines()
    bad_lines[2] = bad_lines[2].replace(",housing,", ",boat,")
    bad.write_text("\n".join(bad_lines) + "\n")
    with pytest.raises(ImportRejected) as info:
        import_residents(engine, bad, actor="t")
    assert info.value.report().select("row", "column").rows() == [(3, "proof_kind"), (4, "id_number")]
    assert person_frame(engine).height == 0
    result = import_residents(engine, bad, actor="t", skip_bad_rows=True)
    assert result["residents"] == 1 and result["left_out"] == 2
    assert person_frame(engine).height == 1


def test_register_takes_facts_by_english_or_chinese_name(engine: Engine, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("CHANGZHU_DATABASE_URL", str(engine.url.render_as_string(hide_password=False)))
    create_user(engine, "cw_sz", "correct horse battery staple", Role.CASEWORKER, ["440300"])
    ran = CliRunner().invoke(
        app, [*REGISTER_ARGS, "--fact", "学历=本科", "--fact", "employed=是", "--fact", "si_base_ratio=0.8"]
    )
    assert ran.exit_code == 0, ran.output
    frame = person_frame(engine)
    assert frame.select("education", "employed", "si_base_ratio").row(0) == ("bachelor", True, 0.8)
    with session_scope(engine) as session:
        kinds = dict(session.execute(select(PersonAttributeRow.name, PersonAttributeRow.kind)).all())
    assert kinds == {"education": "text", "employed": "bool", "si_base_ratio": "number"}
    wrong = CliRunner().invoke(app, [*REGISTER_ARGS, "--fact", "学历=大学"])
    assert wrong.exit_code != 0 and "学历" in str(wrong.exception)


def test_migration_0005_moves_json_attributes_to_typed_rows_and_back(database_url: str) -> None:
    engine = make_engine(database_url)
    upgrade(engine, "0004")
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO persons (person_key, id_hash, id_cipher, sex, birth_date, hukou_region, residence_region,"
                " residence_since, prior_residence_months, attributes, created_at) VALUES ('k', 'h', :c, 'F',"
                " '1990-01-01', '510100', '440300', '2019-01-01', 0, :a, 'now')"
            ),
            {"c": b"x", "a": json.dumps({"education": "bachelor", "employed": True, "admin_detentions": 2})},
        )
    upgrade(engine, "0005")
    assert "attributes" not in {c["name"] for c in inspect(engine).get_columns("persons")}
    with session_scope(engine) as session:
        rows = {r.name: r.value() for r in session.scalars(select(PersonAttributeRow))}
    assert rows == {"education": "bachelor", "employed": True, "admin_detentions": 2}
    downgrade(engine, "0004")
    with engine.connect() as conn:
        back = conn.execute(text("SELECT attributes FROM persons")).scalar_one()
    assert (json.loads(back) if isinstance(back, str) else back) == rows
    upgrade(engine)
    engine.dispose()


def test_the_templates_example_row_imports(engine: Engine, tmp_path: Path) -> None:
    """The example row of `changzhu schema resident --template` is a row the import accepts once a clerk writes
    over it (their 李四 for its 张三): its identity number gives the example's birth date and sex (was GB 11643's
    11010519491231002X, born 1949, beside 1990-03-15). Left in unchanged, it is refused as the example, not stored
    as a person."""
    from changzhu.tables.kinds import resident_schema
    from changzhu.tables.template import write_template

    template = tmp_path / "常住人口.xlsx"
    write_template(resident_schema(), template)
    upgrade(engine)
    with pytest.raises(ImportRejected, match="the template's example row, not data: delete this row"):
        import_residents(engine, template, actor="t")
    assert import_residents(engine, template_written_over(resident_schema(), template), actor="t")["residents"] == 1


def test_an_identity_number_on_two_rows_stores_neither_row(engine: Engine, tmp_path: Path) -> None:
    """A 街道's list giving one person twice, on different dates and proofs: which row is the person is not known,
    so both rows are named (each as the same person as the other) and --skip-bad-rows stores neither (it stored
    the first and left out only the second)."""
    upgrade(engine)
    header = "身份证号,姓名,户籍地,居住地,来本市日期,证明类型,证明编号\r\n"
    rows = [
        "510104199003151229,王芳,四川省成都市,深圳市南山区,2023/5/1,就业,劳动合同-1",
        "430102198507203419,李强,湖南省长沙市,深圳市福田区,2023年5月1日,住房,租赁-88",
        "510104199003151229,王芳,四川省成都市,深圳市南山区,2023/6/1,就业,劳动合同-2",
    ]
    path = tmp_path / "登记.csv"
    path.write_bytes((header + "\r\n".join(rows) + "\r\n").encode("gbk"))
    with pytest.raises(ImportRejected) as info:
        import_residents(engine, path, actor="t")
    report = info.value.report()
    assert report.select("row", "column").rows() == [(2, "身份证号"), (4, "身份证号")]
    assert report["reason_zh"].to_list() == ["与第 4 行是同一人", "与第 2 行是同一人"]
    assert person_frame(engine).height == 0
    result = import_residents(engine, path, actor="t", skip_bad_rows=True)
    assert result["residents"] == 1 and result["left_out"] == 2
    assert person_frame(engine)["hukou_region"].to_list() == ["430100"]
    copied = tmp_path / "复制.csv"  # the same row twice, as it is: who the person is is known, the copy is refused
    copied.write_bytes((header + "\r\n".join([rows[0], rows[0]]) + "\r\n").encode("gbk"))
    result = import_residents(engine, copied, actor="t", skip_bad_rows=True)
    assert result["residents"] == 1 and result["left_out"] == 1
