"""Errors of the rules engine: a broken policy file, a bad scenario, an unknown person."""

from __future__ import annotations

from changzhu.errors import ChangzhuError
from changzhu.parameters.errors import ScenarioError as ScenarioError  # re-exported from its new home


class PolicyError(ChangzhuError, ValueError):
    """A policy, agreement or policy-test file that does not follow the format (names the file and field)."""


class PersonNotFound(ChangzhuError, LookupError):
    """explain() was asked about a person_id that is not in the table."""
