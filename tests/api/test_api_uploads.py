"""Uploads of every table kind (issue 15): the same records as UTF-8 CSV, GBK CSV with Chinese headers, .xlsx and
Parquet give the same result; a bad file stores nothing and names each bad row; a city's facility list replaces
that city's supply only in /planning/gaps; person tables come back evaluated."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from api_support import ID_GZ, Service

from changzhu.api.upload_tables import UploadKind, schema_for
from changzhu.planning.datasets import datasets_root, stored_regions
from changzhu.rules.decision_sheet import WORDS

# one or two records per kind, by column name (values as a clerk types them)
RECORDS: dict[str, list[dict[str, str]]] = {
    "facility": [
        {"facility_id": "SZ-H-001", "name": "深圳市人民医院", "service": "医疗卫生机构床位", "region_code": "440303",
         "capacity": "2800", "lon": "114.12", "lat": "22.55", "coord_system": "WGS-84"},
        {"facility_id": "SZ-H-002", "name": "北京大学深圳医院", "service": "hospital_beds", "region_code": "440304",
         "capacity": "1,500", "lon": "", "lat": "", "coord_system": ""},
    ],
    "supply": [{"code": "440000", "beds_total": "560000", "licensed_doctors_incl_assistant": "300000",
                "registered_nurses": "350000", "primary_enrolment": "11000000", "primary_fulltime_teachers": "560000",
                "junior_secondary_enrolment": "4500000", "junior_secondary_fulltime_teachers": "300000"}],
    "standard": [{"region_code": "440300", "service": "hospital_beds", "standard_value": "4.5", "unit_cost_yuan": "",
                  "since": "2020年1月1日", "source": "《深圳市医疗卫生设施布局规划》第3条", "verified": "否"}],
    "population": [{"region_code": "440300", "pop_resident": "17560000", "pop_age_0_4": "", "pop_age_5_14": "",
                    "pop_age_0_14": "", "pop_age_65plus": "", "interprov_in_migrants": ""}],
    "person": [{"person_id": "1", "sex": "女", "birth_date": "1990/3/15", "hukou_region": "510100",
                "residence_region": "440300", "residence_since": "20190901", "residence_permit_since": "",
                "si_months_local": "60", "si_months_total": "96", "medical_months_local": "60", "prior_region": "",
                "prior_residence_months": "0", "prior_si_months": "0", "employed": "是", "education": "本科",
                "housing": "租房", "income_per_capita_month": "4500", "parent_id": "", "criminal_record": "否"}],
    "resident": [{"id_number": "51010420100606001X", "hukou_region": "510100", "residence_region": "440100",
                  "residence_since": "2024-09-01", "proof_kind": "就学", "proof_ref": "school-7", "employed": "否"}],
    "contribution": [{"id_number": ID_GZ, "scheme": "养老保险", "region": "440100", "period_from": "202501",
                      "period_to": "202506", "monthly_base_yuan": "6500"}],
}  # fmt: skip
UPLOADER = {"facility": "pl_gd", "supply": "pl_gd", "standard": "pl_gd", "population": "pl_gd", "person": "pl_nat",
            "resident": "cw_gz", "contribution": "cw_gz"}  # fmt: skip


@pytest.fixture(autouse=True)
def own_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test stores planning datasets in its own data home."""
    monkeypatch.setenv("CHANGZHU_HOME", str(tmp_path / "home"))


def _resident_id() -> str:
    from changzhu.registry.identity import check_char

    return "51010420100606777" + check_char("51010420100606777")


def _records(kind: str) -> list[dict[str, str]]:
    rows = RECORDS[kind]
    return [{**r, "id_number": _resident_id()} for r in rows] if kind == "resident" else rows


def _files(kind: str) -> dict[str, tuple[str, bytes]]:
    """The same records as a UTF-8 CSV, a GBK CSV with Chinese headers, an .xlsx and a Parquet file."""
    frame = pl.DataFrame(_records(kind))
    labels = {c.name: c.zh for c in schema_for(UploadKind(kind)).columns}
    utf8, xlsx, parquet = io.BytesIO(), io.BytesIO(), io.BytesIO()
    frame.write_csv(utf8)
    frame.write_excel(xlsx)
    frame.write_parquet(parquet)
    gbk = frame.rename(labels, strict=False).write_csv().encode("gbk")
    return {
        "utf8": ("records.csv", utf8.getvalue()),
        "gbk": ("记录.csv", gbk),
        "xlsx": ("records.xlsx", xlsx.getvalue()),
        "parquet": ("records.parquet", parquet.getvalue()),
    }


