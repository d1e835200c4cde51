"""changzhu (常住): basic public services where people live, not where their hukou is registered.

Each package's public names are listed in its `__all__` (docs/python-api.md); most packages import the module of a
name only when the name is first used, so importing one part does not load the others.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

__version__ = "0.1.0"


def lazy_exports(package: str, exports: dict[str, str]) -> Callable[[str], Any]:
    """A module-level __getattr__ for `package`: each public name (key) is read from its module (value, relative to
    the package) when first asked for."""

    def __getattr__(name: str) -> Any:
        module = exports.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        return getattr(importlib.import_module(f"{package}.{module}"), name)

    return __getattr__
