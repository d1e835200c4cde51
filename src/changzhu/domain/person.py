"""The person table: one schema, used by the rules engine, the registry and the simulation.

A person table is a polars DataFrame with the columns below. Durations are whole months (Int32),
money is yuan (Float64), dates are calendar dates, region codes are six-digit GB/T 2260 strings at
prefecture level (the city whose rules apply; municipalities use xx0100).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import polars as pl

from changzhu.domain.refusals import Refusal, RefusalCode, refusal
from changzhu.errors import ChangzhuError

SEXES = ["F", "M"]
EDUCATION_LEVELS = [
    "none",
    "primary",
    "junior_secondary",
    "senior_secondary",
    "vocational_college",  # 大专
    "bachelor",  # 本科 with degree
    "master",
    "doctor",
]
HOUSING_TENURES = ["owned", "rented", "public_rental", "dormitory", "none"]
# 职业资格 / 职称: national vocational qualification levels 5 (lowest) to 1, merged with professional titles
# the way points schemes score them (二级 = 中级职称, 一级 = 高级职称).
TITLE_LEVELS = ["none", "skill_5", "skill_4", "skill_3", "skill_2_or_intermediate", "skill_1_or_senior"]


@dataclass(frozen=True)
class PersonColumn:
    """One column of the person table: its type, whether it may be null, its unit and meaning."""

    name: str
    dtype: pl.DataType
    nullable: bool
    unit: str
    doc: str
    optional: bool = False
    default: object = None


PERSON_COLUMNS: tuple[PersonColumn, ...] = (
    PersonColumn("person_id", pl.Int64(), False, "", "unique identifier within the table"),
    PersonColumn("sex", pl.Enum(SEXES), False, "", "F or M"),
    PersonColumn("birth_date", pl.Date(), False, "date", "date of birth"),
    PersonColumn("hukou_region", pl.String(), False, "code", "prefecture-level code of the hukou place (户籍地)"),
    PersonColumn(
        "residence_region", pl.String(), False, "code", "prefecture-level code of habitual residence (常住地)"
    ),
    PersonColumn("residence_since", pl.Date(), False, "date", "start of continuous residence where one lives"),
    PersonColumn(
        "residence_permit_since",
        pl.Date(),
        True,
        "date",
        "date the current residence permit (居住证) was issued",
    ),
    PersonColumn(
        "si_months_local",
        pl.Int32(),
        False,
        "months",
        "employee social insurance months paid where one lives",
    ),
    PersonColumn("si_months_total", pl.Int32(), False, "months", "employee social insurance months paid anywhere"),
    PersonColumn(
        "medical_months_local",
        pl.Int32(),
        False,
        "months",
        "basic medical insurance months where one lives",
    ),
    PersonColumn("prior_region", pl.String(), True, "code", "previous city of residence (for mutual recognition 互认)"),
    PersonColumn(
        "prior_residence_months", pl.Int32(), False, "months", "months lived in the previous place of residence"
    ),
    PersonColumn(
        "prior_si_months",
        pl.Int32(),
        False,
        "months",
        "social insurance months paid in the previous place of residence",
    ),
    PersonColumn("employed", pl.Boolean(), False, "", "in legal, stable employment (合法稳定就业)"),
    PersonColumn("education", pl.Enum(EDUCATION_LEVELS), False, "", "highest education completed"),
    PersonColumn("housing", pl.Enum(HOUSING_TENURES), False, "", "housing tenure where one lives"),
    PersonColumn("income_per_capita_month", pl.Float64(), False, "yuan/month", "household income per head per month"),
    PersonColumn(
        "parent_id", pl.Int64(), True, "", "a linked parent, for children (the parent's row in the person table)"
    ),
    PersonColumn("criminal_record", pl.Boolean(), False, "", "has a criminal record"),
    # Optional columns (added for points schemes): a table without them is accepted; a missing column or an empty
    # cell is null (unknown, never 'none' or 0), and the rules that read it are undetermined, naming it.
    PersonColumn(
        "professional_title",
        pl.Enum(TITLE_LEVELS),
        True,
        "",
        "highest vocational qualification or professional title (职业资格/职称); null: unknown",
        optional=True,
        default=None,
    ),
    PersonColumn(
        "admin_detentions",
        pl.Int32(),
        True,
        "count",
        "administrative detentions (行政拘留) in the last 5 years; null: unknown",
        optional=True,
        default=None,
    ),
    PersonColumn(
        "si_base_ratio",
        pl.Float64(),
        True,
        "ratio",
        "social-insurance contribution base over the city's average wage, last 36 months; default null (unknown)",
        optional=True,
        default=None,
    ),
    PersonColumn(
        "parent_lives_here",
        pl.Boolean(),
        True,
        "",
        "without a linked parent (parent_id): whether a parent lives in the same city (父母在本市居住); false: none "
        "does; null: unknown (rules on the parent are undetermined); with a linked parent, the parent's row decides",
        optional=True,
        default=None,
    ),
)

# Labels of the core columns as a person reads them (the docs say more, for programmers), for forms,
# schemas and explanations.
CORE_LABELS_ZH: dict[str, str] = {
    "person_id": "人员编号",
    "sex": "性别",
    "birth_date": "出生日期",
    "hukou_region": "户籍地",
    "residence_region": "常住地",
    "residence_since": "在常住地连续居住起始日",
    "residence_permit_since": "居住证签发日期",
    "si_months_local": "在常住地缴纳职工社会保险月数",
    "si_months_total": "累计缴纳职工社会保险月数",
    "medical_months_local": "在常住地参加基本医疗保险月数",
    "prior_region": "上一常住地",
    "prior_residence_months": "在上一常住地居住月数",
    "prior_si_months": "在上一常住地缴纳社会保险月数",
    "employed": "合法稳定就业",
    "education": "最高学历",
    "housing": "住房情况",
    "income_per_capita_month": "家庭人均月收入",
    "parent_id": "已登记的父母（家庭关系）",
    "criminal_record": "有犯罪记录",
    "professional_title": "职业资格/职称",
    "admin_detentions": "近5年行政拘留次数",
    "si_base_ratio": "社保缴费基数与全市平均工资之比",
    "parent_lives_here": "父母一方在本市居住（未登记家庭关系时）",
}
CORE_LABELS_EN: dict[str, str] = {
    "person_id": "person number",
    "sex": "sex",
    "birth_date": "date of birth",
    "hukou_region": "hukou (registered) place",
    "residence_region": "place of residence",
    "residence_since": "living here continuously since",
    "residence_permit_since": "residence permit issued on",
    "si_months_local": "employee social insurance months paid here",
    "si_months_total": "employee social insurance months paid anywhere",
    "medical_months_local": "basic medical insurance months here",
    "prior_region": "previous place of residence",
    "prior_residence_months": "months lived in the previous place",
    "prior_si_months": "social insurance months paid in the previous place",
    "employed": "in legal, stable employment",
    "education": "highest education completed",
    "housing": "housing tenure",
    "income_per_capita_month": "household income per head",
    "parent_id": "registered parent (household link)",
    "criminal_record": "has a criminal record",
    "professional_title": "vocational qualification or professional title",
    "admin_detentions": "administrative detentions in the last 5 years",
    "si_base_ratio": "insurance base over the city average wage",
    "parent_lives_here": "a parent lives in this city (without a household link)",
}
# Labels (zh, en) of the core category columns' codes, as a person reads them: the one table forms, schemas,
# explanations and the person file's reader use (the reader also accepts tables/person.py's spreadsheet synonyms).
CORE_CATEGORY_LABELS: dict[str, dict[str, tuple[str, str]]] = {
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
}
# One plausible example row of the core columns (shown by schema listings).
CORE_EXAMPLES: dict[str, object] = {
    "person_id": 1,
    "sex": "M",
    "birth_date": date(1994, 3, 1),
    "hukou_region": "340800",
    "residence_region": "310100",
    "residence_since": date(2022, 5, 10),
    "residence_permit_since": date(2022, 11, 10),
    "si_months_local": 40,
    "si_months_total": 52,
    "medical_months_local": 40,
    "prior_region": None,
    "prior_residence_months": 0,
    "prior_si_months": 0,
    "employed": True,
    "education": "bachelor",
    "housing": "rented",
    "income_per_capita_month": 6500.0,
    "parent_id": None,
    "criminal_record": False,
    "professional_title": "none",
    "admin_detentions": 0,
    "si_base_ratio": 1.2,
    "parent_lives_here": None,
}

PERSON_SCHEMA: dict[str, pl.DataType] = {c.name: c.dtype for c in PERSON_COLUMNS}


@dataclass(frozen=True)
class ExtraColumn:
    """An optional, nullable column beyond the core ones (an input a jurisdiction declares): its type, the codes
    a category (or a list of categories) may take, and whether it counts something (never negative)."""

    name: str
    dtype: pl.DataType
    categories: tuple[str, ...] = ()
    non_negative: bool = False


# The core facts a person file (or the registry) may leave empty: null is unknown, never false, 0 or "none"; the rules
# read them as always known, so a table lacking one is decided under every value it can take (registry.decide: the
# decisions that change with it are undetermined and name it). Identity, places and dates are structural (a person
# cannot be placed without them) and the previous place's months are refused empty (their 0 is the common answer and
# must be written: the file's reader says so), so neither is here.
FACTS_MAY_BE_UNKNOWN = (
    "employed",
    "criminal_record",
    "education",
    "housing",
    "income_per_capita_month",
    "si_months_local",
    "si_months_total",
    "medical_months_local",
)
# The insurance months a registry counts from contribution records: null there (unknown) while it holds neither a
# contribution history for the scheme nor the months given as facts; a batch person table must give them.
INSURANCE_MONTH_COLUMNS = ("si_months_local", "si_months_total", "medical_months_local", "prior_si_months")
MONTH_COLUMNS = (
    "si_months_local",
    "si_months_total",
    "medical_months_local",
    "prior_residence_months",
    "prior_si_months",
)
COUNT_COLUMNS = ("admin_detentions",)
REGION_COLUMNS = ("hukou_region", "residence_region", "prior_region")


@dataclass(frozen=True)
class PersonTableProblem:
    """One problem found in a person table: the column, the offending rows (first few) and why."""

    column: str
    rows: tuple[int, ...]
    message: Refusal

    def __str__(self) -> str:
        shown = ", ".join(str(r) for r in self.rows[:10])
        more = f" and {len(self.rows) - 10} more" if len(self.rows) > 10 else ""
        where = f" rows {shown}{more}" if self.rows else ""
        return f"column {self.column!r}{where}: {self.message}"


class PersonTableError(ChangzhuError, ValueError):
    """A person table that does not satisfy the schema; lists every problem found."""

    def __init__(self, problems: list[PersonTableProblem]) -> None:
        self.problems = problems
        super().__init__("invalid person table: " + "; ".join(str(p) for p in problems))


def _uncastable_rows(df: pl.DataFrame, col: PersonColumn) -> tuple[int, ...]:
    """Rows whose value is present but cannot be converted to the column's type."""
    try:
        loose = df.get_column(col.name).cast(col.dtype, strict=False)
    except (pl.exceptions.InvalidOperationError, pl.exceptions.ComputeError):
        return ()
    bad = df.get_column(col.name).is_not_null() & loose.is_null()
    return tuple(bad.arg_true().to_list())


