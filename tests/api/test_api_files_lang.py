"""The transfers, the allocation by service and the planning gaps as files for people (format=csv|xlsx&lang=): headers
in words with their units, provinces, services, bases and notes in that language, estimates said so; without `lang`
the codes and column names, as scripts read them (the allocation's and the winners' rule, docs/api.md)."""

from __future__ import annotations

import io
import re

import polars as pl
from api_support import Service

CJK, LATIN = re.compile(r"[\u3400-\u9fff]"), re.compile(r"[A-Za-z]")
RAW = {"region_name_zh", "transfer_yuan", "migrant_term_yuan", "gap_cost_yuan", "unmet_yuan", "basis", "estimate"}


def _file(service: Service, path: str, query: str, who: str = "fo_nat") -> pl.DataFrame:
    got = service.client.get(f"/api/v1/{path}?limit=500&{query}", headers=service.as_(who))
    assert got.status_code == 200, got.text
    if "xlsx" in query:
        return pl.read_excel(io.BytesIO(got.content))
    assert got.content.startswith(b"\xef\xbb\xbf")  # Excel opens it as UTF-8
    return pl.read_csv(io.BytesIO(got.content), infer_schema_length=None)


def _texts(frame: pl.DataFrame, but: str) -> list[str]:
    """Every header and text cell but the estimate note's (it cites the parameters it used by their paths)."""
    return [v for c in frame.columns for v in [c, *([] if c == but else frame[c].to_list())] if isinstance(v, str)]


def test_the_transfers_and_the_allocation_by_service_are_in_their_language(service: Service) -> None:
    for lang, foreign, note in (("zh", LATIN, "估算说明"), ("en", CJK, "What the estimate is")):
        transfers = _file(service, "fiscal/transfers", f"format=csv&lang={lang}")
        assert transfers.height == 31 and not RAW & set(transfers.columns), transfers.columns
        assert not [t for t in _texts(transfers, note) if foreign.search(t)], lang
        transfer = "转移支付（元）" if lang == "zh" else "Transfer (yuan)"
        assert (
            transfers[transfer].sum() > 0 and transfers[note].str.starts_with(note[:2] if lang == "zh" else "est").all()
        )
        cells = _file(service, "fiscal/allocation/services", f"format=xlsx&lang={lang}")
        assert not RAW & set(cells.columns) and not [t for t in _texts(cells, note) if foreign.search(t)], lang
        services = "服务" if lang == "zh" else "Service"
        assert ("医院床位" if lang == "zh" else "Hospital beds") in cells[services].to_list()
        unmet = "未满足需求（估算，元）" if lang == "zh" else "Unmet need, estimate (yuan)"
        assert unmet in cells.columns
    plain = _file(service, "fiscal/allocation/services", "format=csv")  # for scripts: the codes
    assert {"region_code", "service", "unmet_yuan", "estimate"} <= set(plain.columns)
    assert "hospital_beds" in plain["service"].to_list()


def test_the_planning_gaps_file_is_in_its_language(service: Service) -> None:
    zh = _file(service, "planning/gaps", "format=csv&lang=zh&service=primary_school_places", "pl_nat")
    assert not (RAW | {"population_note", "demand", "supply_source"}) & set(zh.columns), zh.columns
    guangdong = zh.filter(pl.col("地区代码") == 440000, pl.col("人口口径") == "本地户籍常住人口").row(0, named=True)
    assert guangdong["地区"] == "广东省" and guangdong["服务"] == "小学学位" and guangdong["需求为估算"] == "是"
    assert (
        guangdong["人口说明"].startswith("本地户籍常住人口 = 常住人口 − 跨省流入人口")
        and "估算" in guangdong["人口说明"]
    )
    assert guangdong["供给来源"] == "国家统计局分省年度数据 2019" and guangdong["成本类型"] == "建设一次"
    assert zh["补齐缺口费用（估算，元）"].sum() > 0
    en = _file(service, "planning/gaps", "format=xlsx&lang=en&service=hospital_beds", "pl_nat")
    assert not [t for t in _texts(en, "Standard's source") if CJK.search(t)]  # the standard's source: a document title
    assert set(en["Population basis"]) == {"residents", "local-hukou residents"} and set(en["Service"]) == {
        "Hospital beds"
    }
    plain = _file(service, "planning/gaps", "format=csv&service=hospital_beds", "pl_nat")  # for scripts: the codes
    assert {"region_name_zh", "basis", "population_note"} <= set(plain.columns)
    assert set(plain["basis"]) == {"resident", "local_hukou_resident"}


def test_the_transfers_file_says_which_figures_are_assumed(service: Service) -> None:
    """No 落户 counts ship: the settled and served migrants are the scheme's assumption (shares of the in-migrants),
    and the incentive term and the land quota follow from them; the file's headers and its note say so in each
    language. The migrant term is by the census's in-migrants, not an estimate (before, the headers had it the
    other way round: 落户人数（人）, 建设用地指标（平方米） and 流动人口项（估算，元）)."""
    words = {
        "zh": (
            ("落户人数（假设，人）", "享受服务的流动人口（假设，人）", "激励项（按假设落户人数，元）"),
            ("建设用地指标（按假设落户人数，平方米）", "流动人口项（元）", "计入人口（含户籍人口估算，人）"),
            "估算说明",
            "落户人数与享受服务的流动人口为情景假设：分别为跨省流入人口的 5% 与 100%",
        ),
        "en": (
            ("People settled, assumed (people)", "Migrants served, assumed (people)"),
            ("Incentive term, on assumed settlement (yuan)", "Migrant term (yuan)"),
            "What the estimate is",
            "people settled and migrants served are a scenario assumption: 5% and 100% of inter-provincial in-migrants",
        ),
    }
    for lang, (first, second, note, assumed) in words.items():
        transfers = _file(service, "fiscal/transfers", f"format=xlsx&lang={lang}")
        assert set(first + second) <= set(transfers.columns), transfers.columns
        assert transfers[note].str.contains(assumed, literal=True).all(), transfers[note][0]
        settled = transfers.columns[transfers.columns.index(first[0])]
        assert transfers.schema[settled].is_numeric()  # a number cell, not text
