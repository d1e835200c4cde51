"""Quota runs: the candidates of a points admission, the declared rule that ranks them, and published runs.

A candidate's points are evaluated by the rules engine on the run date (not taken from the pre-check), so a run
ranks the facts on file that day. For 积分落户 the candidate's own points count, and only where the scheme's
prerequisites hold; for 随迁子女积分入学 the parent's points count and the child's place of residence is the
district. Points that are not fully assessed (an indicator's input unknown) are not ranked: such candidates are
returned apart with the items still unassessed.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from enum import StrEnum
from typing import Any

import polars as pl
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from changzhu.casework.applications import GRANTED, ApplicationKind
from changzhu.casework.precheck import policy_version
from changzhu.casework.quotas import Candidate, Ranking, TieBreak
from changzhu.domain.lang import Lang
from changzhu.domain.refusals import CodedError, Refusal, RefusalCode, refusal
from changzhu.domain.services import Service
from changzhu.parameters import DatedValue, Parameter
from changzhu.registry.decide import evaluate_registered
from changzhu.registry.frames import person_frame
from changzhu.rules.catalog import ResolvedPolicy, person_inputs, policies_in_use, resolve
from changzhu.rules.errors import PolicyError
from changzhu.rules.model import PointsScheme
from changzhu.rules.scenario import Override, Scenario
from changzhu.store import audit_subjects
from changzhu.store.application_models import ApplicationRow, QuotaRunRow
from changzhu.store.audit import append, now_iso
from changzhu.store.audit_reasons import because
from changzhu.store.db import session_scope
from changzhu.store.resident_models import HouseholdLinkRow, PersonRow, TransferRow
from changzhu.store.txn import write_session
from changzhu.tables.places import place_names

TIE_LOCAL_INSURANCE = "quota.tie_break.local_insurance_first"
TIE_EARLIER_RESIDENCE = "quota.tie_break.earlier_residence_first"
ANNUAL_QUOTA = "quota.points_hukou.annual_quota"


class QuotaKind(StrEnum):
    """What a run admits to."""

    POINTS_HUKOU = "points_hukou"  # 积分落户: an annual quota
    SCHOOL_PLACE = "school_place"  # 随迁子女积分入学: places per school district


APPLICATION_KIND = {
    QuotaKind.POINTS_HUKOU: ApplicationKind.POINTS,
    QuotaKind.SCHOOL_PLACE: ApplicationKind.SCHOOL_PLACE,
}


class QuotaError(CodedError):
    """A run that cannot be made: no points scheme, no quota, no capacity."""

    http_status = 422


class RunNotFound(CodedError):
    """No run has this number."""

    http_status = 404


def city_policy(region: str) -> ResolvedPolicy:
    """The rules in force for a prefecture."""
    policies = policies_in_use()
    return resolve(policies, policies.chain_for(region), None)


def city_scheme(region: str) -> PointsScheme:
    """The points scheme of the region's city; QuotaError if it has none."""
    schemes = list(city_policy(region).schemes.values())
    if not schemes:
        raise QuotaError(refusal(RefusalCode.NO_POINTS_SCHEME, region=region))
    return schemes[0]


# where a quota given by the one who ranks comes from, in each language (a run keeps it as it keeps a parameter's)
GIVEN_IN_REQUEST = {"source_zh": "发布时在请求中给出", "source_en": "given in the request"}
GIVEN_ON_COMMAND_LINE = {"source_zh": "发布时在命令行中给出", "source_en": "given on the command line"}


def sourced(param: Parameter, dated: DatedValue) -> dict[str, str]:
    """Where a parameter's value a run used comes from, as the run keeps it for a reader of either language: the
    parameter (its key and its names), the date it holds from and its source as each language's reader sees it
    (`cited`: the project's own remark in English for an English reader, a Chinese document's citation as written)."""
    return {
        "parameter": param.key,
        "label_zh": param.label_zh,
        "label_en": param.label_en,
        "since": dated.since.isoformat(),
        "source_zh": dated.cited(Lang.ZH),
        "source_en": dated.cited(Lang.EN),
    }


