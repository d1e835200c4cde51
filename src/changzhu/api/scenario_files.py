"""The reform scenario files the service offers (CHANGZHU_SCENARIOS_DIR, default ./scenarios)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from changzhu.api.errors import NotFound
from changzhu.rules import Scenario, load_scenario
from changzhu.rules.errors import ScenarioError


def scenario_paths(directory: Path | None) -> dict[str, Path]:
    """Scenario name -> file, for every readable scenario file in `directory` (none if it does not exist)."""
    if directory is None or not directory.is_dir():
        return {}
    found: dict[str, Path] = {}
    for path in sorted(directory.glob("*.yaml")):
        try:
            found.setdefault(load_scenario(path).name, path)
        except ScenarioError:
            continue  # a broken file is reported by `changzhu check`/`simulate`, not offered here
    return found


def describe(path: Path) -> dict[str, Any]:
    """Name, description, overrides and simulation settings of one scenario file."""
    scenario = load_scenario(path)
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    block = raw.get("simulation") if isinstance(raw, dict) else None
    return {
        "name": scenario.name,
        "description": scenario.description,
        "file": path.name,
        "overrides": [
            {
                "parameter": o.parameter,
                "value": o.value,
                "jurisdiction": o.jurisdiction,
                "since": o.since.isoformat() if o.since else None,
            }
            for o in scenario.overrides
        ],
        "simulation": block if isinstance(block, dict) else None,
    }


def scenario_path(directory: Path | None, name: str) -> Path:
    """The file of scenario `name`; NotFound naming the ones there are."""
    paths = scenario_paths(directory)
    if name not in paths:
        raise NotFound(f"no scenario named {name!r} (available: {', '.join(sorted(paths)) or 'none'})")
    return paths[name]


def rules_scenario(directory: Path | None, name: str | None, overrides: dict[str, Any] | None) -> Scenario | None:
    """A named scenario file, or ad-hoc parameter overrides, or None (the rules in force)."""
    if name and overrides:
        raise ScenarioError("give either scenario (a name) or overrides, not both")
    if name:
        return load_scenario(scenario_path(directory, name))
    if overrides:
        return Scenario.from_overrides(overrides, name="request")
    return None
