"""The report's two languages: Chinese by default, English with `--lang en`; numbers in 万 / 亿 for Chinese."""

from __future__ import annotations

from changzhu.domain.lang import Lang  # the one language type (domain); report modules import it from here too


def people(value: float | None, lang: Lang) -> str:
    """A count of people or things: 1.41亿 / 3,758万 in Chinese, 1,411,778,724 in English; '—' when unknown."""
    if value is None:
        return "—"
    if lang == Lang.ZH:
        if abs(value) >= 1e8:
            return f"{value / 1e8:,.2f}亿"
        if abs(value) >= 1e4:
            return f"{value / 1e4:,.1f}万"
        return f"{value:,.0f}"
    return f"{value:,.0f}"


def number(value: float | None, unit: str, lang: Lang) -> str:
    """A figure in its unit: counts go through `people`, rates keep two decimals."""
    if value is None:
        return "—"
    if unit in ("persons", "cases"):
        return people(value, lang)
    return f"{value:,.2f}"


def money(yuan: float, lang: Lang, decimals: int = 2, signed: bool = False) -> str:
    """An amount of yuan in words a reader of the language uses: 1,000.00 亿元 in Chinese, 100.00 billion yuan
    (or million yuan below a billion) in English, never 亿 in English text."""
    sign = "+" if signed else ""
    if lang == Lang.ZH:
        return f"{yuan / 1e8:{sign},.{decimals}f} 亿元"
    scale, word = (1e9, "billion") if abs(yuan) >= 1e9 else (1e6, "million")
    return f"{yuan / scale:{sign},.{decimals}f} {word} yuan"


def pick(zh: str, en: str, lang: Lang) -> str:
    """The text in the report's language."""
    return zh if lang == Lang.ZH else en
