"""Budget LP (HiGHS) on hand-computed cases, infeasibility diagnosis, and sums equal to the fund."""

from __future__ import annotations

import polars as pl
import pytest
from fiscal_helpers import gaps_frame, scheme
from hypothesis import given, settings
from hypothesis import strategies as st

from changzhu.fiscal.allocation import GENERAL_GRANT, allocate_budget, greedy_unmet
from changzhu.fiscal.errors import FiscalError, InfeasibleAllocationError, column_words

POP = pl.DataFrame({"region_code": ["A", "B"], "resident": [100.0, 100.0]})
# A: 60 yuan of need in s1 (weight 2); B: 100 yuan of need in s2 (weight 1, the default).
GAPS = gaps_frame(
    [
        ("A", "s1", "resident", 6, 0, 10),
        ("B", "s2", "resident", 10, 0, 10),
        ("A", "s1", "local_hukou_resident", 3, 0, 10),
        ("B", "s2", "local_hukou_resident", 12, 0, 10),
    ]
)


def region_totals(allocation_regions: pl.DataFrame) -> dict[str, int]:
    return dict(
        zip(allocation_regions["region_code"].to_list(), allocation_regions["allocated_yuan"].to_list(), strict=True)
    )


def test_heaviest_need_is_filled_first() -> None:
    out = allocate_budget(GAPS, POP, 100, scheme().allocation)
    assert region_totals(out.regions) == {"A": 60, "B": 40}
    assert out.unmet_yuan == 60  # B's remaining need
    assert out.weighted_unmet == pytest.approx(60.0)


def test_equity_constraint_caps_the_ratio() -> None:
    params = scheme(**{"allocation.max_min_per_capita_ratio": 1.2}).allocation
    totals = region_totals(allocate_budget(GAPS, POP, 100, params).regions)
    assert sum(totals.values()) == 100
    assert totals["A"] == pytest.approx(100 * 1.2 / 2.2, abs=1)  # t_A = 1.2 t_B at the optimum


def test_floor_moves_money_and_general_grant_covers_surplus() -> None:
    floors = pl.DataFrame({"region_code": ["A", "B"], "floor_yuan": [0.0, 70.0]})
    out = allocate_budget(GAPS, POP, 100, scheme().allocation, floors_yuan=floors)
    assert region_totals(out.regions) == {"A": 30, "B": 70}
    rich = allocate_budget(GAPS, POP, 500, scheme().allocation)
    grants = rich.cells.filter(pl.col("service") == GENERAL_GRANT)
    assert int(rich.cells["allocated_yuan"].sum()) == 500
    assert int(grants["allocated_yuan"].sum()) == 500 - 160  # every gap met, the rest is general grant
    assert rich.unmet_yuan == 0


def test_floors_above_the_fund_are_named() -> None:
    params = scheme(**{"allocation.floor_yuan_per_resident": 1.0}).allocation
    with pytest.raises(
        InfeasibleAllocationError, match=r"the floors bind: they add up to 200 yuan, more than the fund"
    ):
        allocate_budget(GAPS, POP, 150, params)


def test_infeasible_lp_says_the_equity_constraint_binds() -> None:
    floors = pl.DataFrame({"region_code": ["A", "B"], "floor_yuan": [90.0, 0.0]})
    params = scheme(**{"allocation.max_min_per_capita_ratio": 1.0}).allocation
    with pytest.raises(InfeasibleAllocationError, match="the equity constraint binds"):
        allocate_budget(GAPS, POP, 100, params, floors_yuan=floors)


