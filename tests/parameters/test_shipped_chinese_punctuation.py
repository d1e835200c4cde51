"""The shipped data's Chinese text uses full-width punctuation: a source or label a reader sees in Chinese writes
（国务院令第663号）, not (国务院令第663号), and 统计公告（教育部），生均…, not 统计公告 (教育部), 生均….

Until 2026-12-04 the unit costs of the simulation (生均一般公共预算教育事业费), the income and asset parameters, the
residence-permit rules and the fiscal schemes cited their documents with half-width brackets, colons and commas
inside Chinese, so the reports and the office showed "2019 全国教育经费执行情况统计公告 (教育部/国家统计局/财政部),
生均…". Half-width stays in English text (a source's English, an English note), in URLs (https://) and in numbers
(11,949 元)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from changzhu.domain.lang import Lang
from changzhu.parameters.tree import parameter_tree

SRC = Path(__file__).resolve().parents[2] / "src" / "changzhu"
SHIPPED_YAML = sorted(
    [
        *(SRC / "parameters" / "files").glob("*.yaml"),
        *(SRC / "data" / "files").glob("*.yaml"),
        *(SRC / "rules" / "policies").rglob("*.yaml"),
        *(SRC / "scenarios").glob("*.yaml"),
    ]
)
HAN = "\u4e00-\u9fff"
CHINESE = f"{HAN}\u3000-\u303f\uff00-\uffef"  # Chinese characters and full-width punctuation (《》（）：，)
# a half-width bracket, colon, comma or semicolon next to Chinese: after a Chinese character or mark, or a bracket or
# colon before one ("(教育部", "公告 (", "第十三条:")
HALF_WIDTH = re.compile(rf"[{CHINESE}] ?[():;,]|[():] ?[{HAN}]")
# keys whose text is English (an English reader's, or a note for developers written in English)
ENGLISH_KEYS = {"en", "source_en", "title_en", "note", "description"}


def chinese(text: str) -> bool:
    """Text written in Chinese: more Chinese characters than Latin letters."""
    return len(re.findall(f"[{HAN}]", text)) > len(re.findall("[A-Za-z]", text))


def half_width_in(text: str) -> list[str]:
    """Each half-width mark inside the text's Chinese, with the characters around it."""
    if not chinese(text):
        return []
    return [text[max(0, m.start() - 6) : m.end() + 6] for m in HALF_WIDTH.finditer(text)]


def texts(node: object, key: str = "") -> list[tuple[str, str]]:
    """Every string of a YAML document with the key it is under, leaving out the English ones."""
    if isinstance(node, dict):
        return [t for k, v in node.items() if str(k) not in ENGLISH_KEYS for t in texts(v, str(k))]
    if isinstance(node, list):
        return [t for v in node for t in texts(v, key)]
    return [(key, node)] if isinstance(node, str) else []


def test_half_width_marks_inside_chinese_are_found() -> None:
    assert half_width_in("《居住证暂行条例》(国务院令第663号) 第二条")
    assert half_width_in("统计公告 (教育部/国家统计局/财政部), 生均一般公共预算教育事业费")
    assert half_width_in("第十三条:居住证持有人")
    assert half_width_in("《居住证暂行条例》（国务院令第663号）第二条，普通小学 11,949 元") == []
    assert half_width_in("转引自 https://www.tjjfrh.com/lhfzb/6406.html 的数字") == []
    assert half_width_in("2019 average wage, urban non-private units, 教育 (NBS, 中国统计年鉴2020)") == []


def test_every_parameters_chinese_source_and_label_uses_full_width_punctuation() -> None:
    tree = parameter_tree()
    found = {
        f"{code} {key}: {bad}"
        for code, params in tree.by_jurisdiction.items()
        for key, param in params.items()
        for text in (param.label_zh, *(value.cited(Lang.ZH) for value in param.values))
        for bad in half_width_in(text)
    }
    assert sorted(found) == []


@pytest.mark.parametrize("path", SHIPPED_YAML, ids=lambda p: p.name)
def test_the_shipped_files_chinese_text_uses_full_width_punctuation(path: Path) -> None:
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    found = [f"{key}: {bad}" for key, text in texts(document) for bad in half_width_in(text)]
    assert found == [], path.relative_to(SRC)
