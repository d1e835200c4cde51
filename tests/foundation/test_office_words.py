"""The ledger's words are written once (docs/architecture.md, "Words"): the office's messages for them are the files
tools/office_words.py generates from changzhu.domain.refusals.TERMS, and no other message file holds them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from changzhu.domain.lang import Lang
from changzhu.domain.office_words import FILE_NAMES, OFFICE_SECTIONS, office_words, office_words_json
from changzhu.domain.refusals import TERMS

ROOT = Path(__file__).resolve().parents[2]
LOCALES = ROOT / "frontend" / "src" / "locales"


@pytest.mark.parametrize("lang", [Lang.ZH, Lang.EN])
def test_the_office_files_are_the_words_of_terms(lang: Lang) -> None:
    """The committed file is what the generator writes from TERMS today: a word changed in TERMS (or in the file by
    hand) fails here until `python tools/office_words.py` is run."""
    written = (LOCALES / FILE_NAMES[lang]).read_text(encoding="utf-8")
    assert written == office_words_json(lang), f"run: PYTHONPATH=src python tools/office_words.py ({FILE_NAMES[lang]})"


def test_no_other_message_file_holds_the_words_again() -> None:
    """zh-CN.json, en.json and the views' own message files leave the generated sections to the generated files:
    a second copy of a section (or of one of its words) is the drift this guards against."""
    generated = set(FILE_NAMES.values())
    for path in sorted(LOCALES.glob("*.json")):
        if path.name in generated:
            continue
        messages = json.loads(path.read_text(encoding="utf-8"))
        again = sorted(set(OFFICE_SECTIONS) & set(messages))
        assert not again, f"{path.name} defines {again} again: they are generated from TERMS (tools/office_words.py)"


def test_the_office_words_are_the_sentences_words() -> None:
    """Each word is TERMS' own, in both languages, changed only by the two rules: a capital in English (not for a
    unit, which follows a number) and the yuan of an account kept in fen."""
    zh, en = office_words(Lang.ZH), office_words(Lang.EN)
    for section, keys in OFFICE_SECTIONS.items():
        for key in keys:
            word_zh, word_en = TERMS[key]
            assert zh[section][key].removesuffix("（元）") == word_zh, (section, key)
            shown = en[section][key].removesuffix(" (yuan)")
            assert shown.lower() == word_en.lower() and shown[0] == (word_en if section == "unit" else shown)[0]
    assert en["voucherStatus"]["issued"] == "Issued" and en["unit"]["month"] == "months"
    assert zh["accountKind"]["pension_individual"] == "养老保险个人账户（元）"
    assert en["accountKind"]["school_years"] == "School years"


def test_the_tool_writes_the_files_it_is_checked_against() -> None:
    """tools/office_words.py run as a developer runs it leaves the committed files unchanged (they are its output)."""
    before = {name: (LOCALES / name).read_bytes() for name in FILE_NAMES.values()}
    ran = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "office_words.py")],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"},
        timeout=60,
        check=False,
    )
    assert ran.returncode == 0, ran.stderr
    assert {name: (LOCALES / name).read_bytes() for name in FILE_NAMES.values()} == before
