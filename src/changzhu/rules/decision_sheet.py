"""The per-person decisions as an office reads them: a sheet whose headers are the services' and schemes' titles in
Chinese or English and whose cells are words (符合条件, 无法判定, the missing facts by their labels), and a sheet
naming, for each of its columns, the fields of the machine file (Parquet/CSV) it was made from."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import IO

import polars as pl

from changzhu.domain.lang import Lang
from changzhu.domain.services import Service, service_title
from changzhu.rules.catalog import PolicySet, policies_in_use
from changzhu.rules.labels import fact_labels, pick_label

WORDS: dict[str, dict[str, str]] = {
    "zh": {
        "person_id": "编号",
        "eligible": "符合条件",
        "not_eligible": "不符合条件",
        "undetermined": "无法判定（缺少信息）",
        "decision": "{title}",
        "earliest": "{title}：可符合日期（估算）",
        "needs": "{title}：需补充的信息",
        "points": "{title}：积分",
        "range": "{title}：积分范围（信息不全）",
        "unassessed": "{title}：未能评分的指标",
        "decision_means": "是否符合条件；无法判定时见“需补充的信息”",
        "earliest_means": "最早符合条件的日期。这是估算，不是承诺：假定情况不变（继续在此居住、就业并缴纳社保，"
        "其他已登记的情况不变），情况变化则日期随之变化；空白：情况不变则不会符合",
        "needs_means": "无法判定时缺少的信息",
        "points_means": "已能评分的指标的积分合计；空白：常住地无此积分办法",
        "range_means": "信息不全时积分可能的范围",
        "unassessed_means": "因缺少信息未能评分的指标",
        "id_means": "人员表中的编号",
        "header": "列",
        "fields": "机器文件中的字段",
        "meaning": "说明",
        "join": "、",
        "any": "不确定",
    },
    "en": {
        "person_id": "person id",
        "eligible": "eligible",
        "not_eligible": "not eligible",
        "undetermined": "undetermined (facts missing)",
        "decision": "{title}",
        "earliest": "{title}: eligible from (estimate)",
        "needs": "{title}: facts needed",
        "points": "{title}: points",
        "range": "{title}: points range (facts missing)",
        "unassessed": "{title}: indicators not scored",
        "decision_means": "whether the person is eligible; when undetermined, see 'facts needed'",
        "earliest_means": "the earliest date of eligibility. An estimate, not a promise: it assumes nothing changes "
        "(the person keeps living, working and paying insurance here, and the other facts on record stay as they "
        "are); if they change, so does the date; empty: never if nothing changes",
        "needs_means": "the facts missing for an undetermined decision",
        "points_means": "the points of the indicators that could be scored; empty: no such scheme where the person "
        "lives",
        "range_means": "the range the total may take when facts are missing",
        "unassessed_means": "the indicators not scored for missing facts",
        "id_means": "the person's id in the person table",
        "header": "column",
        "fields": "fields of the machine file",
        "meaning": "meaning",
        "join": "; ",
        "any": "any",
    },
}


@dataclass(frozen=True)
class DecisionSheets:
    """The decisions sheet and the sheet explaining its columns."""

    decisions: pl.DataFrame
    columns: pl.DataFrame


def _scheme_titles(policies: PolicySet) -> dict[str, tuple[tuple[str, str], dict[str, tuple[str, str]]]]:
    """Each scheme's title and its indicators' labels, by scheme name."""
    out: dict[str, tuple[tuple[str, str], dict[str, tuple[str, str]]]] = {}
    for jurisdiction in policies.jurisdictions.values():
        for name, scheme in jurisdiction.schemes.items():
            labels = {i.name: i.label for i in scheme.indicators}
            known = out.get(name, (scheme.title, {}))[1]
            out[name] = (scheme.title, {**known, **labels})
    return out


def _number(value: pl.Expr) -> pl.Expr:
    """A points value as text: 52 rather than 52.0, at most two decimals."""
    return value.round(2).cast(pl.String).str.replace(r"\.0$", "")


def _range(low: str, high: str, words: dict[str, str]) -> pl.Expr:
    """Where the total is open, its range as text: 39–52, or ≤ 589 / ≥ 39 where one end is unbounded."""
    lo, hi = pl.col(low), pl.col(high)
    return (
        pl.when(lo == hi)
        .then(None)
        .when(lo.is_infinite() & hi.is_infinite())
        .then(pl.lit(words["any"]))
        .when(lo.is_infinite())
        .then(pl.concat_str(pl.lit("≤ "), _number(hi)))
        .when(hi.is_infinite())
        .then(pl.concat_str(pl.lit("≥ "), _number(lo)))
        .otherwise(pl.concat_str(_number(lo), pl.lit("–"), _number(hi)))
    )


def _listed(column: str, labels: dict[str, str], join: str) -> pl.Expr:
    """A list-of-names column as its labels joined in one cell (null stays null)."""
    named = pl.col(column).list.eval(pl.element().replace_strict(labels, default=pl.element(), return_dtype=pl.String))
    return named.list.join(join)


def decision_sheets(
    result: pl.DataFrame, lang: str = "zh", *, earliest: bool = False, policies: PolicySet | None = None
) -> DecisionSheets:
    """`result` (evaluate()'s per-person columns) as an office reads it, in `lang` (zh or en). The earliest dates
    are shown when `earliest` (evaluated with them: otherwise a date is only today's for the eligible); the facts
    needed for a service nobody's decision is open on, and a scheme nobody in the table is scored on, are left out;
    a column this does not know is kept under its own name."""
    words = WORDS[lang]
    policies = policies or policies_in_use()
    variables = fact_labels(policies.variables, lang)
    schemes = _scheme_titles(policies)
    shown: list[pl.Expr] = []
    rows: list[tuple[str, str, str]] = []

    def add(expr: pl.Expr, header: str, fields: list[str], meaning: str) -> None:
        shown.append(expr.alias(header))
        rows.append((header, ", ".join(fields), meaning))

    done: set[str] = set()
    for column in result.columns:
        if column in done:
            continue
        if column == "person_id":
            add(pl.col(column), words["person_id"], [column], words["id_means"])
            done.add(column)
            continue
        if column.startswith("eligible_"):
            key = column.removeprefix("eligible_")
            service = Service(key)
            title = service_title(service, Lang(lang))
            open_ = f"undetermined_{key}"
            decision = pl.when(pl.col(column)).then(pl.lit(words["eligible"])).otherwise(pl.lit(words["not_eligible"]))
            if open_ in result.columns:
                decision = pl.when(pl.col(open_)).then(pl.lit(words["undetermined"])).otherwise(decision)
            fields = [c for c in (column, open_) if c in result.columns]
            add(decision, words["decision"].format(title=title), fields, words["decision_means"])
            if earliest and f"earliest_{key}" in result.columns:
                add(pl.col(f"earliest_{key}"), words["earliest"].format(title=title), [f"earliest_{key}"],
                    words["earliest_means"])  # fmt: skip
            if f"needs_{key}" in result.columns and result[f"needs_{key}"].null_count() < result.height:
                add(_listed(f"needs_{key}", variables, words["join"]), words["needs"].format(title=title),
                    [f"needs_{key}"], words["needs_means"])  # fmt: skip
            done |= {column, open_, f"earliest_{key}", f"needs_{key}"}
            continue
        scheme_name = next((s for s in schemes if column == f"points_{s}"), None)
        low, high, unassessed = (f"{p}_{scheme_name}" for p in ("points_low", "points_high", "unassessed"))
        if scheme_name is not None and result[column].null_count() == result.height:
            done |= {column, low, high, unassessed}
            continue
        if scheme_name is not None:
            label, indicators = schemes[scheme_name]
            title = pick_label(label, lang, scheme_name)
            add(pl.col(column), words["points"].format(title=title), [column], words["points_means"])
            if {low, high} <= set(result.columns):
                add(_range(low, high, words), words["range"].format(title=title), [low, high], words["range_means"])
            if unassessed in result.columns:
                names = {k: pick_label(v, lang, k) for k, v in indicators.items()}
                add(_listed(unassessed, names, words["join"]), words["unassessed"].format(title=title), [unassessed],
                    words["unassessed_means"])  # fmt: skip
            done |= {column, low, high, unassessed}
            continue
        add(pl.col(column), column, [column], "")
        done.add(column)
    columns = pl.DataFrame(rows, schema=[words["header"], words["fields"], words["meaning"]], orient="row")
    return DecisionSheets(result.select(shown), columns)


def write_decision_workbook(
    result: pl.DataFrame, path: Path | IO[bytes], lang: str = "zh", *, earliest: bool = False
) -> None:
    """The decisions as an Excel workbook at `path` (a path or a binary buffer): the decisions sheet and the sheet
    explaining its columns, sheet names in `lang`."""
    from xlsxwriter import Workbook

    sheets = decision_sheets(result, lang, earliest=earliest)
    names = ("决定", "列说明") if lang == "zh" else ("decisions", "columns")
    with Workbook(path) as book:
        sheets.decisions.write_excel(book, worksheet=names[0], autofit=True)
        sheets.columns.write_excel(book, worksheet=names[1], autofit=True)
