"""A jurisdiction's own planning datasets (facility lists, province supply, local standards, scenario populations),
kept as files and used by the gap table.

Each kind is stored per *key region*: a facility list per region of its scope (a city's list under the city, a
county's under the county), supply per province, standards and populations per region they name. A file is
``<root>/<key region>/<kind>.parquet`` (root: ``<data home>/uploads``), written to a temporary file and renamed,
so a reader sees the old dataset or the new one, never half of one. A new upload replaces the stored dataset of
each key region it names and leaves the others alone; a facility list replaces the region's stored list of the
services it names only (a city's hospital list does not remove its school list).
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

import polars as pl

from changzhu.config import data_dir
from changzhu.data.supply import province_supply_2019
from changzhu.domain.refusals import RefusalCode, refusal
from changzhu.domain.regions import RegionLevel
from changzhu.planning.errors import PlanningInputError
from changzhu.planning.facilities import LEVELS, code_level, default_scope, region_at_level
from changzhu.planning.gaps import CENSUS_NOTE, SCENARIO_NOTE, compute_gaps
from changzhu.planning.population import with_population
from changzhu.planning.standards import load_standards

PLANNING_KINDS = ("facility", "supply", "standard", "population")
KEY_COLUMNS = {"facility": "region_code", "supply": "code", "standard": "region_code", "population": "region_code"}


def datasets_root() -> Path:
    """Where uploaded planning datasets are kept: <data home>/uploads (CHANGZHU_HOME)."""
    return data_dir() / "uploads"


def key_regions(frame: pl.DataFrame, kind: str, scope: str | None = None) -> pl.Series:
    """Each row's key region: a facility's region at the list's `scope`, else the region the row names."""
    if kind == "facility":
        return frame.select(region_at_level(pl.col("region_code"), scope or default_scope(frame))).to_series()
    return frame.get_column(KEY_COLUMNS[kind])


def _path(root: Path, region: str, kind: str) -> Path:
    return root / region / f"{kind}.parquet"


def stored_regions(root: Path, kind: str) -> list[str]:
    """The key regions with a stored dataset of `kind`, sorted."""
    return sorted(p.parent.name for p in root.glob(f"*/{kind}.parquet")) if root.is_dir() else []


def uploaded_facilities(root: Path, regions: list[str]) -> tuple[pl.DataFrame, str]:
    """The facility lists stored for `regions` (key regions: a city's code for a city's list, a county's for a
    county's) as one list, and the scope they were stored at; refused when a region has none stored or the regions
    are of different scopes (a province uses lists of one scope)."""
    stored = stored_regions(root, "facility")
    missing = tuple(r for r in regions if r not in stored)
    if not stored:
        raise PlanningInputError(refusal(RefusalCode.FACILITY_NONE_UPLOADED, home=str(root)))
    if missing:
        reason = refusal(RefusalCode.FACILITY_NOT_UPLOADED, regions=missing, home=str(root), stored=tuple(stored))
        raise PlanningInputError(reason)
    scopes = {r: _level(r) for r in regions}
    if len(set(scopes.values())) > 1:
        raise PlanningInputError(refusal(RefusalCode.FACILITY_SCOPE_CLASH, regions=tuple(regions)))
    parts = [pl.read_parquet(_path(root, r, "facility")) for r in regions]
    return pl.concat(parts, how="diagonal_relaxed"), scopes[regions[0]]


def _plain(frame: pl.DataFrame) -> pl.DataFrame:
    """Categories as plain text, so the stored file reads back the same in any process."""
    return frame.with_columns(pl.col(c).cast(pl.String) for c, t in frame.schema.items() if isinstance(t, pl.Enum))


def check_compatible(root: Path, kind: str, keys: pl.Series) -> None:
    """Raise PlanningInputError when the new dataset cannot be used beside the stored ones: a facility list at a
    different scope in a province that has one, or a scenario population at a different level."""
    levels = set(pl.select(code_level(pl.lit(keys))).to_series().to_list())
    others = [r for r in stored_regions(root, kind) if r not in set(keys.to_list())]
    if kind == "facility":
        provinces = {k[:2] for k in keys.to_list()}
        clash = [r for r in others if r[:2] in provinces and _level(r) not in levels]
        if clash:
            raise PlanningInputError(refusal(RefusalCode.FACILITY_SCOPE_CLASH, regions=tuple(clash)))
    if kind == "population" and others:
        stored_level = {_level(r) for r in others}
        if stored_level != levels:
            raise PlanningInputError(refusal(RefusalCode.POPULATION_LEVEL_CLASH, regions=tuple(others[:5])))


def _level(code: str) -> str:
    return str(pl.select(code_level(pl.lit(code))).item())


def store_dataset(root: Path, kind: str, frame: pl.DataFrame, keys: pl.Series) -> list[str]:
    """Write each key region's rows of `frame` as its `kind` dataset (atomically); the regions whose stored dataset
    was replaced. A facility list keeps the region's stored facilities of the services it does not name."""
    replaced = []
    plain = _plain(frame)
    for region in sorted(set(keys.to_list())):
        target = _path(root, region, kind)
        target.parent.mkdir(parents=True, exist_ok=True)
        rows = plain.filter(keys == region)
        if target.exists():
            replaced.append(region)
            if kind == "facility":
                named = rows["service"].unique().to_list()
                kept = pl.read_parquet(target).filter(~pl.col("service").is_in(named))
                rows = pl.concat([kept, rows], how="diagonal_relaxed")
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{kind}-", suffix=".parquet")
        os.close(handle)
        try:
            rows.write_parquet(temporary)
            os.replace(temporary, target)
        finally:
            Path(temporary).unlink(missing_ok=True)
    return replaced


