"""One reader for every kind: the same records from UTF-8, GBK, Excel and Parquet; every bad row reported."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from tables_support import KINDS, chinese_text, reference, schema_of, template_written_over, write_forms

from changzhu.domain.refusals import RefusalCode
from changzhu.tables import TableRejected, read_table
from changzhu.tables.kinds import resident_schema
from changzhu.tables.template import template_header, write_template
from changzhu.tables.vocab import parse_number, shipped_region_index


@pytest.mark.parametrize("kind", KINDS)
def test_every_form_of_the_same_records_reads_the_same(kind: str, tmp_path: Path) -> None:
    expected = reference(kind, tmp_path)
    assert expected.height >= 2
    for form, path in write_forms(kind, expected, tmp_path).items():
        read = read_table(path, schema_of(kind))
        assert read.frame.equals(expected), form
        assert read.errors == [] and read.skipped == 0
    gbk = tmp_path / f"{kind}_gbk.csv"
    assert read_table(gbk, schema_of(kind)).encoding == "gb18030"


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_template_round_trips(kind: str, suffix: str, tmp_path: Path) -> None:
    schema = schema_of(kind)
    template = tmp_path / f"template{suffix}"
    write_template(schema, template)
    if kind != "population":  # its example row left in: refused as that, every cell of it read well
        with pytest.raises(TableRejected) as left_in:
            read_table(template, schema)
        assert [(e.line, e.reason.code) for e in left_in.value.errors] == [(2, RefusalCode.EXAMPLE_ROW)]
    example = read_table(template_written_over(schema, template), schema).frame
    assert example.height == 1
    expected = reference(kind, tmp_path)
    filled = chinese_text(expected, schema).rename({c.zh: template_header(c) for c in schema.columns})
    out = tmp_path / f"filled{suffix}"
    filled.write_csv(out, include_bom=True) if suffix == ".csv" else filled.write_excel(out)
    assert read_table(out, schema).frame.equals(expected)


def test_a_file_with_bad_rows_is_reported_row_by_row_and_not_used(tmp_path: Path) -> None:
    lines = reference("person", tmp_path).height
    text = (tmp_path / "person_en.csv").read_text(encoding="utf-8").splitlines()
    text[1] = text[1].replace("1990-03-07", "1990-02-30").replace(",rented,", ",tent,")
    text[3] = text[3].replace(",true,none,1,0.6", ",perhaps,none,-1,0.6")
    bad = tmp_path / "bad.csv"
    bad.write_text("\n".join(text) + "\n", encoding="utf-8")
    with pytest.raises(TableRejected) as info:
        read_table(bad, schema_of("person"))
    report = info.value.report()
    assert report.select("row", "column", "value").rows() == [
        (2, "birth_date", "1990-02-30"),
        (2, "housing", "tent"),
        (4, "criminal_record", "perhaps"),
        (4, "admin_detentions", "-1"),
    ]
    assert report["reason"].str.len_chars().min() > 5
    assert info.value.bad_rows == 2 and info.value.rows == lines
    kept = read_table(bad, schema_of("person"), skip_bad_rows=True)
    assert kept.frame["person_id"].to_list() == [2] and kept.skipped == 2 and kept.lines == [3]


def test_a_number_shared_with_a_refused_row_is_named_at_once(tmp_path: Path) -> None:
    """Row 2 has an impossible date and row 4 repeats its 编号: only the date was named, the duplicate only once it
    was corrected (the checks across rows see the rows read well). Both are named in one report, and
    --skip-bad-rows keeps neither row of the number (which is the person is not known); a facility list alike."""
    reference("person", tmp_path)
    text = (tmp_path / "person_en.csv").read_text(encoding="utf-8").splitlines()
    text[1] = text[1].replace("1990-03-07", "1990-02-30")
    first_id = text[1].split(",", 1)[0]
    text[3] = first_id + "," + text[3].split(",", 1)[1]
    bad = tmp_path / "bad.csv"
    bad.write_text("\n".join(text) + "\n", encoding="utf-8")
    with pytest.raises(TableRejected) as info:
        read_table(bad, schema_of("person"))
    assert info.value.report().select("row", "column", "value").rows() == [
        (2, "birth_date", "1990-02-30"),
        (2, "person_id", first_id),
        (4, "person_id", first_id),
    ]
    kept = read_table(bad, schema_of("person"), skip_bad_rows=True)
    assert first_id not in [str(i) for i in kept.frame["person_id"].to_list()] and kept.skipped == 2
    facilities = tmp_path / "设施.csv"
    facilities.write_bytes(
        "设施编号,名称,服务,所在地区,容量\r\nH1,甲医院,床位,440303,abc\r\nH1,乙医院,床位,440304,100\r\n".encode("gbk")
    )
    with pytest.raises(TableRejected) as listed:
        read_table(facilities, schema_of("facility"))
    assert listed.value.report().select("row", "column").rows() == [(2, "容量"), (2, "设施编号"), (3, "设施编号")]


def test_cross_column_problems_name_their_row(tmp_path: Path) -> None:
    text = reference("person", tmp_path).with_columns(
        pl.when(pl.col("person_id") == 3).then(999).otherwise(pl.col("si_months_local")).alias("si_months_local")
    )
    path = tmp_path / "p.parquet"
    text.write_parquet(path)
    with pytest.raises(TableRejected) as info:
        read_table(path, schema_of("person"))
    assert info.value.report().select("row", "column").rows() == [(3, "si_months_local")]
    assert "exceeds the total months of social insurance contributions" in info.value.report()["reason"][0]


def test_headers_unknown_doubled_or_missing_are_named(tmp_path: Path) -> None:
    """A header like a known one is refused naming it where the file does not give that column (所在地 for 所在地区);
    beside the column it resembles (region_code given) it is another column of the office's, left out."""
    path = tmp_path / "f.csv"
    path.write_text("设施编号,名称,服务,所在地,容量,region_code,capacity\nA,B,hospital_beds,440303,1,440303,1\n")
    with pytest.raises(TableRejected) as info:
        read_table(path, schema_of("facility"))
    rows = info.value.report().select("column", "reason").rows()
    assert rows == [("capacity", 'names the same column as "容量"')]  # capacity is the column's name: said once
    path.write_text("设施编号,名称,服务,所在地,容量\nA,B,hospital_beds,440303,1\n")
    with pytest.raises(TableRejected) as info:
        read_table(path, schema_of("facility"))
    rows = info.value.report().select("column", "reason").rows()
    assert rows[0][0] == "所在地" and rows[0][1].startswith("unknown column, close to “所在地区” (region)"), rows
    # the header it resembles is the column's Chinese label: named once (was 「所在地区」（所在地区）), and the English
    # quotes it as English does, not as Python's repr ('所在地区')
    said_zh = info.value.report()["reason_zh"][0]
    assert said_zh.startswith("列名与「所在地区」相近，像是写错了") and "（所在地区）" not in said_zh, said_zh
    assert "'" not in rows[0][1], rows
    # the missing column named as a template heads it, with the headers that give it (an office's own among them)
    assert rows[1][0] == "所在地区 (region_code)", rows
    headers = "所在地区, 区县, 地区, 所在区, 所在区县, 行政区, 行政区划代码"
    assert rows[1][1] == f'column is missing: its header may be "region" (or {headers})', rows


