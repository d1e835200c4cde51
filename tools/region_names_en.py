"""Write src/changzhu/data/files/region_names_en.csv: an English name for every prefecture-level and county-level unit.

Run once when china_prefectures.csv or china_counties.csv changes (pypinyin is a dev dependency):
    .venv/bin/python tools/region_names_en.py

The names follow Hanyu Pinyin place-name spelling (GB/T 16159: syllables written together, no tones, an apostrophe
before a syllable starting with a, o or e, as in Xi'an; a one-character proper name is written together with its
generic, as in 蔚县 Yuxian): "广州市" -> "Guangzhou", "海淀区" -> "Haidian District". The type is named in English
("District", "County", "City" for a county-level city, "Banner", "... Autonomous County" with the peoples named,
"... Economic and Technological Development Zone"). Names of Tibetan, Mongolian, Uyghur and Kazakh origin take the
form in common English use (Lhasa, Hohhot, Kashgar, Horqin Left Middle Banner...), listed in CUSTOMARY below;
READINGS corrects the characters pypinyin reads otherwise in a place name (长治 Changzhi, not Zhangzhi) and
OVERRIDES gives whole names the rules cannot make, each with its reason. Each row says which method gave it.
A county-level unit that is also a prefecture-level row (Xiantao, Dongguan...) has one name at both levels.
"""

from __future__ import annotations

import csv
from pathlib import Path

from pypinyin import Style, lazy_pinyin

FILES = Path(__file__).resolve().parents[1] / "src" / "changzhu" / "data" / "files"

