"""The administrator's commands (`db`, `user`, `peer`, `check`, `schema`, `ledger check`), a table's footer and
the command line's own refusals speak the chosen language: every line the administrator reads in Chinese under
CHANGZHU_LANG=zh (or --lang zh), in English under en. Before: their normal output, the "N more rows" footer and
these error lines were English whatever the language."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from cli_support import run_changzhu

PASSWORD = "correct horse battery staple\n"
# an English word of three letters or more outside a URL, a path, a `command`, an --option or a code: what a
# Chinese line must not hold (the database's URL, option names, region and role codes may stay as written)
ENGLISH = re.compile(r"(?<![-\w/.:@`])[A-Za-z]{3,}\b(?![-\w/.:@`(])")
KEPT = {"changzhu", "csv", "limit", "format", "postgresql", "psycopg", "sqlite", "Ed25519"}


def _english_words(text: str) -> list[str]:
    """The English words of `text` outside `...` and the words a Chinese line keeps as written."""
    bare = re.sub(r"`[^`]*`|\S*[/:]\S*|--[\w-]+", " ", text)
    return [w for w in ENGLISH.findall(bare) if w not in KEPT]


def _run(*args: str, env: dict[str, str], lang: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    if not stdin:
        return run_changzhu(*args, env=env, lang=lang)
    return subprocess.run(
        [sys.executable, "-m", "changzhu.cli.main", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env={**env, "CHANGZHU_LANG": lang},
        timeout=120,
        check=False,
    )


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A data directory with the census loaded (SQLite), as `changzhu db load` leaves it."""
    import os

    home = tmp_path_factory.mktemp("admin_home")
    env = {**os.environ, "CHANGZHU_HOME": str(home), "CHANGZHU_DATABASE_URL": ""}
    loaded = run_changzhu("db", "load", env=env, lang="zh")
    assert loaded.returncode == 0, loaded.stderr
    assert loaded.stdout.startswith("已载入 3,404 个地区"), loaded.stdout
    return env


def test_a_table_cut_at_its_limit_says_so_in_chinese(office: dict[str, str]) -> None:
    """The footer under `regions --limit 2`. Before: "3402 more rows; use --limit 0 or --format csv for all"."""
    zh = run_changzhu("regions", "--limit", "2", env=office, lang="zh")
    assert zh.returncode == 0, zh.stderr
    assert zh.stdout.rstrip().splitlines()[-1] == "另有 3,402 行未显示；显示全部请加 --limit 0，或用 --format csv 输出"
    en = run_changzhu("regions", "--limit", "2", "--lang", "en", env=office, lang="zh")
    assert en.stdout.rstrip().splitlines()[-1] == "3,402 more rows; use --limit 0 or --format csv for all"


@pytest.mark.parametrize(
    ("args", "zh_line"),
    [
        (("db", "upgrade"), "已在版本"),
        (("db", "current"), "当前版本："),
        (("peer", "add", "510000", "https://sc.example.gov.cn", "ab" * 32), "已添加 510000 的实例"),
        (("user", "list"), "个账户"),
        (("ledger", "check"), "账户一致：每个单位的分录合计为零"),
    ],
)
def test_the_administrators_commands_speak_chinese(office: dict[str, str], args: tuple[str, ...], zh_line: str) -> None:
    """Every line `db`, `peer`, `user` and `schema` print is Chinese under CHANGZHU_LANG=zh (headers and yes/no
    too); under --lang en the same command is English."""
    zh = run_changzhu(*args, env=office, lang="zh")
    assert zh.returncode == 0, zh.stderr
    assert zh_line in zh.stdout
    assert _english_words(zh.stdout) == [], zh.stdout
    en = run_changzhu(*args, "--lang", "en", env=office, lang="zh")
    assert en.returncode == 0 and zh_line not in en.stdout, en.stderr


