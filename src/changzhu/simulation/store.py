"""A synthetic population stored as partitioned Parquet: one file per chunk plus a manifest."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from changzhu.domain.refusals import RefusalCode, refusal
from changzhu.simulation.engine import Chunk
from changzhu.simulation.errors import SimulationError
from changzhu.simulation.synthetic import CityBlock

MANIFEST = "population.json"


@dataclass(frozen=True)
class StoredPopulation:
    """How a stored population was made, and its chunks (blocks as [city code, block] in the manifest)."""

    fraction: float
    seed: int
    as_of: date
    block_persons: int
    chunks: list[Chunk]


def write_manifest(directory: Path, population: StoredPopulation, codes: tuple[str, ...]) -> Path:
    """Record the sample fraction, seed, date, block size and chunk files next to the Parquet parts."""
    payload = {
        "fraction": population.fraction,
        "seed": population.seed,
        "as_of": population.as_of.isoformat(),
        "block_persons": population.block_persons,
        "chunks": [
            {"index": c.index, "file": Path(c.path or "").name, "blocks": [[codes[b.city], b.block] for b in c.blocks]}
            for c in population.chunks
        ],
    }
    path = directory / MANIFEST
    path.write_text(json.dumps(payload, indent=1), encoding="utf-8")
    return path


def read_manifest(directory: Path, codes: tuple[str, ...]) -> StoredPopulation:
    """The stored population in `directory`; errors name the missing file or bad field."""
    path = directory / MANIFEST
    if not path.is_file():
        command = "changzhu simulate --store"
        raise SimulationError(
            refusal(RefusalCode.SIMULATION_NO_MANIFEST, directory=str(directory), manifest=MANIFEST, command=command)
        )
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        fraction, seed, as_of = float(raw["fraction"]), int(raw["seed"]), date.fromisoformat(raw["as_of"])
        block_persons = int(raw["block_persons"])
        entries = list(raw["chunks"])
        listed = [[(str(code), int(block)) for code, block in entry["blocks"]] for entry in entries]
    except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
        raise SimulationError(
            refusal(RefusalCode.SIMULATION_MANIFEST_INVALID, file=str(path), detail=str(exc))
        ) from exc
    position = {code: i for i, code in enumerate(codes)}
    chunks = []
    for entry, blocks in zip(entries, listed, strict=True):
        part = directory / str(entry.get("file", ""))
        if not part.is_file():
            index = str(entry.get("index"))
            raise SimulationError(
                refusal(RefusalCode.SIMULATION_CHUNK_MISSING, file=str(path), index=index, part=repr(part.name))
            )
        unknown = [code for code, _ in blocks if code not in position]
        if unknown:
            index = str(entry.get("index"))
            raise SimulationError(
                refusal(RefusalCode.SIMULATION_CHUNK_UNKNOWN_CITY, file=str(path), index=index, code=unknown[0])
            )
        chunks.append(Chunk(int(entry["index"]), tuple(CityBlock(position[c], b) for c, b in blocks), str(part)))
    return StoredPopulation(fraction, seed, as_of, block_persons, chunks)