def _bad_rows(df: pl.DataFrame, mask: pl.Expr) -> tuple[int, ...]:
    return tuple(df.with_row_index("_row").filter(mask)["_row"].to_list())


WELL_FORMED_REGION = r"^[1-8]\d{5}$"  # a six-digit GB/T 2260 code


def region_place(column: str, regions: Sequence[str]) -> pl.Expr:
    """Each row's place among `regions` (Int32), null where the code is null or not among them: the column cast to
    an Enum of the codes in their order, whose physical codes are the places."""
    return pl.col(column).cast(pl.Enum(list(regions)), strict=False).to_physical().cast(pl.Int32)


def _region_checks(codes: dict[str, pl.Series], known_regions: set[str] | None) -> list[tuple[str, pl.Expr, Refusal]]:
    """Region code rules, judged once per distinct code (`codes`: each region column's); an expression selects the
    bad rows only if one fails."""
    checks = []
    for name in REGION_COLUMNS:
        distinct = codes[name]
        malformed = distinct.filter(~distinct.str.contains(WELL_FORMED_REGION))
        if malformed.len():
            checks.append((name, pl.col(name).is_in(malformed.implode()), refusal(RefusalCode.NOT_A_GB_CODE)))
        if known_regions is not None:
            well_formed = distinct.str.contains(WELL_FORMED_REGION)
            unknown = distinct.filter(well_formed & ~distinct.is_in(sorted(known_regions)))
            if unknown.len():
                checks.append((name, pl.col(name).is_in(unknown.implode()), refusal(RefusalCode.UNKNOWN_REGION_CODE)))
    return checks