def test_schema_says_its_columns_in_chinese(office: dict[str, str]) -> None:
    """`changzhu schema resident` in Chinese: the title, the headers, types, units and yes/no in words (the columns'
    names and English headers are what a file may be headed with, so they stay)."""
    zh = run_changzhu("schema", "resident", env=office, lang="zh").stdout
    assert zh.splitlines()[0].strip() == "常住人口登记表（resident）"
    assert all(word in zh for word in ("列名", "中文表头", "必填", "可为空", "文字", "日期", "是", "否")), zh
    assert not re.search(r"\b(required|may_be_empty|True|False)\b|│ (text|date|bool|months|integer) +│", zh), zh
    en = run_changzhu("schema", "resident", "--lang", "en", env=office, lang="zh").stdout
    assert en.splitlines()[0].strip() == "residents to register (resident)" and "may be empty" in en


def test_user_add_list_and_disable_in_chinese(office: dict[str, str]) -> None:
    """An account created, listed (role in words) and disabled, each said in Chinese."""
    added = _run("user", "add", "cw_gz", "--role", "caseworker", "--jurisdiction", "440100", "--password-stdin",
                 env=office, lang="zh", stdin=PASSWORD)  # fmt: skip
    assert added.returncode == 0, added.stderr
    assert added.stdout.strip() == "已创建经办人员账户 cw_gz（440100）；首次登录时须修改密码"
    listed = run_changzhu("user", "list", env=office, lang="zh")
    assert "用户名" in listed.stdout and "经办人员" in listed.stdout and "caseworker" not in listed.stdout
    assert "caseworker" in run_changzhu("user", "list", "--format", "csv", env=office, lang="zh").stdout  # codes
    disabled = run_changzhu("user", "disable", "cw_gz", env=office, lang="zh")
    assert disabled.stdout.strip() == "已停用账户 cw_gz"


def test_check_says_its_tests_in_chinese(office: dict[str, str]) -> None:
    """`changzhu check`: the table's headers, its yes/no and the summary line in Chinese."""
    checked = run_changzhu("check", env=office, lang="zh", timeout=600)
    assert checked.returncode == 0, checked.stderr
    assert re.search(r"已载入 \d+ 个辖区、\d+ 项协议；(\d+) 项预期中 \1 项成立", checked.stdout), checked.stdout[-500:]
    assert "通过" in checked.stdout and "expectations hold" not in checked.stdout


@pytest.mark.parametrize(
    ("args", "zh", "en"),
    [
        (("explain", "--example", "shanghai-migrant", "--service", "foo"), "--service 不能是 foo：可选 ", None),
        (("explain",), "请用 --example 示例名 或 --people 文件", None),
        (("explain", "--people", "nope.csv"), "nope.csv：找不到此文件：请检查路径和文件名", "no such file"),
        (("explain", "--people", "x.csv", "--sheet", "a"), "x.csv：--sheet 只用于 Excel 工作簿", None),
        (("evaluate", "--registry", "--out", "x.txt"), "--out x.txt：文件名请以 .parquet、.csv 或 .xlsx 结尾", None),
        (("schema", "bogus"), "没有 bogus 这类表", "unknown table kind bogus"),
        (("schema", "resident", "--format", "xml"), "--format 不能是 xml：可选 table、markdown、json 或 csv", None),
        (("check", "--format", "xlsx"), "--format xlsx 写出的是文件", "--format xlsx writes a file: give --out FILE"),
        (("peer", "add", "510000", "https://sc.example.gov.cn", "00"), "公钥有 2 位十六进制数字，应为 64 位", None),
        (("user", "add", "x_y", "--role", "boss"), "--role 不能是 boss：可选 resident、caseworker", None),
        (
            ("ledger", "check", "--peers"),
            "请先设置 CHANGZHU_INSTANCE_REGION，如 export CHANGZHU_INSTANCE_REGION=440000",
            None,
        ),
        (
            ("quota", "simulate", "--kind", "school_place", "--region", "440100", "--capacity", "440103=many"),
            "--capacity 440103=many：请写成 区县代码=学位数",
            None,
        ),
    ],
)
def test_the_command_lines_own_refusals_are_in_chinese(
    office: dict[str, str], tmp_path: Path, args: tuple[str, ...], zh: str, en: str | None
) -> None:
    """Each of these error lines after 错误： was English; now in the chosen language, a fix it names a command."""
    people = tmp_path / "x.csv"
    people.write_text("编号,出生日期\n1,1990-01-01\n", encoding="utf-8")
    said = run_changzhu(*args, env=office, lang="zh", cwd=tmp_path)
    line = said.stderr.strip().splitlines()[-1]
    assert said.returncode == 1 and line.startswith("错误：") and zh in line, said.stderr
    if en is not None:
        english = run_changzhu(*args, env=office, lang="en", cwd=tmp_path)
        assert en in english.stderr, english.stderr


