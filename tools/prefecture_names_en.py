"""Write src/changzhu/data/files/prefecture_names_en.csv: an English name for every prefecture-level region.

Run once when china_prefectures.csv changes (pypinyin is a dev dependency):
    .venv/bin/python tools/prefecture_names_en.py

The names follow Hanyu Pinyin place-name spelling (GB/T 16159: syllables written together, no tones, an apostrophe
before a syllable starting with a, o or e, as in Xi'an): "广州市" -> "Guangzhou". Types other than an ordinary city
are named ("... Autonomous Prefecture", "... League", "... Prefecture", "... County"). Names of Tibetan, Mongolian,
Uyghur and Kazakh origin take the form in common English use (Lhasa, Hohhot, Urumqi, Kashgar...), listed in
CUSTOMARY below; READINGS corrects the few characters pypinyin reads otherwise in a place name (长治 Changzhi, not
Zhangzhi). Each row says which method gave it.
"""

from __future__ import annotations

import csv
from pathlib import Path

from pypinyin import Style, lazy_pinyin

FILES = Path(__file__).resolve().parents[1] / "src" / "changzhu" / "data" / "files"

CUSTOMARY = {  # a place's own-language name in its usual English form (Chinese place part, without the type)
    "拉萨": "Lhasa", "日喀则": "Shigatse", "昌都": "Qamdo", "林芝": "Nyingchi", "山南": "Shannan", "那曲": "Nagqu",
    "阿里": "Ngari", "乌鲁木齐": "Urumqi", "克拉玛依": "Karamay", "吐鲁番": "Turpan", "哈密": "Hami", "阿克苏": "Aksu",
    "喀什": "Kashgar", "和田": "Hotan", "塔城": "Tacheng", "阿勒泰": "Altay", "伊犁": "Ili", "博尔塔拉": "Bortala",
    "巴音郭楞": "Bayingolin", "克孜勒苏": "Kizilsu", "阿拉尔": "Aral", "图木舒克": "Tumxuk", "可克达拉": "Kokdala",
    "呼和浩特": "Hohhot", "鄂尔多斯": "Ordos", "呼伦贝尔": "Hulunbuir", "巴彦淖尔": "Bayannur", "乌兰察布": "Ulanqab",
    "兴安": "Hinggan", "锡林郭勒": "Xilingol", "阿拉善": "Alxa", "大兴安岭": "Da Hinggan Ling", "哈尔滨": "Harbin",
    "齐齐哈尔": "Qiqihar", "甘孜": "Garze", "阿坝": "Ngawa", "迪庆": "Deqen", "果洛": "Golog",
    "西双版纳": "Xishuangbanna",
}
READINGS = {  # place names whose characters pypinyin reads otherwise (polyphones)
    "长治": "Changzhi", "朝阳": "Chaoyang", "漯河": "Luohe",
}
GROUPS = {  # ethnic groups in autonomous names
    "朝鲜族": "Korean", "土家族": "Tujia", "苗族": "Miao", "藏族": "Tibetan", "羌族": "Qiang", "彝族": "Yi",
    "布依族": "Bouyei", "侗族": "Dong", "哈尼族": "Hani", "壮族": "Zhuang", "傣族": "Dai", "白族": "Bai",
    "景颇族": "Jingpo", "傈僳族": "Lisu", "回族": "Hui", "蒙古族": "Mongol", "蒙古": "Mongol", "柯尔克孜": "Kirghiz",
    "哈萨克": "Kazakh", "黎族": "Li",
}
TYPES = (  # (Chinese suffix, English suffix), longest first
    ("自治州", "Autonomous Prefecture"), ("自治县", "Autonomous County"), ("林区", "Forestry District"),
    ("地区", "Prefecture"), ("盟", "League"), ("县", "County"), ("市", ""),
)


def pinyin(text: str) -> str:
    """Place-name pinyin: syllables together, capitalised once, an apostrophe before a, o, e after the first."""
    syllables = lazy_pinyin(text, style=Style.NORMAL, errors="exception", v_to_u=True)
    word = syllables[0] + "".join(("'" if s[0] in "aoe" else "") + s for s in syllables[1:])
    return word[:1].upper() + word[1:]


def english(name_zh: str) -> tuple[str, str]:
    """(English name, method) of one prefecture-level name."""
    rest, suffix = name_zh, ""
    for zh, en in TYPES:
        if rest.endswith(zh):
            rest, suffix = rest[: -len(zh)], en
            break
    groups: list[str] = []
    while True:  # ethnic groups before 自治州 / 自治县, read from the end
        found = next((g for g in sorted(GROUPS, key=len, reverse=True) if rest.endswith(g) and rest != g), None)
        if found is None or "Autonomous" not in suffix:
            break
        groups.insert(0, GROUPS[found])
        rest = rest[: -len(found)]
    if rest in CUSTOMARY:
        place, method = CUSTOMARY[rest], "customary"
    else:
        place, method = READINGS.get(rest) or pinyin(rest), "pinyin"
    parts = [place, " and ".join(groups), suffix]
    return " ".join(p for p in parts if p), method


def main() -> None:
    with open(FILES / "china_prefectures.csv", encoding="utf-8") as f:
        rows = [(r["code"], r["name_zh"]) for r in csv.DictReader(f)]
    with open(FILES / "prefecture_names_en.csv", "w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(["code", "name_zh", "name_en", "method"])
        for code, name in rows:
            out.writerow([code, name, *english(name)])
    print(f"{len(rows)} names written to {FILES / 'prefecture_names_en.csv'}")


if __name__ == "__main__":
    main()