INFINITE = refusal(RefusalCode.NOT_FINITE)


RATIO_NEGATIVE = refusal(RefusalCode.RATIO_NEGATIVE)
INCOME_NEGATIVE = refusal(RefusalCode.INCOME_NEGATIVE)


def _not_of_type(dtype: pl.DataType, detail: str) -> Refusal:
    """A value polars could not cast to `dtype`: the first line of its message kept as it came."""
    return refusal(RefusalCode.NOT_OF_TYPE, dtype=str(dtype), detail=detail.splitlines()[0])


def _row_checks(as_of: date | None) -> list[tuple[str, pl.Expr, Refusal]]:
    """Every row-level rule except region codes and duplicates as (column, expression true on bad rows, message)."""
    checks = [
        (c.name, pl.col(c.name).is_null(), refusal(RefusalCode.VALUE_MISSING)) for c in PERSON_COLUMNS if not c.nullable
    ]
    checks += [(name, pl.col(name) < 0, refusal(RefusalCode.MONTHS_NEGATIVE)) for name in MONTH_COLUMNS]
    checks += [(name, pl.col(name) < 0, refusal(RefusalCode.COUNT_NEGATIVE)) for name in COUNT_COLUMNS]
    checks.append(("si_base_ratio", pl.col("si_base_ratio") < 0, RATIO_NEGATIVE))
    checks += [
        (
            "si_months_local",
            pl.col("si_months_local") > pl.col("si_months_total"),
            refusal(RefusalCode.EXCEEDS_SI_TOTAL),
        ),
        (
            "prior_region",
            pl.col("prior_region").is_null() & (pl.col("prior_residence_months") + pl.col("prior_si_months") > 0),
            refusal(RefusalCode.PRIOR_MONTHS_WITHOUT_REGION),
        ),
        ("income_per_capita_month", pl.col("income_per_capita_month") < 0, INCOME_NEGATIVE),
        *((name, pl.col(name).is_infinite(), INFINITE) for name in ("income_per_capita_month", "si_base_ratio")),
        (
            "residence_since",
            pl.col("residence_since") < pl.col("birth_date"),
            refusal(RefusalCode.RESIDENCE_BEFORE_BIRTH),
        ),
        ("parent_id", pl.col("parent_id") == pl.col("person_id"), refusal(RefusalCode.OWN_PARENT)),
    ]
    return checks + _date_checks(as_of)


