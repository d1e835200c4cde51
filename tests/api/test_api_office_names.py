"""What the office names instead of codes and keys: regions offered inside a jurisdiction with their full names,
a residents filter by a region containing the place lived in, audit actors and subjects by name (never a person),
refused upload cells by the schema column's label beside the header as written, scenarios by bilingual titles."""

from __future__ import annotations

from api_support import PASSWORD, Service

from changzhu.api.auth.accounts import create_user
from changzhu.api.auth.roles import Role
from changzhu.api.upload_tables import ColumnNames, UploadKind, problem, schema_for
from changzhu.domain.refusals import RefusalCode, refusal
from changzhu.store.db import session_scope
from changzhu.store.models import RegionRow
from changzhu.store.resident_models import PersonRow


def _codes(service: Service, who: str, query: str) -> dict[str, dict[str, str]]:
    answer = service.client.get(f"/api/v1/regions?{query}&limit=500", headers=service.as_(who))
    assert answer.status_code == 200, answer.text
    return {r["code"]: r for r in answer.json()["items"]}


def test_regions_of_ones_jurisdiction_with_full_names(service: Service) -> None:
    mine = _codes(service, "cw_gz", "mine=true")
    assert "440100" in mine and "440113" in mine  # the city and its districts
    assert all(code.startswith("4401") for code in mine)  # nothing outside Guangzhou
    assert mine["440113"]["full_name_zh"] == "广东省广州市番禺区"
    assert mine["440113"]["full_name_en"] == "Panyu District, Guangzhou, Guangdong"
    nanshan = _codes(service, "cw_gz", "name=南山区")  # without `mine`: anywhere, each told apart by its parents
    assert {r["full_name_zh"] for r in nanshan.values()} == {"广东省深圳市南山区", "黑龙江省鹤岗市南山区"}
    assert _codes(service, "cw_gz", "mine=true&name=Shenzhen") == {}  # outside the caseworker's city
    assert list(_codes(service, "pl_gd", "mine=true&name=Shenzhen")) == ["440300"]
    assert _codes(service, "cw_gz", "mine=true&code=440113")["440113"]["name_en"] == "Panyu District"
    assert _codes(service, "res_gz", "mine=true") == {}  # a resident has no jurisdiction
    beijing = _codes(service, "pl_nat", "mine=true&code=110101")["110101"]
    assert beijing["full_name_zh"] == "北京市东城区"  # a municipality's name once


def test_region_search_names_by_the_one_lookup(service: Service) -> None:
    """Full names (registry/region_names.py's full_region_names): a county named with the city the shipped regions
    give it (a Chongqing county under 重庆市, whose code names no city), a region an office added with the city and
    province its code names, in Chinese and English."""
    with session_scope(service.engine) as session:
        session.add(
            RegionRow(
                level="county", code="510199", name_zh="天府新区", name_en="Tianfu New Area", division_type="新区"
            )
        )
    added = _codes(service, "pl_nat", "code=510199")["510199"]
    assert (added["full_name_zh"], added["full_name_en"]) == (
        "四川省成都市天府新区",
        "Tianfu New Area, Chengdu, Sichuan",
    )
    wushan = _codes(service, "pl_nat", "code=500237")["500237"]
    assert (wushan["full_name_zh"], wushan["full_name_en"]) == ("重庆市巫山县", "Wushan County, Chongqing")
    nanshan = _codes(service, "pl_nat", "code=440305")["440305"]
    assert (nanshan["full_name_zh"], nanshan["full_name_en"]) == (
        "广东省深圳市南山区",
        "Nanshan District, Shenzhen, Guangdong",
    )


def test_residents_filtered_by_a_region_containing_where_they_live(service: Service) -> None:
    with session_scope(service.engine) as session:  # the worker moves to a district of Guangzhou
        person = session.query(PersonRow).filter_by(person_key=service.people["gz"]).one()
        person.residence_region = "440113"
    rows = {}
    for region in ("440100", "440113", "440106"):
        answer = service.client.get(f"/api/v1/residents?region={region}", headers=service.as_("cw_gz"))
        assert answer.status_code == 200, answer.text
        rows[region] = {r["person_key"] for r in answer.json()["items"]}
    assert rows["440100"] == {service.people["gz"], service.people["child"]}  # the city holds its districts
    assert rows["440113"] == {service.people["gz"]}
    assert rows["440106"] == set()
    assert service.client.get("/api/v1/residents?region=440000", headers=service.as_("cw_gz")).status_code == 403


