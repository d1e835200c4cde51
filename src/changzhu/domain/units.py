"""A unit as people say it: the one table of unit words in Chinese and English (元/月, yuan a month), read by the
amounts shown in explanations (changzhu.rules.labels.amount_text) and by the refusals that name a unit."""

from __future__ import annotations

from changzhu.domain.lang import Lang

# unit code -> (Chinese word, English word); empty for a plain number (a share, a count, a coefficient)
UNIT_WORDS: dict[str, tuple[str, str]] = {
    "yuan": ("元", "yuan"),
    "yuan/month": ("元/月", "yuan a month"),
    "yuan/year": ("元/年", "yuan a year"),
    "months": ("个月", "months"),
    "years": ("年", "years"),
    "points": ("分", "points"),
    "people": ("人", "people"),
    "hours": ("小时", "hours"),
    "patents": ("项", "patents"),
    "km": ("公里", "km"),
    "square_metres": ("平方米", "m²"),
    "per_thousand": ("‰", "‰"),
    "ratio": ("", ""),
    "coefficient": ("", ""),
    "count": ("", ""),
    "number": ("", ""),
    "bool": ("", ""),
}


def unit_word(unit: str, lang: Lang | str) -> str:
    """`unit`'s word in `lang` (zh or en; empty for a plain number, the code itself for a unit the table lacks)."""
    zh, en = UNIT_WORDS.get(unit, (unit, unit))
    return zh if lang == Lang.ZH else en
