"""Errors of the fiscal part: bad parameters, bad input tables, an allocation that cannot be made."""

from __future__ import annotations

from changzhu.domain.refusals import CodedError


class FiscalError(CodedError):
    """A fiscal computation cannot run on the input it was given."""


class FiscalParameterError(FiscalError):
    """A fiscal parameter is missing or out of range; the message names it."""


class InfeasibleAllocationError(FiscalError):
    """The budget allocation has no solution; the message says which constraint binds."""
