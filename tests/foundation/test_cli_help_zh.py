"""`--help` in Chinese (cli/help_zh.py) for every command: chosen as the error line's language is (the command's
`--lang zh`, else CHANGZHU_LANG, else the locale); English where nothing asks for Chinese.

Before: every help was English only, `--lang zh` and CHANGZHU_LANG=zh changed nothing of it; then only five groups
(resident, applications, ledger, voucher, import) had their Chinese, `plan`, `fiscal`, `simulate`, `quota`... showed
Chinese panel titles around English help."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from typer import _click as click
from typer.testing import CliRunner

import changzhu
from changzhu.cli.help_zh import HELP_ZH, words
from changzhu.cli.main import COMMANDS, app

CJK = "\u4e00-\u9fff"


def _commands() -> list[tuple[str, click.Command]]:
    """(path, command) of every command of `changzhu --help` and of each of their subcommands, all the way down."""
    group = typer.main.get_group(app)
    context = click.Context(group)
    found: list[tuple[str, click.Command]] = []

    def walk(path: str, command: click.Command) -> None:
        found.append((path, command))
        for name, sub in getattr(command, "commands", {}).items():
            walk(f"{path} {name}", sub)

    for name in COMMANDS:
        command = group.get_command(context, name)
        assert command is not None, name
        walk(name, command)
    return found


def _texts() -> list[tuple[str, str]]:
    """(where, English) of every help of every command: the command's own, each argument's and each option's."""
    found = []
    for path, command in _commands():
        found.append((path, str(words(command.help))))
        found += [(f"{path} {p.name}", str(words(p.help))) for p in command.params if getattr(p, "help", None)]
    return found


def test_every_argument_and_option_of_every_command_says_what_it_takes() -> None:
    """Before: 39 of the caseworkers' commands had no help in either language (`ledger transfer --scheme`, `--from`,
    `PERSON`...), and then `quota run --year`, `quota simulate --fraction`, `--seed`, `user list --format` and `user
    disable USERNAME`: the help showed the name and [必填] only."""
    bare = [f"{path} {p.name}" for path, command in _commands() for p in command.params if not getattr(p, "help", None)]
    assert not bare, bare


def test_every_command_has_a_help() -> None:
    assert not [path for path, command in _commands() if not command.help]


def test_the_codes_a_command_takes_are_named_in_the_words_the_office_shows() -> None:
    """A step, a kind and a status in the Chinese help read as the command's own output names them
    (casework.applications' labels: 不予批准, not 驳回 beside it)."""
    from changzhu.casework.applications import ACTION_LABELS, KIND_LABELS, Action, ApplicationKind

    steps = HELP_ZH["review, approve, reject, appeal, uphold, overturn"]
    assert f"{ACTION_LABELS[Action.REJECT][0]} reject" in steps and "驳回" not in steps, steps
    kinds = HELP_ZH["residence_permit, points, public_rental, school_place, dibao, hukou"]
    assert all(f"{KIND_LABELS[k][0]} {k.value}" in kinds for k in ApplicationKind), kinds


def test_every_help_of_every_command_argument_and_option_has_its_chinese() -> None:
    """A help added in English to a command, an argument or an option needs its Chinese here (else it would show in
    English in a Chinese help). Before: 133 helps of `plan`, `fiscal`, `simulate`, `quota`, `user`... had none."""
    missing = [(where, text) for where, text in _texts() if text not in HELP_ZH]
    assert not missing, missing
    used = {text for _, text in _texts()}
    assert not [english for english in HELP_ZH if english not in used]  # an entry no help reads any more: dead
    for chinese in HELP_ZH.values():
        assert chinese.strip() and "(" not in chinese and ")" not in chinese, chinese  # full-width brackets
        # Chinese words, English only in option names, codes and file names: never three English words running
        assert re.search(f"[{CJK}]", chinese), chinese
        assert not re.search(r"[A-Za-z]+ [A-Za-z]+ [A-Za-z]+", re.sub(r"`[^`]*`", "", chinese)), chinese


