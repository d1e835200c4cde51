"""Registry contents as polars tables: residence events (for flow monitoring) and the person table."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Literal

import polars as pl
from sqlalchemy import Engine, func, select

from changzhu.domain.person import PERSON_COLUMNS, PERSON_SCHEMA
from changzhu.registry.residents import fact_types
from changzhu.store.db import session_scope
from changzhu.store.resident_models import (
    ContributionMonthRow,
    HouseholdLinkRow,
    PersonAttributeRow,
    PersonRow,
    ResidenceEventRow,
)

MOVES_SCHEMA: dict[str, pl.DataType] = {
    "person_key": pl.String(),
    "from_region": pl.String(),
    "to_region": pl.String(),
    "moved_on": pl.Date(),
    # move_out / move_out_undone: a 跨省通办 hand-over to another province's instance, and its reversal (a flow out
    # and the same flow back: their net is nothing); move_in_return: a person handed over before coming back
    "kind": pl.Enum(["registration", "move", "settlement", "move_out", "move_out_undone", "move_in_return"]),
}


def moves_frame(engine: Engine) -> pl.DataFrame:
    """Registrations, moves, hukou settlements, 跨省通办 moves out (and their reversals) and returns in date order
    (registration: from = hukou place)."""
    query = (
        select(
            PersonRow.person_key,
            ResidenceEventRow.from_region,
            ResidenceEventRow.to_region,
            ResidenceEventRow.on_date,
            ResidenceEventRow.kind,
        )
        .join(PersonRow, PersonRow.id == ResidenceEventRow.person_id)
        .order_by(ResidenceEventRow.on_date, ResidenceEventRow.id)
    )
    with session_scope(engine) as session:
        rows = [tuple(r) for r in session.execute(query)]
    return pl.DataFrame(rows, schema=MOVES_SCHEMA, orient="row")


def _months(engine: Engine, scheme: str, person_ids: Collection[int] | None) -> pl.DataFrame:
    query = (
        select(ContributionMonthRow.person_id, ContributionMonthRow.paid_region, func.count())
        .where(ContributionMonthRow.scheme == scheme)
        .group_by(ContributionMonthRow.person_id, ContributionMonthRow.paid_region)
    )
    if person_ids is not None:
        query = query.where(ContributionMonthRow.person_id.in_(list(person_ids)))
    with session_scope(engine) as session:
        rows = [tuple(r) for r in session.execute(query)]
    return pl.DataFrame(rows, schema={"pid": pl.Int64, "region": pl.String, "months": pl.Int32}, orient="row")


def person_frame(engine: Engine, person_ids: Collection[int] | None = None) -> pl.DataFrame:
    """Registered people (all, or those in `person_ids`, in that order) as a person table.

    Columns come from PERSON_COLUMNS, in order; a parent outside the selection gives a null parent_id. Without a
    household link, parent_lives_here is null (unknown: the rules on the parent are undetermined) unless the fact
    was given.

    Then the inputs the jurisdictions in use declare, null where not given (unknown).

    Stored columns come from the persons table, parent_id from household links, and the insurance months
    (INSURANCE_MONTH_COLUMNS) from contribution records: once the registry holds one record of a scheme for the
    person, their history of it is known, and a place without a record counts 0 months. Without any record of the
    scheme, the months are the facts given (a caseworker's statement, at registration, import or by PATCH facts),
    else null: unknown, never 0 — the rules reading them are undetermined and name them. Any other column comes
    from the facts given at registration or import (person_attributes) and is null where none was given (so
    validate_person_table names what is still missing).
    """
    people_query = select(PersonRow)
    links_query = select(HouseholdLinkRow.child_id, func.min(HouseholdLinkRow.parent_id)).group_by(
        HouseholdLinkRow.child_id
    )
    if person_ids is not None:
        people_query = people_query.where(PersonRow.id.in_(list(person_ids)))
        links_query = links_query.where(HouseholdLinkRow.child_id.in_(list(person_ids)))
    facts_query = select(PersonAttributeRow)
    if person_ids is not None:
        facts_query = facts_query.where(PersonAttributeRow.person_id.in_(list(person_ids)))
    with session_scope(engine) as session:
        people = list(session.execute(people_query).scalars().all())
        links = session.execute(links_query).all()
        facts: dict[int, dict[str, object]] = {}
        for fact in session.execute(facts_query).scalars():
            facts.setdefault(fact.person_id, {})[fact.name] = fact.value()
    if person_ids is not None:
        order = {pid: i for i, pid in enumerate(person_ids)}
        people.sort(key=lambda row: order[row.id])
    selected = {p.id for p in people}
    parent_of = {child: parent for child, parent in links if parent in selected}
    held = _Ledger.of(engine, person_ids)
    records = []
    for p in people:
        given_facts = facts.get(p.id, {})
        derived: dict[str, object] = {
            "person_id": p.id,
            "sex": p.sex,
            "birth_date": p.birth_date,
            "hukou_region": p.hukou_region,
            "residence_region": p.residence_region,
            "residence_since": p.residence_since,
            "residence_permit_since": p.residence_permit_since,
            "prior_region": p.prior_region,
            "prior_residence_months": p.prior_residence_months,
            "parent_id": parent_of.get(p.id),
            **{name: counted.months for name, counted in held.counted(p, given_facts).items()},
        }
        given = {c.name: derived.get(c.name, given_facts.get(c.name)) for c in PERSON_COLUMNS}
        # optional columns not given at registration take the schema's default, as validate_person_table does
        records.append(
            {c.name: c.default if c.optional and given[c.name] is None else given[c.name] for c in PERSON_COLUMNS}
        )
    frame = pl.DataFrame(records, schema={c.name: _loose(c.name) for c in PERSON_COLUMNS}, orient="row")
    core = frame.cast(PERSON_SCHEMA, strict=True)  # type: ignore[arg-type]
    declared = {n: t for n, t in fact_types().items() if n not in PERSON_SCHEMA}
    declared_facts = [[facts.get(p.id, {}).get(name) for p in people] for name in declared]
    return core.hstack([pl.Series(n, v, dtype=t) for (n, t), v in zip(declared.items(), declared_facts, strict=True)])


MonthsSource = Literal["contributions", "stated", "no_prior_place"]


@dataclass(frozen=True)
class CountedMonths:
    """Insurance months as the rules read them, and where they come from: counted from the contribution records
    (`contributions`: the registry holds the scheme's history), the fact given (`stated`), 0 for a person with no
    previous place (`no_prior_place`), or None and no source: unknown, never 0."""

    months: int | None
    source: MonthsSource | None


@dataclass(frozen=True)
class _Ledger:
    """The contribution records of some people: months by (person, place) and scheme, and who holds a history."""

    pension_at: dict[tuple[int, str], int]
    medical_at: dict[tuple[int, str], int]
    pension_total: dict[int, int]
    medical_held: set[int]

    @classmethod
    def of(cls, engine: Engine, person_ids: Collection[int] | None) -> _Ledger:
        pension, medical = _months(engine, "pension", person_ids), _months(engine, "medical", person_ids)
        totals = pension.group_by("pid").agg(pl.col("months").sum())
        return cls(
            {(pid, region): months for pid, region, months in pension.iter_rows()},
            {(pid, region): months for pid, region, months in medical.iter_rows()},
            {pid: int(m) for pid, m in totals.iter_rows()},
            set(medical["pid"].to_list()),
        )

    def counted(self, p: PersonRow, given: Mapping[str, object]) -> dict[str, CountedMonths]:
        """The insurance months (INSURANCE_MONTH_COLUMNS) of person `p` whose facts given are `given`."""
        paid, here, prior = p.id in self.pension_total, p.residence_region, p.prior_region
        return {
            "si_months_local": _counted(given, "si_months_local", paid, self.pension_at.get((p.id, here), 0)),
            "si_months_total": _counted(given, "si_months_total", paid, self.pension_total.get(p.id, 0)),
            "medical_months_local": _counted(
                given, "medical_months_local", p.id in self.medical_held, self.medical_at.get((p.id, here), 0)
            ),
            # no previous place: nothing paid there (validate_person_table's rule)
            "prior_si_months": CountedMonths(0, "no_prior_place")
            if prior is None
            else _counted(given, "prior_si_months", paid, self.pension_at.get((p.id, prior), 0)),
        }


def counted_months(engine: Engine, person: PersonRow) -> dict[str, CountedMonths]:
    """One person's insurance months as person_frame gives them to the rules, each with where it comes from (what
    the facts dialog shows, so the screen and the rules read the same months)."""
    with session_scope(engine) as session:
        rows = session.execute(select(PersonAttributeRow).where(PersonAttributeRow.person_id == person.id)).scalars()
        given = {fact.name: fact.value() for fact in rows}
    return _Ledger.of(engine, [person.id]).counted(person, given)


def _counted(given: Mapping[str, object], column: str, held: bool, months: int) -> CountedMonths:
    """The months the records count once the scheme's history is held, else the fact given (null: unknown)."""
    if held:
        return CountedMonths(months, "contributions")
    stated = given.get(column)  # months are kept as integers (fact_types)
    return CountedMonths(stated, "stated") if isinstance(stated, int) else CountedMonths(None, None)


def _loose(name: str) -> pl.DataType:
    """Enums are built as strings first, then cast, so an unknown value fails loudly."""
    dtype = PERSON_SCHEMA[name]
    return pl.String() if isinstance(dtype, pl.Enum) else dtype
