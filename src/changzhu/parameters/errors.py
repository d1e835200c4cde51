"""Errors of the parameter tree: a malformed parameter file or a scenario that cannot apply."""

from __future__ import annotations

from changzhu.errors import ChangzhuError


class ParameterError(ChangzhuError, ValueError):
    """A parameter entry that does not follow the format; `where` names the field, `why` the reason."""

    def __init__(self, where: str, why: str) -> None:
        super().__init__(f"{where}: {why}")
        self.where = where
        self.why = why


class ScenarioError(ChangzhuError, ValueError):
    """A reform scenario that overrides an unknown parameter or gives a value of the wrong kind."""