def _upload(service: Service, kind: str, name: str, data: bytes, who: str | None = None, **params: str) -> Any:
    return service.client.post(
        f"/api/v1/uploads/{kind}",
        params=params,
        files={"file": (name, data, "application/octet-stream")},
        headers=service.as_(who or UPLOADER[kind]),
    )


@pytest.mark.parametrize("kind", [k.value for k in UploadKind])
def test_every_format_gives_the_same_result(service: Service, kind: str) -> None:
    results = {}
    for fmt, (name, data) in _files(kind).items():
        answer = _upload(service, kind, name, data, dry_run="true")
        assert answer.status_code == 200, (fmt, answer.text)
        results[fmt] = answer.json()
    first = results["utf8"]
    assert first["errors"] == [] and first["rows"] == len(RECORDS[kind]) and len(first["preview"]) == first["rows"]
    for fmt, got in results.items():
        assert got == first, fmt
    labels = {c.name: (c.zh, c.en) for c in schema_for(UploadKind(kind)).columns}
    columns = first["preview_columns"]
    assert [c["name"] for c in columns] == list(first["preview"][0])
    assert all((c["zh"], c["en"]) == labels[c["name"]] for c in columns), columns
    if kind == "person":
        assert first["stored_as"] == "evaluated" and first["decisions"][0]["person_id"] == 1
        assert [c["name"] for c in first["summary_columns"]] == list(first["summary"][0])
        assert all(c["zh"] != c["name"] for c in first["summary_columns"])
        outputs = next(c for c in first["summary_columns"] if c["name"] == "output")["values"]
        assert {row["output"] for row in first["summary"]} == set(outputs)  # every service or scheme by its title
        medical = {"zh": "常住地基本医疗保险", "en": "basic medical insurance where one lives"}
        assert outputs["medical_insurance"] == medical
    if kind in ("facility", "supply", "standard", "population"):
        assert first["stored"] == 0 and stored_regions(datasets_root(), kind) == []


@pytest.mark.parametrize("kind", ["facility", "supply", "standard", "population"])
def test_planning_datasets_store_the_same_rows_from_every_format(service: Service, kind: str) -> None:
    stored = []
    for name, data in _files(kind).values():
        answer = _upload(service, kind, name, data)
        assert answer.status_code == 200, answer.text
        assert answer.json()["stored"] == len(RECORDS[kind])
        (region,) = stored_regions(datasets_root(), kind)
        stored.append(pl.read_parquet(datasets_root() / region / f"{kind}.parquet"))
    assert all(s.equals(stored[0]) for s in stored)
    audit = service.client.get("/api/v1/audit", headers=service.as_("ad_nat")).json()["items"]
    assert any(a["action"] == f"upload_{kind}" and a["actor"] == f"user:{UPLOADER[kind]}" for a in audit)


def test_a_bad_file_stores_nothing_and_names_each_bad_row(service: Service) -> None:
    rows = [
        *_records("facility"),
        {**RECORDS["facility"][0], "facility_id": "SZ-H-003", "capacity": "很多"},
        {**RECORDS["facility"][0], "facility_id": "SZ-H-004", "region_code": "深圳"},
    ]
    data = pl.DataFrame(rows).write_csv().encode()
    answer = _upload(service, "facility", "设施.csv", data)
    assert answer.status_code == 422, answer.text
    body = answer.json()
    assert body["stored"] == 0 and body["rows"] == 4
    assert [(e["row"], e["column"], e["value"]) for e in body["errors"]] == [
        (4, "capacity", "很多"),
        (5, "region_code", "深圳"),
    ]
    assert "Shenzhen (440300)" in body["errors"][1]["reason_en"] and body["errors"][0]["reason_zh"] == "不是数字"
    assert len(body["preview"]) == 2
    assert [c["zh"] for c in body["preview_columns"]][:3] == ["设施编号", "名称", "服务"]
    assert stored_regions(datasets_root(), "facility") == []
    skipped = _upload(service, "facility", "设施.csv", data, skip_bad_rows="true")
    assert skipped.status_code == 200 and skipped.json()["stored"] == 2 and len(skipped.json()["errors"]) == 2
    assert stored_regions(datasets_root(), "facility") == ["440300"]


