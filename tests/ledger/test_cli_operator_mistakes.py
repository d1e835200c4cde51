"""An operator's mistakes at the command line, each answered with one line in the chosen language saying what was
wrong and what to write instead, exit code 1, no traceback, nothing written: a date not written YYYY-MM-DD, a place's
name where a region code goes, a code of the wrong length, a month not YYYYMM, a word not among an option's values,
a file that is not there, a user who does not exist.

Before: the date and the choices were refused in English whatever the language ("--on: '2026/01/01' is not a date
(YYYY-MM-DD)"), a name given for --to was refused as outside the user's jurisdiction ("深圳 不在您的辖区…内"), and a
missing file said "file not found" in English only."""

from __future__ import annotations

from datetime import date

import pytest
from console_support import run_console
from sqlalchemy import Engine, func, select

from changzhu.api.auth.accounts import create_user
from changzhu.api.auth.roles import Role
from changzhu.registry.identity import check_char
from changzhu.registry.residents import ProofKind, Registration, register_resident
from changzhu.store.db import session_scope
from changzhu.store.resident_models import AuditRow

FIRST17 = "51010419900303002"


@pytest.fixture(params=["sqlite"])
def database_url(request: pytest.FixtureRequest) -> str:
    return str(request.getfixturevalue("sqlite_url"))


