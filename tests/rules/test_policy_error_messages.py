"""A policy author's mistakes, each in a copy of the shipped policies, and what the author is told: the file, the
line and key path, and the reason, in Chinese and in English (docs/policies.md, "Error messages")."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from changzhu.cli.lang import command_lang
from changzhu.domain.lang import Lang
from changzhu.domain.refusals import Refusal, RefusalCode
from changzhu.parameters import ParameterError, load_tree
from changzhu.parameters.tree import TREE_DIR
from changzhu.rules import PolicyError
from changzhu.rules.catalog import POLICY_DIR, load_policy_dir
from changzhu.rules.policy_tests import run_policy_test_file

SHANGHAI = "jurisdictions/310100.yaml"
CJK = re.compile(r"[\u4e00-\u9fff]")


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "policies"
    shutil.copytree(POLICY_DIR, target)
    return target


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= 1, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _line(path: Path, written: str) -> int:
    """The line (from 1) of the first line of a file holding `written`."""
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if written in line)


def _refused(directory: Path) -> PolicyError:
    with pytest.raises(PolicyError) as caught:
        load_policy_dir(directory)
    error = caught.value
    assert error.refusal is not None and error.refusal.code in (RefusalCode.FILE_AT_LINE, RefusalCode.FILE_LINE)
    assert str(error) == error.refusal.en
    return error


def _refused_edit(tmp_path: Path, old: str, new: str) -> tuple[PolicyError, Refusal, Path]:
    """Shanghai's file in a copy of the policies with `old` written as `new`: the error, its refusal and the file."""
    policies = _copy(tmp_path)
    path = policies / SHANGHAI
    _edit(path, old, new)
    error = _refused(policies)
    assert error.refusal is not None
    return error, error.refusal, path


@pytest.mark.parametrize(
    ("written", "iso"), [("2024/1/1", "2024-01-01"), ("2024年1月1日", "2024-01-01"), ("2013.7.1", "2013-07-01")]
)
def test_a_date_written_another_way_is_named_with_its_iso_form(tmp_path: Path, written: str, iso: str) -> None:
    _, refusal, path = _refused_edit(
        tmp_path, "      - since: 2013-07-01\n        value: 120", f"      - since: {written}\n        value: 120"
    )
    line = _line(path, f"since: {written}")
    where = "parameters.shanghai.points.standard_score.values[0]"
    assert refusal.zh == f"310100.yaml 第 {line} 行（{where}）：'{written}' 不是 YYYY-MM-DD 格式的日期：请写作 {iso}"
    assert refusal.en == f"310100.yaml: {where}: '{written}' is not a date (YYYY-MM-DD): write {iso} (line {line})"


def test_an_agreement_date_in_chinese_is_named_at_its_line(tmp_path: Path) -> None:
    policies = _copy(tmp_path)
    _edit(policies / "agreements/yrd.yaml", "since: 2019-12-01", "since: 2019年12月1日")
    error = _refused(policies)
    assert error.reason.code == RefusalCode.POLICY_DATE_WRITE_AS
    assert error.refusal is not None
    line = _line(policies / "agreements/yrd.yaml", "since:")
    assert (
        error.refusal.zh
        == f"yrd.yaml 第 {line} 行（since）：'2019年12月1日' 不是 YYYY-MM-DD 格式的日期：请写作 2019-12-01"
    )


def test_a_city_name_as_the_file_name_is_told_its_code(tmp_path: Path) -> None:
    policies = _copy(tmp_path)
    (policies / SHANGHAI).rename(policies / "jurisdictions/上海市.yaml")
    with pytest.raises(PolicyError) as caught:
        load_policy_dir(policies)
    reason = caught.value.refusal
    assert reason is not None and caught.value.reason.code == RefusalCode.POLICY_NOT_A_CODE_NEAR
    assert (
        reason.zh
        == "文件 上海市.yaml：'上海市' 不是地区代码：上海市 的代码是 310100（文件名与 jurisdiction 须为地区代码）"
    )
    assert reason.en.startswith("上海市.yaml: '上海市' is not a region code: the code of 上海市 is 310100")


