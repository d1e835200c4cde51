"""The names of region codes as the API shows them beside the codes (resident lists, audit records, errors)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from changzhu.store.models import RegionRow


def region_names(session: Session, codes: set[str]) -> dict[str, tuple[str, str | None]]:
    """Chinese and English names of region codes (the prefecture's where a code names several levels)."""
    if not codes:
        return {}
    order = {"prefecture": 0, "province": 1, "county": 2}
    rows = session.execute(
        select(RegionRow.code, RegionRow.level, RegionRow.name_zh, RegionRow.name_en).where(RegionRow.code.in_(codes))
    ).all()
    names: dict[str, tuple[str, str | None]] = {}
    for code, _level, zh, en in sorted(rows, key=lambda r: (r[0], order.get(r[1], 9)), reverse=True):
        names[code] = (zh, en)
    return names
