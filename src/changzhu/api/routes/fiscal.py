"""Fiscal results (人地钱挂钩): transfers, the budget allocation, equity measures and compensation flows."""

from __future__ import annotations

import threading
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query

from changzhu.api.aggregates import frame_page, in_jurisdiction, json_rows, require_analyst
from changzhu.api.deps import LimitQuery, OffsetQuery, PrincipalDep
from changzhu.api.errors import NotFound
from changzhu.api.pagination import Page
from changzhu.api.routes.planning import gaps_at
from changzhu.data.census import census_2020
from changzhu.domain.regions import RegionLevel
from changzhu.fiscal.parameters import FiscalParameters, fiscal_parameters, load_schemes
from changzhu.fiscal.run import FiscalResults, compute_fiscal

router = APIRouter(prefix="/fiscal", tags=["fiscal"])
SchemeQuery = Annotated[
    str | None, Query(max_length=60, description="scheme id from GET /fiscal/schemes (default: in force today)")
]
_results: dict[str, FiscalResults] = {}
_lock = threading.Lock()


def _scheme(scheme_id: str | None) -> FiscalParameters:
    if scheme_id is None:
        return fiscal_parameters(date.today())
    for scheme in load_schemes():
        if scheme.scheme_id == scheme_id:
            return scheme
    known = ", ".join(s.scheme_id for s in load_schemes())
    raise NotFound(f"no fiscal scheme {scheme_id!r} (schemes: {known})")


def results_for(scheme_id: str | None) -> FiscalResults:
    """The fiscal job's tables for a scheme on the shipped census and gaps (computed once per scheme)."""
    params = _scheme(scheme_id)
    with _lock:
        if params.scheme_id not in _results:
            provinces = census_2020().provinces
            _results[params.scheme_id] = compute_fiscal(provinces, gaps_at(RegionLevel.PROVINCE), params)
        return _results[params.scheme_id]


@router.get("/schemes", responses={401: {}, 403: {}})
def schemes(principal: PrincipalDep) -> list[dict[str, Any]]:
    """The dated transfer schemes (参数方案), with the one in force today marked."""
    require_analyst(principal)
    today = fiscal_parameters(date.today()).scheme_id
    return [
        {
            "scheme_id": s.scheme_id,
            "effective_from": s.effective_from,
            "title": s.title,
            "fund_yuan": s.fund_yuan,
            "in_force": s.scheme_id == today,
        }
        for s in load_schemes()
    ]


@router.get("/allocation", response_model=Page[dict[str, Any]], responses={401: {}, 403: {}, 404: {}})
def allocation(
    principal: PrincipalDep, scheme: SchemeQuery = None, limit: LimitQuery = 100, offset: OffsetQuery = 0
) -> Page[dict[str, Any]]:
    """Per province: the LP allocation of the central fund next to per-registered-head and per-resident splits."""
    require_analyst(principal)
    return frame_page(in_jurisdiction(results_for(scheme).splits, principal, "region_code"), limit, offset)


@router.get("/allocation/services", response_model=Page[dict[str, Any]], responses={401: {}, 403: {}, 404: {}})
def allocation_by_service(
    principal: PrincipalDep, scheme: SchemeQuery = None, limit: LimitQuery = 100, offset: OffsetQuery = 0
) -> Page[dict[str, Any]]:
    """Per province and service: gap cost, LP allocation and what stays unmet."""
    require_analyst(principal)
    cells = results_for(scheme).allocation.cells
    return frame_page(in_jurisdiction(cells, principal, "region_code"), limit, offset)


@router.get("/transfers", response_model=Page[dict[str, Any]], responses={401: {}, 403: {}, 404: {}})
def transfers(
    principal: PrincipalDep, scheme: SchemeQuery = None, limit: LimitQuery = 100, offset: OffsetQuery = 0
) -> Page[dict[str, Any]]:
    """Per province: the transfer term by term (population, migrants, incentive) and the land quota."""
    require_analyst(principal)
    return frame_page(in_jurisdiction(results_for(scheme).transfers, principal, "region_code"), limit, offset)


@router.get("/equity", responses={401: {}, 403: {}, 404: {}})
def equity(principal: PrincipalDep, scheme: SchemeQuery = None) -> list[dict[str, Any]]:
    """National equity measures (per-capita range, Gini, Theil, unmet need) of the three allocations."""
    require_analyst(principal)
    return json_rows(results_for(scheme).equity)


@router.get("/flows", response_model=Page[dict[str, Any]], responses={401: {}, 403: {}, 404: {}})
def flows(
    principal: PrincipalDep, scheme: SchemeQuery = None, limit: LimitQuery = 100, offset: OffsetQuery = 0
) -> Page[dict[str, Any]]:
    """Net compensation between provinces (inflow pays outflow), where the caller's region pays or is paid."""
    require_analyst(principal)
    net = results_for(scheme).net_flows.sort("net_yuan", descending=True)
    return frame_page(in_jurisdiction(net, principal, "payer_code", "payee_code"), limit, offset)
