"""Declared inputs (a jurisdiction's optional person columns) in the synthetic population: a default or unknown.

A declared input has a default distribution when the parameter tree holds `simulation.input.<name>.*`
(docs/simulation.md, "Declared inputs"): a constant (`.value`, for integer, number and months inputs; 0, no
occurrence, for a dates input), the share of persons for whom it is true (`.share_true`, bool inputs) or the
shares of its categories (`.share.<code>`, category inputs, summing to one). Every other declared input is left
out of the population: it is unknown to the rules, so a decision that reads it comes out undetermined and is
counted as such, never as 0 or false.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import polars as pl

from changzhu.domain.refusals import RefusalCode, refusal
from changzhu.parameters import ParameterError, ParameterTree, Scenario
from changzhu.rules.inputs import InputSpec
from changzhu.simulation.errors import SimulationError, because_of

PREFIX = "simulation.input."
SUM_TOLERANCE = 1e-9
CONSTANT_TYPES = ("integer", "number", "months")


@dataclass(frozen=True)
class InputDefault:
    """The default of one declared input: a constant, a share of true, or shares of categories."""

    name: str
    type: str
    value: float = 0.0  # the constant (integer, number, months; dates: 0, none) or the share of true (bool)
    codes: tuple[str, ...] = ()  # category inputs: the codes, in the order of `shares`
    shares: tuple[float, ...] = ()

    def draw(self, n: int, rng: np.random.Generator) -> pl.Series:
        """The column for n persons (shares drawn with `rng`; a constant draws nothing)."""
        if self.type == "bool":
            return pl.Series(self.name, rng.random(n) < self.value, dtype=pl.Boolean)
        if self.type == "category":
            picked = np.searchsorted(np.cumsum(self.shares), rng.random(n), side="right")
            picked = np.minimum(picked, len(self.codes) - 1)
            return pl.Series(self.name, self.codes, dtype=pl.String).gather(picked).alias(self.name)
        if self.type == "dates":  # no occurrence for anyone
            # polars repeats one empty list natively: a Python list of n lists built 1M Series (6-12 s per 1M)
            return pl.repeat(pl.lit([], dtype=pl.List(pl.Date)), n, eager=True).alias(self.name)
        dtype = {"integer": pl.Int64(), "months": pl.Int32()}.get(self.type, pl.Float64())
        return pl.repeat(self.value, n, dtype=dtype, eager=True).alias(self.name)


def input_defaults(
    tree: ParameterTree, inputs: dict[str, InputSpec], on: date, scenario: Scenario | None = None
) -> tuple[InputDefault, ...]:
    """The defaults the tree gives the declared `inputs` on `on` (a scenario's overrides applied), by name.

    Raises SimulationError for a `simulation.input.*` key of an undeclared input or of the wrong kind for the
    input's type, and for category shares that do not sum to one."""
    keys = tree.under(PREFIX)
    by_input: dict[str, list[str]] = {}
    for key in keys:
        name = key.removeprefix(PREFIX).split(".", 1)[0]
        if name not in inputs:
            raise SimulationError(refusal(RefusalCode.SIMULATION_INPUT_NOT_DECLARED, key=key, name=repr(name)))
        by_input.setdefault(name, []).append(key.removeprefix(PREFIX + name + "."))

    def number(key: str) -> float:
        try:
            return float(tree.value(PREFIX + key, on, scenario=scenario).value)
        except ParameterError as exc:
            raise SimulationError(because_of(RefusalCode.SIMULATION_INPUT_DEFAULTS, exc)) from exc

    out = []
    for name in sorted(by_input):
        spec, parts = inputs[name], by_input[name]
        if spec.type in CONSTANT_TYPES and parts == ["value"]:
            value = number(f"{name}.value")
            if spec.type != "number" and value != int(value):
                whole = refusal(RefusalCode.SIMULATION_INPUT_WHOLE, key=f"{PREFIX}{name}.value", type=spec.type)
                raise SimulationError(whole)
            out.append(InputDefault(name, spec.type, value))
        elif spec.type == "bool" and parts == ["share_true"]:
            share = number(f"{name}.share_true")
            if not 0.0 <= share <= 1.0:
                key = f"{PREFIX}{name}.share_true"
                raise SimulationError(refusal(RefusalCode.SIMULATION_INPUT_SHARE, key=key, share=str(share)))
            out.append(InputDefault(name, "bool", share))
        elif spec.type == "category" and all(p.startswith("share.") for p in parts):
            codes = tuple(c.code for c in spec.categories)
            given = sorted(p.removeprefix("share.") for p in parts)
            if given != sorted(codes):
                key = f"{PREFIX}{name}.share.*"
                raise SimulationError(refusal(RefusalCode.SIMULATION_INPUT_SHARE_EACH, key=key, codes=str(list(codes))))
            shares = tuple(number(f"{name}.share.{c}") for c in codes)
            if abs(sum(shares) - 1.0) > SUM_TOLERANCE or min(shares) < 0:
                raise SimulationError(refusal(RefusalCode.SIMULATION_INPUT_SHARES_SUM, key=f"{PREFIX}{name}.share.*"))
            out.append(InputDefault(name, "category", codes=codes, shares=shares))
        elif spec.type == "dates" and parts == ["value"]:
            if number(f"{name}.value") != 0:
                raise SimulationError(refusal(RefusalCode.SIMULATION_INPUT_DATES_DEFAULT, key=f"{PREFIX}{name}.value"))
            out.append(InputDefault(name, "dates", 0.0))
        elif spec.type in ("date", "categories"):
            raise SimulationError(
                refusal(RefusalCode.SIMULATION_INPUT_NO_DEFAULT, key=f"{PREFIX}{name}", type=spec.type)
            )
        else:
            expected = {"bool": "share_true", "category": "share.<code>"}.get(spec.type, "value")
            form = refusal(
                RefusalCode.SIMULATION_INPUT_DEFAULT_FORM, key=f"{PREFIX}{name}", type=spec.type, expected=expected
            )
            raise SimulationError(form)
    return tuple(out)


def with_input_defaults(
    frame: pl.DataFrame, defaults: tuple[InputDefault, ...], rng: np.random.Generator
) -> pl.DataFrame:
    """The person table with a column for each declared input that has a default (the others stay absent)."""
    if not defaults:
        return frame
    return frame.with_columns(d.draw(frame.height, rng) for d in defaults)
