"""`changzhu <command> [<subcommand> ...] --help` imports no heavy module (polars, numpy, scipy, plotly, SQLAlchemy,
...), nor pydantic: typer would build a pydantic adapter for the group's unset options (changzhu.cli.typer_params).
Every command is checked, each group's subcommands at every depth too (a group's callback runs before a
subcommand's --help)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest
import typer
from typer import _click as click

from changzhu.cli.main import COMMANDS, app

HEAVY = (
    "polars",
    "numpy",
    "scipy",
    "plotly",
    "sqlalchemy",
    "pyarrow",
    "fastapi",
    "highspy",
    "dask",
    "distributed",
    "pydantic",
    "numba",
    "markdown_it",  # rich.markdown, imported by typer.rich_utils unless changzhu.cli.typer_help stands in for it
    "pygments",  # rich.traceback, the same
)
# Runs each command path's --help in turn in one fresh process; after each, the heavy modules loaded so far.
PROBE = """
import json, sys
from changzhu.cli.main import app
heavy = set(sys.argv[2].split(","))
for path in json.loads(sys.argv[1]):
    try:
        app([*path, "--help"], standalone_mode=False)
    except SystemExit:
        pass
    loaded = sorted({m.split(".")[0] for m in sys.modules} & heavy)
    print("PATH " + json.dumps({"path": path, "heavy": loaded}), flush=True)
"""


def command_paths(name: str) -> list[list[str]]:
    """The top-level command `name` and, if it is a group, every subcommand under it at any depth."""
    group = typer.main.get_command(app)
    ctx = click.Context(group)
    paths: list[list[str]] = []

    def walk(command: click.Command | None, path: list[str]) -> None:
        assert command is not None, f"{' '.join(path)} is listed but not found"
        paths.append(path)
        for sub in getattr(command, "list_commands", lambda _ctx: [])(ctx):
            walk(command.get_command(ctx, sub), [*path, sub])  # type: ignore[attr-defined]

    walk(group.get_command(ctx, name), [name])  # type: ignore[attr-defined]
    return paths


@pytest.mark.parametrize("command", list(COMMANDS))
def test_help_imports_nothing_heavy(command: str) -> None:
    paths = command_paths(command)
    done = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(paths), ",".join(HEAVY)], capture_output=True, text=True, check=True
    )
    checked = [json.loads(line[5:]) for line in done.stdout.splitlines() if line.startswith("PATH ")]
    assert [c["path"] for c in checked] == paths
    assert done.stdout.count("Usage") == len(paths)
    for c in checked:  # the first path that loaded a heavy module is the one that imported it
        assert c["heavy"] == [], f"changzhu {' '.join(c['path'])} --help imported {', '.join(c['heavy'])}"


# Draws every command path's help, a markdown-mode app's help and typer's rich traceback of an error, after
# typer_help.load(); with argv[2] == "real", rich.markdown and rich.traceback are imported first, so no stand-in.
DRAW = '''
import json, sys
if sys.argv[2] == "real":
    import rich.markdown, rich.traceback
from changzhu.cli import typer_help
typer_help.load()
stood_in = "markdown_it" not in sys.modules and "pygments" not in sys.modules
import typer
from typer.models import DeveloperExceptionConfig
from changzhu.cli.main import app
markdown_app = typer.Typer(rich_markup_mode="markdown")
@markdown_app.command()
def shown(name: str = "x") -> None:
    """A **markdown** help with a list:

    * one `code`
    * two
    """
for path in json.loads(sys.argv[1]):
    print("PATH", *path, flush=True)
    try:
        app([*path, "--help"], standalone_mode=False)
    except SystemExit:
        pass
print("MARKDOWN", flush=True)
try:
    markdown_app(["--help"], standalone_mode=False)
except SystemExit:
    pass
try:
    raise ValueError("drawn")
except ValueError as exc:
    tb = typer.rich_utils.get_traceback(exc, DeveloperExceptionConfig(), [])
print("TRACEBACK", type(tb).__module__, type(tb).__name__, flush=True)
import rich.markdown
print("STOOD IN" if stood_in else "REAL", rich.markdown.Markdown.__module__)
'''


def test_help_is_drawn_as_typer_draws_it() -> None:
    """With the stand-ins (changzhu.cli.typer_help) every command's help, in colour, is byte for byte typer's own,
    markdown help and rich tracebacks still work, and the real rich.markdown is what a later import gets."""
    paths = [path for name in COMMANDS for path in command_paths(name)]
    env = {**os.environ, "FORCE_COLOR": "1", "COLUMNS": "100"}
    drawn = {
        mode: subprocess.run(
            [sys.executable, "-c", DRAW, json.dumps(paths), mode], capture_output=True, text=True, check=True, env=env
        ).stdout
        for mode in ("real", "stand-in")
    }
    assert drawn["real"].endswith("REAL rich.markdown\n")
    assert drawn["stand-in"].endswith("STOOD IN rich.markdown\n")
    real, stood_in = (text.rsplit("\n", 2)[0] for text in (drawn["real"], drawn["stand-in"]))
    assert len(re.findall(r"^PATH ", real, re.MULTILINE)) == len(paths) and "\x1b[" in real  # every help, in colour
    assert "TRACEBACK rich.traceback Traceback" in real
    assert stood_in == real
