"""Typer parameters cost no pydantic when they need none: unset ones, and given text, paths and choices.

Typer 0.29 coerces every parameter's value through a pydantic TypeAdapter, built (and pydantic imported, ~0.1-0.2 s
of a command's start) the first time a parameter is processed, even when the value is None because the option was
not given. A group's unset options and its own `--help` flag are processed before a subcommand's `--help`, so
without this every `changzhu <command> --help` paid for pydantic, and every command given an option paid for it too.

Here a parameter whose value is None gets what typer's coercion would give it (None, or () for a multi-value
parameter); a given value of a plain type gets what typer's adapter would return, through typer's own path and
choice functions (`str`: the text; `Path`: typer's path checks; an Enum: the member typer's choice matching
finds; a list of one of these: a list), then the same required check and callback. Anything else (numbers, files,
custom parsers, a choice that matches nothing, so the error is typer's own) goes through typer's coercion
unchanged.

Help shows each option's value in words, not typer 0.29's Python type names: a flag shows none (typer printed
`<bool>`, as if it took a value), and `str`, `int`, `float` and lists read
`<text>`, `<integer>`, `<number>`, `<text …>` (repeatable).

An argument is named as click names it, in capitals (USERNAME; a Chinese help gives its Chinese name, cli.help_zh),
in the usage line, the help's list and an error alike; the usage line writes a required one bare and an optional one
in brackets (`changzhu user add [OPTIONS] USERNAME`, `changzhu evaluate [OPTIONS] [PEOPLE]`): typer 0.29 put a
required one in braces, `{username}`, which read as a placeholder left unfilled.
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Any, get_args, get_origin

from typer import _click as click
from typer._click.exceptions import MissingParameter
from typer._param_types import coerce_cli_choice, coerce_cli_path
from typer.core import TyperArgument, _TyperParameter
from typer.models import ParameterInfo

_typer_process_value = _TyperParameter.process_value
_typer_display_type = _TyperParameter.display_type
_TYPER = object()  # "let typer's own coercion do it"
_WORDS = {str: "text", int: "integer", float: "number", Path: "path"}  # a value's kind as help shows it


def _plain(annotation: Any, info: ParameterInfo, value: Any, ctx: click.Context, param: _TyperParameter) -> Any:
    """`value` coerced as typer's adapter for a plain `annotation` would, or _TYPER."""
    if info.parser is not None:
        return _TYPER
    if annotation is str:
        return value if isinstance(value, str) else _TYPER
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        try:
            return coerce_cli_choice(value, choices=list(annotation), case_sensitive=info.case_sensitive, ctx=ctx)
        except ValueError:  # no match: typer says so in its own words
            return _TYPER
    if annotation is Path and info.path_type is None and isinstance(value, str):
        return coerce_cli_path(Path(value), info, path_type=Path, param=param, ctx=ctx)
    return _TYPER


def _coerce(self: _TyperParameter, ctx: click.Context, value: Any) -> Any:
    """A given value without pydantic where the annotation is plain (or a list of a plain one), else _TYPER."""
    described = self.type_descriptor
    if described.file_annotation is not None:
        return _TYPER
    annotation, info = described.annotation, described.parameter_info
    if get_origin(annotation) is list and (self.multiple or self.nargs == -1):
        if isinstance(value, str) or not isinstance(value, (list, tuple)):
            return _TYPER
        items = [_plain(get_args(annotation)[0], info, item, ctx, self) for item in value]
        return _TYPER if any(item is _TYPER for item in items) else items
    if self.multiple or self.nargs != 1:
        return _TYPER
    return _plain(annotation, info, value, ctx, self)


def _process_value(self: _TyperParameter, ctx: click.Context, value: Any) -> Any:
    if value is not None:
        coerced = _TYPER if isinstance(value, bool) else _coerce(self, ctx, value)
        if coerced is _TYPER:
            return _typer_process_value(self, ctx, value)
        value = coerced
    else:
        value = () if self.multiple or self.nargs == -1 else None
    if self.required and self.value_is_missing(value):
        raise MissingParameter(ctx=ctx, param=self)
    if self.callback is not None:
        return self.callback(ctx, self, value)
    return value


def _display_type(self: _TyperParameter, ctx: click.Context) -> str | None:
    """The value an option takes, as help shows it: nothing for a flag, else in words (typer shows a declared
    metavar instead)."""
    if getattr(self, "is_flag", False):
        return None
    described = self.type_descriptor
    annotation = described.annotation
    if described.is_list and not described.is_choice:
        word = _WORDS.get(get_args(annotation)[0])
        return f"<{word} …>" if word else _typer_display_type(self, ctx)
    word = _WORDS.get(annotation)
    return f"<{word}>" if word and not described.is_path else _typer_display_type(self, ctx)


def _argument_name(self: TyperArgument) -> str:
    """An argument's name as help and errors show it: its metavar (a Chinese help's name), else its name in capitals."""
    return self.metavar if self.metavar is not None else (self.name or "").upper()


def _usage_name(self: TyperArgument) -> str:
    """An argument in the usage line: bare if required, in brackets if not, `...` after one taking several."""
    name = self.display_name_raw if self.required else f"[{self.display_name_raw}]"
    return name if self.nargs == 1 else f"{name}..."


def install() -> None:
    """Process unset and plain typer parameters without pydantic, show their values in words and arguments by their
    names (idempotent)."""
    _TyperParameter.process_value = _process_value  # type: ignore[method-assign]
    _TyperParameter.display_type = _display_type  # type: ignore[method-assign, assignment]  # typer's callers take None
    TyperArgument.display_name_raw = property(_argument_name)  # type: ignore[method-assign, assignment]
    TyperArgument._usage_display_name = _usage_name  # type: ignore[method-assign]
