"""The validation report's method text is for a reader: it says what was done in words, never a parameter path
(`simulation.dibao.*`) or a command (`changzhu validate --calibrate`); the one command it names is in a note marked
as the operator's."""

from __future__ import annotations

import re

import polars as pl

from changzhu.report.lang import Lang
from changzhu.validation.checks import Check
from changzhu.validation.section import CALIBRATE_COMMAND, validation_section

INTERNAL = ("simulation.dibao", "changzhu validate", "changzhu simulate", "--calibrate", "`")
OPERATOR_NOTE = re.compile(r"<p class='note operator' data-audience='operator'>.*?</p>", re.S)


def test_the_method_text_says_it_in_words(validation_figures: tuple[list[Check], pl.DataFrame]) -> None:
    checks, fit = validation_figures
    for lang, marked in ((Lang.ZH, "运维说明（供系统管理员）"), (Lang.EN, "For operators (system administrators)")):
        body = validation_section(checks, fit, 0.0001, lang).body_html
        notes = OPERATOR_NOTE.findall(body)
        assert len(notes) == 1 and marked in notes[0] and CALIBRATE_COMMAND in notes[0], notes
        reader = OPERATOR_NOTE.sub("", body)
        assert not [word for word in INTERNAL if word in reader], [w for w in INTERNAL if w in reader]
        calibrated = "城市申领率按本数字校准" if lang == Lang.ZH else "urban take-up is calibrated to this figure"
        assert calibrated in reader
