"""The reform builder groups parameters under their section's name: every section GET /parameters gives has a name in
both of the builder's languages (a group shown as "财政转移 · cost_sharing" puts a raw key in front of an analyst)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from changzhu.api.routes.parameters import parameter_nodes

LOCALES = Path(__file__).resolve().parents[2] / "frontend" / "src" / "locales"


def _sections() -> set[str]:
    """The codes the builder names a group by (ReformBuilderView's tree: a tree parameter's file and its section)."""
    codes = set()
    for node in parameter_nodes(date(2026, 12, 2)):
        codes.add(node["service"])
        if node["kind"] == "tree":
            codes.add(node["key"].split(".")[0])
    return codes


@pytest.mark.parametrize("language", ["zh-CN", "en"])
def test_every_parameter_section_has_a_name(language: str) -> None:
    names = json.loads((LOCALES / f"reform.{language}.json").read_text(encoding="utf-8"))["rf"]["service"]
    unnamed = sorted(code for code in _sections() if not names.get(code))
    assert not unnamed, f"sections without a name in reform.{language}.json: {unnamed}"
