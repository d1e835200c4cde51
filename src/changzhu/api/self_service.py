"""What a resident is missing and the points they hold, in Chinese and English, from the rules' decisions.

Missing items come from the three-valued decisions of evaluate_registered (a record lacking core facts is decided
under every value they can take): an undetermined service lists the
facts it still needs (needs_<service>), a service not yet granted lists the conditions still unmet and the day
each is met (earliest_<service>), with what that day assumes of a fact not yet true (a permit not held, counted
from the first day one can be had: assumes_zh, assumes_en; the page shows it beside the day, which is no promise).
Points items are the indicators of the points scheme of the resident's city.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import polars as pl

from changzhu.registry.decide import evaluate_registered
from changzhu.rules import person_inputs
from changzhu.rules.explain import Explanation, IndicatorPoints, json_bound


def _labels(region: str) -> dict[str, tuple[str, str]]:
    return {s.name: (s.label_zh, s.label_en) for s in person_inputs(region)}


def _fact_item(head: dict[str, Any], name: str, labels: dict[str, tuple[str, str]]) -> dict[str, Any]:
    zh_label, en_label = labels.get(name, (name, name))
    no_day: dict[str, Any] = {"from_date": None, "assumes_zh": [], "assumes_en": []}
    return {**head, "fact": name, "condition": None, "label_zh": zh_label, "label_en": en_label, **no_day}


def missing_items(
    table: pl.DataFrame, person_id: int, on: date, zh: Explanation, en: Explanation
) -> list[dict[str, Any]]:
    """Facts the undetermined services need, unmet conditions of services granted later (with the day), and
    facts behind the points indicators that cannot be assessed (unassessed_<scheme>)."""
    row = evaluate_registered(table, on).filter(pl.col("person_id") == person_id).row(0, named=True)
    labels = _labels(zh.residence_region)
    items: list[dict[str, Any]] = []
    for s_zh, s_en in zip(zh.services, en.services, strict=True):
        if s_zh.for_person not in (None, person_id):
            continue
        service = s_zh.service
        head = {"service": service, "service_label_zh": s_zh.title, "service_label_en": s_en.title}
        if row.get(f"undetermined_{service}"):
            items += [_fact_item(head, name, labels) for name in row.get(f"needs_{service}") or []]
        elif s_zh.decision == "not_eligible" and s_zh.earliest is not None:
            for c_zh, c_en in zip(s_zh.conditions, s_en.conditions, strict=True):
                if c_zh.kind == "group" or c_zh.passed is not False:
                    continue
                items.append(
                    {
                        **head,
                        "fact": None,
                        "condition": c_en.label,
                        "label_zh": c_zh.label,
                        "label_en": c_en.label,
                        "from_date": c_zh.earliest or s_zh.earliest,
                        "assumes_zh": s_zh.assumes,
                        "assumes_en": s_en.assumes,
                    }
                )
    for p_zh, p_en in zip(zh.points, en.points, strict=True):
        unassessed = set(row.get(f"unassessed_{p_zh.scheme}") or [])
        if p_zh.of != "self" or not unassessed:
            continue
        head = {"service": p_zh.scheme, "service_label_zh": p_zh.title, "service_label_en": p_en.title}
        # the facts the points table names for each item it cannot score (a record lacking a core fact lists that
        # fact in unassessed_, not an indicator: every open item's own inputs are the facts to give)
        names = {n for i in p_zh.indicators if i.points is None or i.name in unassessed for n in i.needed_inputs}
        items += [_fact_item(head, name, labels) for name in sorted(names)]
    return items


def points_items(zh: Explanation, en: Explanation) -> list[dict[str, Any]]:
    """Each points scheme of the resident's city for the resident: every indicator with its points, and totals."""
    schemes = []
    for p_zh, p_en in zip(zh.points, en.points, strict=True):
        if p_zh.of != "self":
            continue
        items = [_item(i_zh, i_en) for i_zh, i_en in zip(p_zh.indicators, p_en.indicators, strict=True)]
        schemes.append(
            {
                "scheme": p_zh.scheme,
                "title_zh": p_zh.title,
                "title_en": p_en.title,
                # false: the points are not yet checked against the city's published table (the page says so)
                "verified": p_zh.verified,
                "status": p_zh.status,
                "total": p_zh.total,
                "low": json_bound(p_zh.low),  # None: no lower bound
                "high": json_bound(p_zh.high),  # None: no upper bound
                "line": p_zh.line,
                "items": items,
            }
        )
    return schemes


def _item(i_zh: IndicatorPoints, i_en: IndicatorPoints) -> dict[str, Any]:
    """One indicator of the resident's points (an open sum_of / max_of group with its parts, each an item too)."""
    return {
        "item": i_zh.name,
        "label_zh": i_zh.label,
        "label_en": i_en.label,
        "points": i_zh.points,
        "needs": i_zh.needed_inputs,  # the inputs that could change its points (none when assessed)
        # what the item is scored on as recorded ("职业资格/职称: 无"), so a 0 says why; an unknown fact
        # shows as unknown, and the facts an item not assessed needs, in words
        "basis_zh": i_zh.inputs,
        "basis_en": i_en.inputs,
        "needs_zh": i_zh.needs,
        "needs_en": i_en.needs,
        # an item not assessed: the points it could still give (None: no bound)
        "low": json_bound(i_zh.low),
        "high": json_bound(i_zh.high),
        "parts": [_item(a, b) for a, b in zip(i_zh.parts, i_en.parts, strict=True)],
    }
