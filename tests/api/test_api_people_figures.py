"""What a planner, a fiscal official and an analyst read from the API besides the screen: the files for people
(format=csv|xlsx&lang=) carry figures at the precision they are read in (people, places and yuan whole, yuan per
resident to the fen, indices to three decimals) while the files for scripts keep them as computed; the runs' file
declares its `lang` as the other file routes do; an unknown scenario is said so without the file ids of the shipped
ones; a region named with its code in a Chinese message takes full-width brackets."""

from __future__ import annotations

import io
import re

import polars as pl
from api_support import SCENARIOS, Service

from changzhu.api.scenario_files import scenario_paths
from changzhu.api.scenario_runs import runs_file_in
from changzhu.domain.lang import Lang

CJK = re.compile(r"[\u4e00-\u9fff]")
PEOPLE_FILES = (  # (path, who): the tables by region a person downloads
    ("fiscal/transfers", "fo_nat"),
    ("fiscal/allocation", "fo_nat"),
    ("fiscal/allocation/services", "fo_nat"),
    ("fiscal/flows", "fo_nat"),
    ("planning/gaps", "pl_nat"),
)


def _file(service: Service, path: str, query: str, who: str) -> pl.DataFrame:
    got = service.client.get(f"/api/v1/{path}?limit=500&{query}", headers=service.as_(who))
    assert got.status_code == 200, got.text
    if "xlsx" in query:
        return pl.read_excel(io.BytesIO(got.content))
    return pl.read_csv(io.BytesIO(got.content), infer_schema_length=None)


def _decimals(frame: pl.DataFrame) -> dict[str, int]:
    """The most decimals a figure of each numeric column carries (as a CSV writes it)."""
    most: dict[str, int] = {}
    for column, dtype in frame.schema.items():
        if dtype.is_float():
            written = [repr(v) for v in frame[column].drop_nulls().to_list()]
            most[column] = max((len(w.split(".")[1]) for w in written if "." in w and "e" not in w), default=0)
    return most


def test_the_files_for_people_are_rounded_and_the_files_for_scripts_are_not(service: Service) -> None:
    for path, who in PEOPLE_FILES:
        plain = _file(service, path, "format=csv", who)
        for lang in ("zh", "en"):
            for fmt in ("csv", "xlsx"):
                read = _file(service, path, f"format={fmt}&lang={lang}", who)
                assert read.height == plain.height, (path, lang, fmt)
                noisy = {c: d for c, d in _decimals(read).items() if d > 3}
                assert not noisy, (path, lang, fmt, noisy)
    transfers = _file(service, "fiscal/transfers", "format=csv", "fo_nat")
    assert _decimals(transfers)["settled"] > 3 and _decimals(transfers)["capacity_factor"] > 3  # as computed
    for lang, settled, per_head, factor in (
        ("zh", "落户人数（假设，人）", "人均转移支付（常住，元/人）", "承载系数"),
        ("en", "People settled, assumed (people)", "Transfer per resident (yuan per resident)", "Capacity factor"),
    ):
        read = _file(service, "fiscal/transfers", f"format=csv&lang={lang}", "fo_nat")
        by_code = dict(zip(read[read.columns[0]].cast(pl.String), read.iter_rows(named=True), strict=True))
        beijing, raw = by_code["110000"], transfers.filter(pl.col("region_code") == 110000).row(0, named=True)
        figures = {c: beijing[c] for c in read.columns if c in (settled, per_head, factor)}
        assert figures == {
            settled: round(raw["settled"]),
            per_head: round(raw["transfer_per_resident"], 2),
            factor: round(raw["capacity_factor"], 3),
        }, (lang, read.columns)
    gaps = _file(service, "planning/gaps", "format=csv&lang=en&service=hospital_beds", "pl_nat")
    assert gaps.schema["Cost to close the gap, estimate (yuan)"] == pl.Int64
    assert gaps.schema["Demand (beds, places or staff)"] == pl.Int64, gaps.schema


def test_the_runs_file_declares_its_language_in_openapi(service: Service) -> None:
    spec = service.client.get("/api/v1/openapi.json").json()
    for path in ("/api/v1/scenarios/runs", "/api/v1/fiscal/transfers", "/api/v1/planning/gaps"):
        params = {p["name"]: p for p in spec["paths"][path]["get"]["parameters"]}
        assert "lang" in params and "format" in params, (path, sorted(params))
        assert params["lang"]["in"] == "query" and "zh" in str(params["lang"]["schema"]), params["lang"]
    zh = service.client.get("/api/v1/scenarios/runs?format=csv&lang=zh", headers=service.as_("fo_nat"))
    assert zh.status_code == 200, zh.text


def test_an_unknown_scenario_is_said_so_without_the_ids_of_the_shipped_ones(service: Service) -> None:
    shipped = scenario_paths(SCENARIOS)
    assert shipped
    for lang in ("zh", "en"):
        got = service.client.post(
            f"/api/v1/scenarios/no_such_reform/runs?lang={lang}", json={}, headers=service.as_("fo_nat")
        )
        assert got.status_code == 404, got.text
        message = got.json()["message"]
        assert "no_such_reform" in message and ("“改革模拟”页" if lang == "zh" else "the Reforms page") in message, (
            message
        )
        assert not [name for name in shipped if name in message], message
        assert ("改革模拟" in message) if lang == "zh" else not CJK.search(message), message


def test_a_chinese_message_names_a_region_with_full_width_brackets(service: Service) -> None:
    move = {"to_region": "510100", "moved_on": "2026-02-01", "proof_kind": "housing", "proof_ref": "lease-9"}
    path = f"/api/v1/residents/{service.people['cd']}/moves"
    zh = service.client.post(f"{path}?lang=zh", json=move, headers=service.as_("cw_gz")).json()["message"]
    en = service.client.post(f"{path}?lang=en", json=move, headers=service.as_("cw_gz")).json()["message"]
    assert zh.startswith("迁入地 成都市（510100）不在您的辖区（广州市（440100））内："), zh
    assert "Chengdu (510100)" in en and "（" not in en, en


def test_the_runs_file_says_the_data_version_in_words_its_digest_beside_for_support() -> None:
    """The runs file for people had the data version as stored (census2020+parameters:5e05…, a hex digest in a
    column a person reads); it says it in words as the run page does, the stored value in a column for support."""
    run = {
        "run_id": "r1", "title": "中考", "saved_scenario": True, "status": "done", "progress": 1.0, "message": None,
        "data_version": "census2020+parameters:5e05a1b2c3d4", "code_version": "changzhu 0.1.0", "created_by": "pl",
        "created_at": "2026-12-04T07:00:00+00:00", "started_at": None, "finished_at": None, "share_url": "/x",
    }  # fmt: skip
    (zh,) = runs_file_in([run], Lang.ZH)
    assert zh["数据版本"] == "2020 年全国人口普查；本系统的参数文件"
    assert zh["数据版本（技术支持用）"] == "census2020+parameters:5e05a1b2c3d4"
    (en,) = runs_file_in([run], Lang.EN)
    assert en["Data version"] == "The 2020 national census; this system's parameter files"  # as the run page
    assert en["Software version"] == "changzhu 0.1.0"  # headed as the run page heads it (was "code version")
