"""Reform scenarios: the shipped files (CHANGZHU_SCENARIOS_DIR) and the ones saved in the database, as CLI YAML.

A saved scenario is the very YAML `changzhu simulate --scenario` reads (name, description, overrides and an
optional `simulation:` block); it is checked the way the CLI checks it before it is stored. Writing one needs
a jurisdiction covering every override (an override without a jurisdiction applies nationally).
"""

from __future__ import annotations

import dataclasses
import re
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import Engine, select, update

from changzhu.api.auth.principal import Principal
from changzhu.api.errors import Conflict, Forbidden, NotFound
from changzhu.domain.lang import Lang
from changzhu.domain.refusals import RefusalCode, refusal
from changzhu.rules import Scenario, load_scenario
from changzhu.rules.catalog import policies_in_use
from changzhu.rules.errors import ScenarioError
from changzhu.simulation import load_rules_scenario, load_spec
from changzhu.simulation.errors import SimulationError
from changzhu.simulation.reform_titles import check_title, given_titles, reform_title
from changzhu.simulation.spec import SimulationSpec
from changzhu.store.db import session_scope
from changzhu.store.scenario_models import ScenarioRow, ScenarioRunRow

NAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_\-]{0,79}$")
NATIONAL = "000000"


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


def _bilingual(raw: object, key: str) -> tuple[str | None, str | None]:
    """A {zh, en} field of a scenario's YAML (the summary); None where the file does not give it."""
    field = raw.get(key) if isinstance(raw, dict) else None
    if not isinstance(field, dict):
        return None, None
    zh, en = field.get("zh"), field.get("en")
    return (str(zh) if zh else None), (str(en) if en else None)


def describe_yaml(text: str, **extra: Any) -> dict[str, Any]:
    """Name, title and summary in Chinese and English (None where the YAML gives none; `display_title_zh` and
    `display_title_en`: the reform as each language's reader knows it, a title-less one too, `reform_title`),
    description, overrides and simulation settings of one scenario's YAML."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "scenario.yaml"
        path.write_text(text, encoding="utf-8")
        scenario = load_scenario(path)
    raw = yaml.safe_load(text)
    block = raw.get("simulation") if isinstance(raw, dict) else None
    (title_zh, title_en), (summary_zh, summary_en) = given_titles(raw), _bilingual(raw, "summary")
    return {
        "name": scenario.name,
        "title_zh": title_zh,
        "title_en": title_en,
        "display_title_zh": reform_title(raw, Lang.ZH, scenario.name),
        "display_title_en": reform_title(raw, Lang.EN, scenario.name),
        "summary_zh": summary_zh,
        "summary_en": summary_en,
        "description": scenario.description,
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
        **extra,
    }


def describe(path: Path) -> dict[str, Any]:
    """A shipped scenario file, described."""
    return describe_yaml(path.read_text(encoding="utf-8"), file=path.name, source="file", editable=False)


_BODY_FILE = "scenario.yaml"  # the name a request body's YAML is checked under (and shown in its errors)


def spec_of(text: str) -> SimulationSpec:
    """The simulation spec of a scenario's YAML, checked as the CLI checks it (parameters known, values typed)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / _BODY_FILE
        path.write_text(text, encoding="utf-8")
        try:
            spec = load_spec([path], load_rules_scenario)
        except SimulationError as exc:
            if exc.refusal is None:
                raise
            named = tuple((k, _BODY_FILE if v == str(path) else v) for k, v in exc.refusal.params)
            raise SimulationError(dataclasses.replace(exc.refusal, params=named)) from exc  # no server path shown
    for _, reform in spec.reforms:
        policies_in_use().check_scenario(reform)
    return spec


def check_yaml(text: str, titled: bool = False) -> tuple[SimulationSpec, Scenario]:
    """The spec and the rules scenario of a YAML body (`titled`: a reform being saved, which needs a title,
    `check_title`); ScenarioError/SimulationError say what is wrong."""
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ScenarioError(refusal(RefusalCode.SCENARIO_NOT_YAML, detail=str(exc).splitlines()[0])) from exc
    if not isinstance(raw, dict):
        raise ScenarioError(refusal(RefusalCode.SCENARIO_NOT_A_MAPPING))
    spec = spec_of(text)
    name, scenario = spec.reforms[0]
    if not NAME_PATTERN.match(name):
        raise ScenarioError(refusal(RefusalCode.SCENARIO_NAME_FORM, name=f"“{name}”"))
    if titled:
        check_title(raw)
    return spec, scenario


def jurisdictions(scenario: Scenario) -> set[str]:
    """The jurisdictions a scenario's overrides change (000000 for an override that applies everywhere)."""
    return {o.jurisdiction or NATIONAL for o in scenario.overrides}


def require_covers(principal: Principal, scenario: Scenario) -> None:
    """Forbidden unless the caller's jurisdiction covers every override of the scenario."""
    outside = sorted(code for code in jurisdictions(scenario) if not principal.covers(code))
    if outside:
        raise Forbidden(refusal(RefusalCode.SCENARIO_OUTSIDE, outside=tuple(outside), scopes=tuple(principal.scopes)))


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _row(engine: Engine, name: str) -> ScenarioRow | None:
    with session_scope(engine) as session:
        row = session.scalar(select(ScenarioRow).where(ScenarioRow.name == name))
        if row is not None:
            session.expunge(row)
        return row


