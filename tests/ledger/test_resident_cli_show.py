"""`changzhu resident show` and `resident find` print a record as a caseworker reads it, in --lang: places by name and
code, sex and categories in words, dates as dates, a fact not on record as unknown (never blank or 0); CSV and JSON
keep the codes (unknown: null). An error line speaks the --lang the operator chose, and a key no one has is answered
with what to do at the command line (the API's wording spoke of a link).

Before: both printed the row's raw codes (sex "M", "440100" alone, prior months 0 without a previous place), had no
--lang, `find` no --format; and `resident show KEY --lang en` under a Chinese locale answered in Chinese."""

from __future__ import annotations

import json
from datetime import date

import pytest
from console_support import run_console
from sqlalchemy import Engine

from changzhu.api.auth.accounts import create_user
from changzhu.api.auth.roles import Role
from changzhu.registry.identity import check_char
from changzhu.registry.residents import ProofKind, Registration, register_resident

FIRST17 = "44010619850505001"


def _number(first17: str) -> str:
    return first17 + check_char(first17)


@pytest.fixture
def person(engine: Engine, database_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """A Chengdu-hukou woman living in Guangzhou: education and housing on record, a Guangzhou-declared fact too;
    employment, income and the rest not on record."""
    monkeypatch.setenv("CHANGZHU_DATABASE_URL", database_url)
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    monkeypatch.delenv("CHANGZHU_LANG", raising=False)
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    monkeypatch.setenv("CHANGZHU_OPERATOR", "cw_gz")  # the reading commands act as a named user, as the writes
    create_user(engine, "cw_gz", "correct horse battery staple", Role.CASEWORKER, ["440100"])
    facts = {"education": "bachelor", "housing": "rented", "guangzhou_housing_fund_months": 24}
    reg = Registration(
        _number("51010419850505002"), "510100", "440100", date(2021, 3, 1), ProofKind.HOUSING, "H-1", facts
    )
    return str(register_resident(engine, reg, actor="test")["person_key"])


def _run(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, *args: str) -> tuple[int, str]:
    return run_console(capsys, monkeypatch, *args)


SHOWN = {
    "zh": ("女", "成都市（510100）", "广州市（440100）", "2021-03-01", "本科", "租房", "24 个月", "未知", "无记录"),
    "en": (
        "female",
        "Chengdu (510100)",
        "Guangzhou (440100)",
        "2021-03-01",
        "bachelor's",
        "rented home",
        "24 months",
        "unknown",
        "none on record",
        "not applicable (no previous place on record)",
    ),
}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_show_prints_the_record_in_words(
    person: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, lang: str
) -> None:
    monkeypatch.setenv("COLUMNS", "160")
    code, out = _run(capsys, monkeypatch, "resident", "show", person, "--lang", lang)
    assert code == 0, out
    assert all(word in out for word in SHOWN[lang]), out
    assert " M " not in out and "│ 0 " not in out and "None" not in out, out
    code, found = _run(
        capsys, monkeypatch, "resident", "find", "--id-number", _number("51010419850505002"), "--lang", lang
    )
    assert code == 0 and person in found and all(word in found for word in SHOWN[lang]), found


def test_json_and_csv_keep_the_codes_unknown_as_null(
    person: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out = _run(capsys, monkeypatch, "resident", "show", person, "--format", "json")
    assert code == 0, out
    [row] = json.loads(out)
    assert (row["sex"], row["hukou_region"], row["residence_region"], row["education"]) == (
        "F",
        "510100",
        "440100",
        "bachelor",
    )
    assert row["employed"] is None and row["prior_region"] is None and row["prior_residence_months"] is None
    assert row["guangzhou_housing_fund_months"] == 24 and row["moved_out"] is False
    code, out = _run(
        capsys, monkeypatch, "resident", "find", "--id-number", _number("51010419850505002"), "--format", "csv"
    )
    assert code == 0 and out.splitlines()[0].startswith("person_key,sex,") and ",F," in out, out


def test_an_unknown_key_is_answered_in_the_chosen_language_with_what_to_do(
    person: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A key no one has is answered as one out of the user's reach (the API's one answer), naming --as."""
    code, out = _run(capsys, monkeypatch, "resident", "show", "0" * 32, "--lang", "en")
    assert code == 1 and "error: no such resident within your reach" in out and "--as" in out, out
    assert "link" not in out and "Traceback" not in out, out
    code, out = _run(capsys, monkeypatch, "resident", "show", "0" * 32)  # no --lang: the locale's (zh_CN)
    assert code == 1 and "错误：在您的管辖范围内没有此居民" in out and "--as" in out, out


def test_a_write_prints_its_result_in_words_in_the_chosen_language(
    person: str, engine: Engine, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """What a write prints (a permit, months, a voucher): fields by their labels, places by name and code, fen as
    yuan, flags as yes or no; before, the result's raw names and values ("replayed  False", "value_fen  50050",
    "region  440100")."""
    monkeypatch.setenv("COLUMNS", "160")
    code, out = _run(capsys, monkeypatch, "resident", "permit", person, "--on", "2026-01-01", "--as", "cw_gz")
    assert code == 0 and "居住证编号" in out and "有效期至" in out and "2027-01-01" in out and "否" in out, out
    contribute = ["ledger", "contribute", person, "--scheme", "pension", "--region", "440100", "--from", "202301"]
    code, out = _run(
        capsys, monkeypatch, *contribute, "--to", "202312", "--base", "8000", "--as", "cw_gz", "--lang", "en"
    )
    assert code == 0 and "Guangzhou (440100)" in out and "pension" in out and "repeated" in out, out
    issue = ["voucher", "issue", person, "--issuer", "440100", "--service", "training", "--value", "500.5"]
    issue += ["--on", "2026-01-01", "--expires", "2026-12-31", "--as", "cw_gz"]
    code, out = _run(capsys, monkeypatch, *issue)
    assert code == 0 and "面值" in out and "500.5 元" in out, out
    for raw in ("replayed", "False", "value_fen", "operation_id", "│ 440100 "):
        assert raw not in out, (raw, out)


def test_months_at_a_previous_place_on_record_not_known_are_unknown(
    person: str, engine: Engine, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """After a move, Guangzhou is her previous place: the insurance months paid there, with no contribution on
    record, are unknown, not "not applicable (no previous place on record)" (fails on 374c4d5: it said there was no
    previous place beside the previous place)."""
    from changzhu.registry.residents import record_move

    record_move(engine, person, "440300", date(2025, 6, 1), ProofKind.HOUSING, "H-2", actor="test")
    create_user(engine, "cw_sz", "correct horse battery staple", Role.CASEWORKER, ["440300"])
    monkeypatch.setenv("CHANGZHU_OPERATOR", "cw_sz")  # she lives in Shenzhen now: its caseworker reads her record
    monkeypatch.setenv("COLUMNS", "160")
    for lang, place, label, unknown, not_applicable in (
        ("zh", "广州市（440100）", "上一居住地社保月数", "未知", "不适用"),
        ("en", "Guangzhou (440100)", "social insurance months there", "unknown", "not applicable"),
    ):
        code, out = _run(capsys, monkeypatch, "resident", "show", person, "--lang", lang)
        assert code == 0 and place in out and not_applicable not in out, out
        [line] = [line for line in out.splitlines() if label in line]
        assert unknown in line, out
    code, out = _run(capsys, monkeypatch, "resident", "show", person, "--format", "json")
    [row] = json.loads(out)
    assert row["prior_region"] == "440100" and row["prior_si_months"] is None