def tie_break(region: str, on: date) -> TieBreak:
    """The declared tie-break of the region on `on`, with the sources of its values."""
    policy = city_policy(region)
    values: dict[str, bool] = {}
    sources: dict[str, dict[str, str]] = {}
    for key in (TIE_LOCAL_INSURANCE, TIE_EARLIER_RESIDENCE):
        param, dated = policy.value(key, on)
        values[key], sources[key] = bool(dated.value), sourced(param, dated)
    return TieBreak(values[TIE_LOCAL_INSURANCE], values[TIE_EARLIER_RESIDENCE], sources)


def annual_quota(region: str, on: date) -> tuple[int, dict[str, str]]:
    """The region's annual 积分落户 quota and its source (`sourced`); QuotaError naming the parameter if none is
    declared."""
    try:
        param, dated = city_policy(region).value(ANNUAL_QUOTA, on)
    except PolicyError as exc:
        raise QuotaError(refusal(RefusalCode.NO_ANNUAL_QUOTA, region=region, parameter=ANNUAL_QUOTA)) from exc
    return int(dated.value), sourced(param, dated)


def scored(table: pl.DataFrame, on: date, scheme: PointsScheme) -> pl.DataFrame:
    """Per person: assessed points, their range, unassessed items and whether the scheme's prerequisites hold.

    The prerequisites are read as the points route's decision with the admission line set out of reach below. A
    record lacking core facts is decided as evaluate_registered decides it (unknown where a missing fact matters).
    """
    floor = Scenario("prerequisites only", (Override(scheme.line_param, -1_000_000, scheme.jurisdiction),))
    result = evaluate_registered(table, on, scenario=floor, services=[Service.POINTS_SETTLEMENT])
    name = scheme.name
    prereq = result["eligible_points_settlement"]
    return pl.DataFrame(
        {
            "person_id": result["person_id"],
            "points": result[f"points_{name}"],
            "low": result[f"points_low_{name}"],
            "high": result[f"points_high_{name}"],
            "unassessed": result[f"unassessed_{name}"],
            "prerequisites": prereq,
            "prerequisites_need": result[f"needs_{Service.POINTS_SETTLEMENT.value}"],
        }
    ).join(table.select("person_id", "si_months_local", "residence_since", "residence_region"), on="person_id")


def _parents(engine: Engine, child_ids: list[int]) -> dict[int, int]:
    query = select(HouseholdLinkRow.child_id, HouseholdLinkRow.parent_id).where(
        HouseholdLinkRow.child_id.in_(child_ids)
    )
    with session_scope(engine) as session:
        found: dict[int, int] = {}
        for child, parent in session.execute(query).all():
            found[int(child)] = min(found.get(int(child), int(parent)), int(parent))
    return found


def application_candidates(
    engine: Engine, kind: QuotaKind, region: str, on: date
) -> tuple[list[Candidate], list[dict[str, Any]]]:
    """The granted applications of the kind in the region's city as candidates, and those that cannot be ranked."""
    prefix = region[:4] if region.endswith("00") else region
    query = (
        select(
            ApplicationRow,
            PersonRow.person_key,
            PersonRow.residence_region,
            PersonRow.residence_since,
            PersonRow.moved_out_by,
            PersonRow.prior_region,
            PersonRow.id,
        )
        .join(PersonRow, PersonRow.id == ApplicationRow.person_id)
        .where(
            ApplicationRow.kind == APPLICATION_KIND[kind].value,
            ApplicationRow.status.in_([s.value for s in GRANTED]),
            ApplicationRow.region.startswith(prefix),
        )
    )
    with session_scope(engine) as session:
        found = session.execute(query).all()
        gone = [(p, r, left) for _a, _k, r, _since, moved, left, p in found if moved is not None]
        seen = _seen_by_city(session, prefix, gone)
    # a person handed over to another province's instance (跨省通办) lives there since: not ranked here; where to is
    # said only if the city's staff, who read the run, may see her
    apart: list[dict[str, Any]] = [
        {"application_id": a.id, "person_key": str(k), "reason": _moved_out(str(r), since, p in seen)}
        for a, k, r, since, moved, _left, p in found
        if moved is not None
    ]
    rows = [(a.id, a.person_id, a.submitted_at, str(k), str(r)) for a, k, r, _s, by, *_ in found if by is None]
    if not rows:
        return [], apart
    parents = _parents(engine, [r[1] for r in rows]) if kind == QuotaKind.SCHOOL_PLACE else {}
    ranked_ids = {r[1]: parents.get(r[1]) if kind == QuotaKind.SCHOOL_PLACE else r[1] for r in rows}
    wanted = sorted({p for p in ranked_ids.values() if p is not None})
    scheme = city_scheme(region)
    scores = {row["person_id"]: row for row in scored(person_frame(engine, wanted), on, scheme).iter_rows(named=True)}
    labels = _labels(region, scheme)
    candidates: list[Candidate] = []
    for app_id, person_id, submitted_at, key, residence in rows:
        ranked = ranked_ids[person_id]
        score = scores.get(ranked) if ranked is not None else None
        problem = _unrankable(kind, score, labels)
        if problem is not None:
            apart.append({"application_id": app_id, "person_key": key, "reason": problem})
            continue
        assert score is not None
        candidates.append(
            Candidate(
                app_id,
                key,
                float(score["points"]),
                int(score["si_months_local"]),
                score["residence_since"],
                submitted_at,
                residence if kind == QuotaKind.SCHOOL_PLACE else None,
            )
        )
    return candidates, apart


