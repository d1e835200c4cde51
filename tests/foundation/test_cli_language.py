"""The tests that run the command read its messages in English on any machine: tests/cli_support.py sets
CHANGZHU_LANG=en, which wins over a developer's Chinese locale (LANG=zh_CN.UTF-8)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from cli_support import run_changzhu

ROOT = Path(__file__).resolve().parents[2]
CHINESE_LOCALE = {"LANG": "zh_CN.UTF-8", "LC_ALL": "zh_CN.UTF-8", "LC_MESSAGES": "zh_CN.UTF-8"}


def _chinese_machine() -> dict[str, str]:
    """This process's environment as on a developer's machine with a Chinese locale and no CHANGZHU_LANG."""
    return {**{k: v for k, v in os.environ.items() if k != "CHANGZHU_LANG"}, **CHINESE_LOCALE}


def test_the_locale_chooses_the_language_the_helper_fixes(tmp_path: Path) -> None:
    """Without the helper's CHANGZHU_LANG a Chinese locale gives the Chinese line; with it, the English one."""
    bare = subprocess.run(
        [sys.executable, "-m", "changzhu.cli.main", "fiscal", "--out", str(tmp_path), "--fund-yuan", "-5"],
        capture_output=True,
        text=True,
        env=_chinese_machine(),
        timeout=120,
        check=False,
    )
    assert bare.returncode == 1 and bare.stderr.startswith("错误："), bare.stderr
    fixed = run_changzhu("fiscal", "--out", str(tmp_path), "--fund-yuan", "-5", env=_chinese_machine())
    assert fixed.returncode == 1 and fixed.stderr.startswith("error: "), fixed.stderr
    assert 'the fiscal parameter "Size of the central transfer fund" must not be negative' in fixed.stderr


def test_a_cli_test_passes_on_a_machine_with_a_chinese_locale() -> None:
    """A test that expects the command's English message, run by pytest under LANG=zh_CN.UTF-8."""
    test = "tests/fiscal/test_fiscal_real_data.py::test_changzhu_fiscal_bad_fund_is_one_line"
    ran = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", test],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=_chinese_machine(),
        timeout=600,
        check=False,
    )
    assert ran.returncode == 0, ran.stdout[-3000:]
    assert "1 passed" in ran.stdout


# a GBK file as a city's office saves it, its residence region headed twice (常住地 and residence_region)
DOUBLED = (
    "身份证号,户籍地,常住地,residence_region,居住起始日期,证明类型,证明编号\n"
    "510104199003070138,成都市,杭州市,330100,2020/6/1,就业,合同 1\n"
)
ZH_LINES = ("被拒绝的行", "错误：", "与“常住地”是同一列")
EN_LINES = ("rejected rows", "error: ", 'names the same column as "常住地"')


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A registry with a caseworker of Hangzhou, and the file she imports."""
    from changzhu.api.auth.accounts import create_user
    from changzhu.api.auth.roles import Role
    from changzhu.registry.migrate import upgrade
    from changzhu.store.db import make_engine

    folder = tmp_path_factory.mktemp("office")
    url = f"sqlite:///{folder / 'registry.sqlite3'}"
    upgrade(make_engine(url))
    create_user(make_engine(url), "cw_hz", "correct horse battery staple", Role.CASEWORKER, ["330100"])
    path = folder / "住户.csv"
    path.write_bytes(DOUBLED.encode("gbk"))
    return path, url


@pytest.mark.parametrize(
    ("flag", "env", "chinese"),
    [
        (["--lang", "en"], {"CHANGZHU_LANG": "zh", **CHINESE_LOCALE}, False),  # --lang wins over both
        (["--lang", "zh"], {"CHANGZHU_LANG": "en", "LANG": "C.UTF-8"}, True),
        ([], {"CHANGZHU_LANG": "en", **CHINESE_LOCALE}, False),  # CHANGZHU_LANG wins over the locale
        ([], {"CHANGZHU_LANG": "zh", "LANG": "C.UTF-8"}, True),
        ([], CHINESE_LOCALE, True),  # a Chinese desktop, nothing chosen
        ([], {"LANG": "C.UTF-8"}, False),  # nothing chosen, no Chinese locale (before: Chinese under an English error)
    ],
)
def test_the_report_and_the_error_line_speak_one_language(
    office: tuple[Path, str], flag: list[str], env: dict[str, str], chinese: bool
) -> None:
    """`changzhu import residents` of a file refused for its header: the rejected rows (printed inside the command)
    and the error line (printed once click has left it) in the one language cli.lang.command_lang decides, for
    --lang en, --lang zh, CHANGZHU_LANG and a Chinese locale; never the other language's words beside them."""
    path, url = office
    base = {k: v for k, v in os.environ.items() if k not in ("CHANGZHU_LANG", "LC_ALL", "LC_MESSAGES", "LANG")}
    ran = subprocess.run(
        [sys.executable, "-m", "changzhu.cli.main", "import", "residents", str(path), "--as", "cw_hz", *flag],
        capture_output=True,
        text=True,
        env={**base, **env, "CHANGZHU_DATABASE_URL": url, "COLUMNS": "200"},
        timeout=120,
        check=False,
    )
    said = ran.stdout + ran.stderr
    assert ran.returncode == 1 and "Traceback" not in said, said
    wanted, other = (ZH_LINES, EN_LINES) if chinese else (EN_LINES, ZH_LINES)
    assert all(line in said for line in wanted), said
    assert not any(line in said for line in other), said
    assert ran.stderr.startswith(wanted[1]), ran.stderr