def _date_checks(as_of: date | None) -> list[tuple[str, pl.Expr, Refusal]]:
    """The rules that depend on the evaluation date: no date after it."""
    if as_of is None:
        return []
    return [
        (name, pl.col(name) > pl.lit(as_of), refusal(RefusalCode.AFTER_EVALUATION_DATE, date=as_of.isoformat()))
        for name in ("birth_date", "residence_since", "residence_permit_since")
    ]


def _extra_problems(
    df: pl.DataFrame, extra: tuple[ExtraColumn, ...], *, codes: bool = False
) -> tuple[pl.DataFrame, list[PersonTableProblem]]:
    """Cast the extra columns (adding missing ones as null: unknown) and list every bad value (codes: see
    validate_person_table)."""
    df, given = _extra_given(df, extra, codes=codes)
    if not given:
        return df, []
    cast = _extra_cast(df, given, codes=codes)
    if cast is not None:  # every value good: nothing to name
        return df.with_columns(cast.get_columns()), []
    return _extra_checked(df, given)


def _extra_given(
    df: pl.DataFrame, extra: tuple[ExtraColumn, ...], *, codes: bool
) -> tuple[pl.DataFrame, list[ExtraColumn]]:
    """The table with the missing extra columns added as null (unknown), and the extra columns with values to read."""
    absent = [c for c in extra if c.name not in df.columns]
    if absent:
        df = df.with_columns(pl.lit(None, dtype=c.dtype).alias(c.name) for c in absent)
    added = {c.name for c in absent}  # nulls of their type: nothing to read or check
    added |= {c.name for c in extra if _all_null_of(df, c, codes=codes)}  # as a reader gives a column not in its file
    return df, [c for c in extra if c.name not in added]


def _all_null_of(df: pl.DataFrame, col: ExtraColumn, *, codes: bool) -> bool:
    """Whether the table's column is given, of the column's type, with no value in it: nothing to cast or check
    (a text category column that `codes` makes an Enum excepted)."""
    given = df.get_column(col.name)
    to_codes = codes and bool(col.categories) and col.dtype == pl.String
    return not to_codes and given.dtype == col.dtype and df.height > 0 and given.null_count() == df.height


