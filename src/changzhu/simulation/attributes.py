"""Per-person attributes drawn inside a fitted cell: exact age, residence years, insurance, education, income,
hukou type.

Every distribution here is an assumption of the model (the census tables carry only the cell totals). Every level
and share is a dated, sourced parameter of the tree (`simulation.*`), read by
`changzhu.simulation.attribute_parameters` and passed in, so a scenario can change them without touching the fit.
"""

from __future__ import annotations

import numpy as np

from changzhu.domain.person import EDUCATION_LEVELS, HOUSING_TENURES
from changzhu.simulation.attribute_parameters import AttributeParameters
from changzhu.simulation.errors import SimulationError
from changzhu.simulation.ipf import BoolArray, FloatArray, IntArray
from changzhu.simulation.marginals import AGE_BANDS, OTHER_COUNTY, OTHER_PROVINCE

DAYS_PER_YEAR = 365.25
INCOME_BANDS = ("<1000", "1000-2000", "2000-4000", "4000-8000", "8000+")
INCOME_BAND_EDGES = np.array([1000.0, 2000.0, 4000.0, 8000.0])
HUKOU_TYPES = ("non_agricultural", "agricultural")  # 非农业 / 农业: the urban or rural hukou of 户籍人口城镇化率


def age_years(band: IntArray, rng: np.random.Generator, p: AttributeParameters) -> FloatArray:
    """Exact age in years: uniform inside a band; the 65+ band decays exponentially and stops at 100."""
    lows = np.array([lo for lo, _ in AGE_BANDS], dtype=np.float64)
    highs = np.array([hi for _, hi in AGE_BANDS], dtype=np.float64) + 1.0
    u = rng.random(band.size)
    ages = lows[band] + u * (highs[band] - lows[band])
    old = band == len(AGE_BANDS) - 1
    ages[old] = np.minimum(65.0 + rng.exponential(p.old_age_mean_excess, int(old.sum())), 100.99)
    return ages


def is_migrant(status: IntArray) -> BoolArray:
    """Whether the hukou is in another county (the prefecture-level rules treat them as non-local)."""
    return (status == OTHER_COUNTY) | (status == OTHER_PROVINCE)


def years_here(age: FloatArray, status: IntArray, rng: np.random.Generator, p: AttributeParameters) -> FloatArray:
    """Years at the current residence: since birth for hukou-locals, exponential for migrants, never above age."""
    migrant = is_migrant(status)
    years = age.copy()
    drawn = rng.exponential(p.migrant_years_here_mean, int(migrant.sum()))
    years[migrant] = np.minimum(drawn, age[migrant])
    return years


def employment(
    age: FloatArray,
    male: BoolArray,
    status: IntArray,
    urban: IntArray,
    rng: np.random.Generator,
    p: AttributeParameters,
) -> tuple[BoolArray, BoolArray]:
    """(employed, insured) flags: working age 16 to 59 (men) / 54 (women), then by status and urban/rural."""
    working = (age >= 16) & (age < np.where(male, 60, 55))
    employed = working & (rng.random(age.size) < p.employed[status, urban])
    insured = employed & (rng.random(age.size) < p.insured[status, urban])
    return employed, insured


def insurance_months(
    age: FloatArray,
    months_here: IntArray,
    status: IntArray,
    insured: BoolArray,
    rng: np.random.Generator,
    p: AttributeParameters,
) -> tuple[IntArray, IntArray, IntArray]:
    """(si_months_total, si_months_local, medical_months_local)."""
    career_months = np.maximum(age - 20.0, 0.0) * 12.0
    total = np.where(insured, np.floor(career_months * rng.uniform(0.4, 1.0, age.size)), 0).astype(np.int64)
    migrant = is_migrant(status)
    local_share = rng.uniform(0.5, 1.0, age.size)
    si_local = np.where(migrant, np.minimum(total, np.floor(months_here * local_share)), total).astype(np.int64)
    si_local = np.minimum(si_local, total)
    resident_cover = np.where(migrant, p.migrant_resident_medical_local, p.resident_medical_local)
    covered = rng.random(age.size) < resident_cover
    medical = np.where(insured, np.maximum(si_local, 0), np.where(covered, months_here, 0)).astype(np.int64)
    return total, si_local, medical


