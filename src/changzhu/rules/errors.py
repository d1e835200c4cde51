"""Errors of the rules engine: a broken policy file, a bad scenario, an unknown person."""

from __future__ import annotations

from changzhu.errors import ChangzhuError


class PolicyError(ChangzhuError, ValueError):
    """A policy, agreement or policy-test file that does not follow the format (names the file and field)."""


class ScenarioError(ChangzhuError, ValueError):
    """A reform scenario that overrides an unknown parameter or gives a value of the wrong kind."""


class PersonNotFound(ChangzhuError, LookupError):
    """explain() was asked about a person_id that is not in the table."""
