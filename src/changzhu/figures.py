"""How a figure reads: a negative one with the true minus sign (U+2212, "−1.2"), as the docs write it, in every
text meant for reading (the report's cells and sentences, the terminal's tables, the charts' labels); the files for
machines (CSV, XLSX, Parquet, JSON) keep their numbers as numbers."""

from __future__ import annotations

import re

MINUS = "\u2212"
# a hyphen-minus in front of a figure where it is a sign: at the start, or after a space, a bracket, a colon, an
# equals or a slash; never between figures (a date 2020-11-01, an age band 6-11) nor in a word or option (--limit)
SIGN = re.compile(r"(?<![\w.\-−])-(?=\.?\d)")


def minus(text: str) -> str:
    """`text` with each negative figure's sign as the true minus: "-1.2" → "−1.2", "(-21.4 %)" → "(−21.4 %)"."""
    return SIGN.sub(MINUS, text)


# a piece of HTML that is not text a reader sees: a script or a style with its content, a comment, a tag
_NOT_TEXT = re.compile(r"(<script\b.*?</script>|<style\b.*?</style>|<!--.*?-->|<[^>]*>)", re.DOTALL | re.IGNORECASE)


def minus_in_html(html: str) -> str:
    """An HTML fragment whose text (between tags; never a tag's attributes, a script or a style) writes each negative
    figure with the true minus (`minus`)."""
    parts = _NOT_TEXT.split(html)
    return "".join(part if i % 2 else minus(part) for i, part in enumerate(parts))
