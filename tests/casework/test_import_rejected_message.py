"""The one line a refused import ends with names a suggested region as the error report does, by its name and code
("did you mean Shenzhen (440300)?"), not by the bare code ("did you mean 440300?", README's tour)."""

from __future__ import annotations

from changzhu.casework.bulk_import import ImportRejected, RowError
from changzhu.domain.refusals import RefusalCode, refusal


def test_the_refusal_line_names_the_suggested_region() -> None:
    near = refusal(RefusalCode.NOT_A_REGION_NEAR_PLACE, near="440300")
    rejected = ImportRejected("常住人口.xlsx", [RowError(4, "常住地 (residence_region)", near, "深圳")], would_store=2)
    assert str(rejected) == (
        "常住人口.xlsx: 1 bad row, nothing imported: row 4 常住地 (residence_region): not a region code or the exact"
        " name of a region; did you mean Shenzhen (440300)?"
    )
    assert rejected.report()["reason"].to_list() == [
        "not a region code or the exact name of a region; did you mean Shenzhen (440300)?"
    ]
