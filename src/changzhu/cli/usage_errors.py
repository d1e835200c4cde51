"""A mistake in how a command was called (click's usage errors: an option that does not exist, a missing option or
argument, a value of the wrong kind) told in the error line's language (`main.command_lang`: --lang, CHANGZHU_LANG,
the locale), as every other error of the command line is.

Click writes these in English only and has no catalogue of translations, so its English is read by one table of
the forms it writes (FORMS), each a pattern and its Chinese; a message no form matches is shown as click wrote it.
In English, click's own lines; a message of an option's own check, written "中文 / English", gives its half in
the error line's language."""

from __future__ import annotations

import re
import sys
from typing import TYPE_CHECKING

from changzhu.domain.lang import Lang

if TYPE_CHECKING:
    from typer._click.exceptions import ClickException

KINDS = {"option": "选项", "argument": "参数", "parameter": "参数"}
VALUE_KINDS = {"integer": "整数", "float": "数", "int": "整数", "str": "文字", "boolean": "是或否", "bool": "是或否"}
PATHS = {"File": "文件", "Directory": "目录", "Path": "路径"}
# the pieces of click's usage line after the command, in Chinese (here and in a Chinese help, cli.help_zh)
USAGE_PIECES_ZH = {"[OPTIONS]": "[选项]", "COMMAND [ARGS]...": "命令 [参数]..."}
# an argument's name (in English in capitals, PERSON) -> its Chinese name: in a Chinese help's usage line and list
# (cli.help_zh) and in a usage error's
ARGUMENTS_ZH = {
    "person": "人员编号",
    "person_key": "人员编号",
    "parent": "父母编号",
    "child": "子女编号",
    "holder": "持有人编号",
    "permit_no": "居住证编号",
    "voucher_no": "服务券编号",
    "application_id": "申请编号",
    "year": "学年",
    "grade": "年级",
    "school": "学校",
    "region": "地区代码",
    "issuer": "发放地代码",
    "provider_region": "服务地代码",
    "path": "文件",
    "people": "人员表",
    "files": "测试文件",
    "kind": "类别",
    "action": "步骤",
    "username": "用户名",
    "url": "网址",
    "public_key": "公钥",
    "revision": "版本",
}
# click's English message -> its Chinese: the first form matching the whole message (groups named as in the
# Chinese; a group named `why` is itself read by FORMS again, so "Invalid value for X: <why>" reads the why;
# `after_hint` is the hint with a space before it, or nothing when click gave none)
HINT = r"(?P<hint>'[^']*'(?: / '[^']*')*(?: \(env var: '[^']*'\))?)"  # the option's names (and its variable)
FORMS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern.replace("HINT", HINT), re.DOTALL), chinese)
    for pattern, chinese in (
        (r"Missing (?P<kind>option|argument|parameter)(?: HINT)?\.(?: (?P<why>.+))?", "缺少{kind}{after_hint}。{why}"),
        (r"Missing parameter: (?P<name>.+)", "缺少参数 {name}"),
        (r"No such option: (?P<name>\S+)(?: \(Possible options: (?P<alts>.+)\))?", "没有此选项：{name}{alts}"),
        (r"No such command '(?P<name>.+?)'\.(?: Did you mean (?P<near>.+)\?)?", "没有此命令：'{name}'。{near}"),
        (r"Missing command\.", "缺少命令：请在命令后写出要做的事（--help 列出可用的命令）。"),
        (r"Got unexpected extra argument(?:s|\(s\))? \((?P<extra>.+)\)", "多余的参数：{extra}"),
        (r"Option '(?P<name>.+?)' requires an argument\.", "选项 '{name}' 后须写一个值。"),
        (r"Option '(?P<name>.+?)' requires (?P<n>\d+) arguments\.", "选项 '{name}' 后须写 {n} 个值。"),
        (r"Option '(?P<name>.+?)' does not take a value\.", "选项 '{name}' 不带值。"),
        (r"Invalid value for HINT: (?P<why>.+)", "{hint} 的值无效：{why}"),
        (r"Invalid value: (?P<why>.+)", "值无效：{why}"),
        (r"Value error, (?P<why>.+)", "{why}"),
        (r"Input should be a valid (?P<type>\w+)\b.*", "须写{type}。"),
        (r"(?P<value>'.*') is not one of (?P<choices>.+)\.", "{value} 不是可用的值（可写：{choices}）。"),
        (r"Value (?P<value>'.*') is not a valid (?P<type>\w+)\.", "{value} 不是{type}。"),
        (r"'(?P<value>.*)' is not a valid (?P<type>\w+)\.", "'{value}' 不是{type}。"),
        (r"(?P<path>File|Directory|Path) '(?P<name>.+)' does not exist\.", "{path} '{name}' 不存在。"),
        (r"(?P<path>File|Directory|Path) '(?P<name>.+)' is a file\.", "{path} '{name}' 是文件，此处要写目录。"),
        (r"(?P<path>File|Directory|Path) '(?P<name>.+)' is a directory\.", "{path} '{name}' 是目录，此处要写文件。"),
    )
)


