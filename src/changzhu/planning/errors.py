"""Errors of the planning part: bad standards files, facility lists, event frames or problem sizes."""

from __future__ import annotations

from changzhu.errors import ChangzhuError


class PlanningInputError(ChangzhuError, ValueError):
    """Input to a planning computation that cannot be used as it is (the message names what and why)."""
