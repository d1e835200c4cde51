"""The fiscal report's words in one language: the transfers chart's legend names each basis in the report's language
(no 户籍/常住 in the English one), the equity table's allocations and measures read as labels, capitalised in
English, and the English explanation of a transfer names the province and the scheme in English (not 广东省 and
the scheme's id)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from changzhu.cli.main import app
from changzhu.data.census import CENSUS_DAY, census_2020
from changzhu.domain.lang import Lang
from changzhu.fiscal.parameters import fiscal_parameters
from changzhu.fiscal.run import compute_fiscal
from changzhu.planning.gaps import compute_gaps
from changzhu.planning.standards import load_standards, unit_costs_cited
from changzhu.report.fiscal import SPLITS, _explanations, basis_bars, equity_in, explain_en

CJK = re.compile(r"[\u4e00-\u9fff]")
COMPARISON = pl.DataFrame(
    {
        "region_name_zh": ["广东省", "河南省"],
        "transfer_registered_basis_yuan": [4.0e9, 6.1e9],
        "transfer_resident_basis_yuan": [5.2e9, 5.6e9],
        "difference_yuan": [1.2e9, -0.5e9],
    }
)


@pytest.mark.parametrize(
    ("lang", "legend"),
    [(Lang.ZH, ["按户籍人口（估算）", "按常住人口"]), (Lang.EN, ["Registered basis (estimate)", "Resident basis"])],
)
def test_the_transfers_chart_names_each_basis_in_the_reports_language(lang: Lang, legend: list[str]) -> None:
    figure = basis_bars(COMPARISON, lang)
    assert [trace.name for trace in figure.data] == legend
    if lang == Lang.EN:
        assert not CJK.search(" ".join([*legend, figure.layout.title.text, *figure.data[0].y])), figure.data[0].y


def test_the_equity_table_reads_as_labels_in_english() -> None:
    measures = ("max_min_ratio_resident", "gini_resident", "theil_resident", "max_min_ratio_registered")
    equity = pl.DataFrame(
        {
            "allocation": list(SPLITS),
            **{m: [1.0, 2.0, 3.0] for m in (*measures, "gini_registered")},
            "unmet_need_yuan": [1, 2, 3],
            "estimate": ["估算：示例 / estimate: an example"] * 3,
        }
    )
    english = equity_in(equity, Lang.EN)
    labels = [*english.columns[:-1], *english[english.columns[0]].to_list()]  # the last: the estimate note's
    assert [label for label in labels if not label[0].isupper()] == [], labels
    assert "Per registered head (estimate)" in labels and "Unmet need, estimate, yuan" in labels
    assert not CJK.search(" ".join(labels))


def test_the_english_explanation_of_a_transfer_has_no_chinese_and_no_scheme_id() -> None:
    provinces = census_2020().provinces
    params = fiscal_parameters(date(2026, 12, 3))
    costs = unit_costs_cited(load_standards(), CENSUS_DAY)
    results = compute_fiscal(provinces, compute_gaps(level="province"), params, costs)
    guangdong = results.transfers.filter(pl.col("region_code") == "440000").row(0, named=True)
    english = explain_en(guangdong, params)
    assert english.startswith(f"Guangdong (440000), scheme “{params.title('en')}”"), english
    assert params.scheme_id not in english and not CJK.search(english), english
    assert "registered population (estimate)" in english and "land quota" in english


def test_every_equity_measure_reads_as_a_label_and_a_sentence_in_english() -> None:
    from changzhu.rules.labels import EQUITY_MEASURES

    lower = [(label, said) for _zh, label, _ezh, said in EQUITY_MEASURES.values() if not (label[0] + said[0]).isupper()]
    assert lower == [], lower


def test_the_report_says_the_settled_migrants_are_assumed() -> None:
    """The explanation of the terms gave 落户 63,682 人 and a land quota as if 落户 statistics: it now ends with the
    scheme's assumption (a share of the census's in-migrants), in each language."""
    params = fiscal_parameters(date(2026, 12, 3))
    costs = unit_costs_cited(load_standards(), CENSUS_DAY)
    results = compute_fiscal(census_2020().provinces, compute_gaps(level="province"), params, costs)
    zh, en = _explanations(results, Lang.ZH), _explanations(results, Lang.EN)
    assert "落户人数与享受服务人数为情景假设：分别为跨省流入人口的 5% 与 100%（没有随附的落户统计）" in zh, zh
    assert "People settled and migrants served are a scenario assumption: 5% and 100% of inter-provincial" in en, en
    assert not CJK.search(en)


INTERNAL = re.compile(r"[Ss]eed \d|种子 ?\d|\.yaml|docs/")  # the project's notes: its seed papers, files, docs


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_fiscal_report_shows_no_internal_note(lang: str, tmp_path: Path) -> None:
    """A fiscal official reads the comparison by what it is, not by the project's name for a paper (it read "种子 002
    的上海例子" / "Seed 002's Shanghai example"), and is not sent to fiscal_parameters.yaml or docs/fiscal.md."""
    ran = CliRunner().invoke(app, ["fiscal", "--out", str(tmp_path), "--lang", lang])
    assert ran.exit_code == 0, ran.output
    section = (tmp_path / "sections" / "060_fiscal.html").read_text(encoding="utf-8")
    text = re.sub(r"<script.*?</script>|<[^>]+>", " ", section, flags=re.S)
    assert INTERNAL.findall(text) == []
    assert ("4.86" in text) and (("静安" in text) if lang == "zh" else ("Jing'an" in text))
