"""`changzhu resident ...` and `changzhu import ...` act as a named user (`--as USER`) under the API's checks: staff
of the place where the person lives (for a move, of both ends: from outside it is held for the old place), every
imported row's region in the user's jurisdiction. A refused write prints why and stores nothing (these commands used
to write as `cli:<login>` with no check at all)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from typer.testing import CliRunner

from changzhu.api.auth.accounts import create_user
from changzhu.api.auth.roles import Role
from changzhu.cli.main import app
from changzhu.registry.identity import check_char
from changzhu.registry.residents import ProofKind, Registration, register_resident
from changzhu.store.approval_models import PendingApprovalRow
from changzhu.store.db import session_scope
from changzhu.store.resident_models import (
    AuditRow,
    ContributionMonthRow,
    HouseholdLinkRow,
    PersonRow,
    ResidencePermitRow,
)

PASSWORD = "correct horse battery staple"
CHENGDU, GUANGZHOU = "510100", "440100"


def _number(first17: str) -> str:
    return first17 + check_char(first17)


@pytest.fixture
def people(engine: Engine, database_url: str, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """A parent and a child living in Chengdu, the CLI pointed at the database, and staff of several places."""
    monkeypatch.setenv("CHANGZHU_DATABASE_URL", database_url)
    monkeypatch.delenv("CHANGZHU_OPERATOR", raising=False)
    keys = {}
    for who, first17 in (("parent", "51010419800101003"), ("child", "51010420100101004")):
        reg = Registration(_number(first17), "510300", CHENGDU, date(2015, 1, 1), ProofKind.HOUSING, "x", {})
        keys[who] = str(register_resident(engine, reg, actor="test")["person_key"])
    create_user(engine, "cw_cd", PASSWORD, Role.CASEWORKER, [CHENGDU])
    create_user(engine, "cw_gz", PASSWORD, Role.CASEWORKER, [GUANGZHOU])
    create_user(engine, "cw_both", PASSWORD, Role.CASEWORKER, [CHENGDU, GUANGZHOU])
    create_user(engine, "pl_nat", PASSWORD, Role.PLANNER, ["000000"])
    return keys


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, f"{result.output}{result.exception or ''}"


def _count(engine: Engine, table: type) -> int:
    with session_scope(engine) as session:
        return int(session.scalar(select(func.count()).select_from(table)) or 0)


def _person(engine: Engine, key: str) -> PersonRow:
    with session_scope(engine) as session:
        person = session.scalar(select(PersonRow).where(PersonRow.person_key == key))
        assert person is not None
        session.expunge(person)
        return person


def test_register_is_made_by_staff_of_the_place_of_residence(engine: Engine, people: dict[str, str]) -> None:
    register = ["resident", "register", "--id-number", _number("44010419920202005"), "--hukou", "440100"]
    register += ["--residence", CHENGDU, "--since", "2020-01-01", "--proof", "housing", "--proof-ref", "R-1"]
    code, out = _run(*register)
    assert code != 0 and "--as" in out  # no named user: refused before anything is written
    for user, why in (("nobody", "no account"), ("cw_gz", "outside your jurisdiction"), ("pl_nat", "role planner")):
        code, out = _run(*register, "--as", user)
        assert code != 0 and why in out, (user, out)
    assert _count(engine, PersonRow) == 2  # nothing stored by any refused call
    code, out = _run(*register, "--as", "cw_cd")
    assert code == 0, out
    assert _count(engine, PersonRow) == 3
    with session_scope(engine) as session:
        actors = set(session.scalars(select(AuditRow.actor).where(AuditRow.action == "register")))
    assert actors == {"test", "user:cw_cd"}  # the fixture's two, then the named user: never the shell login


def test_permit_renewal_settlement_and_links_are_for_staff_where_the_people_live(
    engine: Engine, people: dict[str, str]
) -> None:
    parent, child = people["parent"], people["child"]
    refused = [
        ["resident", "permit", parent, "--on", "2016-01-01"],
        ["resident", "settle", parent, "--on", "2020-01-01"],
        ["resident", "link", parent, child],
    ]
    for args in refused:
        code, out = _run(*args, "--as", "cw_gz")  # the same answer as for a key that names nobody (docs/api.md)
        assert code != 0 and "no such resident within your reach" in out, (args, out)
        code, out = _run(*args, "--as", "pl_nat")
        assert code != 0 and "role planner" in out, (args, out)
    assert _count(engine, ResidencePermitRow) == _count(engine, HouseholdLinkRow) == 0
    assert _person(engine, parent).hukou_region == "510300"
    code, out = _run("resident", "permit", parent, "--on", "2016-01-01", "--as", "cw_cd")
    assert code == 0, out
    with session_scope(engine) as session:
        permit_no = str(session.scalar(select(ResidencePermitRow.permit_no)))
    code, out = _run("resident", "renew", permit_no, "--on", "2016-12-01", "--as", "cw_gz")
    assert code != 0 and "outside your jurisdiction" in out
    assert _count(engine, ResidencePermitRow) == 1
    for args in (["resident", "renew", permit_no, "--on", "2016-12-01"], *refused[1:]):
        code, out = _run(*args, "--as", "cw_cd")
        assert code == 0, (args, out)
    assert _count(engine, ResidencePermitRow) == 2 and _count(engine, HouseholdLinkRow) == 1
    assert _person(engine, parent).hukou_region == CHENGDU


def test_a_move_from_outside_is_held_for_the_old_place(engine: Engine, people: dict[str, str]) -> None:
    parent = people["parent"]
    move = ["resident", "move", parent, "--on", "2024-01-01", "--proof", "employment", "--proof-ref", "C-9"]
    code, out = _run(*move, "--to", GUANGZHOU, "--as", "cw_cd")  # the new place is not Chengdu's to register
    assert code != 0 and "outside your jurisdiction" in out
    code, out = _run(*move, "--to", GUANGZHOU, "--as", "pl_nat")
    assert code != 0 and "role planner" in out
    code, out = _run(*move, "--to", GUANGZHOU, "--as", "cw_gz")  # no identity number shown: as no one
    assert code != 0 and "no such resident within your reach" in out, out
    assert _count(engine, PendingApprovalRow) == 0
    shown = ["--id-number", _number("51010419800101003")]
    code, out = _run(*move, "--to", GUANGZHOU, "--as", "cw_gz", "--key", "move-key-1", *shown, "--lang", "en")
    assert code == 0 and "held until the old place confirms" in out, out
    assert CHENGDU not in out  # the arrival place is not told where the person lives
    assert _person(engine, parent).residence_region == CHENGDU  # not moved: Chengdu has to confirm
    with session_scope(engine) as session:
        held = session.scalar(select(PendingApprovalRow))
        assert held is not None and (held.kind, held.region, held.maker) == ("residence.move", CHENGDU, "cw_gz")
    code, out = _run(*move, "--to", GUANGZHOU, "--as", "cw_both")  # staff of both ends record it at once
    assert code == 0, out
    assert _person(engine, parent).residence_region == GUANGZHOU


def _file(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_an_import_with_a_row_outside_the_users_jurisdiction_stores_nothing(
    engine: Engine, people: dict[str, str], tmp_path: Path
) -> None:
    header = "id_number,hukou_region,residence_region,residence_since,proof_kind,proof_ref\n"
    rows = (
        f"{_number('44010419920202005')},440100,{CHENGDU},2020-01-01,housing,R-1\n"
        f"{_number('44010419930303006')},440100,{GUANGZHOU},2020-01-01,housing,R-2\n"
    )
    mixed = _file(tmp_path / "mixed.csv", header + rows)
    for user, why in (("cw_cd", "row 3 (440100)"), ("pl_nat", "role planner"), ("nobody", "no account")):
        code, out = _run("import", "residents", str(mixed), "--as", user)
        assert code != 0 and why in out, (user, out)
    code, out = _run("import", "residents", str(mixed))
    assert code != 0 and "--as" in out
    assert _count(engine, PersonRow) == 2
    code, out = _run("import", "residents", str(mixed), "--as", "cw_both", "--lang", "zh")
    assert code == 0, out
    assert _count(engine, PersonRow) == 4
    # the result by its labels in Chinese (it printed the raw field names residents, left_out and file_sha256)
    assert "登记的常住人口" in out and "略过的行数" in out and "文件校验值" in out, out
    assert not any(raw in out for raw in ("left_out", "file_sha256", "residents ")), out

    months = "id_number,scheme,region,period_from,period_to,monthly_base_yuan\n"
    months += f"{_number('51010419800101003')},pension,{GUANGZHOU},202001,202003,8000\n"
    paid_elsewhere = _file(tmp_path / "months.csv", months)
    code, out = _run("import", "contributions", str(paid_elsewhere), "--as", "cw_cd")
    assert code != 0 and "outside your jurisdiction" in out
    assert _count(engine, ContributionMonthRow) == 0
    # paid in Guangzhou, but the person lives in Chengdu: not Guangzhou's record to write (as the API refuses it)
    code, out = _run("import", "contributions", str(paid_elsewhere), "--as", "cw_gz")
    assert code != 0 and "lives in your jurisdiction" in out, out
    assert _count(engine, ContributionMonthRow) == 0
    code, out = _run("import", "contributions", str(paid_elsewhere), "--as", "cw_both", "--lang", "en")
    assert code == 0, out  # both ends in reach
    assert "rows imported" in out and "rows left out" in out and "left_out" not in out, out
    assert _count(engine, ContributionMonthRow) == 3
    with session_scope(engine) as session:
        actors = set(session.scalars(select(AuditRow.actor).where(AuditRow.action.like("import%"))))
    assert actors == {"user:cw_both"}


def test_an_import_counts_bad_rows_not_problems_and_lists_rows_left_out(
    engine: Engine, people: dict[str, str], tmp_path: Path
) -> None:
    """One row with two bad cells is one bad row (two problems); kept with --skip-bad-rows, the rows left out are
    listed as the error report (row, column, reason in English and Chinese), not printed as a Python list."""
    header = "id_number,hukou_region,residence_region,residence_since,proof_kind,proof_ref\n"
    rows = (
        f"{_number('44010419920202005')},440100,{CHENGDU},2020-01-01,housing,R-1\n"
        f"{_number('44010419930303006')},440100,成都,2020-13-01,housing,R-2\n"
    )
    path = _file(tmp_path / "two_problems.csv", header + rows)
    code, out = _run("import", "residents", str(path), "--as", "cw_cd")
    assert code != 0 and "1 bad row (2 problems), nothing imported" in out, out
    assert _count(engine, PersonRow) == 2
    report = tmp_path / "left_out.csv"
    skip = ["--skip-bad-rows", "--errors", str(report), "--lang", "en"]
    code, out = _run("import", "residents", str(path), "--as", "cw_cd", *skip)
    assert code == 0, out
    assert "[{" not in out and "1 bad row(s) left out" in out, out
    written = report.read_text(encoding="utf-8-sig")  # the English suggestion by its English name and code
    assert written.splitlines()[0] == "row,column,value,reason,reason_zh"  # "row" as every message says, not "line"
    assert "没有这一天" in written and "did you mean Chengdu (510100)?" in written and "Chengdu" in out, out
    assert _count(engine, PersonRow) == 3


def test_a_person_key_is_printed_whole_to_be_copied(people: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    """`resident find` is how a clerk gets the key that `resident link` and the others take: at 80 columns it is
    printed whole (a one-row table cut it to '28d0a4df646049f3aa1f…'), one field per line, no Python None."""
    monkeypatch.setenv("COLUMNS", "80")
    code, out = _run("resident", "find", "--id-number", _number("51010419800101003"), "--as", "cw_cd")
    assert code == 0, out
    assert people["parent"] in out and "None" not in out, out


def test_an_identity_number_piped_in_leaves_the_json_on_stdout_readable(people: dict[str, str]) -> None:
    """`echo ID | changzhu resident find --format json`: the number read from stdin, no question printed into the
    JSON (click's hidden prompt wrote "Id number:" on stdout, ahead of the record)."""
    result = CliRunner().invoke(
        app, ["resident", "find", "--format", "json", "--as", "cw_cd"], input=_number("51010419800101003") + "\n"
    )
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert (record[0] if isinstance(record, list) else record)["person_key"] == people["parent"]


def test_a_key_of_the_form_the_service_derives_is_refused(engine: Engine, people: dict[str, str]) -> None:
    """`--key approval-<id>` (or `<no>:complete`, `interregion…`) would take a key a later held-item execution,
    transfer step or 跨省 reversal needs (changzhu.api.client_keys): refused before anything is stored."""
    before = _count(engine, AuditRow)
    for key in ("approval-3", "t-1:complete", "interregion-reverse:abc"):
        code, out = _run("resident", "permit", people["parent"], "--on", "2026-01-01", "--as", "cw_cd", "--key", key)
        assert code != 0 and "keeps for itself" in out, (key, out)
    assert _count(engine, AuditRow) == before


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_refused_import_says_so_in_the_chosen_language(
    engine: Engine,
    people: dict[str, str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    lang: str,
) -> None:
    """The line a refused file ends with (how many rows, nothing imported, the first problems by row, column and
    reason) and the line naming the error report follow CHANGZHU_LANG, as the error line's head does: under zh it
    was "错误：two_problems.csv: 1 bad row (2 problems), nothing imported: row 3 …" and "error report … written to"."""
    from console_support import run_console

    header = "id_number,hukou_region,residence_region,residence_since,proof_kind,proof_ref\n"
    path = _file(tmp_path / "bad.csv", header + f"{_number('44010419930303006')},440100,成都,2020-13-01,housing,R-2\n")
    report = tmp_path / "errors.csv"
    code, out = run_console(
        capsys, monkeypatch, "import", "residents", str(path), "--as", "cw_cd", "--errors", str(report), lang=lang
    )
    said = {
        "zh": (
            "错误：",
            "1 行有误（共 2 个问题），未导入任何数据：第 2 行",
            "没有这一天",
            "错误报告（2 个问题）已写入",
        ),
        "en": (
            "error: ",
            "1 bad row (2 problems), nothing imported: row 2",
            "no such day",
            "error report (2 problems)",
        ),
    }
    assert code == 1 and all(words in out for words in said[lang]), out
    assert ("nothing imported" not in out) if lang == "zh" else ("未导入" not in out), out
    assert _count(engine, PersonRow) == 2


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_an_import_s_notes_and_rejected_rows_follow_the_command_s_language(
    engine: Engine, people: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lang: str
) -> None:
    """The columns left out (备注), the rejected rows' table (its title and headers) and the count of rows left out
    are printed in the command's own --lang, read from click's context: the same under CliRunner as at a terminal.
    Before: the columns left out were named in both languages whatever --lang; the table's headers were English
    (row, column, value, reason, reason_zh) under --lang zh; and the written report's line followed sys.argv (under
    CliRunner, pytest's arguments), not the command's --lang."""
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.delenv("CHANGZHU_LANG", raising=False)
    header = "id_number,hukou_region,residence_region,residence_since,proof_kind,proof_ref,备注\n"
    rows = (
        f"{_number('44010419940404007')},440100,{CHENGDU},2020-01-01,housing,R-3,无\n"
        f"{_number('44010419950505008')},440100,{CHENGDU},2020-13-01,housing,R-4,无\n"
    )
    path = _file(tmp_path / "with_notes.csv", header + rows)
    report = tmp_path / "left_out.csv"
    skip = ["--skip-bad-rows", "--errors", str(report)]
    code, out = _run("import", "residents", str(path), "--as", "cw_cd", *skip, "--lang", lang)
    assert code == 0, out
    said = {
        "zh": ("注意：", "备注", "被拒绝的行", "原因", "没有这一天", "错误报告（1 个问题）已写入", "1 行有误，已略去"),
        "en": ("warning:", "备注", "rejected rows", "reason", "error report (1 problem) written to", "1 bad row(s)"),
    }[lang]
    other = {
        "zh": ("warning", "rejected rows", "reason", "error report", "bad row"),
        "en": ("注意", "被拒绝的行", "原因", "reason_zh", "没有这一天", "错误报告", "行有误"),
    }[lang]
    assert all(word in out for word in said), (said, out)
    assert not any(word in out for word in other), (other, out)
    assert report.read_text(encoding="utf-8-sig").splitlines()[0] == "row,column,value,reason,reason_zh"
