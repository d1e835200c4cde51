"""A refusal reason is a code with its parameters and both languages' templates (changzhu.domain.refusals): every
code renders in Chinese and English, and every reason the table readers give for an office's bad rows (a GBK CSV
and an Excel sheet) is such a code, with a Chinese rendering that is not the untranslated fallback."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
import xlsxwriter

from changzhu.domain.lang import Lang
from changzhu.domain.refusals import (
    PLACE,
    ROLE,
    TEMPLATES,
    Refusal,
    RefusalCode,
    named_fields,
    refusal,
    refusal_of,
    template_fields,
    uncoded,
    untranslated,
)
from changzhu.planning.standards import load_standards, service_catalog
from changzhu.registry.identity import parse_id_number
from changzhu.tables import CellError, TableRejected, read_table
from changzhu.tables.kinds import contribution_schema, resident_schema, schema_of
from changzhu.tables.person import person_schema, read_person_table
from changzhu.tables.places import reason_text
from changzhu.tables.vocab import shipped_region_index

CJK = re.compile(r"[\u4e00-\u9fff]")


def _sample(code: RefusalCode) -> Refusal:
    """The code with each parameter a distinct value (the list ones a list of two)."""
    names = sorted(template_fields(TEMPLATES[code][0]) | template_fields(TEMPLATES[code][1]))
    return refusal(code, **{n: (f"{n}-a", f"{n}-b") if n == "near" else f"<{n}>" for n in names})


@pytest.mark.parametrize("code", list(RefusalCode))
def test_every_code_has_both_templates_and_renders_its_parameters(code: RefusalCode) -> None:
    zh, en = TEMPLATES[code]
    assert CJK.search(zh) or code == RefusalCode.IN_TWO_LANGUAGES, zh  # Chinese, not the English copied
    assert en.strip() and en != zh
    in_chinese = {n for n in template_fields(zh) if n.endswith("_zh")}  # text already in Chinese (module docstring)
    assert {n.removesuffix("_zh") + "_en" for n in in_chinese} <= template_fields(en)
    assert template_fields(zh) - in_chinese <= template_fields(en)  # the English names every value (the log's text)
    sample = _sample(code)
    for name, value in sample.params:
        if name.endswith("_zh"):
            continue
        joined = ", " if (name, PLACE) in named_fields(en) else " or "  # a list of places: each named, commas
        shown = value if isinstance(value, str) else joined.join(value)
        assert shown in sample.text(Lang.EN) or repr(shown) in sample.text(Lang.EN), (name, sample.en)
    # every field rendered: the only braces left are the template's escaped ones (a YAML shape shown: {{zh: …}})
    assert sample.text(Lang.ZH).count("{") == zh.count("{{") and sample.text(Lang.EN).count("{") == en.count("{{")
    assert Refusal.decoded(sample.encoded()) == sample and Refusal.from_json(sample.as_json()) == sample
    assert str(sample) == sample.en


# what a Chinese text may spell in Latin letters: codes, standards, field and header names a user types
CODES_IN_CHINESE = re.compile(
    r"values|GB/T|GBK|GB18030|GB|YYYYMM|YYYY-MM-DD|ISO|NUL|X|POST|PUT|CHANGZHU_INSTANCE_REGION|quota|capacity"
    r"|/api/v1/auth/login|Authorization: Bearer"
    r"|YAML|true|false|MM-DD|overrides|description|parameter|value|since|jurisdiction|evaluation_day|years|name"
    r"|scenario|title|simulation(\.[a-z_]+)?"  # a reform scenario's fields, as its YAML spells them
    # a policy or parameter file's fields, as its YAML spells them
    r"|UTF-8|docs/parameters\.md|op|self|parent|rates|from|points|when|source|cases|people|inputs|months"
    r"|param|example|label|zh|en|of|local|combination|category"
    r"|Excel|CSV|Parquet"  # file formats by their names
    r"|p-中位"  # the location model's name as Chinese writes it (p-中位问题, p-median)
    r"|https?://[A-Za-z0-9.:/-]*"  # a web address the operator types (a peer instance's URL and its example)
)


@pytest.mark.parametrize("code", list(RefusalCode))
def test_every_code_renders_pure_chinese_and_english_with_every_place_named(code: RefusalCode) -> None:
    """Each parameter a region code (places get their names): no template field left, no English in the Chinese
    beyond codes, no Chinese in the English beyond what a parameter or a Chinese term of art brings."""
    names = sorted(template_fields(TEMPLATES[code][0]) | template_fields(TEMPLATES[code][1]))
    sample = refusal(code, **{n: "440100" for n in names})
    places = {PLACE: {"440100": ("广州市", "Guangzhou")}, ROLE: {"440100": ("经办人员", "caseworker")}}
    zh, en = sample.text(Lang.ZH, places), sample.text(Lang.EN, places)
    # no template field left: the only braces are the template's escaped ones (a YAML shape shown: {{zh: …}})
    assert zh.count("{") == TEMPLATES[code][0].count("{{") and en.count("{") == TEMPLATES[code][1].count("{{"), (zh, en)
    assert not re.search(r"[A-Za-z]", CODES_IN_CHINESE.sub("", zh)), zh
    if any((n, PLACE) in named_fields(TEMPLATES[code][0]) for n in names):
        assert "广州市（440100）" in zh and "Guangzhou (440100)" in en
    assert not CJK.search(re.sub("跨省通办|2026年6月1日|是|否|无", "", en)), en  # Chinese terms and examples only


# Codes whose text is for those who call the API, run the server or write its files (not for a caseworker or
# resident): the token to send, the server's settings, a scenario's or policy's YAML fields, the eligibility API's
# list of people (the office does not call it), the command line
FOR_PROGRAMMERS = {
    RefusalCode.NOT_LOGGED_IN,
    RefusalCode.NO_INSTANCE_REGION,
    RefusalCode.DATABASE_TIMEOUT,
    RefusalCode.IDEMPOTENCY_KEY_REUSED,
    RefusalCode.IDEMPOTENCY_KEY_BUSY,
    RefusalCode.SCENARIO_UNKNOWN_PARAMETER,
    RefusalCode.SCENARIO_NOT_A_MAPPING,
    RefusalCode.SIMULATION_DAY_FORM,
    RefusalCode.FISCAL_SHARES_UNKNOWN,
    RefusalCode.FISCAL_SERVICE_WEIGHTS_FORM,
    RefusalCode.FISCAL_EFFECTIVE_NOT_DATE,
    RefusalCode.YAML_OR_FIELDS,
    RefusalCode.POLICY_TEST_NO_PERSON,
    RefusalCode.PARAMETER_UNKNOWN,
    RefusalCode.CLI_NO_PERSON_WITH_KEY,
    RefusalCode.CLI_NO_PERSON_IN_REACH,
}
# an API request (a method or a path), or a variable's name (snake_case) where people read words
API_OR_VARIABLE = re.compile(r"\b(GET|POST|PUT|PATCH|DELETE)\b|/api/|\(/|\b[a-z]+_[a-z_]+\b|\[\{")


@pytest.mark.parametrize("code", sorted(set(RefusalCode) - FOR_PROGRAMMERS))
def test_a_reason_shown_to_people_names_no_api_request_or_variable(code: RefusalCode) -> None:
    """The office shows these reasons to caseworkers and residents: each says where to go or what is wrong in words
    (NO_SCENARIO's English sent people to "GET /scenarios", a voucher's "expires_on must be after issued_on")."""
    for template in TEMPLATES[code]:
        words = re.sub(r"\{[^}]*\}", "", template)  # a parameter's name is no text people read
        assert not API_OR_VARIABLE.search(words), template


def test_no_scenario_names_the_reforms_page_in_each_language() -> None:
    missing = refusal(RefusalCode.NO_SCENARIO, name="abc")
    assert "“改革模拟”页" in missing.text(Lang.ZH) and "the Reforms page" in missing.text(Lang.EN), missing
    assert not re.search(r"GET|/scenarios", missing.text(Lang.EN)), missing.en


def test_a_jurisdiction_beyond_ones_own_is_said_once_in_each_language() -> None:
    # "辖区 440300 不在您的辖区（…）之内" said 辖区 twice until 2026-12-04
    for code in (RefusalCode.JURISDICTION_NOT_INSIDE, RefusalCode.REGION_OUTSIDE):
        zh, en = TEMPLATES[code]
        assert zh.count("辖区") == 1 and en.count("jurisdiction") <= 1, (zh, en)


def test_a_message_of_no_code_is_split_by_language_or_shown_as_it_came() -> None:
    both = uncoded("当前密码不正确 / the current password is wrong")
    assert (both.zh, both.en) == ("当前密码不正确", "the current password is wrong")
    fullwidth = uncoded("没有该登记人员／no registered person")
    assert (fullwidth.zh, fullwidth.en) == ("没有该登记人员", "no registered person")
    plain = uncoded("disk full / try later")
    assert plain.code == RefusalCode.UNCODED and plain.en == "disk full / try later"


def test_a_refusal_takes_exactly_the_parameters_its_templates_name() -> None:
    with pytest.raises(ValueError, match="takes"):
        refusal(RefusalCode.TOO_LONG)
    with pytest.raises(ValueError, match="takes"):
        refusal(RefusalCode.NOT_A_NUMBER, value="x")
    assert refusal(RefusalCode.TOO_LONG, limit=120).zh == "过长：最多 120 个字符"


def test_region_hints_keep_every_suggestion_in_both_languages() -> None:
    index = shipped_region_index()
    _, one = index.resolve("深圳", None)
    _, two = index.resolve("南山", None)
    _, ambiguous = index.resolve("南山区", "county")
    assert one is not None and two is not None and ambiguous is not None
    # each suggestion by its name in the reader's language and its code (the English named only the Chinese 深圳市)
    assert (reason_text(one, Lang.ZH), reason_text(one, Lang.EN)) == (
        "不是地区代码或准确的地名；是否指 深圳市（440300）？",
        "not a region code or the exact name of a region; did you mean Shenzhen (440300)?",
    )
    assert reason_text(two, Lang.ZH) == (  # a name two districts share: both, each with its city
        "不是地区代码或准确的地名；是否指 鹤岗市南山区（230404）、深圳市南山区（440305）、益阳市南县（430921）？"
    )
    assert reason_text(two, Lang.EN).endswith(
        "did you mean Nanshan District, Hegang (230404), Nanshan District, Shenzhen (440305), Nanxian County, Yiyang"
        " (430921)?"
    )
    assert reason_text(ambiguous, Lang.ZH) == (
        "地名 南山区 有重名：请填写代码或连同所属城市的地名（鹤岗市南山区（230404）、深圳市南山区（440305））"
    )
    assert reason_text(ambiguous, Lang.EN).endswith(
        "with its city (Nanshan District, Hegang (230404), Nanshan District, Shenzhen (440305))"
    )


def test_an_error_carries_its_refusal_and_any_other_is_shown_untranslated() -> None:
    with pytest.raises(ValueError) as caught:
        parse_id_number("123")
    assert refusal_of(caught.value) == refusal(RefusalCode.ID_NOT_18)
    assert str(caught.value) == "identity number must be 17 digits followed by a digit or X"
    other = refusal_of(RuntimeError("disk full"))
    assert other == untranslated("disk full") and other.zh == "此行无法使用：disk full" and other.en == "disk full"


# an office's person table, Chinese headers: one good row, then rows each with one mistake a clerk makes
GOOD = {
    "person_id": "1",
    "sex": "女",
    "birth_date": "1990-03-15",
    "hukou_region": "510100",
    "residence_region": "440300",
    "residence_since": "2019-09-01",
    "residence_permit_since": "",
    "si_months_local": "60",
    "si_months_total": "96",
    "medical_months_local": "60",
    "prior_region": "510100",
    "prior_residence_months": "36",
    "prior_si_months": "36",
    "employed": "是",
    "education": "本科",
    "housing": "租房",
    "income_per_capita_month": "5200",  # not the template's 4500: a row of the clerk's, not its example row
    "parent_id": "",
    "criminal_record": "否",
    "professional_title": "无",
    "admin_detentions": "0",
    "si_base_ratio": "1.2",
}
MISTAKES: list[tuple[dict[str, str], RefusalCode]] = [
    ({"birth_date": "2024.13.01"}, RefusalCode.NO_SUCH_MONTH),
    ({"birth_date": "昨天"}, RefusalCode.NOT_A_DATE),
    ({"birth_date": "2023-02-29"}, RefusalCode.NO_SUCH_DAY),
    ({"employed": "也许"}, RefusalCode.NOT_YES_OR_NO),
    ({"si_months_local": "6.5"}, RefusalCode.NOT_A_WHOLE_NUMBER),
    ({"income_per_capita_month": "很多"}, RefusalCode.NOT_A_NUMBER),
    ({"admin_detentions": "1e100"}, RefusalCode.TOO_LARGE),
    ({"housing": "船"}, RefusalCode.CATEGORY_NOT_ONE_OF),
    ({"education": "bachelors"}, RefusalCode.CATEGORY_NOT_ONE_OF_NEAR),
    ({"hukou_region": "999999"}, RefusalCode.UNKNOWN_REGION_CODE_AT_LEVEL),
    ({"residence_region": "南山区"}, RefusalCode.AMBIGUOUS_REGION_NAME),
    ({"hukou_region": "赣州"}, RefusalCode.NOT_A_REGION_NEAR_PLACE),
    ({"hukou_region": "qqqqqqqqqqqqqqqq"}, RefusalCode.NOT_A_REGION),
    ({"si_months_total": "-3"}, RefusalCode.AT_LEAST),
    ({"sex": ""}, RefusalCode.VALUE_MISSING),
    ({"si_months_local": "100"}, RefusalCode.EXCEEDS_SI_TOTAL),
    ({"residence_since": "1980-01-01"}, RefusalCode.RESIDENCE_BEFORE_BIRTH),
    ({"person_id": "20", "parent_id": "20"}, RefusalCode.OWN_PARENT),
    ({"prior_region": ""}, RefusalCode.PRIOR_MONTHS_WITHOUT_REGION),
    ({"person_id": "1"}, RefusalCode.DUPLICATE_PERSON_ID),
]


def _person_rows() -> tuple[list[str], list[list[str]]]:
    labels = {c.name: c.zh for c in person_schema().columns}
    headers = [labels[name] for name in GOOD]
    rows = [list(GOOD.values())]
    for i, (change, _) in enumerate(MISTAKES, start=2):
        row = {**GOOD, "person_id": str(i), **change}
        rows.append(list(row.values()))
    return headers, rows


def _gbk_csv(path: Path, headers: list[str], rows: list[list[str]]) -> Path:
    lines = [",".join(headers)] + [",".join(row) for row in rows]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("gbk"))
    return path


def _xlsx(path: Path, headers: list[str], rows: list[list[str]]) -> Path:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("人员")
    for r, row in enumerate([headers, *rows]):
        sheet.write_row(r, 0, row)
    book.close()
    path.write_bytes(buffer.getvalue())
    return path


def _assert_coded(errors: list[CellError]) -> set[RefusalCode]:
    """Every reason a Refusal of a code, rendered in Chinese (not the fallback) and English; the codes found."""
    assert errors
    for error in errors:
        assert isinstance(error.reason, Refusal), error
        assert error.reason.code != RefusalCode.UNTRANSLATED, error
        assert CJK.search(error.reason.zh) and not error.reason.zh.startswith("此行无法使用"), error
    return {e.reason.code for e in errors}


@pytest.mark.parametrize("write", [_gbk_csv, _xlsx], ids=["gbk-csv", "xlsx"])
def test_every_reason_the_person_reader_gives_is_a_code(tmp_path: Path, write: object) -> None:
    headers, rows = _person_rows()
    suffix = ".csv" if write is _gbk_csv else ".xlsx"
    path = write(tmp_path / f"人员{suffix}", headers, rows)  # type: ignore[operator]
    read, _ = read_person_table(path, person_schema(), skip_bad_rows=True)
    found = _assert_coded(read.errors)
    assert found == {code for _, code in MISTAKES}
    assert read.frame.height == 0  # row 2 repeats the good row's id: both are refused
    reasons = {(e.line, e.reason.code): e.reason for e in read.errors}
    assert reasons[3, RefusalCode.NO_SUCH_MONTH].zh == "没有这一天：没有 13 月（月份为 1–12）"
    assert reason_text(reasons[14, RefusalCode.NOT_A_REGION_NEAR_PLACE], Lang.ZH).endswith("是否指 赣州市（360700）？")


def test_every_reason_of_the_registry_files_and_their_headers_is_a_code(tmp_path: Path) -> None:
    residents = _gbk_csv(
        tmp_path / "常住人口.csv",
        ["身份证号", "户籍地", "常住地", "居住起始日期", "证明类型", "证明编号", "联系电话", "住房"],
        [
            ["510107198803122048", "510100", "440100", "2021-03-01", "就业", "合同\x01", "13912345678", "租房"],
            ["510107198803122048", "510100", "440100", "2021-03-01", "船", "x" * 200, "13912345678", "租房"],
        ],
    )
    read = read_table(residents, resident_schema(), skip_bad_rows=True)
    assert _assert_coded(read.errors) == {
        RefusalCode.HOLDS_CONTROL,
        RefusalCode.TOO_LONG,
        RefusalCode.CATEGORY_NOT_ONE_OF,
    }
    contributions = _gbk_csv(
        tmp_path / "缴费.csv",
        ["公民身份号码", "险种", "参保地", "起始年月", "截止年月", "月缴费基数"],
        [
            ["510107198803122048", "pension", "440300", "202413", "202501", "6000"],
            ["510107198803122048", "pension", "440300", "202401", "202301", "6000"],
        ],
    )
    read = read_table(contributions, contribution_schema(), skip_bad_rows=True)
    assert _assert_coded(read.errors) == {RefusalCode.NOT_YYYYMM, RefusalCode.BEFORE_PERIOD_FROM}
    header = _gbk_csv(tmp_path / "表头.csv", ["身份证号", "户籍地", "户籍所在地", "常住地址", "其他"], [])
    with pytest.raises(TableRejected) as caught:
        read_table(header, resident_schema())
    codes = _assert_coded(caught.value.errors)
    assert {RefusalCode.SAME_COLUMN_AS, RefusalCode.UNKNOWN_COLUMN, RefusalCode.COLUMN_MISSING_HEADERS} <= codes


def test_every_reason_of_the_planning_files_is_a_code(tmp_path: Path) -> None:
    services = service_catalog(load_standards())
    facilities = _gbk_csv(
        tmp_path / "设施.csv",
        ["设施编号", "名称", "服务", "所在地区", "容量", "经度", "纬度"],
        [
            ["F1", "一院", "hospital_beds", "440300", "100", "114.1", ""],
            ["F2", "二院", "hospital_beds", "440300", "50", "", ""],
            ["F2", "三院", "hospital_beds", "440300", "50", "", ""],
        ],
    )
    read = read_table(facilities, schema_of("facility", services, ()), skip_bad_rows=True)
    assert _assert_coded(read.errors) == {RefusalCode.LON_LAT_APART, RefusalCode.ON_ANOTHER_ROW}
    standards = _gbk_csv(
        tmp_path / "标准.csv",
        ["地区", "服务", "标准值", "单位成本", "起始日期", "依据"],
        [
            ["440300", "hospital_beds", "", "", "2024-01-01", "文件"],
            ["440300", "hospital_beds", "6", "", "2025-01-01", "文件"],
            ["440300", "hospital_beds", "7", "", "2025-01-01", "文件"],
        ],
    )
    read = read_table(standards, schema_of("standard", services, ()), skip_bad_rows=True)
    assert _assert_coded(read.errors) == {RefusalCode.NO_STANDARD_VALUE, RefusalCode.SAME_DAY_TWICE}
    population = _gbk_csv(
        tmp_path / "人口.csv",
        ["地区", "常住人口", "0-4岁人口", "5-14岁人口", "0-14岁人口"],
        [["440300", "100", "200", "10", "20"]],
    )
    read = read_table(population, schema_of("population", services, ()), skip_bad_rows=True)
    assert _assert_coded(read.errors) == {RefusalCode.ABOVE_POPULATION, RefusalCode.CHILDREN_BELOW_PARTS}
