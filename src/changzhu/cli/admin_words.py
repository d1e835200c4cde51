"""The administrator's tables on screen in the command's language: `changzhu user list`, `changzhu check` (its policy
tests and `--list-parameters`) and `changzhu schema`. Headers in words, yes/no flags and roles in words; CSV, JSON
and files (--out, --export) keep the columns' names and codes, for scripts."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import polars as pl

from changzhu.api.auth.roles import ROLE_NAMES
from changzhu.domain.lang import Lang
from changzhu.domain.units import UNIT_WORDS
from changzhu.report.code_words import in_words
from changzhu.rules.labels import YES_NO, pick_label

ACCOUNT_COLUMNS: dict[str, tuple[str, str]] = {
    "username": ("用户名", "user name"),
    "role": ("角色", "role"),
    "jurisdictions": ("辖区", "jurisdictions"),
    "person_id": ("人员编号", "person id"),
}
POLICY_TEST_COLUMNS: dict[str, tuple[str, str]] = {
    "file": ("文件", "file"),
    "case": ("用例", "case"),
    "person": ("人员", "person"),
    "output": ("输出项", "output"),
    "expected": ("预期", "expected"),
    "actual": ("实际", "actual"),
    "ok": ("通过", "ok"),
}
PARAMETER_COLUMNS: dict[str, tuple[str, str]] = {
    "parameter": ("参数", "parameter"),
    "jurisdiction": ("辖区", "jurisdiction"),
    "unit": ("单位", "unit"),
    "since": ("起始日期", "since"),
    "value": ("值", "value"),
    "verified": ("已核实", "verified"),
    "source": ("出处", "source"),
    "source_en": ("出处（英文）", "source (English)"),
}
SCHEMA_COLUMNS: dict[str, tuple[str, str]] = {
    "column": ("列名", "column"),
    "label_zh": ("中文表头", "Chinese header"),
    "label_en": ("英文表头", "English header"),
    "type": ("类型", "type"),
    "unit": ("单位", "unit"),
    "required": ("必填", "required"),
    "may_be_empty": ("可为空", "may be empty"),
    "default": ("默认值", "default"),
    "categories": ("类别", "categories"),
    "aliases": ("其他表头", "other headers"),
    "example": ("示例", "example"),
}
COLUMN_TYPES: dict[str, tuple[str, str]] = {  # tables.schema.ColumnType
    "text": ("文字", "text"),
    "integer": ("整数", "integer"),
    "number": ("数值", "number"),
    "months": ("月数", "months"),
    "date": ("日期", "date"),
    "dates": ("日期列表", "dates"),
    "bool": ("是或否", "yes or no"),
    "category": ("类别", "category"),
    "categories": ("多个类别", "categories"),
    "region": ("地区", "region"),
}
SCHEMA_WORDS = {"type": COLUMN_TYPES, "unit": {**UNIT_WORDS, "date": ("日期", "date")}}
ROLES: dict[str, tuple[str, str]] = {role.value: words for role, words in ROLE_NAMES.items()}


def in_lang(
    frame: pl.DataFrame,
    headers: Mapping[str, tuple[str, str]],
    lang: Lang,
    words: Mapping[str, Mapping[Any, tuple[str, str]]] | None = None,
) -> pl.DataFrame:
    """`frame` as the screen shows it in `lang`: each Boolean column as yes/no, each column of `words` with its codes
    in words, every header `headers` names in words (the others as they are)."""
    shown = frame.with_columns(
        *(in_words(c, YES_NO, lang) for c, t in frame.schema.items() if t == pl.Boolean),
        *(in_words(c, table, lang) for c, table in (words or {}).items() if c in frame.columns),
    )
    return shown.rename({c: pick_label(headers[c], lang) for c in shown.columns if c in headers})
