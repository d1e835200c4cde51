"""Chinese and English of the policy files' one-string labels, so that each language is shown pure.

A policy file may give a label as one string (written once, in English, Chinese or a mix of both); the office
shows a Chinese page and an English page, so every such string of the shipped policies has its two languages
here. A label given as `{zh: ..., en: ...}` in a policy file needs no entry. Keyed by the string as written.
"""

from __future__ import annotations

import re

_CJK = "\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef"
_CJK_GLOSS = re.compile(rf"\s*\([{_CJK}\s]+\)")  # " (合法稳定就业)"
_CJK_WORD = re.compile(rf"\s*[{_CJK}]+")  # " 互认"

GLOSSARY: dict[str, tuple[str, str]] = {
    "7 years of Beijing social insurance": ("在京连续缴纳社会保险满7年", "7 years of Beijing social insurance"),
    "Beijing settles by points only": ("北京市仅以积分落户", "Beijing settles by points only"),
    "Shanghai settles permit holders by 居转户, not by points": (
        "上海市居住证持有人通过居转户落户，不以积分落户",
        "Shanghai settles permit holders by converting the residence permit to hukou, not by points",
    ),
    "Shanghai social insurance months": ("上海市社会保险缴费月数", "Shanghai social insurance months"),
    "a city over 5 million (积分落户 city)": (
        "城区常住人口500万以上城市（积分落户城市）",
        "a city over 5 million (points-based settlement city)",
    ),
    "a parent qualifies for a residence permit here (children)": (
        "父母一方符合本地居住证办理条件（随迁子女）",
        "a parent qualifies for a residence permit here (children)",
    ),
    "a parent lives in Beijing": ("父母一方在北京居住", "a parent lives in Beijing"),
    "a parent lives in Shanghai": ("父母一方在上海居住", "a parent lives in Shanghai"),
    "a parent lives in this city": ("父母一方在本市居住", "a parent lives in this city"),
    "a points scheme for this city is modelled (none is; add one in its city file)": (
        "本市积分办法已建模（尚未建模：请在本市政策文件中添加）",
        "a points scheme for this city is modelled (none is; add one in its city file)",
    ),
    "below retirement age": ("未达退休年龄", "below retirement age"),
    "below the statutory retirement age": ("未达法定退休年龄", "below the statutory retirement age"),
    "child's hukou here": ("子女户籍在本地", "child's hukou here"),
    "child's years of study here": ("子女在本地就读年限", "child's years of study here"),
    "city of 3–5 million (relaxed)": ("城区常住人口300万至500万城市（放宽落户）", "city of 3–5 million (relaxed)"),
    "city under 3 million (no restriction)": (
        "城区常住人口300万以下城市（全面放开）",
        "city under 3 million (no restriction)",
    ),
    "employed here": ("在本地就业", "employed here"),
    "employed here (就业地参保)": ("在本地就业（就业地参保）", "employed here (insured where one works)"),
    "employee social insurance months": ("职工社会保险缴费月数", "employee social insurance months"),
    "employment with social insurance, or an owned home": (
        "参保就业或拥有自有住房",
        "employment with social insurance, or an owned home",
    ),
    "exam age reached": ("已到升学考试年龄", "exam age reached"),
    "qualifies for a residence permit": ("符合居住证办理条件", "qualifies for a residence permit"),
    "holds a 上海市居住证": ("持有上海市居住证", "holds a Shanghai residence permit"),
    "holds a 北京市居住证": ("持有北京市居住证", "holds a Beijing residence permit"),
    "holds or can hold a residence permit here": (
        "持有或可申领本地居住证",
        "holds or can hold a residence permit here",
    ),
    "hukou (and insurance) in another province": ("户籍（及参保）在外省", "hukou (and insurance) in another province"),
    "hukou here": ("户籍在本地", "hukou here"),
    "hukou is elsewhere": ("户籍在外地", "hukou is elsewhere"),
    "in stable employment here": ("在本地稳定就业", "in stable employment here"),
    "income per head below the city's limit": ("家庭人均收入低于本市标准", "income per head below the city's limit"),
    "income per head below the 低保 standard": (
        "家庭人均收入低于低保标准",
        "income per head below the minimum living standard",
    ),
    "intermediate title or 技师": ("中级职称或技师", "intermediate title or technician"),
    "legal stable employment": ("合法稳定就业", "legal stable employment"),
    "legal stable employment (合法稳定就业)": ("合法稳定就业", "legal stable employment"),
    "legal stable residence (合法稳定住所)": ("合法稳定住所", "legal stable residence"),
    "lived here half a year": ("在本地居住满半年", "lived here half a year"),
    "lived here half a year (recognised months count)": (
        "在本地居住满半年（互认月数计入）",
        "lived here half a year (recognised months count)",
    ),
    "months of stable employment (social insurance; recognised months count)": (
        "稳定就业月数（以社会保险计，互认月数计入）",
        "months of stable employment (social insurance; recognised months count)",
    ),
    "no criminal record": ("无犯罪记录", "no criminal record"),
    "no criminal record (一票否决)": ("无犯罪记录（一票否决）", "no criminal record (disqualifying)"),
    "no home of one's own here (在本地无住房)": ("在本地无住房", "no home of one's own here"),
    "not insured here": ("未在本地参保", "not insured here"),
    "not past exam age": ("未超过升学考试年龄", "not past exam age"),
    "of working age": ("处于劳动年龄", "of working age"),
    "owns a home here": ("在本地拥有住房", "owns a home here"),
    "parent's social-insurance months": ("父母社会保险缴费月数", "parent's social-insurance months"),
    "points reach the year's cut-off": ("积分达到当年分数线", "points reach the year's cut-off"),
    "school age reached": ("已到入学年龄", "school age reached"),
    "social-insurance months (here or recognised)": (
        "社会保险缴费月数（本地或互认）",
        "social-insurance months (here or recognised)",
    ),
    "stable job or stable home": ("稳定就业或稳定住所", "stable job or stable home"),
    "still of compulsory-school age": ("仍在义务教育年龄段", "still of compulsory-school age"),
    # a parent's permit is read as the permit service (its conditions met: one can be had), not as one held; a mother
    # without a permit read "✓ 父母持有本地居住证" on her child's school-place pre-check
    "the parent qualifies for a residence permit": (
        "父母符合居住证办理条件",
        "the parent qualifies for a residence permit",
    ),
    "the parent qualifies for a residence permit here": (
        "父母符合本地居住证办理条件",
        "the parent qualifies for a residence permit here",
    ),
    "the parent qualifies for a 上海市居住证": (
        "父母符合上海市居住证办理条件",
        "the parent qualifies for a Shanghai residence permit",
    ),
    "the parent qualifies for a 北京市居住证": (
        "父母符合北京市居住证办理条件",
        "the parent qualifies for a Beijing residence permit",
    ),
    "the parent works in Beijing": ("父母在北京就业", "the parent works in Beijing"),
    "the parent's 居住证积分 reach 120": (
        "父母居住证积分达到120分",
        "the parent's residence permit points reach 120",
    ),
    "years holding a 上海市居住证": ("持有上海市居住证年限", "years holding a Shanghai residence permit"),
    "years of Shanghai social insurance": ("上海市社会保险缴费年限", "years of Shanghai social insurance"),
    "低保 open to permit holders here": (
        "本地居住证持有人可申请低保",
        "minimum living allowance open to permit holders here",
    ),
    "年龄 (56–60: 5; each year younger +2; at most 30)": (
        "年龄（56至60岁5分，每年轻一岁加2分，最高30分）",
        "age (56–60: 5; each year younger +2; at most 30)",
    ),
}


def bilingual(text: str) -> tuple[str, str]:
    """(zh, en) of a one-string label: the glossary's, else the string for both (a label of another policy set)."""
    return GLOSSARY.get(text, (text, text))


def english_only(text: str) -> str:
    """An English description without its Chinese glosses ("in legal, stable employment (合法稳定就业)")."""
    return _CJK_WORD.sub("", _CJK_GLOSS.sub("", text)).strip()
