"""The reasons a file row is refused, in Chinese beside the readers' English (tables/, registry, bulk import)."""

from __future__ import annotations

import re

# (English pattern, Chinese template using the pattern's groups); the first match wins
_REASONS: tuple[tuple[str, str], ...] = (
    (r"^not a date", "不是日期（2026-06-01、2026/6/1、2026.6.1、20260601 或 2026年6月1日）"),
    (r"^no such day: there is no month (\d+)", "没有这一天：没有 {0} 月（月份为 1–12）"),
    (r"^no such day: month (\d+) of (\d+) has no day (\d+)", "没有这一天：{1} 年 {0} 月没有 {2} 日"),
    (r"^not yes or no", "不是“是”或“否”"),
    (r"^not a whole number", "不是整数"),
    (r"^not a number", "不是数字"),
    (r"^too large a number", "数值过大"),
    (r"^not one of (.*)", "不是可选值之一：{0}"),
    (r"^not among (.*)", "不在可选值之中：{0}"),
    (r"^unknown region code", "未知的地区代码"),
    (r"^the name (\S+) is ambiguous.*\((.+)\)$", "地名 {0} 有重名：请填写代码或连同所属城市的地名（{1}）"),
    (r"^the name (\S+) is ambiguous", "地名 {0} 有重名：请填写代码"),
    (r"^not a region code or the exact name.*did you mean (.+?)\?$", "不是地区代码或准确的地名；是否指 {0}？"),
    (r"^not a region code or the exact name", "不是地区代码或准确的地名"),
    (r"^holds a NUL character", "含有 NUL 字符"),
    (r"^holds a control character", "含有控制字符"),
    (r"^is longer than allowed: at most (\d+)", "过长：最多 {0} 个字符"),
    (r"^value is missing", "缺少数值"),
    (r"^must be at least (\S+)", "不得小于 {0}"),
    (r"^must be at most (\S+)", "不得大于 {0}"),
    (r"^unknown column", "未知的列"),
    (r"^names the same column as", "与另一列重复"),
    (r"^column is missing", "缺少此列"),
    (r"^appears on another row too", "与另一行重复"),
    (r"^not a month written YYYYMM", "不是 YYYYMM 格式的月份"),
    (r"^is before period_from", "早于起始月份"),
    (r"^same person as line (\d+)", "与第 {0} 行是同一人"),
    (r"^no registered person has this identity number", "没有登记此身份证号码的人员"),
    (r"^identity number must be 17 digits", "身份证号码须为 17 位数字加 1 位数字或 X"),
    (r"^identity number: region code", "身份证号码的地区代码不是省级代码"),
    (r"^identity number: birth date digits", "身份证号码中的出生日期不是有效日期"),
    (r"^identity number: birth date is before 1900", "身份证号码中的出生日期早于 1900 年或在未来"),
    (r"^identity number: check digit", "身份证号码校验位不符（GB 11643-1999）"),
    (r"^a person with this identity number is already registered", "此身份证号码的人员已经登记"),
    (r"^residence_since is before the birth date", "居住起始日期早于出生日期"),
    (r"^residence_since is in the future", "居住起始日期在未来"),
    (r"^proof_ref: ", "缺少证明编号"),
    (r"^(\w+): (\d{6}) is not a known prefecture-level region", "{0}：{1} 不是已知的地级地区"),
    (r"^period (\d+): month already recorded|^period (\d+): .*already recorded", "该月份已有缴费记录"),
    (r"^period (\d+): not a month", "{0} 不是 1950 年至今的月份"),
    (r"^period (\d+): contribution base must be positive", "{0}：缴费基数必须大于零"),
    # the person table's checks across columns (changzhu.domain.person, rules.frame)
    (r"^months cannot be negative", "月数不能为负"),
    (r"^count cannot be negative", "次数不能为负"),
    (r"^ratio cannot be negative", "比值不能为负"),
    (r"^income cannot be negative", "收入不能为负"),
    (r"^cannot be negative", "不能为负"),
    (r"^exceeds si_months_total", "超过社保缴费总月数"),
    (r"^prior months given without a prior_region", "填写了上一居住地的月数，但没有填写上一居住地"),
    (r"^residence starts before birth", "居住起始日期早于出生日期"),
    (r"^a person cannot be their own parent", "本人不能是自己的父母"),
    (r"^parent links form or lead into a cycle", "父母关系形成循环（某人成了自己的祖辈）"),
    (r"^not a finite number", "不是有限的数值（不清楚时请留空）"),
    (r"^duplicate person_id", "编号与另一行重复"),
    (r"^date is after the evaluation date (\S+)", "日期晚于判定日期 {0}"),
)
_COMPILED = tuple((re.compile(p), zh) for p, zh in _REASONS)


def reason_pair(reason: str) -> tuple[str, str]:
    """(Chinese, English) for one refusal; a reason already written "中文 / English" is split."""
    if " / " in reason and re.search(r"[\u4e00-\u9fff]", reason.split(" / ", 1)[0]):
        zh, en = reason.split(" / ", 1)
        return zh, en
    for pattern, zh in _COMPILED:
        found = pattern.search(reason)
        if found:
            words = (g.replace(" or ", "、") for g in found.groups() if g is not None)
            return zh.format(*words), reason
    return f"此行无法使用：{reason}", reason
