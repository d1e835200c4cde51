"""A category is read by any name of a slash label (四级/中级工: 四级, 中级工) and by the usual synonyms, wherever
labels are read (a file of people, a fact written through the API); an unknown word is refused naming its line and
column."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from tests.tables.tables_support import ENGLISH

from changzhu.domain.lang import Lang
from changzhu.registry.facts import InvalidFact, check_facts
from changzhu.tables import read_table
from changzhu.tables.person import CATEGORIES, person_schema
from changzhu.tables.read import TableRejected
from changzhu.tables.schema import Category, category_words
from changzhu.tables.vocab import parse_category

TITLE_WORDS = {
    "初级工": "skill_5",
    "五级": "skill_5",
    "中级工": "skill_4",
    "四级": "skill_4",
    "高级工": "skill_3",
    "三级": "skill_3",
    "技师": "skill_2_or_intermediate",
    "中级职称": "skill_2_or_intermediate",
    "二级": "skill_2_or_intermediate",
    "高级技师": "skill_1_or_senior",
    "高级职称": "skill_1_or_senior",
    "副高级职称": "skill_1_or_senior",
    "一级": "skill_1_or_senior",
    "四级/中级工": "skill_4",
    "intermediate worker": "skill_4",
    "Technician": "skill_2_or_intermediate",
}


def _title_column():  # type: ignore[no-untyped-def]
    return next(c for c in person_schema().columns if c.name == "professional_title")


def test_every_name_of_a_slash_label_and_the_usual_synonyms_are_read() -> None:
    read = parse_category(pl.Series("职称", list(TITLE_WORDS)), _title_column())
    assert read.values.to_list() == list(TITLE_WORDS.values())
    assert read.reasons.null_count() == len(TITLE_WORDS)
    education = next(c for c in person_schema().columns if c.name == "education")
    assert parse_category(pl.Series("学历", ["中专", "高中"]), education).values.to_list() == ["senior_secondary"] * 2


def test_no_word_names_two_codes_of_a_core_column() -> None:
    """A word two codes would claim is read as neither (refused, not guessed); the core labels have none."""
    for column, categories in CATEGORIES.items():
        claims: dict[str, set[str]] = {}
        for c in categories:
            for word in c.words():
                claims.setdefault(word.lower(), set()).add(c.code)
        assert all(len(codes) == 1 for codes in claims.values()), column
    shared = (Category("a", "甲/丙"), Category("b", "乙/丙"))
    assert "丙" not in category_words(shared) and category_words(shared)["甲"] == "a"


def test_a_file_of_people_reads_the_words_and_names_the_line_and_column_of_an_unknown_one(tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_text(ENGLISH["person"].replace("skill_3", "中级工"), encoding="utf-8")
    read = read_table(path, person_schema())
    assert read.frame["professional_title"].to_list()[0] == "skill_4"
    path.write_text(ENGLISH["person"].replace("skill_3", "中级技术员"), encoding="utf-8")
    with pytest.raises(TableRejected) as rejected:
        read_table(path, person_schema())
    (error,) = rejected.value.errors
    assert (error.line, error.column, error.value) == (2, "professional_title", "中级技术员")
    assert 'row 2 professional_title "中级技术员"' in str(rejected.value)


def test_a_fact_written_through_the_api_reads_the_same_words() -> None:
    """PATCH /residents/{key}/facts (and the office's fact forms) store what check_facts reads."""
    for word, code in TITLE_WORDS.items():
        assert check_facts("440100", {"professional_title": word}) == {"professional_title": code}, word
    with pytest.raises(InvalidFact) as refused:
        check_facts("440100", {"professional_title": "中级技术员"})
    assert refused.value.fact == "professional_title" and "skill_4" in refused.value.reason_en


def test_a_category_refused_in_english_lists_labels_not_codes() -> None:
    """A clerk's 博士后 in the 学历 column: the English reason lists each education by its English label with the
    Chinese one (it listed the codes junior_secondary, senior_secondary, vocational_college: variable names to an
    office user), and every label it lists reads back as its category."""
    education = next(c for c in person_schema().columns if c.name == "education")
    (reason,) = [r for r in parse_category(pl.Series("学历", ["博士后"]), education).refusals() if r is not None]
    english = reason.text(Lang.EN)
    listed = "not one of no schooling (未上学), primary school (小学), junior secondary (初中)"
    assert english.startswith(listed), english
    assert english.endswith("did you mean doctorate?") and "_" not in english, english
    words = category_words(education.categories)
    assert all(words[c.en.lower()] == c.code for c in education.categories)