def test_peer_add_refuses_this_instances_own_key(office: dict[str, str]) -> None:
    """`changzhu peer add` given the key `changzhu peer key` prints here (pasted from the wrong terminal) is refused,
    saying why, in the chosen language. Before: added, and the peer's messages then failed to verify."""
    own = run_changzhu("peer", "key", env=office, lang="zh").stdout.strip()
    assert len(own) == 64, own
    for lang, said in (("zh", "这是本实例自己的公钥"), ("en", "this is this instance's own public key")):
        refused = run_changzhu("peer", "add", "520000", "https://gz.example.gov.cn", own.upper(), env=office, lang=lang)
        assert refused.returncode == 1 and said in refused.stderr and "`changzhu peer key`" in refused.stderr


def _fresh(tmp_path: Path) -> dict[str, str]:
    """The environment of an instance never set up: its home empty (no database, no keys)."""
    import os

    home = tmp_path / "home"
    return {**os.environ, "CHANGZHU_HOME": str(home), "CHANGZHU_DATABASE_URL": "", "CHANGZHU_KEYS_DIR": ""}


PEER_KEY = "ab" * 32  # a well-formed public key that is not this instance's


@pytest.mark.parametrize(
    ("args", "zh", "en"),
    [
        (("440000", "ftp://gd.example.gov.cn"), "实例网址 ftp://gd.example.gov.cn 不对：", "must be http(s)://host"),
        (("44000", "https://gd.example.gov.cn"), "地区代码", "region code"),
    ],
)
def test_peer_add_refused_on_a_fresh_store_names_the_problem_and_stores_nothing(
    tmp_path: Path, args: tuple[str, str], zh: str, en: str
) -> None:
    """`changzhu peer add` on an instance never set up, with a peer it refuses (a URL not http(s), a region code
    not of six digits): the reason in the chosen language, and nothing left behind, no database made for it.
    Before: the database was created and migrated first, and the URL's refusal was English under 错误：."""
    env = _fresh(tmp_path)
    for lang, said in (("zh", zh), ("en", en)):
        refused = run_changzhu("peer", "add", *args, PEER_KEY, env=env, lang=lang)
        line = refused.stderr.strip().splitlines()[-1]
        assert refused.returncode == 1 and said in line, refused.stderr
        if lang == "zh":
            assert line.startswith("错误：") and not _english_words(line), line
    assert not (tmp_path / "home").exists() or not any((tmp_path / "home").iterdir()), list(
        (tmp_path / "home").rglob("*")
    )


