"""Every string the office shows is translated: the checker passes on the front-end and catches each kind of miss."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHECKER = ROOT / "frontend" / "scripts" / "check-i18n.mjs"
NODE = shutil.which("node")
CJK = re.compile(r"[\u3400-\u9fff]")


def _check(source: Path) -> subprocess.CompletedProcess[str]:
    assert NODE, "node is required (make install builds the office with it)"
    return subprocess.run([NODE, str(CHECKER), str(source)], capture_output=True, text=True, timeout=60, check=False)


def test_office_front_end_is_fully_translated() -> None:
    result = _check(ROOT / "frontend" / "src")
    assert result.returncode == 0, result.stderr


@pytest.fixture
def tiny_source(tmp_path: Path) -> Path:
    """A two-language front-end of one view that passes the checker."""
    (tmp_path / "locales").mkdir()
    (tmp_path / "locales" / "zh-CN.json").write_text(json.dumps({"a": {"title": "标题"}}), encoding="utf-8")
    (tmp_path / "locales" / "en.json").write_text(json.dumps({"a": {"title": "Title"}}), encoding="utf-8")
    view = '<template>\n  <h1 :title="t(\'a.title\')">{{ t("a.title") }}</h1>\n</template>\n'
    (tmp_path / "View.vue").write_text(view, encoding="utf-8")
    assert _check(tmp_path).returncode == 0
    return tmp_path


@pytest.mark.parametrize(
    ("name", "text", "complaint"),
    [
        ("View.vue", '<template>\n  <h1>{{ t("a.title") }} 居民</h1>\n</template>\n', "text in the template"),
        ("View.vue", "<template>\n  <h1>Residents</h1>\n</template>\n", "text in the template"),
        ("View.vue", '<template>\n  <el-input placeholder="Name" />\n</template>\n', "is not translated"),
        ("View.vue", '<template>\n  <h1>{{ t("a.subtitle") }}</h1>\n</template>\n', "is in no language"),
        ("util.js", 'export const label = "居民";\n', "Chinese text outside"),
    ],
)
def test_checker_names_an_untranslated_string(tiny_source: Path, name: str, text: str, complaint: str) -> None:
    (tiny_source / name).write_text(text, encoding="utf-8")
    result = _check(tiny_source)
    assert result.returncode == 1 and complaint in result.stderr, result.stderr


def test_checker_names_a_key_missing_in_one_language(tiny_source: Path) -> None:
    (tiny_source / "locales" / "en.json").write_text(json.dumps({"a": {}}), encoding="utf-8")
    result = _check(tiny_source)
    assert result.returncode == 1 and "locales/en.json: missing a.title" in result.stderr, result.stderr


@pytest.mark.parametrize(
    ("message", "refused"),
    [
        ("{n} rows", True),
        ("First {shown} rows", True),
        ("{n} provinces gain", True),
        ("{n} row | {n} rows", False),
        ("{field} is required", False),
        ("{count} admitted", False),
    ],
)
def test_checker_names_a_count_without_a_singular_form(tiny_source: Path, message: str, refused: bool) -> None:
    """An English count before a plural noun ("1 rows" when n is 1) needs vue-i18n's "one | other" forms."""
    messages = {"a": {"title": "Title", "count": message}}
    (tiny_source / "locales" / "en.json").write_text(json.dumps(messages), encoding="utf-8")
    zh = {"a": {"title": "标题", "count": "{n} 行"}}
    (tiny_source / "locales" / "zh-CN.json").write_text(json.dumps(zh, ensure_ascii=False), encoding="utf-8")
    result = _check(tiny_source)
    assert (result.returncode == 1) == refused, result.stderr
    assert ("a.count counts without a singular form" in result.stderr) == refused


def _messages(tree: dict[str, object], prefix: str = "") -> dict[str, str]:
    """Every message of a locale file by its dotted key."""
    flat: dict[str, str] = {}
    for key, value in tree.items():
        if isinstance(value, dict):
            flat |= _messages(value, f"{prefix}{key}.")
        else:
            flat[f"{prefix}{key}"] = str(value)
    return flat


def test_no_english_message_reads_as_a_program_value_or_holds_chinese() -> None:
    """A resident's empty statement table read "None" (a Python value to anyone who has seen one): an empty list says
    what is empty in words. Chinese appears in the English office only in the brand and the language switch."""
    english = _messages(json.loads((ROOT / "frontend" / "src" / "locales" / "en.json").read_text(encoding="utf-8")))
    programmatic = {k: v for k, v in english.items() if v.strip() in {"None", "null", "undefined", "NaN", "nil"}}
    assert programmatic == {}
    chinese = {k: v for k, v in english.items() if CJK.search(v) and k not in {"app.logo", "app.switchLanguage"}}
    assert chinese == {}


@pytest.mark.parametrize(
    ("message", "refused"),
    [
        ("依据: {source}", True),
        ("持居住证时间 : {months}", True),
        ("（原文）:", True),
        ("依据：{source}", False),
        ("时间 {from}–{to}，09:00 起", False),  # a clock time's colon follows a digit
        ("Source: {source}", False),
    ],
)
def test_checker_names_an_ascii_colon_after_chinese_text(tiny_source: Path, message: str, refused: bool) -> None:
    """Chinese text takes the full-width colon: "依据: " (what the caseworker's points page showed) is refused."""
    zh = {"a": {"title": "标题", "line": message}}
    (tiny_source / "locales" / "zh-CN.json").write_text(json.dumps(zh, ensure_ascii=False), encoding="utf-8")
    (tiny_source / "locales" / "en.json").write_text(json.dumps({"a": {"title": "Title", "line": "x"}}), "utf-8")
    result = _check(tiny_source)
    assert (result.returncode == 1 and "ASCII colon" in result.stderr) == refused, result.stderr
