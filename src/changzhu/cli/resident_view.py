"""A resident's record as `changzhu resident show` and `resident find` print it: on screen each field by its label in
the language asked for, places by name and code (广州市（440100）, Guangzhou (440100)), sex and categories in words,
months with their unit, a fact not on record as unknown (never blank or 0); as CSV, JSON or a file, the codes, for
scripts (a fact not on record is null there)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from changzhu.domain.lang import Lang, with_code
from changzhu.rules.labels import YES_NO, amount_text, pick_label

if TYPE_CHECKING:
    import polars as pl
    from sqlalchemy import Engine

    from changzhu.tables import Column

UNKNOWN = ("未知", "unknown")
NONE_ON_RECORD = ("无记录", "none on record")
NO_PRIOR_PLACE = ("不适用（无上一常住地记录）", "not applicable (no previous place on record)")
# the record's own fields, beside the person columns' labels (domain/person.py)
OWN_LABELS: dict[str, tuple[str, str]] = {
    "person_key": ("人员编号", "person key"),
    "moved_out": ("已移交外省（跨省通办）", "handed over to another province"),
}
_SHOWN_FIRST = (
    "sex",
    "birth_date",
    "hukou_region",
    "residence_region",
    "residence_since",
    "residence_permit_since",
    "prior_region",
    "prior_residence_months",
)
_LEFT_OUT = frozenset({"person_id", "parent_id"})  # a row number of the table, not of the registry


def resident_record(engine: Engine, person_key: str) -> tuple[dict[str, object], dict[str, Column]]:
    """The person's record with codes: the registry's fields, whether the record was handed over, the person
    columns as the rules read them (insurance months counted from the records, null where unknown) and the facts
    on record of the inputs her city's rules declare; and each field's column (for its label and words)."""
    from sqlalchemy import select

    from changzhu.cli.tables_cmds import person_file_schema
    from changzhu.registry.frames import person_frame
    from changzhu.registry.residents import unknown_person
    from changzhu.store.db import session_scope
    from changzhu.store.resident_models import PersonRow

    with session_scope(engine) as session:
        found = session.execute(
            select(PersonRow.id, PersonRow.residence_region, PersonRow.moved_out_by).where(
                PersonRow.person_key == person_key
            )
        ).first()
    if found is None:
        raise unknown_person(person_key)
    person_id, residence, moved_out_by = found
    row = person_frame(engine, [person_id]).row(0, named=True)
    schema = person_file_schema(residence)
    columns = {c.name: c for c in schema.columns}
    record: dict[str, object] = {"person_key": person_key}
    record.update({name: row[name] for name in _SHOWN_FIRST})
    if record["prior_region"] is None:
        record["prior_residence_months"] = None  # no previous place on record: no months there to count
    record["moved_out"] = moved_out_by is not None
    for column in schema.columns:
        name = column.name
        if name in record or name in _LEFT_OUT or name not in row:
            continue
        if column.required or not column.nullable or name in _CORE or row[name] is not None:
            record[name] = row[name]
    if record["prior_region"] is None and "prior_si_months" in record:
        record["prior_si_months"] = None  # as the months lived there: 0 only because there is no such place
    return record, columns


def _core_names() -> frozenset[str]:
    from changzhu.domain.person import PERSON_COLUMNS

    return frozenset(c.name for c in PERSON_COLUMNS)


_CORE = _core_names()


def field_label(name: str, column: Column | None, lang: Lang) -> str:
    """A field's label in `lang`."""
    if name in OWN_LABELS:
        return pick_label(OWN_LABELS[name], lang)
    if column is not None:
        return pick_label((column.zh, column.en), lang, name)
    return name


def value_words(
    name: str,
    value: object,
    column: Column | None,
    places: dict[str, tuple[str, str]],
    lang: Lang,
    *,
    prior_place: bool = False,
) -> str:
    """A field's value as a person reads it in `lang`; `prior_place`: whether a previous place is on record (its
    months not on record are then unknown, not "not applicable")."""
    if value is None:
        if name in ("prior_residence_months", "prior_si_months") and not prior_place:
            return pick_label(NO_PRIOR_PLACE, lang)
        if name in ("residence_permit_since", "prior_region"):
            return pick_label(NONE_ON_RECORD, lang)
        return pick_label(UNKNOWN, lang)
    if isinstance(value, bool):
        return pick_label(YES_NO[value], lang)
    if isinstance(value, date):
        return value.isoformat()
    kind = column.type.value if column is not None else ""
    if kind == "region" or name.endswith("_region"):
        zh, en = places.get(str(value), (str(value), str(value)))
        return with_code(zh if lang == Lang.ZH else en, str(value), lang)
    if column is not None and column.categories:
        words = {c.code: pick_label((c.zh, c.en), lang, c.code) for c in column.categories}
        items = value if isinstance(value, list) else [value]
        return ("、" if lang == Lang.ZH else ", ").join(words.get(str(v), str(v)) for v in items)
    if isinstance(value, list):
        return ("、" if lang == Lang.ZH else ", ").join(v.isoformat() if isinstance(v, date) else str(v) for v in value)
    if isinstance(value, int | float) and column is not None and column.unit:
        return amount_text(float(value), column.unit, lang)
    return str(value)


