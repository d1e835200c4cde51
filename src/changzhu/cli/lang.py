"""The language the command line speaks: one way, `command_lang`, for what a command prints, its error line and its
help (docs/policies.md, "Which language"); every command's `--lang` is LangOption, whose default is the same rule's."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, Sequence
from typing import Annotated

import typer
from typer._click.globals import get_current_context

from changzhu.domain.lang import Lang

LANG_ENV = "CHANGZHU_LANG"
LOCALE_ENVS = ("LC_ALL", "LC_MESSAGES", "LANG")  # POSIX: the first one set decides


def command_lang(environ: Mapping[str, str] | None = None, argv: Sequence[str] | None = None) -> Lang:
    """The language the command speaks, its error line and its help included: the one way the command line decides
    it. Inside a running command, its `--lang` as click's context holds it for the command or a group above it (as
    given, from CHANGZHU_LANG, or its default): the language of the rest of what it prints, the same under a test's
    CliRunner as at a terminal. Outside one (the error line, once click has left the command; a `--help`): the last
    `--lang zh|en` of the arguments (`argv`, sys.argv[1:] if None), else CHANGZHU_LANG (zh or en), else the locale's
    (the first of LC_ALL, LC_MESSAGES, LANG that is set: zh_CN.UTF-8 or any zh* is Chinese, anything else English;
    docs/policies.md). `environ`: os.environ if None."""
    ctx = get_current_context(silent=True)
    while ctx is not None:
        chosen = ctx.params.get("lang")
        if chosen is not None and str(chosen).lower() in (Lang.ZH, Lang.EN):
            return Lang(str(chosen).lower())
        ctx = ctx.parent
    given = lang_option(sys.argv[1:] if argv is None else argv)
    return given if given is not None else environment_lang(environ)


def environment_lang(environ: Mapping[str, str] | None = None) -> Lang:
    """The language where no `--lang` is given: CHANGZHU_LANG (zh or en), else the locale's (the first of LC_ALL,
    LC_MESSAGES, LANG that is set: any zh* is Chinese, anything else English). `environ`: os.environ if None."""
    environ = os.environ if environ is None else environ
    chosen_env = environ.get(LANG_ENV, "").strip().lower()
    if chosen_env in (Lang.ZH, Lang.EN):
        return Lang(chosen_env)
    locale = next((environ[name] for name in LOCALE_ENVS if environ.get(name)), "")
    return Lang.ZH if locale.lower().startswith("zh") else Lang.EN


def lang_option(argv: Sequence[str]) -> Lang | None:
    """The value of the last `--lang zh|en` (or `--lang=…`) among the arguments, None if there is none."""
    found: Lang | None = None
    for i, arg in enumerate(argv):
        value = argv[i + 1] if arg == "--lang" and i + 1 < len(argv) else arg.partition("=")[2]
        if (arg == "--lang" or arg.startswith("--lang=")) and value.strip().lower() in (Lang.ZH, Lang.EN):
            found = Lang(value.strip().lower())
    return found


LANG_HELP = (
    "language of what the command prints and writes (tables, words, files, the report) and of its errors: zh or en;"
    " default: CHANGZHU_LANG, else the locale (zh* Chinese, any other English)"
)
LANG_HELP_ZH = (
    "命令显示和写出的内容（表格、文字、文件、报告）以及错误信息的语言：zh 或 en；不写时按 CHANGZHU_LANG，"
    "未设置则按系统的区域设置（zh* 为中文，其他为英文）"
)
# every command's --lang (a keyword-only parameter: `*, lang: LangOption`): given, else CHANGZHU_LANG (click reads
# it), else the locale; so what a command prints agrees with its error line and its help (command_lang)
LangOption = Annotated[
    Lang,
    typer.Option(
        "--lang",
        envvar=LANG_ENV,
        case_sensitive=False,
        default_factory=environment_lang,
        show_default=False,
        help=LANG_HELP,
    ),
]