def _seen_by_city(session: Session, prefix: str, gone: list[tuple[int, str, str | None]]) -> set[int]:
    """Of the people handed over to another province's instance (id, where they live now, the place they left),
    those whom staff of the city of `prefix` may see, as api/access.py's `may_see` decides for staff: living there,
    having left the province from there, or with a pending transfer to it."""
    seen = {p for p, now, left in gone if now.startswith(prefix) or (left or "").startswith(prefix)}
    rest = [p for p, _now, _left in gone if p not in seen]
    if rest:
        incoming = select(TransferRow.person_id).where(
            TransferRow.person_id.in_(rest), TransferRow.status == "applied", TransferRow.to_region.startswith(prefix)
        )
        seen |= {int(p) for p in session.scalars(incoming)}
    return seen


def _moved_out(region: str, since: date, named: bool) -> dict[str, Any]:
    """Why a person handed over to another province's instance is not ranked (nor written to) here, as `_shown`
    gives a reason, the place by its name; if not `named` (the city's staff may not see her: she left the province
    from another place of it), that she moved to another province, naming no place and no date."""
    if not named:
        return moved_elsewhere_reason()
    reason = refusal(RefusalCode.PERSON_MOVED_OUT, on=since.isoformat(), region=region)
    names = {"place": place_names({region})}
    return {**reason.as_json(), "zh": reason.text(Lang.ZH, names), "en": reason.text(Lang.EN, names)}


def moved_elsewhere_reason() -> dict[str, Any]:
    """Why a person handed over to another province's instance is not ranked, as said to a reader who may not see
    her: she moved to another province, no place and no date (api/quota_reasons.py decides it per reader)."""
    return _shown(refusal(RefusalCode.PERSON_MOVED_OUT_ELSEWHERE))


def _labels(region: str, scheme: PointsScheme) -> dict[str, tuple[str, str]]:
    """(zh, en) of every input of the region's chain and every indicator of its scheme, by name."""
    found = {spec.name: (spec.label_zh, spec.label_en) for spec in person_inputs(region)}
    return found | {ind.name: ind.label for ind in scheme.indicators}


def _unrankable(
    kind: QuotaKind, score: Mapping[str, Any] | None, labels: Mapping[str, tuple[str, str]]
) -> dict[str, Any] | None:
    """Why a candidate cannot be ranked (a refusal's code and parameters, its text in each language and the names
    of what is missing), or None."""
    if score is None:
        return _shown(refusal(RefusalCode.QUOTA_NO_LINKED_PARENT))
    if kind == QuotaKind.POINTS_HUKOU and not score["prerequisites"]:
        if score["prerequisites"] is not None:
            return _shown(refusal(RefusalCode.QUOTA_PREREQUISITES_UNMET))
        missing = list(score["prerequisites_need"] or [])
        if not missing:
            return _shown(refusal(RefusalCode.QUOTA_PREREQUISITES_UNDECIDED))
        return _missing(RefusalCode.QUOTA_PREREQUISITES_MISSING, missing, labels)
    if score["low"] != score["high"]:
        unassessed = list(score["unassessed"] or [])
        if not unassessed:
            return _shown(refusal(RefusalCode.QUOTA_POINTS_UNASSESSED))
        return _missing(RefusalCode.QUOTA_POINTS_MISSING, unassessed, labels)
    if score["si_months_local"] is None:  # the tie-break: unknown without a contribution history (never 0)
        return _missing(RefusalCode.QUOTA_TIE_BREAK_MISSING, ["si_months_local"], labels)
    return None