def _extra_cast(df: pl.DataFrame, extra: list[ExtraColumn], *, codes: bool) -> pl.DataFrame | None:
    """The extra columns cast in one parallel pass, their codes and signs checked in another; None if a value is bad
    (or a column needs _extra_checked's reading of dates written as text): _extra_checked then names the problems."""
    found = _extra_exprs(df.schema, extra, codes=codes)
    if found is None:
        return None
    exprs, flags = found
    try:
        cast = df.lazy().select(exprs).collect()
    except pl.exceptions.PolarsError:  # a value (or a column) that cannot be cast, or a code not among them
        return None
    bad = cast.select(flag.alias(str(i)) for i, flag in enumerate(flags)).row(0) if flags else ()
    return None if any(bad) else cast


def _extra_exprs(
    schema: pl.Schema, extra: list[ExtraColumn], *, codes: bool
) -> tuple[list[pl.Expr], list[pl.Expr]] | None:
    """The expressions casting the extra columns (strict: one fails on a value it cannot cast) and those true if a
    cast value is bad (a code not among the column's, a negative count, an infinite number), read on the cast
    columns; None if a column needs _extra_checked's reading of dates written as text. With `codes`, a category
    column of text is cast to an Enum of its codes, which is its check (a cell not among them fails the cast)."""
    if any(c.dtype == pl.List(pl.Date) and schema[c.name] in (pl.List(pl.String), pl.String) for c in extra):
        return None
    as_codes = [c.name for c in extra if codes and c.categories and c.dtype == pl.String]
    exprs = [pl.col(c.name).cast(c.dtype, strict=True) for c in extra]
    for i, col in enumerate(extra):
        if col.name in as_codes:  # (an Enum of some of the codes is cast to all of them without its text)
            among = _among(schema[col.name], col.categories)
            exprs[i] = (pl.col(col.name) if among else exprs[i]).cast(pl.Enum(list(col.categories)))
    flags: list[pl.Expr] = []
    for col in extra:
        if col.categories and col.name not in as_codes and not _among(schema[col.name], col.categories):
            values = pl.col(col.name).explode() if isinstance(col.dtype, pl.List) else pl.col(col.name)
            flags.append((values.is_not_null() & ~values.is_in(list(col.categories))).any())
        if col.non_negative:
            flags.append((pl.col(col.name) < 0).any())
        if col.dtype == pl.Float64:
            flags.append(pl.col(col.name).is_infinite().any())
    return exprs, flags


def _extra_checked(df: pl.DataFrame, extra: list[ExtraColumn]) -> tuple[pl.DataFrame, list[PersonTableProblem]]:
    """The extra columns cast one by one, every bad value named."""
    problems: list[PersonTableProblem] = []
    cast: list[pl.Series] = []
    for col in extra:
        raw = df.get_column(col.name)
        if raw.dtype == pl.Null:
            cast.append(raw.cast(col.dtype))
            continue
        if col.dtype == pl.List(pl.Date) and raw.dtype in (pl.List(pl.String), pl.String):
            raw, bad_rows = _iso_date_lists(raw)
            if bad_rows:
                problems.append(PersonTableProblem(col.name, bad_rows, refusal(RefusalCode.NOT_ISO_DATE_LIST)))
                continue
        try:
            typed = raw.cast(col.dtype, strict=True)
        except (pl.exceptions.InvalidOperationError, pl.exceptions.ComputeError) as exc:
            rows = (
                tuple((raw.is_not_null() & raw.cast(col.dtype, strict=False).is_null()).arg_true().to_list())
                if not isinstance(col.dtype, pl.List)
                else ()
            )
            problems.append(PersonTableProblem(col.name, rows, _not_of_type(col.dtype, str(exc))))
            continue
        if typed.null_count() == typed.len():  # nothing given: nulls of its type, nothing to check
            cast.append(typed.alias(col.name))
            continue
        if col.categories and not _among(raw.dtype, col.categories):
            values = typed.explode() if isinstance(col.dtype, pl.List) else typed
            rows_of = (
                typed.to_frame("v").with_row_index("row").explode("v")["row"]
                if isinstance(col.dtype, pl.List)
                else None
            )
            bad = values.is_not_null() & ~values.is_in(list(col.categories))
            if bad.any():
                idx = bad.arg_true()
                rows = tuple(sorted(set((rows_of[idx] if rows_of is not None else idx).to_list())))
                shown = sorted(set(values.filter(bad).cast(pl.String).to_list()))[:5]
                problems.append(
                    PersonTableProblem(
                        col.name,
                        rows,
                        refusal(RefusalCode.NOT_AMONG_CODES, shown=str(shown), codes=str(list(col.categories))),
                    )
                )
        if col.non_negative:
            bad = typed < 0
            if bad.any():
                problems.append(
                    PersonTableProblem(col.name, tuple(bad.arg_true().to_list()), refusal(RefusalCode.NEGATIVE))
                )
        if col.dtype == pl.Float64 and typed.is_infinite().any():
            problems.append(PersonTableProblem(col.name, tuple(typed.is_infinite().arg_true().to_list()), INFINITE))
        cast.append(typed.alias(col.name))
    if cast:
        df = df.with_columns(cast)
    return df, problems