def test_a_region_is_named_by_one_lookup_in_lists_and_in_errors(service: Service) -> None:
    """A district with its city wherever it is shown (the resident list named it alone), a region an office added
    as the registry names it."""
    with session_scope(service.engine) as session:  # a region the shipped regions do not hold, added by an office
        session.add(
            RegionRow(
                level="county", code="510199", name_zh="四川天府新区", name_en="Tianfu New Area", division_type="新区"
            )
        )
        session.flush()
        person = session.query(PersonRow).filter_by(person_key=service.people["gz"]).one()
        person.residence_region, person.hukou_region = "440113", "510199"
    answer = service.client.get("/api/v1/residents?region=440113", headers=service.as_("cw_gz"))
    assert answer.status_code == 200, answer.text
    [listed] = answer.json()["items"]
    assert (listed["residence_region_name"], listed["residence_region_name_en"]) == (
        "广州市番禺区",
        "Panyu District, Guangzhou",
    )
    assert (listed["hukou_region_name"], listed["hukou_region_name_en"]) == ("四川天府新区", "Tianfu New Area")
    move = {"to_region": "510199", "moved_on": "2026-02-01", "proof_kind": "housing", "proof_ref": "lease-9"}
    refused = service.client.post(
        f"/api/v1/residents/{service.people['cd']}/moves?lang=zh", json=move, headers=service.as_("cw_gz")
    ).json()
    assert refused["message"].startswith("迁入地 四川天府新区（510199）不在您的辖区（广州市（440100））内："), refused
    move["to_region"] = "510104"
    refused = service.client.post(
        f"/api/v1/residents/{service.people['cd']}/moves?lang=en", json=move, headers=service.as_("cw_gz")
    ).json()
    assert refused["message"].startswith("Jinjiang District, Chengdu (510104) is outside"), refused


def test_audit_names_actors_and_region_subjects_but_no_person(service: Service) -> None:
    create_user(service.engine, "cw_two", PASSWORD, Role.CASEWORKER, ["440100", "510100"])
    token = service.client.post("/api/v1/auth/login", json={"username": "cw_two", "password": PASSWORD})
    two = {"Authorization": f"Bearer {token.json()['access_token']}"}
    assert service.client.get("/api/v1/residents", headers=two).status_code == 200
    log = service.client.get("/api/v1/audit?actor=cw_two", headers=service.as_("ad_nat"))  # by the name shown
    assert log.status_code == 200, log.text
    listing = log.json()["items"][0]
    assert listing["actor"] == "user:cw_two"  # the record as written is kept
    assert (listing["actor_kind"], listing["actor_name"]) == ("user", "cw_two")
    assert listing["subject"] == "region:440100,510100" and listing["subject_kind"] == "region"
    assert (listing["subject_name_zh"], listing["subject_name_en"]) == ("广州市、成都市", "Guangzhou, Chengdu")
    assert listing["subject_regions"] == [
        {"code": "440100", "name_zh": "广州市", "name_en": "Guangzhou"},
        {"code": "510100", "name_zh": "成都市", "name_en": "Chengdu"},
    ]
    everything = service.client.get("/api/v1/audit?limit=200", headers=service.as_("ad_nat")).json()["items"]
    people = [i for i in everything if i["subject"] in service.people.values()]
    assert people and all(i["subject_kind"] == "person" and i["subject_name_zh"] is None for i in people)
    assert all(i["subject_person_key"] == i["subject"] for i in people)  # to open the record, an audited read
    system = [i for i in everything if i["actor"] == "test"]
    assert system and all((i["actor_kind"], i["actor_name"]) == ("system", "test") for i in system)
    policy = next(i for i in everything if i["action"] == "medical.policy")
    assert (policy["subject_kind"], policy["subject_name_zh"]) == ("region", "成都市")


def test_refused_cells_name_the_schema_column_and_the_header_as_written(service: Service) -> None:
    text = (
        "公民身份号码,户籍地,常住地,居住起始日期,证明类型,证明编号\n"
        "51010420100606001X,510100,440100,不是日期,就学,s-1\n"
    )
    answer = service.client.post(
        "/api/v1/uploads/resident?dry_run=true",
        files={"file": ("r.csv", text.encode(), "text/csv")},
        headers=service.as_("cw_gz"),
    )
    assert answer.status_code == 422, answer.text
    bad = next(e for e in answer.json()["errors"] if e["column"] == "居住起始日期")
    assert (bad["column_zh"], bad["header"]) == ("居住起始日期", "居住起始日期")
    assert bad["column_en"] == "resident since"  # the English label, for the English view
    assert bad["value"] == "不是日期"  # the refused value, as the reader found it
    names = ColumnNames(schema_for(UploadKind.RESIDENT))
    whole = problem(
        4, "row", refusal(RefusalCode.SAME_PERSON_AS, line=2), names=names
    )  # a registry import's whole-row problem
    assert (whole.column_zh, whole.column_en, whole.header) == ("整行", "whole row", None)
    headed = refusal(RefusalCode.COLUMN_MISSING_HEADERS, headers_zh="「证明类型」", headers_en='"proof"')
    missing = problem(1, "证明类型 (proof_kind)", headed, names=names)  # as the reader names it: as a template does
    assert (missing.column_zh, missing.header) == ("证明类型", None)
    assert (missing.reason_zh, missing.reason_en) == ("缺少此列", "column is missing")  # the page names the column
    template = problem(
        2, "常住地 (residence_region)", refusal(RefusalCode.UNKNOWN_REGION_CODE), names=names
    )  # a template's header
    assert (template.column_en, template.header) == ("place of residence", "常住地 (residence_region)")
    unknown = problem(1, "备注", refusal(RefusalCode.UNKNOWN_COLUMN), names=names)
    assert (unknown.column_zh, unknown.header) == (None, "备注")