def test_bad_gaps_are_named() -> None:
    with pytest.raises(FiscalError, match="lacks column") as e:
        allocate_budget(GAPS.drop("gap_cost_yuan"), POP, 100, scheme().allocation)
    # the column named by its header in the files the office hands out (rules.labels.FILE_COLUMNS): an estimate
    assert e.value.refusal is not None and e.value.refusal.zh == "服务缺口表缺少列：补齐缺口费用（估算，元）"
    with pytest.raises(FiscalError, match="basis 'hukou' is not one of") as e:
        allocate_budget(GAPS.with_columns(pl.lit("hukou").alias("basis")), POP, 100, scheme().allocation)
    assert e.value.refusal is not None
    assert e.value.refusal.zh == "服务缺口表第 1 行（A）：人口口径“hukou”不是可选值之一：本地户籍常住人口、常住人口"
    no_cost = GAPS.with_columns(pl.Series("unit_cost_yuan", [10.0, None, 10.0, 10.0]))
    with pytest.raises(FiscalError, match=r"gaps table row 2 \(B\): unit cost, estimate \(yuan\) is missing") as e:
        allocate_budget(no_cost, POP, 100, scheme().allocation)
    assert e.value.refusal is not None and e.value.refusal.zh == "服务缺口表第 2 行（B）：缺少单位成本（估算，元）"
    with pytest.raises(
        FiscalError, match='the fiscal parameter "Size of the central transfer fund" must not be negative'
    ):
        allocate_budget(GAPS, POP, -1, scheme().allocation)
    with pytest.raises(FiscalError, match=r"no resident population for 1 region\(s\): B") as e:
        allocate_budget(GAPS, POP.head(1), 100, scheme().allocation)
    assert e.value.refusal is not None and e.value.refusal.zh == "没有以下 1 个地区的常住人口：B"


def test_greedy_unmet_of_a_simple_split() -> None:
    weighted, plain = greedy_unmet(GAPS, {"A": 50, "B": 50}, scheme().allocation)
    assert (weighted, plain) == (2 * 10 + 50, 60)


@settings(max_examples=40, deadline=None)
@given(
    fund=st.integers(0, 10**9),
    cells=st.lists(
        st.tuples(st.integers(0, 4), st.sampled_from(["s1", "s2", "s3"]), st.floats(0, 1e8)),
        min_size=1,
        max_size=15,
        unique_by=lambda c: (c[0], c[1]),
    ),
    ratio=st.floats(1, 10),
)
def test_lp_always_allocates_the_whole_fund(fund: int, cells: list[tuple[int, str, float]], ratio: float) -> None:
    gaps = gaps_frame([(f"R{r}", s, "resident", g, 0, 1) for r, s, g in cells])
    regions = sorted({f"R{r}" for r, _, _ in cells})
    pop = pl.DataFrame({"region_code": regions, "resident": [1000.0 * (i + 1) for i in range(len(regions))]})
    out = allocate_budget(gaps, pop, fund, scheme(**{"allocation.max_min_per_capita_ratio": ratio}).allocation)
    assert int(out.cells["allocated_yuan"].sum()) == fund
    assert (out.cells["allocated_yuan"] >= 0).all()


def test_every_fiscal_input_column_is_named_by_the_one_labels_table() -> None:
    """A refusal names a fiscal table's column by the labels of the files (rules.labels: the gaps file's headers,
    else FILE_COLUMNS), never by a second table of its own nor by the frame's name: each column the fiscal part
    checks has words there, the same words the file headed with it reads."""
    from changzhu.domain.lang import in_sentence
    from changzhu.fiscal.allocation import GAP_INPUT_COLUMNS
    from changzhu.fiscal.clearing import REDEMPTION_COLUMNS
    from changzhu.fiscal.transfers import REQUIRED_BASES
    from changzhu.rules.labels import FILE_COLUMNS, GAP_COLUMNS

    read = {*GAP_INPUT_COLUMNS, *REQUIRED_BASES, "urbanisation_rate", "settled", "served"}
    read |= {"unit_cost_index", "destination_code", "origin_code", "migrants_est"}
    for column in sorted(read):
        words = column_words(column)
        zh, en = GAP_COLUMNS.get(column) or FILE_COLUMNS[column]
        assert (words["column_zh"], words["column_en"]) == (zh, in_sentence(en)), column  # inside its sentence
    assert column_words("gap") == {"column_zh": "缺口（需求 − 供给）", "column_en": "gap (demand − supply)"}
    # the voucher redemptions keep their own names on purpose (`changzhu fiscal --redemptions` names them as written)
    assert "issuing_region" in REDEMPTION_COLUMNS