def test_a_city_name_as_the_jurisdiction_is_told_its_code(tmp_path: Path) -> None:
    _, refusal, _ = _refused_edit(tmp_path, 'jurisdiction: "310100"', "jurisdiction: 上海")
    assert refusal.zh == (
        "310100.yaml 第 3 行（jurisdiction）：'上海' 不是地区代码：上海市 的代码是 310100"
        "（文件名与 jurisdiction 须为地区代码）"
    )


def test_an_agreement_naming_its_agglomeration_in_chinese_lists_the_known_ones(tmp_path: Path) -> None:
    policies = _copy(tmp_path)
    _edit(policies / "agreements/yrd.yaml", "agglomeration: yrd", "agglomeration: 长三角")
    error = _refused(policies)
    assert error.refusal is not None
    said = "yrd.yaml 第 3 行（agglomeration）：'长三角' 不是已知的城市群代码：可选 cy、gba、jjj、myr、yrd"
    assert error.refusal.zh == said, error.refusal.zh  # the codes listed, not as Python's ['cy', …]
    assert "one of cy, gba, jjj, myr, yrd (line 3)" in error.refusal.en, error.refusal.en


def test_an_unknown_variable_suggests_the_near_ones(tmp_path: Path) -> None:
    _, refusal, path = _refused_edit(
        tmp_path,
        '{variable: hukou_local, op: "==", value: false, label: hukou is elsewhere}',
        '{variable: hukou_locale, op: "==", value: false}',
    )
    line = _line(path, "hukou_locale")
    where = "services.residence_permit.rule.all_of[0]"
    assert (
        refusal.zh == f"310100.yaml 第 {line} 行（{where}）：未知的变量 'hukou_locale'；是否指 hukou_local、si_local？"
    )
    assert (
        refusal.en
        == f"310100.yaml: {where}: unknown variable 'hukou_locale'; did you mean hukou_local or si_local? (line {line})"
    )


def test_an_unknown_parameter_is_named_at_the_line_that_uses_it(tmp_path: Path) -> None:
    _, refusal, path = _refused_edit(
        tmp_path, "param: shanghai.permit.min_si_months", "param: shanghai.permit.min_si_month"
    )
    line = _line(path, "shanghai.permit.min_si_month,")
    assert refusal.zh == (
        f"310100.yaml 第 {line} 行（services.residence_permit.rule）：参数 'shanghai.permit.min_si_month' 未定义"
        "（适用链 000000→310100）"
    )
    assert "parameter 'shanghai.permit.min_si_month' is not defined (000000→310100)" in refusal.en


def test_a_value_without_its_source_is_named(tmp_path: Path) -> None:
    _, refusal, path = _refused_edit(
        tmp_path, "        source: 《上海市居住证积分管理办法》（沪府发〔2013〕40号）标准分值120分\n", ""
    )
    line = _line(path, "      - since: 2013-07-01")
    assert (
        refusal.zh
        == f"310100.yaml 第 {line} 行（parameters.shanghai.points.standard_score.values[0]）：缺少字段 source"
    )
    assert refusal.en.endswith(f"values[0]: missing field 'source' (line {line})")


@pytest.mark.parametrize(
    ("old", "new", "zh"),
    [
        ("        value: 120\n", "        value: 120分\n", "须为数值（单位：分），实为 '120分'"),
        (
            "    unit: points\n    description: standard score",
            "    unit: 分\n    description: standard score",
            "单位 '分' 不是可选单位之一",
        ),
    ],
)
def test_a_value_of_the_wrong_type_or_unit_is_named(tmp_path: Path, old: str, new: str, zh: str) -> None:
    _, refusal, _ = _refused_edit(tmp_path, old, new)
    assert refusal.zh.startswith("310100.yaml 第 ") and zh in refusal.zh


def test_an_indentation_mistake_names_the_line_and_what_it_means(tmp_path: Path) -> None:
    error, refusal, path = _refused_edit(
        tmp_path, "    description: standard score", "      description: standard score"
    )
    assert error.reason.code == RefusalCode.POLICY_YAML_SYNTAX
    line = _line(path, "      description: standard score")
    assert refusal.zh.startswith(f"310100.yaml 第 {line} 行：不是有效的 YAML（第 ")
    assert "缩进" in refusal.zh
    assert refusal.en.startswith(f"310100.yaml: line {line}: not valid YAML: mapping values are not allowed")


