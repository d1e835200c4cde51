"""Every output the rules decide (a service, a points total) has a label in Chinese and in English in the one place
labels live (rules.labels.output_labels), and the surfaces that name outputs (an upload's summary, the CLI's
tables) show that label."""

from __future__ import annotations

import re

from rules_support import ON, random_people
from sqlalchemy import create_engine

from changzhu.api.upload_labels import result_columns
from changzhu.cli.rules import _titles
from changzhu.domain.lang import Lang
from changzhu.rules.catalog import policies_in_use
from changzhu.rules.evaluate import evaluate
from changzhu.rules.labels import output_labels
from changzhu.rules.summary import ELIGIBLE, POINTS, RANGE_PREFIXES, eligibility_summary

CJK = re.compile(r"[\u3400-\u9fff]")


def _produced() -> set[str]:
    """The output names of an evaluation of the shipped policies over people in eight cities: its decision and
    points columns, and the outputs its summary counts."""
    result = evaluate(random_people(400, 11), ON)
    columns = {c.removeprefix(ELIGIBLE) for c in result.columns if c.startswith(ELIGIBLE)}
    columns |= {c for c in result.columns if c.startswith(POINTS) and not c.startswith(RANGE_PREFIXES)}
    return columns | set(eligibility_summary(result)["output"].to_list())


def test_every_output_the_rules_produce_has_a_label_in_both_languages() -> None:
    labels = output_labels(policies_in_use())
    produced = _produced()
    assert any(name.startswith(POINTS) for name in produced)  # the points schemes are among them
    unlabelled = sorted(name for name in produced if name not in labels)
    assert unlabelled == []
    wrong = {
        name: labels[name]
        for name in produced
        if not (CJK.search(labels[name][0]) and labels[name][1].strip() and not CJK.search(labels[name][1]))
    }
    assert wrong == {}, "a label missing in a language, or Chinese in the English one"


def test_the_surfaces_name_each_output_by_its_label() -> None:
    labels = output_labels(policies_in_use())
    produced = sorted(_produced())
    (column,) = result_columns(create_engine("sqlite://"), [{"output": name} for name in produced])
    assert {name: (v.zh, v.en) for name, v in column.values.items()} == {name: labels[name] for name in produced}
    for lang, index in ((Lang.ZH, 0), (Lang.EN, 1)):
        titles = _titles(lang)
        assert {name: titles[name] for name in produced} == {name: labels[name][index] for name in produced}