def test_scenarios_carry_bilingual_titles(service: Service) -> None:
    answer = service.client.get("/api/v1/scenarios?limit=100", headers=service.as_("pl_nat"))
    assert answer.status_code == 200, answer.text
    shipped = [s for s in answer.json()["items"] if s["source"] == "file"]
    assert shipped and all(s["title_zh"] and s["title_en"] and s["summary_zh"] and s["summary_en"] for s in shipped)
    titled = {s["name"]: s["title_zh"] for s in shipped}
    assert titled["dibao_permit_holders"] == "居住证持有人在居住地申请低保"


def test_audit_names_vouchers_clearings_and_worded_subjects_in_both_languages(service: Service) -> None:
    """The subjects the system records by number or in English words are shown by name in Chinese and English: a
    voucher by its service, issuer and grouped number, a clearing by its two regions, a posted table by its size
    (one person, not "1 people"), a planning dataset by its kind, the ledger, an approval, a file; the record as
    written (its evidence) is unchanged."""
    from datetime import date

    from changzhu.ledger.vouchers import issue_voucher
    from changzhu.store import audit
    from changzhu.store import audit_subjects as about
    from changzhu.store.txn import write_session

    issued = issue_voucher(service.engine, service.people["gz"], "440100", "childcare", 50_000, date(2026, 6, 1),
                           date(2026, 12, 31), actor="test", key="audit-names-voucher")  # fmt: skip
    number = str(issued["voucher_no"])
    written = [about.between("440100", "510100"), about.table("posted", 1), about.table("uploaded", 30),
               about.dataset("supply"), about.LEDGER, about.approval(7), about.file("常住人口.xlsx"),
               about.voucher("FWQ-510100-00000000000000ff", "510100", "00000000000000ff")]  # fmt: skip
    with write_session(service.engine) as session:
        for subject in written:
            audit.append(session, actor="test", action="voucher.clear", subject=subject, details={}, reason="r")
    subjects = [s.text for s in written]
    items = service.client.get("/api/v1/audit?limit=200", headers=service.as_("ad_nat")).json()["items"]
    by_subject = {i["subject"]: i for i in items}
    voucher = by_subject[number]
    digits = number.split("-")[2]
    assert voucher["subject_kind"] == "voucher" and voucher["action"] == "voucher.issue"
    assert voucher["subject_voucher"] == {
        "number": " ".join(digits[i : i + 4] for i in range(0, 16, 4)),
        "service": "childcare",
        "issuer": {"code": "440100", "name_zh": "广州市", "name_en": "Guangzhou"},
    }
    unknown = by_subject["FWQ-510100-00000000000000ff"]  # a voucher not in this store: no service, still named
    assert unknown["subject_voucher"]["service"] is None
    assert unknown["subject_name_en"] == "voucher 0000 0000 0000 00ff of Chengdu"
    named = {s: (by_subject[s]["subject_kind"], by_subject[s]["subject_name_zh"], by_subject[s]["subject_name_en"])
             for s in subjects[:-1]}  # fmt: skip
    assert named == {
        "440100>510100": ("between", "广州市 → 成都市", "Guangzhou → Chengdu"),
        "posted table of 1 people": ("table", "经接口提交的 1 人名单", "a table of 1 person posted to the API"),
        "uploaded table of 30 people": ("table", "上传的 30 人名单", "an uploaded table of 30 people"),
        "planning dataset supply": ("dataset", "规划数据：分省服务供给", "planning dataset: supply by province"),
        "ledger": ("ledger", "账本", "the ledger"),
        "approval:7": ("approval", "复核事项 7 号", "review item no. 7"),
        "常住人口.xlsx": ("file", "文件 常住人口.xlsx", "file 常住人口.xlsx"),
    }
    assert [r["code"] for r in by_subject["440100>510100"]["subject_regions"]] == ["440100", "510100"]
    assert service.client.get("/api/v1/audit/verify", headers=service.as_("ad_nat")).json()["ok"] is True
