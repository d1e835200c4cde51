"""Errors of the fiscal part: bad parameters, bad input tables, an allocation that cannot be made."""

from __future__ import annotations

from changzhu.domain.refusals import CodedError, Refusal
from changzhu.parameters.places import placed


class FiscalError(CodedError):
    """A fiscal computation cannot run on the input it was given."""


class FiscalParameterError(FiscalError):
    """A fiscal parameter is missing or out of range: `reason` the Refusal (in zh and en), placed like a parameter
    file's error (changzhu.parameters.ParameterError) in `file` at the key path `where` and `line` where known."""

    def __init__(self, why: Refusal, *, file: str = "", where: str = "", line: int | None = None) -> None:
        super().__init__(placed(why, file, where, line))
        self.reason, self.file, self.where, self.line = why, file, where, line


class InfeasibleAllocationError(FiscalError):
    """The budget allocation has no solution; the message says which constraint binds."""
