"""Fiscal results (人地钱挂钩): transfers, the budget allocation, equity measures and compensation flows."""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Response

from changzhu.api.aggregates import in_jurisdiction, json_rows, require_analyst
from changzhu.api.deps import EngineDep, LimitQuery, OffsetQuery, PrincipalDep, SettingsDep
from changzhu.api.errors import NotFound
from changzhu.api.export import FILE_RESPONSES, ExportFormat, FormatQuery, frame_page_as
from changzhu.api.pagination import Page
from changzhu.api.routes.planning import gaps_at
from changzhu.api.scenario_files import check_yaml, scenario_yaml
from changzhu.data.census import CENSUS_DAY, census_2020
from changzhu.domain.lang import Lang
from changzhu.domain.refusals import RefusalCode, refusal
from changzhu.domain.regions import RegionLevel
from changzhu.fiscal.parameters import FiscalParameters, fiscal_parameters, load_schemes
from changzhu.fiscal.run import FiscalResults, compute_fiscal
from changzhu.parameters import Override, Scenario
from changzhu.planning.datasets import datasets_root, fingerprint
from changzhu.planning.standards import load_standards, unit_costs_cited
from changzhu.report.winners import fiscal_file_in, winners_in, winners_table
from changzhu.rules.labels import EQUITY_MEASURES

router = APIRouter(prefix="/fiscal", tags=["fiscal"])
KEPT = 16  # fiscal results kept in memory, by scheme and reform
# keyed by scheme, reform and the stored planning datasets (names and modification times): an upload is seen at once
_results: OrderedDict[tuple[str | None, Scenario | None, tuple[tuple[str, int], ...]], FiscalResults] = OrderedDict()
_lock = threading.Lock()


@dataclass(frozen=True)
class FiscalChoice:
    """A scheme, a saved reform of its parameters, and changes given with the request (all optional)."""

    scheme: str | None
    reform: str | None
    fund_yuan: int | None
    weight_population: float | None
    weight_migrants: float | None
    weight_incentive: float | None
    floor_yuan_per_resident: float | None
    max_min_per_capita_ratio: float | None
    resident_conversion_ratio: float | None

    def overrides(self) -> tuple[Override, ...]:
        """The request's own parameter changes, as reform overrides of the `fiscal.*` keys."""
        keys = {
            "fiscal.fund_yuan": self.fund_yuan,
            "fiscal.transfer.weights.population": self.weight_population,
            "fiscal.transfer.weights.migrants": self.weight_migrants,
            "fiscal.transfer.weights.incentive": self.weight_incentive,
            "fiscal.allocation.floor_yuan_per_resident": self.floor_yuan_per_resident,
            "fiscal.allocation.max_min_per_capita_ratio": self.max_min_per_capita_ratio,
            "fiscal.transfer.resident_conversion_ratio": self.resident_conversion_ratio,
        }
        return tuple(Override(key, value) for key, value in keys.items() if value is not None)


def fiscal_choice(
    settings: SettingsDep,
    engine: EngineDep,
    scheme: Annotated[
        str | None, Query(max_length=60, description="scheme id from GET /fiscal/schemes (default: in force today)")
    ] = None,
    reform: Annotated[
        str | None, Query(max_length=80, description="a saved scenario whose overrides change fiscal.* parameters")
    ] = None,
    fund_yuan: Annotated[int | None, Query(gt=0, le=10**14, description="central fund, yuan")] = None,
    weight_population: Annotated[float | None, Query(ge=0, le=1, description="pot weight (three sum to 1)")] = None,
    weight_migrants: Annotated[float | None, Query(ge=0, le=1)] = None,
    weight_incentive: Annotated[float | None, Query(ge=0, le=1)] = None,
    floor_yuan_per_resident: Annotated[float | None, Query(ge=0, le=100_000, description="LP floor")] = None,
    max_min_per_capita_ratio: Annotated[float | None, Query(ge=1, le=100, description="LP max/min ratio")] = None,
    resident_conversion_ratio: Annotated[
        float | None, Query(ge=0, le=1, description="0: registered basis, 1: resident basis")
    ] = None,
) -> tuple[FiscalChoice, Scenario | None]:
    """The request's choice of scheme and parameters, and the reform scenario they make (None: unchanged)."""
    choice = FiscalChoice(
        scheme,
        reform,
        fund_yuan,
        weight_population,
        weight_migrants,
        weight_incentive,
        floor_yuan_per_resident,
        max_min_per_capita_ratio,
        resident_conversion_ratio,
    )
    saved: tuple[Override, ...] = ()
    if reform is not None:
        reformed = check_yaml(scenario_yaml(engine, settings.scenarios_dir, reform)[0])[1]
        saved = tuple(o for o in reformed.overrides if o.parameter.startswith("fiscal."))
    changes = (*saved, *choice.overrides())
    return choice, Scenario(f"fiscal:{reform or 'request'}", changes) if changes else None