def education(age: FloatArray, urban: IntArray, rng: np.random.Generator, p: AttributeParameters) -> IntArray:
    """Index into EDUCATION_LEVELS: by school stage for the young, drawn from the adult shares from 25."""
    cdf = np.cumsum(p.adult_education, axis=1)
    u = rng.random(age.size)
    adult = np.where(urban == 0, np.searchsorted(cdf[0], u, side="right"), np.searchsorted(cdf[1], u, side="right"))
    adult = np.minimum(adult, len(EDUCATION_LEVELS) - 1)
    by_age = np.select(
        [age < 12, age < 15, age < 18, age < 22, age < 25],
        [0, 1, 2, np.minimum(adult, 3), np.minimum(adult, 5)],
        default=adult,
    )
    return by_age.astype(np.int64)


def income(urban: IntArray, rng: np.random.Generator, p: AttributeParameters) -> FloatArray:
    """Household income per head per month (yuan), from the area's Dagum distribution (a normal draw per person
    mapped through its quantile function)."""
    from scipy.special import ndtr  # SciPy when people are drawn, not by every importer of the simulation

    u = ndtr(rng.standard_normal(urban.size))
    values = np.where(urban == 0, p.income_model[0].quantile(u), p.income_model[1].quantile(u))
    return np.asarray(np.round(values, 2), dtype=np.float64)


def income_band(values: FloatArray) -> IntArray:
    """Index into INCOME_BANDS."""
    return np.searchsorted(INCOME_BAND_EDGES, values, side="right").astype(np.int64)


def housing(status: IntArray, urban: IntArray, rng: np.random.Generator, p: AttributeParameters) -> IntArray:
    """Index into HOUSING_TENURES."""
    out = np.zeros(status.size, dtype=np.int64)
    migrant = is_migrant(status)
    u = rng.random(status.size)
    for mig in (False, True):
        for urb in (0, 1):
            sel = (migrant == mig) & (urban == urb)
            cdf = np.cumsum(p.housing[int(mig), urb])
            out[sel] = np.minimum(np.searchsorted(cdf, u[sel] * cdf[-1], side="right"), len(HOUSING_TENURES) - 1)
    return out


def professional_title(
    employed: BoolArray, education_index: IntArray, rng: np.random.Generator, p: AttributeParameters
) -> IntArray:
    """Index into TITLE_LEVELS: 0 ('none') for people not employed."""
    college = education_index >= EDUCATION_LEVELS.index("vocational_college")
    u = rng.random(employed.size)
    out = np.zeros(employed.size, dtype=np.int64)
    for flag in (False, True):
        shares = p.title[int(flag)]
        sel = employed & (college == flag)
        out[sel] = np.minimum(np.searchsorted(np.cumsum(shares), u[sel], side="right"), len(shares) - 1)
    return out


def admin_detentions(age: FloatArray, rng: np.random.Generator, p: AttributeParameters) -> IntArray:
    """Administrative detentions in the last five years (adults only)."""
    return np.where(age >= 18, rng.poisson(p.admin_detention_rate, age.size), 0).astype(np.int64)


def si_base_ratio(insured: BoolArray, rng: np.random.Generator, p: AttributeParameters) -> FloatArray:
    """Contribution base over the city's average wage for the insured (NaN, i.e. unknown, for others)."""
    sigma = p.si_base_sigma
    ratio = np.round(np.exp(sigma * rng.standard_normal(insured.size) - sigma**2 / 2), 3)
    return np.where(insured, ratio, np.nan)


def non_agricultural_shares(residents: FloatArray, p: AttributeParameters) -> FloatArray:
    """P(non-agricultural hukou) by urban/rural (rows) and local/migrant (columns).

    `residents` holds the country's residents in the same layout. Rural residents and urban migrants take the
    assumed shares; the urban hukou-locals' share is solved so that the country reproduces 户籍人口城镇化率.
    """
    target = p.non_agricultural_2020 * float(residents.sum())
    assumed = p.rural_non_agricultural * float(residents[1].sum()) + p.urban_migrant_non_agricultural * float(
        residents[0, 1]
    )
    local = (target - assumed) / float(residents[0, 0])
    if not 0.0 <= local <= 1.0:
        raise SimulationError(f"no share of urban hukou-locals reproduces the national {p.non_agricultural_2020:.3f}")
    return np.array([[local, p.urban_migrant_non_agricultural], [p.rural_non_agricultural] * 2])


def hukou_type(status: IntArray, urban: IntArray, shares: FloatArray, rng: np.random.Generator) -> IntArray:
    """Index into HUKOU_TYPES (0 non-agricultural, 1 agricultural)."""
    non_agricultural = rng.random(status.size) < shares[urban, is_migrant(status).astype(np.int64)]
    return np.where(non_agricultural, 0, 1).astype(np.int64)
