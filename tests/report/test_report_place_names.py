"""English report maps name prefectures and counties in English (the hover text read 番禺区 on an English page)."""

from __future__ import annotations

from changzhu.report.lang import Lang
from changzhu.report.population import level_maps


def _hover(lang: Lang) -> str:
    return " ".join(str(t) for figure in level_maps(lang) for trace in figure.data for t in (trace.text or ()))


def test_level_maps_name_places_in_the_readers_language() -> None:
    english, chinese = _hover(Lang.EN), _hover(Lang.ZH)
    assert "Panyu District" in english and "Guangzhou" in english and "番禺区" not in english
    assert "番禺区" in chinese and "Panyu District" not in chinese
    assert "Panyu District, Guangzhou" in english and "广州市番禺区" in chinese  # a district with its city
