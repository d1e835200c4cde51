"""The person table as a file kind: the core columns of domain/person.py with Chinese and English labels."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, Protocol

import polars as pl

from changzhu.domain.person import (
    CORE_CATEGORY_LABELS,
    EDUCATION_LEVELS,
    FACTS_MAY_BE_UNKNOWN,
    HOUSING_TENURES,
    PERSON_COLUMNS,
    TITLE_LEVELS,
    CheckedPersonTable,
    PersonColumn,
    PersonTableError,
    PersonTableProblem,
)
from changzhu.domain.refusals import RefusalCode, refusal
from changzhu.tables.formats import RawTable
from changzhu.tables.read import TableRead, read_table
from changzhu.tables.schema import Category, Column, ColumnType, RowProblem, TableSchema
from changzhu.tables.vocab import RegionIndex

# Words a spreadsheet may hold for a code besides its labels (CORE_CATEGORY_LABELS): short forms and older labels.
SYNONYMS: dict[str, dict[str, tuple[str, ...]]] = {
    "education": {
        "senior_secondary": ("高中", "中专"),
        "master": ("硕士", "master"),
        "doctor": ("博士", "doctor"),
        "bachelor": ("bachelor",),
    },
    "housing": {
        "owned": ("owned",),
        "rented": ("rented",),
        "public_rental": ("public rental",),
        "dormitory": ("宿舍", "dormitory"),
        "none": ("no fixed housing",),
    },
    "professional_title": {  # the labels' slash parts (五级, 初级工, ...) are read too (Category.words)
        "skill_5": ("level 5 (entry)", "level 5", "junior worker", "entry-level worker"),
        "skill_4": ("level 4", "intermediate worker"),
        "skill_3": ("level 3", "senior worker"),
        "skill_2_or_intermediate": (
            "二级/技师/中级职称",
            "技师",
            "中级职称",
            "level 2",
            "technician",
            "intermediate title",
            "level 2 or intermediate title",
        ),
        "skill_1_or_senior": (
            "一级/高级技师/高级职称",
            "高级技师",
            "高级职称",
            "副高级职称",
            "正高级职称",
            "level 1",
            "senior technician",
            "senior title",
            "level 1 or senior title",
        ),
    },
}


def _categories(column: str) -> tuple[Category, ...]:
    """The codes of a core category column with their labels and synonyms."""
    synonyms = SYNONYMS.get(column, {})
    labels = CORE_CATEGORY_LABELS[column]
    return tuple(Category(code, zh, en, synonyms.get(code, ())) for code, (zh, en) in labels.items())


SEX = _categories("sex")
EDUCATION = _categories("education")
HOUSING = _categories("housing")
TITLES = _categories("professional_title")
assert [c.code for c in EDUCATION] == EDUCATION_LEVELS
assert [c.code for c in HOUSING] == HOUSING_TENURES
assert [c.code for c in TITLES] == TITLE_LEVELS

# name: (type, Chinese header, English header, other headers accepted, example): the words of a spreadsheet's header
# row; forms, schemas and explanations label the same columns with domain/person.py's CORE_LABELS_ZH / _EN.
LABELS: dict[str, tuple[ColumnType, str, str, tuple[str, ...], str]] = {
    "person_id": (ColumnType.INTEGER, "编号", "person id", ("序号", "人员编号"), "1"),
    "sex": (ColumnType.CATEGORY, "性别", "sex", (), "女"),
    "birth_date": (ColumnType.DATE, "出生日期", "date of birth", ("出生年月日", "生日"), "1990-03-15"),
    "hukou_region": (ColumnType.REGION, "户籍地", "hukou place", ("户籍所在地", "户口所在地"), "510100"),
    "residence_region": (ColumnType.REGION, "常住地", "place of residence", ("居住地", "现居住地"), "440300"),
    "residence_since": (ColumnType.DATE, "居住起始日期", "resident since", ("来本地居住日期",), "2019-09-01"),
    "residence_permit_since": (ColumnType.DATE, "居住证办理日期", "residence permit since", ("居住证日期",), ""),
    "si_months_local": (ColumnType.MONTHS, "本地社保缴费月数", "social insurance months here", (), "60"),
    "si_months_total": (ColumnType.MONTHS, "社保缴费总月数", "social insurance months in all", (), "96"),
    "medical_months_local": (ColumnType.MONTHS, "本地医保缴费月数", "medical insurance months here", (), "60"),
    "prior_region": (ColumnType.REGION, "上一居住地", "previous place of residence", ("原居住地",), "510100"),
    "prior_residence_months": (ColumnType.MONTHS, "上一居住地居住月数", "months lived there", (), "36"),
    "prior_si_months": (ColumnType.MONTHS, "上一居住地社保月数", "social insurance months there", (), "36"),
    "employed": (ColumnType.BOOL, "合法稳定就业", "employed", ("就业", "是否就业"), "是"),
    "education": (ColumnType.CATEGORY, "学历", "education", ("文化程度", "最高学历"), "本科"),
    "housing": (ColumnType.CATEGORY, "住房", "housing", ("住房情况",), "租房"),
    "income_per_capita_month": (ColumnType.NUMBER, "家庭人均月收入", "household income per head", (), "4500"),
    "parent_id": (ColumnType.INTEGER, "父母编号", "parent's person id", ("父亲或母亲编号",), ""),
    "criminal_record": (ColumnType.BOOL, "犯罪记录", "criminal record", ("有无犯罪记录",), "否"),
    "professional_title": (ColumnType.CATEGORY, "职业资格或职称", "vocational level or title", ("职称",), "无"),
    "admin_detentions": (ColumnType.INTEGER, "行政拘留次数", "administrative detentions", (), "0"),
    "si_base_ratio": (ColumnType.NUMBER, "社保缴费基数比", "insurance base ratio", ("缴费基数比",), "1.2"),
    "parent_lives_here": (ColumnType.BOOL, "父母在本市居住", "parent lives here", ("父母一方在本市居住",), ""),
}
CATEGORIES = {"sex": SEX, "education": EDUCATION, "housing": HOUSING, "professional_title": TITLES}
REGION_COLUMNS = ("hukou_region", "residence_region", "prior_region")
# the months of a previous place: 0 with none (said when empty), never taken as 0 unwritten (unknown is not zero)
PRIOR_MONTHS = ("prior_residence_months", "prior_si_months")


def person_column(col: PersonColumn) -> Column:
    """The file column of one core person-table column."""
    kind, zh, en, aliases, example = LABELS[col.name]
    minimum = 0.0 if kind in (ColumnType.MONTHS, ColumnType.NUMBER, ColumnType.INTEGER) else None
    return Column(
        col.name,
        kind,
        zh,
        en,
        required=not col.optional,
        nullable=col.nullable or col.name in FACTS_MAY_BE_UNKNOWN,  # an empty cell: unknown (undetermined, named)
        unit=col.unit,
        categories=CATEGORIES.get(col.name, ()),
        aliases=aliases,
        example=example,
        default=col.default,
        minimum=minimum if col.name not in ("person_id", "parent_id") else None,
        region_level="prefecture" if col.name in REGION_COLUMNS else None,
        missing=refusal(RefusalCode.PRIOR_MONTHS_MISSING) if col.name in PRIOR_MONTHS else None,
    )


def _cross_checks(frame: pl.DataFrame) -> list[RowProblem]:
    """The person table's own checks across columns (months, dates, duplicates), row by row."""
    return _checked(frame, [])


