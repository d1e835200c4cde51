"""A reform as people know it: the title its YAML gives (`title: {zh, en}`, the shape of the shipped reforms), the
rule a saved reform's title follows, and what names a reform that has none (one model for the API's lists, run
pages, comparisons and files, and the CLI's report)."""

from __future__ import annotations

import json
from typing import Any

from changzhu.domain.lang import Lang
from changzhu.domain.refusals import RefusalCode, refusal
from changzhu.rules.catalog import policies_in_use
from changzhu.rules.errors import ScenarioError

TITLE_MAX = 200  # characters of one language's title (the saved scenario's `title` column holds 200)
SHOWN_MAX = 80  # characters of a title of the wrong shape shown back in its refusal
NAMED_CHANGES = 3  # changed parameters named in a title-less reform's words; more are counted


def given_titles(raw: object) -> tuple[str | None, str | None]:
    """The (Chinese, English) title a scenario's YAML (`raw`, as read) gives, trimmed; None where it gives none."""
    field = raw.get("title") if isinstance(raw, dict) else None
    if not isinstance(field, dict):
        return None, None
    zh, en = (str(field.get(k) or "").strip() for k in ("zh", "en"))
    return zh or None, en or None


def check_title_shape(raw: object) -> None:
    """A reform's `title:`, where it gives one, written per language (`title: {zh: …, en: …}`, docs/simulation.md);
    ScenarioError showing that shape and what was given otherwise (a plain string, a list, a key other than zh or
    en), rather than the title being taken for none: in which language a plain one is is not known."""
    field = raw.get("title") if isinstance(raw, dict) else None
    per_language = isinstance(field, dict) and set(field) <= {"zh", "en"}
    if field is None or (per_language and all(v is None or isinstance(v, str) for v in field.values())):
        return
    shown = field if isinstance(field, str) else json.dumps(field, ensure_ascii=False, default=str)
    shown = shown if len(shown) <= SHOWN_MAX else shown[: SHOWN_MAX - 1] + "…"
    raise ScenarioError(refusal(RefusalCode.SCENARIO_TITLE_SHAPE, given=f"title: {shown}"))


def check_title(raw: object) -> tuple[str | None, str | None]:
    """The title of a reform being saved: `title:` with zh or en or both (a title in one language shows in both),
    each at most TITLE_MAX characters once trimmed; ScenarioError saying what is missing, of the wrong shape
    (`check_title_shape`) or too long otherwise."""
    check_title_shape(raw)
    zh, en = given_titles(raw)
    if zh is None and en is None:
        raise ScenarioError(refusal(RefusalCode.SCENARIO_NEEDS_TITLE))
    for text in (zh, en):
        if text is not None and len(text) > TITLE_MAX:
            raise ScenarioError(refusal(RefusalCode.SCENARIO_TITLE_TOO_LONG, most=TITLE_MAX, length=len(text)))
    return zh, en


def _changes(raw: dict[str, Any], lang: Lang) -> str | None:
    """A title-less reform in words: the parameters it changes by their labels (改变：A、B 等 4 项 /
    "Changes: A, B and 2 more"); None where it changes none the files name."""
    overrides = raw.get("overrides")
    keys: list[str] = []
    if isinstance(overrides, list):
        keys = [str(o.get("parameter")) for o in overrides if isinstance(o, dict) and o.get("parameter")]
    elif isinstance(overrides, dict):
        for key, value in overrides.items():
            # a jurisdiction's block ("310100": {key: value}) or one key with its value
            keys += [str(k) for k in value] if str(key).isdigit() and isinstance(value, dict) else [str(key)]
    if not keys:
        return None
    labels = policies_in_use().parameter_labels()
    words = list(dict.fromkeys((labels.get(k) or (k, k))[0 if lang == Lang.ZH else 1] or k for k in keys))
    named, more = words[:NAMED_CHANGES], len(words) - NAMED_CHANGES
    if lang == Lang.ZH:
        return "改变：" + "、".join(named) + (f" 等 {len(words)} 项" if more > 0 else "")
    return "Changes: " + ", ".join(named) + (f" and {more} more" if more > 0 else "")


def reform_title(raw: object, lang: Lang, name: str = "") -> str:
    """A reform as a reader of `lang` knows it: its title in `lang`, else its title in the other language (shown as
    given, as the office shows any text given in one language only), else its description, else the parameters it
    changes in words, else its name."""
    zh, en = given_titles(raw)
    title = (zh or en) if lang == Lang.ZH else (en or zh)
    if title:
        return title
    if not isinstance(raw, dict):
        return name
    description = str(raw.get("description") or "").strip()
    return description or _changes(raw, lang) or str(raw.get("name") or name)
