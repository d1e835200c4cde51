"""Reform scenarios: the files offered, small runs against the baseline, and their results compared."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from changzhu.api.aggregates import frame_page, in_jurisdiction, require_analyst
from changzhu.api.deps import LimitQuery, OffsetQuery, PrincipalDep, SettingsDep
from changzhu.api.pagination import Page, page_of
from changzhu.api.scenario_files import describe, scenario_path, scenario_paths
from changzhu.api.scenario_runs import MAX_SAMPLE, RunStore

router = APIRouter(prefix="/scenarios", tags=["scenarios"])


class RunRequest(BaseModel):
    """Settings of a small run (bounded so that a request finishes in seconds)."""

    sample: float = Field(default=0.00002, gt=0, le=MAX_SAMPLE, description="fraction of the 2020 residents")
    year: int | None = Field(default=None, ge=2020, le=2035, description="default: the file's first year")
    seed: int | None = Field(default=None, ge=0, le=2**31 - 1)


def _store(request: Request) -> RunStore:
    store: RunStore = request.app.state.scenario_runs
    return store


@router.get("", response_model=Page[dict[str, Any]], responses={401: {}, 403: {}})
def scenarios(
    settings: SettingsDep, principal: PrincipalDep, limit: LimitQuery = 50, offset: OffsetQuery = 0
) -> Page[dict[str, Any]]:
    """Reform scenario files: name, description, parameter overrides, simulation settings."""
    require_analyst(principal)
    return page_of([describe(p) for p in scenario_paths(settings.scenarios_dir).values()], limit, offset)


@router.get("/runs", responses={401: {}, 403: {}})
def runs(request: Request, principal: PrincipalDep) -> list[dict[str, Any]]:
    """Runs of this service process, newest first, with national totals per scenario and service (compare them)."""
    require_analyst(principal)
    return [run.summary() for run in _store(request).all()]


@router.get("/runs/{run_id}", response_model=Page[dict[str, Any]], responses={401: {}, 403: {}, 404: {}})
def run_rows(
    run_id: str, request: Request, principal: PrincipalDep, limit: LimitQuery = 100, offset: OffsetQuery = 0
) -> Page[dict[str, Any]]:
    """A run's estimates per province and service, baseline and reform, in the caller's jurisdiction."""
    require_analyst(principal)
    run = _store(request).get(run_id)
    return frame_page(in_jurisdiction(run.by_province, principal, "province_code"), limit, offset)


@router.get("/{name}", responses={401: {}, 403: {}, 404: {}})
def scenario(name: str, settings: SettingsDep, principal: PrincipalDep) -> dict[str, Any]:
    """One scenario file."""
    require_analyst(principal)
    return describe(scenario_path(settings.scenarios_dir, name))


@router.post("/{name}/runs", status_code=201, responses={401: {}, 403: {}, 404: {}, 429: {}})
def start_run(
    name: str, body: RunRequest, request: Request, settings: SettingsDep, principal: PrincipalDep
) -> dict[str, Any]:
    """Run the reform against the baseline on a small synthetic sample (same settings: the stored run)."""
    require_analyst(principal)
    path = scenario_path(settings.scenarios_dir, name)
    return _store(request).run(path, body.sample, body.year, body.seed).summary()
