"""`changzhu fiscal --lang zh|en`: the tables it prints, and the ones --export writes, are in the language asked for
(headers, provinces, allocations, outcomes, the estimate marking), never the frames' column names."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from changzhu.cli.main import app

RAW = ("region_name_zh", "transfer_registered_basis_yuan", "difference_share", "gini_resident", "unmet_need_yuan")


@pytest.mark.parametrize(
    ("lang", "words", "other"),
    [
        (
            "zh",
            (
                "户籍口径（估算，亿元）",
                "广东省",
                "增加",
                "基尼系数（户籍，估算）",
                "按户籍人口平均分配（估算）",
                "付款方",
                "估算：户籍人口",
                "1,000 亿元",
            ),
            ("registered basis", "Guangdong", "estimate:", "billion"),
        ),
        (
            "en",
            (
                "Transfer by province: registered basis (estimate) vs resident basis",
                "Guangdong",
                "gains",
                "estimate",
                "Per registered head",
                "Payer",
                "estimate: registered population",
                "100 billion yuan",
            ),
            ("户籍", "广东", "亿", "估算"),
        ),
    ],
)
def test_printed_and_exported_tables_follow_lang(
    lang: str, words: tuple[str, ...], other: tuple[str, ...], tmp_path: Path
) -> None:
    redemptions = tmp_path / "redemptions.csv"
    redemptions.write_text("issuing_region,providing_region,amount_yuan\n410000,440000,120.5\n440000,410000,20\n")
    export = tmp_path / "tables.csv"
    args = ["fiscal", "--out", str(tmp_path / "out"), "--lang", lang, "--redemptions", str(redemptions)]
    ran = CliRunner().invoke(app, [*args, "--export", str(export)])
    assert ran.exit_code == 0, ran.output
    printed = ran.output
    assert [w for w in words if w not in printed] == []
    assert [w for w in (*other, *RAW) if w in printed] == []
    # the exported tables, opened as Excel does (UTF-8 with the BOM): headers and rows in the language, estimate noted
    transfers = pl.read_csv(tmp_path / "tables_transfers.csv", encoding="utf8-lossy")
    assert export.with_name("tables_transfers.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    note = "估算说明" if lang == "zh" else "What the estimate is"
    assert note in transfers.columns and not set(RAW) & set(transfers.columns)
    registered = "户籍口径（估算，亿元）" if lang == "zh" else "Registered basis, estimate (100 million yuan)"
    assert transfers.columns[2] == registered
    assert transfers[note].str.starts_with("估算" if lang == "zh" else "estimate").all()
    equity = pl.read_csv(tmp_path / "tables_equity.csv")
    assert equity.columns[0] == ("分配方式" if lang == "zh" else "Allocation")
    clearing = pl.read_csv(tmp_path / "tables_clearing.csv")
    assert clearing.rows() == [("河南省", "广东省", 100.5)] if lang == "zh" else [("Henan", "Guangdong", 100.5)]
