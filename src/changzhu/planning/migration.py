"""Migration between regions (人口迁移): the gravity model of changzhu.geography on one level's census rows.

The census gives each destination's residents with hukou in another province (its in-migrants), not where they
come from; changzhu.geography splits them by origin with the one gravity model (an ESTIMATE), fitted to the
census's out-migrants of the provinces whose figure ships (Census2020.out_migrants). Column sums of the stock
reproduce every destination's in-migrants exactly; row sums are the out-migrants (summed by province, the census's
figure where one ships).
"""

from __future__ import annotations

import numpy as np
import polars as pl

from changzhu.data.census import Census2020, census_2020
from changzhu.domain import population as pop
from changzhu.domain.estimates import GRAVITY, labelled
from changzhu.geography import GravityModel, population_bases
from changzhu.planning.population import census_table


def flow_matrix(
    level: str = "province", *, model: GravityModel | None = None, census: Census2020 | None = None
) -> tuple[pl.DataFrame, np.ndarray]:
    """The regions' population bases and the estimated migrant stock T[origin i, destination j]."""
    census = census or census_2020()
    bases, flows = population_bases(census_table(level, census), model, census.out_migrants)
    return bases, flows.T


def migration_balance(
    level: str = "province", *, model: GravityModel | None = None, census: Census2020 | None = None
) -> pl.DataFrame:
    """Per region: the population bases with in-migrants (census), out-migrants and net (estimates, labelled)."""
    bases, _ = flow_matrix(level, model=model, census=census)
    balance = bases.with_columns((pl.col(pop.IN_MIGRANTS) - pl.col(pop.OUT_MIGRANTS_EST)).alias("net_migrants_est"))
    return labelled(balance, GRAVITY)
