"""Quotas and ranking (积分排名): publish a run on the granted applications, read runs, simulate without storing.

A run ranks the granted applications of a city by points with the declared tie-break (docs/applications.md)
against an annual quota (积分落户) or places per school district (积分入学). Caseworkers and administrators of
the city publish and read runs; simulations return counts only and are open to analysts of the city too.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, Field
from sqlalchemy import Engine

from changzhu.api.access import STAFF_WITH_PERSONAL_ACCESS
from changzhu.api.applicant_names import with_names
from changzhu.api.application_writes import publisher
from changzhu.api.auth.principal import Principal
from changzhu.api.auth.roles import NATIONAL_SCOPE, Role
from changzhu.api.casework_errors import casework_errors
from changzhu.api.deps import EngineDep, PrincipalDep
from changzhu.api.quota_population import synthetic_candidates
from changzhu.api.quota_reasons import told_rule
from changzhu.casework import quota_runs as runs
from changzhu.casework.quotas import (
    Candidate,
    Ranking,
    TieBreak,
    by_capacity,
    by_quota,
    half_up,
    with_added_places,
)
from changzhu.domain.refusals import RefusalCode, refusal
from changzhu.domain.regions import region_prefix
from changzhu.store.audit_reasons import because
from changzhu.store.db import session_scope

router = APIRouter(tags=["quotas"])
CITY = r"^\d{4}00$"
DISTRICT = r"^\d{6}$"
MAX_PLACES = 10_000_000
SIMULATORS = (*STAFF_WITH_PERSONAL_ACCESS, Role.PLANNER)
Capacity = dict[Annotated[str, Field(pattern=DISTRICT)], Annotated[int, Field(ge=0, le=MAX_PLACES)]]


class RunRequest(BaseModel):
    """What to rank: kind, city, year; the quota (积分落户, default the city's declared annual quota) or the
    places per school district (积分入学, required: no district capacities ship with the planning supply)."""

    kind: runs.QuotaKind
    region: str = Field(pattern=CITY, description="the city (prefecture code) whose applications are ranked")
    year: int = Field(ge=2000, le=2100)
    quota: int | None = Field(default=None, ge=0, le=MAX_PLACES)
    capacity: Capacity | None = Field(default=None, max_length=500)


class SimulationRequest(BaseModel):
    """A ranking that is not stored: on the open applications or on a synthetic sample of the city."""

    kind: runs.QuotaKind
    region: str = Field(pattern=CITY)
    quota: int | None = Field(default=None, ge=0, le=MAX_PLACES)
    capacity: Capacity | None = Field(default=None, max_length=500)
    added_places: Capacity | None = Field(default=None, max_length=500, description="places districts add")
    population: Literal["applications", "synthetic"] = "applications"
    fraction: float = Field(default=0.001, gt=0, le=0.01, description="synthetic sample fraction")
    seed: int = Field(default=1, ge=0, le=2**31 - 1)
    on: date | None = Field(default=None, ge=date(2000, 1, 1), le=date(2100, 12, 31))


def _rank(
    kind: runs.QuotaKind,
    region: str,
    on: date,
    quota: int | None,
    capacity: dict[str, int] | None,
    candidates: list[Candidate],
    rule: TieBreak,
) -> tuple[Ranking, int | None, dict[str, str] | None]:
    """The ranking by quota or capacity; the quota used and its source."""  # fmt: skip
    if kind == runs.QuotaKind.SCHOOL_PLACE:
        if not capacity:
            raise runs.QuotaError(refusal(RefusalCode.CAPACITY_REQUIRED))
        return by_capacity(candidates, rule, capacity), None, None
    source = runs.GIVEN_IN_REQUEST
    if quota is None:
        quota, source = runs.annual_quota(region, on)
    return by_quota(candidates, rule, quota), quota, source


def _scope(principal: Principal, region: str, roles: tuple[Role, ...]) -> None:
    principal.require_role(*roles)
    principal.require_region(region)


@router.post("/quotas/runs", status_code=201, responses={401: {}, 403: {}, 422: {}})
def publish(body: RunRequest, engine: EngineDep, principal: PrincipalDep) -> dict[str, Any]:
    """Rank the city's granted applications and publish the cut-off, the admitted and the waiting list."""
    publisher(principal, body.region)
    with casework_errors():
        return _named(engine, principal, _publish(body, engine, principal))


def _named(engine: Engine, principal: Principal, run: dict[str, Any]) -> dict[str, Any]:
    """The run with the name of each applicant admitted, waiting or not ranked (the names shown are audited), its
    "not ranked" reasons as the caller may be told them (`_told`)."""
    _told(engine, principal, [run])
    entries = [*run["admitted"], *run["waiting"], *run["rule"].get("not_ranked", [])]
    with_names(engine, principal, entries, because("quota_entries"))
    return run


def _publish(body: RunRequest, engine: Engine, principal: Principal) -> dict[str, Any]:
    on = date.today()
    candidates, apart = runs.application_candidates(engine, body.kind, body.region, on)
    rule = runs.tie_break(body.region, on)
    ranking, quota, source = _rank(body.kind, body.region, on, body.quota, body.capacity, candidates, rule)
    described = {"tie_break": rule.describe(), "quota_source": source, "evaluated_on": on.isoformat(),
                 "not_ranked": apart}  # fmt: skip
    return runs.publish(
        engine, body.kind, body.region, body.year, quota, body.capacity, ranking, described, principal.username
    )


@router.get("/quotas/runs", responses={401: {}, 403: {}})
def list_runs(
    engine: EngineDep, principal: PrincipalDep, region: Annotated[str | None, Query(pattern=DISTRICT)] = None
) -> list[dict[str, Any]]:
    """Published runs in the caller's jurisdiction, newest first."""
    principal.require_role(*STAFF_WITH_PERSONAL_ACCESS)
    prefixes = None if NATIONAL_SCOPE in principal.scopes else [region_prefix(s) for s in principal.scopes]
    return _told(engine, principal, runs.list_runs(engine, prefixes, region))


def _told(engine: Engine, principal: Principal, found: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The runs with each "not ranked" reason that names where a moved-out applicant went kept only for a caller
    who may see her (api/quota_reasons.py: decided when read, so a run published before, or for readers who could
    see her then, names no place to a caller who may not)."""
    with session_scope(engine) as session:
        for run in found:
            run["rule"] = told_rule(session, principal, run["rule"])
    return found


@router.get("/quotas/runs/{run_id}", responses={401: {}, 403: {}, 404: {}})
def read_run(
    run_id: Annotated[int, Path(ge=1, le=2**31 - 1)], engine: EngineDep, principal: PrincipalDep
) -> dict[str, Any]:
    """One published run."""
    principal.require_role(*STAFF_WITH_PERSONAL_ACCESS)
    with casework_errors():
        found = runs.load_run(engine, run_id)
    principal.require_region(str(found["region"]))
    return _named(engine, principal, found)


@router.post("/quotas/simulate", responses={401: {}, 403: {}, 422: {}})
def simulate(body: SimulationRequest, engine: EngineDep, principal: PrincipalDep) -> dict[str, Any]:
    """What cut-off a quota gives, or how many children get a place (and with districts' added places); counts only."""
    _scope(principal, body.region, SIMULATORS)
    with casework_errors():
        return _simulate(body, engine)


def _simulate(body: SimulationRequest, engine: Engine) -> dict[str, Any]:
    on = body.on or date.today()
    scale = 1.0
    unassessed = not_ranked = 0
    if body.population == "synthetic":
        candidates, unassessed = synthetic_candidates(body.kind, body.region, on, body.fraction, body.seed)
        scale = body.fraction
    else:
        candidates, apart = runs.application_candidates(engine, body.kind, body.region, on)
        not_ranked = len(apart)
    rule = runs.tie_break(body.region, on)

    def scaled(places: dict[str, int] | None) -> dict[str, int] | None:
        return None if places is None else {d: half_up(n * scale) for d, n in places.items()}

    quota = body.quota
    if body.kind == runs.QuotaKind.POINTS_HUKOU and quota is None:
        quota = runs.annual_quota(body.region, on)[0]
    sample_quota = None if quota is None else half_up(quota * scale)
    ranking, _q, _s = _rank(body.kind, body.region, on, sample_quota, scaled(body.capacity), candidates, rule)
    out: dict[str, Any] = {
        "population": body.population,
        "candidates": round(len(candidates) / scale),
        "cutoff_points": ranking.cutoff_points,
        "admitted_count": round(len(ranking.admitted) / scale),
        "cutoffs": ranking.cutoffs,
        "quota": quota,
        "tie_break": rule.describe(),
    }
    if body.population == "applications":
        out["not_ranked"] = not_ranked
    if body.population == "synthetic":
        out |= {"fraction": body.fraction, "seed": body.seed, "ranked_on_lower_bound": round(unassessed / scale)}
    if body.added_places:
        more = with_added_places(body.capacity or {}, body.added_places)
        after, _q, _s = _rank(body.kind, body.region, on, sample_quota, scaled(more), candidates, rule)
        out |= {"with_added_places": {"capacity": more, "admitted_count": round(len(after.admitted) / scale),
                                      "cutoff_points": after.cutoff_points, "cutoffs": after.cutoffs}}  # fmt: skip
    return out