def test_a_facility_lists_refused_rows_name_each_region_with_its_city_and_code(service: Service) -> None:
    rows = [
        *_records("facility"),
        {**RECORDS["facility"][0], "facility_id": "SZ-H-003", "region_code": "南山区"},  # 鹤岗市 has one too
        {**RECORDS["facility"][0], "facility_id": "SZ-H-004", "lon": "116.397", "lat": "39.909"},  # in Beijing
    ]
    body = _upload(service, "facility", "设施.csv", pl.DataFrame(rows).write_csv().encode()).json()
    ambiguous, outside = body["errors"]
    assert ambiguous["reason_zh"].endswith("（鹤岗市南山区（230404）、深圳市南山区（440305））")
    assert ambiguous["reason_en"].endswith("(Nanshan District, Hegang (230404), Nanshan District, Shenzhen (440305))")
    assert "所填地区 深圳市罗湖区（440303）的边界外" in outside["reason_zh"]
    assert "km outside Luohu District, Shenzhen (440303), the region the row names" in outside["reason_en"]


def test_a_facility_lists_coordinates_are_converted_or_their_unknown_system_said(service: Service) -> None:
    """GCJ-02 read off a Gaode map is stored as WGS-84 (eviltransform's published Shenzhen pair); coordinates
    with no 坐标系 are kept as given and the upload's warnings say so, in Chinese and English."""
    gaode = {**RECORDS["facility"][0], "region_code": "440305", "lon": "113.9171764808363", "lat": "22.540796131694766"}
    rows = [{**gaode, "coord_system": "GCJ-02"}, {**gaode, "facility_id": "SZ-H-009", "coord_system": ""}]
    body = _upload(service, "facility", "设施.csv", pl.DataFrame(rows).write_csv().encode(), dry_run="true").json()
    assert body["errors"] == []
    converted, as_given = body["preview"]
    assert (converted["lon"], converted["lat"]) == pytest.approx((113.912316, 22.543847), abs=1e-6)
    assert converted["coord_system"] == "wgs84" and as_given["coord_system"] is None
    assert (as_given["lon"], as_given["lat"]) == (113.9171764808363, 22.540796131694766)
    [note] = [w for w in body["warnings"] if "坐标系" in w["zh"]]
    assert note["zh"].startswith("1 行给出经纬度但未注明坐标系（第 3 行）")
    assert note["en"].startswith("1 row gives coordinates without a coordinate system (row 3)")
    labelled = _upload(service, "facility", "设施.csv", pl.DataFrame(rows[:1]).write_csv().encode(), dry_run="true")
    assert not [w for w in labelled.json()["warnings"] if "坐标系" in w["zh"]]


def _beds(service: Service, level: str) -> dict[str, tuple[float, str]]:
    url = f"/api/v1/planning/gaps?level={level}&service=hospital_beds&basis=resident&province=440000&limit=500"
    items = service.client.get(url, headers=service.as_("pl_gd")).json()["items"]
    return {i["region_code"]: (i["supply"], i["supply_source"]) for i in items}


def test_a_city_facility_list_changes_that_city_only(service: Service) -> None:
    cities, provinces = _beds(service, "prefecture"), _beds(service, "province")
    name, data = _files("facility")["gbk"]
    answer = _upload(service, "facility", name, data)
    assert answer.status_code == 200, answer.text
    (replaced,) = answer.json()["replaced"]
    assert replaced["region_code"] == "440300" and replaced["facility_list_supply"] == 4300
    assert replaced["estimate_replaced"] == pytest.approx(cities["440300"][0])
    assert "estimated" in answer.json()["remains_estimated_en"]
    columns = {c["name"]: c for c in answer.json()["replaced_columns"]}
    assert list(columns) == list(replaced) and all(c["zh"] != c["name"] for c in columns.values())
    assert columns["region_code"]["values"] == {"440300": {"zh": "深圳市", "en": "Shenzhen"}}
    assert columns["service"]["values"]["hospital_beds"]["zh"] == "医疗卫生机构床位"
    assert columns["list_share_of_estimate"]["type"] == "share"
    (warning,) = answer.json()["warnings"]  # 4,300 listed beds against Shenzhen's estimate: the list looks partial
    assert "深圳市（440300）的医疗卫生机构床位" in warning["zh"]
    assert warning["en"].startswith("Hospital beds in Shenzhen (440300)")
    regions = next(c for c in answer.json()["preview_columns"] if c["name"] == "region_code")
    assert regions["zh"] == "所在地区" and regions["values"]["440303"]["zh"].endswith("罗湖区")
    after = _beds(service, "prefecture")
    assert after["440300"] == (4300, "facility list")
    assert {c: v for c, v in after.items() if c != "440300"} == {c: v for c, v in cities.items() if c != "440300"}
    province = _beds(service, "province")["440000"][0]
    assert province == pytest.approx(provinces["440000"][0] - cities["440300"][0] + 4300)