def _among(dtype: pl.DataType, codes: tuple[str, ...]) -> bool:
    """Whether every value a column of this type can hold is one of the codes (an Enum of some of them)."""
    return isinstance(dtype, pl.Enum) and set(dtype.categories.to_list()) <= set(codes)


def _iso_date_lists(raw: pl.Series) -> tuple[pl.Series, tuple[int, ...]]:
    """Lists of ISO dates given as text (JSON, an API request; one text: dates separated by ;) as dates, and the
    rows holding one that is not a date."""
    lists = raw.str.split(";") if raw.dtype == pl.String else raw
    read = lists.list.eval(pl.element().str.strip_chars().str.to_date("%Y-%m-%d", strict=False))
    unread = (
        lists.list.eval(pl.element().is_not_null()).list.sum() != read.list.eval(pl.element().is_not_null()).list.sum()
    )
    return read, tuple(unread.fill_null(False).arg_true().to_list())


def validate_person_table(
    df: pl.DataFrame | CheckedPersonTable,
    *,
    as_of: date | None = None,
    known_regions: set[str] | None = None,
    extra: tuple[ExtraColumn, ...] = (),
    codes: bool = False,
) -> pl.DataFrame:
    """Check a person table against the schema and return it cast to the schema's types.

    extra: optional, nullable columns declared by the rules (a missing one is added as null: unknown).
    codes: a declared category column given as text may come back as an Enum of its codes (the rules read codes:
    checking it is casting it, done once).
    A CheckedPersonTable is not checked again for what it was checked for: only the dates against `as_of`, the
    region codes against `known_regions` and the `extra` columns are (the problems named as for a DataFrame).
    Raises PersonTableError naming every bad column and row; the input is never partly accepted.
    """
    return _validated(df, as_of, known_regions, extra, codes, None)[0]


