"""A warning naming a region's service reads as a sentence in both languages: 深圳市南山区（440305）的医院床位,
"hospital beds in Nanshan District, Shenzhen (440305)"; a region without a name (a code no table of names holds) is
said to be a region, 地区 440399 的医院床位, not glued to the word as "440399医院床位". One helper
(changzhu.domain.lang.of_region) for the upload's warning, `changzhu plan`'s and the report's note."""

from __future__ import annotations

import polars as pl

from changzhu.api.routes.uploads import _possibly_incomplete
from changzhu.api.upload_labels import ColumnLabel, ValueLabel
from changzhu.domain.lang import Lang, of_region, region_label
from changzhu.report.plan_tables import incomplete_in
from changzhu.report.planning import listed_supply

REPLACED = pl.DataFrame(
    {
        "region_code": ["440305", "440399"],  # 440399: no shipped region has it
        "service": ["hospital_beds", "hospital_beds"],
        "list_share_of_estimate": [0.2, 0.3],
        "facility_list_supply": [100.0, 50.0],
        "estimate_replaced": [500.0, 166.0],
    }
)


def test_the_helper_names_a_region_with_or_without_a_name() -> None:
    assert of_region("深圳市南山区", "440305", "医院床位", Lang.ZH) == "深圳市南山区（440305）的医院床位"
    assert of_region("", "440399", "医院床位", Lang.ZH) == "地区 440399 的医院床位"
    assert of_region("440399", "440399", "hospital beds", Lang.EN) == "hospital beds in region 440399"
    assert region_label("Shenzhen", "440300", Lang.EN) == "Shenzhen (440300)"


def test_plan_s_warning_names_an_unnamed_region_as_a_region() -> None:
    zh, other = incomplete_in(REPLACED, Lang.ZH)
    assert zh.startswith("深圳市南山区（440305）的医院床位：清单只有"), zh
    assert other.startswith("地区 440399 的医院床位：清单只有"), other
    en = incomplete_in(REPLACED, Lang.EN)
    assert en[0].startswith("Hospital beds in Nanshan District, Shenzhen (440305): the list holds 20%"), en
    assert en[1].startswith("Hospital beds in region 440399: the list holds 30%"), en


def test_the_report_s_note_names_an_unnamed_region_as_a_region() -> None:
    assert listed_supply(REPLACED, Lang.ZH).endswith("：深圳市南山区（440305）的医院床位；地区 440399 的医院床位")
    assert listed_supply(REPLACED, Lang.ZH, "hospital_beds").endswith("：深圳市南山区（440305）；地区 440399")
    assert listed_supply(REPLACED, Lang.EN).endswith(
        ": Hospital beds in Nanshan District, Shenzhen (440305); Hospital beds in region 440399"
    )


def test_the_upload_s_warning_names_an_unnamed_region_as_a_region() -> None:
    rows = REPLACED.to_dicts()
    columns = [
        ColumnLabel(
            name="region_code",
            zh="地区",
            en="region",
            type="region",
            values={"440305": ValueLabel(zh="深圳市南山区", en="Nanshan District, Shenzhen")},
        ),
        ColumnLabel(
            name="service",
            zh="服务",
            en="service",
            type="category",
            values={"hospital_beds": ValueLabel(zh="医院床位", en="hospital beds")},
        ),
    ]
    named, unnamed = _possibly_incomplete(rows, columns)
    assert named.zh.startswith("深圳市南山区（440305）的医院床位：清单只有所替换估计供给的 20%"), named.zh
    assert unnamed.zh.startswith("地区 440399 的医院床位："), unnamed.zh
    assert named.en.startswith("Hospital beds in Nanshan District, Shenzhen (440305): the list holds"), named.en
    assert unnamed.en.startswith("Hospital beds in region 440399: the list holds"), unnamed.en


def test_the_upload_s_warning_names_a_region_named_in_chinese_only_and_an_unnamed_service_in_words() -> None:
    """A region with a Chinese name and no English one is named in English by its Chinese name and code (深圳市
    (440300)), as changzhu.domain.lang.with_code writes it, not "region 440300" as if it had no name; a service no
    label names is said to be a service, in words, never its code (was "my_service in region 440300")."""
    rows = [{**row, "region_code": "440300", "service": "my_service"} for row in REPLACED.head(1).to_dicts()]
    columns = [
        ColumnLabel(name="region_code", zh="地区", en="region", type="region",
                    values={"440300": ValueLabel(zh="深圳市", en="")}),
        ColumnLabel(name="service", zh="服务", en="service", type="category", values={}),
    ]  # fmt: skip
    (warned,) = _possibly_incomplete(rows, columns)
    assert warned.en.startswith("An unnamed service in 深圳市 (440300): the list holds"), warned.en
    assert warned.zh.startswith("深圳市（440300）的未列名服务："), warned.zh
    assert "my_service" not in warned.en + warned.zh and "region 440300" not in warned.en
