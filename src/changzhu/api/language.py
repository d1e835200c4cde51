"""The language an answer's words are in: the request's `lang` query parameter (zh or en, as the routes that label
things take it), else the first of Chinese or English its Accept-Language header prefers, else Chinese."""

from __future__ import annotations

from collections.abc import Mapping

from changzhu.domain.lang import Lang


def _quality(part: str) -> float:
    """The q= weight of one Accept-Language entry (1 when absent, 0 when unreadable)."""
    for param in part.split(";")[1:]:
        key, _, value = param.strip().partition("=")
        if key.strip() == "q":
            try:
                return float(value)
            except ValueError:
                return 0.0
    return 1.0


def accepted_lang(header: str | None) -> Lang | None:
    """Chinese or English, whichever the Accept-Language header ranks first (None when it names neither)."""
    ranked: list[tuple[float, int, Lang]] = []
    for order, part in enumerate((header or "").split(",")):
        primary = part.split(";")[0].strip().split("-")[0].lower()
        if primary in (Lang.ZH.value, Lang.EN.value) and _quality(part) > 0:
            ranked.append((-_quality(part), order, Lang(primary)))
    return min(ranked)[2] if ranked else None


def answer_lang(query: Mapping[str, str], headers: Mapping[str, str]) -> Lang:
    """The language of an answer to a request with this query and these headers (see the module's docstring)."""
    asked = query.get("lang")
    if asked in (Lang.ZH.value, Lang.EN.value):
        return Lang(asked)
    return accepted_lang(headers.get("accept-language")) or Lang.ZH
