"""Voucher clearing into net payments between treasuries: hand case, conservation, bad input."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from changzhu.fiscal.clearing import clear_vouchers
from changzhu.fiscal.errors import FiscalError

REDEMPTIONS = pl.DataFrame(
    {
        "issuing_region": ["A", "B", "A", "C", "A"],
        "providing_region": ["B", "A", "C", "C", "B"],
        "amount_yuan": [60.0, 30.0, 10.5, 5.0, 40.0],
    }
)


def test_bilateral_and_multilateral_by_hand() -> None:
    out = clear_vouchers(REDEMPTIONS)
    assert out["bilateral"].rows() == [("A", "B", 70.0), ("A", "C", 10.5)]
    positions = {r["region"]: r["net_yuan"] for r in out["positions"].iter_rows(named=True)}
    assert positions == {"A": -80.5, "B": 70.0, "C": 10.5}  # C's own redemption is not cross-region
    assert out["multilateral"].rows() == [("A", "B", 70.0), ("A", "C", 10.5)]


@pytest.mark.parametrize(
    ("frame", "message"),
    [
        (REDEMPTIONS.drop("amount_yuan"), r"lack column\(s\): amount \(yuan\)"),
        # a frame's rows are counted from 1 (a file's as the file shows them: test_fiscal_words.py)
        (
            REDEMPTIONS.with_columns(pl.Series("amount_yuan", [1.0, -2.0, 1.0, 1.0, 1.0])),
            'row 2: "amount \\(yuan\\)" is -2.0',
        ),
        (REDEMPTIONS.with_columns(pl.Series("issuing_region", ["A", None, "A", "C", "A"])), 'row 2: "issuing region"'),
        (REDEMPTIONS.with_columns(pl.lit("x").alias("amount_yuan")), 'row 1: "amount \\(yuan\\)" is x'),
        (REDEMPTIONS.with_columns(pl.lit(True).alias("amount_yuan")), "must hold numbers"),
    ],
)
def test_bad_redemptions_are_named(frame: pl.DataFrame, message: str) -> None:
    with pytest.raises(FiscalError, match=message):
        clear_vouchers(frame)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from("ABCDE"), st.sampled_from("ABCDE"), st.integers(0, 10**9)), min_size=1, max_size=40
    )
)
def test_clearing_conserves_money(rows: list[tuple[str, str, int]]) -> None:
    frame = pl.DataFrame(
        {
            "issuing_region": [r[0] for r in rows],
            "providing_region": [r[1] for r in rows],
            "amount_yuan": [r[2] / 100 for r in rows],
        }
    )
    out = clear_vouchers(frame)
    positions = {r["region"]: round(r["net_yuan"] * 100) for r in out["positions"].iter_rows(named=True)}
    assert sum(positions.values()) == 0
    for method in ("bilateral", "multilateral"):
        received: dict[str, int] = {}
        for payer, payee, amount in out[method].rows():
            received[payee] = received.get(payee, 0) + round(amount * 100)
            received[payer] = received.get(payer, 0) - round(amount * 100)
        assert {k: v for k, v in received.items() if v} == {k: v for k, v in positions.items() if v}
    assert out["multilateral"].height <= max(len(positions) - 1, 0)