def test_jurisdiction_and_roles(service: Service) -> None:
    # a Chengdu district, without the Shenzhen coordinates (which would be refused as lying outside it)
    chengdu = pl.DataFrame([{**RECORDS["facility"][0], "region_code": "510104", "lon": None, "lat": None}])
    chengdu = chengdu.write_csv().encode()
    refused = _upload(service, "facility", "成都.csv", chengdu)
    assert refused.status_code == 403
    assert refused.json()["message"].endswith("row 2 (Jinjiang District, Chengdu (510104))")  # its city named too
    name, data = _files("facility")["utf8"]
    assert _upload(service, "facility", name, data, who="cw_gz").status_code == 403
    province_wide = _upload(service, "facility", name, data, who="pl_gd", scope="province")
    assert province_wide.status_code == 200
    assert _upload(service, "facility", name, data, who="fo_nat").status_code == 403
    assert stored_regions(datasets_root(), "facility") == ["440000"]
    mixed = _upload(service, "facility", name, data, who="pl_gd")
    assert mixed.status_code == 409
    assert mixed.json()["message"].startswith("a facility list of another scope is stored for Guangdong (440000) in")
    chinese = _upload(service, "facility", name, data, who="pl_gd", lang="zh").json()["message"]
    assert chinese.startswith("同一省内已存储了另一范围的设施清单：广东省（440000）；")


def test_a_person_table_comes_back_decided_as_a_file(service: Service) -> None:
    name, data = _files("person")["gbk"]
    answer = service.client.post(
        "/api/v1/uploads/person?format=csv&on=2026-06-01",
        files={"file": (name, data, "text/csv")},
        headers=service.as_("pl_nat"),
    )
    assert answer.status_code == 200, answer.text
    assert answer.content.startswith("\ufeff".encode()) and b"person_id" in answer.content
    decided = pl.read_csv(io.BytesIO(answer.content[3:]))
    assert decided.height == 1 and decided["person_id"].to_list() == [1]
    outside = _upload(service, "person", name, data, who="pl_gd")
    assert outside.status_code == 200
    assert _upload(service, "person", name, data, who="cw_cd").status_code == 403


def test_a_person_table_comes_back_as_the_workbook_an_office_reads(service: Service) -> None:
    """format=xlsx: titles and words in the asked language, the fields behind each column on a second sheet."""
    name, data = _files("person")["gbk"]
    for lang, decisions, columns, permit in (("en", "decisions", "columns", "residence permit (juzhuzheng)"),
                                             ("zh", "决定", "列说明", "居住证")):  # fmt: skip
        answer = service.client.post(
            f"/api/v1/uploads/person?format=xlsx&lang={lang}&on=2026-06-01",
            files={"file": (name, data, "text/csv")},
            headers=service.as_("pl_nat"),
        )
        assert answer.status_code == 200, answer.text
        sheets = pl.read_excel(io.BytesIO(answer.content), sheet_id=0)
        assert list(sheets) == [decisions, columns]
        assert sheets[decisions][permit].to_list()[0] in WORDS[lang].values()
        assert not any("_" in header for header in sheets[decisions].columns)


