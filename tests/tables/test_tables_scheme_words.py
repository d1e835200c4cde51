"""A 社保 office's contribution export names its schemes as it heads them (养老, 基本养老保险, 职工医保, 失业): read
as the schemes; 养老 was refused (不是可选值之一…；是否指 养老保险？) on every row of such a file."""

from __future__ import annotations

from pathlib import Path

from changzhu.tables import read_table
from changzhu.tables.kinds import contribution_schema


def test_the_schemes_are_read_by_the_words_a_social_insurance_export_uses(tmp_path: Path) -> None:
    rows = [
        ("养老", "pension"),
        ("基本养老保险", "pension"),
        ("职工医保", "medical"),
        ("基本医疗保险", "medical"),
        ("失业", "unemployment"),
    ]
    lines = ["身份证号,险种,参保地,起始年月,截止年月,月缴费基数"]
    lines += [f"510104199003151229,{word},深圳市,2023年5月,2024年12月,6500" for word, _ in rows]
    path = tmp_path / "缴费.csv"
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("gbk"))
    read = read_table(path, contribution_schema())
    assert read.frame["scheme"].to_list() == [code for _, code in rows]
