"""Errors of the rules engine: a broken policy file, a bad scenario, an unknown person."""

from __future__ import annotations

from changzhu.domain.refusals import CodedError, Refusal
from changzhu.errors import ChangzhuError
from changzhu.parameters.errors import ScenarioError as ScenarioError  # re-exported from its new home
from changzhu.parameters.places import line_of, placed


class PolicyError(CodedError, ValueError):
    """A policy, agreement or policy-test file that does not follow the format: the file, where in it (the key
    path, and its line once looked up: `on_line`) and the reason, a Refusal shown in Chinese or English.

    `near`: a value written at that place (a name the rule uses), to find the line of where the path names a
    whole rule."""

    def __init__(
        self, reason: Refusal, file: str = "", where: str = "", line: int | None = None, near: str | None = None
    ) -> None:
        super().__init__(placed(reason, file, where, line))
        self.reason, self.file, self.where, self.line, self.near = reason, file, where, line, near

    def on_line(self, text: str) -> PolicyError:
        """This error with the line of its place in the file's text, where it names a place and has no line yet."""
        if self.line is not None or not (self.where or self.near):
            return self
        found = line_of(text, self.where, self.near)
        return self if found is None else PolicyError(self.reason, self.file, self.where, found)


class PersonNotFound(ChangzhuError, LookupError):
    """explain() was asked about a person_id that is not in the table."""
