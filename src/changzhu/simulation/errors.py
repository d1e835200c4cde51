"""The simulation's user-facing error."""

from __future__ import annotations

from changzhu.errors import ChangzhuError


class SimulationError(ChangzhuError, ValueError):
    """Bad simulation input (sample fraction, scenario file, population directory, evaluator output)."""
