"""The rules a service's person pages need, made ready when it starts.

A resident's page and the office's person page decide one registered person and explain the decision. The first
such request after a start pays for what every later one reuses: the policies read and resolved for the person's
city, the region and parameter tables, the rules' modules imported (measured on 2 cores at load 7: a first /me
overview took 6.1–6.9 s after a plain start, 2.0–3.6 s after this; later ones ≈1 s). `changzhu serve` runs
`warm_rules` in a thread as it starts: one registered person per city of residence, decided and explained the way
those pages do it, nothing written. (A table of one or two people is decided without the compiled kernels, so
nothing is compiled here; a large upload or run compiles its kernels once into the kernel cache.)"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from sqlalchemy import Engine, func, select

from changzhu.api.people import person_table
from changzhu.api.routes.eligibility import person_explanation
from changzhu.api.settings import ApiSettings
from changzhu.domain.lang import Lang
from changzhu.registry.decide import evaluate_registered
from changzhu.store.db import session_scope
from changzhu.store.resident_models import PersonRow


def one_person_per_city(engine: Engine) -> list[int]:
    """The lowest person id of each city of residence in the registry."""
    query = select(func.min(PersonRow.id)).group_by(PersonRow.residence_region).order_by(PersonRow.residence_region)
    with session_scope(engine) as session:
        return [int(pid) for pid in session.scalars(query)]


def warm_rules(
    engine: Engine, settings: ApiSettings, on: date, ready: Callable[[str, int, int], None] = lambda *_: None
) -> list[str]:
    """Decide and explain one registered person of each city on `on` as the person pages do; the cities warmed.
    `ready(city, done, total)` is called as each city's rules are ready."""
    cities: list[str] = []
    chosen = one_person_per_city(engine)
    for person_id in chosen:
        with session_scope(engine) as session:
            person = session.get(PersonRow, person_id)
            assert person is not None
            session.expunge(person)
        evaluate_registered(person_table(engine, person_id), on)
        person_explanation(engine, settings, person, on, None, Lang.ZH)
        cities.append(person.residence_region)
        ready(person.residence_region, len(cities), len(chosen))
    return cities
