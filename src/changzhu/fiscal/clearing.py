"""Clearing of service vouchers (服务券) redeemed across regions into net payments between treasuries.

A redemption row says: a voucher issued (and funded) by `issuing_region` was redeemed at a provider in
`providing_region`, for `amount_yuan`. The issuing treasury owes the providing treasury that amount.
Amounts are summed in whole fen (0.01 yuan), so clearing is exact: every region's net position is
receivable − payable, the positions sum to zero, and both settlement forms below pay exactly them.

- bilateral: for each pair of treasuries, one payment of the difference of what each owes the other;
- multilateral: each treasury's net position settled in at most n − 1 payments (largest debtor pays the
  largest creditor first), as a clearing house would.

Redemptions inside one region are not cross-region and are left out. A bad row is named by the row a person sees it
on (a CSV's line, header = 1; a sheet's row: `lines`, as tables/read.py counts them) and its column by its label in
the reader's language (rules/labels.FILE_COLUMNS), never by the frame's position or column name.
"""

from __future__ import annotations

from collections.abc import Callable

import polars as pl

from changzhu.domain.lang import in_sentence
from changzhu.domain.refusals import RefusalCode, refusal
from changzhu.fiscal.errors import FiscalError
from changzhu.rules.labels import FILE_COLUMNS

REDEMPTION_COLUMNS = ("issuing_region", "providing_region", "amount_yuan")
FEN = 100


def redemption_column(column: str) -> dict[str, str]:
    """The refusal parameters naming a redemptions column by its label: column_zh, column_en."""
    zh, en = FILE_COLUMNS.get(column, (column, column))
    return {"column_zh": zh, "column_en": in_sentence(en)}


def _counted_from_one(row: int) -> int:
    return row + 1


def check_redemptions(redemptions: pl.DataFrame, lines: Callable[[int], int] = _counted_from_one) -> pl.DataFrame:
    """Cross-region redemptions as (payer, payee, fen); raises naming the row and column of bad input. `lines`: the
    row a person sees data row i on (a file's: tables.formats.RawTable.line); a frame's rows are counted from 1. An
    amount written as text (a CSV's cell) is read as a number; one that is none is refused with its row."""
    missing = [c for c in REDEMPTION_COLUMNS if c not in redemptions.columns]
    if missing:
        named = [FILE_COLUMNS.get(c, (c, c)) for c in missing]
        columns = {
            "columns_zh": "、".join(zh for zh, _ in named),
            "columns_en": ", ".join(in_sentence(en) for _, en in named),
        }
        raise FiscalError(refusal(RefusalCode.FISCAL_REDEMPTIONS_COLUMNS, **columns))
    given = redemptions["amount_yuan"]
    if given.dtype == pl.String:
        amount = given.str.strip_chars().str.replace_all(",", "").cast(pl.Float64, strict=False)
    elif given.dtype.is_numeric():
        amount = given.cast(pl.Float64)
    else:
        dtype = str(given.dtype)
        column = redemption_column("amount_yuan")
        raise FiscalError(refusal(RefusalCode.FISCAL_REDEMPTIONS_NOT_NUMERIC, **column, dtype=dtype))
    for name in ("issuing_region", "providing_region"):
        bad = (redemptions[name].is_null() | (redemptions[name].cast(pl.String).str.strip_chars() == "")).arg_true()
        if bad.len():
            row = lines(int(bad[0]))
            raise FiscalError(refusal(RefusalCode.FISCAL_REDEMPTIONS_EMPTY, row=row, **redemption_column(name)))
    bad = (amount.is_null() | amount.is_nan() | amount.is_infinite() | (amount < 0)).arg_true()
    if bad.len():
        cell = given[int(bad[0])]
        value = cell if isinstance(cell, str) and cell.strip() else repr(cell)  # a cell's text as written
        column = redemption_column("amount_yuan")
        raise FiscalError(refusal(RefusalCode.FISCAL_REDEMPTIONS_AMOUNT, row=lines(int(bad[0])), **column, value=value))
    return redemptions.select(
        pl.col("issuing_region").cast(pl.String).alias("payer"),
        pl.col("providing_region").cast(pl.String).alias("payee"),
        (amount * FEN).round(0).cast(pl.Int64).alias("fen"),
    ).filter(pl.col("payer") != pl.col("payee"))


