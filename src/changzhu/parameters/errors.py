"""Errors of the parameter tree: a malformed parameter file or a scenario that cannot apply."""

from __future__ import annotations

from changzhu.domain.refusals import CodedError, Refusal
from changzhu.errors import ChangzhuError


class ParameterError(ChangzhuError, ValueError):
    """A parameter entry that does not follow the format; `where` names the field, `why` the reason (in English;
    `reason` the Refusal where the reason is coded)."""

    def __init__(self, where: str, why: str | Refusal) -> None:
        super().__init__(f"{where}: {why}")
        self.where = where
        self.why = str(why)
        self.reason = why if isinstance(why, Refusal) else None


class ScenarioError(CodedError, ValueError):
    """A reform scenario that overrides an unknown parameter or gives a value of the wrong kind."""
