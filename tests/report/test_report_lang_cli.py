"""`--lang zh|en` on plan and fiscal: the report section in the language asked for."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from changzhu.cli.main import app


@pytest.mark.parametrize(
    ("command", "section", "english", "chinese"),
    [
        (["plan", "--years", "5", "--p", "3"], "planning", "Where to build", "在哪里建"),
        (["fiscal"], "fiscal", "resident basis", "按常住人口"),
    ],
)
def test_lang_chooses_the_report_language(
    command: list[str], section: str, english: str, chinese: str, tmp_path: Path
) -> None:
    for lang in ("en", "zh"):
        out = tmp_path / lang
        ran = CliRunner().invoke(app, [*command, "--out", str(out), "--lang", lang])
        assert ran.exit_code == 0, ran.output
        page = (out / "report.html").read_text(encoding="utf-8")
        assert f"<section id='{section}'>" in page
        assert (english in page) == (lang == "en") and (chinese in page) == (lang == "zh"), lang
        assert ('<html lang="en">' in page) == (lang == "en")
        if lang == "en":  # money in words an English reader uses, as the office's fiscal page: never 亿
            assert "亿" not in page and "亿" not in ran.output, lang
        if section == "fiscal":  # the fund of 1,000 亿元 (10¹¹ yuan), in the report and in the summary line
            fund = "100 billion yuan" if lang == "en" else "1,000 亿元"
            assert fund in page and fund in ran.output, lang  # the summary line in the language asked for too
            # the fund's source is the project's remark, in the reader's language; the scheme's a Chinese citation
            remark = "changzhu&#x27;s own setting, not a regulation" if lang == "en" else "本项目设定，非法规规定"
            assert remark in page and ("本项目" in page) == (lang == "zh"), lang
            # the scheme's citation in the reader's language (the English translated since 2026-12-04)
            plan = (
                "《中华人民共和国国民经济和社会发展第十四个五年规划和2035年远景目标纲要》"
                if lang == "zh"
                else "14th Five-Year Plan"
            )
            assert plan in page, lang
            # the registered basis and the change from it are estimates, said in the table's headers
            headers = ("户籍口径（估算，亿元）", "差额（估算，亿元）", "加权未满足需求（估算，亿元 × 服务权重）")
            if lang == "en":
                headers = ("Registered basis, estimate", "Difference, estimate", "Unmet need (estimate, 100")
            assert all(h in page for h in headers), [h for h in headers if h not in page]
        if section == "planning":  # counties on the siting map by name in the reader's language
            assert ("Panyu District" in page) == (lang == "en"), lang
