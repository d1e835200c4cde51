"""Order never changes a result: the temporary-account rule of 国办发〔2009〕66号 art. 5 (men 50+, women 40+
insured away from their hukou place) and the transfer's effect hold whatever the order in which the contribution
months and the transfer are recorded."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, select

from changzhu.casework.worked_example import example_id, months
from changzhu.ledger.accounts import balances_frame
from changzhu.ledger.checks import ledger_problems
from changzhu.ledger.contributions import MonthPaid, Scheme, record_contributions
from changzhu.ledger.pension_rules import PensionMonth, PensionTransfer, replay_pension
from changzhu.ledger.transfers import TransferScheme, transfer
from changzhu.registry.residents import ProofKind, Registration, register_resident
from changzhu.store.checks import RegistryError
from changzhu.store.db import session_scope
from changzhu.store.resident_models import ContributionMonthRow, PensionRelationRow, PersonRow

_serial = itertools.count(1)


@dataclass(frozen=True)
class Story:
    """A worker's life: where they paid (chronological stints) and one transfer applied on a date."""

    sex_region: str  # region code used in the identity number; its sex digit follows the serial
    born: date
    hukou: str
    stints: tuple[tuple[str, tuple[int, int], tuple[int, int], int], ...]  # region, first, last month, base yuan
    transfer: tuple[str, str, date]
    temp_region: str  # the place where art. 5 opens a temporary account


# A man born 1958-06-15 (51 in 2010) from 成都; a woman born 1972-03-10 (40 in 2013) from 安庆.
STORIES = {
    "man_home": Story(
        "510104",
        date(1958, 6, 15),
        "510100",
        (
            ("440300", (1990, 1), (2005, 12), 3_000),
            ("320500", (2010, 1), (2012, 12), 6_000),
            ("510100", (2013, 2), (2015, 12), 4_000),
        ),
        ("440300", "510100", date(2013, 2, 1)),
        "320500",
    ),
    "man_elsewhere": Story(
        "510104",
        date(1958, 6, 15),
        "510100",
        (
            ("440300", (1990, 1), (2005, 12), 3_000),
            ("320500", (2010, 1), (2012, 12), 6_000),
            ("440300", (2013, 2), (2014, 12), 7_000),
        ),
        ("440300", "330100", date(2013, 1, 1)),
        "320500",
    ),
    "woman_home": Story(
        "340811",
        date(1972, 3, 10),
        "340800",
        (
            ("310100", (1995, 1), (2010, 12), 2_500),
            ("320500", (2013, 1), (2016, 6), 5_500),
            ("340800", (2016, 9), (2018, 12), 3_500),
        ),
        ("310100", "340800", date(2016, 9, 1)),
        "320500",
    ),
}


def _register(engine: Engine, story: Story) -> str:
    n = next(_serial)
    sex_digit = 1 if story.born.year == 1958 else 2  # odd = man, even = woman (GB 11643)
    number = example_id(story.sex_region, story.born, (n * 10 + sex_digit) % 1000)
    reg = Registration(number, story.hukou, story.stints[0][0], date(1990, 1, 1), ProofKind.EMPLOYMENT, "c", {})
    return str(register_resident(engine, reg, actor="t", key=f"order-{n}")["person_key"])


