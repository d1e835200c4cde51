"""Errors in the caller's language: each body names its code and parameters and gives `message` in Chinese or
English (Accept-Language, or ?lang=), one language only, a place with its name; a 422 names each field as the
office labels it."""

from __future__ import annotations

import re
from typing import Any

from api_support import Service

CHINESE = {"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.8"}
ENGLISH = {"Accept-Language": "en-US,en;q=0.9"}
LATIN = re.compile(r"[A-Za-z]")


def _both(service: Service, method: str, path: str, who: str | None, **kwargs: Any) -> tuple[Any, Any]:
    """The same request asked in Chinese and in English: the two answers' bodies."""
    auth = service.as_(who) if who else {}
    zh = service.client.request(method, path, headers={**auth, **CHINESE}, **kwargs)
    en = service.client.request(method, path, headers={**auth, **ENGLISH}, **kwargs)
    assert zh.status_code == en.status_code, (zh.json(), en.json())
    assert {k: v for k, v in zh.json().items() if k != "message"} == {
        k: v for k, v in en.json().items() if k != "message"
    } or zh.json()["error"] == "invalid_request"
    return zh, en


def test_a_move_into_another_province_is_refused_in_the_callers_language(service: Service) -> None:
    move = {"to_region": "510100", "moved_on": "2026-02-01", "proof_kind": "housing", "proof_ref": "lease-9"}
    zh, en = _both(service, "POST", f"/api/v1/residents/{service.people['cd']}/moves", "cw_gz", json=move)
    assert zh.status_code == 403 and zh.json()["error"] == "forbidden"
    assert zh.json()["code"] == "move_recorded_where_arrived"  # and who records it (was region_outside alone)
    assert zh.json()["params"] == {"region": "510100", "scopes": ["440100"]}
    wanted = (
        "迁入地 成都市（510100）不在您的辖区（广州市（440100））内："
        "迁移由迁入地的经办机构登记（此人在当地出示身份证件办理）"
    )
    assert zh.json()["message"] == wanted
    assert en.json()["message"].startswith("Chengdu (510100) is outside your jurisdiction (Guangzhou (440100)): a move")
    assert not re.search(r"[\u4e00-\u9fff]", en.json()["message"])


def test_no_header_means_chinese_and_lang_overrides_the_header(service: Service) -> None:
    path = "/api/v1/regions/119999"
    plain = service.client.get(path, headers={**service.as_("pl_nat"), "Accept-Language": ""})
    asked = service.client.get(path + "?lang=en", headers={**service.as_("pl_nat"), **CHINESE})
    assert plain.json()["message"] == "没有代码为 119999 的地区"
    assert asked.json()["message"] == "no region has code 119999"


def test_a_missing_region_is_not_found_in_both_languages(service: Service) -> None:
    zh, en = _both(service, "GET", "/api/v1/regions/119999", "pl_nat")
    assert zh.status_code == 404 and zh.json()["error"] == "not_found"
    assert (zh.json()["code"], zh.json()["params"]) == ("no_region", {"code": "119999"})
    assert zh.json()["message"] == "没有代码为 119999 的地区"
    assert en.json()["message"] == "no region has code 119999"


def test_a_scenario_name_taken_is_a_conflict_in_both_languages(service: Service) -> None:
    shipped = service.client.get(
        "/api/v1/scenarios/entrance_exam_residence_1y/yaml", headers=service.as_("pl_nat")
    ).text
    zh, en = _both(service, "POST", "/api/v1/scenarios", "pl_nat", json={"yaml": shipped})
    assert zh.status_code == 409 and zh.json()["error"] == "conflict" and zh.json()["code"] == "scenario_exists"
    assert (
        zh.json()["message"]
        == "名为 entrance_exam_residence_1y 的方案已存在：请换一个名称，或在“改革模拟”页打开该方案后修改"
    )
    assert en.json()["message"].startswith("a scenario named entrance_exam_residence_1y exists")


