"""The rules engine as a simulation evaluator: `changzhu.rules` evaluate() over a chunk of people.

低保 is decided by the same rule on the means-tested income of `changzhu.simulation.means_test` (the area's
standard and the asset test); the other services read the people as they are.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl

from changzhu.domain.refusals import RefusalCode, refusal
from changzhu.domain.services import Service
from changzhu.rules.evaluate import evaluate
from changzhu.rules.scenario import Scenario, load_scenario
from changzhu.simulation.errors import SimulationError
from changzhu.simulation.means_test import dibao_model, means_for_rules

DIBAO = Service.MINIMUM_LIVING_ALLOWANCE


@dataclass(frozen=True)
class RulesEvaluator:
    """evaluate(people, on, scenario=..., earliest=False, needs=False) for the chosen services (all when empty):
    the compiled rules, since the simulation counts who is eligible (or undetermined) on each date and never reads
    earliest dates or the inputs an undetermined decision needs; picklable."""

    services: tuple[Service, ...] = ()

    def __call__(self, people: pl.DataFrame, on: date, scenario: Scenario | None) -> pl.DataFrame:
        """One row per person: eligible_<service>, earliest_<service> (the date where eligible), points_<scheme>."""
        wanted = list(self.services) or list(Service)
        others = [s for s in wanted if s != DIBAO]
        result = evaluate(people, on, scenario=scenario, services=others, earliest=False, needs=False)
        if DIBAO not in wanted:
            return result
        tested = means_for_rules(people, dibao_model(on))
        dibao = evaluate(tested, on, scenario=scenario, services=[DIBAO], earliest=False, needs=False)
        return result.with_columns(dibao.select(pl.col(f"^.*_{DIBAO.value}$")))


def rules_evaluator(services: tuple[str, ...] = ()) -> RulesEvaluator:
    """The evaluator backed by the rules engine, limited to `services` (names of changzhu Service values)."""
    known = {s.value: s for s in Service}
    unknown = [s for s in services if s not in known]
    if unknown:
        known_names = ", ".join(sorted(known))
        raise SimulationError(
            refusal(RefusalCode.SIMULATION_UNKNOWN_SERVICE, service=repr(unknown[0]), known=known_names)
        )
    return RulesEvaluator(tuple(known[s] for s in services))


def load_rules_scenario(path: Path) -> Any:
    """A reform scenario file read by the rules engine's loader."""
    return load_scenario(path)
