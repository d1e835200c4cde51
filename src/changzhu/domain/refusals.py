"""Why a row (or a cell, or a header) of a user's file is refused: one code and its parameters, in both languages.

Every reader of a user's file (the table readers of changzhu.tables, the person table's checks across columns, the
registry import and the contribution records) makes a Refusal: a RefusalCode and the values that complete it (the
bad word, the limit, the suggested names, the line it repeats). The places that show it (the API's upload
responses, the CLI's error report, the errors carrying row, column and reason) render it with `text(lang)`. Both
languages' templates sit in one table, TEMPLATES, beside the codes: a new reason is a new code and its two
templates, never an English sentence read back by a pattern.

One code holds text that is not ours to translate: UNTRANSLATED, for an error a registry operation raises with a
message of its own (a library's or the database's, or a registry check that names no code: refusal_of), and for
the rows left out of an import stored before reasons were coded (its result replayed); its Chinese says the row
cannot be used and gives the English as it came.
"""

from __future__ import annotations

import json
import string
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from typing import Any

from changzhu.domain.lang import Lang

Param = str | tuple[str, ...]  # a value, or a list of values (joined "A or B" in English, "A、B" in Chinese)


class RefusalCode(StrEnum):
    """What is wrong, one code per idea (its templates: TEMPLATES)."""

    # a cell as read by its column's type (tables/vocab.py, tables/read.py)
    NOT_A_DATE = "not_a_date"
    NO_SUCH_MONTH = "no_such_month"
    NO_SUCH_DAY = "no_such_day"
    NOT_A_DATE_IN_LIST = "not_a_date_in_list"
    NOT_YES_OR_NO = "not_yes_or_no"
    NOT_A_WHOLE_NUMBER = "not_a_whole_number"
    NOT_A_NUMBER = "not_a_number"
    TOO_LARGE = "too_large"
    NOT_ONE_OF = "not_one_of"
    NOT_ONE_OF_NEAR = "not_one_of_near"
    NOT_AMONG = "not_among"
    UNKNOWN_REGION_CODE = "unknown_region_code"
    UNKNOWN_REGION_CODE_AT_LEVEL = "unknown_region_code_at_level"
    AMBIGUOUS_REGION_NAME = "ambiguous_region_name"
    NOT_A_REGION = "not_a_region"
    NOT_A_REGION_NEAR = "not_a_region_near"
    HOLDS_NUL = "holds_nul"
    HOLDS_CONTROL = "holds_control"
    TOO_LONG = "too_long"
    VALUE_MISSING = "value_missing"
    AT_LEAST = "at_least"
    AT_MOST = "at_most"
    # the header row (tables/read.py)
    UNKNOWN_COLUMN = "unknown_column"
    UNKNOWN_COLUMN_NEAR = "unknown_column_near"
    SAME_COLUMN_AS = "same_column_as"
    COLUMN_MISSING = "column_missing"
    # a kind's checks across the columns of a row (tables/kinds.py)
    ON_ANOTHER_ROW = "on_another_row"
    NOT_YYYYMM = "not_yyyymm"
    BEFORE_PERIOD_FROM = "before_period_from"
    LON_LAT_APART = "lon_lat_apart"
    NO_STANDARD_VALUE = "no_standard_value"
    SAME_DAY_TWICE = "same_day_twice"
    ABOVE_POPULATION = "above_population"
    CHILDREN_BELOW_PARTS = "children_below_parts"
    # the person table's own checks (domain/person.py, rules/frame.py)
    MONTHS_NEGATIVE = "months_negative"
    COUNT_NEGATIVE = "count_negative"
    RATIO_NEGATIVE = "ratio_negative"
    INCOME_NEGATIVE = "income_negative"
    NEGATIVE = "negative"
    EXCEEDS_SI_TOTAL = "exceeds_si_total"
    PRIOR_MONTHS_WITHOUT_REGION = "prior_months_without_region"
    RESIDENCE_BEFORE_BIRTH = "residence_before_birth"
    OWN_PARENT = "own_parent"
    PARENT_CYCLE = "parent_cycle"
    NOT_FINITE = "not_finite"
    DUPLICATE_PERSON_ID = "duplicate_person_id"
    AFTER_EVALUATION_DATE = "after_evaluation_date"
    NOT_A_GB_CODE = "not_a_gb_code"
    NOT_ISO_DATE_LIST = "not_iso_date_list"
    NOT_AMONG_CODES = "not_among_codes"
    NOT_OF_TYPE = "not_of_type"
    # the registry import (casework/bulk_import.py, registry/, store/checks.py, ledger/contributions.py)
    SAME_PERSON_AS = "same_person_as"
    NO_SUCH_PERSON = "no_such_person"
    ID_NOT_18 = "id_not_18"
    ID_REGION = "id_region"
    ID_BIRTH_DIGITS = "id_birth_digits"
    ID_BIRTH_RANGE = "id_birth_range"
    ID_CHECK_DIGIT = "id_check_digit"
    ALREADY_REGISTERED = "already_registered"
    RESIDENCE_BEFORE_ID_BIRTH = "residence_before_id_birth"
    RESIDENCE_IN_FUTURE = "residence_in_future"
    PROOF_REF_REQUIRED = "proof_ref_required"
    NOT_A_PREFECTURE = "not_a_prefecture"
    NAME_LENGTH = "name_length"
    PHONE_FORM = "phone_form"
    PERIOD_NOT_A_MONTH = "period_not_a_month"
    PERIOD_TWICE = "period_twice"
    WAITING_MONTH_BASE = "waiting_month_base"
    BASE_NOT_POSITIVE = "base_not_positive"
    MONTH_RECORDED = "month_recorded"
    DRAWS_PENSION = "draws_pension"
    UNTRANSLATED = "untranslated"


