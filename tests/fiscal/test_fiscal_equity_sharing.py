"""Equity measures, cost sharing and compensation on hand-computed cases."""

from __future__ import annotations

import math

import numpy as np
import polars as pl
import pytest
from fiscal_helpers import gaps_frame, scheme

from changzhu.fiscal.cost_sharing import compensation_flows, net_flows, share_costs
from changzhu.fiscal.equity import equity_table, gini, max_min_ratio, theil
from changzhu.fiscal.errors import FiscalError


def test_seed_002_max_min_ratio() -> None:
    assert max_min_ratio([35_665, 7_342]) == pytest.approx(4.8577, abs=1e-4)


def test_gini_hand_cases() -> None:
    assert gini([5, 5, 5]) == 0.0
    assert gini([0, 1]) == pytest.approx(0.5)  # Σ|xi−xj| = 2, 2·n²·μ = 2·4·0.5 = 4
    assert gini([1, 3], [3, 1]) == pytest.approx(3 * 1 * 2 * 2 / (2 * 16 * 1.5))  # μ = 1.5
    assert gini([1, 2, 3, 4]) == pytest.approx(0.25)


def test_theil_hand_cases() -> None:
    assert theil([2, 2]) == 0.0
    assert theil([1, 3]) == pytest.approx(0.5 * 0.5 * math.log(0.5) + 0.5 * 1.5 * math.log(1.5))
    assert theil([0, 2]) == pytest.approx(math.log(2))


def test_equity_errors_and_table() -> None:
    with pytest.raises(FiscalError, match="non-negative"):
        gini([-1, 2])
    table = equity_table({"x": np.array([100.0, 300.0])}, np.array([1.0, 1.0]), np.array([2.0, 1.0]))
    row = table.row(0, named=True)
    assert row["max_min_ratio_resident"] == pytest.approx(3.0)
    assert row["max_min_ratio_registered"] == pytest.approx(6.0)  # 50 vs 300 per registered head


def test_cost_sharing_by_hand() -> None:
    gaps = gaps_frame([("B", "t", "resident", 10, 0, 100), ("B", "t", "local_hukou_resident", 6, 0, 100)])
    row = share_costs(gaps, scheme()).row(0, named=True)
    assert row["cost_yuan"] == 1000 and row["migrant_cost_yuan"] == 400
    assert row["central_yuan"] == pytest.approx(300)
    assert row["province_yuan"] == pytest.approx(200)
    assert row["outflow_city_yuan"] == pytest.approx(0.05 * 400)
    assert row["inflow_city_yuan"] == pytest.approx(0.4 * 1000 + 0.05 * 600)
    assert row["employer_yuan"] == pytest.approx(50) and row["individual_yuan"] == 0
    parties = ("central", "province", "inflow_city", "outflow_city", "employer", "individual")
    assert sum(row[f"{p}_yuan"] for p in parties) == pytest.approx(1000)


def test_capital_costs_are_not_shared_as_yearly_costs() -> None:
    gaps = gaps_frame(
        [
            ("B", "t", "resident", 10, 0, 100),
            ("B", "t", "local_hukou_resident", 6, 0, 100),
            ("B", "p", "resident", 10, 0, 9999),
        ]
    ).with_columns(pl.Series("unit_cost_kind", ["annual", "annual", "capital"]))
    assert share_costs(gaps, scheme())["service"].to_list() == ["t"]


def test_an_unknown_local_hukou_demand_is_not_a_migrant_cost_of_zero() -> None:
    """B's local-hukou demand is not known: its migrants' cost (and so what their outflow provinces pay and are
    paid) is unknown and said so, not taken as 0 by counting every resident as local."""
    gaps = gaps_frame([("A", "t", "resident", 10, 0, 100), ("A", "t", "local_hukou_resident", 6, 0, 100)])
    gaps = pl.concat([gaps, gaps_frame([("B", "t", "resident", 10, 0, 100)])])
    unknown = r"demand of 1 region\(s\) and service\(s\) is unknown \(regions: B; services: t\)"
    with pytest.raises(FiscalError, match=unknown) as e:
        share_costs(gaps, scheme())
    assert e.value.refusal is not None and e.value.refusal.zh == (
        "成本分担：1 个地区与服务的本地户籍常住人口需求或常住人口需求未知（地区：B；服务：t），"
        "这部分成本中流动人口的份额因此未知，不能当作 0"
    )


def test_compensation_and_contribution_net_by_hand() -> None:
    gaps = gaps_frame([("B", "t", "resident", 10, 0, 100), ("B", "t", "local_hukou_resident", 6, 0, 100)])
    od = pl.DataFrame({"destination_code": ["B"], "origin_code": ["A"], "migrants_est": [100.0]})
    gross = compensation_flows(share_costs(gaps, scheme()), od, scheme())
    amounts = {(r["payer_code"], r["payee_code"], r["kind"]): r["amount_yuan"] for r in gross.iter_rows(named=True)}
    assert amounts == {("A", "B", "contribution"): pytest.approx(20.0), ("B", "A", "compensation"): 200.0}
    net = net_flows(gross, {"A": "甲", "B": "乙"}).row(0, named=True)
    assert (net["payer_code"], net["payee_name_zh"], net["net_yuan"]) == ("B", "甲", 180.0)
