"""Which county (区县) of its prefecture a synthetic resident lives in, drawn from the 2020 census county totals.

The IPF fit is by prefecture; each resident is then placed in one of the prefecture's county-level units with
probability proportional to the county's urban (or rural) resident population in the 2020 census, so county
totals of urban and rural residents are reproduced in expectation. The county mix of hukou status and age is
not fitted (the county file has no cross-tables): within a prefecture, migrants and locals of the same
urban/rural cell are spread over counties alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np
import polars as pl

from changzhu.data.census import census_2020
from changzhu.simulation.ipf import FloatArray, IntArray


@dataclass(frozen=True, eq=False)
class CountyModel:
    """County codes, and for each prefecture its counties (indices) with the urban and rural cumulative shares."""

    codes: tuple[str, ...]
    members: tuple[IntArray, ...]  # per prefecture, indices into `codes`
    cdf: tuple[FloatArray, ...]  # per prefecture, 2 × members: urban row, rural row

    def draw(self, city: int, urban: IntArray, u: FloatArray) -> IntArray:
        """County index for each resident of `city` (urban: 0 urban, 1 rural) from uniform numbers `u`."""
        members, cdf = self.members[city], self.cdf[city]
        out = np.empty(urban.size, dtype=np.int64)
        for row in (0, 1):
            sel = urban == row
            pick = np.searchsorted(cdf[row], u[sel] * cdf[row, -1], side="right")
            out[sel] = members[np.minimum(pick, members.size - 1)]
        return out


def _weights(urban: FloatArray, rural: FloatArray) -> FloatArray:
    """Cumulative urban and rural weights; a row of zeros falls back to all residents."""
    rows = []
    for row in (urban, rural):
        chosen = row if row.sum() > 0 else urban + rural
        rows.append(np.cumsum(chosen if chosen.sum() > 0 else np.ones_like(chosen)))
    return np.array(rows, dtype=np.float64)


@cache
def county_model(prefecture_codes: tuple[str, ...]) -> CountyModel:
    """The county draw for the given prefectures (a prefecture without county rows is its own county)."""
    counties = (
        census_2020()
        .counties.filter(pl.col("in_census_2020"))
        .with_columns(pl.coalesce("code", "code_2020").alias("county"))
    )
    codes: list[str] = []
    members: list[IntArray] = []
    cdf: list[FloatArray] = []
    grouped = {key[0]: frame for key, frame in counties.group_by("prefecture_code")}
    for prefecture in prefecture_codes:
        frame = grouped.get(prefecture)
        if frame is None or frame.is_empty():
            names, urban, rural = [prefecture], np.ones(1), np.ones(1)
        else:
            frame = frame.sort("county")
            names = frame["county"].to_list()
            urban = frame["pop_urban_2020"].fill_null(0).to_numpy().astype(np.float64)
            rural = frame["pop_rural_2020"].fill_null(0).to_numpy().astype(np.float64)
        start = len(codes)
        codes.extend(names)
        members.append(np.arange(start, start + len(names), dtype=np.int64))
        cdf.append(_weights(urban, rural))
    return CountyModel(tuple(codes), tuple(members), tuple(cdf))
