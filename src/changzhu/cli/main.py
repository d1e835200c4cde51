"""Entry point: `changzhu demo | db | regions | population | ...`; user errors print one line, exit 1.

A command's module is imported only when that command runs, so `changzhu --help` and start-up stay fast: the list
below names each command, its module and its one-line help (a test holds the lines equal to the commands' own).
"""

from __future__ import annotations

import gc
import importlib
import inspect
import os
import sys
from collections.abc import Container
from pathlib import Path
from typing import Annotated

import typer
from typer import _click as click  # typer vendors its own click
from typer.core import TyperGroup

from changzhu.cli import typer_params
from changzhu.cli.lang import command_lang, lang_option
from changzhu.config import POLICY_DIR_ENV
from changzhu.domain.lang import Lang
from changzhu.errors import ChangzhuError

typer_params.install()

# command -> (module under changzhu.cli whose register() adds it, its one-line help)
COMMANDS: dict[str, tuple[str, str]] = {
    "demo": ("foundation", "Run the main job end to end on the embedded database and write out/report.html."),
    "db": ("foundation", "Create, migrate and load the registry database."),
    "regions": ("foundation", "List regions with their level, parent, city size class and agglomerations."),
    "population": (
        "foundation",
        "Resident population (常住), 人户分离 and inter-provincial in-migrants (跨省流入) with shares.",
    ),
    "plan": (
        "plan",
        "Plan by resident population (按常住人口规划): write tables and the planning section of the report.",
    ),
    "fiscal": (
        "fiscal",
        "Money and land follow people (人地钱挂钩): transfers, LP allocation, cost sharing, compensation, clearing.",
    ),
    "simulate": (
        "simulate",
        "Microsimulate reforms (微观模拟): eligible, newly eligible, demand and cost by province, vs baseline.",
    ),
    "evaluate": (
        "rules",
        "Decide every service and points scheme for a whole table of people on a date; counts, optionally a file.",
    ),
    "explain": (
        "rules",
        "Explain, condition by condition, which services a person gets where they live, and from when.",
    ),
    "validate": (
        "validate",
        "Check every headline figure of the 2020 baseline against the official one; exit 1 if any is out of range.",
    ),
    "check": ("rules", "Load every policy file (checking references) and run the policy tests; exit 1 if any fails."),
    "resident": ("registry_cmds", "Residents: register (常住地登记), permits (居住证), moves, households, settlement."),
    "ledger": ("registry_cmds", "The portable account (终身福利账户): contributions, transfers, balances, checks."),
    "voucher": ("registry_cmds", "Service vouchers (服务券): issue, redeem, clear between regions."),
    "import": ("registry_cmds", "Bulk import from CSV, Excel, Parquet, JSON or YAML, all or nothing per file."),
    "audit": ("registry_cmds", "The hash-chained audit log."),
    "applications": ("applications_cmds", "Applications (申请): submit with a pre-check, list, show, take a step."),
    "quota": ("applications_cmds", "Quotas (积分排名): publish a ranking run, or simulate one without storing it."),
    "schema": (
        "tables_cmds",
        "Every column of a kind of table (type, unit, categories, Chinese and English labels, example).",
    ),
    "serve": ("serve", "Start the API (/api/v1, OpenAPI at /api/v1/openapi.json) and the office (/office/)."),
    "user": ("serve", "Create and manage accounts of the service."),
    "peer": ("serve", "跨省通办: this instance's signing key and the peer instances it trusts."),
}


def _one_line_helps(command: click.Command) -> None:
    """A group's subcommands listed with their help's first paragraph as one line (typer's rich help keeps the
    docstring's line breaks there, which broke the list's lines mid-sentence)."""
    for sub in getattr(command, "commands", {}).values():
        if sub.short_help is None and sub.help:
            sub.short_help = " ".join(inspect.cleandoc(sub.help).split("\n\n")[0].split())
        _one_line_helps(sub)


ARGS_META = "changzhu.args"  # the top group's arguments as given, in click's context