_DATE_FORMS_ZH = "2026-06-01、2026/6/1、2026.6.1、20260601 或 2026年6月1日"
_DATE_FORMS_EN = "2026-06-01, 2026/6/1, 2026.6.1, 20260601 or 2026年6月1日"

# code -> (Chinese template, English template), each completed by the refusal's parameters (str.format)
TEMPLATES: dict[RefusalCode, tuple[str, str]] = {
    RefusalCode.NOT_A_DATE: (f"不是日期（{_DATE_FORMS_ZH}）", f"not a date ({_DATE_FORMS_EN})"),
    RefusalCode.NO_SUCH_MONTH: (
        "没有这一天：没有 {month} 月（月份为 1–12）",
        "no such day: there is no month {month} (year {year}, month {month}, day {day})",
    ),
    RefusalCode.NO_SUCH_DAY: (
        "没有这一天：{year} 年 {month} 月没有 {day} 日",
        "no such day: month {month} of {year} has no day {day}",
    ),
    RefusalCode.NOT_A_DATE_IN_LIST: (
        "“{word}”不是日期（2026-06-01、2026/6/1 或 2026年6月1日；多个日期以 ; 分隔；没有则写 无）",
        "{word!r} is not a date (2026-06-01, 2026/6/1 or 2026年6月1日; several: a;b; none: 无)",
    ),
    RefusalCode.NOT_YES_OR_NO: ("不是“是”或“否”", "not yes or no (是/否, true/false, 1/0, Y/N)"),
    RefusalCode.NOT_A_WHOLE_NUMBER: ("不是整数", "not a whole number"),
    RefusalCode.NOT_A_NUMBER: ("不是数字", "not a number"),
    RefusalCode.TOO_LARGE: ("数值过大", "too large a number"),
    RefusalCode.NOT_ONE_OF: ("不是可选值之一：{allowed}", "not one of {allowed}"),
    RefusalCode.NOT_ONE_OF_NEAR: (
        "不是可选值之一：{allowed}；是否指 {near}？",
        "not one of {allowed}; did you mean {near}?",
    ),
    RefusalCode.NOT_AMONG: ("不在可选值之中：{allowed}（多个以 ; 分隔）", "not among {allowed} (several: a;b)"),
    RefusalCode.UNKNOWN_REGION_CODE: ("未知的地区代码", "unknown region code"),
    RefusalCode.UNKNOWN_REGION_CODE_AT_LEVEL: ("未知的地区代码", "unknown region code at {level} level"),
    RefusalCode.AMBIGUOUS_REGION_NAME: (
        "地名 {name} 有重名：请填写代码或连同所属城市的地名（{options}）",
        "the name {name} is ambiguous: give the code or the name with its city ({options})",
    ),
    RefusalCode.NOT_A_REGION: ("不是地区代码或准确的地名", "not a region code or the exact name of a region"),
    RefusalCode.NOT_A_REGION_NEAR: (
        "不是地区代码或准确的地名；是否指 {near}？",
        "not a region code or the exact name of a region; did you mean {near}?",
    ),
    RefusalCode.HOLDS_NUL: ("含有 NUL 字符", "holds a NUL character (\\x00)"),
    RefusalCode.HOLDS_CONTROL: ("含有控制字符", "holds a control character"),
    RefusalCode.TOO_LONG: ("过长：最多 {limit} 个字符", "is longer than allowed: at most {limit} characters"),
    RefusalCode.VALUE_MISSING: ("缺少数值", "value is missing"),
    RefusalCode.AT_LEAST: ("不得小于 {limit}", "must be at least {limit}"),
    RefusalCode.AT_MOST: ("不得大于 {limit}", "must be at most {limit}"),
    RefusalCode.UNKNOWN_COLUMN: ("未知的列", "unknown column"),
    RefusalCode.UNKNOWN_COLUMN_NEAR: (
        "未知的列；是否指 {label}（{name}）？",
        "unknown column; did you mean {label} ({name})?",
    ),
    RefusalCode.SAME_COLUMN_AS: ("与“{header}”是同一列（{name}）", "names the same column as {header!r} ({name})"),
    RefusalCode.COLUMN_MISSING: ("缺少此列", "column is missing"),
    RefusalCode.ON_ANOTHER_ROW: ("与另一行重复", "appears on another row too"),
    RefusalCode.NOT_YYYYMM: ("不是 YYYYMM 格式的月份", "not a month written YYYYMM"),
    RefusalCode.BEFORE_PERIOD_FROM: ("早于起始月份", "is before period_from"),
    RefusalCode.LON_LAT_APART: ("经度和纬度须同时填写或同时留空", "lon and lat must both be given or both be empty"),
    RefusalCode.NO_STANDARD_VALUE: ("请填写标准值、单位成本或两者", "give a standard value, a unit cost or both"),
    RefusalCode.SAME_DAY_TWICE: (
        "另一行为同一地区和服务给出了同一起始日期的值",
        "another row gives it for the same region and service from the same date",
    ),
    RefusalCode.ABOVE_POPULATION: ("超过常住人口", "is more than the resident population"),
    RefusalCode.CHILDREN_BELOW_PARTS: ("小于 0–4 岁与 5–14 岁人数之和", "is less than 0-4 plus 5-14"),
    RefusalCode.MONTHS_NEGATIVE: ("月数不能为负", "months cannot be negative"),
    RefusalCode.COUNT_NEGATIVE: ("次数不能为负", "count cannot be negative"),
    RefusalCode.RATIO_NEGATIVE: ("比值不能为负", "ratio cannot be negative"),
    RefusalCode.INCOME_NEGATIVE: ("收入不能为负", "income cannot be negative"),
    RefusalCode.NEGATIVE: ("不能为负", "cannot be negative"),
    RefusalCode.EXCEEDS_SI_TOTAL: ("超过社保缴费总月数", "exceeds si_months_total"),
    RefusalCode.PRIOR_MONTHS_WITHOUT_REGION: (
        "填写了上一居住地的月数，但没有填写上一居住地",
        "prior months given without a prior_region",
    ),
    RefusalCode.RESIDENCE_BEFORE_BIRTH: ("居住起始日期早于出生日期", "residence starts before birth"),
    RefusalCode.OWN_PARENT: ("本人不能是自己的父母", "a person cannot be their own parent"),
    RefusalCode.PARENT_CYCLE: ("父母关系形成循环（某人成了自己的祖辈）", "parent links form or lead into a cycle"),
    RefusalCode.NOT_FINITE: (
        "不是有限的数值（不清楚时请留空）",
        "not a finite number (leave the cell empty where it is not known)",
    ),
    RefusalCode.DUPLICATE_PERSON_ID: ("编号与另一行重复", "duplicate person_id"),
    RefusalCode.AFTER_EVALUATION_DATE: ("日期晚于判定日期 {date}", "date is after the evaluation date {date}"),
    RefusalCode.NOT_A_GB_CODE: ("不是六位 GB/T 2260 地区代码", "not a six-digit GB/T 2260 code"),
    RefusalCode.NOT_ISO_DATE_LIST: ("不是 ISO 日期的列表（2024-03-01）", "not a list of ISO dates (2024-03-01)"),
    RefusalCode.NOT_AMONG_CODES: ("{shown} 不在可选代码之中：{codes}", "{shown} not among the codes {codes}"),
    RefusalCode.NOT_OF_TYPE: ("无法读作 {dtype}：{detail}", "cannot be read as {dtype}: {detail}"),
    RefusalCode.SAME_PERSON_AS: ("与第 {line} 行是同一人", "same person as line {line}"),
    RefusalCode.NO_SUCH_PERSON: ("没有登记此身份证号码的人员", "no registered person has this identity number"),
    RefusalCode.ID_NOT_18: (
        "身份证号码须为 17 位数字加 1 位数字或 X",
        "identity number must be 17 digits followed by a digit or X",
    ),
    RefusalCode.ID_REGION: (
        "身份证号码的地区代码不是省级代码（以 {prefix} 开头）",
        "identity number: region code starts with {prefix}, not a province code",
    ),
    RefusalCode.ID_BIRTH_DIGITS: (
        "身份证号码中的出生日期不是有效日期",
        "identity number: birth date digits are not a calendar date",
    ),
    RefusalCode.ID_BIRTH_RANGE: (
        "身份证号码中的出生日期早于 1900 年或在未来",
        "identity number: birth date is before 1900 or in the future",
    ),
    RefusalCode.ID_CHECK_DIGIT: (
        "身份证号码校验位不符（GB 11643-1999）",
        "identity number: check digit does not match (GB 11643-1999)",
    ),
    RefusalCode.ALREADY_REGISTERED: (
        "此身份证号码的人员已经登记",
        "a person with this identity number is already registered",
    ),
    RefusalCode.RESIDENCE_BEFORE_ID_BIRTH: (
        "居住起始日期早于身份证号码中的出生日期",
        "residence_since is before the birth date in the identity number",
    ),
    RefusalCode.RESIDENCE_IN_FUTURE: ("居住起始日期在未来", "residence_since is in the future"),
    RefusalCode.PROOF_REF_REQUIRED: ("缺少证明编号", "proof_ref: a {kind} proof reference is required"),
    RefusalCode.NOT_A_PREFECTURE: (
        "{field}：{code} 不是已知的地级地区",
        "{field}: {code} is not a known prefecture-level region",
    ),
    RefusalCode.NAME_LENGTH: ("姓名须为 1 至 {limit} 个字符", "a name has 1 to {limit} printable characters"),
    RefusalCode.PHONE_FORM: ("手机号须为 11 位大陆手机号码", "a phone number is an 11-digit mainland mobile number"),
    RefusalCode.PERIOD_NOT_A_MONTH: (
        "{period} 不是 1950 年至今的月份",
        "period {period}: not a month between 1950 and now (YYYYMM)",
    ),
    RefusalCode.PERIOD_TWICE: ("{period}：同一月份列出两次", "period {period}: listed twice"),
    RefusalCode.WAITING_MONTH_BASE: (
        "{period}：等待期月份没有缴费基数",
        "period {period}: waiting months carry no contribution base",
    ),
    RefusalCode.BASE_NOT_POSITIVE: (
        "{period}：缴费基数必须大于零",
        "period {period}: contribution base must be positive",
    ),
    RefusalCode.MONTH_RECORDED: (
        "{period}：该月份已有缴费记录（缴于 {paid_in}）",
        "period {period}: {scheme} month already recorded (paid in {paid_in})",
    ),
    RefusalCode.DRAWS_PENSION: (
        "此人已领取养老金，不再缴费（第 2 条）",
        "the person already draws a pension: no further contributions (art. 2)",
    ),
    RefusalCode.UNTRANSLATED: ("此行无法使用：{text}", "{text}"),
}
_JOINERS = {Lang.ZH: "、", Lang.EN: " or "}


