"""The simulation's user-facing error."""

from __future__ import annotations

from changzhu.domain.refusals import CodedError, Refusal, RefusalCode, reason_of, refusal


class SimulationError(CodedError, ValueError):
    """Bad simulation input (sample fraction, scenario file, population directory, evaluator output)."""


def because_of(code: RefusalCode, error: Exception, **params: str) -> Refusal:
    """The refusal `code` whose `why_zh`/`why_en` are another error's reason in each language (a parameter
    file's error met while reading the simulation's unit costs or population parameters)."""
    why = reason_of(error)
    return refusal(code, why_zh=why.zh, why_en=why.en, **params)
