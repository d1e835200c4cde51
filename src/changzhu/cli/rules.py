"""Rules commands: `changzhu evaluate` (a whole table), `changzhu explain` (one person, why) and `changzhu check`."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Annotated

import polars as pl
import typer

from changzhu.cli.output import OutputFormat, console, emit_table
from changzhu.domain.services import Service
from changzhu.errors import ChangzhuError


def _parse_date(raw: str | None) -> date:
    if raw is None:
        return date.today()
    try:
        return date.fromisoformat(raw)
    except ValueError as exc:
        raise ChangzhuError(f"--on {raw!r} is not a date (YYYY-MM-DD)") from exc


def _services(names: list[str] | None) -> list[Service] | None:
    if not names:
        return None
    try:
        return [Service(n) for n in names]
    except ValueError as exc:
        raise ChangzhuError(f"{exc}; services: {', '.join(s.value for s in Service)}") from exc


def explain_command(
    example: Annotated[str | None, typer.Option("--example", help="a shipped example, e.g. shanghai-migrant")] = None,
    people: Annotated[Path | None, typer.Option("--people", help="person table: .csv, .parquet, .yaml, .json")] = None,
    person_id: Annotated[int | None, typer.Option("--person-id", help="whom to explain (with --people)")] = None,
    on: Annotated[str | None, typer.Option("--on", help="evaluation date YYYY-MM-DD (default today)")] = None,
    service: Annotated[list[str] | None, typer.Option("--service", "-s", help="only these services")] = None,
    scenario: Annotated[Path | None, typer.Option("--scenario", help="reform YAML (parameter overrides)")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print the explanation as JSON (as the API does)")] = False,
) -> None:
    """Explain, condition by condition, which services a person gets where they live, and from when."""
    from changzhu.rules import explain, load_scenario
    from changzhu.rules.examples import load_example
    from changzhu.rules.people import read_people_file

    reform = load_scenario(scenario) if scenario else None
    jobs: list[tuple[str, pl.DataFrame, date, int | None, list[Service] | None]] = []
    if example is not None:
        for case in load_example(example):
            for case_pid, shown in case.explain:
                jobs.append((case.title, case.people, case.on, case_pid, _services(service) or list(shown)))
    elif people is not None:
        jobs.append((str(people), read_people_file(people), _parse_date(on), person_id, _services(service)))
    else:
        raise ChangzhuError("give --example NAME or --people FILE (see `changzhu explain --help`)")
    out = []
    for title, table, when, pid, wanted in jobs:
        result = explain(table, when, person_id=pid, scenario=reform, services=wanted)
        if as_json:
            out.append({"case": title, **result.to_dict()})
        else:
            console.rule(f"[bold]{title}")
            console.print(result.to_text(), highlight=False, markup=False)
    if as_json:
        print(json.dumps(out, ensure_ascii=False, indent=1))


def check_command(
    files: Annotated[list[Path] | None, typer.Argument(help="policy test files (default: all shipped)")] = None,
    fmt: Annotated[OutputFormat, typer.Option("--format", "-f", help="table, csv or json")] = OutputFormat.TABLE,
    list_parameters: Annotated[bool, typer.Option("--list-parameters", help="list every parameter instead")] = False,
) -> None:
    """Load every policy file (checking references) and run the policy tests; exit 1 if any fails."""
    from changzhu.rules import run_policy_tests
    from changzhu.rules.catalog import shipped_policies

    policies = shipped_policies()
    if list_parameters:
        rows = [
            {
                "parameter": k,
                "jurisdiction": j.code,
                "unit": p.unit,
                "since": str(v.since),
                "value": str(v.value),
                "verified": v.verified,
                "source": v.source,
            }
            for j in policies.jurisdictions.values()
            for k, p in sorted(j.parameters.items())
            for v in p.values
        ]
        emit_table(pl.DataFrame(rows), fmt, "policy parameters")
        return
    results = run_policy_tests(files)
    table = pl.DataFrame(
        [
            {
                "file": r.file,
                "case": r.case,
                "person": r.person_id,
                "output": r.column,
                "expected": str(r.expected),
                "actual": str(r.actual),
                "ok": r.passed,
            }
            for r in results
        ]
    )
    failed = [r for r in results if not r.passed]
    emit_table(table.filter(~pl.col("ok")) if failed and fmt == OutputFormat.TABLE else table, fmt, "policy tests")
    console.print(
        f"{len(policies.jurisdictions)} jurisdictions, {len(policies.agreements)} agreements loaded; "
        f"{len(results) - len(failed)}/{len(results)} expectations hold"
    )
    if failed:
        raise ChangzhuError(f"{len(failed)} policy test expectation(s) failed (see the table above)")


def evaluate_command(
    people: Annotated[Path, typer.Argument(help="person table: .csv, .parquet, .yaml, .json, or a .parquet directory")],
    on: Annotated[str | None, typer.Option("--on", help="evaluation date YYYY-MM-DD (default today)")] = None,
    service: Annotated[list[str] | None, typer.Option("--service", "-s", help="only these services")] = None,
    scenario: Annotated[Path | None, typer.Option("--scenario", help="reform YAML (parameter overrides)")] = None,
    earliest: Annotated[
        bool, typer.Option("--earliest", help="also each service's earliest date (the slower interval engine)")
    ] = False,
    by_region: Annotated[bool, typer.Option("--by-region", help="count eligible people per residence region")] = False,
    out: Annotated[Path | None, typer.Option("--out", help="write the per-person result (.parquet or .csv)")] = None,
    fmt: Annotated[OutputFormat, typer.Option("--format", "-f", help="table, csv or json")] = OutputFormat.TABLE,
) -> None:
    """Decide every service and points scheme for a whole table of people on a date; counts, optionally a file."""
    from rich.progress import Progress

    from changzhu.data.regions import region_table
    from changzhu.rules import evaluate, load_scenario
    from changzhu.rules.people import read_people_file
    from changzhu.rules.summary import eligibility_by_region, eligibility_summary

    if out is not None and out.suffix.lower() not in (".parquet", ".csv"):
        raise ChangzhuError(f"--out {out}: give a .parquet or .csv file")
    when, wanted = _parse_date(on), _services(service)
    reform = load_scenario(scenario) if scenario else None
    with Progress(console=console, transient=True) as progress:
        task = progress.add_task("reading people", total=3)
        table = read_people_file(people)
        progress.update(task, advance=1, description=f"deciding for {table.height:,} people")
        result = evaluate(table, when, scenario=reform, services=wanted, earliest=earliest)
        progress.update(task, advance=1, description="writing")
        if out is not None:
            out.parent.mkdir(parents=True, exist_ok=True)
            result.write_parquet(out) if out.suffix.lower() == ".parquet" else result.write_csv(out)
        progress.advance(task)
    if by_region:
        emit_table(eligibility_by_region(table, result, region_table()), fmt, f"eligible people by region on {when}")
    else:
        emit_table(eligibility_summary(result), fmt, f"{table.height:,} people on {when}")
    if out is not None and fmt == OutputFormat.TABLE:
        console.print(f"per-person result written to {out}")


def register(app: typer.Typer) -> None:
    """Add `evaluate`, `explain` and `check` to the main app."""
    app.command("evaluate")(evaluate_command)
    app.command("explain")(explain_command)
    app.command("check")(check_command)
