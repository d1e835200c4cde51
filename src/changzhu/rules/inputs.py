"""The inputs rules read: the national core columns of the person table and the inputs a jurisdiction declares.

A declared input (a jurisdiction file's `inputs:` section, docs/policies.md §3a) is an optional, nullable column
of the person table named after the input; a missing column or a null value is "unknown", never zero.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any, Literal

import polars as pl

from changzhu.domain.person import CORE_EXAMPLES, CORE_LABELS_EN, CORE_LABELS_ZH, PERSON_COLUMNS, PersonColumn
from changzhu.domain.refusals import Refusal, RefusalCode, listed, refusal
from changzhu.rules.errors import PolicyError
from changzhu.rules.label_glossary import bilingual

InputType = Literal["bool", "integer", "number", "months", "date", "dates", "category", "categories", "region"]
DECLARED_TYPES = ("bool", "integer", "number", "months", "date", "dates", "category", "categories")
_NAME_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789_")


@dataclass(frozen=True)
class Category:
    """One allowed code of a category input, with its labels."""

    code: str
    label_zh: str
    label_en: str


@dataclass(frozen=True)
class InputSpec:
    """One input of the person table: a core column or an input a jurisdiction declares.

    type: bool, integer, number, months (whole months, as of the evaluation date), date, dates (a list of dates,
    one per occurrence; [] none), category, categories (a set of codes), region (a six-digit prefecture code; core
    columns only). core: a national column (required unless `optional`); declared inputs are always optional and
    nullable (null = unknown). jurisdictions: the files declaring it (empty for core columns). grows (months
    inputs): how the count goes on after the evaluation date when the earliest date is searched —
    `while_positive` (one a month if it is above 0: the status holds and continues), `never` (a closed count) or
    a core bool variable (one a month while it is true, e.g. employed).
    """

    name: str
    type: InputType
    unit: str
    label_zh: str
    label_en: str
    categories: tuple[Category, ...]
    source: str
    example: Any
    core: bool
    optional: bool
    nullable: bool
    jurisdictions: tuple[str, ...] = ()
    grows: str = ""
    document_zh: str = ""  # the document a resident brings to prove it (the file's `document:`), "" unknown
    document_en: str = ""
    document_source: str = ""  # where a core column's city document was read (its override's `source:`)

    def label(self, lang: str = "zh") -> str:
        """The label in Chinese (zh) or English (en)."""
        return self.label_en if lang == "en" else self.label_zh

    def category_label(self, code: str, lang: str = "zh") -> str:
        """The label of one category code (the code itself if it is not one of them)."""
        for c in self.categories:
            if c.code == code:
                return c.label_en if lang == "en" else c.label_zh
        return code

    @property
    def dtype(self) -> pl.DataType:
        """The polars type of the column."""
        return input_dtype(self)

    def same_column(self, other: InputSpec) -> bool:
        """Two declarations of one input agree on what the column holds."""
        mine = (self.type, self.unit, self.categories, self.grows)
        return mine == (other.type, other.unit, other.categories, other.grows)


def input_dtype(spec: InputSpec) -> pl.DataType:
    """The polars type of an input's column."""
    if spec.core:
        return next(c.dtype for c in PERSON_COLUMNS if c.name == spec.name)
    return {
        "bool": pl.Boolean(),
        "integer": pl.Int64(),
        "number": pl.Float64(),
        "months": pl.Int32(),
        "date": pl.Date(),
        "dates": pl.List(pl.Date()),
        "category": pl.String(),
        "categories": pl.List(pl.String()),
    }[spec.type]


def _core_type(col: PersonColumn) -> InputType:
    if col.unit == "months":
        return "months"
    if col.unit == "code":
        return "region"
    dtype = col.dtype
    if isinstance(dtype, pl.Enum):
        return "category"
    if dtype == pl.Boolean():
        return "bool"
    if dtype == pl.Date():
        return "date"
    if dtype in (pl.Int64(), pl.Int32()):
        return "integer"
    return "number"


def core_inputs() -> list[InputSpec]:
    """The national core columns of the person table as InputSpecs."""
    from changzhu.rules.labels import category_labels

    out = []
    for col in PERSON_COLUMNS:
        kind = _core_type(col)
        cats: tuple[Category, ...] = ()
        if isinstance(col.dtype, pl.Enum):
            cats = tuple(Category(code, *category_labels(col.name, code)) for code in col.dtype.categories.to_list())
        out.append(
            InputSpec(
                col.name,
                kind,
                "" if col.unit in ("code", "date") else col.unit,
                CORE_LABELS_ZH[col.name],
                CORE_LABELS_EN[col.name],
                cats,
                "changzhu person table (changzhu.domain.person)",
                CORE_EXAMPLES[col.name],
                True,
                col.optional,
                col.nullable or col.optional,
            )
        )
    return out


@dataclass(frozen=True)
class DocumentOverride:
    """A jurisdiction's own document for a core column (`inputs: {housing: {document: ..., source: ...}}`): what
    its published list of materials (办事指南) names, with where it was read."""

    input: str
    document_zh: str
    document_en: str
    source: str


