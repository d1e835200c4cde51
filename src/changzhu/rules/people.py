"""Small person tables from records (policy tests, examples, API requests)."""

from __future__ import annotations

from typing import Any

import polars as pl

from changzhu.domain.person import PERSON_COLUMNS
from changzhu.domain.refusals import RefusalCode, refusal
from changzhu.rules.errors import PolicyError


def people_from_records(records: list[dict[str, Any]], where: str = "people") -> pl.DataFrame:
    """A person table from a list of mappings; values are converted by validate_person_table later."""
    if not records:
        raise PolicyError(refusal(RefusalCode.POLICY_NO_PEOPLE), where=where)
    known = {c.name for c in PERSON_COLUMNS}
    present = [c for c in PERSON_COLUMNS if any(c.name in r for r in records)]
    data = {c.name: [r.get(c.name, c.default) for r in records] for c in present}
    # other columns are declared inputs (checked against the policies' declarations when the table is validated);
    # a person without the value has it unknown (null)
    for name in sorted({k for r in records for k in r} - known):
        data[name] = [r.get(name) for r in records]
    return pl.DataFrame(data, strict=False, infer_schema_length=None)