# fmt: off
CUSTOMARY = {  # a place's own-language name in its usual English form (Chinese proper name, without the type)
    # prefecture level
    "拉萨": "Lhasa", "日喀则": "Shigatse", "昌都": "Qamdo", "林芝": "Nyingchi", "山南": "Shannan", "那曲": "Nagqu",
    "阿里": "Ngari", "乌鲁木齐": "Urumqi", "克拉玛依": "Karamay", "吐鲁番": "Turpan", "哈密": "Hami", "阿克苏": "Aksu",
    "喀什": "Kashgar", "和田": "Hotan", "塔城": "Tacheng", "阿勒泰": "Altay", "伊犁": "Ili", "博尔塔拉": "Bortala",
    "巴音郭楞": "Bayingolin", "克孜勒苏": "Kizilsu", "阿拉尔": "Aral", "图木舒克": "Tumxuk", "可克达拉": "Kokdala",
    "呼和浩特": "Hohhot", "鄂尔多斯": "Ordos", "呼伦贝尔": "Hulunbuir", "巴彦淖尔": "Bayannur", "乌兰察布": "Ulanqab",
    "兴安": "Hinggan", "锡林郭勒": "Xilingol", "阿拉善": "Alxa", "大兴安岭": "Da Hinggan Ling", "哈尔滨": "Harbin",
    "齐齐哈尔": "Qiqihar", "甘孜": "Garze", "阿坝": "Ngawa", "迪庆": "Deqen", "果洛": "Golog",
    "西双版纳": "Xishuangbanna",
    # county level: Inner Mongolia (Mongolian names; 左翼/右翼 Left/Right, 前/中/后 Front/Middle/Rear)
    "土默特左": "Tumed Left", "土默特右": "Tumed Right", "托克托": "Togtoh", "和林格尔": "Horinger",
    "达尔罕茂明安联合": "Darhan Muminggan United", "白云鄂博": "Bayan Obo", "阿鲁科尔沁": "Ar Horqin",
    "巴林左": "Bairin Left", "巴林右": "Bairin Right", "克什克腾": "Hexigten", "翁牛特": "Ongniud",
    "喀喇沁": "Harqin", "敖汉": "Aohan", "科尔沁": "Horqin", "科尔沁左翼中": "Horqin Left Middle",
    "科尔沁左翼后": "Horqin Left Rear", "库伦": "Hure", "奈曼": "Naiman", "扎鲁特": "Jarud", "霍林郭勒": "Holingol",
    "达拉特": "Dalad", "准格尔": "Jungar", "鄂托克前": "Otog Front", "鄂托克": "Otog", "杭锦": "Hanggin",
    "乌审": "Uxin", "伊金霍洛": "Ejin Horo", "海拉尔": "Hailar", "扎赉诺尔": "Jalainur", "阿荣": "Arun",
    "莫力达瓦": "Morin Dawa", "鄂伦春": "Oroqen", "陈巴尔虎": "Old Barag", "新巴尔虎左": "New Barag Left",
    "新巴尔虎右": "New Barag Right", "额尔古纳": "Ergun", "乌拉特前": "Urad Front", "乌拉特中": "Urad Middle",
    "乌拉特后": "Urad Rear", "杭锦后": "Hanggin Rear", "察哈尔右翼前": "Chahar Right Front",
    "察哈尔右翼中": "Chahar Right Middle", "察哈尔右翼后": "Chahar Right Rear", "乌兰浩特": "Ulanhot",
    "阿尔山": "Arxan", "科尔沁右翼前": "Horqin Right Front", "科尔沁右翼中": "Horqin Right Middle",
    "扎赉特": "Jalaid", "二连浩特": "Erenhot", "锡林浩特": "Xilinhot", "阿巴嘎": "Abag", "苏尼特左": "Sonid Left",
    "苏尼特右": "Sonid Right", "东乌珠穆沁": "East Ujimqin", "西乌珠穆沁": "West Ujimqin", "太仆寺": "Taibus",
    "阿拉善左": "Alxa Left", "阿拉善右": "Alxa Right", "额济纳": "Ejin", "喀喇沁左翼": "Harqin Left",
    "前郭尔罗斯": "Qian Gorlos", "杜尔伯特": "Dorbod",
    # county level: Heilongjiang (Daur and Mongolian names)
    "富拉尔基": "Fularji", "萨尔图": "Sartu",
    # county level: Xinjiang (Uyghur, Kazakh and Mongolian names)
    "沙依巴克": "Saybag", "乌尔禾": "Orku", "托克逊": "Toksun", "巴里坤": "Barkol", "木垒": "Mori",
    "吉木萨尔": "Jimsar", "玛纳斯": "Manas", "库尔勒": "Korla", "和硕": "Hoxud", "库车": "Kuqa", "沙雅": "Shayar",
    "阿瓦提": "Awat", "柯坪": "Kalpin", "阿图什": "Artux", "阿克陶": "Akto", "阿合奇": "Akqi", "乌恰": "Ulugqat",
    "英吉沙": "Yengisar", "莎车": "Yarkant", "麦盖提": "Makit", "岳普湖": "Yopurga", "塔什库尔干": "Taxkorgan",
    "墨玉": "Karakax", "洛浦": "Lop", "策勒": "Qira", "于田": "Keriya", "民丰": "Niya", "奎屯": "Kuytun",
    "察布查尔": "Qapqal", "特克斯": "Tekes", "尼勒克": "Nilka", "托里": "Toli", "和布克赛尔": "Hoboksar",
    "布尔津": "Burqin", "吉木乃": "Jeminay",
    # county level: Tibet (names in common English use)
    "江孜": "Gyantse", "定日": "Tingri", "萨迦": "Sakya", "拉孜": "Lhatse", "聂拉木": "Nyalam", "吉隆": "Gyirong",
    "萨嘎": "Saga", "安多": "Amdo",
    # county level: Yunnan (the city's own English name since 2001)
    "香格里拉": "Shangri-La",
    # county level: Qinghai (Mongolian and Tibetan names)
    "格尔木": "Golmud", "德令哈": "Delingha",
    # county level: Gansu (Kazakh name)
    "阿克塞": "Aksay",
}
READINGS = {  # place names whose characters pypinyin reads otherwise (polyphones), with the place-name reading
    "长治": "Changzhi", "朝阳": "Chaoyang", "漯河": "Luohe",  # 长 cháng, 朝 cháo, 漯 luò
    "单县": "Shanxian", "长垣": "Changyuan", "长洲": "Changzhou",  # 单 shàn in 单县; 长 cháng
    "六合": "Luhe", "涡阳": "Guoyang", "筠连": "Junlian", "荥经": "Yingjing",  # 六 lù, 涡 guō, 筠 jūn, 荥 yíng
    "浚县": "Xunxian", "洪洞": "Hongtong", "召陵": "Shaoling", "回龙圩": "Huilongxu",  # 浚 xùn, 洞 tóng, 召 shào, 圩 xū
    "中牟": "Zhongmou", "繁峙": "Fanshi", "蚌山": "Bengshan", "万柏林": "Wanbailin",  # 牟 móu, 峙 shì, 蚌 bèng, 柏 bǎi
    "长子": "Zhangzi", "泊头": "Botou", "佛坪": "Foping", "称多": "Chenduo",  # 长 zhǎng, 泊 bó, 佛 fó, 称 chèn
    "伽师": "Jiashi", "民乐": "Minle", "南乐": "Nanle", "闵行": "Minhang",  # 伽 jiā, 乐 lè, 行 háng
    "马尾": "Mawei", "龙圩": "Longxu", "覃塘": "Qintang", "佛冈": "Fogang", "曾都": "Zengdu",  # 尾 wěi, 圩 xū, 覃 qín
}
CHARACTER_READINGS = {  # characters read one way in every place name here (都 dū, 长 cháng, 什 shí, 卡 kǎ)
    "都": "du", "长": "chang", "什": "shi", "卡": "ka",
}
OVERRIDES = {  # whole names the rules cannot make: (English, reason)
    "鄂温克族自治旗": ("Evenk Autonomous Banner", "the people's name is the whole proper name"),
    "东乡族自治县": ("Dongxiang Autonomous County", "the people's name is the whole proper name"),
    "清新区": ("Qingxin District", "清新 is the proper name, not a 新区 (new district)"),
    "中沙群岛的岛礁及其海域": ("Zhongsha Islands Reefs and Waters", "not a type suffix: islands, reefs and waters"),
    "乌拉盖管理区管委会": ("Wulagai Management Area", "the committee of a management area"),
    "大柴旦行政委员会": ("Da Qaidam Administrative Committee", "Mongolian name in common English use"),
    "吉林中国新加坡食品区": ("Jilin China-Singapore Food Zone", "words, not a place name"),
    "郑州航空港经济综合实验区": ("Zhengzhou Airport Economy Zone", "the zone's own English name"),
    "豫东综合物流产业聚集区": ("Yudong Logistics Industry Cluster", "words, not a place name"),
    "山西转型综合改革示范区": ("Shanxi Comprehensive Reform Demonstration Zone", "words, not a place name"),
    "石家庄循环化工园区": ("Shijiazhuang Circular Chemical Industry Park", "words, not a place name"),
    "西藏文化旅游创意园区": ("Tibet Cultural Tourism Creative Park", "words, not a place name"),
    "格尔木藏青工业园区": ("Golmud Tibet-Qinghai Industrial Park", "words, not a place name"),
    "泰州医药高新技术产业开发区": ("Taizhou Medical High-tech Industrial Development Zone", "words"),
    "包头稀土高新技术产业开发区": ("Baotou Rare Earth High-tech Industrial Development Zone", "words"),
    "长春汽车经济技术开发区": ("Changchun Automotive Economic and Technological Development Zone", "words"),
    "威海火炬高技术产业开发区": ("Weihai Torch High-tech Industrial Development Zone", "words"),
    "中新苏滁高新技术产业开发区": ("China-Singapore Suchu High-tech Industrial Development Zone", "words"),
    "东营港经济开发区": ("Dongying Port Economic Development Zone", "港 is a port here, not a name"),
}
GROUPS = {  # peoples named in autonomous (and ethnic district) names
    "朝鲜族": "Korean", "土家族": "Tujia", "苗族": "Miao", "藏族": "Tibetan", "羌族": "Qiang", "彝族": "Yi",
    "布依族": "Bouyei", "侗族": "Dong", "哈尼族": "Hani", "壮族": "Zhuang", "傣族": "Dai", "白族": "Bai",
    "景颇族": "Jingpo", "傈僳族": "Lisu", "回族": "Hui", "蒙古族": "Mongol", "蒙古": "Mongol", "柯尔克孜": "Kirghiz",
    "哈萨克族": "Kazakh", "哈萨克": "Kazakh", "黎族": "Li", "满族": "Manchu", "达斡尔族": "Daur", "畲族": "She",
    "瑶族": "Yao", "仫佬族": "Mulao", "毛南族": "Maonan", "仡佬族": "Gelao", "水族": "Sui", "纳西族": "Naxi",
    "拉祜族": "Lahu", "佤族": "Va", "布朗族": "Blang", "独龙族": "Derung", "怒族": "Nu", "普米族": "Pumi",
    "裕固族": "Yugur", "保安族": "Bonan", "东乡族": "Dongxiang", "撒拉族": "Salar", "土族": "Tu", "塔吉克": "Tajik",
    "锡伯": "Xibe", "各族": "Multi-ethnic",
}
PREFECTURE_TYPES = (  # (Chinese suffix, English suffix), longest first
    ("自治州", "Autonomous Prefecture"), ("自治县", "Autonomous County"), ("林区", "Forestry District"),
    ("地区", "Prefecture"), ("盟", "League"), ("县", "County"), ("市", ""),
)
COUNTY_TYPES = (
    ("自治县", "Autonomous County"), ("自治旗", "Autonomous Banner"),
    ("特区", "Special District"), ("新区", "New District"), ("矿区", "Mining District"), ("区", "District"),
    ("县", "County"), ("市", "City"), ("旗", "Banner"), ("群岛", "Islands"),
)
ZONE_TYPES = (  # functional zones administered as county-level units (codes xxxx7x)
    ("高新技术产业开发区", "High-tech Industrial Development Zone"),
    ("经济技术开发区", "Economic and Technological Development Zone"),
    ("高新技术产业园区", "High-tech Industrial Park"), ("高新技术开发区", "High-tech Development Zone"),
    ("经济开发区", "Economic Development Zone"), ("开发区", "Development Zone"),
    ("现代产业园区", "Modern Industrial Park"), ("现代产业园", "Modern Industrial Park"),
    ("工业园区", "Industrial Park"), ("城乡一体化示范区", "Urban-Rural Integration Demonstration Zone"),
    ("示范区", "Demonstration Zone"), ("管理区", "Management Area"), ("综合保税区", "Comprehensive Bonded Zone"),
    ("风景名胜区", "Scenic Area"), ("新区", "New District"), ("新城", "New Town"),
)
# fmt: on


