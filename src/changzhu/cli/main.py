"""Entry point: `changzhu demo | db | regions | population | ...`; user errors print one line, exit 1."""

from __future__ import annotations

import sys

import typer
from sqlalchemy.exc import SQLAlchemyError

from changzhu.cli import fiscal, foundation, plan, registry_cmds, rules, serve, simulate
from changzhu.cli.output import err_console
from changzhu.errors import ChangzhuError

app = typer.Typer(
    name="changzhu",
    help="常住 changzhu: basic public services where people live, not where their hukou is registered.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)

# Each part of the system registers its commands here, one line per module.
fiscal.register(app)
foundation.register(app)
plan.register(app)
registry_cmds.register(app)
rules.register(app)
serve.register(app)
simulate.register(app)


def run() -> None:
    """Console-script entry: run the app; a ChangzhuError becomes one line on stderr and exit code 1."""
    try:
        app()
    except ChangzhuError as exc:
        err_console.print(f"[bold red]error:[/bold red] {exc}", highlight=False, soft_wrap=True, markup=True)
        sys.exit(1)
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        err_console.print(f"[bold red]database error:[/bold red] {reason}", highlight=False, soft_wrap=True)
        sys.exit(1)


if __name__ == "__main__":
    run()
