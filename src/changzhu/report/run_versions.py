"""A stored run's versions as a person reads them (the run page says the same, frontend RunView.vue): the data it
read in words, its stored value (with the digest of the parameter files) kept for support."""

from __future__ import annotations

import re

from changzhu.domain.lang import Lang
from changzhu.rules.labels import pick_label

CENSUS = re.compile(r"^census(\d{4})\+")  # a run's data version: census2020+parameters:<digest of the files>


def data_words(version: str | None, lang: Lang) -> str:
    """A run's data version in words ("2020 年全国人口普查；本系统的参数文件"), as the run page says it; the stored
    value (with its digest) is for support, in a column of its own."""
    census = CENSUS.match(version or "")
    if census:
        return pick_label(
            (
                f"{census[1]} 年全国人口普查；本系统的参数文件",
                f"The {census[1]} national census; this system's parameter files",
            ),
            lang,
        )
    return pick_label(("本系统的人口数据和参数文件", "This system's population data and parameter files"), lang)
