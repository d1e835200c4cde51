"""Typer parameters left unset cost nothing: no pydantic adapter is built to turn "not given" into None.

Typer 0.29 coerces every parameter's value through a pydantic TypeAdapter, built (and pydantic imported, ~0.1 s)
the first time a parameter is processed, even when the value is None because the option was not given. A group's
unset options and its own `--help` flag are processed before a subcommand's `--help`, so without this every
`changzhu <command> --help` paid for pydantic. Here a parameter whose value is None gets what typer's coercion would
give it (None, or () for a multi-value parameter), then the same required check and callback; any given value still
goes through typer's own coercion unchanged.
"""

from __future__ import annotations

from typing import Any

from typer import _click as click
from typer._click.exceptions import MissingParameter
from typer.core import _TyperParameter

_typer_process_value = _TyperParameter.process_value


def _process_value(self: _TyperParameter, ctx: click.Context, value: Any) -> Any:
    if value is not None:
        return _typer_process_value(self, ctx, value)
    unset: Any = () if self.multiple or self.nargs == -1 else None
    if self.required and self.value_is_missing(unset):
        raise MissingParameter(ctx=ctx, param=self)
    if self.callback is not None:
        return self.callback(ctx, self, unset)
    return unset


def install() -> None:
    """Process unset typer parameters without coercion (idempotent)."""
    _TyperParameter.process_value = _process_value  # type: ignore[method-assign]
