"""The check of a residents file (dry run) runs every check the import runs, the registry's own included, so what it
lists as bad is what the import then leaves out, and what it would store is what the import then stores."""

from __future__ import annotations

from typing import Any

from api_support import Service
from sqlalchemy import func, select

from changzhu.registry.identity import check_char
from changzhu.store.db import session_scope
from changzhu.store.resident_models import PersonRow

HEADERS = ["身份证号", "姓名", "户籍地", "常住地", "居住起始日期", "证明类型", "证明编号"]


def _id(tail: str) -> str:
    first17 = f"51010719880312{tail}"
    return first17 + check_char(first17)


REGISTERED = [_id("214"), "王芳", "510100", "440100", "2021-03-01", "就业", "劳动合同-0"]
FILE = [
    REGISTERED,  # line 2: the registry refuses it (already registered), the reader reads it well
    [_id("314"), "张伟", "510100", "440100", "1980-01-01", "就业", "劳动合同-2"],  # line 3: living here before born
    [_id("414"), "刘芳", "510100", "440100", "2024.13.01", "就业", "劳动合同-3"],  # line 4: the reader refuses it
    [_id("514"), "陈强", "510100", "440100", "2022-05-01", "住房", "租赁合同-4"],  # line 5: good
    [_id("614"), "李娟", "510100", "440100", "2023-01-05", "就业", "劳动合同-5"],  # line 6: good
]


def _gbk_csv(rows: list[list[str]]) -> bytes:
    return ("\r\n".join(",".join(row) for row in [HEADERS, *rows]) + "\r\n").encode("gbk")


def _upload(service: Service, content: bytes, **params: str) -> Any:
    files = {"file": ("常住人口.csv", content, "text/csv")}
    return service.client.post("/api/v1/uploads/resident", params=params, files=files, headers=service.as_("cw_gz"))


def _persons(service: Service) -> int:
    with session_scope(service.engine) as session:
        return int(session.scalar(select(func.count()).select_from(PersonRow)) or 0)


def _problems(body: dict[str, Any]) -> list[tuple[int, str, str]]:
    return sorted((p["row"], p["column"], p["reason_en"]) for p in body["errors"])


def test_the_check_of_a_file_lists_the_rows_the_registry_refuses_and_stores_what_it_said(service: Service) -> None:
    assert _upload(service, _gbk_csv([REGISTERED])).status_code == 200
    before = _persons(service)
    content = _gbk_csv(FILE)
    refused = _upload(service, content, dry_run="true")
    assert refused.status_code == 422, refused.text
    checked = refused.json()
    assert sorted({p["row"] for p in checked["errors"]}) == [2, 3, 4]
    assert checked["params"] == {"bad": "3", "rows": "5"} and checked["would_store"] == 2
    skipping = _upload(service, content, dry_run="true", skip_bad_rows="true").json()
    assert (skipping["stored"], skipping["would_store"]) == (0, 2)
    assert _persons(service) == before
    stored = _upload(service, content, skip_bad_rows="true").json()
    assert (stored["stored"], stored["would_store"]) == (2, 2) and _persons(service) == before + 2
    assert _problems(checked) == _problems(skipping) == _problems(stored)
    # the preview shows the rows that go in, not a row the registry refuses after the reader read it well
    for answer in (checked, skipping, stored):
        assert [row["proof_ref"] for row in answer["preview"]] == ["租赁合同-4", "劳动合同-5"], answer["preview"]
