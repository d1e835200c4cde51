"""Eligibility and explanation: what a resident is entitled to where they live, what is missing, from when."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

import polars as pl
from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, Field
from sqlalchemy import Engine

from changzhu.api.access import open_person
from changzhu.api.auth.principal import Principal
from changzhu.api.auth.roles import Role
from changzhu.api.deps import EngineDep, PrincipalDep, SettingsDep
from changzhu.api.errors import Forbidden
from changzhu.api.people import person_table
from changzhu.api.scenario_files import rules_scenario
from changzhu.api.settings import ApiSettings
from changzhu.domain import field_sizes as sizes
from changzhu.domain.lang import Lang
from changzhu.domain.person import CORE_LABELS_EN, CORE_LABELS_ZH, PERSON_SCHEMA
from changzhu.domain.refusals import CodedError, RefusalCode, refusal
from changzhu.domain.services import Service
from changzhu.errors import ChangzhuError
from changzhu.registry.explained import explain_registered
from changzhu.rules import evaluate, explain
from changzhu.rules.explain import Explanation
from changzhu.rules.people import people_from_records
from changzhu.store import audit, audit_subjects
from changzhu.store.audit_reasons import because
from changzhu.store.resident_models import PersonRow
from changzhu.store.txn import write_session
from changzhu.tables.places import place_names

router = APIRouter(tags=["eligibility"])
EARLIEST, LATEST = date(2000, 1, 1), date(2100, 12, 31)
EVALUATORS = (Role.CASEWORKER, Role.PLANNER, Role.FISCAL_OFFICER, Role.ADMINISTRATOR)
MAX_PEOPLE = 1000
Scalar = str | int | float | bool | None
Cell = Scalar | list[str]  # a list: a set of category codes, or a dates input's ISO dates (docs/policies.md)


class InvalidPeople(CodedError):
    """A posted person table that cannot be read as a table."""


class PeopleRequest(BaseModel):
    """A person table (rows of PERSON_COLUMNS, see docs/policies.md) to judge on a date, optionally under a reform."""

    on: date = Field(ge=EARLIEST, le=LATEST, description="evaluation date")
    people: list[dict[str, Cell]] = Field(min_length=1, max_length=MAX_PEOPLE)
    scenario: str | None = Field(default=None, max_length=80, description="a scenario name from GET /scenarios")
    overrides: dict[str, Any] | None = Field(default=None, description="ad-hoc parameter overrides (a reform)")
    services: list[Service] | None = Field(default=None, max_length=len(Service))


class ExplainRequest(PeopleRequest):
    """As for eligibility, plus whom to explain (optional when the table has one row)."""

    person_id: int | None = None
    lang: Lang = Lang.ZH


def _unmet(service: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            "label": c["label"],
            "value": c["value"],
            "needs": c["threshold"],
            "missing": c["missing"],
            "from": c["earliest"],
        }
        for c in service["conditions"]
        if c["kind"] != "group" and not c["passed"]
    ]


def entitlement_view(explanation: dict[str, Any], person_key: str) -> dict[str, Any]:
    """An explanation shaped for the resident: entitled now, not yet (with what is missing and from when)."""
    services = [{**s, "unmet": [] if s["eligible"] else _unmet(s)} for s in explanation["services"]]
    return {
        "person_key": person_key,
        **{k: v for k, v in explanation.items() if k not in ("person_id", "services")},
        "entitled": [s["service"] for s in services if s["eligible"]],
        "not_yet": [s["service"] for s in services if not s["eligible"] and s["earliest"]],
        "undetermined": [
            {"service": s["service"], "needs": s["needs"]} for s in services if s["decision"] == "undetermined"
        ],
        "not_under_current_circumstances": [
            s["service"] for s in services if s["decision"] == "not_eligible" and not s["earliest"]
        ],
        "services": services,
    }


@router.get("/residents/{person_key}/entitlements", responses={401: {}, 403: {}, 404: {}, 409: {}})
def entitlements(
    person_key: Annotated[str, Path(max_length=sizes.PERSON_KEY)],
    engine: EngineDep,
    settings: SettingsDep,
    principal: PrincipalDep,
    on: Annotated[date | None, Query(ge=EARLIEST, le=LATEST, description="date (default today)")] = None,
    scenario: Annotated[str | None, Query(max_length=80, description="a reform scenario name")] = None,
    lang: Annotated[Lang, Query(description="language of labels: zh or en")] = Lang.ZH,
) -> dict[str, Any]:
    """What the person is entitled to where they live, what is missing for the rest, and when they qualify."""
    person = open_person(engine, principal, person_key, because("view_entitlements"))
    return person_entitlements(engine, settings, person, on or date.today(), scenario, lang)


def person_explanation(
    engine: Engine, settings: ApiSettings, person: PersonRow, on: date, scenario: str | None, lang: Lang
) -> Explanation:
    """The rules' explanation for one registered person; a record lacking core facts is decided under every value
    they can take (undetermined, naming them, only where they change a decision). A person handed over to another
    province's instance (跨省通办) is offered nothing here as a resident: no service, no points (their new place's
    instance decides them)."""
    if person.moved_out_by is not None:
        zh, en = place_names({person.residence_region}).get(person.residence_region, (person.residence_region, None))
        name = zh if lang == Lang.ZH else en or zh
        return Explanation(person.id, on, lang, person.residence_region, name, [], scenario, None, [], [])
    reform = rules_scenario(settings.scenarios_dir, scenario, None)
    return explain_registered(person_table(engine, person.id), on, person.id, scenario=reform, lang=lang)


def person_entitlements(
    engine: Engine, settings: ApiSettings, person: PersonRow, on: date, scenario: str | None, lang: Lang
) -> dict[str, Any]:
    """The entitlement view of one registered person (what GET /residents/{key}/entitlements answers)."""
    result = person_explanation(engine, settings, person, on, scenario, lang)
    return entitlement_view(result.to_dict(), person.person_key)


def _table(body: PeopleRequest, principal: Principal) -> pl.DataFrame:
    """The posted people as a table, each living within the caller's jurisdiction."""
    principal.require_role(*EVALUATORS)
    for number, row in enumerate(body.people, start=1):  # people count their rows from 1
        region = row.get("residence_region")
        if isinstance(region, str) and not principal.covers(region):
            raise Forbidden(refusal(RefusalCode.PERSON_REGION_OUTSIDE, number=number, region=region))
    try:
        return _dates(people_from_records([dict(r) for r in body.people]))
    except (pl.exceptions.PolarsError, TypeError, ValueError) as exc:
        if isinstance(exc, ChangzhuError):
            raise
        raise InvalidPeople(f"people: cannot be read as a person table ({str(exc).splitlines()[0]})") from exc


