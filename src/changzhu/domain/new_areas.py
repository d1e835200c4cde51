"""Places people write for a region that are no county-level division of GB/T 2260 (a national new area managed
across several counties): what each is and the counties it spans, so that a reader of a region can say so and
offer those counties instead of a wrong near match (天府新区 is not 德州天衢新区).

Sources (public; none is the project's own survey): 《国务院关于同意设立四川天府新区的批复》(国函〔2014〕133号),
as summarised by public pages: the area spans parts of 成都高新区 (a development zone, no county code of its own),
双流区, 龙泉驿区, 新津区 (新津县 until 2020) and 简阳市 (under 资阳市 until 2016) in Chengdu, and 彭山区 and 仁寿县 in
Meishan; 1,578 km², of which the 成都直管区 (directly administered part) is 564 km². Unverified: which towns of
双流区 and 龙泉驿区 the 成都直管区 holds, and whether 简阳市's part is still counted in it today. The codes are the
shipped region table's (tests/geography/test_new_areas.py checks them there)."""

from __future__ import annotations

from dataclasses import dataclass

from changzhu.domain.refusals import Refusal, RefusalCode, refusal


@dataclass(frozen=True)
class NewArea:
    """An area people name as a place: its name (zh, en), the words for it, what it is (zh, en), and the counties it
    spans as (code, Chinese name, English name)."""

    name_zh: str
    name_en: str
    words: tuple[str, ...]
    what_zh: str
    what_en: str
    counties: tuple[tuple[str, str, str], ...]

    def options_zh(self) -> str:
        return "、".join(f"{zh} {code}" for code, zh, _ in self.counties)

    def options_en(self) -> str:
        return ", ".join(f"{en} {code}" for code, _, en in self.counties)


TIANFU = NewArea(
    "四川天府新区",
    "Sichuan Tianfu New Area",
    (
        "天府新区",
        "四川天府新区",
        "成都天府新区",
        "天府新区成都直管区",
        "天府新区直管区",
        "天府新区成都片区",
        "tianfu new area",
        "sichuan tianfu new area",
        "tianfu new district",
    ),
    "国家级新区（国函〔2014〕133号设立），由成都、眉山两市的区县各管一部分，没有自己的区划代码",
    "a national new area (State Council, 2014) whose land the counties of Chengdu and Meishan each administer in"
    " part; it has no division code of its own",
    (
        ("510116", "双流区", "Shuangliu District"),
        ("510112", "龙泉驿区", "Longquanyi District"),
        ("510118", "新津区", "Xinjin District"),
        ("510185", "简阳市", "Jianyang City"),
        ("511403", "彭山区", "Pengshan District"),
        ("511421", "仁寿县", "Renshou County"),
    ),
)
NEW_AREAS = (TIANFU,)


def new_area(word: str) -> NewArea | None:
    """The area `word` names (its words compared without case and spaces), or None."""
    key = "".join(word.split()).lower()
    for area in NEW_AREAS:
        if key in {"".join(w.split()).lower() for w in area.words}:
            return area
    return None


def new_area_refusal(word: str, area: NewArea) -> Refusal:
    """Why `word` is not a region, with what the area is and the counties to choose from."""
    return refusal(
        RefusalCode.NOT_A_REGION_NEW_AREA,
        name=word,
        what_zh=area.what_zh,
        what_en=area.what_en,
        options_zh=area.options_zh(),
        options_en=area.options_en(),
    )
