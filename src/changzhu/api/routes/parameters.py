"""What a reform can change and what the rules read and produce: parameters and variables, as listings."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response

from changzhu.api.aggregates import require_analyst
from changzhu.api.deps import LimitQuery, OffsetQuery, PrincipalDep
from changzhu.api.export import FILE_RESPONSES, ExportFormat, FormatQuery, list_page_as
from changzhu.api.language import answer_lang
from changzhu.api.pagination import Page
from changzhu.domain.lang import Lang
from changzhu.domain.services import Service
from changzhu.parameters import DatedValue, Parameter, parameter_tree
from changzhu.rules import person_inputs
from changzhu.rules.catalog import policies_in_use

router = APIRouter(tags=["parameters"])
OUTPUTS = (
    (
        "eligible_{service}",
        "bool",
        "",
        "eligible for the service on the date (null: undetermined)",
    ),
    ("earliest_{service}", "date", "", "the first date the person becomes eligible, if the facts on file say so"),
    ("needs_{service}", "list of input names", "", "the facts still needed to decide (unknown is never zero)"),
)


def _sources(dated: DatedValue | None, lang: Lang) -> dict[str, str | None]:
    """A value's source as the reader of `lang` sees it, and as each language's reader does (`source_zh`,
    `source_en`: the office picks by its language): a Chinese document's citation is the same in all three."""
    if dated is None:
        return {"source": None, "source_zh": None, "source_en": None}
    return {"source": dated.cited(lang), "source_zh": dated.cited(Lang.ZH), "source_en": dated.cited(Lang.EN)}


def _node(
    param: Parameter, jurisdiction: str, kind: str, on: date, labels: dict[str, tuple[str, str]], lang: Lang
) -> dict[str, Any]:
    """One parameter with its names (zh, en), the value in force on `on` and every dated value with its source."""
    current = param.at(on)
    label_zh, label_en = (param.label_zh, param.label_en) if param.label_zh else labels.get(param.key, ("", ""))
    service = param.key.split(".")[0] if kind == "rule" else param.key.split(".")[1]
    return {
        "key": param.key,
        "kind": kind,
        "jurisdiction": jurisdiction,
        "service": service,
        "unit": param.unit,
        "label_zh": label_zh,
        "label_en": label_en,
        "description": param.description,
        "value": current.value if current is not None else None,
        "since": current.since.isoformat() if current is not None else None,
        **_sources(current, lang),
        "verified": current.verified if current is not None else None,
        "note": current.note if current is not None else None,  # the project's remark on the value, not a citation
        "history": [
            {
                "since": v.since.isoformat(),
                "value": v.value,
                **_sources(v, lang),
                "verified": v.verified,
                "note": v.note,
            }
            for v in sorted(param.values, key=lambda v: v.since)
        ],
    }


def parameter_nodes(on: date, lang: Lang = Lang.ZH) -> list[dict[str, Any]]:
    """Every parameter a scenario may override: the rules' (per jurisdiction file) and the parameter tree's.

    A local value without its own names takes the names given where the key is defined (national first)."""
    rules = sorted(policies_in_use().jurisdictions.items())
    tree = parameter_tree()
    labels = policies_in_use().parameter_labels()
    nodes = [
        _node(param, code, "rule", on, labels, lang)
        for code, jurisdiction in rules
        for param in sorted(jurisdiction.parameters.values(), key=lambda p: p.key)
    ]
    nodes += [
        _node(param, code, "tree", on, labels, lang)
        for code, params in sorted(tree.by_jurisdiction.items())
        for param in sorted(params.values(), key=lambda p: p.key)
    ]
    return nodes


@router.get("/parameters", response_model=Page[dict[str, Any]], responses={401: {}, 403: {}, **FILE_RESPONSES})
def parameters(
    request: Request,
    principal: PrincipalDep,
    jurisdiction: Annotated[str | None, Query(pattern=r"^\d{6}$", description="only this jurisdiction's")] = None,
    service: Annotated[str | None, Query(max_length=60, description="first part of the key (rules) or second")] = None,
    on: Annotated[date | None, Query(description="the date of the current value (default today)")] = None,
    limit: LimitQuery = 100,
    offset: OffsetQuery = 0,
    fmt: FormatQuery = ExportFormat.JSON,
) -> Page[dict[str, Any]] | Response:
    """Parameters by jurisdiction and service: current value, since when, source, and the dated history; `source` in
    the answer's language (`lang`, else Accept-Language, else Chinese), `source_zh` and `source_en` beside it."""
    require_analyst(principal)
    nodes = parameter_nodes(on or date.today(), answer_lang(request.query_params, request.headers))
    nodes = [
        n
        for n in nodes
        if (jurisdiction is None or n["jurisdiction"] == jurisdiction) and (service is None or n["service"] == service)
    ]
    return list_page_as(nodes, limit, offset, fmt, "parameters")


@router.get("/variables", response_model=Page[dict[str, Any]], responses={401: {}, 403: {}, **FILE_RESPONSES})
def variables(
    principal: PrincipalDep, limit: LimitQuery = 200, offset: OffsetQuery = 0, fmt: FormatQuery = ExportFormat.JSON
) -> Page[dict[str, Any]] | Response:
    """Inputs of the person table (type, unit, labels, source) and the outputs of an evaluation per service."""
    require_analyst(principal)
    inputs = [
        {
            "name": spec.name,
            "direction": "input",
            "type": str(spec.type),
            "unit": spec.unit,
            "label_zh": spec.label_zh,
            "label_en": spec.label_en,
            "core": spec.core,
            "optional": spec.optional,
            "source": spec.source,
            "jurisdictions": list(spec.jurisdictions),
        }
        for spec in person_inputs()
    ]
    outputs = [
        {
            "name": pattern.format(service=s.value),
            "direction": "output",
            "type": kind,
            "unit": unit,
            "label_zh": "",
            "label_en": doc,
            "core": True,
            "optional": False,
            "source": "changzhu.rules.evaluate",
            "jurisdictions": [],
        }
        for s in Service
        for pattern, kind, unit, doc in OUTPUTS
    ]
    return list_page_as(inputs + outputs, limit, offset, fmt, "variables")