def _checked(frame: pl.DataFrame, keep: list[CheckedPersonTable]) -> list[RowProblem]:
    """The cross-column checks' problems; when there are none, the rows as a CheckedPersonTable put in `keep`.

    A fact of FACTS_MAY_BE_UNKNOWN left empty is no problem: the table is then checked for everything else and
    not kept (a CheckedPersonTable holds every fact the rules read), so that it is decided as a registry's table
    lacking facts is (registry.decide.evaluate_registered: undetermined where the fact matters, naming it)."""
    try:
        keep.append(CheckedPersonTable(frame))
    except PersonTableError as exc:
        return [RowProblem(row, p.column, p.message) for p in exc.problems if not _unknown(p) for row in p.rows]
    return []


def _unknown(problem: PersonTableProblem) -> bool:
    """Whether a problem is only a fact the file may leave unknown being empty."""
    return problem.column in FACTS_MAY_BE_UNKNOWN and problem.message.code == RefusalCode.VALUE_MISSING


def read_person_table(
    path: Path,
    schema: TableSchema,
    *,
    sheet: str | None = None,
    skip_bad_rows: bool = False,
    regions: RegionIndex | None = None,
    ignore_unknown: bool = False,
    raw: RawTable | None = None,
) -> tuple[TableRead, CheckedPersonTable | None]:
    """A person file read as read_table reads it (`schema`: person_schema's), and the table read as the
    CheckedPersonTable its cross-column check made, so that evaluating it does not check the whole table again
    (None when that check left rows out: --skip-bad-rows). ignore_unknown: columns the schema does not know are
    left out instead of refused (a stored population's own attributes). raw: the file's cells already read
    (read_raw with PERSON_RECORDS_KEY), as read_table takes them."""
    kept: list[CheckedPersonTable] = []
    checks = tuple((lambda frame: _checked(frame, kept)) if c is _cross_checks else c for c in schema.checks)
    read = read_table(
        path,
        replace(schema, checks=checks),
        sheet=sheet,
        skip_bad_rows=skip_bad_rows,
        regions=regions,
        ignore_unknown=ignore_unknown,
        raw=raw,
    )
    return read, kept[0] if kept else None