def test_too_many_logins_are_refused_in_both_languages(service: Service) -> None:
    for _ in range(5):
        assert service.client.post("/api/v1/auth/login", json={"username": "pl_gd", "password": "x"}).status_code == 401
    zh, en = _both(service, "POST", "/api/v1/auth/login", None, json={"username": "pl_gd", "password": "x"})
    assert zh.status_code == 429 and zh.json()["error"] == "too_many_requests"
    assert zh.json()["code"] == "too_many_logins" and int(zh.headers["Retry-After"]) > 0
    seconds = zh.json()["params"]["seconds"]
    assert zh.json()["message"] == f"登录失败次数过多，请 {seconds} 秒后再试"
    assert en.json()["message"].startswith("too many failed logins; try again in ")


def test_a_422_names_each_field_as_the_office_labels_it(service: Service) -> None:
    body = {"id_number": "51010420100606001X", "hukou_region": "510100", "residence_region": "440100",
            "residence_since": "2024-13-01", "proof_ref": "school-7"}  # fmt: skip
    zh, en = _both(service, "POST", "/api/v1/residents", "cw_gz", json=body)
    assert zh.status_code == 422 and zh.json()["error"] == "invalid_request" and zh.json()["code"] == "request_invalid"
    fields = {p["field"]: p for p in zh.json()["problems"]}
    assert fields["proof_kind"]["label"] == "证明类型" and fields["proof_kind"]["code"] == "value_missing"
    assert fields["residence_since"]["label"] == "居住起始日期"
    assert fields["residence_since"]["code"] == "request_not_a_date"
    message = zh.json()["message"]
    assert (
        message.startswith("请求内容有误：") and "证明类型：缺少数值" in message and "居住起始日期：不是日期" in message
    )
    assert not LATIN.search(message.replace("2026/6/1", "").replace("2026年6月1日", "")), message
    assert "proof_kind: value is missing" in en.json()["message"]


def test_a_reform_with_a_bad_parameter_value_is_refused_in_both_languages(service: Service) -> None:
    reform = "name: zh_bad_value\ndescription: x\noverrides:\n  entrance_exam.child_residence_months: -12\n"
    zh, en = _both(service, "POST", "/api/v1/scenarios", "pl_nat", json={"yaml": reform})
    assert zh.status_code == 400 and zh.json()["code"] == "scenario_parameter_value"
    # the parameter by its label, its unit in words (the key and the unit code are not for the analyst)
    assert zh.json()["message"] == (
        "情景 zh_bad_value：参数“随迁子女中考：子女居住（就读）月数”不能为负数（单位：个月），实为 -12"
    )
    assert en.json()["message"] == (
        'scenario zh_bad_value: "Entrance exam for migrant children: child\'s months of residence" cannot be negative'
        " (in months), got -12"
    )


def test_a_reform_naming_no_parameter_or_a_bad_setting_is_refused_in_chinese(service: Service) -> None:
    unknown = "name: zh_unknown\ndescription: x\noverrides:\n  no.such.param: 3\n"
    zh, en = _both(service, "POST", "/api/v1/scenarios", "pl_nat", json={"yaml": unknown})
    assert zh.json()["code"] == "scenario_unknown_parameter"
    assert zh.json()["message"] == "情景 zh_unknown：没有名为 'no.such.param' 的参数"
    assert en.json()["message"].startswith("scenario zh_unknown: unknown parameter 'no.such.param'")
    sample = "name: zh_sample\ndescription: x\noverrides: {}\nsimulation: {sample: 2}\n"
    zh, en = _both(service, "POST", "/api/v1/scenarios", "pl_nat", json={"yaml": sample})
    assert zh.json()["code"] == "simulation_sample_range"
    assert zh.json()["message"] == "scenario.yaml：simulation.sample 须大于 0 且不超过 1，实为 2.0"
    assert en.json()["message"] == "scenario.yaml: simulation.sample must be in (0, 1], got 2.0"
    fields = {"description": "x", "overrides": {"entrance_exam.child_residence_months": 6}}
    zh, _ = _both(service, "POST", "/api/v1/scenarios", "pl_nat", json=fields)
    assert (zh.json()["code"], zh.json()["message"]) == ("scenario_needs_name", "按各项给出的情景须有名称")