def _batches(story: Story, cuts: list[int]) -> list[tuple[str, list[MonthPaid]]]:
    """Each stint's months split at the given cut fractions (per mille) into one to three batches."""
    out: list[tuple[str, list[MonthPaid]]] = []
    for i, (region, first, last, base) in enumerate(story.stints):
        paid = months(first, last, base)
        at = sorted({max(1, min(len(paid) - 1, len(paid) * c // 1000)) for c in cuts[2 * i : 2 * i + 2]})
        for lo, hi in itertools.pairwise([0, *at, len(paid)]):
            if hi > lo:
                out.append((region, paid[lo:hi]))
    return out


def _record(engine: Engine, person: str, steps: list[object], story: Story) -> None:
    src, dst, on = story.transfer
    for i, step in enumerate(steps):
        if step == "transfer":
            transfer(engine, person, TransferScheme.PENSION, src, dst, on, transfer_no=f"{person}-transfer", actor="t")
        else:
            region, paid = step  # type: ignore[misc]
            record_contributions(engine, person, Scheme.PENSION, region, paid, actor="t", key=f"{person}-{i}")


def _state(engine: Engine, person: str) -> tuple[dict[str, int], dict[int, tuple[str, str, bool]], tuple[object, ...]]:
    bal = balances_frame(engine, person_key=person)
    accounts = {a.split(":", 2)[2]: b for a, b in zip(bal["account"], bal["balance"], strict=True) if b}
    with session_scope(engine) as s:
        pid = s.scalar(select(PersonRow.id).where(PersonRow.person_key == person))
        rows = s.execute(select(ContributionMonthRow).where(ContributionMonthRow.person_id == pid)).scalars()
        held = {r.period: (r.paid_region, r.held_region, r.temporary) for r in rows}
        rel = s.get(PensionRelationRow, pid)
        relation = (rel.region, rel.temp_region) if rel else ()
    return accounts, held, relation


def _funds(engine: Engine) -> dict[str, int]:
    f = balances_frame(engine, prefix="F:pension_pooled:")
    return dict(zip(f["account"], f["balance"], strict=True))


def _delta(before: dict[str, int], after: dict[str, int]) -> dict[str, int]:
    return {k: v - before.get(k, 0) for k, v in after.items() if v != before.get(k, 0)}


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    name=st.sampled_from(sorted(STORIES)),
    cuts=st.lists(st.integers(0, 1000), min_size=6, max_size=6),
    data=st.data(),
)
def test_recording_order_never_changes_the_pension_holdings(
    engine: Engine, name: str, cuts: list[int], data: st.DataObject
) -> None:
    story = STORIES[name]
    batches = _batches(story, cuts)
    src = story.transfer[0]
    # the chronological order: months by period, the transfer at its date
    on = story.transfer[2].year * 100 + story.transfer[2].month
    before = [b for b in batches if b[1][0].period < on]
    chronological: list[object] = [*before, "transfer", *[b for b in batches if b[1][0].period >= on]]
    shuffled: list[object] = list(data.draw(st.permutations(batches)))
    first_src = next(i for i, b in enumerate(shuffled) if b[0] == src and b[1][0].period < on)  # type: ignore[index]
    shuffled.insert(data.draw(st.integers(first_src + 1, len(shuffled))), "transfer")

    funds = _funds(engine)
    reference = _register(engine, story)
    _record(engine, reference, chronological, story)
    funds_ref = _delta(funds, _funds(engine))
    other = _register(engine, story)
    _record(engine, other, shuffled, story)
    funds_other = _delta(funds, _funds(engine))

    ref_accounts, ref_held, ref_relation = _state(engine, reference)
    accounts, held, relation = _state(engine, other)
    assert (accounts, held, relation) == (ref_accounts, ref_held, ref_relation), shuffled
    assert funds_other == {k: 2 * v for k, v in funds_ref.items()}  # the same money again, by the second person
    assert ledger_problems(engine) == []
    # art. 5 itself: the late-life months away from home are in a temporary account unless the transfer brought
    # them home (a transfer into the hukou place consolidates temporary accounts)
    late = [p for p, (paid, _, _) in held.items() if paid == story.temp_region]
    home = story.transfer[1] == story.hukou
    assert (
        all(held[p] == (story.temp_region, story.hukou, False) for p in late)
        if home
        else all(held[p] == (story.temp_region, story.temp_region, True) for p in late)
    )


def test_months_recorded_before_earlier_ones_still_open_the_temporary_account(engine: Engine) -> None:
    """The regression: Suzhou months of a 51-year-old recorded first used to found the relationship there."""
    story = STORIES["man_elsewhere"]
    person = _register(engine, story)
    late = months((2010, 1), (2012, 12), 6_000)
    first = record_contributions(engine, person, Scheme.PENSION, "320500", late, actor="t", key=f"{person}-late")
    assert first["temporary"] is False  # alone, these months are the first relationship
    early = months((1990, 1), (2005, 12), 3_000)
    record_contributions(engine, person, Scheme.PENSION, "440300", early, actor="t", key=f"{person}-early")
    accounts, held, relation = _state(engine, person)
    assert relation == ("440300", "320500")
    assert all(held[p.period] == ("320500", "320500", True) for p in late)  # the rows say so too
    assert accounts["pension_months_temp:320500"] == 36 and accounts["pension_months:440300"] == 192
    # 36 months × 6,000 yuan × 8% (individual rate from 2006) = 17,280 yuan in the temporary account
    assert accounts["pension_individual_temp:320500"] == 36 * 6_000 * 8
    with pytest.raises(RegistryError, match="temporary account"):
        transfer(
            engine, person, TransferScheme.PENSION, "440300", "320500", date(2013, 1, 1), transfer_no="x", actor="t"
        )


def test_a_transfer_that_the_months_contradict_is_refused_naming_it(engine: Engine) -> None:
    """A completed transfer into Suzhou, then Suzhou months showing that Suzhou is a temporary account."""
    story = STORIES["man_elsewhere"]
    person = _register(engine, story)
    early = months((1990, 1), (2005, 12), 3_000)
    record_contributions(engine, person, Scheme.PENSION, "440300", early, actor="t", key=f"{person}-early")
    transfer(engine, person, TransferScheme.PENSION, "440300", "320500", date(2013, 6, 1), transfer_no="t1", actor="t")
    before = _state(engine, person)
    late = months((2010, 1), (2012, 12), 6_000)
    with pytest.raises(RegistryError, match="transfer t1 to 320500"):
        record_contributions(engine, person, Scheme.PENSION, "320500", late, actor="t", key=f"{person}-late")
    assert _state(engine, person) == before  # nothing half-stored


def test_replay_is_a_function_of_the_facts_not_their_order() -> None:
    """The pure replay gives the same holdings for any order of its inputs (hand-checked expectations)."""
    facts = [
        PensionMonth(1, 200101, "440300"),
        PensionMonth(2, 201101, "320500"),  # man born 1958-06: 52 → temporary
        PensionMonth(3, 201301, "440300"),  # back where the relationship is
    ]
    moves = [PensionTransfer(201302, "440300", "510100", "home")]
    for order in itertools.permutations(facts):
        state = replay_pension("M", date(1958, 6, 15), "510100", list(order), moves)
        assert state.held == {1: ("510100", False), 2: ("510100", False), 3: ("510100", False)}
        assert (state.region, state.temp_region) == ("510100", None)
    state = replay_pension("M", date(1958, 6, 15), "510100", facts, [])
    assert state.held == {1: ("440300", False), 2: ("320500", True), 3: ("440300", False)}