def test_a_points_row_missing_a_field_is_named_at_its_row(tmp_path: Path) -> None:
    _, refusal, path = _refused_edit(tmp_path, "{at_least: 1.0, points: 50}", "{at_least: 1.0}")
    line = _line(path, "{at_least: 1.0}")
    where = "points_schemes.shanghai_residence_points.indicators[3].tiers[1]"
    assert refusal.zh == f"310100.yaml 第 {line} 行（{where}）：缺少字段 points"
    assert refusal.en == f"310100.yaml: {where}: missing field 'points' (line {line})"


def test_a_points_row_of_the_wrong_type_is_named_not_a_crash(tmp_path: Path) -> None:
    _, refusal, _ = _refused_edit(tmp_path, "{min: 18, max: 43, points: 30}", "{min: 18岁, max: 43, points: 30}")
    assert refusal.zh.endswith("min 须为不小于 0 的整数，实为 '18岁'")


def test_a_policy_test_expecting_an_output_that_does_not_exist(tmp_path: Path) -> None:
    policies = _copy(tmp_path)
    path = policies / "tests/310100.yaml"
    _edit(
        path, "{person_id: 1, points_shanghai_residence_points: 179.0}", "{person_id: 1, points_shanghai_points: 179.0}"
    )
    with pytest.raises(PolicyError) as caught:
        run_policy_test_file(path, load_policy_dir(policies))
    reason = caught.value.refusal
    assert reason is not None
    line = _line(path, "points_shanghai_points")
    where = "cases[0].expect[0].points_shanghai_points"
    near = ("points_shanghai_residence_points", "points_low_shanghai_residence_points")
    assert reason.zh.startswith(f"310100.yaml 第 {line} 行（{where}）：没有输出列 'points_shanghai_points'；")
    assert reason.zh.endswith(f"是否指 {'、'.join(near)}、points_high_shanghai_residence_points？")
    assert reason.en == (
        f"310100.yaml: {where}: unknown output column 'points_shanghai_points'; did you mean {' or '.join(near)} "
        f"or points_high_shanghai_residence_points? (line {line})"
    )


def test_a_policy_test_date_written_another_way(tmp_path: Path) -> None:
    policies = _copy(tmp_path)
    path = policies / "tests/310100.yaml"
    _edit(path, "    date: 2026-06-01\n", "    date: 2026年6月1日\n")
    with pytest.raises(PolicyError) as caught:
        run_policy_test_file(path, load_policy_dir(policies))
    reason = caught.value.refusal
    assert reason is not None
    line = _line(path, "date: 2026年6月1日")
    assert (
        reason.zh
        == f"310100.yaml 第 {line} 行（cases[0].date）：'2026年6月1日' 不是 YYYY-MM-DD 格式的日期：请写作 2026-06-01"
    )


def test_a_parameter_file_mistake_names_the_file_line_and_key(tmp_path: Path) -> None:
    tree = tmp_path / "tree"
    shutil.copytree(TREE_DIR, tree)
    path = tree / "registry.yaml"
    text = path.read_text(encoding="utf-8")
    first = re.search(r"\n( +)- since: (\d{4}-\d{2}-\d{2})", text)
    assert first is not None
    written = first.group(2).replace("-", "/")
    path.write_text(text.replace(first.group(0), f"\n{first.group(1)}- since: {written}", 1), encoding="utf-8")
    with pytest.raises(ParameterError) as caught:
        load_tree(tree)
    reason = caught.value.refusal
    assert reason is not None and reason.code == RefusalCode.FILE_AT_LINE
    line = _line(path, f"since: {written}")
    assert reason.zh.startswith(f"registry.yaml 第 {line} 行（registry.")
    assert reason.zh.endswith(f"'{written}' 不是 YYYY-MM-DD 格式的日期：请写作 {first.group(2)}")
    assert reason.en.startswith("registry.yaml: registry.") and reason.en.endswith(f"(line {line})")


@pytest.mark.parametrize(
    ("environ", "lang"),
    [
        ({"LANG": "zh_CN.UTF-8"}, Lang.ZH),
        ({"LANG": "en_US.UTF-8", "LC_ALL": "zh_TW.UTF-8"}, Lang.ZH),
        ({"LANG": "zh_CN.UTF-8", "LC_MESSAGES": "C"}, Lang.EN),
        ({"LANG": "C.UTF-8"}, Lang.EN),
        ({}, Lang.EN),
        ({"LANG": "C.UTF-8", "CHANGZHU_LANG": "zh"}, Lang.ZH),
        ({"LANG": "zh_CN.UTF-8", "CHANGZHU_LANG": "en"}, Lang.EN),
    ],
)
def test_the_error_line_follows_the_locale(environ: dict[str, str], lang: Lang) -> None:
    assert command_lang(environ, argv=()) == lang