def _dates(table: pl.DataFrame) -> pl.DataFrame:
    """JSON carries dates as ISO strings: read them, naming the rows that are not dates."""
    for column in [c for c, t in PERSON_SCHEMA.items() if t == pl.Date() and c in table.columns]:
        if table[column].dtype != pl.String:
            continue
        parsed = table[column].str.to_date("%Y-%m-%d", strict=False)
        bad = (table[column].is_not_null() & parsed.is_null()).arg_true().to_list()
        if bad:  # people count the posted people from 1 (as PERSON_REGION_OUTSIDE does); the column by its label
            numbers = tuple(str(i + 1) for i in bad[:10])
            zh, en = CORE_LABELS_ZH.get(column, column), CORE_LABELS_EN.get(column, column)
            raise InvalidPeople(refusal(RefusalCode.PEOPLE_NOT_DATES, rows=numbers, column_zh=zh, column_en=en))
        table = table.with_columns(parsed.alias(column))
    return table


def _audit(engine: Any, principal: Principal, action: str, rows: int) -> None:
    with write_session(engine) as session:
        audit.append(
            session,
            actor=f"user:{principal.username}",
            action=action,
            subject=audit_subjects.table("posted", rows),
            details={"rows": rows, "role": principal.role.value},
            reason=because("eligibility_request"),
        )


@router.post("/eligibility", responses={401: {}, 403: {}})
def eligibility(
    body: PeopleRequest, engine: EngineDep, settings: SettingsDep, principal: PrincipalDep
) -> dict[str, Any]:
    """Judge a posted person table: per person and service eligible now and the earliest date, and points."""
    table = _table(body, principal)
    reform = rules_scenario(settings.scenarios_dir, body.scenario, body.overrides)
    result = evaluate(table, body.on, scenario=reform, services=body.services)
    _audit(engine, principal, "evaluate_people", table.height)
    eligible = [c for c in result.columns if c.startswith("eligible_")]
    return {
        "on": body.on,
        "scenario": reform.name if reform else None,
        "eligible_counts": {c.removeprefix("eligible_"): int(result[c].sum()) for c in eligible},
        "undetermined_counts": {
            c.removeprefix("undetermined_"): int(result[c].sum())
            for c in result.columns
            if c.startswith("undetermined_")
        },
        "rows": [
            {k: (None if isinstance(v, float) and v != v else v) for k, v in row.items()}
            for row in result.iter_rows(named=True)
        ],
    }


@router.post("/eligibility/explain", responses={401: {}, 403: {}})
def explain_person(
    body: ExplainRequest, engine: EngineDep, settings: SettingsDep, principal: PrincipalDep
) -> dict[str, Any]:
    """Explain one person of a posted table: every condition with its value, threshold, source and dates."""
    table = _table(body, principal)
    reform = rules_scenario(settings.scenarios_dir, body.scenario, body.overrides)
    result = explain(table, body.on, person_id=body.person_id, scenario=reform, services=body.services, lang=body.lang)
    _audit(engine, principal, "explain_person", table.height)
    return result.to_dict()
