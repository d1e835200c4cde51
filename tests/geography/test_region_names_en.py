"""Every prefecture-level and county-level region has an English name, and the shipped list is what the tool makes."""

from __future__ import annotations

import csv
import re
from collections.abc import Callable
from types import ModuleType

import pytest

from changzhu.data.census import FILES_DIR

WORD = r"[A-Za-z][a-zü']*(-[A-Za-z][a-zü']*)?"  # Xi'an, Lüliang, Shangri-La, High-tech
NAME = re.compile(rf"(?=[A-Z]){WORD}(,? {WORD})*")


@pytest.fixture(scope="module")
def tool(load_tool: Callable[[str], ModuleType]) -> ModuleType:
    return load_tool("region_names_en")


def _shipped() -> list[dict[str, str]]:
    with open(FILES_DIR / "region_names_en.csv", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_the_shipped_names_are_the_tools(tool: ModuleType) -> None:
    shipped = _shipped()
    assert [tuple(r.values()) for r in shipped] == tool.rows()
    with open(FILES_DIR / "china_prefectures.csv", encoding="utf-8") as f:
        prefectures = [r["code"] for r in csv.DictReader(f)]
    with open(FILES_DIR / "china_counties.csv", encoding="utf-8") as f:
        counties = [r["code"] for r in csv.DictReader(f) if r["code"]]
    assert [r["code"] for r in shipped if r["level"] == "prefecture"] == prefectures
    assert [r["code"] for r in shipped if r["level"] == "county"] == counties
    for row in shipped:
        assert NAME.fullmatch(row["name_en"]) and len(row["name_en"]) <= 64, row  # regions.name_en is VARCHAR(64)
        assert row["method"] in {"pinyin", "customary", "override"}, row


def test_pinyin_follows_the_place_name_rules(tool: ModuleType) -> None:
    assert tool.english("西安市") == ("Xi'an", "pinyin")  # the apostrophe before a syllable starting with a vowel
    assert tool.english("吕梁市") == ("Lüliang", "pinyin")
    assert tool.english("长治市") == ("Changzhi", "pinyin")  # not Zhangzhi
    assert tool.english("海西蒙古族藏族自治州") == ("Haixi Mongol and Tibetan Autonomous Prefecture", "pinyin")
    assert tool.english("喀什地区") == ("Kashgar Prefecture", "customary")
    assert tool.english("海淀区", county=True) == ("Haidian District", "pinyin")
    assert tool.english("义乌市", county=True) == ("Yiwu City", "pinyin")
    assert tool.english("蔚县", county=True) == ("Yuxian County", "pinyin")  # a one-character name keeps its generic
    assert tool.english("长阳土家族自治县", county=True) == ("Changyang Tujia Autonomous County", "pinyin")
    assert tool.english("积石山保安族东乡族撒拉族自治县", county=True)[0] == (
        "Jishishan Bonan, Dongxiang and Salar Autonomous County"
    )
    assert tool.english("管城回族区", county=True) == ("Guancheng Hui District", "pinyin")
    assert tool.english("浦东新区", county=True) == ("Pudong New District", "pinyin")
    assert tool.english("六枝特区", county=True) == ("Liuzhi Special District", "pinyin")
    assert tool.english("峰峰矿区", county=True) == ("Fengfeng Mining District", "pinyin")
    assert tool.english("清新区", county=True) == ("Qingxin District", "override")  # 清新, not a new district


@pytest.mark.parametrize(
    ("name_zh", "name_en"),
    [
        ("番禺区", "Panyu District"),
        ("六合区", "Luhe District"),
        ("乐亭县", "Laoting County"),
        ("乐清市", "Yueqing City"),
        ("南乐县", "Nanle County"),
        ("单县", "Shanxian County"),
        ("莘县", "Shenxian County"),
        ("铅山县", "Yanshan County"),
        ("大埔县", "Dabu County"),
        ("东阿县", "Dong'e County"),
        ("长子县", "Zhangzi County"),
        ("长垣市", "Changyuan City"),
        ("长海县", "Changhai County"),
        ("都匀市", "Duyun City"),
        ("宁都县", "Ningdu County"),
        ("洪洞县", "Hongtong County"),
        ("涡阳县", "Guoyang County"),
        ("浚县", "Xunxian County"),
        ("中牟县", "Zhongmou County"),
        ("闵行区", "Minhang District"),
        ("泊头市", "Botou City"),
        ("句容市", "Jurong City"),
    ],
)
def test_polyphones_take_the_place_name_reading(tool: ModuleType, name_zh: str, name_en: str) -> None:
    assert tool.english(name_zh, county=True)[0] == name_en


def test_names_from_minority_languages_and_zones() -> None:
    names = {(r["level"], r["code"]): (r["name_en"], r["method"]) for r in _shipped()}
    assert names["county", "653101"] == ("Kashgar City", "customary")
    assert names["county", "654002"] == ("Yining City", "pinyin")
    assert names["county", "150521"] == ("Horqin Left Middle Banner", "customary")
    assert names["county", "150723"] == ("Oroqen Autonomous Banner", "customary")
    assert names["county", "540222"] == ("Gyantse County", "customary")
    assert names["county", "533401"] == ("Shangri-La City", "customary")
    assert names["county", "320576"] == ("Suzhou Industrial Park", "pinyin")
    assert names["county", "130271"][0] == "Hebei Tangshan Lutai Economic Development Zone"
    assert names["county", "152971"][0] == "Inner Mongolia Alxa High-tech Industrial Development Zone"
    # a county-level unit that is also a prefecture-level row has one name at both levels
    assert names["county", "429004"] == names["prefecture", "429004"] == ("Xiantao", "pinyin")