def chinese(message: str) -> str:
    """Click's English `message` in Chinese by FORMS (as it came if no form matches it); a message of our own written
    "中文 / English" (an option's check, e.g. a reserved key) gives its Chinese half."""
    for pattern, template in FORMS:
        found = pattern.fullmatch(message.strip())
        if found:
            parts = {k: _part(k, v) for k, v in found.groupdict().items()}
            # the option named after a word, a space between; none when click named none ("缺少参数。", no space)
            parts["after_hint"] = f" {parts['hint']}" if parts.get("hint") else ""
            return template.format(**parts)
    return _halves(message)[0] or message


def english(message: str) -> str:
    """A message of our own written "中文 / English" (an option's check) as its English half; click's own English
    as it came."""
    return _halves(message)[1] or message


def _halves(message: str) -> tuple[str, str]:
    """The Chinese and English halves of a message written "中文 / English", ("", "") if it is not one."""
    zh, cut, en = message.partition(" / ")
    if cut and _has_chinese(zh) and en.strip():
        return zh.strip(), en.strip()
    return "", ""


def _has_chinese(text: str) -> bool:
    return any("\u4e00" <= c <= "\u9fff" for c in text)


def _part(name: str, value: str | None) -> str:
    """One matched part of a message in Chinese."""
    if value is None:
        return ""
    if name == "hint":  # "'--as' (env var: 'CHANGZHU_OPERATOR')", or "'--x' / '-x'"
        return value.replace(" (env var: ", "（环境变量：").replace(")", "）").replace(" / ", "、")
    if name == "why":
        return chinese(value)
    if name == "kind":
        return KINDS.get(value, value)
    if name == "type":
        return VALUE_KINDS.get(value, value)
    if name == "path":
        return PATHS.get(value, value)
    if name == "alts":
        return f"（可用的选项：{value}）"
    if name == "near":
        return f"是否指 {value}？"
    return value


def show(exc: ClickException, lang: Lang) -> None:
    """Print a usage error as click does (the usage line, where to find help, the reason), in `lang`."""
    from typer._click.exceptions import NoArgsIsHelpError, UsageError

    if lang == Lang.EN or isinstance(exc, NoArgsIsHelpError):  # English, or the help itself: click's own lines
        exc.message = english(exc.message)  # an option's own check (written in both languages): its English half
        exc.show()
        return
    ctx = exc.ctx if isinstance(exc, UsageError) else None
    lines = []
    message = chinese(exc.format_message())
    if ctx is not None:
        usage = ctx.get_usage().replace("Usage: ", "用法：", 1)
        for piece, zh in USAGE_PIECES_ZH.items():
            usage = usage.replace(f" {piece}", f" {zh}")
        for param in ctx.command.params:  # each argument by its Chinese name, as the Chinese help names it
            name = ARGUMENTS_ZH.get(param.name or "") if param.param_type_name == "argument" else None
            if name is not None and param.metavar is None:
                shown = param.name.upper() if param.name else ""
                usage = re.sub(rf"(?<=[ \[]){re.escape(shown)}\b", name, usage)
                message = message.replace(f"'{shown}'", f"'{name}'")
        lines.append(usage)
        if ctx.command.get_help_option(ctx) is not None:
            lines.append(f"查看帮助：{ctx.command_path} {ctx.help_option_names[0]}\n")
    lines.append(f"错误：{message}")
    print("\n".join(lines), file=sys.stderr)
