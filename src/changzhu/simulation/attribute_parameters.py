"""The parameters of the per-person attribute draws, read from the tree (`simulation.*`), with a scenario's overrides.

Scalars (income levels, take-up, rates) and share tables (employment, insurance, education, housing, titles,
hukou type), each cell its own dated, sourced parameter (`simulation.share.*`, `simulation.hukou_type.*`), as in
force on the census date. A row of shares must sum to one: a scenario that raises one share lowers another.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache

import numpy as np

from changzhu.domain.person import EDUCATION_LEVELS, HOUSING_TENURES, TITLE_LEVELS
from changzhu.domain.refusals import RefusalCode, refusal
from changzhu.parameters import ParameterError, Scenario, parameter_tree
from changzhu.simulation.errors import SimulationError, because_of
from changzhu.simulation.income import Dagum, fit_dagum
from changzhu.simulation.ipf import FloatArray
from changzhu.simulation.marginals import HUKOU_STATUSES

CENSUS_DATE = date(2020, 11, 1)  # the population is drawn with the parameters in force on this date
AREAS = ("urban", "rural")  # the cell layout's urban/rural order (0 urban, 1 rural)
MIGRANCY = ("local", "migrant")
COLLEGE = ("below_college", "college")
SUM_TOLERANCE = 1e-9
QUINTILES = ("bottom", "lower_middle", "middle", "upper_middle", "top")  # the NBS 五等份 groups, poorest first


@dataclass(frozen=True, eq=False)
class AttributeParameters:
    """Every number the attribute draws use (shares as arrays in the orders of the domain's category lists)."""

    old_age_mean_excess: float
    migrant_years_here_mean: float
    income_model: tuple[Dagum, Dagum]  # urban, rural; yuan per head per month
    employed: FloatArray  # hukou status × urban/rural
    insured: FloatArray  # hukou status × urban/rural
    resident_medical_local: float
    migrant_resident_medical_local: float
    residence_permit: float
    residence_permit_min_age: float
    prior_city: float
    criminal_record: float
    criminal_record_min_age: float
    adult_education: FloatArray  # urban/rural × EDUCATION_LEVELS
    housing: FloatArray  # local/migrant × urban/rural × HOUSING_TENURES
    title: FloatArray  # below college / college × TITLE_LEVELS
    admin_detention_rate: float
    si_base_sigma: float
    non_agricultural_2020: float
    rural_non_agricultural: float
    urban_migrant_non_agricultural: float


class _Reader:
    """Numbers of the tree on the census date, under a scenario; errors name the key."""

    def __init__(self, scenario: Scenario | None) -> None:
        self.tree = parameter_tree()
        self.scenario = scenario

    def number(self, key: str) -> float:
        try:
            return float(self.tree.value(key, CENSUS_DATE, scenario=self.scenario).value)
        except ParameterError as exc:
            raise SimulationError(because_of(RefusalCode.SIMULATION_POPULATION_PARAMETER, exc)) from exc

    def shares(self, prefix: str, names: tuple[str, ...] | list[str]) -> FloatArray:
        """One row of shares (`prefix.<name>` for each name), which must sum to one."""
        row = np.array([self.number(f"{prefix}.{name}") for name in names], dtype=np.float64)
        if abs(float(row.sum()) - 1.0) > SUM_TOLERANCE:
            raise SimulationError(refusal(RefusalCode.SIMULATION_SHARES_SUM, prefix=prefix, total=f"{row.sum():.6f}"))
        return row

    def grid(self, prefix: str, rows: tuple[str, ...], cols: tuple[str, ...]) -> FloatArray:
        """A table of probabilities (`prefix.<row>.<col>`), each in [0, 1]."""
        return np.array([[self.number(f"{prefix}.{r}.{c}") for c in cols] for r in rows], dtype=np.float64)


@cache
def attribute_parameters(scenario: Scenario | None = None) -> AttributeParameters:
    """The attribute parameters in force on the census date (a scenario may override any of them)."""
    read = _Reader(scenario)
    income = tuple(
        fit_dagum(
            tuple(read.number(f"simulation.income.{area}_{q}_quintile_yuan_year") / 12 for q in QUINTILES),
            read.number(f"simulation.income.{area}_mean_yuan_year") / 12,
        )
        for area in AREAS
    )
    return AttributeParameters(
        old_age_mean_excess=read.number("simulation.assumption.old_age_mean_excess"),
        migrant_years_here_mean=read.number("simulation.assumption.migrant_years_here_mean"),
        income_model=(income[0], income[1]),
        employed=read.grid("simulation.share.employed", HUKOU_STATUSES, AREAS),
        insured=read.grid("simulation.share.insured", HUKOU_STATUSES, AREAS),
        resident_medical_local=read.number("simulation.takeup.resident_medical_local"),
        migrant_resident_medical_local=read.number("simulation.takeup.migrant_resident_medical_local"),
        residence_permit=read.number("simulation.takeup.residence_permit"),
        residence_permit_min_age=read.number("simulation.assumption.residence_permit_min_age"),
        prior_city=read.number("simulation.assumption.prior_city"),
        criminal_record=read.number("simulation.assumption.criminal_record"),
        criminal_record_min_age=read.number("simulation.assumption.criminal_record_min_age"),
        adult_education=np.array(
            [read.shares(f"simulation.share.adult_education.{a}", EDUCATION_LEVELS) for a in AREAS]
        ),
        housing=np.array(
            [[read.shares(f"simulation.share.housing.{m}.{a}", HOUSING_TENURES) for a in AREAS] for m in MIGRANCY]
        ),
        title=np.array([read.shares(f"simulation.share.title.{c}", TITLE_LEVELS) for c in COLLEGE]),
        admin_detention_rate=read.number("simulation.assumption.admin_detention_rate"),
        si_base_sigma=read.number("simulation.assumption.si_base_sigma"),
        non_agricultural_2020=read.number("simulation.hukou_type.non_agricultural_2020"),
        rural_non_agricultural=read.number("simulation.hukou_type.rural_resident_non_agricultural"),
        urban_migrant_non_agricultural=read.number("simulation.hukou_type.urban_migrant_non_agricultural"),
    )
