"""Applications (申请) and quota runs (积分排名) as `changzhu applications` and `changzhu quota` print them on screen:
each field by its label in the language asked for, kinds, statuses, steps and pre-check decisions in words, places by
name and code, the pre-check's explanation and a decision's reason in that language. `--format json` prints the
record as the API returns it (the codes), for scripts."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from changzhu.domain.lang import Lang, with_code
from changzhu.rules.labels import pick_label

NONE = ("无", "none")
APPLICATION_FIELDS: dict[str, tuple[str, str]] = {
    "id": ("申请编号", "application number"),
    "person_key": ("人员编号", "person key"),
    "kind": ("申请事项", "applied for"),
    "region": ("受理地区", "region"),
    "status": ("状态", "status"),
    "note": ("备注", "note"),
    "decision": ("预审结论", "pre-check"),
    "needs": ("需要补充", "facts still needed"),
    "explanation": ("预审说明", "pre-check explained"),
    "points": ("积分", "points"),
    "reason": ("决定理由", "reason of the decision"),
    "submitted_by": ("提交人", "submitted by"),
    "submitted_at": ("提交时间（UTC）", "submitted at (UTC)"),
    "updated_at": ("更新时间（UTC）", "updated at (UTC)"),
}
EVENT_COLUMNS = (
    ("时间（UTC）", "at (UTC)"),
    ("步骤", "step"),
    ("状态变为", "new status"),
    ("办理人", "by"),
    ("理由", "reason"),
)
LIST_COLUMNS = (("申请编号", "number"), ("申请事项", "applied for"), ("状态", "status"), ("受理地区", "region"),
                ("预审结论", "pre-check"))  # fmt: skip
QUOTA_FIELDS: dict[str, tuple[str, str]] = {
    "id": ("排名编号", "run number"),
    "kind": ("排名事项", "ranking of"),
    "region": ("城市", "city"),
    "year": ("年度", "year"),
    "quota": ("指标（名额）", "quota (places)"),
    "quota_source": ("指标来源", "quota from"),
    "capacity": ("各区学位", "places per district"),
    "candidates": ("参加排名人数", "candidates"),
    "admitted": ("入围人数", "admitted"),
    "admitted_count": ("入围人数", "admitted"),
    "waiting": ("候补人数", "waiting"),
    "not_ranked": ("未参加排名", "not ranked"),
    "ranked_on_lower_bound": ("按积分下限排名的人数", "ranked on a lower bound of their points"),
    "cutoff_points": ("最低入围分", "cut-off points"),
    "cutoffs": ("各区最低入围分", "cut-off points per district"),
    "tie_break": ("同分排序规则", "tie-break"),
    "evaluated_on": ("计分日期", "points as of"),
    "fraction": ("样本比例", "sample fraction"),
    "seed": ("随机种子", "random seed"),
    "published_by": ("发布人", "published by"),
    "published_at": ("发布时间（UTC）", "published at (UTC)"),
}
QUOTA_KINDS = {"points_hukou": ("积分落户", "points-based hukou"), "school_place": ("积分入学", "school places")}


def _words(table: Mapping[Any, tuple[str, str]], value: object, lang: Lang) -> str:
    """A code in words by `table` (keyed by the code or its enum), the code itself if the table lacks it."""
    found = {str(k): v for k, v in table.items()}.get(str(value))
    return pick_label(found, lang) if found else str(value)


def _place(code: object, lang: Lang) -> str:
    from changzhu.tables.places import place_names

    zh, en = place_names({str(code)}).get(str(code), (str(code), None))
    return with_code(zh if lang == Lang.ZH else en or zh, str(code), lang)


def _in(row: Mapping[str, Any], name: str, lang: Lang) -> str | None:
    """The `name`_zh or `name`_en of a record (None if neither)."""
    return row.get(f"{name}_{lang.value}") or row.get(f"{name}_zh")


def _when(stamp: object) -> str | None:
    """A stored UTC time stamp to the second, as people read it (2026-12-04 02:08:04)."""
    return str(stamp)[:19].replace("T", " ") if stamp else None


def application_rows(item: Mapping[str, Any], lang: Lang) -> list[list[str]]:
    """(label, value) of an application's fields in `lang`."""
    from changzhu.casework.applications import KIND_LABELS, STATUS_LABELS
    from changzhu.casework.precheck import DECISION_WORDS

    check = item.get("precheck") or {}
    needs = [pick_label((n["label_zh"], n["label_en"]), lang, n["input"]) for n in check.get("needs", [])]
    values: dict[str, str | None] = {
        "id": str(item["id"]),
        "person_key": item.get("person_key"),
        "kind": _words(KIND_LABELS, item["kind"], lang),
        "region": _place(item["region"], lang),
        "status": _words(STATUS_LABELS, item["status"], lang),
        "note": item.get("note"),
        "decision": _words(DECISION_WORDS, check["decision"], lang) if check else None,
        "needs": ("、" if lang == Lang.ZH else ", ").join(needs) if needs else None,
        "explanation": _in(check, "explanation", lang),
        "points": None if item.get("points") is None else f"{item['points']:g}",
        "reason": _in(item, "reason", lang),
        "submitted_by": item.get("submitted_by"),
        "submitted_at": _when(item.get("submitted_at")),
        "updated_at": _when(item.get("updated_at")),
    }
    return [
        [pick_label(APPLICATION_FIELDS[name], lang), value if value else pick_label(NONE, lang)]
        for name, value in values.items()
        if value is not None or name not in ("note", "points", "needs", "reason", "person_key")
    ]


