"""Chinese and English labels of the core variables and their categories, for explanations and schemas."""

from __future__ import annotations

_CATEGORY_LABELS: dict[str, dict[str, tuple[str, str]]] = {
    "sex": {"F": ("女", "female"), "M": ("男", "male")},
    "education": {
        "none": ("未上学", "no schooling"),
        "primary": ("小学", "primary school"),
        "junior_secondary": ("初中", "junior secondary"),
        "senior_secondary": ("高中/中专", "senior secondary"),
        "vocational_college": ("大专", "vocational college"),
        "bachelor": ("本科", "bachelor's"),
        "master": ("硕士研究生", "master's"),
        "doctor": ("博士研究生", "doctorate"),
    },
    "housing": {
        "owned": ("自有住房", "owned home"),
        "rented": ("租房", "rented home"),
        "public_rental": ("公租房", "public rental housing"),
        "dormitory": ("单位宿舍", "employer dormitory"),
        "none": ("无固定住所", "no fixed home"),
    },
    "professional_title": {
        "none": ("无", "none"),
        "skill_5": ("五级/初级工", "skill level 5"),
        "skill_4": ("四级/中级工", "skill level 4"),
        "skill_3": ("三级/高级工", "skill level 3"),
        "skill_2_or_intermediate": ("二级/技师或中级职称", "skill level 2 or intermediate title"),
        "skill_1_or_senior": ("一级/高级技师或高级职称", "skill level 1 or senior title"),
    },
    "city_size_class": {
        "small": ("小城市", "small city"),
        "medium": ("中等城市", "medium city"),
        "large_ii": ("II型大城市", "large city (type II)"),
        "large_i": ("I型大城市", "large city (type I)"),
        "mega": ("特大城市", "megacity"),
        "super": ("超大城市", "super city"),
    },
}

_VARIABLE_LABELS: dict[str, tuple[str, str]] = {
    "age": ("年龄", "age"),
    "residence": ("在本市连续居住时间", "continuous residence here"),
    "residence_recognised": ("居住时间（含互认）", "residence, with recognised months"),
    "permit": ("持居住证时间", "time holding a residence permit"),
    "si_local": ("本市职工社会保险缴费时间", "social insurance paid here"),
    "si_total": ("累计职工社会保险缴费时间", "social insurance paid anywhere"),
    "si_recognised": ("社会保险缴费时间（含互认）", "social insurance, with recognised months"),
    "medical_local": ("本市基本医疗保险时间", "basic medical insurance here"),
    "hukou_local": ("户籍在本市", "hukou here"),
    "hukou_other_province": ("户籍在外省", "hukou in another province"),
    "employed": ("合法稳定就业", "legal, stable employment"),
    "criminal_record": ("有犯罪记录", "criminal record"),
    "parent_same_region": ("父母一方在本市居住", "a parent lives here"),
    "sex": ("性别", "sex"),
    "education": ("最高学历", "highest education"),
    "housing": ("住房情况", "housing"),
    "professional_title": ("职业资格/职称", "vocational qualification / title"),
    "city_size_class": ("城市规模", "city size class"),
    "income_per_capita_month": ("家庭人均月收入", "household income per head per month"),
    "admin_detentions": ("近5年行政拘留次数", "administrative detentions in the last 5 years"),
    "si_base_ratio": ("社保缴费基数与平均工资之比", "insurance base over the city average wage"),
}


def category_labels(variable: str, code: str) -> tuple[str, str]:
    """(zh, en) of a core variable's category code; the code itself when none is known."""
    return _CATEGORY_LABELS.get(variable, {}).get(code, (code, code))


def variable_labels(variable: str) -> tuple[str, str]:
    """(zh, en) of a core variable."""
    return _VARIABLE_LABELS.get(variable, (variable, variable.replace("_", " ")))