class LazyGroup(TyperGroup):
    """The top-level group: lists commands from COMMANDS and imports a command's module when it is called."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        if cmd_name not in self.commands:
            from changzhu.cli import typer_help

            typer_help.load()  # before the command's help is drawn
            module = importlib.import_module(f"changzhu.cli.{COMMANDS[cmd_name][0]}")
            part = typer.Typer()
            module.register(part)
            loaded = typer.main.get_group(part).commands
            for command in loaded.values():
                _one_line_helps(command)
            self.commands.update(loaded)
        return self.commands.get(cmd_name)

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        """The command named first in `args`; for a help in Chinese (a `--help`, or a group called alone, in the
        language main.command_lang picks) a copy of it with its helps in Chinese (cli.help_zh)."""
        name, command, rest = super().resolve_command(ctx, args)
        if isinstance(command, TyperGroup):
            rest = without_lang(rest, command.commands)
        asks_help = "--help" in rest or (isinstance(command, TyperGroup) and not rest)
        if asks_help:  # `changzhu serve --help --lang zh`: a help in that language, also of a command without --lang
            rest = without_lang(rest, ())
        if command is not None and asks_help and command_lang(argv=args) == Lang.ZH:
            from changzhu.cli.help_zh import translated

            command = translated(command)
        return name, command, rest

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        """`changzhu --help --lang zh` (or `changzhu --lang zh`) as `changzhu --help` in that language."""
        ctx.meta[ARGS_META] = list(args)  # the help's language reads them (format_help)
        return super().parse_args(ctx, without_lang(args, COMMANDS))

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """`changzhu --help`: in Chinese where CHANGZHU_LANG (or the locale) says so, else click's English."""
        if command_lang(argv=ctx.meta.get(ARGS_META, sys.argv[1:])) != Lang.ZH:
            super().format_help(ctx, formatter)
            return
        from changzhu.cli import help_zh

        pieces = help_zh.usage_pieces(self.collect_usage_pieces(ctx))
        formatter.write_usage(ctx.command_path, pieces, prefix=help_zh.USAGE_ZH)
        formatter.write_paragraph()
        with formatter.indentation():
            formatter.write_text(help_zh.TOP_ZH["help"])
        options = [("--policies <目录>", help_zh.TOP_ZH["policies"]), ("--help", help_zh.HELP_OPTION_ZH)]
        commands = [(name, help_zh.COMMANDS_ZH.get(name, line)) for name, (_, line) in COMMANDS.items()]
        for heading, rows in (("选项：", options), ("命令：", commands)):
            formatter.write_paragraph()
            formatter.write_text(heading)
            with formatter.indentation():
                formatter.write_dl(rows)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The commands and their help lines from COMMANDS, importing none of them."""
        with formatter.section("Commands"):
            formatter.write_dl([(name, help_line) for name, (_, help_line) in COMMANDS.items()])


app = typer.Typer(
    name="changzhu",
    cls=LazyGroup,
    help="常住 changzhu: basic public services where people live, not where their hukou is registered.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    rich_markup_mode=None,
)


@app.callback()
def main(
    policies: Annotated[
        Path | None,
        typer.Option(
            "--policies",
            help=f"policy directory to use instead of the shipped one (same as {POLICY_DIR_ENV})",
            exists=True,
            file_okay=False,
        ),
    ] = None,
) -> None:
    """常住 changzhu: basic public services where people live, not where their hukou is registered."""
    if policies is not None:
        os.environ[POLICY_DIR_ENV] = str(policies.resolve())


def without_lang(args: list[str], commands: Container[str]) -> list[str]:
    """A group's arguments without the `--lang zh|en` (or `--lang=…`) written before its command where the group's
    own help is asked for (`--help` before any command, or no command): a group has no `--lang` of its own (its
    commands have), so `changzhu resident --help --lang zh` would be refused ("no such option") though the help it
    asks for is drawn in that language (command_lang reads the arguments themselves). Otherwise the arguments are left
    as they are: a `--lang` before a command it would not reach is refused, not dropped."""
    kept: list[str] = []
    skip = False
    for i, arg in enumerate(args):
        if arg in commands:
            return kept + args[i:] if "--help" in args[:i] else args
        if skip:
            skip = False
        elif arg == "--lang" and lang_option(args[i : i + 2]) is not None:
            skip = True  # and its value, next
        elif not (arg.startswith("--lang=") and lang_option([arg]) is not None):
            kept.append(arg)
    return kept


def error_text(exc: ChangzhuError, lang: Lang) -> str:
    """An error's reason in `lang`: a coded one rendered (a policy file's names the file, the place and the line),
    a message of its own as it came (written "中文 / English": its half in `lang`); regions by name and code, roles
    by their names (api.auth.roles.ROLE_NAMES, as the API's error handler names them)."""
    from changzhu.domain.refusals import PLACE, ROLE, Names, RefusalCode, reason_of

    reason = reason_of(exc)
    if reason.code == RefusalCode.UNCODED:
        return str(exc)
    wanted = reason.named()
    names: Names = {}
    if wanted.get(PLACE):
        from changzhu.tables.places import place_names

        names[PLACE] = place_names(wanted[PLACE])
    if wanted.get(ROLE):
        from changzhu.api.auth.roles import ROLE_NAMES

        names[ROLE] = {role.value: words for role, words in ROLE_NAMES.items() if role.value in wanted[ROLE]}
    return reason.text(lang, names)


def told(exc: ChangzhuError) -> ChangzhuError:
    """What the operator is told of an error. A refusal at the lock of a person handed over to another province's
    instance names her new city; an operator command acts as a named user, so that refusal is decided for that user
    by `api.write_access.told_of_move` around the write. One no command decided (a write someone did not wrap) is
    answered as the API's error handler answers it: as a key no one has, never with her new city (docs/api.md,
    "Who may change what"; docs/operations.md, "Operator commands")."""
    from changzhu.domain.refusals import CodedError, RefusalCode, reason_of, refusal
    from changzhu.store.checks import PersonMovedOut

    code = reason_of(exc).code  # the API's wording points to a link; here the operator typed the key
    if code == RefusalCode.NO_PERSON_WITH_KEY:
        return CodedError(refusal(RefusalCode.CLI_NO_PERSON_WITH_KEY, command="changzhu resident find"))
    if code == RefusalCode.NO_PERSON_IN_REACH:
        return CodedError(refusal(RefusalCode.CLI_NO_PERSON_IN_REACH, option="--as"))
    if not isinstance(exc, PersonMovedOut) or exc.told:
        return exc
    from changzhu.api.access import person_not_in_reach

    return told(person_not_in_reach(exc.person_key or ""))


def run() -> None:
    """Console-script entry: run the app; a ChangzhuError becomes one line on stderr and exit code 1."""
    try:
        _run()
    finally:
        # what is left is freed with the process: the interpreter's shutdown collects garbage several times over
        # every object (≈0.25 s of CPU after `evaluate`, whose modules hold ~90,000); frozen, they are not scanned
        gc.freeze()


def _run() -> None:
    try:
        code = app(standalone_mode=False)  # click's usage errors come here, to be told in the error line's language
    except click.exceptions.ClickException as exc:
        from changzhu.cli.usage_errors import show

        show(exc, command_lang())
        sys.exit(exc.exit_code)
    except typer.Abort:
        zh = command_lang() == Lang.ZH
        print("已中止。" if zh else "Aborted!", file=sys.stderr)
        sys.exit(1)
    except ChangzhuError as exc:
        from rich.markup import escape

        from changzhu.output import err_console

        lang = command_lang()
        head = "错误：" if lang == Lang.ZH else "error: "
        line = f"[bold red]{head}[/bold red]{escape(error_text(told(exc), lang))}"
        err_console.print(line, highlight=False, soft_wrap=True, markup=True)
        sys.exit(1)
    except Exception as exc:
        from sqlalchemy.exc import SQLAlchemyError

        if not isinstance(exc, SQLAlchemyError):
            raise
        from rich.markup import escape

        from changzhu.output import err_console

        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        head = "数据库错误：" if command_lang() == Lang.ZH else "database error: "  # the reason: the database's words
        err_console.print(f"[bold red]{head}[/bold red]{escape(reason)}", highlight=False, soft_wrap=True)
        sys.exit(1)
    if isinstance(code, int) and code:  # an exit code (typer.Exit, Ctrl-C), not standalone click's own sys.exit
        sys.exit(code)


if __name__ == "__main__":
    run()