def load_dataset(root: Path, kind: str) -> pl.DataFrame | None:
    """Every stored dataset of `kind` as one table (None when there is none)."""
    parts = [pl.read_parquet(_path(root, r, kind)) for r in stored_regions(root, kind)]
    return pl.concat(parts, how="diagonal_relaxed") if parts else None


def fingerprint(root: Path) -> tuple[tuple[str, int], ...]:
    """What the stored datasets are now (names and modification times): a cache key for the gap table."""
    if not root.is_dir():
        return ()
    return tuple(sorted((str(p.relative_to(root)), p.stat().st_mtime_ns) for p in root.glob("*/*.parquet")))


@dataclass(frozen=True)
class PlanningData:
    """The stored datasets read back: supply merged over the shipped figures, standards, population, facility
    lists by scope."""

    supply: pl.DataFrame | None = None
    standards: pl.DataFrame | None = None
    population: pl.DataFrame | None = None
    facilities: dict[str, pl.DataFrame] = field(default_factory=dict)


def load_planning_data(root: Path) -> PlanningData:
    """Every stored planning dataset, ready for compute_gaps."""
    supply = load_dataset(root, "supply")
    if supply is not None:
        shipped = province_supply_2019()
        kept = shipped.filter(~pl.col("code").is_in(supply["code"].to_list()))
        supply = pl.concat(
            [kept, supply.select(c for c in supply.columns if c in shipped.columns)], how="diagonal_relaxed"
        )
    facilities = load_dataset(root, "facility")
    by_scope: dict[str, pl.DataFrame] = {}
    if facilities is not None:
        scopes = {r: _level(r) for r in stored_regions(root, "facility")}
        for scope in LEVELS:
            regions = [r for r, lv in scopes.items() if lv == scope]
            if regions:
                at = facilities.select(region_at_level(pl.col("region_code"), scope)).to_series()
                by_scope[scope] = facilities.filter(at.is_in(regions))
    return PlanningData(supply, load_dataset(root, "standard"), load_dataset(root, "population"), by_scope)


def gaps_with_datasets(level: str, data: PlanningData) -> pl.DataFrame:
    """The gap table at `level` with the stored datasets: supply, standards and population for every region they
    name; each province with facility lists takes them at their scope, the others keep the estimate."""
    standards = load_standards(local=data.standards) if data.standards is not None else None
    census = None if data.population is None else with_population(data.population)
    note = CENSUS_NOTE if census is None else SCENARIO_NOTE

    def gaps(facilities: pl.DataFrame | None = None, scope: str | None = None) -> pl.DataFrame:
        return compute_gaps(
            level,
            standards=standards,
            supply=data.supply,
            census=census,
            facilities=facilities,
            facility_scope=scope,
            population_note=note,
        )

    table = gaps()
    for scope, facilities in data.facilities.items():
        provinces = sorted({c[:2] + "0000" for c in facilities["region_code"].to_list()})
        with_list = gaps(facilities, scope).filter(pl.col("province_code").is_in(provinces))
        table = pl.concat([table.filter(~pl.col("province_code").is_in(provinces)), with_list])
    return table.sort("region_code", "service", "basis")


def scope_of(frame: pl.DataFrame, scope: str | None) -> str:
    """The scope a facility list is stored at: the one given, else a city's unless it names a whole province."""
    if scope is not None:
        return RegionLevel(scope).value
    if frame.height == 0:
        raise PlanningInputError(refusal(RefusalCode.FACILITY_LIST_EMPTY))
    return default_scope(frame)


@lru_cache(maxsize=16)
def _gaps_for(level: str, root: Path, stored: tuple[tuple[str, int], ...]) -> pl.DataFrame:
    return gaps_with_datasets(level, load_planning_data(root))


def current_gaps(level: str, root: Path | None = None) -> pl.DataFrame:
    """The gap table at `level` with the datasets stored now (recomputed only when they change)."""
    root = root or datasets_root()
    return _gaps_for(RegionLevel(level).value, root, fingerprint(root))


def gaps_replaced_by(level: str, regions: list[str], root: Path | None = None) -> pl.DataFrame:
    """The gap table at `level` a facility list for `regions` (codes at `level`, its scope) replaces: the stored
    datasets without the lists stored for those regions, so a list uploaded again (corrected, or checked with a dry
    run) is compared with the estimate it stands in for, not with itself."""
    root = root or datasets_root()
    return _gaps_replaced(RegionLevel(level).value, root, fingerprint(root), tuple(sorted(set(regions))))


@lru_cache(maxsize=16)
def _gaps_replaced(
    level: str, root: Path, stored: tuple[tuple[str, int], ...], regions: tuple[str, ...]
) -> pl.DataFrame:
    if not set(regions) & set(stored_regions(root, "facility")):
        return _gaps_for(level, root, stored)
    data = load_planning_data(root)
    kept = {}
    for scope, frame in data.facilities.items():
        rest = frame.filter(~region_at_level(pl.col("region_code"), scope).is_in(list(regions)))
        if rest.height:
            kept[scope] = rest
    return gaps_with_datasets(level, replace(data, facilities=kept))