def record_rows(engine: Engine, record: dict[str, object], columns: dict[str, Column], lang: Lang) -> list[list[str]]:
    """(label, value) of each field in `lang`, places by name and code."""
    from changzhu.registry.region_names import region_labels
    from changzhu.store.db import session_scope

    codes = {str(v) for k, v in record.items() if v is not None and (k.endswith("_region") or _is_region(columns, k))}
    with session_scope(engine) as session:
        places = region_labels(session, codes)
    prior_place = record.get("prior_region") is not None
    return [
        [
            field_label(name, columns.get(name), lang),
            value_words(name, value, columns.get(name), places, lang, prior_place=prior_place),
        ]
        for name, value in record.items()
    ]


def _is_region(columns: dict[str, Column], name: str) -> bool:
    column = columns.get(name)
    return column is not None and column.type.value == "region"


# what a write command prints of its result (`changzhu resident permit`, `ledger contribute`, `voucher issue`, …):
# each field by its label, in the command's --lang; a field not listed by its name in words
RESULT_FIELDS: dict[str, tuple[str, str]] = {
    "person_key": ("人员编号", "person key"),
    "operation_id": ("操作编号", "operation number"),
    "replayed": ("重复提交（未再写入）", "repeated (nothing written again)"),
    "maker": ("提交人", "made by"),
    "created_at": ("提交时间", "submitted at"),
    "permit_no": ("居住证编号", "permit number"),
    "expires_on": ("有效期至", "valid until"),
    "valid_until": ("有效期至", "valid until"),
    "months": ("月数", "months"),
    "temporary": ("临时账户", "temporary account"),
    "region": ("地区", "region"),
    "scheme": ("险种", "scheme"),
    "voucher_no": ("服务券编号", "voucher number"),
    "value_fen": ("面值", "value"),
    "total_fen": ("金额合计", "total"),
    "vouchers": ("服务券张数", "vouchers"),
    "provider": ("服务机构", "provider"),
    "from_region": ("原地", "from"),
    "to_region": ("新地", "to"),
    "approval_id": ("待复核事项编号", "approval number"),
    "transfer_no": ("转移编号", "transfer number"),
    "status": ("状态", "status"),
    "school_year": ("学年", "school year"),
    "grade": ("年级", "grade"),
    "parent": ("父母", "parent"),
    "child": ("子女", "child"),
    "withdrawn_transfers": ("撤回的转移申请", "transfer applications withdrawn"),
    "withdrawn_applications": ("撤回的申请", "applications withdrawn"),
    # `changzhu ledger transfer` (the release: what moved) and `ledger drawing` (art. 6)
    "individual_fen": ("转入的个人账户金额", "individual account moved"),
    "pooled_fen": ("转入的统筹基金金额", "pooled fund moved"),
    "years": ("转入的学年数", "school years moved"),
    "drawing_region": ("养老金领取地", "where the pension is drawn"),
    "clause": ("适用条款（国办发〔2009〕66号第六条）", "clause (art. 6 of 国办发〔2009〕66号)"),
    "why": ("理由", "why"),
    "months_total": ("缴费月数合计", "months paid in all"),
    "individual_account_fen": ("个人账户余额", "individual account balance"),
    "moved_months": ("转入的月数", "months moved here"),
    "moved_pooled_fen": ("转入的统筹基金金额", "pooled fund moved here"),
    # `changzhu ledger baseline`
    "baselined": ("补记摘要的交易数", "transactions vouched for"),
    "first_vouched_transaction": ("首笔记有摘要的交易编号", "first transaction with a digest"),
    "left_unvouched": ("仍无摘要的交易数", "transactions still not vouched for"),
    # `changzhu import residents|contributions`
    "residents": ("登记的常住人口", "residents registered"),
    "rows": ("导入的行数", "rows imported"),
    "left_out": ("略过的行数", "rows left out"),
    "file_sha256": ("文件校验值（SHA-256）", "file checksum (SHA-256)"),
}
_REGION_FIELDS = frozenset(
    {"region", "from_region", "to_region", "issuer_region", "provider_region", "payer_region", "drawing_region"}
)


