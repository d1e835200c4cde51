"""The synthetic population's fit to the census at each geography level, as PopulationSim reports it.

For each control and level: the synthetic count (whole persons of the sample, scaled up by 1 / fraction) is
compared with the census control in every geography × category; mean % difference and its standard deviation
over those cells, and %RMSE = sqrt(mean((synthetic − control)²)) / mean(control) × 100. Counties are not
synthesized (the generator works by prefecture), so no county row exists: the table says so.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from changzhu.simulation.ipf import FloatArray, margin_totals
from changzhu.simulation.synthetic import CELL_SHAPE, integerize, population_model

FIT_TOLERANCE_PCT_RMSE = {"prefecture": 2.0, "province": 0.5, "national": 0.1}


def synthetic_cells(fraction: float, seed: int) -> FloatArray:
    """Whole persons per city and cell, as the generator draws them, scaled to the full population."""
    model = population_model()
    out = np.empty_like(model.cells)
    for city in range(len(model.codes)):
        rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(city,)))
        out[city] = integerize(model.cells[city].ravel() * fraction, rng).reshape(CELL_SHAPE) / fraction
    return out


def _stats(synthetic: FloatArray, control: FloatArray) -> tuple[float, float, float, int]:
    keep = control > 0
    diff = synthetic[keep] - control[keep]
    pct = diff / control[keep] * 100
    rmse = float(np.sqrt(np.mean(diff**2))) / float(np.mean(control[keep])) * 100
    return float(np.mean(pct)), float(np.std(pct)), rmse, int(keep.sum())


def fit_table(fraction: float, seed: int = 20201101) -> pl.DataFrame:
    """One row per geography level and control: cells, mean % difference, its SD, %RMSE and tolerance."""
    model = population_model()
    synthetic = synthetic_cells(fraction, seed)
    province_index = model.targets.province_index
    n_prov = int(province_index.max()) + 1
    rows = []
    for margin in model.targets.margins:
        got = margin_totals(synthetic, margin)
        target = margin.target
        if np.array_equal(margin.groups[0], np.arange(len(model.codes))):
            by_prov_got = np.zeros((n_prov, *got.shape[1:]))
            by_prov_target = np.zeros((n_prov, *target.shape[1:]))
            np.add.at(by_prov_got, province_index, got)
            np.add.at(by_prov_target, province_index, target)
            levels = [("prefecture", got, target), ("province", by_prov_got, by_prov_target)]
        else:
            levels = [("province", got, target)]
        levels.append(("national", got.sum(axis=0), target.sum(axis=0)))
        for level, g, t in levels:
            mean, sd, rmse, cells = _stats(np.asarray(g, dtype=np.float64), np.asarray(t, dtype=np.float64))
            rows.append(
                {
                    "level": level,
                    "control": margin.name.split(" × ", 1)[-1],
                    "cells": cells,
                    "mean_pct_diff": mean,
                    "sd_pct_diff": sd,
                    "pct_rmse": rmse,
                    "tolerance_pct_rmse": FIT_TOLERANCE_PCT_RMSE[level],
                    "status": "ok" if rmse <= FIT_TOLERANCE_PCT_RMSE[level] else "out_of_range",
                }
            )
    rows.append(
        {
            "level": "county",
            "control": "—",
            "cells": 0,
            "mean_pct_diff": None,
            "sd_pct_diff": None,
            "pct_rmse": None,
            "tolerance_pct_rmse": None,
            "status": "not_synthesized",
        }
    )
    return pl.DataFrame(
        rows,
        schema_overrides={
            "mean_pct_diff": pl.Float64,
            "sd_pct_diff": pl.Float64,
            "pct_rmse": pl.Float64,
            "tolerance_pct_rmse": pl.Float64,
        },
    )
