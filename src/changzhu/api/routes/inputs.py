"""The facts a caseworker may give about a resident: the declared rule inputs of a place, labelled in both languages."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel

from changzhu.api.deps import PrincipalDep
from changzhu.registry.residents import fact_types
from changzhu.rules import person_inputs

router = APIRouter(tags=["eligibility"])


class CategoryOut(BaseModel):
    """One value a category input may take."""

    code: str
    label_zh: str
    label_en: str


class InputOut(BaseModel):
    """A rule input the registry keeps as given (what PATCH /residents/{key}/facts accepts)."""

    name: str
    type: str
    unit: str
    label_zh: str
    label_en: str
    categories: list[CategoryOut]
    core: bool


@router.get("/inputs", response_model=list[InputOut], responses={401: {}, 422: {}})
def inputs(
    _principal: PrincipalDep,
    region: Annotated[
        str | None,
        Query(pattern=r"^[1-8]\d{5}$", description="where the person lives; omitted: every place's inputs"),
    ] = None,
) -> list[InputOut]:
    """The facts the rules of `region` (national → province → city) read and the registry keeps as given; without
    a region, those of every jurisdiction (what a registration anywhere may give: an office of a province or the
    whole country)."""
    kept = fact_types()
    return [
        InputOut(
            name=spec.name,
            type=spec.type,
            unit=spec.unit,
            label_zh=spec.label_zh,
            label_en=spec.label_en,
            categories=[CategoryOut(code=c.code, label_zh=c.label_zh, label_en=c.label_en) for c in spec.categories],
            core=spec.core,
        )
        for spec in person_inputs(region)
        if spec.name in kept
    ]
