"""Records of every kind of table, and the same records written the ways offices write them."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl

from changzhu.data.regions import region_table
from changzhu.planning.standards import load_standards, service_catalog
from changzhu.tables import ColumnType, TableSchema, read_table
from changzhu.tables import schema_of as schema_with
from changzhu.tables.template import template_header

# One reference file per kind, in plain English CSV (the records every other form must reproduce).
ENGLISH = {
    "person": (
        "person_id,sex,birth_date,hukou_region,residence_region,residence_since,residence_permit_since,"
        "si_months_local,si_months_total,medical_months_local,prior_region,prior_residence_months,prior_si_months,"
        "employed,education,housing,income_per_capita_month,parent_id,criminal_record,professional_title,"
        "admin_detentions,si_base_ratio\n"
        "1,F,1990-03-07,510100,440300,2019-09-01,2020-03-01,60,96,60,510100,36,36,true,bachelor,rented,4500.5,,false,"
        "skill_3,0,1.2\n"
        "2,M,2016-05-20,510100,440300,2019-09-01,,0,0,0,,0,0,false,none,rented,4500.5,1,false,none,0,\n"
        "3,M,1975-12-31,420100,310100,2008-01-15,2009-06-30,150,200,150,,0,0,true,junior_secondary,dormitory,2100,,"
        "true,none,1,0.6\n"
    ),
    "resident": (
        "id_number,hukou_region,residence_region,residence_since,proof_kind,proof_ref,employed,education,housing,"
        "income_per_capita_month,criminal_record,professional_title,admin_detentions,si_base_ratio\n"
        "510104199003070138,510100,440300,2019-09-01,employment,劳动合同 2019-0815,true,bachelor,rented,4500,false,"
        "skill_3,0,1.2\n"
        "510104198511200248,510100,440300,2021-02-01,housing,租赁备案 77,,,,,,,,\n"
    ),
    "contribution": (
        "id_number,scheme,region,period_from,period_to,monthly_base_yuan\n"
        "510104199003070138,pension,440300,201909,202012,6500\n"
        "510104199003070138,medical,440300,201909,202012,6500\n"
        "510104198511200248,pension,510100,201501,202101,4200.5\n"
    ),
    "facility": (
        "facility_id,name,service,region_code,capacity,lon,lat\n"
        "SZ-1,深圳市人民医院,hospital_beds,440303,2800,114.12,22.55\n"
        "SZ-2,福田区第一小学,primary_school_places,440304,1800,,\n"
    ),
    "supply": (
        "code,beds_total,junior_secondary_enrolment,junior_secondary_fulltime_teachers,"
        "licensed_doctors_incl_assistant,primary_enrolment,primary_fulltime_teachers,registered_nurses\n"
        "440000,545196,4600000,330000,300000,10500000,560000,360000\n"
        "510000,640000,2900000,200000,240000,5600000,330000,260000\n"
    ),
    "standard": (
        "region_code,service,standard_value,unit_cost_yuan,since,source,verified\n"
        "440300,hospital_beds,4.5,,2021-01-01,深圳市医疗卫生设施布局规划 第3条,true\n"
        "440300,hospital_beds,5.0,1200000,2024-01-01,深圳市医疗卫生设施布局规划（修订） 第3条,false\n"
        "440000,primary_school_places,,150000,2020-01-01,广东省义务教育学校建设标准,false\n"
    ),
    "population": (
        "region_code,pop_resident,pop_age_0_4,pop_age_5_14,pop_age_0_14,pop_age_65plus,interprov_in_migrants\n"
        "440300,18000000,1100000,1600000,2700000,700000,9000000\n"
        "440100,19000000,,,,,\n"
    ),
}
KINDS = tuple(ENGLISH)
ZH_DATE = "{0.year}年{0.month}月{0.day}日"


def schema_of(kind: str) -> TableSchema:
    """The schema of a kind, facilities and supply with the shipped service standards."""
    return schema_with(kind, service_catalog(load_standards()))


def reference(kind: str, tmp: Path) -> pl.DataFrame:
    """The typed records of a kind, read from its English CSV."""
    path = tmp / f"{kind}_en.csv"
    path.write_text(ENGLISH[kind], encoding="utf-8")
    return read_table(path, schema_of(kind)).frame


def _names(level: str | None) -> dict[str, str]:
    regions = region_table()
    if level is not None:
        regions = regions.filter(pl.col("level") == level)
    unique = regions.group_by("name_zh").len().filter(pl.col("len") == 1)["name_zh"]
    named = regions.filter(pl.col("name_zh").is_in(unique.implode()))
    return dict(zip(named["code"].to_list(), named["name_zh"].to_list(), strict=True))


def chinese_text(frame: pl.DataFrame, schema: TableSchema) -> pl.DataFrame:
    """The records as a clerk writes them: Chinese headers, labels, 是/否, 2026年6月1日, region names."""
    out: dict[str, list[str | None]] = {}
    for col in schema.columns:
        values = frame[col.name].to_list()
        if col.type == ColumnType.DATE:
            text = [None if v is None else ZH_DATE.format(v) for v in values]
        elif col.type == ColumnType.BOOL:
            text = [None if v is None else ("是" if v else "否") for v in values]
        elif col.type == ColumnType.CATEGORY:
            labels = {c.code: c.zh for c in col.categories}
            text = [None if v is None else labels[v] for v in values]
        elif col.type == ColumnType.REGION:
            names = _names(col.region_level)
            text = [None if v is None else names.get(v, v) for v in values]
        else:
            text = [None if v is None else str(v) for v in values]
        out[col.zh] = text
    return pl.DataFrame(out, schema=dict.fromkeys(out, pl.String))


def write_forms(kind: str, frame: pl.DataFrame, tmp: Path) -> dict[str, Path]:
    """The same records as a UTF-8 CSV with BOM, a GBK CSV with Chinese headers, an .xlsx (typed cells,
    template headers) and a Parquet file."""
    schema = schema_of(kind)
    paths = {form: tmp / f"{kind}_{form}" for form in ("bom.csv", "gbk.csv", "typed.xlsx", "typed.parquet")}
    frame.write_csv(paths["bom.csv"], include_bom=True)
    paths["gbk.csv"].write_bytes(chinese_text(frame, schema).write_csv().encode("gbk"))
    as_excel = frame.with_columns(pl.col(pl.Enum).cast(pl.String))
    as_excel.rename({c.name: template_header(c) for c in schema.columns}).write_excel(paths["typed.xlsx"])
    frame.write_parquet(paths["typed.parquet"])
    return paths


def some_day() -> date:
    """A date after every date in the records."""
    return date(2026, 6, 1)


# `changzhu resident register` for one Chengdu-registered resident living in Shenzhen, as caseworker cw_sz
REGISTER_ARGS = [
    "resident",
    "register",
    "--id-number",
    "510104199003070138",
    "--hukou",
    "510100",
    "--residence",
    "440300",
    "--since",
    "2020-01-01",
    "--proof",
    "employment",
    "--proof-ref",
    "合同 1",
    "--as",
    "cw_sz",
]


# one value of each kind's template example row and what a clerk writes over it: the row is then no longer the
# template's own example (which the reader refuses as left in the file) but a row of theirs, read as any other
WRITTEN_OVER = {
    "person": ("person_id", "2"),
    "resident": ("name", "李四"),
    "contribution": ("monthly_base_yuan", "7000"),
    "facility": ("facility_id", "SZ-H-002"),
    "supply": ("code", "450000"),
    "standard": ("standard_value", "5"),
    "population": ("pop_resident", "17560000"),  # its example may be real data: read either way
}


def template_written_over(schema: TableSchema, template: Path) -> Path:
    """The template at `template` (.csv or .xlsx, as write_template wrote it) with one value of its example row
    written over (WRITTEN_OVER), cells typed as they were; its path."""
    name, value = WRITTEN_OVER[schema.kind]
    header = template_header(schema.column(name))
    out = template.with_name(f"written_over_{template.name}")
    if template.suffix == ".csv":
        frame = pl.read_csv(template, infer_schema=False)
        frame.with_columns(pl.lit(value).alias(header)).write_csv(out, include_bom=True)
    else:
        frame = pl.read_excel(template)
        typed = pl.lit(value).cast(frame[header].dtype)
        frame.with_columns(typed.alias(header)).write_excel(out, worksheet=schema.kind, autofit=True)
    return out