def test_an_attribute_of_the_wrong_type_is_refused_in_both_languages(service: Service) -> None:
    body = {"id_number": "510104201006060015", "hukou_region": "510100", "residence_region": "440100",
            "residence_since": "2024-03-01", "proof_kind": "housing", "proof_ref": "lease-7",
            "attributes": {"income_per_capita_month": "lots"}}  # fmt: skip
    zh, en = _both(service, "POST", "/api/v1/residents", "cw_gz", json=body)
    assert zh.status_code == 400 and zh.json()["code"] == "attribute_not_of_type"
    assert zh.json()["params"] == {"name": "'income_per_capita_month'", "value": "'lots'", "dtype": "Float64"}
    assert zh.json()["message"] == "属性 'income_per_capita_month'：'lots' 不是数值"
    assert en.json()["message"] == "attribute 'income_per_capita_month': 'lots' is not a Float64"


def test_fiscal_weights_that_do_not_sum_to_one_are_refused_in_both_languages(service: Service) -> None:
    zh, en = _both(service, "GET", "/api/v1/fiscal/winners?weight_population=1", "fo_nat")
    assert zh.status_code == 400 and zh.json()["code"] == "fiscal_shares_sum"
    assert zh.json()["params"]["total"] == "1.3"
    # the request's own weight: the weights named by their labels and values, no key path, no file (the caller's)
    assert zh.json()["message"] == (
        "财政参数“人口均衡性资金权重” 1、“服务流动人口资金权重” 0.2、“市民化奖励资金权重” 0.1 之和为 1.3，"
        "而非 1：请同时调整其中另一项"
    )
    assert en.json()["message"].startswith('the fiscal parameters "Weight of the population pot" 1, "Weight of the')
    assert "transfer.weights" not in zh.json()["message"] + en.json()["message"]


def test_a_run_request_out_of_range_names_each_reason_in_both_languages(service: Service) -> None:
    body = {"years": [2040], "sample": 0}
    zh, en = _both(service, "POST", "/api/v1/scenarios/entrance_exam_residence_1y/runs", "pl_nat", json=body)
    assert zh.status_code == 422
    codes = {p["field"]: (p["code"], p["problem"]) for p in zh.json()["problems"]}
    assert codes["sample"] == ("greater_than", "须大于 0.0")
    assert {p["code"] for p in en.json()["problems"]} == {"greater_than"}  # the model's own check follows the fields
    both = {"yaml": "name: x\n", "overrides": {"a": 1}}
    zh, en = _both(service, "POST", "/api/v1/scenarios", "pl_nat", json=both)
    assert [(p["code"], p["problem"]) for p in zh.json()["problems"]] == [
        ("yaml_or_fields", "请只给出 YAML 文本，或名称（name）与参数取值（overrides）之一")
    ]
    assert en.json()["problems"][0]["problem"] == "give either yaml or name and overrides"
    years = {"years": [2040]}
    zh, en = _both(service, "POST", "/api/v1/scenarios/entrance_exam_residence_1y/runs", "pl_nat", json=years)
    assert [p["code"] for p in zh.json()["problems"]] == ["run_years_range"]
    assert not LATIN.search(zh.json()["message"].replace("YAML", "")), zh.json()["message"]


def test_a_catalogue_listing_an_item_twice_is_refused_in_both_languages(service: Service) -> None:
    item = {"item_code": "A001", "name": "血常规", "category": "A", "self_pay_permille": 0}
    zh, en = _both(service, "PUT", "/api/v1/medical/catalogues/440100", "ad_gd", json={"items": [item, item]})
    assert zh.status_code == 400 and zh.json()["code"] == "catalogue_code_twice"
    assert (zh.json()["message"], en.json()["message"]) == (
        "目录：有项目编码重复出现",
        "catalogue: an item code is listed twice",
    )


