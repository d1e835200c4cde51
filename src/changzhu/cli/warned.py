"""Warnings a command's work raises that say themselves in Chinese and English, printed as the command's warning
line in its language (注意：… / warning: …) rather than as Python's raw `file:line: UserWarning: …`."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager

from changzhu.domain.lang import Lang
from changzhu.geography import UnknownFigureWarning
from changzhu.output import err_console

SAID_IN_BOTH = (UnknownFigureWarning,)  # each with .text(lang)


@contextmanager
def warnings_in(lang: Lang) -> Iterator[None]:
    """Run the block; each warning of SAID_IN_BOTH it raised printed once, in `lang`, on the warning line (after the
    block, as its work ends or fails); any other warning passed on as it came."""
    caught: list[warnings.WarningMessage] = []
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("default")
            yield
    finally:  # once the filters are back (a warning passed on is not caught again); said when the work then fails
        _said(caught, lang)  # for it too (fiscal: a province without its bases)


def _said(caught: list[warnings.WarningMessage], lang: Lang) -> None:
    said: list[str] = []
    for found in caught:
        if isinstance(found.message, SAID_IN_BOTH):
            text = found.message.text(lang)
            if text not in said:
                said.append(text)
        else:
            warnings.warn_explicit(found.message, found.category, found.filename, found.lineno, source=found.source)
    for text in said:
        err_console.print(f"[yellow]{'注意：' if lang == Lang.ZH else 'warning: '}[/yellow]{text}", highlight=False)
