"""Write the office's messages of the ledger's words (frontend/src/locales/terms.zh-CN.json, terms.en.json) from
the one table of them, changzhu.domain.refusals.TERMS (changzhu.domain.office_words). Run after changing TERMS:
`PYTHONPATH=src .venv/bin/python tools/office_words.py`; tests/foundation/test_office_words.py fails until it is."""

from __future__ import annotations

from pathlib import Path

from changzhu.domain.office_words import FILE_NAMES, office_words_json

LOCALES = Path(__file__).resolve().parents[1] / "frontend" / "src" / "locales"

if __name__ == "__main__":
    for lang, name in FILE_NAMES.items():
        (LOCALES / name).write_text(office_words_json(lang), encoding="utf-8")
        print(LOCALES / name)
