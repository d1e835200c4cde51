"""Each service's title in each language comes from one place (domain.services.service_title), and the surfaces
that head a service by its title (an explanation, the upload tables' labels) show that one."""

from __future__ import annotations

import re
from typing import Literal

import pytest
from rules_support import ON, random_people
from sqlalchemy import create_engine

from changzhu.api.upload_labels import result_columns
from changzhu.domain.lang import Lang
from changzhu.domain.services import Service, service_title
from changzhu.report.lang import Lang as ReportLang
from changzhu.rules.explain import explain

CJK = re.compile(r"[\u3400-\u9fff]")


def test_every_service_has_a_distinct_title_in_each_language() -> None:
    for lang in Lang:
        titles = [service_title(service, lang) for service in Service]
        assert all(titles) and len(set(titles)) == len(titles), lang
    assert all(CJK.search(service_title(s, Lang.ZH)) for s in Service)
    assert not any(CJK.search(service_title(s, Lang.EN)) for s in Service)


def test_the_reports_language_is_the_domains() -> None:
    assert ReportLang is Lang


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_an_explanation_heads_each_service_by_its_title(lang: Literal["zh", "en"]) -> None:
    shown = explain(random_people(1, 3), ON, lang=lang, all_services=True)
    assert {item.service for item in shown.services} == {s.value for s in Service}
    for item in shown.services:
        assert item.title == service_title(Service(item.service), Lang(lang))


def test_an_upload_results_outputs_are_labelled_by_the_titles() -> None:
    rows = [{"output": s.value} for s in Service]
    (column,) = result_columns(create_engine("sqlite://"), rows)
    for service in Service:
        label = column.values[service.value]
        assert (label.zh, label.en) == (service_title(service, Lang.ZH), service_title(service, Lang.EN))
