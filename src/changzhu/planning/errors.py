"""Errors of the planning part: bad standards files, facility lists, event frames or problem sizes."""

from __future__ import annotations

from changzhu.domain.refusals import CodedError


class PlanningInputError(CodedError, ValueError):
    """Input to a planning computation that cannot be used as it is (its reason, coded where a user's file is the
    cause, names what and why)."""
