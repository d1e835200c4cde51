"""The 低保 means test of the synthetic population: an income test, an asset test and take-up.

A household passes when its income per head is below the 低保 standard of its area and its money assets per head
are below `asset_limit_months` of that standard; of the people who pass, a share `takeup_<area>` receive it.
Rural standards are the city's standard times the national rural/urban ratio (the rules carry one standard per
city). Money assets are not in the census: each household draws them as months of its income from a log-normal
whose mean is the national deposits-to-income ratio. Every number is a dated parameter of the tree
(`simulation.dibao.*`, with its source); draws are fixed by the household's id, so every engine and chunking
gives the same people.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import polars as pl

from changzhu.parameters import parameter_tree

ASSET_SALT = 0x5EED_A55E
TAKEUP_SALT = 0x7A4E_0F0F
MEANS_COLUMN = "income_per_capita_month"  # the column the rules' 低保 income test reads


@dataclass(frozen=True)
class DibaoModel:
    """The means test's parameters in force on one date (yuan per head per month; months; shares)."""

    urban_standard: float
    rural_standard: float
    asset_limit_months: float
    assets_mean_months: float
    assets_sigma: float
    takeup_urban: float
    takeup_rural: float

    @property
    def rural_ratio(self) -> float:
        """The rural standard over the urban one (national averages)."""
        return self.rural_standard / self.urban_standard


def dibao_model(on: date) -> DibaoModel:
    """The parameters of `simulation.dibao.*` in force on `on`."""
    tree = parameter_tree()

    def number(name: str) -> float:
        return tree.number(f"simulation.dibao.{name}", on)

    return DibaoModel(
        urban_standard=number("urban_standard_yuan_month"),
        rural_standard=number("rural_standard_yuan_month"),
        asset_limit_months=number("asset_limit_months"),
        assets_mean_months=number("assets_mean_months_of_income"),
        assets_sigma=number("assets_sigma"),
        takeup_urban=number("takeup_urban"),
        takeup_rural=number("takeup_rural"),
    )


def _uniform(keys: np.ndarray, salt: int) -> np.ndarray:
    """A uniform (0, 1) number per key, fixed by the key and the salt (splitmix64)."""
    with np.errstate(over="ignore"):
        z = keys.astype(np.uint64) ^ np.uint64(salt)
        z = z + np.uint64(0x9E3779B97F4A7C15)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        z = z ^ (z >> np.uint64(31))
    return ((z >> np.uint64(11)).astype(np.float64) + 0.5) / float(1 << 53)


def household_keys(people: pl.DataFrame) -> np.ndarray:
    """The household of each person: the parent's id for a linked child, else the person's own id."""
    return people.select(pl.coalesce("parent_id", "person_id")).to_series().to_numpy()


def money_assets(people: pl.DataFrame, model: DibaoModel) -> np.ndarray:
    """Money assets per head (yuan): the household's monthly income per head times a log-normal number of months."""
    from scipy.special import ndtri  # SciPy when assets are drawn, not by every importer of the simulation

    z = ndtri(_uniform(household_keys(people), ASSET_SALT))
    sigma = model.assets_sigma
    months = model.assets_mean_months * np.exp(sigma * z - sigma**2 / 2)
    return people["income_per_capita_month"].to_numpy() * months


def area_ratio(people: pl.DataFrame, model: DibaoModel) -> np.ndarray:
    """The person's area standard over the urban one: 1 in towns, the rural/urban ratio in the countryside."""
    return np.where(people["urban"].to_numpy(), 1.0, model.rural_ratio)


def passes(people: pl.DataFrame, model: DibaoModel, urban_standard: float | None = None) -> np.ndarray:
    """Whether each person's household passes the income and asset tests against the area's standard (the national
    average urban standard unless `urban_standard` is given)."""
    standard = (model.urban_standard if urban_standard is None else urban_standard) * area_ratio(people, model)
    income = people["income_per_capita_month"].to_numpy()
    return (income < standard) & (money_assets(people, model) < model.asset_limit_months * standard)


def means_for_rules(people: pl.DataFrame, model: DibaoModel) -> pl.DataFrame:
    """The people with the income column replaced by one number the rules' 低保 test reads against the city's
    (urban) standard S: max(income, assets / limit months) divided by the area ratio, which is below S exactly
    when income < area standard and assets < limit months × area standard."""
    income = people["income_per_capita_month"].to_numpy()
    means = np.maximum(income, money_assets(people, model) / model.asset_limit_months) / area_ratio(people, model)
    return people.with_columns(pl.Series(MEANS_COLUMN, means, dtype=pl.Float64))


def takes_up(people: pl.DataFrame, model: DibaoModel) -> np.ndarray:
    """Whether each person's household would claim and receive 低保 if it passed (a draw per household)."""
    share = np.where(people["urban"].to_numpy(), model.takeup_urban, model.takeup_rural)
    return _uniform(household_keys(people), TAKEUP_SALT) < share