ChoiceDep = Annotated[tuple[FiscalChoice, Scenario | None], Depends(fiscal_choice)]


def _scheme(scheme_id: str | None, scenario: Scenario | None) -> FiscalParameters:
    if scheme_id is None:
        return fiscal_parameters(date.today(), scenario=scenario)
    schemes = load_schemes(scenario=scenario)
    for scheme in schemes:
        if scheme.scheme_id == scheme_id:
            return scheme
    known = ", ".join(s.scheme_id for s in schemes)
    raise NotFound(refusal(RefusalCode.NO_FISCAL_SCHEME, scheme_id=scheme_id, known=known))


def results_for(chosen: tuple[FiscalChoice, Scenario | None]) -> FiscalResults:
    """The fiscal job's tables for a scheme (and reform) on the shipped census and the gaps with the planning datasets
    stored now, kept for reuse until a dataset changes."""
    choice, scenario = chosen
    params = _scheme(choice.scheme, scenario)
    key = (params.scheme_id, scenario, fingerprint(datasets_root()))
    with _lock:
        if key not in _results:
            provinces = census_2020().provinces
            costs = unit_costs_cited(load_standards(scenario=scenario), CENSUS_DAY)
            _results[key] = compute_fiscal(provinces, gaps_at(RegionLevel.PROVINCE), params, costs)
            while len(_results) > KEPT:
                _results.popitem(last=False)
        _results.move_to_end(key)
        return _results[key]


@router.get("/schemes", responses={401: {}, 403: {}})
def schemes(principal: PrincipalDep) -> list[dict[str, Any]]:
    """The dated transfer schemes (参数方案), with the one in force today marked."""
    require_analyst(principal)
    today = fiscal_parameters(date.today()).scheme_id
    return [
        {
            "scheme_id": s.scheme_id,
            "effective_from": s.effective_from,
            "title_zh": s.title_zh,
            "title_en": s.title_en,
            "fund_yuan": s.fund_yuan,
            "weights": dict(s.transfer.weights),
            "resident_conversion_ratio": s.transfer.resident_conversion_ratio,
            "floor_yuan_per_resident": s.allocation.floor_yuan_per_resident,
            "max_min_per_capita_ratio": s.allocation.max_min_per_capita_ratio,
            "in_force": s.scheme_id == today,
        }
        for s in load_schemes()
    ]


@router.get("/allocation", response_model=Page[dict[str, Any]], responses={401: {}, 403: {}, 404: {}, **FILE_RESPONSES})
def allocation(
    principal: PrincipalDep,
    choice: ChoiceDep,
    limit: LimitQuery = 100,
    offset: OffsetQuery = 0,
    fmt: FormatQuery = ExportFormat.JSON,
    lang: Annotated[
        Lang | None,
        Query(description="with format=csv|xlsx: headers, province names and the estimate note in zh or en"),
    ] = None,
) -> Page[dict[str, Any]] | Response:
    """Per province: the LP allocation of the central fund next to per-registered-head and per-resident splits. A
    file asked with `lang` is in that language only, as the winners' (without it, the codes and column names)."""
    require_analyst(principal)
    table = in_jurisdiction(results_for(choice).splits, principal, "region_code")
    if lang is not None and fmt in (ExportFormat.CSV, ExportFormat.XLSX):
        table = fiscal_file_in(table, lang)
    return frame_page_as(table, limit, offset, fmt, "allocation")


@router.get(
    "/allocation/services", response_model=Page[dict[str, Any]], responses={401: {}, 403: {}, 404: {}, **FILE_RESPONSES}
)
def allocation_by_service(
    principal: PrincipalDep,
    choice: ChoiceDep,
    limit: LimitQuery = 100,
    offset: OffsetQuery = 0,
    fmt: FormatQuery = ExportFormat.JSON,
    lang: Annotated[
        Lang | None,
        Query(description="with format=csv|xlsx: headers, provinces, services and the estimate note in zh or en"),
    ] = None,
) -> Page[dict[str, Any]] | Response:
    """Per province and service: gap cost, LP allocation and what stays unmet. A file asked with `lang` is in that
    language only, as the allocation's (without it, the codes and column names)."""
    require_analyst(principal)
    table = in_jurisdiction(results_for(choice).allocation.cells, principal, "region_code")
    if lang is not None and fmt in (ExportFormat.CSV, ExportFormat.XLSX):
        table = fiscal_file_in(table, lang)
    return frame_page_as(table, limit, offset, fmt, "allocation_services")


