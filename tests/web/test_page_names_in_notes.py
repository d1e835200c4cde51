"""A note or refusal that sends the planner to another page names it as the menu does: the siting note and the
school-list refusal said “上传”页 while the menu item is 数据上传 (the English said the Uploads page, as its menu)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from changzhu.domain.refusals import TEMPLATES, RefusalCode

LOCALES = Path(__file__).resolve().parents[2] / "frontend" / "src" / "locales"
FILES = {"zh": ("zh-CN.json", "planning.zh-CN.json"), "en": ("en.json", "planning.en.json")}
SAID = {"zh": "“{menu}”页", "en": "{menu} page"}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_notes_and_refusals_name_the_uploads_page_as_the_menu_does(lang: str) -> None:
    shell, planning = (json.loads((LOCALES / name).read_text(encoding="utf-8")) for name in FILES[lang])
    page = SAID[lang].format(menu=shell["menu"]["uploads"])
    note = planning["plan"]["siting"]["schoolsNote"]
    assert page in note, (page, note)
    zh, en = TEMPLATES[RefusalCode.SITING_NEEDS_SCHOOL_LIST]
    assert page in (zh if lang == "zh" else en), (page, zh, en)
