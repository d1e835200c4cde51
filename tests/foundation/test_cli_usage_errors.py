"""A mistake in how a command is called (click's usage errors) is told in the error line's language: Chinese under
CHANGZHU_LANG=zh (or --lang zh), click's own English otherwise; the exit code stays click's (2), help stays help.

Before: "No such option", "Missing option", "Missing argument", "Invalid value" were English whatever the language,
while every other error line of the command was Chinese."""

from __future__ import annotations

import pytest

from changzhu.cli.usage_errors import chinese, english
from cli_support import run_changzhu

KEY = "0" * 32
CASES: list[tuple[list[str], str, str]] = [
    (
        ["resident", "show", KEY],
        "错误：缺少选项 '--as'（环境变量：'CHANGZHU_OPERATOR'）。",
        "Error: Missing option '--as'",
    ),
    # an argument by its name in the help's language (was 'person' in both: typer's variable name)
    (["resident", "show", "--as", "cw"], "错误：缺少参数 '人员编号'。", "Error: Missing argument 'PERSON'."),
    (["resident", "show", KEY, "--as", "cw", "--bogus"], "错误：没有此选项：--bogus", "Error: No such option: --bogus"),
    (
        ["applications", "show", "abc"],
        "错误：'申请编号' 的值无效：须写整数。",
        "Error: Invalid value for 'APPLICATION_ID'",
    ),
    (["resident", "show", KEY, "--as", "cw", "--lang", "xx"], "'xx' 不是可用的值（可写：'zh', 'en'）", "Invalid value"),
    (["resdent"], "错误：没有此命令：'resdent'。", "Error: No such command 'resdent'."),
    (
        ["resident", "show", KEY, "--as"],
        "错误：选项 '--as' 后须写一个值。",
        "Error: Option '--as' requires an argument.",
    ),
]


@pytest.mark.parametrize(("args", "zh", "en"), CASES)
def test_a_usage_error_is_told_in_the_chosen_language(args: list[str], zh: str, en: str) -> None:
    done = run_changzhu(*args, lang="zh")
    assert done.returncode == 2 and zh in done.stderr and "Error:" not in done.stderr, done.stderr
    assert ("用法：" in done.stderr and "Usage:" not in done.stderr) or args[-1] == "--as", done.stderr
    assert not any(raw in done.stderr for raw in ("PERSON", "APPLICATION_ID", "{")), done.stderr  # its words only
    done = run_changzhu(*args, lang="en")
    assert done.returncode == 2 and en in done.stderr and "错误" not in done.stderr, done.stderr
    chosen = run_changzhu(*args, "--lang", "en", lang="zh") if "--lang" not in args and args[-1] != "--as" else done
    assert "Error:" in chosen.stderr, chosen.stderr  # the command's own --lang before CHANGZHU_LANG


def test_help_and_exit_codes_stay_clicks() -> None:
    assert run_changzhu("--help", lang="zh").returncode == 0
    bare = run_changzhu(lang="zh")  # no command: the help (in the language asked for, cli/help_zh.py), as before
    assert bare.returncode == 2 and "用法：" in bare.stdout + bare.stderr
    assert "Usage: " in run_changzhu(lang="en").stderr


def test_a_message_of_our_own_gives_its_chinese_half_and_an_unknown_one_stays() -> None:
    mine = "Invalid value for '--key': 此幂等键的形式为系统保留，请另选 / this key is reserved: choose another"
    assert chinese(mine) == "'--key' 的值无效：此幂等键的形式为系统保留，请另选"
    assert chinese("Got unexpected extra argument(s) (a b)") == "多余的参数：a b"
    assert chinese("something click may write one day") == "something click may write one day"


def test_a_missing_option_click_names_not_leaves_no_space() -> None:
    """Click names no option in "Missing option." (a parameter without a hint): the Chinese closes on the word, not
    on a stray space before the full stop (was "缺少选项 。")."""
    assert chinese("Missing option.") == "缺少选项。"
    assert chinese("Missing argument. Give one.") == "缺少参数。Give one."
    assert chinese("Missing option '--as'.") == "缺少选项 '--as'。"


def test_a_message_of_our_own_gives_its_english_half_in_english() -> None:
    """An option's own check written "中文 / English" (a reserved key, a transfer number of the wrong form) is told in
    English by its English half, not both (was the whole "中文 / English" line under --lang en)."""
    mine = "此幂等键的形式为系统保留，请另选 / this key is reserved: choose another"
    assert english(mine) == "this key is reserved: choose another"
    assert english("Missing option '--as'.") == "Missing option '--as'."