CORE_DOCUMENT_FIELDS = ("document", "source")


def reserved_name(name: str) -> Refusal:
    """A core column's or variable's name declared as an input (a core column takes only CORE_DOCUMENT_FIELDS)."""
    document, source = (f"{f}:" for f in CORE_DOCUMENT_FIELDS)
    return refusal(RefusalCode.POLICY_INPUT_RESERVED, name=repr(name), document=document, source=source)


def _document_override(path_name: str, name: str, entry: Any) -> DocumentOverride:
    """A core column's entry under `inputs:`: only `document: {zh, en}` and `source:`, both required; a core
    column's type, label and the rest are national (declaring them is choosing a taken name)."""
    where = f"inputs.{name}"
    if not isinstance(entry, dict):
        raise PolicyError(refusal(RefusalCode.POLICY_NOT_A_MAPPING), path_name, where)
    if set(entry) - set(CORE_DOCUMENT_FIELDS):
        raise PolicyError(reserved_name(name), path_name, where)
    if "document" not in entry:
        why = refusal(RefusalCode.POLICY_INPUT_NEEDS, form="document: {zh: ..., en: ...}")
        raise PolicyError(why, path_name, where)
    raw_document = entry["document"]
    if not isinstance(raw_document, dict):
        why = refusal(RefusalCode.POLICY_LABEL_BOTH, what="document", form="{zh: ..., en: ...}")
        raise PolicyError(why, path_name, f"{where}.document")
    zh, en = parse_label(raw_document, f"{where}.document", path_name)
    if not str(raw_document.get("zh") or "").strip() or not str(raw_document.get("en") or "").strip():
        why = refusal(RefusalCode.POLICY_LABEL_BOTH, what="document", form="{zh: ..., en: ...}")
        raise PolicyError(why, path_name, f"{where}.document")
    source = str(entry.get("source") or "").strip()
    if not source:
        raise PolicyError(refusal(RefusalCode.POLICY_INPUT_SOURCE), path_name, where)
    return DocumentOverride(name, zh, en, source)


def with_documents(specs: list[InputSpec], overrides: dict[str, DocumentOverride]) -> list[InputSpec]:
    """The inputs with a jurisdiction's own documents for its core columns (the others as they are)."""
    out = []
    for spec in specs:
        found = overrides.get(spec.name) if spec.core else None
        out.append(
            spec
            if found is None
            else replace(
                spec, document_zh=found.document_zh, document_en=found.document_en, document_source=found.source
            )
        )
    return out


def parse_inputs(
    path_name: str, raw: Any, code: str, reserved: set[str]
) -> tuple[dict[str, InputSpec], dict[str, DocumentOverride]]:
    """A jurisdiction file's `inputs:` mapping: the inputs it declares, and its own documents for core columns
    (an entry named after one, with `document:` and `source:` only); every error names the file and the input."""
    if raw is None:
        return {}, {}
    if not isinstance(raw, dict):
        raise PolicyError(refusal(RefusalCode.POLICY_NOT_A_MAPPING), path_name, "inputs")
    out: dict[str, InputSpec] = {}
    documents: dict[str, DocumentOverride] = {}
    core = {c.name for c in PERSON_COLUMNS}
    allowed = {"type", "unit", "label", "categories", "source", "example", "grows", "document"}
    for name, entry in raw.items():
        where = f"inputs.{name}"

        def fail(why: Refusal, at: str = where) -> PolicyError:
            return PolicyError(why, path_name, at)

        if not isinstance(name, str) or not name or not set(name) <= _NAME_CHARS or name[0].isdigit():
            raise fail(refusal(RefusalCode.POLICY_INPUT_NAME_FORM))
        if name in core:
            documents[name] = _document_override(path_name, name, entry)
            continue
        if name in reserved:
            raise fail(reserved_name(name))
        if not isinstance(entry, dict):
            raise fail(refusal(RefusalCode.POLICY_NOT_A_MAPPING))
        unknown = sorted(set(entry) - allowed)
        if unknown:
            raise fail(
                refusal(
                    RefusalCode.POLICY_UNKNOWN_FIELDS,
                    **listed("unknown", unknown),
                    **listed("allowed", sorted(allowed)),
                )
            )
        kind = entry.get("type")
        if kind not in DECLARED_TYPES:
            raise fail(
                refusal(
                    RefusalCode.POLICY_NOT_ONE_OF, field="type", value=repr(kind), **listed("allowed", DECLARED_TYPES)
                )
            )
        label_zh, label_en = parse_label(entry.get("label"), where, path_name)
        if not label_zh or not label_en:
            raise fail(refusal(RefusalCode.POLICY_INPUT_NEEDS, form="label: {zh: ..., en: ...}"))
        source = str(entry.get("source") or "").strip()
        if not source:
            raise fail(refusal(RefusalCode.POLICY_INPUT_SOURCE))
        cats: tuple[Category, ...] = ()
        if kind in ("category", "categories"):
            raw_cats = entry.get("categories")
            if not isinstance(raw_cats, dict) or not raw_cats:
                raise fail(refusal(RefusalCode.POLICY_INPUT_NEEDS, form="categories: {code: {zh: ..., en: ...}}"))
            parsed = []
            for c, lab in raw_cats.items():
                zh, en = parse_label(lab, f"{where}.categories.{c}", path_name)
                if not zh or not en:
                    at = f"{where}.categories.{c}"
                    raise fail(refusal(RefusalCode.POLICY_LABEL_BOTH, what=str(c), form="{zh: ..., en: ...}"), at)
                parsed.append(Category(str(c), zh, en))
            if kind == "categories" and len(parsed) > 62:
                raise fail(refusal(RefusalCode.POLICY_INPUT_TOO_MANY_CATEGORIES, limit=62))
            cats = tuple(parsed)
        elif "categories" in entry:
            raise fail(refusal(RefusalCode.POLICY_INPUT_ONLY_FOR, field="categories", kinds="category, categories"))
        example = _check_example(entry.get("example"), kind, cats, where, path_name)
        grows = _grows(entry, kind, where, path_name)
        document = parse_label(entry["document"], f"{where}.document", path_name) if "document" in entry else ("", "")
        if "document" in entry and not all(document):
            raise fail(refusal(RefusalCode.POLICY_LABEL_BOTH, what="document", form="{zh: ..., en: ...}"))
        out[name] = InputSpec(
            name,
            kind,
            str(entry.get("unit", "months" if kind == "months" else "")),
            label_zh,
            label_en,
            cats,
            source,
            example,
            False,
            True,
            True,
            (code,),
            grows,
            *document,
        )
    return out, documents


