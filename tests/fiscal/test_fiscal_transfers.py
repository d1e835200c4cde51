"""Transfer formulas on hand-computed cases, the explanation of each term, and sums equal to the fund."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest
from fiscal_helpers import scheme
from hypothesis import given, settings
from hypothesis import strategies as st

from changzhu.domain.refusals import RefusalCode
from changzhu.fiscal.apportion import apportion
from changzhu.fiscal.errors import FiscalError
from changzhu.fiscal.transfers import allocate_transfers, compare_bases
from changzhu.report.fiscal import explain_en

BASES = pl.DataFrame(
    {
        "region_code": ["A", "B"],
        "region_name_zh": ["甲", "乙"],
        "resident": [100.0, 300.0],
        "registered_est": [200.0, 200.0],
        "interprov_in_migrants": [0.0, 150.0],
        "urbanisation_rate": [0.5, 0.5],
    }
)
SETTLEMENT = pl.DataFrame({"region_code": ["A", "B"], "settled": [0.0, 10.0], "served": [0.0, 100.0]})


def test_apportion_hand_cases() -> None:
    assert apportion(10, [1, 1, 1]).tolist() == [4, 3, 3]
    assert apportion(7, [0, 2, 5]).tolist() == [0, 2, 5]
    assert apportion(0, [0, 0]).tolist() == [0, 0]
    with pytest.raises(FiscalError, match="every weight is zero") as zero:
        apportion(5, [0, 0])
    assert zero.value.refusal is not None and zero.value.refusal.zh == "分配：所有权重均为零，5 元无法分配"
    with pytest.raises(FiscalError, match="negative total"):
        apportion(-1, [1])
    with pytest.raises(FiscalError) as weight:
        apportion(5, [1, float("nan")], ("预算分配", "budget allocation"))
    assert weight.value.refusal is not None and weight.value.refusal.zh.startswith("预算分配：第 2 行的权重为 nan；")


def by_region(frame: pl.DataFrame, column: str) -> dict[str, float]:
    return dict(zip(frame["region_code"].to_list(), frame[column].to_list(), strict=True))


def test_resident_basis_terms_by_hand() -> None:
    # pots 600/300/100; N = resident 100/300; migrants 0/150; incentive S_B = 10 + 0.2·100 = 30.
    out = allocate_transfers(BASES, scheme(), settlement=SETTLEMENT)
    assert by_region(out, "population_term_yuan") == {"A": 150, "B": 450}
    assert by_region(out, "migrant_term_yuan") == {"A": 0, "B": 300}
    assert by_region(out, "incentive_term_yuan") == {"A": 0, "B": 100}
    assert by_region(out, "transfer_yuan") == {"A": 150, "B": 850}
    assert by_region(out, "land_quota_m2") == {"A": 0.0, "B": 1000.0}


def test_conversion_ratio_moves_the_population_term() -> None:
    registered = allocate_transfers(BASES, scheme(**{"transfer.resident_conversion_ratio": 0.0}), settlement=SETTLEMENT)
    half = allocate_transfers(BASES, scheme(**{"transfer.resident_conversion_ratio": 0.5}), settlement=SETTLEMENT)
    assert by_region(registered, "population_term_yuan") == {"A": 300, "B": 300}
    assert by_region(half, "population_term_yuan") == {"A": 225, "B": 375}  # N = 150 / 250


def test_capacity_factor_by_hand() -> None:
    bases = BASES.with_columns(pl.Series("urbanisation_rate", [0.8, 0.2]), pl.Series("resident", [100.0, 100.0]))
    out = allocate_transfers(bases, scheme(**{"transfer.capacity.elasticity": 0.5}), settlement=SETTLEMENT)
    # national rate 0.5: index 1.6 and 0.4; 1.6^-0.5 = 0.7906, 0.4^-0.5 = 1.581 clipped to 1.5.
    assert by_region(out, "capacity_factor")["A"] == pytest.approx(1.6**-0.5)
    assert by_region(out, "capacity_factor")["B"] == pytest.approx(1.5)
    share_a = 100 * 1.6**-0.5 / (100 * 1.6**-0.5 + 100 * 1.5)
    assert abs(by_region(out, "population_term_yuan")["A"] - 600 * share_a) < 1


def test_settlement_assumption_is_used_without_a_table() -> None:
    out = allocate_transfers(BASES, scheme())
    assert by_region(out, "settled") == {"A": 0.0, "B": 15.0}
    assert by_region(out, "served") == {"A": 0.0, "B": 150.0}


def test_explanation_prints_every_term() -> None:
    params = scheme()
    row = allocate_transfers(BASES, params, settlement=SETTLEMENT).row(1, named=True)
    text = explain_en(row, params)
    for fragment in (
        "transfer 850 yuan",
        "population term 450 yuan",
        "migrant term 300 yuan",
        "incentive term 100 yuan",
        "fiscal-capacity factor a = 1.000",
        "settled 10 + 0.2 × served 100",
        "land quota 1,000 m²",
    ):
        assert fragment in text


def test_compare_bases_difference() -> None:
    out = compare_bases(BASES, scheme())
    assert by_region(out, "difference_yuan") == {
        "A": by_region(out, "transfer_resident_basis_yuan")["A"]
        - by_region(out, "transfer_registered_basis_yuan")["A"],
        "B": by_region(out, "transfer_resident_basis_yuan")["B"]
        - by_region(out, "transfer_registered_basis_yuan")["B"],
    }
    assert by_region(out, "difference_yuan")["A"] == -150


def test_empty_pot_with_weight_is_an_error() -> None:
    bases = BASES.with_columns(pl.lit(0.0).alias("interprov_in_migrants"))
    with pytest.raises(
        FiscalError, match="migrants-served pot has 300 yuan but every region's base for it is zero"
    ) as e:
        allocate_transfers(bases, scheme(), settlement=SETTLEMENT)
    assert e.value.refusal is not None and e.value.refusal.code == RefusalCode.FISCAL_POT_NO_BASE
    # the pot and the weight to set to 0 by their names, in Chinese (it said "set transfer.weights.migrants to 0")
    assert e.value.refusal.zh.startswith("服务流动人口资金有 300 元，但各地区的分配基数均为零：请在方案“")
    assert e.value.refusal.zh.endswith("”中把“服务流动人口资金权重”设为 0")


def test_negative_population_is_named() -> None:
    bases = BASES.with_columns(pl.Series("resident", [100.0, -1.0]))
    # the column by its header in the files the office hands out (rules.labels.FILE_COLUMNS)
    with pytest.raises(FiscalError, match=r"bases table row 2 \(B\): residents \(people\) must be a non-negative") as e:
        allocate_transfers(bases, scheme())
    assert e.value.refusal is not None and e.value.refusal.zh == "各省人口基数表第 2 行（B）：常住人口（人）须为非负数"


@settings(max_examples=60, deadline=None)
@given(
    fund=st.integers(min_value=0, max_value=10**13),
    rows=st.lists(
        st.tuples(st.floats(1, 1e8), st.floats(1, 1e8), st.floats(0, 1e7), st.floats(0.05, 1.0)),
        min_size=1,
        max_size=12,
    ),
    weights=st.tuples(st.integers(0, 10), st.integers(0, 10), st.integers(0, 10)).filter(lambda w: sum(w) > 0),
    rho=st.floats(0, 1),
)
def test_transfers_always_sum_to_the_fund(
    fund: int, rows: list[tuple[float, float, float, float]], weights: tuple[int, int, int], rho: float
) -> None:
    total = sum(weights)
    w = {"population": weights[0] / total, "migrants": weights[1] / total}
    w["incentive"] = max(0.0, 1.0 - w["population"] - w["migrants"])
    bases = pl.DataFrame(
        {
            "region_code": [f"R{i}" for i in range(len(rows))],
            "region_name_zh": [f"R{i}" for i in range(len(rows))],
            "resident": [r[0] for r in rows],
            "registered_est": [r[1] for r in rows],
            "interprov_in_migrants": [r[2] + 1.0 for r in rows],
            "urbanisation_rate": [r[3] for r in rows],
        }
    )
    params = scheme(
        fund_yuan=fund,
        **{"transfer.weights": w, "transfer.resident_conversion_ratio": rho, "transfer.capacity.elasticity": 1.0},
    )
    out = allocate_transfers(bases, params)
    assert int(out["transfer_yuan"].sum()) == fund
    assert (out["transfer_yuan"] >= 0).all()
    terms = out["population_term_yuan"] + out["migrant_term_yuan"] + out["incentive_term_yuan"]
    assert np.array_equal(terms.to_numpy(), out["transfer_yuan"].to_numpy())


def test_a_region_missing_from_the_settlement_table_is_unknown_not_zero() -> None:
    """A settlement table without a row for B: B's settled migrants are unknown, not 0 (which would give its incentive
    money to A without a word)."""
    settled = r"settled and served has no row for 1 region\(s\): B; .* unknown, not 0"
    with pytest.raises(FiscalError, match=settled) as e:
        allocate_transfers(BASES, scheme(), settlement=SETTLEMENT.filter(pl.col("region_code") == "A"))
    assert e.value.refusal is not None and e.value.refusal.code == RefusalCode.FISCAL_TABLE_REGIONS_MISSING
    assert dict(e.value.refusal.params)["regions"] == ("B",)  # a place: shown with its name where it has one


def test_a_region_missing_from_the_unit_cost_index_is_unknown_not_one() -> None:
    index = pl.DataFrame({"region_code": ["B"], "unit_cost_index": [1.2]})
    with pytest.raises(FiscalError, match=r"unit cost index table has no row for 1 region\(s\): A;") as e:
        allocate_transfers(BASES, scheme(), settlement=SETTLEMENT, unit_cost_index=index)
    assert e.value.refusal is not None
    assert e.value.refusal.zh == "单位成本指数表没有以下 1 个地区的行：A；这些地区的数字未知，不能当作 0"


def test_an_error_names_a_column_as_the_table_a_person_reads_heads_it() -> None:
    """One label per column: the fiscal errors had a second table (常住人口 beside the tables' 常住人口（人）,
    单位成本（元） beside 单位成本（估算，元）)."""
    from changzhu.domain.lang import in_sentence
    from changzhu.fiscal.errors import column_words
    from changzhu.rules.labels import FILE_COLUMNS, GAP_COLUMNS

    for column in (
        "resident",
        "registered_est",
        "settled",
        "unit_cost_index",
        "gap_cost_yuan",
        "interprov_in_migrants",
    ):
        assert tuple(column_words(column).values()) == (FILE_COLUMNS[column][0], in_sentence(FILE_COLUMNS[column][1]))
    for column in ("unit_cost_yuan", "basis", "demand"):
        assert tuple(column_words(column).values()) == (GAP_COLUMNS[column][0], in_sentence(GAP_COLUMNS[column][1]))
