"""Building fiscal parameter schemes and gaps tables by hand for the fiscal tests."""

from __future__ import annotations

import copy
from typing import Any

import polars as pl

from changzhu.fiscal.parameters import FiscalParameters, parse_scheme

BASE_SCHEME: dict[str, Any] = {
    "id": "test",
    "effective_from": "2020-01-01",
    "title_zh": "测试方案",
    "title_en": "test scheme",
    "source": "hand-built for tests",
    "fund_yuan": 1000,
    "fund_source": "test",
    "transfer": {
        "resident_conversion_ratio": 1.0,
        "weights": {"population": 0.6, "migrants": 0.3, "incentive": 0.1},
        "capacity": {"elasticity": 0.0, "min_factor": 0.7, "max_factor": 1.5},
        "incentive": {"served_weight": 0.2},
        "settlement_assumption": {"settled_share": 0.1, "served_share": 1.0},
    },
    "land": {"m2_per_settled_migrant": 100},
    "compensation": {"yuan_per_migrant": 2},
    "cost_sharing": {
        "default": {
            "central": 0.3,
            "province": 0.2,
            "inflow_city": 0.4,
            "outflow_city": 0.05,
            "employer": 0.05,
            "individual": 0.0,
        }
    },
    "allocation": {
        "floor_yuan_per_resident": 0,
        "max_min_per_capita_ratio": 100,
        "service_weights": {"s1": 2.0, "default": 1.0},
    },
}


def raw_scheme(**changes: Any) -> dict[str, Any]:
    """A copy of BASE_SCHEME with dotted keys replaced, e.g. raw_scheme(**{"transfer.capacity.elasticity": 1})."""
    raw = copy.deepcopy(BASE_SCHEME)
    for dotted, value in changes.items():
        *path, last = dotted.split(".")
        node = raw
        for key in path:
            node = node[key]
        node[last] = value
    return raw


def scheme(**changes: Any) -> FiscalParameters:
    """A parsed scheme built from BASE_SCHEME with changes."""
    return parse_scheme(raw_scheme(**changes), "test")


def gaps_frame(rows: list[tuple[str, str, str, float, float, float]]) -> pl.DataFrame:
    """Gaps in the planning schema from (region, service, basis, demand, supply, unit_cost) rows."""
    out = []
    for region, service, basis, demand, supply, unit in rows:
        gap = demand - supply
        out.append(
            {
                "region_code": region,
                "region_name_zh": f"R{region}",
                "service": service,
                "basis": basis,
                "demand": demand,
                "supply": supply,
                "gap": gap,
                "unit_cost_yuan": unit,
                "gap_cost_yuan": max(gap, 0.0) * unit,
            }
        )
    return pl.DataFrame(out)
