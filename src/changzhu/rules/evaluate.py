"""evaluate(): every service's decision and earliest date, and every points scheme, for a table of people."""

from __future__ import annotations

from datetime import date

import numpy as np
import polars as pl

from changzhu.domain.person import validate_person_table
from changzhu.domain.services import Service
from changzhu.rules.catalog import PolicySet, region_lookup, shipped_policies
from changzhu.rules.dates import NEVER
from changzhu.rules.engine import Engine
from changzhu.rules.frame import Frame, build_frame
from changzhu.rules.kernels import CompiledRules, Decisions
from changzhu.rules.scenario import Scenario


def prepare(
    people: pl.DataFrame, on: date, *, scenario: Scenario | None = None, policies: PolicySet | None = None
) -> Frame:
    """Validate the table (all or nothing) and the scenario; the people as the arrays the rules read on `on`."""
    policies = policies or shipped_policies()
    regions = region_lookup()
    typed = validate_person_table(people, as_of=on, known_regions=set(regions.codes))
    if scenario is not None:
        scenario.check(policies.parameter_units())
    return build_frame(typed, on, policies, regions)


def evaluate(
    people: pl.DataFrame,
    on: date,
    *,
    scenario: Scenario | None = None,
    services: list[Service] | None = None,
    policies: PolicySet | None = None,
    earliest: bool = True,
) -> pl.DataFrame:
    """One row per person: person_id, eligible_<service>, earliest_<service>, points_<scheme>.

    People are judged by the rules of their residence_region (national → province → city) in force on `on`,
    with `scenario`'s overrides. earliest_<service> is the first date on or after `on` the person qualifies if
    nothing else changes (null: not under unchanged circumstances). points_<scheme> is null where the scheme
    does not apply (every shipped scheme has a column). earliest=False decides on `on` only, with the compiled
    rules (changzhu.rules.kernels): earliest_<service> is then `on` where eligible, else null. Raises
    PersonTableError (rows and columns named) on bad input; nothing is evaluated.
    """
    wanted = list(services) if services is not None else list(Service)
    frame = prepare(people, on, scenario=scenario, policies=policies)
    columns: list[pl.Series] = [pl.Series("person_id", frame.person_id)]
    engine: Engine | None = None
    decided: Decisions | None = None
    if earliest:
        engine = Engine(frame, frame.policies, scenario)
        engine.run(wanted)
        points_now = engine.points_now
    else:
        decided = CompiledRules(frame, wanted, scenario).run()
        points_now = decided.points
    frame.clocks.clear()  # the inputs are no longer needed: free them before building the result
    frame.statics.clear()
    for service in wanted:
        if engine is not None:
            start = np.asarray(engine.services.pop(service).start, dtype=np.int32)
            eligible = start <= frame.on
        else:
            assert decided is not None
            eligible = decided.eligible.pop(service)
            start = np.where(eligible, np.int32(frame.on), NEVER).astype(np.int32)
        columns.extend(_decision_columns(service, eligible, pl.Series(start)))
        del start, eligible
    every_scheme = {name for j in frame.policies.jurisdictions.values() for name in j.schemes}
    for scheme in sorted(every_scheme):
        points = points_now.pop(scheme, None)
        column = pl.Series(f"points_{scheme}", points if points is not None else np.full(frame.n, np.nan))
        columns.append(column.fill_nan(None))
    return pl.DataFrame(columns)


def _decision_columns(service: Service, eligible: np.ndarray, start: pl.Series) -> list[pl.Series]:
    """eligible_<service> and earliest_<service> (the start day as a date; null when it is NEVER)."""
    earliest = start.to_frame().select(pl.when(start < int(NEVER)).then(start.cast(pl.Date))).to_series()
    return [pl.Series(f"eligible_{service.value}", eligible), earliest.alias(f"earliest_{service.value}")]