def event_rows(events: Sequence[Mapping[str, Any]], lang: Lang) -> list[list[str]]:
    """One row of each step an application went through, in `lang`."""
    from changzhu.casework.applications import ACTION_LABELS, STATUS_LABELS

    submit = {"submit": ("提交", "submit")}
    return [
        [
            _when(e["at"]) or "",
            _words({**submit, **ACTION_LABELS}, e["action"], lang),
            _words(STATUS_LABELS, e["to_status"], lang),
            str(e["actor"]),
            _in(e, "reason", lang) or "",
        ]
        for e in events
    ]


def list_rows(items: Sequence[Mapping[str, Any]], lang: Lang) -> list[list[str]]:
    """One row of each application of a listing, in `lang`."""
    from changzhu.casework.applications import KIND_LABELS, STATUS_LABELS
    from changzhu.casework.precheck import DECISION_WORDS

    return [
        [
            str(item["id"]),
            _words(KIND_LABELS, item["kind"], lang),
            _words(STATUS_LABELS, item["status"], lang),
            _place(item["region"], lang),
            _words(DECISION_WORDS, item["precheck"]["decision"], lang),
        ]
        for item in items
    ]


def quota_rows(run: Mapping[str, Any], lang: Lang) -> list[list[str]]:
    """(label, value) of a quota run (published or simulated) in `lang`: counts, cut-offs, the tie-break rule in
    words; the ranked lists themselves by how many (`--format json` has them whole)."""
    rule = run.get("rule") or {}
    values = {**run, **{k: rule[k] for k in ("tie_break", "quota_source", "evaluated_on", "not_ranked") if k in rule}}
    rows = []
    for name, label in QUOTA_FIELDS.items():
        if name not in values or (values[name] in ({}, [], None) and name in ("cutoffs", "capacity", "not_ranked")):
            continue
        rows.append([pick_label(label, lang), _quota_value(name, values[name], lang)])
    return rows


def _quota_value(name: str, value: Any, lang: Lang) -> str:
    if value is None:
        return pick_label(NONE, lang)
    if name == "kind":
        return _words(QUOTA_KINDS, value, lang)
    if name == "quota_source":  # the command line, or the policy parameter with its date and source
        label, since = _in(value, "label", lang), value.get("since")
        return "".join(filter(None, (label and f"{label}：" if lang == Lang.ZH else label and f"{label}: ",
                                     since and f"{since} ", _in(value, "source", lang))))  # fmt: skip
    if name == "region":
        return _place(value, lang)
    if name == "published_at":
        return _when(value) or ""
    if name == "tie_break":
        return str(value.get(lang.value) or value.get("zh"))
    if name in ("capacity", "cutoffs"):
        joined = ("；" if lang == Lang.ZH else "; ").join(
            f"{_place(d, lang)} {_quota_value('', n, lang)}" for d, n in value.items()
        )
        return joined or pick_label(NONE, lang)
    if isinstance(value, list):
        return f"{len(value):,}"
    if isinstance(value, int) and not isinstance(value, bool) and name not in ("id", "year", "seed"):
        return f"{value:,}"  # a count: thousands separated
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)