def test_changzhu_check_tells_a_chinese_author_in_chinese(tmp_path: Path) -> None:
    policies = _copy(tmp_path)
    _edit(policies / SHANGHAI, "{at_least: 1.0, points: 50}", "{at_least: 1.0}")
    line = _line(policies / SHANGHAI, "{at_least: 1.0}")
    shown = {}
    for locale in ("zh_CN.UTF-8", "C.UTF-8"):
        env = {k: v for k, v in os.environ.items() if k not in ("LC_ALL", "LC_MESSAGES", "CHANGZHU_LANG")}
        ran = subprocess.run(
            [sys.executable, "-m", "changzhu.cli.main", "--policies", str(policies), "check"],
            capture_output=True,
            text=True,
            env={**env, "LANG": locale, "COLUMNS": "400"},
            check=False,
        )
        assert ran.returncode == 1 and "Traceback" not in ran.stderr, ran.stderr
        shown[locale] = " ".join(ran.stderr.split())
    where = "points_schemes.shanghai_residence_points.indicators[3].tiers[1]"
    assert shown["zh_CN.UTF-8"] == f"错误：310100.yaml 第 {line} 行（{where}）：缺少字段 points"
    assert shown["C.UTF-8"] == f"error: 310100.yaml: {where}: missing field 'points' (line {line})"
    assert not CJK.search(shown["C.UTF-8"])


def test_a_bare_number_on_a_duration_is_refused_with_its_unit(tmp_path: Path) -> None:
    # "满5年" written `value: 5` was read as 5 months and loaded silently: the rule held five years too early
    _, refusal, path = _refused_edit(
        tmp_path,
        '{variable: permit, op: ">=", months: 0, label: holds a 上海市居住证}',
        '{variable: permit, op: ">=", value: 5, label: holds a 上海市居住证}',
    )
    line = _line(path, "value: 5, label: holds")
    assert refusal.en.endswith(
        "permit is a duration (counted in months): `value: 5` would mean 5 months; write `years: 5` or `months: 5`"
        f" (line {line})"
    )
    assert "请写 `years: 5` 或 `months: 5`" in refusal.zh


def test_an_admission_line_written_as_a_number_is_told_to_name_a_parameter(tmp_path: Path) -> None:
    _, refusal, path = _refused_edit(
        tmp_path, "admission_line: {param: shanghai.points.standard_score}", "admission_line: 120"
    )
    where = "points_schemes.shanghai_residence_points.admission_line"
    line = _line(path, "admission_line: 120")
    assert refusal.en == (
        f"310100.yaml: {where}: the admission line names a parameter: write `admission_line: {{param: KEY}}` and give"
        f" that parameter its value, start date and source under parameters (found 120) (line {line})"
    )
    assert refusal.zh.startswith(f"310100.yaml 第 {line} 行（{where}）：分数线须指向一个参数")


GUANGZHOU = "jurisdictions/440100.yaml"
REGISTRATION = (
    '    document: {zh: 《广州市流动人口办理居住登记凭证》, en: "Guangzhou record of migrant residence registration"}'
)


