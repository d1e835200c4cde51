"""Per-person attributes drawn inside a fitted cell: exact age, residence years, insurance, education, income.

Every distribution here is an assumption of the model (the census tables carry only the cell totals);
each constant says where its level comes from. They can be changed without touching the IPF fit.
"""

from __future__ import annotations

import numpy as np

from changzhu.domain.person import EDUCATION_LEVELS, HOUSING_TENURES
from changzhu.simulation.ipf import BoolArray, FloatArray, IntArray
from changzhu.simulation.marginals import AGE_BANDS, OTHER_COUNTY, OTHER_PROVINCE

DAYS_PER_YEAR = 365.25
OLD_AGE_MEAN_EXCESS = 9.0  # mean years above 65 among the 65+, roughly the 2020 life table's remaining years
MIGRANT_YEARS_HERE_MEAN = 5.0  # mean years at the current residence of people living away from hukou (assumed)
# Yearly per-capita disposable income 2020, NBS statistical communiqué: urban 43,834, rural 17,131 yuan.
INCOME_MEAN_MONTH = (43_834 / 12, 17_131 / 12)
INCOME_SIGMA = 0.7  # log-normal spread (assumed)
INCOME_BANDS = ("<1000", "1000-2000", "2000-4000", "4000-8000", "8000+")
INCOME_BAND_EDGES = np.array([1000.0, 2000.0, 4000.0, 8000.0])
# Probability of legal stable employment at working age, by hukou status (rows) and urban/rural (cols).
EMPLOYED = np.array([[0.70, 0.60], [0.72, 0.62], [0.85, 0.75], [0.85, 0.75]])
# Probability that an employed person pays employee social insurance (职工社保), same layout.
INSURED = np.array([[0.75, 0.25], [0.65, 0.25], [0.55, 0.30], [0.55, 0.30]])
RESIDENT_MEDICAL_LOCAL = 0.95  # hukou-local residents in basic medical insurance (NHSA: about 95% coverage)
MIGRANT_RESIDENT_MEDICAL_LOCAL = 0.30  # uninsured-by-employer migrants enrolled where they live (assumed)
RESIDENCE_PERMIT = 0.60  # adult migrants holding a 居住证 (assumed)
PRIOR_CITY = 0.25  # migrants who lived in another city before the current one (assumed)
CRIMINAL_RECORD = 0.005  # adults (assumed)
# Highest education completed by adults 25+, shares in EDUCATION_LEVELS order, urban and rural rows; the
# levels are scaled to the 2020 census attainment (communiqué No. 6: 15.5% of residents have college level).
ADULT_EDUCATION = np.array(
    [
        [0.02, 0.14, 0.32, 0.20, 0.14, 0.15, 0.025, 0.005],
        [0.05, 0.35, 0.45, 0.10, 0.03, 0.02, 0.0, 0.0],
    ]
)
# Housing tenure shares (HOUSING_TENURES order), by hukou status and urban/rural (assumed).
HOUSING = {
    (False, 0): [0.85, 0.12, 0.03, 0.0, 0.0],
    (False, 1): [0.97, 0.03, 0.0, 0.0, 0.0],
    (True, 0): [0.25, 0.60, 0.03, 0.12, 0.0],
    (True, 1): [0.40, 0.50, 0.0, 0.10, 0.0],
}


def age_years(band: IntArray, rng: np.random.Generator) -> FloatArray:
    """Exact age in years: uniform inside a band; the 65+ band decays exponentially and stops at 100."""
    lows = np.array([lo for lo, _ in AGE_BANDS], dtype=np.float64)
    highs = np.array([hi for _, hi in AGE_BANDS], dtype=np.float64) + 1.0
    u = rng.random(band.size)
    ages = lows[band] + u * (highs[band] - lows[band])
    old = band == len(AGE_BANDS) - 1
    ages[old] = np.minimum(65.0 + rng.exponential(OLD_AGE_MEAN_EXCESS, int(old.sum())), 100.99)
    return ages


def is_migrant(status: IntArray) -> BoolArray:
    """Whether the hukou is in another county (the prefecture-level rules treat them as non-local)."""
    return (status == OTHER_COUNTY) | (status == OTHER_PROVINCE)


def years_here(age: FloatArray, status: IntArray, rng: np.random.Generator) -> FloatArray:
    """Years at the current residence: since birth for hukou-locals, exponential for migrants, never above age."""
    migrant = is_migrant(status)
    years = age.copy()
    drawn = rng.exponential(MIGRANT_YEARS_HERE_MEAN, int(migrant.sum()))
    years[migrant] = np.minimum(drawn, age[migrant])
    return years


def employment(
    age: FloatArray, male: BoolArray, status: IntArray, urban: IntArray, rng: np.random.Generator
) -> tuple[BoolArray, BoolArray]:
    """(employed, insured) flags: working age 16 to 59 (men) / 54 (women), then by status and urban/rural."""
    working = (age >= 16) & (age < np.where(male, 60, 55))
    employed = working & (rng.random(age.size) < EMPLOYED[status, urban])
    insured = employed & (rng.random(age.size) < INSURED[status, urban])
    return employed, insured