def pinyin(text: str) -> str:
    """Place-name pinyin: syllables together, capitalised once, an apostrophe before a, o, e after the first."""
    syllables = lazy_pinyin(text, style=Style.NORMAL, errors="exception", v_to_u=True)
    syllables = [CHARACTER_READINGS.get(c, s) for c, s in zip(text, syllables, strict=True)]
    word = syllables[0] + "".join(("'" if s[0] in "aoe" else "") + s for s in syllables[1:])
    return word[:1].upper() + word[1:]


def _split_type(name_zh: str, types: tuple[tuple[str, str], ...]) -> tuple[str, str, str]:
    """(proper name, Chinese suffix, English suffix); a one-character proper name keeps its generic (蔚县 -> 蔚县)."""
    for zh, en in types:
        rest = name_zh.removesuffix(zh)
        if rest != name_zh and rest:
            return (rest + zh if len(rest) == 1 else rest), zh, en
    return name_zh, "", ""


def _groups(rest: str) -> tuple[str, str]:
    """(proper name, peoples in English) of a name ending in peoples, read from the end."""
    groups: list[str] = []
    while True:
        found = next((g for g in sorted(GROUPS, key=len, reverse=True) if rest.endswith(g) and rest != g), None)
        if found is None:
            break
        groups.insert(0, GROUPS[found])
        rest = rest[: -len(found)]
    peoples = "".join(groups) if len(groups) < 2 else ", ".join(groups[:-1]) + " and " + groups[-1]
    return rest, peoples