def saved_row(engine: Engine, name: str) -> ScenarioRow:
    """A saved scenario, or NotFound."""
    row = _row(engine, name)
    if row is None:
        raise NotFound(refusal(RefusalCode.NO_SAVED_SCENARIO, name=name))
    return row


def describe_row(row: ScenarioRow) -> dict[str, Any]:
    """A saved scenario, described, with who saved it and its version."""
    return describe_yaml(
        row.body_yaml,
        source="saved",
        editable=True,
        owner=row.owner,
        version=row.version,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def all_scenarios(engine: Engine, directory: Path | None) -> list[dict[str, Any]]:
    """Shipped files, then saved scenarios, each described."""
    with session_scope(engine) as session:
        rows = list(session.scalars(select(ScenarioRow).order_by(ScenarioRow.name)))
        saved = [describe_row(row) for row in rows]
    return [describe(p) for p in scenario_paths(directory).values()] + saved


def scenario_yaml(engine: Engine, directory: Path | None, name: str) -> tuple[str, int | None]:
    """The YAML of a saved scenario (with its id) or a shipped file (id None); NotFound saying where the scenarios
    are listed (their files' ids are not titles a person reads)."""
    row = _row(engine, name)
    if row is not None:
        return row.body_yaml, row.id
    paths = scenario_paths(directory)
    if name in paths:
        return paths[name].read_text(encoding="utf-8"), None
    raise NotFound(refusal(RefusalCode.NO_SCENARIO, name=name))


def _title_column(text: str) -> str:
    """The saved scenario's `title` column: its title, Chinese where given (the YAML holds both languages)."""
    zh, en = given_titles(yaml.safe_load(text))
    return zh or en or ""


def create_scenario(engine: Engine, directory: Path | None, principal: Principal, text: str) -> ScenarioRow:
    """Check and save a new scenario; Conflict if the name is taken by a saved scenario or a shipped file."""
    spec, scenario = check_yaml(text, titled=True)
    require_covers(principal, scenario)
    name = spec.reforms[0][0]
    if name in scenario_paths(directory) or _row(engine, name) is not None:
        raise Conflict(refusal(RefusalCode.SCENARIO_EXISTS, name=name))
    now = _now()
    row = ScenarioRow(
        name=name,
        title=_title_column(text),
        body_yaml=text,
        owner=principal.username,
        version=1,
        created_at=now,
        updated_at=now,
    )
    with session_scope(engine) as session:
        session.add(row)
        session.flush()
        session.expunge(row)
    return row


def update_scenario(engine: Engine, principal: Principal, name: str, text: str) -> ScenarioRow:
    """Replace a saved scenario's YAML (same name); the caller must cover the old and the new overrides."""
    old = saved_row(engine, name)
    require_covers(principal, check_yaml(old.body_yaml)[1])
    spec, scenario = check_yaml(text, titled=True)
    require_covers(principal, scenario)
    if spec.reforms[0][0] != name:
        raise ScenarioError(refusal(RefusalCode.SCENARIO_RENAMED, named=repr(spec.reforms[0][0]), name=repr(name)))
    with session_scope(engine) as session:
        row = session.get(ScenarioRow, old.id)
        if row is None:
            raise NotFound(refusal(RefusalCode.NO_SAVED_SCENARIO, name=name))
        row.body_yaml, row.title = text, _title_column(text)
        row.version, row.updated_at = row.version + 1, _now()
        session.flush()
        session.expunge(row)
    return row


def delete_scenario(engine: Engine, principal: Principal, name: str) -> None:
    """Delete a saved scenario; its runs are kept (they hold the YAML they ran) and no longer point at it."""
    old = saved_row(engine, name)
    require_covers(principal, check_yaml(old.body_yaml)[1])
    with session_scope(engine) as session:
        session.execute(update(ScenarioRunRow).where(ScenarioRunRow.scenario_id == old.id).values(scenario_id=None))
        row = session.get(ScenarioRow, old.id)
        if row is not None:
            session.delete(row)


def to_yaml(body: dict[str, Any]) -> str:
    """A scenario given as fields (name, title, description, overrides, simulation) written as the CLI's YAML, the
    title trimmed and in the shipped reforms' shape (`title: {zh, en}`, a language not given left out)."""
    data = {k: body[k] for k in ("name", "description", "overrides", "simulation") if body.get(k) is not None}
    title = {k: str(v).strip() for k, v in (body.get("title") or {}).items() if v is not None and str(v).strip()}
    if title:
        data = {"name": data.get("name"), "title": title, **data}
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def rules_scenario(directory: Path | None, name: str | None, overrides: dict[str, Any] | None) -> Scenario | None:
    """A named scenario file, or ad-hoc parameter overrides, or None (the rules in force)."""
    if name and overrides:
        raise ScenarioError(refusal(RefusalCode.SCENARIO_OR_OVERRIDES))
    if name:
        paths = scenario_paths(directory)
        if name not in paths:
            raise NotFound(refusal(RefusalCode.NO_SCENARIO, name=name))
        return load_scenario(paths[name])
    if overrides:
        return Scenario.from_overrides(overrides, name="request")
    return None
