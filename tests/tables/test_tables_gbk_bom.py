"""A CSV in GBK behind a UTF-8 byte-order mark, as some registry systems export it (the mark written to make Excel
open UTF-8, the text then written in GBK): read as GBK. It was refused as neither UTF-8 nor GBK."""

from __future__ import annotations

from pathlib import Path

from changzhu.registry.declared import declared_columns
from changzhu.tables import read_table
from changzhu.tables.kinds import resident_schema


def test_a_gbk_file_behind_a_utf8_bom_is_read_as_gbk(tmp_path: Path) -> None:
    text = (
        "身份证号,姓名,户籍地,居住地,来本市日期,证明类型,证明编号\r\n"
        "510104199003151229,王芳,四川省成都市,深圳市南山区,2023年5月1日,就业,劳动合同-1\r\n"
    )
    path = tmp_path / "登记.csv"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("gbk"))
    read = read_table(path, resident_schema(declared_columns()))
    assert read.encoding == "gb18030"
    assert read.frame.select("name", "hukou_region", "residence_region").row(0) == ("王芳", "510100", "440300")
    assert read.headers["id_number"] == "身份证号"  # the first header without the mark's bytes
