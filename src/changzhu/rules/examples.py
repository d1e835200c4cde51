"""Documented example households (rules/policies/examples/*.yaml) for `changzhu explain --example`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import polars as pl
import yaml

from changzhu.domain.refusals import RefusalCode, refusal
from changzhu.domain.services import Service
from changzhu.rules.catalog import POLICY_DIR
from changzhu.rules.errors import PolicyError
from changzhu.rules.people import people_from_records

EXAMPLE_DIR = POLICY_DIR / "examples"


@dataclass(frozen=True)
class ExampleCase:
    """One situation: people, a date, whom to explain and, for each, which services to show."""

    name: str
    title: str
    on: date
    people: pl.DataFrame
    explain: tuple[tuple[int, tuple[Service, ...]], ...]


def example_names() -> list[str]:
    """Names of the shipped examples."""
    return sorted(p.stem for p in EXAMPLE_DIR.glob("*.yaml"))


def load_example(name: str) -> list[ExampleCase]:
    """The cases of a shipped example."""
    path = EXAMPLE_DIR / f"{name}.yaml"
    if not path.exists():
        raise PolicyError(refusal(RefusalCode.POLICY_NO_EXAMPLE, name=repr(name), known=", ".join(example_names())))
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [
        ExampleCase(
            str(c["name"]),
            str(c.get("title", c["name"])),
            c["date"],
            people_from_records(c["people"], path.name),
            tuple(
                (int(e["person_id"]), tuple(Service(s) for s in e.get("services", [s.value for s in Service])))
                for e in c["explain"]
            ),
        )
        for c in raw["cases"]
    ]