@pytest.mark.parametrize(
    ("new", "where", "zh", "en"),
    [
        (
            "    document: {zh: 《广州市流动人口办理居住登记凭证》}",
            "inputs.residence_since.document",
            "document 须同时有中文与英文：{zh: ..., en: ...}",
            "document need {zh: ..., en: ...}",
        ),
        (
            "    document: 居住登记凭证",
            "inputs.residence_since.document",
            "document 须同时有中文与英文：{zh: ..., en: ...}",
            "document need {zh: ..., en: ...}",
        ),
        (
            "    type: months",
            "inputs.residence_since",
            "'residence_since' 是核心列或变量，请另取名称"
            "（核心列在此只可写 document: 与 source:，即本地证明材料及其出处）",
            "'residence_since' is a core column or variable; choose another name (a core column takes only document:"
            " and source: here, the city's own proving document and where it was read)",
        ),
        ("    source: ''", "inputs.residence_since", "source 须写明定义它的文件", "source must name the document"),
    ],
)
def test_a_malformed_core_document_is_refused_naming_file_line_and_key(
    tmp_path: Path, new: str, where: str, zh: str, en: str
) -> None:
    """A city's own document for a core fact (`document:` under `inputs:`, the core column's name) must name it in
    both languages, with its source, and nothing else: a core column's type and label are national."""
    policies = _copy(tmp_path)
    path = policies / GUANGZHOU
    if new.startswith("    source"):
        _edit(path, '    source: "[M1] 申领材料4：申领人的《广州市流动人口办理居住登记凭证》"', new)
        line = _line(path, "  residence_since:")
    else:
        _edit(path, REGISTRATION, new)
        line = _line(path, new.strip())
        if where == "inputs.residence_since":
            line = _line(path, "  residence_since:")
    error = _refused(policies)
    assert error.refusal is not None and error.file == "440100.yaml" and error.where == where
    assert error.refusal.zh == f"440100.yaml 第 {line} 行（{where}）：{zh}"
    assert error.refusal.en.startswith(f"440100.yaml: {where}: {en}") and error.refusal.en.endswith(f"(line {line})")


def test_a_core_document_is_the_citys_only(tmp_path: Path) -> None:
    """A core column's document written in Guangzhou's file is Guangzhou's: its cities' residents see it, another
    city's see the national one (or their own)."""
    from changzhu.rules import person_inputs

    policies = load_policy_dir(_copy(tmp_path))

    def docs(code: str | None) -> dict[str, tuple[str, str, str]]:
        return {
            s.name: (s.document_zh, s.document_en, s.document_source)
            for s in person_inputs(code, policies=policies)
            if s.core
        }

    assert docs("440100")["residence_since"][0] == "《广州市流动人口办理居住登记凭证》"
    assert docs("440100")["residence_since"][2].startswith("[M1]")
    assert docs("310100")["residence_since"] == ("", "", "")  # Shanghai names none: the national DOCUMENTS apply
    assert docs(None)["residence_since"] == ("", "", "")  # every jurisdiction's inputs: no one city's document


def test_a_points_table_whose_brackets_overlap_is_refused_naming_both(tmp_path: Path) -> None:
    """Shanghai's age table typed with 44 in two brackets (18–44, then 44–44): the later bracket counted for 44
    without a word, and a 44-year-old scored 29 where the author meant 30 (or the reverse). The file is refused at
    the second bracket's line, naming both and the year they share; a bracket whose min is above its max too."""
    _, refusal, path = _refused_edit(tmp_path, "{min: 18, max: 43, points: 30}", "{min: 18, max: 44, points: 30}")
    line = _line(path, "{min: 44, max: 44, points: 29}")
    assert refusal.zh.startswith(f"310100.yaml 第 {line} 行（")
    assert refusal.zh.endswith(
        "：第 1 档（18–44）与第 2 档（44–44）重叠：44 同属两档，请核对分值表，使每一档的下限大于上一档的上限"
    )
    assert "bracket 1 (18–44) overlaps bracket 2 (44–44): 44 is in both" in refusal.en
    _, backwards, _ = _refused_edit(tmp_path / "b", "{min: 45, max: 45, points: 27}", "{min: 45, max: 40, points: 27}")
    assert "下限（45）大于上限（40）" in backwards.zh and "min (45) is above max (40)" in backwards.en


def test_codes_not_among_a_category_s_are_listed_in_words_not_as_python_lists(tmp_path: Path) -> None:
    """A mistyped code (bachelr) in a points table: the bad code and the known ones written out (、 in Chinese, ", "
    in English), never Python's ['bachelr']."""
    policies = _copy(tmp_path)
    _edit(policies / "jurisdictions/441900.yaml", "bachelor: 80,", "bachelr: 80,")
    error = _refused(policies)
    assert error.refusal is not None
    zh, en = error.refusal.zh, error.refusal.en
    assert "['" not in zh and "['" not in en, (zh, en)
    assert "bachelr 不在 education 的类别之中：none、primary、" in zh, zh
    assert "bachelr not among education's categories: none, primary, " in en, en