def _gross_fen(flows: pl.DataFrame) -> pl.DataFrame:
    return flows.group_by("payer", "payee").agg(pl.col("fen").sum())


def net_bilateral_fen(flows: pl.DataFrame) -> pl.DataFrame:
    """Pairwise netting of (payer, payee, fen) rows: one row per pair with what the net debtor pays."""
    gross = _gross_fen(flows)
    reverse = gross.select(pl.col("payer").alias("payee"), pl.col("payee").alias("payer"), pl.col("fen").alias("back"))
    both = gross.join(reverse, on=["payer", "payee"], how="full", coalesce=True).with_columns(
        pl.col("fen").fill_null(0), pl.col("back").fill_null(0)
    )
    return (
        both.with_columns((pl.col("fen") - pl.col("back")).alias("net_fen"))
        .filter(pl.col("net_fen") > 0)
        .select("payer", "payee", "net_fen")
        .sort("net_fen", "payer", "payee", descending=[True, False, False])
    )


def net_positions_fen(flows: pl.DataFrame) -> pl.DataFrame:
    """Each region's receivable, payable and net position (receivable − payable) in fen."""
    gross = _gross_fen(flows)
    receivable = gross.group_by(pl.col("payee").alias("region")).agg(pl.col("fen").sum().alias("receivable_fen"))
    payable = gross.group_by(pl.col("payer").alias("region")).agg(pl.col("fen").sum().alias("payable_fen"))
    return (
        receivable.join(payable, on="region", how="full", coalesce=True)
        .with_columns(pl.col("receivable_fen", "payable_fen").fill_null(0))
        .with_columns((pl.col("receivable_fen") - pl.col("payable_fen")).alias("net_fen"))
        .sort("net_fen", "region", descending=[True, False])
    )


def settle_multilateral_fen(positions: pl.DataFrame) -> pl.DataFrame:
    """Payments (payer, payee, fen) that settle every net position, largest debtor to largest creditor first."""
    creditors = [[r, int(n)] for r, n in positions.select("region", "net_fen").iter_rows() if n > 0]
    debtors = [[r, int(-n)] for r, n in positions.select("region", "net_fen").iter_rows() if n < 0]
    creditors.sort(key=lambda x: (-x[1], x[0]))
    debtors.sort(key=lambda x: (-x[1], x[0]))
    payments: list[tuple[str, str, int]] = []
    i = j = 0
    while i < len(debtors) and j < len(creditors):
        amount = min(debtors[i][1], creditors[j][1])
        payments.append((str(debtors[i][0]), str(creditors[j][0]), amount))
        debtors[i][1] -= amount
        creditors[j][1] -= amount
        i += debtors[i][1] == 0
        j += creditors[j][1] == 0
    return pl.DataFrame(payments, schema={"payer": pl.String, "payee": pl.String, "fen": pl.Int64}, orient="row")


def _to_yuan(frame: pl.DataFrame, columns: dict[str, str]) -> pl.DataFrame:
    return frame.with_columns((pl.col(src) / FEN).alias(dst) for src, dst in columns.items()).drop(columns)


def clear_vouchers(
    redemptions: pl.DataFrame, lines: Callable[[int], int] = _counted_from_one
) -> dict[str, pl.DataFrame]:
    """Net payments between treasuries for cross-region voucher redemptions (`lines`: as `check_redemptions`).

    Returns 'bilateral' (payer_region, payee_region, amount_yuan), 'positions' (region, receivable_yuan,
    payable_yuan, net_yuan) and 'multilateral' (payer_region, payee_region, amount_yuan).
    """
    flows = check_redemptions(redemptions, lines)
    positions = net_positions_fen(flows)
    rename = {"payer": "payer_region", "payee": "payee_region"}
    return {
        "bilateral": _to_yuan(net_bilateral_fen(flows), {"net_fen": "amount_yuan"}).rename(rename),
        "positions": _to_yuan(
            positions, {"receivable_fen": "receivable_yuan", "payable_fen": "payable_yuan", "net_fen": "net_yuan"}
        ),
        "multilateral": _to_yuan(settle_multilateral_fen(positions), {"fen": "amount_yuan"}).rename(rename),
    }
