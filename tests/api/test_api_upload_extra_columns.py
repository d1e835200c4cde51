"""A city's own facility list carries columns the schema does not know (备注, 电话, 联系人, 开放时间, 医院等级): they
are left out with a warning naming them, in Chinese and English, and never stored (they were refused as "unknown
column", so no office's own list went in as it was). A header that reads as a known one mistyped (床位数量 for 床位数,
所在区（市）县 for 所在区县) is still refused, naming the header it resembles; a residents file's 备注 is left out the
same way, its identity numbers checked as ever."""

from __future__ import annotations

from typing import Any

import pytest
from api_support import Service, upload_facility_list

from changzhu.planning import datasets
from changzhu.registry.identity import check_char
from sheet_files import gbk_csv_bytes, xlsx_bytes

CHENGDU = ["序号", "医院名称", "所在区县", "医院等级", "床位数", "地址", "电话", "备注", "联系人", "开放时间"]
CHENGDU_ROWS: list[list[Any]] = [
    [
        1,
        "四川省人民医院",
        "青羊区",
        "三级甲等",
        4300,
        "成都市青羊区一环路西二段32号",
        "028-87393999",
        "",
        "张三",
        "全天",
    ],
    [
        2,
        "四川大学华西医院",
        "武侯区",
        "三级甲等",
        4300,
        "成都市武侯区国学巷37号",
        "028-85422114",
        "含本部",
        "李四",
        "全天",
    ],
]
SHENZHEN = ["医院名称", "行政区", "床位数", "详细地址", "联系电话", "备注"]
SHENZHEN_ROWS: list[list[Any]] = [
    ["深圳市人民医院", "罗湖区", 2800, "深圳市罗湖区东门北路1017号", "0755-25533018", "三甲"],
    ["南方科技大学医院", "深圳市南山区", 800, "深圳市南山区西丽街道", "0755-86398000", ""],
]


@pytest.fixture(autouse=True)
def own_home(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test stores planning datasets in its own data home."""
    monkeypatch.setenv("CHANGZHU_HOME", str(tmp_path / "home"))


def _files(headers: list[str], rows: list[list[Any]]) -> list[tuple[str, bytes]]:
    return [("医院.csv", gbk_csv_bytes(headers, rows)), ("医院.xlsx", xlsx_bytes("医院", headers, rows))]


def test_a_city_s_hospital_list_with_its_own_columns_is_read_and_the_others_are_named(service: Service) -> None:
    for headers, rows, left_out in (
        (CHENGDU, CHENGDU_ROWS, "医院等级、电话、备注、联系人、开放时间"),
        (SHENZHEN, SHENZHEN_ROWS, "联系电话、备注"),
    ):
        for name, content in _files(headers, rows):
            answer = upload_facility_list(service, name, content, dry_run="true")
            assert answer.status_code == 200, answer.text
            body = answer.json()
            assert [r["capacity"] for r in body["preview"]] == [row[headers.index("床位数")] for row in rows]
            assert not {"电话", "备注", "联系人"} & {k for r in body["preview"] for k in r}  # read for nothing
            zh = [w["zh"] for w in body["warnings"] if "未读取" in w["zh"]]
            assert zh == [f"以下列不是设施清单的列，未读取，也不会保存：{left_out}"], body["warnings"]
            en = [w["en"] for w in body["warnings"] if "nor stored" in w["en"]]
            assert en == [
                "columns left out, neither read nor stored (not columns of this table, facility list):"
                f" {left_out.replace('、', ', ')}"
            ]
    stored = upload_facility_list(service, "医院.csv", gbk_csv_bytes(SHENZHEN, SHENZHEN_ROWS))
    assert stored.status_code == 200, stored.text
    frame = datasets.uploaded_facilities(datasets.datasets_root(), ["440300"])[0]
    assert not {"备注", "联系电话", "phone"} & set(frame.columns)  # nothing of them is stored


@pytest.mark.parametrize(
    ("written", "known", "label_en"),
    [
        ("床位数量", "床位数", "capacity"),
        ("所在区（市）县", "所在区县", "region"),
        ("医疗机构名称", "机构名称", "name"),
    ],
)
def test_a_header_like_a_known_one_is_refused_naming_the_one_it_resembles(
    service: Service, written: str, known: str, label_en: str
) -> None:
    at = CHENGDU.index("地址")  # without it: the address would give the region (所在区（市）县 then another column)
    headers = [written if h == {"机构名称": "医院名称"}.get(known, known) else h for h in CHENGDU]
    headers, rows = headers[:at] + headers[at + 1 :], [row[:at] + row[at + 1 :] for row in CHENGDU_ROWS]
    for name, content in _files(headers, rows):
        refused = upload_facility_list(service, name, content, dry_run="true", lang="zh")
        assert refused.status_code == 422, refused.text
        (named,) = [p for p in refused.json()["errors"] if p["header"] == written]
        assert named["reason_zh"].startswith(f"列名与「{known}」（"), named
        assert f"请把表头改成「{known}」" in named["reason_zh"]
        assert named["reason_en"].startswith(f"unknown column, close to “{known}” ({label_en})"), named
        assert "备注" not in {p["header"] for p in refused.json()["errors"]}  # its own columns are not the problem


def _id(tail: str) -> str:
    first17 = f"44010619900101{tail}"
    return first17 + check_char(first17)


def test_a_residents_file_s_notes_column_is_left_out_and_named(service: Service) -> None:
    headers = ["身份证号", "姓名", "户籍地", "常住地", "居住起始日期", "证明类型", "证明编号", "备注", "所属社区"]
    rows = [[_id("123"), "王芳", "510100", "440100", "2021-03-01", "就业", "合同-9", "新来", "石牌街道"]]
    files = {"file": ("常住人口.csv", gbk_csv_bytes(headers, rows), "application/octet-stream")}
    answer = service.client.post(
        "/api/v1/uploads/resident", params={"dry_run": "true"}, files=files, headers=service.as_("cw_gz")
    )
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["would_store"] == 1
    assert [w["zh"] for w in body["warnings"]] == ["以下列不是常住人口登记表的列，未读取，也不会保存：备注、所属社区"]
