"""The Chinese beside each refusal the readers give in English: every suggestion and candidate is kept."""

from __future__ import annotations

from changzhu.api.upload_reasons import reason_pair
from changzhu.tables.vocab import shipped_region_index


def test_region_hints_keep_every_suggestion_in_chinese() -> None:
    index = shipped_region_index()
    _, one = index.resolve("深圳", None)
    _, two = index.resolve("南山", None)
    _, ambiguous = index.resolve("南山区", "county")
    assert one is not None and two is not None and ambiguous is not None
    assert reason_pair(one) == ("不是地区代码或准确的地名；是否指 深圳市？", one)
    assert reason_pair(two)[0] == "不是地区代码或准确的地名；是否指 南山区、南县？"
    assert reason_pair(ambiguous)[0] == (
        "地名 南山区 有重名：请填写代码或连同所属城市的地名（230404 黑龙江省鹤岗市南山区; 440305 广东省深圳市南山区）"
    )


def test_an_unknown_reason_is_still_shown() -> None:
    assert reason_pair("something new") == ("此行无法使用：something new", "something new")


def test_every_person_table_check_has_its_chinese() -> None:
    """The person table's own checks (row checks, infinite numbers, parent cycles) reach the office in Chinese, not
    as the fallback "此行无法使用：<English>"."""
    from datetime import date

    from changzhu.domain.person import INFINITE, _row_checks

    messages = {message for _, _, message in _row_checks(date(2026, 6, 1))}
    messages |= {INFINITE, "parent links form or lead into a cycle", "duplicate person_id", "cannot be negative"}
    fallback = {m: reason_pair(m)[0] for m in messages if reason_pair(m)[0].startswith("此行无法使用")}
    assert not fallback
    assert reason_pair("date is after the evaluation date 2026-06-01")[0] == "日期晚于判定日期 2026-06-01"
