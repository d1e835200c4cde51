"""GET /population and /regions as files for people (format=csv|xlsx&lang=), as the fiscal files are: headers, names,
levels and size classes in words in that language, shares in per cent, the region's code kept in its own column,
every figure a number cell; without `lang` the codes and column names, as scripts read them (they kept code headers
such as pop_resident_2020 whatever was asked)."""

from __future__ import annotations

import io
import re

import polars as pl
from api_support import Service

from sheet_files import numbers_as_text

CJK, LATIN = re.compile(r"[\u3400-\u9fff]"), re.compile(r"[A-Za-z]")


def _get(service: Service, query: str) -> bytes:
    got = service.client.get(f"/api/v1/{query}", headers=service.as_("pl_nat"))
    assert got.status_code == 200, got.text
    return got.content


def _read(content: bytes, xlsx: bool) -> pl.DataFrame:
    if xlsx:
        return pl.read_excel(io.BytesIO(content))
    return pl.read_csv(io.BytesIO(content), infer_schema_length=None, schema_overrides={"地区代码": pl.String})


def test_the_population_file_is_in_its_language_with_the_code_kept(service: Service) -> None:
    for fmt in ("csv", "xlsx"):
        zh = _read(_get(service, f"population?level=province&limit=40&format={fmt}&lang=zh"), fmt == "xlsx")
        assert {"地区代码", "名称", "常住人口（2020，人）", "跨省流入占比（%）"} <= set(zh.columns), zh.columns
        guangdong = zh.filter(pl.col("地区代码").cast(pl.String) == "440000").row(0, named=True)
        assert guangdong["名称"] == "广东省" and guangdong["常住人口（2020，人）"] > 100_000_000
        assert 20 < guangdong["跨省流入占比（%）"] < 30  # in per cent, as the header says
        en = _read(_get(service, f"population?level=province&limit=40&format={fmt}&lang=en"), fmt == "xlsx")
        assert {"Region code", "Name", "Residents (2020, people)"} <= set(en.columns), en.columns
        assert "Guangdong" in en["Name"].to_list()
        assert not [c for c in en.columns if CJK.search(c)] and not [c for c in zh.columns if LATIN.search(c)]
    plain = _read(_get(service, "population?level=province&limit=40&format=csv"), False)
    assert {"code", "name_zh", "name_en", "pop_resident_2020"} <= set(plain.columns)  # for scripts: as before
    workbook = _get(service, "population?level=prefecture&limit=40&format=xlsx&lang=zh")
    assert all(ref.startswith("A") for sheet in numbers_as_text(workbook).values() for ref, _ in sheet)  # codes only


def test_the_regions_file_is_in_its_language_with_the_code_kept(service: Service) -> None:
    for lang, headers, shenzhen, level in (
        ("zh", {"地区代码", "名称", "全称", "层级", "城市规模等级", "常住人口（2020，人）"}, "深圳市", "地级"),
        ("en", {"Region code", "Name", "Full name", "Level", "City size class"}, "Shenzhen", "prefecture"),
    ):
        content = _get(service, f"regions?parent=440000&limit=50&format=xlsx&lang={lang}")
        frame = _read(content, True)
        assert headers <= set(frame.columns), frame.columns
        code = "地区代码" if lang == "zh" else "Region code"
        row = frame.filter(pl.col(code).cast(pl.String) == "440300").row(0, named=True)
        assert row["名称" if lang == "zh" else "Name"] == shenzhen and row["层级" if lang == "zh" else "Level"] == level
        assert not {"name_zh", "name_en", "full_name_zh", "pop_resident_2020"} & set(frame.columns)
        text = numbers_as_text(content)
        header = frame.columns
        assert {header[ord(ref[0]) - ord("A")] for sheet in text.values() for ref, _ in sheet} <= {
            code,
            "上级地区代码" if lang == "zh" else "Parent region code",
        }
    plain = _read(_get(service, "regions?parent=440000&limit=50&format=csv"), False)
    assert {"code", "name_zh", "level", "pop_resident_2020"} <= set(plain.columns)
