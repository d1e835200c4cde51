"""Residents' names and phone numbers: read from 姓名 / 手机号 / 联系电话 columns and the CLI, normalised, stored only
as ciphertext and keyed hash."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from typer.testing import CliRunner

from changzhu.api.auth.accounts import create_user
from changzhu.api.auth.roles import Role
from changzhu.casework.bulk_import import ImportRejected, import_residents
from changzhu.cli.main import app
from changzhu.registry.contact import InvalidContact, contact_hash, normalise_name, normalise_phone, seal, unseal
from changzhu.store.db import session_scope
from changzhu.store.resident_models import PersonRow
from changzhu.tables import read_table
from changzhu.tables.kinds import resident_schema

ROWS = (
    "身份证号,姓名,联系电话,户籍地,常住地,居住起始日期,证明类型,证明编号\n"
    "510104199003070138,Ｌｉ　Ｌｅｉ,+86 139-1234-5678,510100,440100,2020-03-01,就业,合同-1\n"
    "11010519491231002X,,,110100,440100,2021-03-01,住房,房-2\n"
)


def test_names_and_phones_are_normalised() -> None:
    assert normalise_name(" 欧阳\u3000小梅 ") == "欧阳小梅" and normalise_name("Ｌｉ　Ｌｅｉ") == "LiLei"
    assert normalise_phone("+86 139-1234-5678") == normalise_phone("13912345678") == "13912345678"
    for bad in ("", " \u3000 ", "a" * 51):
        with pytest.raises(InvalidContact):
            normalise_name(bad)
    for bad in ("12345678901", "1391234567", "phone"):
        with pytest.raises(InvalidContact):
            normalise_phone(bad)
    sealed = seal("name", "李 雷")
    assert unseal(sealed.cipher, sealed.lookup) == "李雷" and sealed.lookup == contact_hash("name", "李雷")
    assert contact_hash("name", "13912345678") != contact_hash("phone", "13912345678")  # one label per kind


def test_the_resident_file_reads_name_and_phone_columns(tmp_path: Path) -> None:
    path = tmp_path / "登记.csv"
    path.write_text(ROWS, encoding="utf-8")
    frame = read_table(path, resident_schema()).frame
    assert frame["name"].to_list() == ["Ｌｉ　Ｌｅｉ", None] and frame["phone"].to_list() == ["+86 139-1234-5678", None]


def test_import_stores_them_encrypted_and_refuses_a_bad_phone(engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "登记.csv"
    path.write_text(ROWS, encoding="utf-8")
    assert import_residents(engine, path, actor="t")["residents"] == 2
    with session_scope(engine) as session:
        rows = {p.name_hash: p for p in session.scalars(select(PersonRow))}
        li = rows[contact_hash("name", "LiLei")]
        assert li.phone_hash == contact_hash("phone", "13912345678") and b"LiLei" not in (li.name_cipher or b"")
        assert rows[None].phone_hash is None  # no name or phone given: none stored, none invented
    bad = tmp_path / "bad.csv"
    bad.write_text(ROWS.splitlines()[0] + "\n310104199202023337,张三,12345,310100,310100,2020-05-01,住房,沪-1\n")
    with pytest.raises(ImportRejected) as info:
        import_residents(engine, bad, actor="t")
    assert [(e.line, e.column) for e in info.value.errors] == [(2, "联系电话")]  # as the file names it


def test_the_cli_registers_a_name_and_phone(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHANGZHU_DATABASE_URL", str(engine.url.render_as_string(hide_password=False)))
    args = ["resident", "register", "--id-number", "310104199202023337", "--hukou", "310100", "--residence",
            "310100", "--since", "2020-05-01", "--proof", "housing", "--proof-ref", "沪房-1", "--name", "张 三",
            "--phone", "13800138000", "--as", "cw_sh"]  # fmt: skip
    create_user(engine, "cw_sh", "correct horse battery staple", Role.CASEWORKER, ["310100"])
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    with session_scope(engine) as session:
        person = session.scalar(select(PersonRow).where(PersonRow.name_hash == contact_hash("name", "张三")))
        assert person is not None and unseal(person.phone_cipher, person.phone_hash) == "13800138000"
