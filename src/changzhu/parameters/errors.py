"""Errors of the parameter tree: a malformed parameter file or a scenario that cannot apply."""

from __future__ import annotations

from changzhu.domain.refusals import CodedError, Refusal
from changzhu.parameters.places import line_of, placed


class ParameterError(CodedError, ValueError):
    """A parameter entry that does not follow the format: `where` names the field (its key path), `reason` the
    Refusal (`why` its English), `file` and `line` the place in a parameter file where known."""

    def __init__(self, where: str, why: Refusal, *, file: str = "", line: int | None = None) -> None:
        super().__init__(placed(why, file, where, line))
        self.where, self.file, self.line = where, file, line
        self.why = why.en
        self.reason = why

    def on_line(self, text: str) -> ParameterError:
        """This error with the line of its place in the file's text, where it names a file and has no line yet (a
        national parameter's path is its key, under `parameters:`)."""
        if not self.file or not self.where or self.line is not None:
            return self
        found = line_of(text, self.where) or line_of(text, f"parameters.{self.where}")
        return self if found is None else ParameterError(self.where, self.reason, file=self.file, line=found)


class ScenarioError(CodedError, ValueError):
    """A reform scenario that overrides an unknown parameter or gives a value of the wrong kind."""
