"""Facts about one resident given as name=value pairs (`changzhu resident register --fact 学历=本科`)."""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from changzhu.errors import ChangzhuError
from changzhu.tables.kinds import RESIDENT_FACTS, fact_column
from changzhu.tables.schema import Column, header_candidates
from changzhu.tables.vocab import parse_column


def parse_facts(pairs: list[str], declared: Sequence[Column] = ()) -> dict[str, object]:
    """Each `name=value` read as the fact's type (names in English or Chinese; the core facts and the `declared`
    inputs); an unknown name or a value that cannot be read is an error naming it."""
    columns = [*(fact_column(n) for n in RESIDENT_FACTS), *declared]
    by_header = {key: c for c in columns for h in c.headers() if h for key in header_candidates(h)}
    facts: dict[str, object] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep:
            raise ChangzhuError(f"--fact {pair!r}: write name=value, e.g. education=bachelor or 学历=本科")
        col = next((by_header[k] for k in header_candidates(name) if k in by_header), None)
        if col is None:
            known = ", ".join(c.name for c in columns)
            raise ChangzhuError(f"--fact {name!r}: not a fact the registry keeps; facts: {known}")
        parsed = parse_column(pl.Series([value]), col, None)
        why = parsed.refusals()[0]
        if why is not None:
            raise ChangzhuError(f"--fact {name}={value!r}：{why.zh} / --fact {name}={value!r}: {why.en}")
        typed = parsed.values.cast(pl.String) if isinstance(parsed.values.dtype, pl.Enum) else parsed.values
        facts[col.name] = typed.to_list()[0]
    return facts
