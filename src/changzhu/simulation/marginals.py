"""Census 2020 marginals for the synthetic population and the IPF fit over them.

Cells are prefecture × age band × urban/rural × sex × hukou status. Targets come from
`changzhu.data.census.census_2020()`; the census tables ship no sex split by region, so every region
gets the national 2020 sex ratio of 105.07 men per 100 women (第七次全国人口普查公报 第四号).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from changzhu.simulation.ipf import FloatArray, IntArray, IpfResult, Margin, ipf, margin_totals, relative_errors

SEX_RATIO_2020 = 105.07  # men per 100 women, national, census 2020 communiqué No. 4
AGE_BANDS: tuple[tuple[int, int], ...] = ((0, 4), (5, 14), (15, 64), (65, 100))
AGE_BAND_NAMES = ("0-4", "5-14", "15-64", "65+")
URBAN_NAMES = ("urban", "rural")
SEX_NAMES = ("F", "M")
# 人户分离 split: local (hukou in the township), other township of the same county, other county of the
# same province, other province (跨省流入).
HUKOU_STATUSES = ("local", "same_county", "other_county_same_province", "other_province")
LOCAL, SAME_COUNTY, OTHER_COUNTY, OTHER_PROVINCE = range(4)

# Seed (prior) associations between age, urban/rural and hukou status. They are assumptions, not census
# data: the shipped tables give each variable's totals per region, not their joint distribution, and IPF
# keeps the seed's interactions while matching every total exactly. Migrants are taken to be mostly of
# working age and mostly urban (pattern of census 2020 communiqué No. 7; factors chosen, not estimated).
SEED_AGE_WEIGHT = np.array(
    [
        [1.0, 1.0, 1.0, 1.0],  # local
        [0.9, 1.0, 1.1, 0.7],  # same county
        [0.7, 0.7, 1.4, 0.35],  # other county
        [0.7, 0.7, 1.4, 0.35],  # other province
    ]
)
SEED_URBAN_WEIGHT = np.array([[1.0, 1.0], [2.0, 1.0], [3.0, 1.0], [3.0, 1.0]])


@dataclass(frozen=True)
class CensusTargets:
    """The prefecture rows in fitting order, the province of each, and the IPF margins."""

    prefectures: pl.DataFrame
    province_index: IntArray
    province_codes: tuple[str, ...]
    margins: list[Margin]


def _seed(n_prefectures: int) -> FloatArray:
    core = np.einsum("ha,hu->auh", SEED_AGE_WEIGHT, SEED_URBAN_WEIGHT)  # age × urban × status
    cell = np.broadcast_to(core[:, :, None, :], (4, 2, 2, 4))
    return np.broadcast_to(cell, (n_prefectures, 4, 2, 2, 4)).astype(np.float64)


def census_targets(prefectures: pl.DataFrame, provinces: pl.DataFrame) -> CensusTargets:
    """Margins by prefecture (age, urban, sex, local/intra-provincial/inter-provincial) and province (status)."""
    pref = prefectures.sort("code")
    prov = provinces.sort("code")
    province_codes = tuple(prov["code"].to_list())
    prov_pos = {c: i for i, c in enumerate(province_codes)}
    province_index = np.array([prov_pos[c] for c in pref["province_code"].to_list()], dtype=np.int64)
    n = pref.height
    resident = pref["pop_resident_2020"].to_numpy().astype(np.float64)
    age = np.column_stack(
        [
            pref["pop_age_0_4_2020"].to_numpy(),
            pref["pop_age_5_14_2020"].to_numpy(),
            resident - pref["pop_age_0_14_2020"].to_numpy() - pref["pop_age_65plus_2020"].to_numpy(),
            pref["pop_age_65plus_2020"].to_numpy(),
        ]
    ).astype(np.float64)
    urban = np.column_stack([pref["pop_urban_2020"].to_numpy(), pref["pop_rural_2020"].to_numpy()]).astype(np.float64)
    male_share = SEX_RATIO_2020 / (100.0 + SEX_RATIO_2020)
    sex = np.column_stack([resident * (1 - male_share), resident * male_share])
    renhu = pref["renhu_fenli_2020"].to_numpy().astype(np.float64)
    interprov = pref["interprov_in_migrants_2020"].to_numpy().astype(np.float64)
    status3 = np.column_stack([resident - renhu, renhu - interprov, interprov])
    prov_resident = prov["pop_resident_2020"].to_numpy().astype(np.float64)
    status4 = np.column_stack(
        [
            prov_resident - prov["renhu_fenli_2020"].to_numpy(),
            prov["hukou_elsewhere_same_county_2020"].to_numpy(),
            prov["hukou_elsewhere_other_county_same_prov_2020"].to_numpy(),
            prov["interprov_in_migrants_2020"].to_numpy(),
        ]
    ).astype(np.float64)
    each = np.arange(n, dtype=np.int64)
    margins = [
        Margin("prefecture × age band", {0: each, 1: np.arange(4)}, age),
        Margin("prefecture × urban/rural", {0: each, 2: np.arange(2)}, urban),
        Margin("prefecture × sex (national ratio 105.07)", {0: each, 3: np.arange(2)}, sex),
        Margin(
            "prefecture × local / intra-provincial / inter-provincial hukou",
            {0: each, 4: np.array([0, 1, 1, 2])},
            status3,
        ),
        Margin("province × hukou status", {0: province_index, 4: np.arange(4)}, status4),
    ]
    return CensusTargets(pref, province_index, province_codes, margins)


def fit_census(targets: CensusTargets) -> IpfResult:
    """IPF of the seed associations to every census margin."""
    return ipf(_seed(targets.prefectures.height), targets.margins)


def fit_error_table(table: FloatArray, targets: CensusTargets) -> pl.DataFrame:
    """One row per margin: its number of cells, worst relative error and total absolute error share."""
    rows = []
    worst = relative_errors(table, targets.margins)
    for margin in targets.margins:
        got = margin_totals(table, margin)
        tae = float(np.abs(got - margin.target).sum())
        rows.append(
            {
                "margin": margin.name,
                "cells": int(margin.target.size),
                "max_relative_error": worst[margin.name],
                "total_absolute_error_share": tae / float(margin.target.sum()),
            }
        )
    return pl.DataFrame(rows)