@router.get("/transfers", response_model=Page[dict[str, Any]], responses={401: {}, 403: {}, 404: {}, **FILE_RESPONSES})
def transfers(
    principal: PrincipalDep,
    choice: ChoiceDep,
    limit: LimitQuery = 100,
    offset: OffsetQuery = 0,
    fmt: FormatQuery = ExportFormat.JSON,
    lang: Annotated[
        Lang | None,
        Query(description="with format=csv|xlsx: headers, province names and the estimate note in zh or en"),
    ] = None,
) -> Page[dict[str, Any]] | Response:
    """Per province: the transfer term by term (population, migrants, incentive) and the land quota. A file asked
    with `lang` is in that language only, as the allocation's (without it, the codes and column names)."""
    require_analyst(principal)
    table = in_jurisdiction(results_for(choice).transfers, principal, "region_code")
    if lang is not None and fmt in (ExportFormat.CSV, ExportFormat.XLSX):
        table = fiscal_file_in(table, lang)
    return frame_page_as(table, limit, offset, fmt, "transfers")


@router.get("/equity", responses={401: {}, 403: {}, 404: {}})
def equity(principal: PrincipalDep, choice: ChoiceDep) -> list[dict[str, Any]]:
    """National equity measures (per-capita range, Gini, Theil, unmet need) of the three allocations."""
    require_analyst(principal)
    return json_rows(results_for(choice).equity)


@router.get("/flows", response_model=Page[dict[str, Any]], responses={401: {}, 403: {}, 404: {}, **FILE_RESPONSES})
def flows(
    principal: PrincipalDep,
    choice: ChoiceDep,
    limit: LimitQuery = 100,
    offset: OffsetQuery = 0,
    fmt: FormatQuery = ExportFormat.JSON,
    lang: Annotated[
        Lang | None,
        Query(description="with format=csv|xlsx: headers, province names and the estimate note in zh or en"),
    ] = None,
) -> Page[dict[str, Any]] | Response:
    """Net compensation between provinces (inflow pays outflow), where the caller's region pays or is paid. A file
    asked with `lang` is in that language only, as the winners' (without it, the codes and column names)."""
    require_analyst(principal)
    net = results_for(choice).net_flows.sort("net_yuan", descending=True)
    table = in_jurisdiction(net, principal, "payer_code", "payee_code")
    if lang is not None and fmt in (ExportFormat.CSV, ExportFormat.XLSX):
        table = fiscal_file_in(table, lang)
    return frame_page_as(table, limit, offset, fmt, "flows")


@router.get("/equity/measures", responses={401: {}, 403: {}})
def equity_measures(principal: PrincipalDep) -> list[dict[str, str]]:
    """What each equity measure means, in one line (Chinese and English)."""
    require_analyst(principal)
    return [
        {"measure": k, "label_zh": label_zh, "label_en": label_en, "explanation_zh": zh, "explanation_en": en}
        for k, (label_zh, label_en, zh, en) in EQUITY_MEASURES.items()
    ]


@router.get("/winners", response_model=Page[dict[str, Any]], responses={401: {}, 403: {}, 404: {}, **FILE_RESPONSES})
def winners(
    principal: PrincipalDep,
    choice: ChoiceDep,
    limit: LimitQuery = 100,
    offset: OffsetQuery = 0,
    fmt: FormatQuery = ExportFormat.JSON,
    lang: Annotated[
        Lang | None, Query(description="with format=csv|xlsx: headers, province names and outcomes in zh or en")
    ] = None,
) -> Page[dict[str, Any]] | Response:
    """Per province: the transfer on the registered and on the resident basis (亿 yuan), the gain or loss and %,
    the outcome (gains, loses, unchanged). A file asked with `lang` is in that language only (without it, the codes
    and both names, each in its own column)."""
    require_analyst(principal)
    table = in_jurisdiction(winners_table(results_for(choice).comparison), principal, "region_code")
    if lang is not None and fmt in (ExportFormat.CSV, ExportFormat.XLSX):
        table = winners_in(table, lang)
    return frame_page_as(table, limit, offset, fmt, "winners")