GROWS_RULES = ("while_positive", "never")
GROWS_WHILE = ("employed", "hukou_local", "hukou_other_province", "criminal_record", "parent_same_region")


def _grows(entry: dict[str, Any], kind: str, where: str, file: str) -> str:
    """How a months input goes on after the evaluation date (see InputSpec); only months inputs have it."""
    if kind != "months":
        if "grows" in entry:
            raise PolicyError(refusal(RefusalCode.POLICY_INPUT_ONLY_FOR, field="grows:", kinds="months"), file, where)
        return ""
    grows = str(entry.get("grows", "while_positive"))
    if grows not in GROWS_RULES + GROWS_WHILE:
        why = refusal(
            RefusalCode.POLICY_NOT_ONE_OF,
            field="grows",
            value=repr(grows),
            **listed("allowed", GROWS_RULES + GROWS_WHILE),
        )
        raise PolicyError(why, file, where)
    return grows


def parse_label(raw: Any, where: str, file: str = "") -> tuple[str, str]:
    """A label: {zh: ..., en: ...} or one string (its two languages from the label glossary, else used for both)."""
    if raw is None:
        return "", ""
    if isinstance(raw, dict):
        unknown = sorted(set(raw) - {"zh", "en"})
        if unknown:
            raise PolicyError(refusal(RefusalCode.POLICY_LABEL_LANGUAGES, unknown=str(unknown)), file, where)
        zh, en = str(raw.get("zh", "")), str(raw.get("en", ""))
        return zh or en, en or zh
    return bilingual(str(raw))


def _check_example(value: Any, kind: str, cats: tuple[Category, ...], where: str, file: str) -> Any:
    if value is None:
        raise PolicyError(refusal(RefusalCode.POLICY_INPUT_NEEDS_EXAMPLE), file, where)
    codes = {c.code for c in cats}
    ok = {
        "bool": isinstance(value, bool),
        "integer": isinstance(value, int) and not isinstance(value, bool),
        "number": isinstance(value, int | float) and not isinstance(value, bool),
        "months": isinstance(value, int) and not isinstance(value, bool) and value >= 0,
        "date": isinstance(value, date),
        "dates": isinstance(value, list) and all(isinstance(v, date) for v in value),
        "category": isinstance(value, str) and value in codes,
        "categories": isinstance(value, list) and all(v in codes for v in value),
    }[kind]
    if not ok:
        raise PolicyError(refusal(RefusalCode.POLICY_INPUT_EXAMPLE, value=repr(value), kind=kind), file, where)
    return value


def merge_declared(found: list[InputSpec]) -> dict[str, InputSpec]:
    """The declared inputs of several files by name; one name declared twice must describe the same column."""
    out: dict[str, InputSpec] = {}
    for spec in found:
        seen = out.get(spec.name)
        if seen is None:
            out[spec.name] = spec
            continue
        if not seen.same_column(spec):
            first, second = seen.jurisdictions[0], spec.jurisdictions[0]
            why = refusal(RefusalCode.POLICY_INPUT_DECLARED_TWICE, name=repr(spec.name), first=first, second=second)
            raise PolicyError(why, f"{second}.yaml", f"inputs.{spec.name}")
        out[spec.name] = InputSpec(**{**seen.__dict__, "jurisdictions": seen.jurisdictions + spec.jurisdictions})
    return out