def test_regions_by_name_near_miss_and_ambiguity(tmp_path: Path) -> None:
    path = tmp_path / "f.csv"
    path.write_text(
        "facility_id,name,service,region_code,capacity\n"
        "a,A,hospital_beds,深圳市,1\nb,B,hospital_beds,广东省,1\nc,C,hospital_beds,深圳,1\n"
        "d,D,hospital_beds,朝阳区,1\ne,E,hospital_beds,999999,1\n"
    )
    read = read_table(path, schema_of("facility"), skip_bad_rows=True)
    assert read.frame["region_code"].to_list() == ["440300", "440000"]
    reasons = dict(zip(read.report()["value"].to_list(), read.report()["reason"].to_list(), strict=True))
    assert reasons["深圳"].endswith("did you mean Shenzhen (440300)?")  # the English name, and the code
    assert "ambiguous" in reasons["朝阳区"] and "110105" in reasons["朝阳区"]
    assert reasons["999999"].startswith("unknown region code")


def test_regions_by_name_with_their_parents_and_services_by_office_words(tmp_path: Path) -> None:
    """深圳市南山区 / 广东省深圳市南山区 / 湖北省仙桃市 name one county; a bare 南山区 lists both with their cities;
    床位 and 小学 are read as the services offices mean by them."""
    path = tmp_path / "f.csv"
    path.write_text(
        "设施编号,机构名称,服务类型,所在地区,床位数\n"
        "a,A,床位,深圳市南山区,1\nb,B,小学,广东省深圳市南山区,1\nc,C,医院床位,湖北省仙桃市,1\n"
        "d,D,病床,南山区,1\ne,E,床铺,北京市东城区,1\n",
        encoding="gbk",
    )
    read = read_table(path, schema_of("facility"), skip_bad_rows=True)
    assert read.frame.select("region_code", "service").rows() == [
        ("440305", "hospital_beds"),
        ("440305", "primary_school_places"),
        ("429004", "hospital_beds"),
    ]
    reasons = dict(zip(read.report()["value"].to_list(), read.report()["reason"].to_list(), strict=True))
    assert reasons["南山区"] == (
        "the name 南山区 is ambiguous: give the code or the name with its city"
        " (Nanshan District, Hegang (230404), Nanshan District, Shenzhen (440305))"
    )
    assert reasons["床铺"].startswith("not one of hospital beds (")  # the English label, not the code hospital_beds
    assert "_" not in reasons["床铺"], reasons["床铺"]


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("2026-06-01", "2026-06-01"),
        ("2026/6/1", "2026-06-01"),
        ("20260601", "2026-06-01"),
        ("2026年6月1日", "2026-06-01"),
        ("2026.06.01", "2026-06-01"),
        ("2026-06-01 00:00:00", "2026-06-01"),
    ],
)
def test_dates_as_offices_write_them(cell: str, expected: str, tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text(
        f"身份证号,户籍地,常住地,居住起始日期,证明类型,证明编号\n510104199003070138,510100,440300,{cell},住房,x\n"
    )
    assert str(read_table(path, schema_of("resident")).frame["residence_since"][0]) == expected


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("是", True), ("否", False), ("TRUE", True), ("0", False), ("Y", True), ("n", False), ("", None)],
)
def test_booleans_as_offices_write_them(cell: str, expected: bool | None, tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text(
        f"身份证号,户籍地,常住地,居住起始日期,证明类型,证明编号,就业\n510104199003070138,510100,440300,2020-01-01,住房,x,{cell}\n"
    )
    assert read_table(path, schema_of("resident")).frame["employed"][0] is expected


def test_identity_numbers_are_masked_in_reports(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_text(
        "id_number,scheme,region,period_from,period_to,monthly_base_yuan\n510104199003070138,pension,440300,202013,202001,1\n"
    )
    with pytest.raises(TableRejected) as info:
        read_table(path, schema_of("contribution"))
    assert "510104199003070138" not in str(info.value.report().rows())


def test_excel_sheet_by_name_and_unknown_format(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    write_template(schema_of("facility"), path)
    path = template_written_over(schema_of("facility"), path)
    assert read_table(path, schema_of("facility"), sheet="facility").frame.height == 1
    with pytest.raises(Exception, match="the workbook has no sheet named nope: name one of its sheets"):
        read_table(path, schema_of("facility"), sheet="nope")
    odd = tmp_path / "t.dbf"
    odd.write_text("x")
    with pytest.raises(Exception, match="unknown format"):
        read_table(odd, schema_of("facility"))


def test_over_long_text_control_characters_and_huge_amounts_are_bad_rows(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_text(
        "身份证号,户籍地,常住地,居住起始日期,证明类型,证明编号\n"
        f"510104199003070138,510100,440300,2020-01-01,住房,{'x' * 121}\n"
        "510104198511200248,510100,440300,2020-01-01,住房,a\x01b\n"
    )
    with pytest.raises(TableRejected) as info:
        read_table(path, schema_of("resident"))
    assert info.value.report()["reason"].to_list() == [
        "is longer than allowed: at most 120 characters",
        "holds a control character",
    ]
    money = tmp_path / "m.csv"
    money.write_text(
        "id_number,scheme,region,period_from,period_to,monthly_base_yuan\n"
        "510104199003070138,pension,440300,202001,202012,1e12\n"
    )
    with pytest.raises(TableRejected, match="must be at most 1e\\+09"):
        read_table(money, schema_of("contribution"))


def test_where_people_live_may_be_written_down_to_the_district() -> None:
    """A person's residence and hukou place (prefecture level) written as a district or county, by name with its
    city or by code, are read as its city; a bare district name shared by two cities is still refused with both."""
    index = shipped_region_index()
    assert index.resolve("深圳市南山区", "prefecture") == ("440300", None)
    assert index.resolve("440305", "prefecture") == ("440300", None)
    assert index.resolve("湖北省仙桃市", "prefecture") == ("429004", None)  # a city below its province directly
    assert index.resolve("北京市朝阳区", "prefecture") == ("110100", None)
    assert index.resolve("440305", "county") == ("440305", None)  # other levels are not rolled up
    code, reason = index.resolve("南山区", "prefecture")
    assert code is None and reason is not None and "230404" in reason.en and "440305" in reason.en
    code, reason = index.resolve("深圳市南山", "prefecture")
    assert code is None and reason is not None and reason.en.startswith("not a region code")


def test_a_whole_number_too_large_for_any_count_is_a_bad_cell() -> None:
    """1e100 as a person id (found by the upload fuzz: it was a server error) is refused on its cell."""
    parsed = parse_number(pl.Series(["1e100", "3", "-9.3e18", "2.5", "x", None, "1,200"]), integer=True)
    assert parsed.values.to_list() == [None, 3, None, None, None, None, 1200]
    big, fraction = "too large a number", "not a whole number"
    assert [None if r is None else r.en for r in parsed.refusals()] == [big, None, big, fraction, fraction, None, None]


def test_regions_by_code_need_no_names_and_names_read_the_same_after(tmp_path: Path) -> None:
    """A column of known codes is read without building the index's names; a name read later with the same index
    (its names then built) resolves as a fresh index resolves it."""
    from changzhu.data.regions import region_table
    from changzhu.tables.vocab import region_index

    index = region_index(region_table())
    codes = tmp_path / "codes.csv"
    codes.write_text("facility_id,name,service,region_code,capacity\na,A,hospital_beds,440305,1\n")
    assert read_table(codes, schema_of("facility"), regions=index).frame["region_code"].to_list() == ["440305"]
    assert "_names" not in vars(index)
    words = ["深圳市南山区", "南山区", "深圳", "shenzhen", "999999", "440300"]
    fresh = region_index(region_table())
    assert [index.resolve(w, "county") for w in words] == [fresh.resolve(w, "county") for w in words]
    assert "_names" in vars(index)
    assert index.resolve("深圳市南山区", "county") == ("440305", None)


@pytest.mark.parametrize("small", [pl.Int16(), pl.UInt16(), pl.Int32(), pl.Int64()])
def test_whole_numbers_of_any_integer_type_read_as_the_schemas(small: pl.DataType, tmp_path: Path) -> None:
    """A Parquet file's counts as a program writes them (Int16, UInt16, …) are kept in their own type while read and
    come out of the schema's type, equal to the same file written with Int64; a negative count is still a bad cell,
    compared in the column's own type."""
    expected = reference("person", tmp_path)
    counts = ["si_months_local", "si_months_total", "admin_detentions"]
    path = tmp_path / "small.parquet"
    expected.with_columns(pl.col(c).cast(small) for c in counts).write_parquet(path)
    assert read_table(path, schema_of("person")).frame.equals(expected)
    if small.is_signed_integer():
        bad = tmp_path / "negative.parquet"
        negative = pl.when(pl.col("person_id") == 2).then(-1).otherwise(pl.col("admin_detentions"))
        expected.with_columns(negative.cast(small).alias("admin_detentions")).write_parquet(bad)
        with pytest.raises(TableRejected) as info:
            read_table(bad, schema_of("person"))
        assert info.value.report().select("row", "column", "value", "reason").rows() == [
            (2, "admin_detentions", "-1", "must be at least 0")
        ]


@pytest.mark.parametrize(
    ("headers", "column", "en", "zh"),
    [
        # the second header is the column's name (or its English label, hukou region): the reason does not name it
        (["户籍地", "Hukou region"], "Hukou region", 'names the same column as "户籍地"', "与“户籍地”是同一列"),
        (
            ["Hukou region", "hukou_region"],
            "hukou_region",
            'names the same column as "Hukou region"',
            "与“Hukou region”是同一列",
        ),
        # two Chinese headers for one column: the reason says which column in brackets
        (
            ["户籍地", "户籍所在地"],
            "户籍所在地",
            'names the same column as "户籍地" (hukou_region)',
            "与“户籍地”是同一列（hukou_region）",
        ),
    ],
)
def test_a_doubled_header_names_each_header_once(
    tmp_path: Path, headers: list[str], column: str, en: str, zh: str
) -> None:
    """A GBK file heading one column twice: the report's row names the doubling header (its value left empty, not
    the header again) and the reason names the first header in plain quotes, the column's name only where neither
    header is it; the error line names each once in both languages."""
    path = tmp_path / "住户.csv"
    header = ",".join(["身份证号", *headers, "常住地", "居住起始日期", "证明类型", "证明编号"])
    path.write_bytes(f"{header}\n510104199003070138,成都市,成都市,杭州市,2020/6/1,就业,合同 1\n".encode("gbk"))
    with pytest.raises(TableRejected) as info:
        read_table(path, resident_schema())
    assert info.value.report().select("column", "value", "reason", "reason_zh").rows() == [(column, "", en, zh)]
    said = dict(info.value.refusal.params)
    said_en, said_zh = str(said["text_en"]), str(said["text_zh"])
    assert said_en.endswith(f"nothing used: row 1 {column}: {en}"), said_en
    assert said_zh.endswith(f"未使用任何数据：第 1 行 {column}：{zh}"), said_zh
    assert "'" not in said_en