def test_peer_add_on_a_fresh_store_says_this_instance_has_no_key_yet(tmp_path: Path) -> None:
    """Before `changzhu peer key` this instance has no signing key: no key pasted can be its own, so the peer is
    added, and the operator is told what the peer still needs (this instance's key, which `changzhu peer key`
    makes and prints); `peer add` makes no key itself. Once it exists, its own key is refused."""
    env = _fresh(tmp_path)
    added = run_changzhu("peer", "add", "440000", "https://gd.example.gov.cn", PEER_KEY, env=env, lang="zh")
    assert added.returncode == 0, added.stderr
    assert "本实例还没有签名密钥：请运行 `changzhu peer key` 生成，并把它显示的公钥交给 440000 的操作员" in added.stdout
    assert not (tmp_path / "home" / "keys").exists()
    english = run_changzhu("peer", "add", "440000", "https://gd.example.gov.cn", PEER_KEY, env=env, lang="en")
    assert "this instance has no signing key yet: run `changzhu peer key` to make it" in english.stdout, english.stdout
    own = run_changzhu("peer", "key", env=env).stdout.strip()
    refused = run_changzhu("peer", "add", "440000", "https://gd.example.gov.cn", own, env=env, lang="zh")
    assert refused.returncode == 1 and "这是本实例自己的公钥" in refused.stderr, refused.stderr
    again = run_changzhu("peer", "add", "440000", "https://gd.example.gov.cn", PEER_KEY, env=env, lang="zh")
    assert again.returncode == 0 and "签名密钥" not in again.stdout, again.stdout


def test_add_peer_refuses_the_key_it_is_told_is_its_own(tmp_path: Path) -> None:
    """The function `peer add` calls refuses too (any other caller, the API's included)."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from changzhu.api.interregion.peers import add_peer
    from changzhu.api.keys import KeyFileError, public_key_text
    from changzhu.registry.migrate import upgrade
    from changzhu.store.db import make_engine

    engine = make_engine(f"sqlite:///{tmp_path / 'peers.sqlite3'}")
    upgrade(engine)
    own, other = (public_key_text(Ed25519PrivateKey.generate()) for _ in range(2))
    with pytest.raises(KeyFileError) as refused:
        add_peer(engine, "510000", "https://sc.example.gov.cn", own, own_key=own)
    assert refused.value.refusal is not None and refused.value.refusal.zh.startswith("这是本实例自己的公钥")
    add_peer(engine, "510000", "https://sc.example.gov.cn", other, own_key=own)
    engine.dispose()


def test_an_empty_database_names_the_command_that_loads_it(tmp_path: Path) -> None:
    """`changzhu regions` on a database not loaded: 错误： and `changzhu db load`, in Chinese."""
    import os

    env = {**os.environ, "CHANGZHU_HOME": str(tmp_path), "CHANGZHU_DATABASE_URL": ""}
    said = run_changzhu("regions", env=env, lang="zh")
    assert said.stderr.strip() == "错误：数据库中还没有地区和人口数据：请运行 `changzhu db load`", said.stderr
    unreachable = run_changzhu(
        "db",
        "current",
        env={**env, "CHANGZHU_DATABASE_URL": "postgresql+psycopg://postgres@127.0.0.1:1/none"},
        lang="zh",
    )
    assert unreachable.stderr.startswith("错误：无法连接数据库 postgresql+psycopg://postgres@127.0.0.1:1/none："), (
        unreachable.stderr
    )


def test_an_on_date_not_a_date_is_said_in_chinese() -> None:
    """`explain --people FILE --on 2026-13-01` (read after the file): the date's refusal in each language. Before:
    "--on '2026-13-01' is not a date (YYYY-MM-DD)" whatever the language."""
    from changzhu.cli.main import error_text
    from changzhu.cli.rules import _parse_date
    from changzhu.domain.lang import Lang
    from changzhu.domain.refusals import CodedError

    with pytest.raises(CodedError) as refused:
        _parse_date("2026-13-01")
    assert (
        error_text(refused.value, Lang.ZH) == "--on：2026-13-01 不是日期：请按 年-月-日 写成 YYYY-MM-DD，如 2026-03-01"
    )
    assert error_text(refused.value, Lang.EN).startswith("--on: 2026-13-01 is not a date")