def test_command_lang_reads_the_running_command_first() -> None:
    """Inside a command the --lang click parsed (its default too) decides; outside, the arguments as written, then
    CHANGZHU_LANG, then the locale."""
    import typer
    from typer.testing import CliRunner

    from changzhu.cli.lang import command_lang
    from changzhu.domain.lang import Lang

    app = typer.Typer()
    seen: list[Lang] = []

    @app.command()
    def show(lang: str = "zh") -> None:
        seen.append(command_lang({"CHANGZHU_LANG": "en"}, argv=["--lang", "en"]))

    CliRunner().invoke(app, [])
    CliRunner().invoke(app, ["--lang", "en"])
    assert seen == [Lang.ZH, Lang.EN]
    assert command_lang({"CHANGZHU_LANG": "zh", **CHINESE_LOCALE}, argv=["x", "--lang=en"]) == Lang.EN
    assert command_lang({"CHANGZHU_LANG": "en", **CHINESE_LOCALE}, argv=["x"]) == Lang.EN
    assert command_lang(CHINESE_LOCALE, argv=["x"]) == Lang.ZH
    assert command_lang({"LANG": "C.UTF-8"}, argv=["x"]) == Lang.EN


def _commands_with_lang() -> list[tuple[str, Any]]:
    """(path, command) of every command of `changzhu` that takes a --lang, all the way down."""
    import typer

    from changzhu.cli.main import COMMANDS, app

    group = typer.main.get_group(app)
    found: list[tuple[str, Any]] = []

    def walk(path: str, command: Any) -> None:
        if any(p.name == "lang" for p in command.params):
            found.append((path, command))
        for name, sub in getattr(command, "commands", {}).items():
            walk(f"{path} {name}", sub)

    for name in COMMANDS:
        walk(name, group.get_command(None, name))
    return found


def test_every_command_takes_the_one_lang_option() -> None:
    """Every command's --lang is cli.lang.LangOption: it reads CHANGZHU_LANG, and its help says the one rule. Before:
    nine commands (evaluate, explain, fiscal, plan, simulate, regions, population, demo, validate) declared their own
    --lang, reading no variable."""
    from changzhu.cli.lang import LANG_ENV, LANG_HELP

    commands = dict(_commands_with_lang())
    wanted = {"evaluate", "explain", "fiscal", "plan", "simulate", "regions", "population", "demo", "validate"}
    assert wanted | {"resident register", "ledger balances", "applications submit", "quota run"} <= set(commands)
    for path, command in commands.items():
        [option] = [p for p in command.params if p.name == "lang"]
        assert (option.envvar, option.help, option.opts) == (LANG_ENV, LANG_HELP, ["--lang"]), path


@pytest.mark.parametrize(
    ("env", "lang"),
    [
        ({"CHANGZHU_LANG": "en", **CHINESE_LOCALE}, "en"),
        ({"CHANGZHU_LANG": "zh", "LANG": "C.UTF-8"}, "zh"),
        ({"CHANGZHU_LANG": None, **CHINESE_LOCALE}, "zh"),
        ({"CHANGZHU_LANG": None, "LC_ALL": None, "LC_MESSAGES": None, "LANG": "C.UTF-8"}, "en"),
        ({"CHANGZHU_LANG": None, "LC_ALL": None, "LC_MESSAGES": None, "LANG": None}, "en"),
    ],
)
def test_every_command_without_lang_speaks_as_command_lang_decides(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str | None], lang: str
) -> None:
    """Without --lang, every command's language is CHANGZHU_LANG's, else the locale's: what `command_lang` (its error
    line, its help) decides. Before: the registry, ledger, application and quota commands said Chinese without the
    variable, and the nine commands of their own --lang Chinese whatever it said."""
    from changzhu.cli.lang import command_lang

    for name, value in env.items():
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    assert command_lang(argv=[]) == lang
    for path, command in _commands_with_lang():
        context = command.make_context(path, [], resilient_parsing=True)  # required arguments not asked for
        assert context.params["lang"] == lang, path
