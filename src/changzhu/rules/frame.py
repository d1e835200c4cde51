"""The person table as numpy arrays for the engine: clocks (growing month counts) and static variables."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import polars as pl

from changzhu.domain.person import EDUCATION_LEVELS, HOUSING_TENURES, SEXES, TITLE_LEVELS
from changzhu.rules.catalog import PolicySet, RegionLookup
from changzhu.rules.dates import NEVER, civil, from_civil, month_length, to_days
from changzhu.rules.variables import CITY_SIZE_ORDER


@dataclass
class Clock:
    """A month count: `before` until day `base`, then const + (whole months since base if it grows)."""

    base: np.ndarray
    const: np.ndarray
    grows: np.ndarray
    before: np.ndarray
    _civil: tuple[np.ndarray, np.ndarray] | None = None

    def civil_base(self) -> tuple[np.ndarray, np.ndarray]:
        """(year*12 + month-1, day of month - 1) of the base dates, computed once."""
        if self._civil is None:
            self._civil = civil(np.where(self.base < NEVER, self.base, 0))
        return self._civil

    def take(self, rows: np.ndarray) -> Clock:
        ym, day0 = self.civil_base()
        return Clock(self.base[rows], self.const[rows], self.grows[rows], self.before[rows], (ym[rows], day0[rows]))

    def at(self, days: np.ndarray | int) -> np.ndarray:
        """Value on each day (a scalar day or one per row)."""
        d = np.asarray(days, dtype=np.int64)
        started = (self.base < NEVER) & (d >= self.base)
        bym, bday = self.civil_base()
        eym, eday = civil(d)
        months = eym - bym - (np.minimum(bday, month_length(eym) - 1) > eday)
        grown = np.where(self.grows & started, months, 0)
        return np.where(started, self.const + grown, self.before)

    def reach(self, threshold: float | np.ndarray, on: int) -> np.ndarray:
        """First day (>= on) the value is at least `threshold`; NEVER if it never gets there."""
        need = np.ceil(threshold - self.const).astype(np.int64)
        valid = self.base < NEVER
        bym, bday = self.civil_base()
        target = bym + np.maximum(need, 0)
        later = from_civil(target, np.minimum(bday, month_length(target) - 1))
        out = np.where(valid & ((need <= 0) | self.grows), later, NEVER)
        out = np.where(out < NEVER, np.maximum(out, on), out)
        return np.where(self.before >= threshold, on, out)


@dataclass
class Frame:
    """Arrays for every person: clocks, static variables (bool, category codes, numbers), links."""

    n: int
    on: int
    on_date: date
    person_id: np.ndarray
    clocks: dict[str, Clock]
    statics: dict[str, np.ndarray]
    region_idx: np.ndarray
    parent_idx: np.ndarray
    recognition: dict[str, np.ndarray]  # coefficient and agreement index per row, for explanations


def _codes(series: pl.Series, categories: list[str]) -> np.ndarray:
    return series.cast(pl.Enum(categories)).to_physical().to_numpy().astype(np.int8)


def _days(series: pl.Series) -> np.ndarray:
    return series.to_physical().fill_null(int(NEVER)).to_numpy().astype(np.int64)


def _region_idx(series: pl.Series, regions: RegionLookup) -> np.ndarray:
    ints = series.cast(pl.Int32, strict=False).fill_null(0).to_numpy()
    return np.where(ints > 0, regions.lut[ints], -1).astype(np.int32)


def build_frame(people: pl.DataFrame, on: date, policies: PolicySet, regions: RegionLookup) -> Frame:
    """Arrays from a validated person table (see changzhu.domain.person.validate_person_table)."""
    n = people.height
    on_days = to_days(on)
    zeros = np.zeros(n, dtype=np.int64)
    true = np.ones(n, dtype=bool)
    minus_one = np.full(n, -1, dtype=np.int64)
    on_arr = np.full(n, on_days, dtype=np.int64)
    employed = people["employed"].to_numpy().astype(bool)

    def count_clock(col: str, grows: np.ndarray, extra: np.ndarray | None = None) -> Clock:
        const = people[col].to_numpy().astype(np.int64)
        return Clock(on_arr, const + (extra if extra is not None else 0), grows, minus_one)

    res_idx = _region_idx(people["residence_region"], regions)
    hukou_idx = _region_idx(people["hukou_region"], regions)
    prior_idx = _region_idx(people["prior_region"], regions)
    coef, agreement = recognition_coefficients(res_idx, prior_idx, on, policies, regions)
    recognises = [(a.recognises, i) for i, a in enumerate(policies.agreements)]
    res_ok = np.isin(agreement, [i for r, i in recognises if "residence" in r])
    si_ok = np.isin(agreement, [i for r, i in recognises if "social_insurance" in r])
    prior_res = np.floor(np.where(res_ok, coef, 0.0) * people["prior_residence_months"].to_numpy()).astype(np.int64)
    prior_si = np.floor(np.where(si_ok, coef, 0.0) * people["prior_si_months"].to_numpy()).astype(np.int64)
    residence_since = _days(people["residence_since"])
    clocks = {
        "age": Clock(_days(people["birth_date"]), zeros, true, minus_one),
        "residence": Clock(residence_since, zeros, true, minus_one),
        "residence_recognised": Clock(residence_since, prior_res, true, minus_one),
        "si_local": count_clock("si_months_local", employed),
        "si_total": count_clock("si_months_total", employed),
        "si_recognised": count_clock("si_months_local", employed, prior_si),
        "medical_local": count_clock("medical_months_local", employed),
    }
    permit_since = _days(people["residence_permit_since"])
    # Until the residence_permit service is evaluated, only permits already held are known.
    clocks["permit"] = Clock(permit_since, zeros, true, minus_one)
    size = np.where(res_idx >= 0, regions.size_class[np.maximum(res_idx, 0)], -1).astype(np.int8)
    parent_idx = _parent_index(people)
    has_parent = parent_idx >= 0
    parent_same = has_parent & (res_idx[np.maximum(parent_idx, 0)] == res_idx)
    ratio = people["si_base_ratio"].to_numpy().astype(np.float64)
    statics = {
        "hukou_local": hukou_idx == res_idx,
        "hukou_other_province": regions.province[res_idx] != regions.province[hukou_idx],
        "employed": employed,
        "criminal_record": people["criminal_record"].to_numpy().astype(bool),
        "parent_same_region": parent_same,
        "sex": _codes(people["sex"], SEXES),
        "education": _codes(people["education"], EDUCATION_LEVELS),
        "housing": _codes(people["housing"], HOUSING_TENURES),
        "professional_title": _codes(people["professional_title"], TITLE_LEVELS),
        "city_size_class": size,
        "income_per_capita_month": people["income_per_capita_month"].to_numpy().astype(np.float64),
        "admin_detentions": people["admin_detentions"].to_numpy().astype(np.float64),
        "si_base_ratio": ratio,
    }
    return Frame(
        n,
        on_days,
        on,
        people["person_id"].to_numpy(),
        clocks,
        statics,
        res_idx,
        parent_idx,
        {"coefficient": coef, "agreement": agreement, "prior_residence": prior_res, "prior_si": prior_si},
    )


def _parent_index(people: pl.DataFrame) -> np.ndarray:
    """Row of each person's parent in the table, -1 when there is none."""
    parent = people["parent_id"]
    if parent.null_count() == people.height:
        return np.full(people.height, -1, dtype=np.int64)
    ids = people["person_id"].to_numpy()
    order = np.argsort(ids, kind="stable")
    sorted_ids = ids[order]
    wanted = parent.fill_null(-(2**62)).to_numpy()
    pos = np.clip(np.searchsorted(sorted_ids, wanted), 0, len(ids) - 1)
    found = sorted_ids[pos] == wanted
    return np.where(found, order[pos], -1).astype(np.int64)