@pytest.mark.parametrize("kind", [k.value for k in UploadKind])
def test_no_file_content_gives_a_server_error(service: Service, kind: str) -> None:
    """Random cells under the kind's own headers, in every format: answered 200, 403, 409 or 422, never 5xx."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    headers = list(_records(kind)[0])
    cell = st.one_of(st.text(max_size=12), st.sampled_from(["", "440300", "深圳市", "1e309", "-1", "是", "2026/2/30"]))

    @given(rows=st.lists(st.fixed_dictionaries({h: cell for h in headers}), min_size=1, max_size=4),
           suffix=st.sampled_from([".csv", ".xlsx", ".parquet", ".json"]))  # fmt: skip
    @settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def fuzz(rows: list[dict[str, str]], suffix: str) -> None:
        frame, buffer = pl.DataFrame(rows, schema=dict.fromkeys(headers, pl.String)), io.BytesIO()
        if suffix == ".csv":
            frame.write_csv(buffer)
        elif suffix == ".xlsx":
            frame.write_excel(buffer)
        elif suffix == ".parquet":
            frame.write_parquet(buffer)
        else:
            frame.write_json(buffer)
        answer = _upload(service, kind, f"f{suffix}", buffer.getvalue(), who="ad_nat", dry_run="true")
        assert answer.status_code in (200, 403, 409, 422), answer.text[:300]

    fuzz()


def _gap_row(service: Service, level: str, code: str, service_key: str) -> dict[str, Any]:
    url = f"/api/v1/planning/gaps?level={level}&service={service_key}&basis=resident&province=440000&limit=500"
    items = service.client.get(url, headers=service.as_("pl_gd")).json()["items"]
    (row,) = [i for i in items if i["region_code"] == code]
    return dict(row)


def test_stored_supply_standard_and_population_reach_the_gaps(service: Service) -> None:
    before_beds = _gap_row(service, "province", "440000", "hospital_beds")
    before_city = _gap_row(service, "prefecture", "440300", "hospital_beds")
    for kind in ("supply", "standard", "population"):
        name, data = _files(kind)["utf8"]
        assert _upload(service, kind, name, data).status_code == 200
    beds = _gap_row(service, "province", "440000", "hospital_beds")
    assert beds["supply"] == 560000 and before_beds["supply"] != 560000
    city = _gap_row(service, "prefecture", "440300", "hospital_beds")
    assert city["population"] == 17560000 and city["population"] != before_city["population"]
    assert city["standard_value"] == 4.5 and "scenario population" in city["population_note"]
    other = _gap_row(service, "prefecture", "440100", "hospital_beds")
    assert other["standard_value"] == before_city["standard_value"]


def test_an_uploaded_dataset_reaches_the_fiscal_results_at_once(service: Service) -> None:
    """The fiscal results are kept per process, keyed by the stored datasets: a supply upload changes the gap cost
    /fiscal/allocation/services reads without a restart."""

    def beds() -> float:
        url = "/api/v1/fiscal/allocation/services?limit=500"
        items = service.client.get(url, headers=service.as_("pl_gd")).json()["items"]
        (row,) = [i for i in items if i["region_code"] == "440000" and i["service"] == "hospital_beds"]
        return float(row["gap_cost_yuan"])

    before = beds()
    assert beds() == before  # the same datasets: the kept result
    few = [{**RECORDS["supply"][0], "beds_total": "1000"}]
    data = pl.DataFrame(few).write_csv().encode()
    assert _upload(service, "supply", "supply.csv", data).status_code == 200
    assert beds() > before  # 1,000 beds in Guangdong: a far larger gap to fund


def test_a_person_upload_is_checked_once(tmp_path: Path) -> None:
    """The uploads route reads a person table with the reader's cross-column check kept (evaluate then does not
    check the whole table again); a table whose check fails keeps nothing to pass on."""
    from changzhu.api.upload_tables import read_person_upload
    from changzhu.domain.person import CheckedPersonTable

    good = tmp_path / "people.csv"
    pl.DataFrame(RECORDS["person"]).write_csv(good)
    read, checked = read_person_upload(good)
    assert isinstance(checked, CheckedPersonTable) and checked.frame.equals(read.frame)
    twice = tmp_path / "twice.csv"
    pl.DataFrame(RECORDS["person"] * 2).write_csv(twice)  # the same person_id twice: the cross-column check fails
    read, checked = read_person_upload(twice)
    assert checked is None and read.errors


def test_a_person_upload_with_empty_facts_is_decided_undetermined_naming_them(service: Service) -> None:
    """A child's 犯罪记录 and insurance months left empty in an uploaded GBK CSV: unknown, decided as the registry
    decides a resident lacking them (undetermined, named), not the whole file refused as before."""
    header = (
        "编号,性别,出生日期,户籍地,常住地,居住起始日期,居住证办理日期,本地社保缴费月数,社保缴费总月数,本地医保缴费月数,"
        "上一居住地,上一居住地居住月数,上一居住地社保月数,合法稳定就业,学历,住房,家庭人均月收入,父母编号,犯罪记录"
    )
    row = "1,女,2017-03-15,510100,440300,2019-09-01,,,,,,0,0,否,小学,租房,4500,,"
    answer = service.client.post(
        "/api/v1/uploads/person?format=csv&on=2026-06-01",
        files={"file": ("people.csv", f"{header}\n{row}\n".encode("gbk"), "text/csv")},
        headers=service.as_("pl_nat"),
    )
    assert answer.status_code == 200, answer.text
    decided = pl.read_csv(io.BytesIO(answer.content[3:])).row(0, named=True)
    assert decided["undetermined_cross_province_settlement_filing"] is True
    assert decided["needs_cross_province_settlement_filing"] == "medical_months_local"
    assert decided["eligible_residence_permit"] is True
