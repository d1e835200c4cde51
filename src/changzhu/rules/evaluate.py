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
from changzhu.rules.frame import build_frame
from changzhu.rules.scenario import Scenario


def prepare(
    people: pl.DataFrame, on: date, scenario: Scenario | None, policies: PolicySet | None, *, trace: bool = False
) -> Engine:
    """Validate the table (all or nothing), check the scenario, and build the engine's arrays."""
    policies = policies or shipped_policies()
    regions = region_lookup()
    typed = validate_person_table(people, as_of=on, known_regions=set(regions.codes))
    if scenario is not None:
        scenario.check(policies.parameter_units())
    frame = build_frame(typed, on, policies, regions)
    return Engine(frame, policies, scenario, trace=trace)


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
    does not apply (every shipped scheme has a column). earliest=False skips the earliest dates (then null
    unless eligible now). Raises PersonTableError (rows and columns named) on bad input; nothing is evaluated.
    """
    wanted = list(services) if services is not None else list(Service)
    engine = prepare(people, on, scenario, policies)
    engine.earliest = earliest
    engine.run(wanted)
    n, on_day = engine.frame.n, engine.frame.on
    columns: list[pl.Series] = [pl.Series("person_id", engine.frame.person_id)]
    engine.frame.clocks.clear()  # the inputs are no longer needed: free them before building the result
    engine.frame.statics.clear()
    for service in wanted:
        start = np.asarray(engine.services.pop(service).start, dtype=np.int32)
        columns.append(pl.Series(f"eligible_{service.value}", start <= on_day))
        earliest_day = pl.Series(f"earliest_{service.value}", start)
        columns.append(
            earliest_day.to_frame()
            .select(pl.when(earliest_day < int(NEVER)).then(earliest_day.cast(pl.Date)))
            .to_series()
        )
        del start, earliest_day
    every_scheme = {name for j in engine.policies.jurisdictions.values() for name in j.schemes}
    for scheme in sorted(every_scheme):
        points = engine.points_now.pop(scheme, None)
        column = pl.Series(f"points_{scheme}", points if points is not None else np.full(n, np.nan))
        columns.append(column.fill_nan(None))
    return pl.DataFrame(columns)