def recognition_coefficients(
    res_idx: np.ndarray, prior_idx: np.ndarray, on: date, policies: PolicySet, regions: RegionLookup
) -> tuple[np.ndarray, np.ndarray]:
    """Per row: the coefficient applied to prior months (0 without an agreement) and the agreement's index."""
    coef = np.zeros(res_idx.shape, dtype=np.float64)
    which = np.full(res_idx.shape, -1, dtype=np.int8)
    has_prior = (prior_idx >= 0) & (res_idx >= 0) & (prior_idx != res_idx)
    if not has_prior.any():
        return coef, which
    size = regions.size_class
    n_sizes = int(size.max()) + 1
    for a_index, agreement in enumerate(policies.agreements):
        if agreement.since > on:
            continue
        member = np.array([agreement.agglomeration in aggs for aggs in regions.agglomerations], dtype=bool)
        matrix = np.zeros((n_sizes, n_sizes), dtype=np.float64)
        for (prior_class, current_class), value in agreement.coefficients.items():
            matrix[CITY_SIZE_ORDER.index(prior_class), CITY_SIZE_ORDER.index(current_class)] = value
        rows = has_prior & (which < 0)
        rows &= member[np.maximum(res_idx, 0)] & member[np.maximum(prior_idx, 0)]
        if rows.any():
            ps = size[prior_idx[rows]]
            cs = size[res_idx[rows]]
            coef[rows] = np.where((ps >= 0) & (cs >= 0), matrix[ps, cs], 0.0)
            which[rows] = a_index
    return coef, which
