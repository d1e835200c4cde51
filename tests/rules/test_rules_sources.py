"""Service and points-scheme sources are citations in the language of the page: Chinese on a zh page, English on
an en page, with the project's own notes kept out of them (in the service's note)."""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path

import polars as pl
import pytest
import yaml

from changzhu.domain.lang import Lang
from changzhu.domain.services import Service
from changzhu.fiscal.parameters import load_schemes
from changzhu.parameters import parameter_tree, parse_parameter
from changzhu.rules import explain
from changzhu.rules.catalog import POLICY_DIR, load_policy_dir, policies_in_use, scheme_conditions
from changzhu.rules.indicators import flat

CJK = re.compile(r"[\u3400-\u9fff]")
LATIN = re.compile(r"[A-Za-z]")
NOTES = ("unverified", "from memory", "seed 004", "design choice", "placeholder")
ADDRESS = re.compile(r"https?://[\w./%?=&#:~-]+")  # a web address cited: the same in both languages
# A publication in another language is cited by its Chinese title with the original right after it in brackets,
# 瑞信《全球财富数据手册2021》(Credit Suisse, Global Wealth Databook 2021): the original is a name, not a remark.
ORIGINAL_TITLE = re.compile(r"》\s*[(（][^()（）]*[)）]")
ENGLISH_WORD = re.compile(r"[A-Za-z]{2,}")


def english_remarks(source: str) -> list[str]:
    """The English words of a one-string source outside its web addresses and the original titles it cites."""
    return ENGLISH_WORD.findall(ORIGINAL_TITLE.sub("》", ADDRESS.sub("", source)))


def _cited() -> list[tuple[str, tuple[str, str]]]:
    policies = policies_in_use()
    out = []
    for code, j in policies.jurisdictions.items():
        out += [(f"{code} {s.value}", rule.source) for s, rule in j.services.items()]
        out += [(f"{code} {name}", scheme.source) for name, scheme in j.schemes.items()]
    return out


@pytest.mark.parametrize(("where", "source"), _cited(), ids=[w for w, _ in _cited()])
def test_each_source_has_a_chinese_and_an_english_citation(where: str, source: tuple[str, str]) -> None:
    zh, en = source
    assert zh and CJK.search(zh) and not LATIN.search(zh), zh
    assert en and not CJK.search(en), en
    assert not any(note in zh or note in en for note in NOTES), source


def test_parameter_sources_are_citations_with_the_notes_kept_apart() -> None:
    """A parameter's source is shown as the citation of a condition: the project's notes go in the value's note."""
    notes = (*NOTES, "not modelled", "reported figure", "not policy", "as reported", "modelling assumption")
    values = [(code, key, v) for code, j in policies_in_use().jurisdictions.items()
              for key, p in j.parameters.items() for v in p.values]  # fmt: skip
    assert len(values) > 40 and any(v.note for _, _, v in values)
    for code, key, value in values:
        assert not any(note in value.source for note in notes), (code, key, value.source)


def test_a_source_written_as_one_string_is_used_for_both(tmp_path: Path) -> None:
    """Another policy set may still give a one-string source: it is shown as written in both languages."""
    shutil.copytree(POLICY_DIR / "jurisdictions", tmp_path / "jurisdictions")
    shutil.copytree(POLICY_DIR / "agreements", tmp_path / "agreements")
    national = tmp_path / "jurisdictions" / "000000.yaml"
    raw = yaml.safe_load(national.read_text(encoding="utf-8"))
    raw["services"]["residence_permit"]["source"] = "居住证条例 art. 2"
    national.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    rule = load_policy_dir(tmp_path).jurisdictions["000000"].services[Service.RESIDENCE_PERMIT]
    assert rule.source == ("居住证条例 art. 2", "居住证条例 art. 2")


def test_explanations_cite_in_their_own_language() -> None:
    person = pl.DataFrame(
        {"person_id": [1], "sex": ["F"], "birth_date": [date(1990, 3, 7)], "hukou_region": ["510100"],
         "residence_region": ["310100"], "residence_since": [date(2019, 9, 1)],
         "residence_permit_since": [date(2020, 3, 1)], "si_months_local": [60], "si_months_total": [96],
         "medical_months_local": [60], "prior_region": ["510100"], "prior_residence_months": [36],
         "prior_si_months": [36], "employed": [True], "education": ["bachelor"], "housing": ["rented"],
         "income_per_capita_month": [4500.5], "parent_id": pl.Series([None], dtype=pl.Int64),
         "criminal_record": [False]}
    )  # fmt: skip
    on = date(2026, 6, 1)
    zh, en = (explain(person, on, lang=lang, all_services=True) for lang in ("zh", "en"))
    assert zh.services and zh.points
    for s_zh, s_en in zip(zh.services, en.services, strict=True):
        assert not LATIN.search(s_zh.source) and not CJK.search(s_en.source), (s_zh.source, s_en.source)
    for p_zh, p_en in zip(zh.points, en.points, strict=True):
        assert not LATIN.search(p_zh.source) and not CJK.search(p_en.source)


