"""Small person tables from records (YAML/JSON/CSV files, policy tests, examples)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl
import yaml

from changzhu.domain.person import PERSON_COLUMNS
from changzhu.rules.errors import PolicyError


def people_from_records(records: list[dict[str, Any]], where: str = "people") -> pl.DataFrame:
    """A person table from a list of mappings; values are converted by validate_person_table later."""
    if not records:
        raise PolicyError(f"{where}: no people given")
    known = {c.name for c in PERSON_COLUMNS}
    for i, rec in enumerate(records):
        unknown = sorted(set(rec) - known)
        if unknown:
            raise PolicyError(f"{where}[{i}]: unknown column(s) {unknown}")
    present = [c for c in PERSON_COLUMNS if any(c.name in r for r in records)]
    data = {c.name: [r.get(c.name, c.default) for r in records] for c in present}
    return pl.DataFrame(data, strict=False, infer_schema_length=None)


def read_people_file(path: Path) -> pl.DataFrame:
    """A person table from .csv, .parquet, a directory of .parquet parts (a stored simulation population), or
    .yaml/.json (a list of records or {people: [...]})."""
    suffix = path.suffix.lower()
    try:
        if path.is_dir():
            parts = sorted(path.glob("*.parquet"))
            if not parts:
                raise PolicyError(f"{path}: a directory without .parquet files")
            return pl.concat([pl.read_parquet(p) for p in parts], how="vertical")
        if suffix == ".csv":
            return pl.read_csv(path, infer_schema_length=0)
        if suffix == ".parquet":
            return pl.read_parquet(path)
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, pl.exceptions.PolarsError, yaml.YAMLError) as exc:
        raise PolicyError(f"cannot read people from {path}: {exc}") from exc
    records = raw.get("people") if isinstance(raw, dict) else raw
    if not isinstance(records, list):
        raise PolicyError(f"{path.name}: expected a list of people or a mapping with 'people'")
    return people_from_records(records, path.name)
