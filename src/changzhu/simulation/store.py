"""A synthetic population stored as partitioned Parquet: one file per chunk plus a manifest."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from changzhu.simulation.engine import Chunk
from changzhu.simulation.errors import SimulationError

MANIFEST = "population.json"


@dataclass(frozen=True)
class StoredPopulation:
    """How a stored population was made, and its chunks (cities as codes in the manifest)."""

    fraction: float
    seed: int
    as_of: date
    chunks: list[Chunk]


def write_manifest(
    directory: Path, fraction: float, seed: int, as_of: date, chunks: list[Chunk], codes: tuple[str, ...]
) -> Path:
    """Record the sample fraction, seed, date and chunk files next to the Parquet parts."""
    payload = {
        "fraction": fraction,
        "seed": seed,
        "as_of": as_of.isoformat(),
        "chunks": [
            {"index": c.index, "file": Path(c.path or "").name, "cities": [codes[i] for i in c.cities]} for c in chunks
        ],
    }
    path = directory / MANIFEST
    path.write_text(json.dumps(payload, indent=1), encoding="utf-8")
    return path


def read_manifest(directory: Path, codes: tuple[str, ...]) -> StoredPopulation:
    """The stored population in `directory`; errors name the missing file or bad field."""
    path = directory / MANIFEST
    if not path.is_file():
        raise SimulationError(f"{directory}: no {MANIFEST}; write the population first (changzhu simulate --store)")
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        fraction, seed, as_of = float(raw["fraction"]), int(raw["seed"]), date.fromisoformat(raw["as_of"])
        entries = list(raw["chunks"])
    except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
        raise SimulationError(f"{path}: not a population manifest ({exc})") from exc
    position = {code: i for i, code in enumerate(codes)}
    chunks = []
    for entry in entries:
        part = directory / str(entry.get("file", ""))
        if not part.is_file():
            raise SimulationError(f"{path}: chunk {entry.get('index')} file {part.name!r} is missing")
        unknown = [c for c in entry.get("cities", []) if c not in position]
        if unknown:
            raise SimulationError(f"{path}: chunk {entry.get('index')} has unknown city code {unknown[0]}")
        chunks.append(Chunk(int(entry["index"]), tuple(position[c] for c in entry["cities"]), str(part)))
    return StoredPopulation(fraction, seed, as_of, chunks)