def validate_placing_regions(
    df: pl.DataFrame | CheckedPersonTable,
    *,
    as_of: date,
    regions: Sequence[str],
    extra: tuple[ExtraColumn, ...] = (),
    codes: bool = False,
    places: pl.DataFrame | None = None,
    coded: tuple[str, ...] = (),
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """validate_person_table against the known regions `regions`, and each row's place among them (region_place,
    -1 for null) in each region column (a table of those columns): the places are read in the pass that checks the
    codes (a code is unknown or malformed where it has none), rather than the text read again for each. `places`:
    those places as the caller found them, every code of the table among `regions` (the pass then reads no region
    text); a table that fails a check is judged as without them. `coded`: category columns of the schema given as
    text whose codes the caller found, every value among the column's categories (changzhu.rules.text_codes): in a
    good table they are left as that text, not cast to their Enum (the caller reads its codes, not the column); a
    table that fails a check is judged as without them (every column cast)."""
    typed, places = _validated(df, as_of, set(regions), extra, codes, regions, places, coded)
    if places is None:  # a known code that is not well formed: the codes were judged one by one
        places = typed.select(region_place(name, regions).fill_null(-1) for name in REGION_COLUMNS)
    return typed, places


def _validated(
    df: pl.DataFrame | CheckedPersonTable,
    as_of: date | None,
    known_regions: set[str] | None,
    extra: tuple[ExtraColumn, ...],
    codes: bool,
    regions: Sequence[str] | None,
    places: pl.DataFrame | None = None,
    coded: tuple[str, ...] = (),
) -> tuple[pl.DataFrame, pl.DataFrame | None]:
    """The typed table (validate_person_table) and, given the known regions in order, the region places (`places`
    and `coded`: found by the caller, validate_placing_regions)."""
    if regions is not None and _placeable(regions):
        at_once = _placed_at_once(df, as_of, extra, codes, regions, places, coded)
        if at_once is not None:
            return at_once
    checked = isinstance(df, CheckedPersonTable)
    df, extra_problems = _extra_problems(df.frame if isinstance(df, CheckedPersonTable) else df, extra, codes=codes)
    problems: list[PersonTableProblem] = list(extra_problems)
    if checked:
        if problems:
            raise PersonTableError(problems)
        return _rows_checked(df, _date_checks(as_of), known_regions, regions, checked=True)
    missing = [c.name for c in PERSON_COLUMNS if c.name not in df.columns and not c.optional]
    for name in missing:
        problems.append(PersonTableProblem(name, (), refusal(RefusalCode.COLUMN_MISSING)))
    if problems:
        raise PersonTableError(problems)
    absent = [c for c in PERSON_COLUMNS if c.name not in df.columns]
    if absent:
        df = df.with_columns(pl.lit(c.default, dtype=c.dtype).alias(c.name) for c in absent)

    try:  # all columns at once, in parallel; only if one fails are they cast one by one to name the problems
        all_cast: pl.DataFrame | None = df.lazy().select(pl.col(c.name).cast(c.dtype) for c in PERSON_COLUMNS).collect()
    except (pl.exceptions.InvalidOperationError, pl.exceptions.ComputeError):
        all_cast = None
    cast_columns = [] if all_cast is None else all_cast.get_columns()
    for col in PERSON_COLUMNS if all_cast is None else ():
        try:
            cast_columns.append(df.get_column(col.name).cast(col.dtype, strict=True))
        except (pl.exceptions.InvalidOperationError, pl.exceptions.ComputeError) as exc:
            problems.append(PersonTableProblem(col.name, _uncastable_rows(df, col), _not_of_type(col.dtype, str(exc))))
    if problems:
        raise PersonTableError(problems)
    others = [c for c in df.columns if c not in PERSON_SCHEMA]
    typed = pl.DataFrame(cast_columns).hstack([df.get_column(c) for c in others])
    return _rows_checked(typed, _row_checks(as_of), known_regions, regions, checked=False)


def _placeable(regions: Sequence[str]) -> bool:
    """Whether rows can be placed among `regions`: every code well formed."""
    return all(re.match(WELL_FORMED_REGION, code) for code in regions)


def _placed_at_once(
    df: pl.DataFrame | CheckedPersonTable,
    as_of: date | None,
    extra: tuple[ExtraColumn, ...],
    codes: bool,
    regions: Sequence[str],
    known_places: pl.DataFrame | None = None,
    coded: tuple[str, ...] = (),
) -> tuple[pl.DataFrame, pl.DataFrame] | None:
    """A good table validated and placed among `regions` (each well formed) in one parallel polars call: every
    column cast (the core columns and the extra ones), every check read on the cast columns and the region places
    found, the casts computed once for all (collect_all shares the plan they have in common). None where a value
    cannot be cast, a check fails, a code has no place, a column is missing or dates are written as text: the
    passes one after another (_validated) then find and name every problem, as they always have. `known_places`: the
    region places found by the caller (every code among `regions`), which are then not looked up again; `coded`: the
    category columns whose codes the caller found (validate_placing_regions), left as their text."""
    checked = isinstance(df, CheckedPersonTable)
    table = df.frame if isinstance(df, CheckedPersonTable) else df
    if any(c.name in PERSON_SCHEMA for c in extra):
        return None
    table, given = _extra_given(table, extra, codes=codes)
    found = _extra_exprs(table.schema, given, codes=codes)
    if found is None or any(c.name not in table.columns and not c.optional for c in PERSON_COLUMNS):
        return None
    extra_casts = {c.name: expr for c, expr in zip(given, found[0], strict=True)}
    if checked:  # its core columns are of the schema's types: only the dates and the regions can fail
        exprs = [extra_casts.get(name, pl.col(name)) for name in table.columns]
        checks = _date_checks(as_of)
    else:
        absent = [c for c in PERSON_COLUMNS if c.name not in table.columns]
        if absent:
            table = table.with_columns(pl.lit(c.default, dtype=c.dtype).alias(c.name) for c in absent)
        exprs = [pl.col(c.name) if c.name in coded else pl.col(c.name).cast(c.dtype) for c in PERSON_COLUMNS]
        exprs += [extra_casts.get(name, pl.col(name)) for name in table.columns if name not in PERSON_SCHEMA]
        checks = _row_checks(as_of)
    cast = table.lazy().select(exprs)
    # ids strictly increasing cannot repeat (a checked table has none repeated: not looked at again)
    increasing = pl.lit(True) if checked else (pl.col("person_id").diff().drop_nulls() > 0).all()
    flags = [increasing, *(expr.any() for _, expr, _ in checks), *found[1]]
    queries = [cast, cast.select(flag.alias(str(i)) for i, flag in enumerate(flags))]
    if known_places is None:
        placed = cast.select(region_place(name, regions) for name in REGION_COLUMNS)
        queries += [placed.select(pl.all().null_count()), placed.select(pl.all().fill_null(-1))]
    try:
        typed, got, *placing = pl.collect_all(queries)  # one parallel pass
    except pl.exceptions.PolarsError:  # a value that cannot be cast, or a code not among a column's
        return None
    ordered, *bad = got.row(0)
    unplaced, places = placing if known_places is None else (None, known_places)
    if any(bad) or (
        unplaced is not None
        and any(unplaced.item(0, name) > typed.get_column(name).null_count() for name in REGION_COLUMNS)
    ):
        return None
    if not ordered and typed.get_column("person_id").is_duplicated().any():
        return None
    return typed, places


def _rows_checked(
    typed: pl.DataFrame,
    checks: list[tuple[str, pl.Expr, Refusal]],
    known_regions: set[str] | None,
    regions: Sequence[str] | None,
    *,
    checked: bool,
) -> tuple[pl.DataFrame, pl.DataFrame | None]:
    """The typed table if no row fails `checks`, the region codes and (unless `checked`: it passed them) the
    duplicate check; else PersonTableError listing them in the order they always were. Given the known regions in
    order (each well formed), also each row's place among them per region column, found in the same parallel pass:
    a column's codes are then judged one by one only if one has no place; else (None) every column's are."""
    # ids strictly increasing cannot repeat (a checked table has none repeated: not looked at again)
    increasing = (pl.lit(True) if checked else (pl.col("person_id").diff().drop_nulls() > 0).all()).alias("increasing")
    flags = [expr.any().alias(str(i)) for i, (_, expr, _) in enumerate(checks)]
    if regions is not None and _placeable(regions):
        # the places found once (the plan they share is computed once in collect_all): a code has no place where
        # it is unknown or malformed, so a column has such a code where it has more rows without a place than nulls
        placed = typed.lazy().select(region_place(name, regions) for name in REGION_COLUMNS)
        queries = [
            typed.lazy().select(increasing, *flags),
            placed.select(pl.all().null_count()),
            placed.select(pl.all().fill_null(-1)),
        ]
        got, unplaced, places = pl.collect_all(queries)  # one parallel pass
        codes = {
            name: typed.get_column(name).drop_nulls().unique()
            if unplaced.item(0, name) > typed.get_column(name).null_count()
            else pl.Series(name, [], pl.String)
            for name in REGION_COLUMNS
        }
        found = got.row(0)
    else:
        distinct = (pl.col(name).unique().implode().alias(f"distinct {name}") for name in REGION_COLUMNS)
        all_got = typed.select(increasing, *flags, *distinct)  # one parallel pass
        found = all_got.select(pl.exclude([f"distinct {name}" for name in REGION_COLUMNS])).row(0)
        codes = {name: all_got.get_column(f"distinct {name}").explode().drop_nulls() for name in REGION_COLUMNS}
        places = None
    failing: list[tuple[str, pl.Expr, Refusal]] = []
    if checked:  # only region codes still unknown and the date checks can fail; region problems came first
        failing += _region_checks(codes, known_regions)
    for check, bad in zip(checks, found[1:], strict=True):
        if bad:
            failing.append(check)
        if check[2] == RATIO_NEGATIVE:  # region problems are listed here, as they always were
            failing += _region_checks(codes, known_regions)
        if check[2] == INCOME_NEGATIVE and not found[0] and typed["person_id"].is_duplicated().any():
            failing.append(("person_id", pl.col("person_id").is_duplicated(), refusal(RefusalCode.DUPLICATE_PERSON_ID)))
    problems = [PersonTableProblem(column, _bad_rows(typed, expr), message) for column, expr, message in failing]
    if problems:
        raise PersonTableError(problems)
    return typed, places


class CheckedPersonTable:
    """A person table checked against the schema once (validate_person_table without an evaluation date, known
    regions or declared inputs): its core columns of the schema's types. Evaluating it checks only what depends
    on the date and the policies (the table reader makes one of every person file it accepts). Do not change
    its frame in place: it is trusted as checked."""

    __slots__ = ("frame",)

    def __init__(self, people: pl.DataFrame) -> None:
        self.frame = validate_person_table(people)


def empty_person_table() -> pl.DataFrame:
    """A person table with no rows and the schema's columns and types."""
    return pl.DataFrame(schema=PERSON_SCHEMA)
