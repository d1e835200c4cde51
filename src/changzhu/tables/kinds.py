"""Every kind of table a user can load, one schema each: person, resident, contribution, facility, supply, standard,
population."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import polars as pl

from changzhu.data.coordinate_systems import CoordinateSystem, to_wgs84
from changzhu.data.geo import km_outside
from changzhu.domain import field_sizes
from changzhu.domain.person import INSURANCE_MONTH_COLUMNS, PERSON_COLUMNS
from changzhu.domain.refusals import CodedError, RefusalCode, listed, refusal
from changzhu.tables.person import person_column, person_schema
from changzhu.tables.schema import Category, Column, ColumnType, Fallback, RowProblem, TableSchema, normalize_header
from changzhu.tables.school_stages import spanning_categories, split_spanning_schools
from changzhu.tables.vocab import RegionIndex, shipped_region_index

# core person-table columns a registered resident gives as facts (the registry derives or keeps the others itself)
RESIDENT_FACTS = (
    "employed",
    "education",
    "housing",
    "income_per_capita_month",
    "criminal_record",
    "professional_title",
    "admin_detentions",
    "si_base_ratio",
    "parent_lives_here",
    *INSURANCE_MONTH_COLUMNS,  # a caseworker's statement: counted only while no contribution record is held
)
# columns a 派出所's export carries that the identity number already gives: read, checked against it, not stored
ID_FACTS = ("birth_date", "sex")
PROOF_KINDS = (
    Category("housing", "住房", "housing"),
    Category("employment", "就业", "employment"),
    Category("study", "就学", "study"),
)
SCHEMES = (  # with the words a 社保 office's export heads its schemes by (养老, 基本养老保险, 职工医保…)
    Category("pension", "养老保险", "pension", ("养老", "基本养老保险", "职工基本养老保险", "企业职工基本养老保险")),
    Category(
        "medical", "医疗保险", "medical insurance", ("医疗", "医保", "基本医疗保险", "职工基本医疗保险", "职工医保")
    ),
    Category("unemployment", "失业保险", "unemployment insurance", ("失业",)),
)
ID_NUMBER = Column(
    "id_number",
    ColumnType.TEXT,
    "公民身份号码",
    "identity number",
    aliases=("身份证号", "身份证号码"),
    example="110105199003150025",  # born 1990-03-15, female: as the example row's birth date and sex
    sensitive=True,
    max_length=18,
)

# a resident's name and phone (optional): the registry keeps them encrypted, with a keyed look-up hash
CONTACT_COLUMNS = (
    Column("name", ColumnType.TEXT, "姓名", "name", required=False, nullable=True, example="张三", max_length=50),
    Column(
        "phone",
        ColumnType.TEXT,
        "手机号",
        "phone",
        required=False,
        nullable=True,
        aliases=("联系电话", "手机号码"),
        example="13800138000",
        sensitive=True,
        max_length=20,
    ),
)


def fact_column(name: str) -> Column:
    """A person-table column as an optional fact of a registered resident (missing stays unknown)."""
    core = person_column({c.name: c for c in PERSON_COLUMNS}[name])
    return Column(
        core.name,
        core.type,
        core.zh,
        core.en,
        required=False,
        nullable=True,
        unit=core.unit,
        categories=core.categories,
        aliases=core.aliases,
        example=core.example,
        minimum=core.minimum,
    )


def _unique(column: str) -> Callable[[pl.DataFrame], list[RowProblem]]:
    def check(frame: pl.DataFrame) -> list[RowProblem]:
        dup = frame.get_column(column).is_duplicated() & frame.get_column(column).is_not_null()
        return [RowProblem(int(r), column, refusal(RefusalCode.ON_ANOTHER_ROW)) for r in dup.arg_true().to_list()]

    return check


def resident_schema(declared: Sequence[Column] = ()) -> TableSchema:
    """A registry import of residents: identity, places, proof, and the facts the rules need (the core ones and
    the inputs the jurisdictions declare, `declared`)."""
    return TableSchema(
        "resident",
        "常住人口登记表",
        "residents to register",
        (
            ID_NUMBER,
            *CONTACT_COLUMNS,
            Column(
                "hukou_region",
                ColumnType.REGION,
                "户籍地",
                "hukou place",
                aliases=("户籍所在地",),
                example="510100",
                region_level="prefecture",
            ),
            Column(
                "residence_region",
                ColumnType.REGION,
                "常住地",
                "place of residence",
                aliases=("居住地",),
                example="440300",
                region_level="prefecture",
            ),
            Column(
                "residence_since",
                ColumnType.DATE,
                "居住起始日期",
                "resident since",
                aliases=("来本市日期", "来本地日期", "来本市居住日期", "来本地居住日期"),  # a 派出所's or 社区's header
                example="2019-09-01",
            ),
            Column("proof_kind", ColumnType.CATEGORY, "证明类型", "proof", categories=PROOF_KINDS, example="就业"),
            Column(
                "proof_ref",
                ColumnType.TEXT,
                "证明编号",
                "proof reference",
                example="劳动合同 2019-0815",
                max_length=field_sizes.PROOF_REF,
            ),
            *(fact_column(n) for n in RESIDENT_FACTS),
            *(fact_column(n) for n in ID_FACTS),
            *declared,
        ),
        records_key="residents",
        declared=frozenset(c.name for c in declared),
    )


def _period_check(frame: pl.DataFrame) -> list[RowProblem]:
    problems = []
    for name in ("period_from", "period_to"):
        p = frame.get_column(name)
        bad = ~(p.is_between(195001, 999912) & (p % 100).is_between(1, 12))
        problems += [RowProblem(int(r), name, refusal(RefusalCode.NOT_YYYYMM)) for r in bad.arg_true().to_list()]
    order = (frame["period_to"] < frame["period_from"]).arg_true().to_list()
    return problems + [RowProblem(int(r), "period_to", refusal(RefusalCode.BEFORE_PERIOD_FROM)) for r in order]


def contribution_schema() -> TableSchema:
    """A registry import of contribution histories: one row per range of months paid in one region."""
    return TableSchema(
        "contribution",
        "社保缴费记录",
        "contribution history",
        (
            ID_NUMBER,
            Column("scheme", ColumnType.CATEGORY, "险种", "scheme", categories=SCHEMES, example="养老保险"),
            Column(
                "region", ColumnType.REGION, "参保地", "region paid in", example="440300", region_level="prefecture"
            ),
            Column("period_from", ColumnType.INTEGER, "起始年月", "first month", unit="YYYYMM", example="201909"),
            Column("period_to", ColumnType.INTEGER, "截止年月", "last month", unit="YYYYMM", example="202405"),
            Column(
                "monthly_base_yuan",
                ColumnType.NUMBER,
                "月缴费基数",
                "monthly base",
                unit="yuan",
                minimum=0,
                maximum=1e9,
                example="6500",
            ),
        ),
        checks=(_period_check,),
        records_key="contributions",
    )


@dataclass(frozen=True)
class ServiceInfo:
    """A planned service as the facility and supply tables name it: key, Chinese title, supply column."""

    key: str
    title_zh: str
    supply_column: str


# How facility lists and supply tables name the shipped services besides the standards' titles (医疗卫生机构床位…)
SERVICE_WORDS: dict[str, tuple[str, ...]] = {
    "hospital_beds": ("床位", "病床", "医院床位", "医疗床位"),
    "licensed_doctors": ("医师", "执业医师", "执业助理医师"),
    "registered_nurses": ("护士",),
    "primary_school_places": ("小学", "小学学位", "小学学位数"),
    "junior_secondary_places": ("初中", "初中学位", "初中学位数"),
    "primary_teachers": ("小学教师", "小学教职员"),
    "junior_secondary_teachers": ("初中教师", "初中教职员"),
}


def _service_column(services: Sequence[ServiceInfo]) -> Column:
    """The service a row is about: one of the standards in use, by key, Chinese title or an office word for it."""
    return Column(
        "service",
        ColumnType.CATEGORY,
        "服务",
        "service",
        categories=(
            *(Category(s.key, s.title_zh, s.key.replace("_", " "), SERVICE_WORDS.get(s.key, ())) for s in services),
            *spanning_categories([s.key for s in services]),  # 九年一贯制 ...: split into a row per stage on reading
        ),
        aliases=("服务类型", "设施类型", "类别", "学段"),
        example="hospital_beds",
    )


LON_RANGE = (73.0, 136.0)  # China's extent in degrees, with a margin
LAT_RANGE = (3.0, 54.0)
OUTSIDE_KM = 3.0  # a facility this far outside its region's boundary (simplified to ~1 km) is refused


def _within(value: float, bounds: tuple[float, float]) -> bool:
    return bounds[0] <= value <= bounds[1]


def _coordinates_check(frame: pl.DataFrame) -> list[RowProblem]:
    """lon and lat both given or both empty, in China, not swapped, and inside (or within a few km of) the region
    the row names, where its boundary ships."""
    problems = []
    for row, (code, lon, lat) in enumerate(frame.select("region_code", "lon", "lat").iter_rows()):
        if (lon is None) != (lat is None):
            problems.append(RowProblem(row, "lat", refusal(RefusalCode.LON_LAT_APART)))
            continue
        if lon is None:
            continue
        given = {"lon": f"{lon:g}", "lat": f"{lat:g}"}
        if not (_within(lon, LON_RANGE) and _within(lat, LAT_RANGE)):
            swapped = _within(lat, LON_RANGE) and _within(lon, LAT_RANGE)
            code_of = RefusalCode.LON_LAT_SWAPPED if swapped else RefusalCode.LON_LAT_OUTSIDE_CHINA
            problems.append(RowProblem(row, "lon", refusal(code_of, **given)))
            continue
        outside = None if code is None else km_outside(code, lon, lat)
        if outside is not None and outside > OUTSIDE_KM:
            why = refusal(RefusalCode.FACILITY_OUTSIDE_REGION, region=code, km=f"{outside:,.0f}", **given)
            problems.append(RowProblem(row, "lon", why))
    return problems


COORDINATE_SYSTEMS = (
    Category(
        CoordinateSystem.WGS84.value,
        "WGS-84（GPS、地球坐标）",
        "WGS-84 (GPS)",
        aliases=("WGS84", "WGS 84", "WGS-84", "GPS", "地球坐标", "地球坐标系", "EPSG:4326"),
    ),
    Category(
        CoordinateSystem.GCJ02.value,
        "GCJ-02（火星坐标：高德、腾讯）",
        "GCJ-02 (Gaode, Tencent)",
        aliases=(
            *("GCJ-02", "GCJ02", "GCJ 02", "火星坐标", "火星坐标系", "国测局坐标", "国测局坐标系"),
            *("高德", "高德坐标", "高德地图", "腾讯", "腾讯坐标", "腾讯地图", "Gaode", "AMap", "AutoNavi", "Tencent"),
        ),
    ),
    Category(
        CoordinateSystem.BD09.value,
        "BD-09（百度坐标）",
        "BD-09 (Baidu)",
        aliases=("BD-09", "BD09", "BD 09", "BD09LL", "百度", "百度坐标", "百度坐标系", "百度地图", "Baidu"),
    ),
)


def _coordinates_to_wgs84(frame: pl.DataFrame) -> pl.DataFrame:
    """lon/lat a row gives in GCJ-02 or BD-09 made WGS-84 (data/coordinate_systems.py), its coord_system then
    wgs84 (what the numbers now are, so a list exported and loaded again is not converted twice); a row with no
    coordinate system is left as given (upload reports name those rows: planning/facilities.py)."""
    system = frame["coord_system"].cast(pl.String)
    lon, lat = frame["lon"].to_numpy().copy(), frame["lat"].to_numpy().copy()
    converted = False
    for given in (CoordinateSystem.GCJ02, CoordinateSystem.BD09):
        rows = (system == given.value).fill_null(False).to_numpy()
        if rows.any():
            lon[rows], lat[rows] = to_wgs84(lon[rows], lat[rows], given)
            converted = True
    if not converted:
        return frame
    made = pl.when(pl.lit(system).is_in([CoordinateSystem.GCJ02.value, CoordinateSystem.BD09.value]))
    now = made.then(pl.lit(CoordinateSystem.WGS84.value)).otherwise(pl.lit(system))
    return frame.with_columns(
        pl.Series("lon", lon, dtype=pl.Float64).fill_nan(None),  # an empty cell stays empty
        pl.Series("lat", lat, dtype=pl.Float64).fill_nan(None),
        now.cast(frame["coord_system"].dtype).alias("coord_system"),
    )


BEDS_HEADERS = frozenset({"床位数", "病床数", "编制床位数", "实有床位数", "开放床位数"})  # a capacity in hospital beds


def _service_of_capacity(services: Sequence[ServiceInfo]) -> Fallback:
    """A list without a service column whose capacity is headed 床位数 is a list of hospital beds; 学位数 says places
    but not whether primary or junior secondary, so such a list still needs its 学段 column."""
    keys = {s.key for s in services}

    def read(header: str, cells: pl.Series, _regions: object) -> pl.Series | None:
        if "hospital_beds" not in keys or normalize_header(header) not in BEDS_HEADERS:
            return None
        return pl.Series(["hospital_beds"] * cells.len(), dtype=pl.String)

    return Fallback("service", "capacity", read)


def _leading_region(header: str, cells: pl.Series, regions: object) -> pl.Series:
    """Each address's leading region name, the longest one the region index knows (成都市青羊区一环路西二段32号:
    成都市青羊区; 四川省成都市青羊区…: the same district); empty where an address begins with none."""
    index = regions if isinstance(regions, RegionIndex) else shipped_region_index()
    names = index.names[None]

    def lead(text: str | None) -> str | None:
        written = (text or "").strip()
        return next((written[:n] for n in range(min(len(written), 24), 1, -1) if written[:n] in names), None)

    texts = cells.cast(pl.String)
    found = {text: lead(text) for text in texts.unique().to_list()}
    return pl.Series(header, [found[text] for text in texts.to_list()], dtype=pl.String)


def facility_schema(services: Sequence[ServiceInfo]) -> TableSchema:
    """A facility list (设施清单): one row per facility with its service, region and capacity."""
    return TableSchema(
        "facility",
        "设施清单",
        "facility list",
        (
            Column(
                "facility_id",
                ColumnType.TEXT,
                "设施编号",
                "facility id",
                required=False,  # offices' lists often have none; where given, each must be unique
                nullable=True,
                aliases=("编号", "序号", "机构代码", "学校代码", "学校标识码"),
                example="SZ-H-001",
            ),
            Column(
                "name",
                ColumnType.TEXT,
                "名称",
                "name",
                aliases=("设施名称", "机构名称", "学校名称", "医院名称", "单位名称"),
                example="深圳市人民医院",
            ),
            _service_column(services),
            Column(
                "region_code",
                ColumnType.REGION,
                "所在地区",
                "region",
                aliases=("区县", "地区", "所在区", "所在区县", "行政区", "行政区划代码"),
                example="440303",
            ),
            Column(
                "address",
                ColumnType.TEXT,
                "地址",
                "address",
                required=False,
                nullable=True,
                aliases=("详细地址",),
                example="深圳市罗湖区东门北路1017号",
            ),
            Column(
                "capacity",
                ColumnType.NUMBER,
                "容量",
                "capacity",
                unit="beds, places or staff",
                minimum=0,
                aliases=("床位数", "学位数"),
                example="2800",
            ),
            Column(
                "lon",
                ColumnType.NUMBER,
                "经度",
                "longitude",
                required=False,
                nullable=True,
                unit="degrees (WGS-84; GCJ-02 or BD-09 converted when coord_system names it)",
                example="114.12",
            ),
            Column(
                "lat",
                ColumnType.NUMBER,
                "纬度",
                "latitude",
                required=False,
                nullable=True,
                unit="degrees (WGS-84; GCJ-02 or BD-09 converted when coord_system names it)",
                example="22.55",
            ),
            Column(
                "coord_system",
                ColumnType.CATEGORY,
                "坐标系",
                "coordinate system",
                required=False,
                nullable=True,
                categories=COORDINATE_SYSTEMS,
                aliases=("坐标系统", "坐标类型", "坐标来源", "CRS"),
                example="gcj02",
            ),
        ),
        checks=(_unique("facility_id"), _coordinates_check),
        keys=(("facility_id", refusal(RefusalCode.ON_ANOTHER_ROW)),),
        conversions=(_coordinates_to_wgs84,),
        expansion=lambda frame: split_spanning_schools(frame, [s.key for s in services]),
        records_key="facilities",
        fallbacks=(
            _service_of_capacity(services),
            Fallback("region_code", "address", _leading_region, refusal(RefusalCode.NO_REGION_IN_ADDRESS)),
        ),
    )


SUPPLY_LABELS = {
    "beds_total": ("医疗卫生机构床位数", "beds"),
    "licensed_doctors_incl_assistant": ("执业(助理)医师数", "licensed doctors incl. assistants"),
    "registered_nurses": ("注册护士数", "registered nurses"),
    "primary_enrolment": ("小学在校生数", "primary enrolment"),
    "primary_fulltime_teachers": ("小学专任教师数", "primary teachers"),
    "junior_secondary_enrolment": ("初中在校生数", "junior secondary enrolment"),
    "junior_secondary_fulltime_teachers": ("初中专任教师数", "junior secondary teachers"),
}


def supply_schema(services: Sequence[ServiceInfo]) -> TableSchema:
    """Supply by province (the columns the service standards name); replaces the shipped 2019 figures."""
    needed = sorted({s.supply_column for s in services})
    return TableSchema(
        "supply",
        "分省服务供给",
        "supply by province",
        (
            Column(
                "code",
                ColumnType.REGION,
                "省份",
                "province",
                aliases=("地区", "省份代码"),
                example="440000",
                region_level="province",
            ),
            *(
                Column(name, ColumnType.NUMBER, *SUPPLY_LABELS.get(name, (name, name)), minimum=0, example="1000")
                for name in needed
            ),
        ),
        checks=(_unique("code"),),
        keys=(("code", refusal(RefusalCode.ON_ANOTHER_ROW)),),
        records_key="supply",
    )


def _value_given(frame: pl.DataFrame) -> list[RowProblem]:
    none = (frame["standard_value"].is_null() & frame["unit_cost_yuan"].is_null()).arg_true().to_list()
    return [RowProblem(int(r), "standard_value", refusal(RefusalCode.NO_STANDARD_VALUE)) for r in none]


def _one_value_a_day(frame: pl.DataFrame) -> list[RowProblem]:
    problems = []
    for column in ("standard_value", "unit_cost_yuan"):
        given = pl.col(column).is_not_null()
        twice = frame.select(pl.struct("region_code", "service", "since", given).is_duplicated() & given).to_series()
        problems += [
            RowProblem(int(r), column, refusal(RefusalCode.SAME_DAY_TWICE)) for r in twice.arg_true().to_list()
        ]
    return problems


def standard_schema(services: Sequence[ServiceInfo]) -> TableSchema:
    """A planner's own service standards (本地服务标准): dated, sourced values of a region's standard or unit cost."""
    return TableSchema(
        "standard",
        "本地服务标准",
        "local service standards",
        (
            Column(
                "region_code", ColumnType.REGION, "地区", "region", aliases=("地区代码", "行政区划"), example="440300"
            ),
            _service_column(services),
            Column(
                "standard_value",
                ColumnType.NUMBER,
                "标准值",
                "standard",
                required=False,
                nullable=True,
                unit="the standard's unit (changzhu check --list-parameters)",
                minimum=0,
                aliases=("配置标准",),
                example="4.5",
            ),
            Column(
                "unit_cost_yuan",
                ColumnType.NUMBER,
                "单位成本",
                "unit cost",
                required=False,
                nullable=True,
                unit="yuan",
                minimum=0,
                aliases=("单位造价",),
                example="",
            ),
            Column("since", ColumnType.DATE, "起始日期", "in force from", aliases=("施行日期",), example="2021-01-01"),
            Column(
                "source",
                ColumnType.TEXT,
                "依据",
                "source",
                aliases=("文件依据", "来源"),
                example="《深圳市医疗卫生设施布局规划》第3条",
            ),
            Column(
                "verified",
                ColumnType.BOOL,
                "已核实",
                "verified",
                required=False,
                default=False,
                example="否",
            ),
        ),
        checks=(_value_given, _one_value_a_day),
        records_key="standards",
    )


# the census figures' own names, as `changzhu population --out` and GET /population?format= write them: a planner's
# export of the census, edited, reads back as a scenario population
CENSUS_FIELD_ALIASES = {
    "region_code": ("code",),
    "pop_resident": ("pop_resident_2020",),
    "interprov_in_migrants": ("interprov_in_migrants_2020",),
}
POPULATION_COUNTS = (
    ("pop_resident", "常住人口", "resident population", True),
    ("pop_age_0_4", "0-4岁人口", "aged 0-4", False),
    ("pop_age_5_14", "5-14岁人口", "aged 5-14", False),
    ("pop_age_0_14", "0-14岁人口", "aged 0-14", False),
    ("pop_age_65plus", "65岁及以上人口", "aged 65 and over", False),
    ("interprov_in_migrants", "省外流入人口", "from other provinces", False),
)


def _parts_fit(frame: pl.DataFrame) -> list[RowProblem]:
    problems = []
    for name, *_ in POPULATION_COUNTS[1:]:
        over = (frame[name] > frame["pop_resident"]).fill_null(False).arg_true().to_list()
        problems += [RowProblem(int(r), name, refusal(RefusalCode.ABOVE_POPULATION)) for r in over]
    young = (frame["pop_age_0_4"] + frame["pop_age_5_14"] > frame["pop_age_0_14"]).fill_null(False)
    return problems + [
        RowProblem(int(r), "pop_age_0_14", refusal(RefusalCode.CHILDREN_BELOW_PARTS)) for r in young.arg_true()
    ]


def population_schema() -> TableSchema:
    """An analyst's own resident population (情景人口) by region, replacing the census where a plan reads it."""
    return TableSchema(
        "population",
        "情景人口",
        "scenario population",
        (
            Column(
                "region_code",
                ColumnType.REGION,
                "地区",
                "region",
                aliases=("地区代码", "行政区划", *CENSUS_FIELD_ALIASES["region_code"]),
                example="440300",
            ),
            *(
                Column(
                    name,
                    ColumnType.NUMBER,
                    zh,
                    en,
                    required=required,
                    nullable=not required,
                    unit="people",
                    minimum=0,
                    maximum=2e9,
                    aliases=CENSUS_FIELD_ALIASES.get(name, ()),
                    example="17560000" if required else "",
                )
                for name, zh, en, required in POPULATION_COUNTS
            ),
        ),
        checks=(_unique("region_code"), _parts_fit),
        keys=(("region_code", refusal(RefusalCode.ON_ANOTHER_ROW)),),
        records_key="population",
        example_is_data=True,
    )


KINDS = ("person", "resident", "contribution", "facility", "supply", "standard", "population")


def schema_of(kind: str, services: Sequence[ServiceInfo], declared: Sequence[Column] = ()) -> TableSchema:
    """The schema of a kind by name (`services`: those of the standards in use, for facilities and supply;
    `declared`: the declared inputs, for people and residents)."""
    match kind:
        case "person":
            return person_schema(declared)
        case "resident":
            return resident_schema(declared)
        case "contribution":
            return contribution_schema()
        case "facility":
            return facility_schema(services)
        case "supply":
            return supply_schema(services)
        case "standard":
            return standard_schema(services)
        case "population":
            return population_schema()
    raise CodedError(refusal(RefusalCode.UNKNOWN_TABLE_KIND, kind=kind, **listed("kinds", KINDS)))
