"""`changzhu plan --lang zh|en`: the tables it prints, and the ones --export writes, are in the language asked for
(headers with their units, services, models, the province, the estimate marking and the status lines), never the
frames' column or service names nor a cell in both languages; the files under out/planning keep their codes."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from changzhu.cli.main import app

RAW = (
    "shortage_hukou_basis",
    "shortage_resident_basis",
    "cost_to_close_resident_yuan",
    "hospital_beds",
    "primary_school_places",
    "mean_km_before",
    "covered_share_after",
    "p_median",
    " / estimate",  # the estimate note in both languages in one cell
)


@pytest.mark.parametrize(
    ("lang", "words", "other"),
    [
        (
            "zh",
            (
                "各省短缺合计（只计有短缺的省份）",
                "医院床位",
                "估算：补齐费用按规划单位成本",
                "在哪里建医院：广东省新增",
                "平均距离前（公里）",
                "p-中位（总距离最小）",
                "最优",
                "数据表在",
            ),
            ("Guangdong", "Hospital beds", "estimate", "tables in", "optimal"),
        ),
        (
            "en",
            (
                "Shortage summed over provinces with a shortage",
                "Hospital beds",
                "estimate: the cost to close uses planning unit costs",
                "Where to build hospitals:",
                "in Guangdong",
                "Mean km before",
                "p-median (least total distance)",
                "tables in",
            ),
            ("广东", "医院", "估算", "亿元", "数据表"),
        ),
    ],
)
def test_printed_and_exported_plan_tables_follow_lang(
    lang: str, words: tuple[str, ...], other: tuple[str, ...], tmp_path: Path
) -> None:
    export = tmp_path / "printed.csv"
    args = ["plan", "--out", str(tmp_path / "out"), "--years", "5", "--p", "3", "--lang", lang]
    ran = CliRunner().invoke(app, [*args, "--export", str(export)])
    assert ran.exit_code == 0, ran.output
    printed = " ".join(ran.output.split())  # a long header folds over lines: the headers are read in the export
    assert [w for w in words if w not in printed] == []
    assert [w for w in (*other, *RAW) if w in printed] == []
    shortage = pl.read_csv(tmp_path / "printed_shortage.csv")
    note = "估算说明" if lang == "zh" else "What the estimate is"
    headers = {
        "zh": [
            "服务",
            "短缺：本地户籍常住口径（估算，张或个）",
            "短缺：常住口径（张或个）",
            "补齐费用：常住口径（估算，亿元）",
        ],
        "en": [
            "Service",
            "Shortage, local-hukou residents (estimate; beds or places)",
            "Shortage, residents (beds or places)",
            "Cost to close, residents (estimate, 100 million yuan)",
        ],
    }[lang]
    assert shortage.columns == [*headers, note]
    assert shortage[headers[3]].min() > 1  # in 亿元, not yuan
    assert shortage[note].str.starts_with("估算" if lang == "zh" else "estimate").all()
    sites = pl.read_csv(tmp_path / "printed_sites.csv")
    assert sites.columns[0] == ("模型" if lang == "zh" else "Model") and not set(RAW) & set(sites.columns)
    # the files for scripts keep the frames' codes, whatever the language
    results = pl.read_parquet(tmp_path / "out" / "planning" / "location_results.parquet")
    assert results["model"].to_list() == ["p_median", "max_covering", "set_covering"]
    # the report's note says whose standards the demand uses by their documents, never by the file that holds them
    # (it said "data/files/service_standards.yaml" to planners until 2026-12-05)
    (section,) = (tmp_path / "out" / "sections").glob("*_planning.html")
    said = section.read_text(encoding="utf-8")
    assert [w for w in ("data/", ".yaml", "service_standards") if w in said] == []
    documents = {
        "zh": ("《全国医疗卫生服务体系规划纲要（2015—2020年）》", "《中华人民共和国义务教育法》", "〔2014〕72号"),
        "en": ("National Medical and Health Service System Plan 2015–2020", "Compulsory Education Law", "2014 staff"),
    }[lang]
    assert [d for d in documents if d not in said] == []


def test_the_incomplete_list_warning_names_the_region_and_service_in_the_language() -> None:
    from changzhu.domain.lang import Lang
    from changzhu.report.plan_tables import incomplete_in

    replaced = pl.DataFrame(
        {
            "region_code": ["440300"],
            "service": ["hospital_beds"],
            "facilities": [2],
            "facility_list_supply": [5000.0],
            "estimate_replaced": [60000.0],
            "list_share_of_estimate": [5000 / 60000],
        }
    )
    (zh,) = incomplete_in(replaced, Lang.ZH)
    (en,) = incomplete_in(replaced, Lang.EN)
    assert zh.startswith("深圳市（440300）的医院床位：清单只有它替换的估计供给的 8.3%") and "hospital_beds" not in zh
    assert en.startswith("Hospital beds in Shenzhen (440300): the list holds 8.3%") and "深圳" not in en


def test_the_incomplete_list_warning_of_a_region_without_a_name_says_its_code_once() -> None:
    """A code the shipped names lack (a region created since) is said once, as in Chinese, not "990300 (990300)"."""
    from changzhu.domain.lang import Lang
    from changzhu.report.plan_tables import incomplete_in

    replaced = pl.DataFrame(
        {
            "region_code": ["990300"],
            "service": ["hospital_beds"],
            "facilities": [1],
            "facility_list_supply": [50.0],
            "estimate_replaced": [600.0],
            "list_share_of_estimate": [50 / 600],
        }
    )
    (zh,) = incomplete_in(replaced, Lang.ZH)
    (en,) = incomplete_in(replaced, Lang.EN)
    assert zh.count("990300") == 1 and zh.startswith("地区 990300 的医院床位："), zh  # not glued: 990300医院床位
    assert en.startswith("Hospital beds in region 990300: the list holds 8.3%"), en


def test_plan_as_csv_keeps_the_estimate_note_on_every_row(tmp_path: Path) -> None:
    args = ["plan", "--out", str(tmp_path), "--years", "5", "--p", "3", "--lang", "en", "--format", "csv"]
    ran = CliRunner().invoke(app, args)
    assert ran.exit_code == 0, ran.output
    lines = ran.output.splitlines()
    first = next(i for i, line in enumerate(lines) if line.startswith("Service,"))
    header, beds, places = lines[first : first + 3]
    assert header.startswith("Service,") and header.endswith(",What the estimate is")
    assert beds.startswith("Hospital beds,") and '"estimate: the cost to close' in places


def test_the_plan_s_warnings_on_a_facility_list_are_in_chinese_with_a_full_width_colon(tmp_path: Path) -> None:
    """A hospital list with coordinates but no 坐标系, holding a small part of the city's beds: the two warnings
    read "warning: …" (English before a Chinese sentence) and "注意: …" (a half-width colon); both 注意：… now."""
    facilities = tmp_path / "医院.csv"
    facilities.write_bytes(
        "医院名称,所在区,床位数,类别,经度,纬度\r\n深圳市人民医院,440303,2800,床位,114.12,22.55\r\n".encode("gbk")
    )
    args = ["plan", "--facilities", str(facilities), "--out", str(tmp_path / "out"), "--lang", "zh"]
    ran = CliRunner().invoke(app, args)
    assert ran.exit_code == 0, ran.output
    assert ran.output.count("注意：") >= 2, ran.output
    assert "warning:" not in ran.output and "注意:" not in ran.output
