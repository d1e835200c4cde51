"""Every prefecture-level region has an English name, and the shipped list is what the tool makes today."""

from __future__ import annotations

import csv
import importlib.util
import re
from pathlib import Path

from changzhu.data.census import FILES_DIR

TOOL = Path(__file__).parents[2] / "tools" / "prefecture_names_en.py"


def _tool():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("prefecture_names_en", TOOL)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_shipped_names_are_the_tools() -> None:
    tool = _tool()
    with open(FILES_DIR / "prefecture_names_en.csv", encoding="utf-8") as f:
        shipped = list(csv.DictReader(f))
    with open(FILES_DIR / "china_prefectures.csv", encoding="utf-8") as f:
        codes = [r["code"] for r in csv.DictReader(f)]
    assert [r["code"] for r in shipped] == codes
    for row in shipped:
        assert (row["name_en"], row["method"]) == tool.english(row["name_zh"]), row
        assert re.fullmatch(r"[A-Z][a-zü']+( [A-Za-z][a-zü']*)*", row["name_en"]), row


def test_pinyin_follows_the_place_name_rules() -> None:
    tool = _tool()
    assert tool.english("西安市") == ("Xi'an", "pinyin")  # the apostrophe before a syllable starting with a vowel
    assert tool.english("吕梁市") == ("Lüliang", "pinyin")
    assert tool.english("长治市") == ("Changzhi", "pinyin")  # not Zhangzhi
    assert tool.english("海西蒙古族藏族自治州") == ("Haixi Mongol and Tibetan Autonomous Prefecture", "pinyin")
    assert tool.english("喀什地区") == ("Kashgar Prefecture", "customary")