def _place(rest: str) -> tuple[str, str]:
    """(English proper name, method) of a proper name."""
    if rest in CUSTOMARY:
        return CUSTOMARY[rest], "customary"
    return READINGS.get(rest) or pinyin(rest), "pinyin"


def english(name_zh: str, county: bool = False) -> tuple[str, str]:
    """(English name, method) of one prefecture-level name, or of one county-level name if county."""
    if county and name_zh in OVERRIDES:
        return OVERRIDES[name_zh][0], "override"
    rest, _, suffix = _split_type(name_zh, COUNTY_TYPES if county else PREFECTURE_TYPES)
    peoples = ""
    if "Autonomous" in suffix or (suffix == "District" and rest.endswith("族")):
        rest, peoples = _groups(rest)
    place, method = _place(rest)
    return " ".join(p for p in (place, peoples, suffix) if p), method


def zone_english(name_zh: str, prefixes: dict[str, str]) -> tuple[str, str]:
    """(English name, method) of a functional zone: its leading province and prefecture names, the rest, its type."""
    if name_zh in OVERRIDES:
        return OVERRIDES[name_zh][0], "override"
    rest, suffix = name_zh, ""
    for zh, en in ZONE_TYPES:
        if rest.endswith(zh):
            rest, suffix = rest[: -len(zh)], en
            break
    words: list[str] = []
    while rest:
        found = next((p for p in sorted(prefixes, key=len, reverse=True) if rest.startswith(p)), None)
        if found is None:
            words.append(READINGS.get(rest) or pinyin(rest))
            break
        words.append(prefixes[found])
        rest = rest[len(found) :].removeprefix("市")
    return " ".join([*words, suffix]), "pinyin"