def test_every_argument_is_named_in_words_in_both_languages(runner: CliRunner) -> None:
    """Every argument of every command has its Chinese name, and a usage line shows no brace: a required argument
    bare, an optional one in brackets (`USERNAME`, `[PERSON]`; 用户名, [人员编号]). Before: typer 0.29 wrote
    `changzhu user add [OPTIONS] {username}` in both languages, and the Chinese help named its arguments by their
    variables (username, permit_no, provider_region)."""
    from changzhu.cli.usage_errors import ARGUMENTS_ZH

    arguments = [(path, p) for path, command in _commands() for p in command.params if p.param_type_name == "argument"]
    assert not [f"{path} {p.name}" for path, p in arguments if p.name not in ARGUMENTS_ZH]
    assert set(ARGUMENTS_ZH) == {p.name for _, p in arguments}  # an entry no argument has any more: dead
    for path, _ in arguments:
        for lang in ("en", "zh"):
            shown = runner.invoke(app, [*path.split(), "--help", "--lang", lang]).output
            usage = next(line for line in shown.splitlines() if "changzhu" in line)
            assert "{" not in usage and "}" not in usage, usage
            if lang == "zh":
                assert not re.search(r"[a-z_]{3,}", usage.split(path)[1]), usage  # no variable's name
    user_add = runner.invoke(app, ["user", "add", "--help"]).output
    assert "changzhu user add [OPTIONS] USERNAME" in user_add and "USERNAME" in user_add.split("Arguments")[1]
    school = runner.invoke(app, ["ledger", "school", "--help", "--lang", "zh"]).output
    assert "用法：changzhu ledger school [选项] 人员编号 学年 年级 学校 地区代码" in school, school
    assert "[人员编号]" in runner.invoke(app, ["ledger", "balances", "--help", "--lang", "zh"]).output
    missing = runner.invoke(app, ["user", "disable"])  # the error names the argument as the help does
    assert missing.exit_code == 2 and "Missing argument 'USERNAME'" in missing.output, missing.output


def test_every_command_of_changzhu_help_has_its_chinese_line() -> None:
    """The command list of `changzhu --help` in Chinese: a command added to main.COMMANDS without its line in
    COMMANDS_ZH would show in English there."""
    from changzhu.cli.help_zh import COMMANDS_ZH, TOP_ZH

    assert set(COMMANDS_ZH) == set(COMMANDS)
    for chinese in (*COMMANDS_ZH.values(), *TOP_ZH.values()):
        assert "(" not in chinese and ")" not in chinese, chinese


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    for name in ("CHANGZHU_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("COLUMNS", "100")
    return CliRunner()


@pytest.mark.parametrize(
    ("args", "env", "shown"),
    [
        (["ledger", "balances", "--help", "--lang", "zh"], {}, ("用法：", "选项", "由记账分录得出的余额", "[必填]")),
        (
            ["resident", "register", "--lang=zh", "--help"],
            {},
            ("户籍地，地级行政区代码", "幂等键", "显示此帮助并退出。"),
        ),
        (
            ["voucher", "--help"],
            {"CHANGZHU_LANG": "zh"},
            ("命令", "服务券：发放、兑付、地区间结算。", "在持有人常住地"),
        ),
        (["applications", "step", "--help"], {"LANG": "zh_CN.UTF-8"}, ("办理申请的一步", "审核 review")),
        (["import", "residents", "--help"], {"CHANGZHU_LANG": "zh"}, ("导入常住人口", "要读取的 Excel 工作表")),
        (
            ["--help"],
            {"CHANGZHU_LANG": "zh"},
            ("用法：", "命令：", "终身福利账户：缴费、转移、余额、核对。", "--policies <目录>"),
        ),
        (["plan", "--help", "--lang", "zh"], {}, ("按常住人口规划", "预测年数", "设施清单")),
        (
            ["demo", "--help", "--lang", "zh"],
            {},
            ("报告和各表的输出目录", "命令显示和写出的内容（表格、文字、文件、报告）"),
        ),
        (["fiscal", "--help", "--lang", "zh"], {}, ("人地钱挂钩", "要分配的资金，整元")),
        (["quota", "simulate", "--help", "--lang", "zh"], {}, ("合成样本", "抽样比例", "积分落户 points_hukou")),
        (["user", "add", "--help"], {"CHANGZHU_LANG": "zh"}, ("创建账户", "经办人员 caseworker", "一次性密码")),
        (["serve", "--help", "--lang", "zh"], {}, ("启动接口", "监听的地址")),  # no --lang of its own: still asked
        (["db", "upgrade", "--help", "--lang", "zh"], {}, ("执行 Alembic 数据库迁移", "迁移到的目标版本")),
    ],
)
def test_help_in_chinese_where_chinese_is_asked_for(
    runner: CliRunner, args: list[str], env: dict[str, str], shown: tuple[str, ...]
) -> None:
    done = runner.invoke(app, args, env=env)
    assert done.exit_code == 0, done.output
    out = "".join(done.output.split())  # folded at the edge: compared without the breaks
    assert all("".join(s.split()) in out for s in shown), done.output
    assert "Usage:" not in done.output and "Show this message" not in done.output, done.output


def test_help_stays_english_where_nothing_asks_for_chinese_even_after_a_chinese_one(runner: CliRunner) -> None:
    """The Chinese help is drawn from a copy: the commands (and typer's panel titles) are left English for the
    next help in the same process."""
    assert "由记账分录" in runner.invoke(app, ["ledger", "balances", "--help", "--lang", "zh"]).output
    english = runner.invoke(app, ["ledger", "balances", "--help"]).output
    assert "Usage:" in english and "Options" in english and "Balances derived from the entries" in english, english
    assert not any("\u4e00" <= c <= "\u9fff" for c in english.replace("终身福利账户", "")), english
    top = runner.invoke(app, ["--help"]).output
    assert "Commands:" in top and top.count("\n") > len(COMMANDS), top


@pytest.mark.parametrize(("lang", "loaded"), [("en", "False"), ("zh", "True")])
def test_only_a_chinese_help_loads_the_chinese_table(lang: str, loaded: str) -> None:
    """`changzhu --help` and every English help stay as fast as they were: the table is imported for Chinese only."""
    probe = "import sys; from changzhu.cli.main import app\ntry: app(['ledger', '--help'])\nexcept SystemExit: pass\n"
    probe += "print('changzhu.cli.help_zh' in sys.modules, file=sys.stderr)"
    env = {**os.environ, "CHANGZHU_LANG": lang, "PYTHONPATH": str(Path(changzhu.__file__).parents[1])}
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, check=False)
    assert done.stderr.strip().endswith(loaded), done.stderr