PERSON_RECORDS_KEY = "people"  # a JSON or YAML person file: the list of records under this key ({people: [...]})


def person_schema(inputs: Sequence[Column] = ()) -> TableSchema:
    """The person table: the core columns, then a jurisdiction's declared inputs (optional columns)."""
    return TableSchema(
        "person",
        "人员表",
        "person table",
        (*(person_column(c) for c in PERSON_COLUMNS), *inputs),
        checks=(_cross_checks,),
        records_key=PERSON_RECORDS_KEY,
        keys=(("person_id", refusal(RefusalCode.DUPLICATE_PERSON_ID)),),
        declared=frozenset(c.name for c in inputs),
    )


class DeclaredCategory(Protocol):
    """A category of a declared input (rules.inputs.Category)."""

    @property
    def code(self) -> str: ...
    @property
    def label_zh(self) -> str: ...
    @property
    def label_en(self) -> str: ...


class DeclaredInput(Protocol):
    """An input a jurisdiction declares (rules.inputs.InputSpec), as far as a file column needs it."""

    @property
    def name(self) -> str: ...
    @property
    def type(self) -> str: ...
    @property
    def unit(self) -> str: ...
    @property
    def label_zh(self) -> str: ...
    @property
    def label_en(self) -> str: ...
    @property
    def categories(self) -> tuple[DeclaredCategory, ...]: ...
    @property
    def example(self) -> Any: ...


def declared_column(spec: DeclaredInput) -> Column:
    """A declared input as an optional, nullable column of the person file (a missing value stays unknown)."""
    example = ";".join(str(v) for v in spec.example) if isinstance(spec.example, list) else spec.example
    return Column(
        spec.name,
        ColumnType(spec.type),
        spec.label_zh,
        spec.label_en,
        required=False,
        nullable=True,
        unit=spec.unit,
        categories=tuple(Category(c.code, c.label_zh, c.label_en) for c in spec.categories),
        example="" if example is None else str(example).lower() if isinstance(example, bool) else str(example),
        minimum=0.0 if spec.type in ("integer", "months") else None,
    )