def _is_zone(code: str, name_zh: str) -> bool:
    return (code == "" or code[4] == "7") and not name_zh.endswith(("县", "旗"))


def rows() -> list[tuple[str, str, str, str, str]]:
    """(level, code, name_zh, name_en, method) of every prefecture-level row, then every county-level row."""
    with open(FILES / "china_provinces.csv", encoding="utf-8") as f:
        provinces = {r["name_short"]: r["name_en"] for r in csv.DictReader(f)}
    with open(FILES / "china_prefectures.csv", encoding="utf-8") as f:
        prefectures = [(r["code"], r["name_zh"]) for r in csv.DictReader(f)]
    with open(FILES / "china_counties.csv", encoding="utf-8") as f:
        counties = [(r["code"], r["name_zh"]) for r in csv.DictReader(f) if r["code"]]
    out = [("prefecture", code, name, *english(name)) for code, name in prefectures]
    at_prefecture = {code: (en, method) for _, code, _, en, method in out}
    prefixes = dict(provinces)
    for _, _, name, _, _ in out:
        short = name.removesuffix("市").removesuffix("盟").removesuffix("地区")
        if short != name:
            prefixes[short] = _place(short)[0]
    for code, name in counties:
        if code in at_prefecture:
            en_method = at_prefecture[code]
        elif _is_zone(code, name):
            en_method = zone_english(name, prefixes)
        else:
            en_method = english(name, county=True)
        out.append(("county", code, name, *en_method))
    return out


def main() -> None:
    table = rows()
    with open(FILES / "region_names_en.csv", "w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(["level", "code", "name_zh", "name_en", "method"])
        out.writerows(table)
    print(f"{len(table)} names written to {FILES / 'region_names_en.csv'}")


if __name__ == "__main__":
    main()
