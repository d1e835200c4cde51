"""The figures of a table by region (the planning gaps, the transfers, the allocation and its split by service, the
compensation flows) at the precision a person reads them in a file asked with a language (format=csv|xlsx&lang=):
people, places, beds and yuan whole, yuan per resident to the fen, indices to three decimals; a file without a
language (for scripts) keeps every figure as computed (docs/api.md, "Files for people and files for scripts")."""

from __future__ import annotations

import polars as pl

# counted in whole persons, places, beds or square metres (a fraction of one is an artefact of the estimate)
WHOLE = frozenset(
    {
        "population",
        "demand",
        "supply",
        "gap",
        "idle",
        "resident",
        "registered_est",
        "counted_population",
        "settled",
        "served",
        "land_quota_m2",
    }
)
FEN = frozenset({"transfer_per_resident"})  # yuan per resident: to 0.01 yuan, as the screen shows it
INDEX_DIGITS = 3
INDICES = frozenset({"capacity_factor", "unit_cost_index"})  # ratios about 1


def whole(column: str) -> pl.Expr:
    """A figure rounded to the whole unit, as an integer (a figure not known, NaN, stays empty: never zero)."""
    figure = pl.col(column)
    return pl.when(figure.is_nan()).then(None).otherwise(figure).round(0).cast(pl.Int64).alias(column)


def as_read(frame: pl.DataFrame) -> pl.DataFrame:
    """`frame` with its figures rounded for a person's file: the columns WHOLE and every amount of yuan (`*_yuan`)
    to the whole unit, FEN to two decimals, INDICES to three; an integer column, and any other, as it is."""
    floats = {c for c, dtype in frame.schema.items() if dtype.is_float()}
    return frame.with_columns(
        *(whole(c) for c in sorted(floats) if c in WHOLE or c.endswith("_yuan")),
        *(pl.col(c).round(2) for c in sorted(floats & FEN)),
        *(pl.col(c).round(INDEX_DIGITS) for c in sorted(floats & INDICES)),
    )