def _one_string_sources() -> list[tuple[str, str]]:
    """Every source written as one string that a page shows in both languages: a parameter value's, a declared
    input's, a condition's, an indicator's, an unmodelled indicator's and an agreement's."""
    policies = policies_in_use()
    out = [(f"agreement {a.id}", a.source) for a in policies.agreements]
    for code, j in policies.jurisdictions.items():
        out += [(f"{code} {key} {v.since}", v.source) for key, p in j.parameters.items() for v in p.values]
        out += [(f"{code} input {name}", spec.source) for name, spec in j.inputs.items()]
        rules = [rule.rule for rule in j.services.values()]
        rules += [c for scheme in j.schemes.values() for c in scheme_conditions(scheme)]
        nodes = [node for c in rules for node in c.walk() if node.source]
        out += [(f"{code} condition {node.title('en')}", node.source) for node in nodes]
        for name, scheme in j.schemes.items():
            out += [(f"{code} {name}.{ind.name}", ind.source) for ind in flat(scheme.indicators) if ind.source]
            out += [(f"{code} {name} unmodelled {u.name}", u.source) for u in scheme.unmodelled]
    return out


def test_a_one_string_source_is_a_citation_without_english_remarks() -> None:
    """A one-string source is shown as written on the Chinese page too: a citation (document, article, figures, web
    address), never a remark in English; the project's remarks go in a parameter value's note or a YAML comment."""
    sources = _one_string_sources()
    assert len(sources) > 150
    english = [(where, text) for where, text in sources if english_remarks(text)]
    assert not english, english


def _tree_and_scheme_sources() -> list[tuple[str, str, str]]:
    """Every source of the parameter tree and of the fiscal schemes (fiscal_parameters.yaml): where, its Chinese (or
    as written), its English where it is given in two languages."""
    values = [(f"{code} {key} {v.since}", v.source, v.source_en) for code, params in
              parameter_tree().by_jurisdiction.items() for key, p in params.items() for v in p.values]  # fmt: skip
    return values + [(f"fiscal scheme {s.scheme_id}", s.source, s.source_en) for s in load_schemes()]


def test_a_source_of_the_parameter_tree_is_a_citation_without_english_remarks() -> None:
    """The parameter tree's sources (fiscal, planning, projection, simulation, geography, registry, ledger) and the
    fiscal schemes' are shown by the reform builder and the reports on the Chinese page too: citations in Chinese,
    the project's remarks in the value's (or scheme's) note."""
    values = _tree_and_scheme_sources()
    assert len(values) > 200 and sum(where.startswith("fiscal scheme") for where, _, _ in values) == 2
    english = [(where, zh) for where, zh, _ in values if english_remarks(zh)]
    assert not english, english
    assert not [(where, zh) for where, zh, _ in values if not CJK.search(zh)]
    notes = (*NOTES, "seed 00", "changzhu", "model assumption", "docs/", "Illustrative", "illustrative")
    assert not [(where, zh) for where, zh, _ in values if any(note in zh for note in notes)]


PROJECT_REMARK = re.compile(r"本项目|模型假设")  # changzhu's own setting, a model's assumption: not a document


def _every_dated_source() -> list[tuple[str, str, str]]:
    rules = [(f"{code} {key} {v.since}", v.source, v.source_en) for code, j in policies_in_use().jurisdictions.items()
             for key, p in j.parameters.items() for v in p.values]  # fmt: skip
    return rules + _tree_and_scheme_sources()


def test_a_project_remark_is_given_in_both_languages() -> None:
    """An English page shows a source's English where it has one, else the source as written: a Chinese document's
    citation (its title) may stand on it, a remark of the project in Chinese may not."""
    sources = _every_dated_source()
    remarks = [(where, zh, en) for where, zh, en in sources if PROJECT_REMARK.search(zh)]
    assert len(remarks) > 150
    assert not [(where, zh) for where, zh, en in remarks if not en], "a project remark without its English"
    assert not [(where, en) for where, _, en in sources if en and CJK.search(en)]
    assert not [(where, en) for where, _, en in sources if PROJECT_REMARK.search(en)]


def test_a_view_in_a_language_cites_each_source_in_it() -> None:
    """One place (changzhu.parameters.cited) decides what a reader of a language sees, for every view."""
    raw = {"unit": "years", "values": [
        {"since": "2016-01-01", "value": 1, "source": "《居住证暂行条例》(国务院令第663号) 第二条"},
        {"since": "2020-01-01", "value": 2, "source": {"zh": "本项目设定，非法规规定", "en": "changzhu's own setting"}},
    ]}  # fmt: skip
    citation, remark = parse_parameter("x.years", raw, "000000").values
    assert citation.cited(Lang.EN) == citation.cited(Lang.ZH) == "《居住证暂行条例》(国务院令第663号) 第二条"
    assert (remark.cited(Lang.ZH), remark.cited(Lang.EN)) == ("本项目设定，非法规规定", "changzhu's own setting")


def test_only_the_original_title_of_a_cited_publication_may_be_english() -> None:
    cited = "瑞信《全球财富数据手册2021》(Credit Suisse, Global Wealth Databook 2021)，中国2020年"
    assert english_remarks(cited) == []
    assert english_remarks("转引自 https://www.gov.cn/zhengce/content/2016-10/11/content_5117347.htm") == []
    uncited = "Credit Suisse Global Wealth Databook 2021，中国2020年"  # no Chinese title: the English is a remark
    assert english_remarks(uncited) == ["Credit", "Suisse", "Global", "Wealth", "Databook"]
    assert english_remarks("《居住证暂行条例》第九条 (a guardian applies for a child)")  # after the article: a remark
    assert english_remarks("模型假设 (no official figure ships)") == ["no", "official", "figure", "ships"]