@pytest.mark.parametrize(
    ("args", "shown"),
    [
        (["resident", "--help", "--lang", "zh"], ("用法：", "常住人口：常住地登记", "命令")),
        (["ledger", "--lang=zh", "--help"], ("终身福利账户：缴费、转移、余额、核对。",)),
        (["--help", "--lang", "zh"], ("用法：", "命令：")),
        (["voucher", "--help", "--lang", "en"], ("Usage:", "Service vouchers")),
    ],
)
def test_a_group_help_takes_the_lang_its_commands_take(runner: CliRunner, args: list[str], shown: tuple[str]) -> None:
    """A group has no `--lang` of its own: `changzhu resident --help --lang zh` was refused ("没有此选项：--lang")
    though `changzhu resident register --help --lang zh` worked; now it is the group's help in that language."""
    done = runner.invoke(app, args)
    assert done.exit_code == 0, done.output
    out = "".join(done.output.split())
    assert all("".join(s.split()) in out for s in shown), done.output


def test_a_group_still_refuses_a_lang_it_cannot_show(runner: CliRunner) -> None:
    done = runner.invoke(app, ["resident", "--help", "--lang", "fr"])
    assert done.exit_code == 2 and "--lang" in done.output, done.output


def test_a_chinese_help_says_its_usage_and_values_in_chinese(runner: CliRunner) -> None:
    """The usage line and each option's kind of value were English in a Chinese help ([OPTIONS] COMMAND [ARGS]...,
    <text>, <integer>); the English help keeps them."""
    zh = runner.invoke(app, ["applications", "list", "--help", "--lang", "zh"]).output
    assert "[选项]" in zh and "<文字>" in zh and "<整数>" in zh, zh
    assert "[OPTIONS]" not in zh and "<text>" not in zh, zh
    group = runner.invoke(app, ["resident", "--help", "--lang", "zh"]).output
    assert "[选项] 命令 [参数]..." in group, group
    en = runner.invoke(app, ["applications", "list", "--help", "--lang", "en"]).output
    assert "[OPTIONS]" in en and "<text>" in en and "<integer>" in en, en


def test_a_lang_before_a_command_that_is_run_is_refused_not_dropped(runner: CliRunner) -> None:
    """Only a group's own help takes the `--lang` its commands take: before a command that runs it would be lost (the
    command printing in its default language), so it is refused as it was."""
    done = runner.invoke(app, ["ledger", "--lang", "en", "example"])
    assert done.exit_code == 2 and "--lang" in done.output, done.output