def result_rows(result: dict[str, object], lang: Lang) -> list[list[str]]:
    """(label, value) of each field of a write's result in `lang`: places by name and code, fen as yuan, flags as
    yes or no, the ledger's words (schemes, statuses) in words, nothing as none."""
    from changzhu.domain.refusals import TERMS
    from changzhu.tables.places import place_names

    codes = {str(v) for k, v in result.items() if k in _REGION_FIELDS and v}
    names = place_names(codes)
    rows = []
    for field, value in result.items():
        name, _, tongue = field.rpartition("_")  # a field in words in both languages (a drawing's why_zh, why_en)
        if tongue not in ("zh", "en") or name not in RESULT_FIELDS:
            name = field
        elif tongue != lang.value:
            continue
        label = pick_label(RESULT_FIELDS.get(name, ("", name.replace("_", " "))), lang, name)
        if value is None or value == []:
            shown = pick_label(("无", "none"), lang)
        elif isinstance(value, bool):
            shown = pick_label(YES_NO[value], lang)
        elif name in _REGION_FIELDS:
            zh, en = names.get(str(value), (str(value), None))
            shown = with_code(zh if lang == Lang.ZH else en or zh, str(value), lang)
        elif name.endswith("_fen") and isinstance(value, int):
            shown = amount_text(value / 100, "yuan", lang) if value % 100 else amount_text(value // 100, "yuan", lang)
        elif isinstance(value, str) and value in TERMS and name in ("scheme", "status"):
            shown = pick_label(TERMS[value], lang)
        elif isinstance(value, list):
            shown = ("、" if lang == Lang.ZH else ", ").join(map(str, value))
        else:
            shown = str(value)
        rows.append([label, shown])
    return rows


# the columns of `ledger balances` and `voucher list` on screen, by their labels (a file or --format keeps the codes)
LEDGER_COLUMNS: dict[str, tuple[str, str]] = {
    "account": ("账户", "account"),
    "kind": ("账户类别", "kind"),
    "region": ("地区", "region"),
    "unit": ("单位", "unit"),
    "balance": ("余额", "balance"),
    "voucher_no": ("服务券编号", "voucher number"),
    "holder": ("持有人（人员编号）", "holder (person key)"),
    "service": ("服务项目", "service"),
    "value_fen": ("面值（分）", "value (fen)"),
    "issuer_region": ("发放地", "issued by"),
    "issued_on": ("发放日期", "issued on"),
    "expires_on": ("有效期至", "valid until"),
    "status": ("状态", "status"),
    "provider": ("服务机构", "provider"),
    "provider_region": ("服务机构所在地", "provider's place"),
    "redeemed_on": ("兑付日期", "redeemed on"),
}


# the columns of a ledger table whose values are words of the ledger's vocabulary (domain.refusals.TERMS)
_LEDGER_TERMS = ("kind", "unit", "status", "service")


def ledger_in_words(frame: pl.DataFrame, lang: Lang) -> pl.DataFrame:
    """A ledger table (`ledger balances`, `voucher list`) for the screen: places by name and code, account kinds,
    units, voucher statuses and services by their names (a code no name is known for as it is), each column by its
    label in `lang`."""
    import polars as pl

    from changzhu.domain.refusals import TERMS
    from changzhu.tables.places import place_names

    places = [c for c in frame.columns if c in _REGION_FIELDS]
    codes = {str(v) for c in places for v in frame[c].drop_nulls().unique()}
    words: dict[str, str] = {}
    for code, (zh, en) in place_names(codes).items():
        words[code] = with_code(zh if lang == Lang.ZH else en or zh, code, lang)
    named = frame.with_columns(pl.col(c).replace(words) for c in places)
    terms = [c for c in frame.columns if c in _LEDGER_TERMS and frame.schema[c] == pl.String]
    which = 0 if lang == Lang.ZH else 1
    named = named.with_columns(pl.col(c).replace({k: v[which] for k, v in TERMS.items()}) for c in terms)
    return named.rename({c: pick_label(LEDGER_COLUMNS[c], lang) for c in frame.columns if c in LEDGER_COLUMNS})
