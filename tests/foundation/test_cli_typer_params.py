"""changzhu.cli.typer_params: a given text, path, choice or list of them is coerced as typer's own pydantic coercion
coerces it (same value, same type, same error), for every parameter of every command; and a command given such
options does not import pydantic."""

from __future__ import annotations

import inspect
import re
import subprocess
import sys
from enum import Enum
from pathlib import Path
from typing import Any, get_args, get_origin

import pytest
import typer
from typer import _click as click
from typer.core import _TyperParameter

from changzhu.cli import typer_params
from changzhu.cli.main import COMMANDS, app

TEXTS = ["x", "", " spaced ", "上海", "2026-06-01", "-"]


def parameters() -> list[tuple[str, click.Command, _TyperParameter]]:
    """Every typer parameter of every command and subcommand, with its command's path."""
    group = typer.main.get_command(app)
    ctx = click.Context(group)
    found: list[tuple[str, click.Command, _TyperParameter]] = []

    def walk(command: click.Command, path: str) -> None:
        found.extend((path, command, p) for p in command.params if isinstance(p, _TyperParameter))
        for sub in getattr(command, "list_commands", lambda _ctx: [])(ctx):
            walk(command.get_command(ctx, sub), f"{path} {sub}")  # type: ignore[attr-defined]

    walk(group, "changzhu")
    for name in COMMANDS:
        command = group.get_command(ctx, name)  # type: ignore[attr-defined]
        assert command is not None
        walk(command, name)
    return found


def samples(annotation: Any, tmp: Path) -> list[Any]:
    """Values a user could give for a parameter of this annotation (good and bad)."""
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        values = [m.value for m in annotation]
        return [*values, *(str(v).upper() for v in values), "no-such-choice"]
    if annotation is Path:
        return [*TEXTS, str(tmp), str(tmp / "missing.csv"), str(tmp / "file.txt")]
    return TEXTS


def outcome(process: Any, param: _TyperParameter, ctx: click.Context, value: Any) -> tuple[str, Any]:
    try:
        got = process(param, ctx, value)
    except click.ClickException as exc:
        return "error", (type(exc).__name__, exc.format_message())
    return "value", (type(got).__name__, [(type(v).__name__, v) for v in got] if isinstance(got, list) else got)


@pytest.mark.parametrize("path,command,param", [pytest.param(*p, id=f"{p[0]} {p[2].name}") for p in parameters()])
def test_given_values_are_coerced_as_typer_coerces_them(
    path: str, command: click.Command, param: _TyperParameter, tmp_path: Path
) -> None:
    (tmp_path / "file.txt").write_text("x")
    ctx = click.Context(command)
    annotation = param.type_descriptor.annotation
    many = get_origin(annotation) is list
    values = samples(get_args(annotation)[0] if many else annotation, tmp_path)
    given = [tuple(values), (values[0],), ()] if many else values
    for value in given:
        ours = outcome(typer_params._process_value, param, ctx, value)
        assert ours == outcome(typer_params._typer_process_value, param, ctx, value), (path, param.name, value)


def test_plain_options_need_no_pydantic(tmp_path: Path) -> None:
    """`evaluate`'s given options (a path, a date as text, services, a format) are coerced without pydantic."""
    probe = (
        "import sys\n"
        "from changzhu.cli.main import app\n"
        "try:\n"
        f"    app(['evaluate', {str(tmp_path / 'none.parquet')!r}, '--on', '2026-06-01', '-s', 'residence_permit',"
        " '-f', 'json', '--out', 'x.parquet'], standalone_mode=False)\n"
        "except Exception as exc:\n"
        "    print(type(exc).__name__)\n"
        "print('pydantic' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["FileUnreadable", "False"], done.stdout  # options read, then the file sought


def test_help_shows_values_in_words() -> None:
    """Every option of every command, as help shows it: a flag takes no value (typer printed `<bool>`), and no
    value is named by a Python type (`<str>`, `<int>`, `<float>`, `<list[...]>`)."""
    ctx = click.Context(typer.main.get_command(app))
    found = parameters()
    shown = {(path, param.name): param.display_type(ctx) for path, _, param in found}
    flags = [(path, param.name) for path, _, param in found if getattr(param, "is_flag", False)]
    assert flags and all(shown[key] is None for key in flags)
    python_names = {
        key: label for key, label in shown.items() if label and re.search(r"<(str|int|float|bool|Path)\b|list\[", label)
    }
    assert not python_names, python_names
    assert shown[("evaluate", "on")] == "<text>"
    assert shown[("evaluate", "service")] == "<text …>"


def test_group_help_lists_each_command_on_whole_lines() -> None:
    """A group's help lists each subcommand with its help's first paragraph reflowed (typer's rich help kept the
    docstring's line breaks, so `changzhu ledger --help` broke sentences mid-line and left short lines)."""
    group = typer.main.get_command(app)
    ctx = click.Context(group)
    checked = 0
    for name in COMMANDS:
        command = group.get_command(ctx, name)  # type: ignore[attr-defined]
        for sub in getattr(command, "commands", {}).values():
            first = inspect.cleandoc(sub.help or "").split("\n\n")[0]
            assert sub.short_help == " ".join(first.split()), (name, sub.name)
            checked += "\n" in first
    assert checked > 10  # docstrings whose first paragraph spans lines