def insurance_months(
    age: FloatArray, months_here: IntArray, status: IntArray, insured: BoolArray, rng: np.random.Generator
) -> tuple[IntArray, IntArray, IntArray]:
    """(si_months_total, si_months_local, medical_months_local)."""
    career_months = np.maximum(age - 20.0, 0.0) * 12.0
    total = np.where(insured, np.floor(career_months * rng.uniform(0.4, 1.0, age.size)), 0).astype(np.int64)
    migrant = is_migrant(status)
    local_share = rng.uniform(0.5, 1.0, age.size)
    si_local = np.where(migrant, np.minimum(total, np.floor(months_here * local_share)), total).astype(np.int64)
    si_local = np.minimum(si_local, total)
    resident_cover = np.where(migrant, MIGRANT_RESIDENT_MEDICAL_LOCAL, RESIDENT_MEDICAL_LOCAL)
    covered = rng.random(age.size) < resident_cover
    medical = np.where(insured, np.maximum(si_local, 0), np.where(covered, months_here, 0)).astype(np.int64)
    return total, si_local, medical


def education(age: FloatArray, urban: IntArray, rng: np.random.Generator) -> IntArray:
    """Index into EDUCATION_LEVELS: by school stage for the young, drawn from ADULT_EDUCATION from 25."""
    cdf = np.cumsum(ADULT_EDUCATION, axis=1)
    u = rng.random(age.size)
    adult = np.where(urban == 0, np.searchsorted(cdf[0], u, side="right"), np.searchsorted(cdf[1], u, side="right"))
    adult = np.minimum(adult, len(EDUCATION_LEVELS) - 1)
    by_age = np.select(
        [age < 12, age < 15, age < 18, age < 22, age < 25],
        [0, 1, 2, np.minimum(adult, 3), np.minimum(adult, 5)],
        default=adult,
    )
    return by_age.astype(np.int64)


def income(urban: IntArray, rng: np.random.Generator) -> FloatArray:
    """Household income per head per month (yuan): log-normal with the 2020 urban / rural means."""
    mean = np.where(urban == 0, INCOME_MEAN_MONTH[0], INCOME_MEAN_MONTH[1])
    mu = np.log(mean) - INCOME_SIGMA**2 / 2
    values = np.exp(mu + INCOME_SIGMA * rng.standard_normal(urban.size)).astype(np.float64)
    return np.asarray(np.round(values, 2), dtype=np.float64)


def income_band(values: FloatArray) -> IntArray:
    """Index into INCOME_BANDS."""
    return np.searchsorted(INCOME_BAND_EDGES, values, side="right").astype(np.int64)


def housing(status: IntArray, urban: IntArray, rng: np.random.Generator) -> IntArray:
    """Index into HOUSING_TENURES."""
    out = np.zeros(status.size, dtype=np.int64)
    migrant = is_migrant(status)
    u = rng.random(status.size)
    for (mig, urb), shares in HOUSING.items():
        sel = (migrant == mig) & (urban == urb)
        cdf = np.cumsum(shares)
        out[sel] = np.minimum(np.searchsorted(cdf, u[sel] * cdf[-1], side="right"), len(HOUSING_TENURES) - 1)
    return out


# Vocational qualification / professional title among the employed (TITLE_LEVELS order), by whether the
# person has college education or more (assumed shares).
TITLE_SHARES = (
    [0.70, 0.10, 0.10, 0.05, 0.04, 0.01],  # below college
    [0.40, 0.02, 0.05, 0.20, 0.25, 0.08],  # college or more
)
ADMIN_DETENTION_RATE = 0.002  # detentions per adult in 5 years (assumed)
SI_BASE_SIGMA = 0.4  # spread of the contribution base around the city average wage (assumed)


def professional_title(employed: BoolArray, education_index: IntArray, rng: np.random.Generator) -> IntArray:
    """Index into TITLE_LEVELS: 0 ('none') for people not employed."""
    college = education_index >= EDUCATION_LEVELS.index("vocational_college")
    u = rng.random(employed.size)
    out = np.zeros(employed.size, dtype=np.int64)
    for flag, shares in ((False, TITLE_SHARES[0]), (True, TITLE_SHARES[1])):
        sel = employed & (college == flag)
        out[sel] = np.minimum(np.searchsorted(np.cumsum(shares), u[sel], side="right"), len(shares) - 1)
    return out


def admin_detentions(age: FloatArray, rng: np.random.Generator) -> IntArray:
    """Administrative detentions in the last five years (adults only)."""
    return np.where(age >= 18, rng.poisson(ADMIN_DETENTION_RATE, age.size), 0).astype(np.int64)


def si_base_ratio(insured: BoolArray, rng: np.random.Generator) -> FloatArray:
    """Contribution base over the city's average wage for the insured (NaN, i.e. unknown, for others)."""
    ratio = np.round(np.exp(SI_BASE_SIGMA * rng.standard_normal(insured.size) - SI_BASE_SIGMA**2 / 2), 3)
    return np.where(insured, ratio, np.nan)
