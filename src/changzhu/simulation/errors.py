"""The simulation's user-facing error."""

from __future__ import annotations

from changzhu.domain.refusals import CodedError


class SimulationError(CodedError, ValueError):
    """Bad simulation input (sample fraction, scenario file, population directory, evaluator output)."""
