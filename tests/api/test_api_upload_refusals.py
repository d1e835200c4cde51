"""The registry import's own refusals (a person twice in one file, an identity number's check digit, a phone
number, a person already registered, a contribution for nobody registered or for a month already paid) reach the
upload's answer as coded reasons: each in Chinese and English, none the untranslated fallback
"此行无法使用：<English>" nor Chinese with English inside."""

from __future__ import annotations

import re
from typing import Any

from api_support import Service

from changzhu.api.upload_tables import ColumnNames, UploadKind, left_out_problem, schema_for
from changzhu.registry.identity import check_char

CJK = re.compile(r"[\u4e00-\u9fff]")
HEADERS = "身份证号,联系电话,户籍地,常住地,居住起始日期,证明类型,证明编号"


def _id(tail: str) -> str:
    first17 = f"51010719880312{tail}"
    return first17 + check_char(first17)


def _upload(service: Service, kind: str, lines: list[str]) -> Any:
    content = ("\r\n".join(lines) + "\r\n").encode("gbk")
    files = {"file": (f"{kind}.csv", content, "application/octet-stream")}
    params = {"skip_bad_rows": "true"}
    answer = service.client.post(f"/api/v1/uploads/{kind}", params=params, files=files, headers=service.as_("cw_gz"))
    assert answer.status_code == 200, answer.text
    return answer.json()


def _reasons(body: Any) -> dict[int, tuple[str, str]]:
    for p in body["errors"]:
        assert CJK.search(p["reason_zh"]) and not p["reason_zh"].startswith("此行无法使用"), p
    return {p["row"]: (p["reason_zh"], p["reason_en"]) for p in body["errors"]}


def test_the_registry_imports_refusals_come_in_both_languages(db_service: Service) -> None:
    good, twice, wrong = _id("604"), _id("704"), _id("804")[:-1] + ("0" if _id("804")[-1] != "0" else "1")
    first = _upload(
        db_service,
        "resident",
        [
            HEADERS,
            f"{good},13912345678,510100,440100,2021-03-01,就业,合同-1",
            f"{twice},,510100,440100,2021-03-01,就业,合同-2",
            f"{twice},,510100,440100,2021-03-01,就业,合同-3",
            f"{wrong},,510100,440100,2021-03-01,就业,合同-4",
            f"{_id('904')},123,510100,440100,2021-03-01,就业,合同-5",
            f"{_id('924')},,510100,440100,2021-03-01,employmen,合同-7",
        ],
    )
    assert first["stored"] == 1  # rows 3 and 4 give one person twice: which is right is not known, neither is stored
    assert _reasons(first) == {
        3: ("与第 4 行是同一人", "same person as row 4"),
        4: ("与第 3 行是同一人", "same person as row 3"),
        5: (  # what to do, not only what is wrong
            "身份证号码校验位不符（GB 11643-1999），号码中有写错的字符：请对照身份证逐位核对，先核对最后一位（校验码，"
            "可能是 0–9 或 X，X 代表 10，要写成字母 X）；身份证号码必须填写，不能留空",
            "identity number: check digit does not match (GB 11643-1999), so a character of it is wrong: compare the"
            " number with the identity card character by character, the last one first (the check character, 0-9 or"
            " X, where X stands for 10 and is written as the letter X); the identity number must be given, it cannot"
            " be left empty",
        ),
        6: ("手机号须为 11 位大陆手机号码", "a phone number is an 11-digit mainland mobile number"),
        7: (
            "不是可选值之一：住房、就业、就学；是否指 就业？",  # no English in it
            "not one of housing (住房), employment (就业), study (就学); did you mean employment?",
        ),
    }
    # each left-out row with the value it held (it was empty), an identity number masked as the resident page does
    values = {p["row"]: p["value"] for p in first["errors"]}
    shown = f"{twice[:2]}{'*' * 14}{twice[-2:]}"
    assert values == {3: shown, 4: shown, 5: f"{wrong[:2]}{'*' * 14}{wrong[-2:]}", 6: "***",
                      7: "employmen"}, values  # fmt: skip
    again = _upload(db_service, "resident", [HEADERS, f"{good},,510100,440100,2021-03-01,就业,合同-6"])
    assert _reasons(again) == {
        2: ("此身份证号码的人员已经登记", "a person with this identity number is already registered")
    }
    paid = _upload(
        db_service,
        "contribution",
        [
            "公民身份号码,险种,参保地,起始年月,截止年月,月缴费基数",
            f"{_id('914')},pension,440100,202301,202303,6000",
            f"{good},pension,440100,202301,202303,6000",
            f"{good},pension,440100,202303,202304,6000",
        ],
    )
    assert _reasons(paid) == {
        # through the API, as for a person living in another place (the answer tells nothing of who is registered)
        2: (
            "您管辖范围内没有登记此身份证号码的常住人员",
            "no one registered with this identity number lives in your jurisdiction",
        ),
        4: (
            "2023-03：该月份已有养老保险缴费记录（缴于 广州市（440100））",
            "2023-03: a pension month already recorded (paid in Guangzhou (440100))",
        ),
    }


def test_a_region_written_near_a_name_is_suggested_in_each_language_with_its_code(db_service: Service) -> None:
    """成都 for a hukou place: the suggestion is Chengdu in English and 成都市 in Chinese, each with its code (the
    English gave the Chinese name alone: "did you mean 成都市?")."""
    body = _upload(db_service, "resident", [HEADERS, f"{_id('934')},,成都,440100,2021-03-01,就业,合同-8"])
    assert _reasons(body) == {
        2: (
            "不是地区代码或准确的地名；是否指 成都市（510100）？",
            "not a region code or the exact name of a region; did you mean Chengdu (510100)?",
        )
    }


def test_a_left_out_row_stored_before_reasons_were_coded_is_shown_as_it_came() -> None:
    """A replayed import's result from before the codes holds only the English reason: shown, marked untranslated."""
    names = ColumnNames(schema_for(UploadKind.RESIDENT))
    old = left_out_problem({"line": 3, "column": "row", "reason": "residence_since is in the future"}, names)
    assert (old.reason_zh, old.reason_en) == (
        "此行无法使用：residence_since is in the future",
        "residence_since is in the future",
    )
    coded = {"code": "residence_in_future", "params": {}}
    new = left_out_problem(
        {"line": 3, "column": "row", "reason": "residence_since is in the future", "refusal": coded}, names
    )
    assert (new.reason_zh, new.column_zh) == ("居住起始日期在未来", "整行")
    near = {"code": "not_a_region_near", "params": {"near": ["成都市"]}}  # as stored before suggestions had codes
    kept = left_out_problem({"line": 4, "column": "户籍地", "reason": "not a region", "refusal": near}, names)
    assert kept.reason_zh == "不是地区代码或准确的地名；是否指 成都市？"