def _shown(reason: Refusal) -> dict[str, Any]:
    """A reason as a run keeps and the office shows it: its code and parameters, and its text in each language."""
    return {**reason.as_json(), "zh": reason.zh, "en": reason.en}


def _missing(code: RefusalCode, names: list[str], labels: Mapping[str, tuple[str, str]]) -> dict[str, Any]:
    """A reason naming what is missing by its labels in both languages (the names kept for programs)."""
    shown = [labels.get(n, (n, n)) for n in names]
    missing_zh, missing_en = "、".join(z for z, _ in shown), ", ".join(e for _, e in shown)
    return {**_shown(refusal(code, missing_zh=missing_zh, missing_en=missing_en)), "missing": names}


def run_view(row: QuotaRunRow) -> dict[str, Any]:
    """A stored run as the API shows it."""
    return {
        "id": row.id,
        "kind": row.kind,
        "region": row.region,
        "year": row.year,
        "quota": row.quota,
        "capacity": row.capacity,
        "cutoff_points": row.cutoff_points,
        "admitted": row.admitted,
        "waiting": row.waiting,
        "rule": row.rule,
        "published_by": row.published_by,
        "published_at": row.published_at,
    }


def publish(
    engine: Engine,
    kind: QuotaKind,
    region: str,
    year: int,
    quota: int | None,
    capacity: Mapping[str, int] | None,
    ranking: Ranking,
    rule: dict[str, Any],
    actor: str,
) -> dict[str, Any]:
    """Store a run (with an audit record) and return it."""
    with write_session(engine) as session:
        row = QuotaRunRow(
            kind=kind.value,
            region=region,
            year=year,
            quota=quota,
            capacity=dict(capacity) if capacity is not None else None,
            cutoff_points=ranking.cutoff_points,
            admitted=[c.to_dict() for c in ranking.admitted],
            waiting=[c.to_dict() for c in ranking.waiting],
            rule={**rule, "policy_version": policy_version(), "cutoffs": ranking.cutoffs},
            published_by=actor,
            published_at=now_iso(),
        )
        session.add(row)
        session.flush()
        append(
            session,
            actor=f"user:{actor}",
            action="quota_run_publish",
            subject=audit_subjects.quota(region, kind.value, year),
            details={"run_id": row.id, "cutoff_points": row.cutoff_points, "admitted": len(row.admitted),
                     "waiting": len(row.waiting), "rule": row.rule},
            reason=because("quota_ranking", kind=kind.value, year=year),
        )  # fmt: skip
        return run_view(row)


def load_run(engine: Engine, run_id: int) -> dict[str, Any]:
    """A stored run; RunNotFound if none."""
    with session_scope(engine) as session:
        row = session.get(QuotaRunRow, run_id)
        if row is None:
            raise RunNotFound(refusal(RefusalCode.NO_QUOTA_RUN, run_id=str(run_id)))
        return run_view(row)


def list_runs(engine: Engine, prefixes: list[str] | None, region: str | None) -> list[dict[str, Any]]:
    """Stored runs, newest first, within `prefixes` (None: everywhere) and of `region` if given."""
    query = select(QuotaRunRow).order_by(QuotaRunRow.id.desc())
    if region:
        query = query.where(QuotaRunRow.region == region)
    with session_scope(engine) as session:
        rows = session.scalars(query).all()
        return [run_view(r) for r in rows if prefixes is None or any(r.region.startswith(p) for p in prefixes)]


def school_places(facilities: pl.DataFrame, level: str = "prefecture") -> dict[str, int]:
    """Primary-school places per district from a city's facility list (设施清单, `changzhu schema facility`):
    the capacity of its `primary_school_places` rows summed per county, or per prefecture (the level the registry
    records where a child lives)."""
    rows = facilities.filter(pl.col("service") == "primary_school_places")
    code = pl.col("region_code") if level == "county" else pl.col("region_code").str.slice(0, 4) + "00"
    summed = rows.group_by(code.alias("district")).agg(pl.col("capacity").sum().floor().cast(pl.Int64))
    return {str(d): int(c) for d, c in summed.sort("district").iter_rows()}
