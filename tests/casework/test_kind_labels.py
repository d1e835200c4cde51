"""A kind of application has one name: the command line, the API and the audit say what the office's screens say
(frontend/src/locales/*.json applicationKind), "积分落户" and "低保", not a second wording of their own."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from changzhu.casework.applications import KIND_LABELS, ApplicationKind

LOCALES = Path(__file__).resolve().parents[2] / "frontend" / "src" / "locales"


def _office_words(locale: str) -> dict[str, str]:
    words: dict[str, str] = json.loads((LOCALES / f"{locale}.json").read_text(encoding="utf-8"))["applicationKind"]
    return words


@pytest.mark.parametrize(("locale", "index"), [("zh-CN", 0), ("en", 1)])
def test_the_backend_names_each_kind_as_the_office_does(locale: str, index: int) -> None:
    office = _office_words(locale)
    assert set(office) == {k.value for k in ApplicationKind}
    # the office starts a line with the name (capitalised); the backend's English is lower case, for a sentence
    backend = {k.value: v[index][:1].upper() + v[index][1:] for k, v in KIND_LABELS.items()}
    assert backend == office


def test_the_words_are_the_short_ones_a_resident_reads() -> None:
    assert KIND_LABELS[ApplicationKind.POINTS][0] == "积分落户"
    assert KIND_LABELS[ApplicationKind.DIBAO][0] == "低保"
