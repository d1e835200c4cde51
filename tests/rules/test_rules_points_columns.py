"""The points columns of evaluate(earliest=True): schemes on rows apart share the arrays their totals are written
into (each column null off its own rows), and still read as the totals of evaluate(earliest=False)."""

import polars as pl
from rules_support import ON, random_people

from changzhu.rules import evaluate


def test_schemes_on_rows_apart_share_their_arrays_and_keep_their_own_totals() -> None:
    people = random_people(1500, 12)
    full = evaluate(people, ON)
    columns = [c for c in full.columns if c.startswith("points") and full[c].null_count() < full.height]
    schemes = {c.removeprefix("points_").removeprefix("low_").removeprefix("high_") for c in columns}
    values = {full[c].to_arrow().buffers()[1].address for c in columns}  # the array each column reads its values from
    assert len(schemes) >= 3  # several cities' schemes hold someone
    assert len(values) <= 3  # one array per total (assessed, low, high), whatever the number of schemes
    fast = evaluate(people, ON, earliest=False)  # each scheme's totals over every row, in arrays of their own
    assert full.select(columns).equals(fast.select(columns))
    assert not any(full.select(pl.col(columns).is_nan().any()).row(0))  # NaN is null, as before