def test_a_place_name_where_a_region_code_is_asked_is_named_not_answered_with_a_regex(service: Service) -> None:
    """A caseworker writes 成都市 where the registration asks for the hukou place's code: the refusal says a
    six-digit region code is wanted, never the field's regular expression (^[1-8]\\d{5}$)."""
    body = {"id_number": "440106199001011234", "hukou_region": "成都市", "residence_region": "440100",
            "residence_since": "2021-03-01", "proof_kind": "housing", "proof_ref": "穗租-1"}  # fmt: skip
    zh, en = _both(service, "POST", "/api/v1/residents", "cw_gz", json=body)
    assert zh.status_code == 422, zh.text
    (problem,) = zh.json()["problems"]
    assert problem["field"] == "hukou_region" and problem["code"] == "not_a_gb_code", problem
    assert "六位" in zh.json()["message"] and "six-digit" in en.json()["message"]
    for answer in (zh, en):
        assert "^[1-8]" not in answer.text and "\\d" not in answer.text, answer.text


def test_a_new_area_where_a_region_code_is_asked_names_what_it_is_and_its_counties(service: Service) -> None:
    """天府新区 written for the residence: no code of its own, so the refusal says what it is and offers the county
    codes it spans (domain/new_areas.py) rather than only "not a six-digit code"."""
    body = {"id_number": "440106199001011234", "hukou_region": "510100", "residence_region": "天府新区",
            "residence_since": "2021-03-01", "proof_kind": "housing", "proof_ref": "蓉租-1"}  # fmt: skip
    zh, en = _both(service, "POST", "/api/v1/residents", "cw_gz", json=body)
    assert zh.status_code == 422, zh.text
    (problem,) = zh.json()["problems"]
    assert problem["field"] == "residence_region" and problem["code"] == "not_a_region_new_area", problem
    assert "双流区 510116" in zh.json()["message"] and "Shuangliu District 510116" in en.json()["message"]


def test_a_request_date_refusal_names_only_the_form_the_api_reads(service: Service) -> None:
    """The API reads a request's dates as ISO days: a residence start written 2021/3/1 is refused with "write it as
    2026-06-01", not with the list of forms a file accepts (2026/6/1, 2026年6月1日), which this request would be
    refused again for."""
    body = {"id_number": "440106199001011234", "hukou_region": "510100", "residence_region": "440100",
            "residence_since": "2021/3/1", "proof_kind": "housing", "proof_ref": "穗租-1"}  # fmt: skip
    zh, en = _both(service, "POST", "/api/v1/residents", "cw_gz", json=body)
    assert zh.status_code == 422, zh.text
    (problem,) = zh.json()["problems"]
    assert problem["code"] == "request_not_a_date" and problem["problem"] == "不是日期（请写作 2026-06-01）"
    assert "write it as 2026-06-01" in en.json()["message"]
    for answer in (zh, en):
        assert "2026/6/1" not in answer.text and "2026年6月1日" not in answer.text, answer.text


def test_a_refused_voucher_names_its_fields_in_words(service: Service) -> None:
    """A caseworker issuing a voucher writes the paying city's name, a negative value and a date with slashes: each
    field of the refusal is named as the voucher dialog names it (出资地, 面额, 发放日期), not issuer_region."""
    body = {"holder_key": service.people["gz"], "issuer_region": "广州市", "service": "职业技能培训",
            "value_fen": -5, "issued_on": "2026/12/01", "expires_on": "2027-01-01"}  # fmt: skip
    zh = service.client.post("/api/v1/vouchers", json=body, headers={**service.as_("cw_gz"), **CHINESE})
    assert zh.status_code == 422, zh.text
    labels = {p["field"]: p["label"] for p in zh.json()["problems"]}
    assert labels == {"issuer_region": "出资地", "value_fen": "面额（分）", "issued_on": "发放日期"}, labels
    assert not re.search(r"[a-z]+_[a-z]+", zh.json()["message"]), zh.json()["message"]