@pytest.fixture
def person(engine: Engine, database_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("CHANGZHU_DATABASE_URL", database_url)
    monkeypatch.delenv("CHANGZHU_OPERATOR", raising=False)
    reg = Registration(FIRST17 + check_char(FIRST17), "510100", "440100", date(2021, 3, 1), ProofKind.HOUSING, "H", {})
    create_user(engine, "cw_gz", "correct horse battery staple", Role.CASEWORKER, ["440100"])
    create_user(engine, "cw_sz", "correct horse battery staple", Role.CASEWORKER, ["440300"])
    return str(register_resident(engine, reg, actor="test")["person_key"])


def _run(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, lang: str, *args: str) -> tuple[int, str]:
    return run_console(capsys, monkeypatch, *args, lang=lang)


def _audit(engine: Engine) -> int:
    with session_scope(engine) as session:
        return int(session.scalar(select(func.count()).select_from(AuditRow)) or 0)


MISTAKES: list[tuple[list[str], dict[str, tuple[str, ...]]]] = [
    (
        ["resident", "permit", "{key}", "--on", "2026/01/01", "--as", "cw_gz"],
        {
            "zh": ("错误：--on：2026/01/01 不是日期", "YYYY-MM-DD"),
            "en": ("error: --on: 2026/01/01 is not a date", "write it YYYY-MM-DD"),
        },
    ),
    (
        ["resident", "move", "{key}", "--to", "深圳", "--on", "2026-01-01", "--proof", "housing", "--proof-ref", "X"],
        {
            "zh": ("错误：--to：深圳 是地名", "深圳市（440300）请写 440300"),
            "en": ("error: --to: 深圳 is a name", "for Shenzhen (440300) write 440300"),
        },
    ),
    (  # a name two districts share: each with its code, not the first one's suggested (fails on 374c4d5: 南山 →
        # "for Nanshan District, Hegang (230404) write 230404" to an operator who may mean Shenzhen's)
        ["resident", "move", "{key}", "--to", "南山", "--on", "2026-01-01", "--proof", "housing", "--proof-ref", "X"],
        {
            "zh": ("南山 是几个地区共用的地名", "鹤岗市南山区（230404）", "深圳市南山区（440305）"),
            "en": ("南山 is the name of several regions", "Hegang (230404)", "Shenzhen (440305)"),
        },
    ),
    (
        ["resident", "move", "{key}", "--to", "4403", "--on", "2026-01-01", "--proof", "housing", "--proof-ref", "X"],
        {"zh": ("4403 不是地区代码", "changzhu regions"), "en": ("4403 is not a region code", "changzhu regions")},
    ),
    (
        ["resident", "move", "{key}", "--to", "440300", "--on", "2026-01-01", "--proof", "house", "--proof-ref", "X"],
        {"zh": ("--proof：house 不是可选值", "housing"), "en": ("--proof: house is not a value it takes", "housing")},
    ),
    (
        ["ledger", "contribute", "{key}", "--scheme", "pension", "--region", "440100", "--from", "2023-01"],
        {"zh": ("--from：2023-01 不是月份", "202301"), "en": ("--from: 2023-01 is not a month", "YYYYMM")},
    ),
    (
        ["import", "residents", "/nonexistent/people.csv"],
        {"zh": ("找不到此文件", "请检查路径"), "en": ("no such file", "check the path")},
    ),
    (
        ["resident", "permit", "{key}", "--on", "2026-01-01", "--as", "nobody"],
        {"zh": ("没有名为 nobody 的账户",), "en": ("nobody",)},
    ),
]


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("mistake", range(len(MISTAKES)))
def test_a_mistake_is_told_in_the_chosen_language_with_what_to_write(
    person: str,
    engine: Engine,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    lang: str,
    mistake: int,
) -> None:
    args, said = MISTAKES[mistake]
    args = [a.replace("{key}", person) for a in args]
    if "--as" not in args:
        args += ["--to", "202312", "--as", "cw_sz"] if args[0] == "ledger" else ["--as", "cw_sz"]
    before = _audit(engine)
    code, out = _run(capsys, monkeypatch, lang, *args)
    assert code == 1 and all(part in out for part in said[lang]), out
    assert "Traceback" not in out and len(out.strip().splitlines()) == 1, out
    assert _audit(engine) == before


@pytest.mark.parametrize("key", ["approval-77", "interregion-out:abc", "T-1:complete"])
def test_a_key_of_the_form_the_service_derives_is_refused_for_redeem_too(
    person: str, engine: Engine, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, key: str
) -> None:
    """`voucher redeem --key`, `voucher clear --key` and `ledger drawing --key` take the idempotency key as the other
    writes do: one of the form the service derives itself (a held item's execution, a 跨省 hand-over, a transfer's
    step) is refused before anything is written. Before, these three took any text: a redemption under
    `interregion-out:…` took a hand-over's key."""
    from changzhu.ledger.vouchers import issue_voucher, vouchers_frame

    issue_voucher(engine, person, "440100", "托育服务", 10_000, date(2026, 1, 5), date(2026, 12, 31), actor="test")
    [voucher_no] = vouchers_frame(engine, person)["voucher_no"].to_list()
    redeem = ["voucher", "redeem", voucher_no, "--provider", "托育园", "--region", "440100", "--on", "2026-02-01"]
    code, out = _run(capsys, monkeypatch, "en", *redeem, "--key", key, "--as", "cw_gz")
    assert code != 0 and "keeps for itself" in out and "Traceback" not in out, out
    assert vouchers_frame(engine, person)["status"].to_list() == ["issued"]
    for args in (["voucher", "clear", "440100", "440100"], ["ledger", "drawing", person, "--on", "2026-02-01"]):
        code, out = _run(capsys, monkeypatch, "en", *args, "--key", key, "--as", "cw_gz")
        assert code != 0 and "keeps for itself" in out, out


@pytest.mark.parametrize(
    ("header", "row", "zh", "en"),
    [
        (  # a bad row: the import's refusal
            "id_number,hukou_region,residence_region,residence_since,proof_kind,proof_ref",
            f"{FIRST17[:-3]}101{check_char(FIRST17[:-3] + '101')},510100,440100,2020-13-01,housing,R-1",
            ("1 行有误，未导入任何数据：第 2 行 residence_since：没有这一天",),
            ("1 bad row, nothing imported: row 2 residence_since: no such day",),
        ),
        (  # a header that cannot be used: the reader's refusal
            "id_number,foo",
            "1,2",
            ("表头无法使用，未使用任何数据：第 1 行 foo：未知的列", "缺少此列"),
            ("the header cannot be used, nothing used: row 1 foo: unknown column", "column is missing"),
        ),
    ],
)
def test_a_refused_file_is_told_in_the_chosen_language(
    person: str,
    engine: Engine,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: object,
    header: str,
    row: str,
    zh: tuple[str, ...],
    en: tuple[str, ...],
) -> None:
    """`import residents FILE --lang zh` with a bad row or an unusable header: the error line in Chinese (fails on
    374c4d5: "错误：…: 1 bad row, nothing imported: row 2 …: no such day: …", the English message under 错误)."""
    from pathlib import Path

    path = Path(str(tmp_path)) / "people.csv"
    path.write_text(f"{header}\n{row}\n", encoding="utf-8")
    for lang, said in (("zh", zh), ("en", en)):
        code, out = _run(capsys, monkeypatch, lang, "import", "residents", str(path), "--as", "cw_gz", "--lang", lang)
        [line] = [line for line in out.splitlines() if line.startswith(("错误：", "error: "))]
        assert code == 1 and all(part in line for part in said), out
        assert (lang == "en") == ("nothing" in line), out


@pytest.mark.parametrize("number", ["approval-77", "interregion-out:abc", "T-1:complete", "import-residents-x"])
def test_a_transfer_number_of_a_reserved_form_is_refused(
    person: str, engine: Engine, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, number: str
) -> None:
    """`ledger transfer --transfer-no` is checked as every `--key` is (changzhu.api.client_keys): the keys of the
    transfer's two steps are made from it, so a number of the form the service keeps for its own keys is refused
    before anything is read or written. Before, any text was taken."""
    transfer = ["ledger", "transfer", person, "--scheme", "pension", "--from", "510100", "--to", "440100"]
    before = _audit(engine)
    code, out = _run(
        capsys, monkeypatch, "en", *transfer, "--on", "2026-02-01", "--transfer-no", number, "--as", "cw_gz"
    )
    assert code != 0 and "--transfer-no" in out and "keeps for itself" in out and "Traceback" not in out, out
    assert _audit(engine) == before


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("number", ["T" * 151, "T" * 61, "T1", "转移-1", "T 1"])
def test_a_transfer_number_the_api_would_refuse_is_refused_in_the_chosen_language(
    person: str,
    engine: Engine,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    number: str,
    lang: str,
) -> None:
    """`--transfer-no` takes what the API's `TransferNo` takes (changzhu.api.client_keys: 4 to 60 characters of
    A-Z, a-z, 0-9 and _ . : -), told in the command's language, before anything is read or written. Before, any
    text was taken: a number of 151 characters overflowed the ledger's 160-character key (a database error on
    PostgreSQL)."""
    transfer = ["ledger", "transfer", person, "--scheme", "pension", "--from", "510100", "--to", "440100"]
    before = _audit(engine)
    code, out = _run(
        capsys, monkeypatch, lang, *transfer, "--on", "2026-02-01", "--transfer-no", number, "--as", "cw_gz"
    )
    said = "转移编号须为 4 至 60 个字符" if lang == "zh" else "a transfer number is 4 to 60 characters"
    assert code == 2 and said in out and "Traceback" not in out, out
    assert (" / " in out) is False, out  # its own language only, not both
    assert _audit(engine) == before


def test_a_transfer_number_of_four_to_sixty_characters_is_taken(
    person: str, engine: Engine, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The longest number the API takes is taken here too: the command goes on to the ledger (which finds nothing
    of this person's to transfer)."""
    transfer = ["ledger", "transfer", person, "--scheme", "pension", "--from", "510100", "--to", "440100"]
    number = "T-2026.01:" + "x" * 50
    code, out = _run(
        capsys, monkeypatch, "en", *transfer, "--on", "2026-02-01", "--transfer-no", number, "--as", "cw_gz"
    )
    assert code == 1 and "holds no pension record of this person" in out and "transfer number" not in out, out