@cache
def template_fields(template: str) -> frozenset[str]:
    """The parameters a template names."""
    return frozenset(name for _, name, _, _ in string.Formatter().parse(template) if name)


@dataclass(frozen=True)
class Refusal:
    """One reason a file's row, cell or header is refused: its code and the parameters its templates name (each a
    value as text, or a list of values). Equal refusals are equal values; str() is the English."""

    code: RefusalCode
    params: tuple[tuple[str, Param], ...] = ()

    def __post_init__(self) -> None:
        wanted = template_fields(TEMPLATES[self.code][0]) | template_fields(TEMPLATES[self.code][1])
        given = {name for name, _ in self.params}
        if given != wanted:
            raise ValueError(f"refusal {self.code.value} takes {sorted(wanted)}, given {sorted(given)}")

    def text(self, lang: Lang) -> str:
        """The reason in `lang`, its parameters filled in."""
        joiner = _JOINERS[lang]
        values = {k: v if isinstance(v, str) else joiner.join(v) for k, v in self.params}
        return TEMPLATES[self.code][0 if lang == Lang.ZH else 1].format(**values)

    @property
    def zh(self) -> str:
        """The reason in Chinese."""
        return self.text(Lang.ZH)

    @property
    def en(self) -> str:
        """The reason in English."""
        return self.text(Lang.EN)

    def __str__(self) -> str:
        return self.en

    def as_json(self) -> dict[str, object]:
        """The refusal as JSON values: {"code": ..., "params": {...}} (a list parameter as a list)."""
        return {"code": self.code.value, "params": {k: v if isinstance(v, str) else list(v) for k, v in self.params}}

    @classmethod
    def from_json(cls, value: dict[str, Any]) -> Refusal:
        """The refusal `as_json` gave."""
        params = value["params"].items()
        return cls(RefusalCode(value["code"]), tuple((k, v if isinstance(v, str) else tuple(v)) for k, v in params))

    def encoded(self) -> str:
        """The refusal as one string (its JSON), for a column of reasons a reader computes in polars."""
        return json.dumps(self.as_json(), ensure_ascii=False)

    @classmethod
    def decoded(cls, text: str) -> Refusal:
        """The refusal `encoded` wrote."""
        return cls.from_json(json.loads(text))


def refusal(code: RefusalCode, /, **params: Param | int) -> Refusal:
    """A refusal of `code` with its parameters (numbers written as text)."""
    return Refusal(code, tuple((k, str(v) if isinstance(v, int) else v) for k, v in params.items()))


def untranslated(text: str) -> Refusal:
    """An error's own message that no code names (see the module's docstring): shown as it came."""
    return refusal(RefusalCode.UNTRANSLATED, text=text)


def refusal_of(error: Exception) -> Refusal:
    """The refusal an error carries (its `refusal` attribute), else its message as UNTRANSLATED."""
    found = getattr(error, "refusal", None)
    return found if isinstance(found, Refusal) else untranslated(str(error))
