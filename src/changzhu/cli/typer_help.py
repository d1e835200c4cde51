"""Typer's rich help without loading rich's Markdown and Traceback renderers until one is used.

typer.rich_utils, which draws every command's `--help`, imports rich.markdown (markdown-it) and rich.traceback
(pygments) at its top, about 0.03 s of CPU that a help in rich markup mode never uses: Markdown renders only
markdown-mode help (no command here uses it) and Traceback only typer's pretty exceptions (turned off in
changzhu.cli.main). `load()` imports typer.rich_utils with a stand-in for each that imports the real class when it
is first called, so the help drawn is the same (tests/foundation/test_cli_help_imports.py compares every command's).
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import Any


class _Markdown:
    """Stands for rich.markdown.Markdown: building one imports rich.markdown and returns the real object."""

    def __new__(cls, *args: Any, **kwargs: Any) -> Any:
        from rich.markdown import Markdown

        return Markdown(*args, **kwargs)


class _Traceback:
    """Stands for rich.traceback.Traceback, of which typer calls only from_exception."""

    @staticmethod
    def from_exception(*args: Any, **kwargs: Any) -> Any:
        from rich.traceback import Traceback

        return Traceback.from_exception(*args, **kwargs)


STAND_INS: dict[str, tuple[str, type]] = {
    "rich.markdown": ("Markdown", _Markdown),
    "rich.traceback": ("Traceback", _Traceback),
}


def load() -> None:
    """Import typer.rich_utils, with the stand-ins for the modules not already imported (idempotent)."""
    if "typer.rich_utils" in sys.modules:
        return
    placed = [name for name in STAND_INS if name not in sys.modules]
    for name in placed:
        attribute, stand_in = STAND_INS[name]
        module = types.ModuleType(name, stand_in.__doc__)
        setattr(module, attribute, stand_in)
        sys.modules[name] = module
    try:
        importlib.import_module("typer.rich_utils")
    finally:
        for name in placed:  # a later `import rich.markdown` gets the real module
            del sys.modules[name]
