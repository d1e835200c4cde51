"""A siting run's estimate note is kept coded and worded when read, in the reader's language: a run stored before
the note was coded (its text naming the school-age parameters by their keys, planning.school_age.*) reads in words,
citing the shares by label, value and source, never its stored text."""

from __future__ import annotations

import pytest

from changzhu.api.siting_runs import told_summary
from changzhu.domain.lang import Lang
from changzhu.domain.refusals import RefusalCode
from changzhu.planning.siting import access_estimate
from changzhu.store.siting_models import SitingRunRow

# what a school run's summary kept before notes were coded (the text of SITING_ACCESS_SCHOOLS at b7a9f91)
OLD_SCHOOL_NOTE = (
    "估算：建设前的每千名学龄儿童学位中，学校清单以外的学位按本地户籍常住人口分摊到地级市驻地（不是统计数），学龄儿童"
    "按 planning.school_age.* 参数从5–14岁人口推算；建设后把常住口径学位缺口平均加到 p-中位新址 / estimate: before, "
    "the places not in the school list are apportioned to the prefecture seats by local-hukou residents (not a "
    "statistic), and the children of school age are the planning.school_age.* share of the census 5–14 band; after, "
    "the resident-basis place gap is added in equal parts at the p-median sites"
)


def _row(service: str, summary: dict[str, object]) -> SitingRunRow:
    return SitingRunRow(id="r1", region_code="440300", service=service, p=2, status="done", summary=summary)


@pytest.mark.parametrize("lang", [Lang.ZH, Lang.EN])
def test_an_old_school_run_reads_its_note_in_words_not_keys(lang: Lang) -> None:
    told = told_summary(_row("primary_school_places", {"gap": 10.0, "estimate_note": OLD_SCHOOL_NOTE}), lang)
    assert told is not None and told["gap"] == 10.0
    note = told["estimate_note"]
    assert "planning." not in note and "school_age" not in note, note
    assert " / " not in note  # one language, the reader's
    assert ("0.6" in note and "0.3" in note) and (("学龄占比" in note) if lang == Lang.ZH else ("share" in note))
    assert told["estimate"]["code"] == RefusalCode.SITING_ESTIMATE_SCHOOLS.value


def test_a_new_run_keeps_its_note_coded_and_reads_it_in_each_language() -> None:
    coded = access_estimate("hospital_beds").as_json()
    row = _row("hospital_beds", {"gap": 1.0, "estimate": coded})
    zh, en = told_summary(row, Lang.ZH), told_summary(row, Lang.EN)
    assert zh is not None and en is not None
    assert zh["estimate_note"].startswith("估算：") and en["estimate_note"].startswith("estimate:")
    assert zh["estimate"] == en["estimate"] == coded
    assert told_summary(_row("hospital_beds", {}), Lang.ZH) == {
        "estimate": coded,
        "estimate_note": zh["estimate_note"],
    }
