"""Ranking by points (积分排名) against an annual quota (积分落户) or places per school district (积分入学).

Candidates are ordered by points, highest first; a tie is broken by the scheme's declared tie-break (the
parameters `quota.tie_break.*` of the policy files: longer local social insurance first, then earlier
residence), then by earlier submission and the smaller application number, so the order is total and the same
on every run. Candidates whose points are unknown are not ranked: they are listed with the facts they need.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field, replace
from datetime import date


@dataclass(frozen=True)
class Candidate:
    """One ranked applicant: the application, points, the tie-break facts and (for a school place) the district."""

    application_id: int
    person_key: str
    points: float
    local_insurance_months: int
    residence_since: date
    submitted_at: str
    district: str | None = None

    def to_dict(self) -> dict[str, object]:
        """Plain JSON (dates as ISO text)."""
        return {**asdict(self), "residence_since": self.residence_since.isoformat()}


@dataclass(frozen=True)
class TieBreak:
    """The declared tie-break of a scheme, with where each rule comes from."""

    local_insurance_first: bool
    earlier_residence_first: bool
    sources: Mapping[str, Mapping[str, str]] = field(default_factory=dict)  # key -> quota_runs.sourced

    def describe(self) -> dict[str, object]:
        """The rule in words (zh/en) with its sources, as stored with a run."""
        zh, en = ["积分高者优先"], ["higher points first"]
        if self.local_insurance_first:
            zh.append("同分时本地社保缴费月数多者优先")
            en.append("on equal points, more months of local social insurance first")
        if self.earlier_residence_first:
            zh.append("再同则居住起始日早者优先")
            en.append("then the earlier start of residence first")
        zh.append("再同则提交早者、申请号小者优先")
        en.append("then the earlier submission and the smaller application number")
        return {"zh": "；".join(zh), "en": "; ".join(en), "sources": {k: dict(v) for k, v in self.sources.items()}}


@dataclass(frozen=True)
class Ranking:
    """The outcome: the lowest admitted score, who is admitted (in rank order) and who waits."""

    cutoff_points: float | None
    admitted: list[Candidate]
    waiting: list[Candidate]
    cutoffs: dict[str, float | None] = field(default_factory=dict)  # per school district


def rank(candidates: Iterable[Candidate], rule: TieBreak) -> list[Candidate]:
    """Every candidate in rank order (a total order: equal inputs in any order give the same list)."""

    def key(c: Candidate) -> tuple[float, int, int, str, int]:
        return (
            -c.points,
            -c.local_insurance_months if rule.local_insurance_first else 0,
            c.residence_since.toordinal() if rule.earlier_residence_first else 0,
            c.submitted_at,
            c.application_id,
        )

    return sorted(candidates, key=key)


def by_quota(candidates: Iterable[Candidate], rule: TieBreak, quota: int) -> Ranking:
    """The first `quota` in rank order are admitted; the cut-off is the last admitted score."""
    if quota < 0:
        raise ValueError(f"quota {quota} is negative")
    ranked = rank(candidates, rule)
    admitted, waiting = ranked[:quota], ranked[quota:]
    return Ranking(admitted[-1].points if admitted else None, admitted, waiting)


def covers(district: str, code: str) -> bool:
    """Whether a listed district (a county, a prefecture xxxx00 or a province xx0000) contains region `code`."""
    if district.endswith("0000"):
        return code[:2] == district[:2]
    if district.endswith("00"):
        return code[:4] == district[:4]
    return code == district


def district_of(capacity: Mapping[str, int], code: str | None) -> str | None:
    """The most specific listed district containing `code` (None: no listed district does)."""
    found = [d for d in capacity if code is not None and covers(d, code)]
    return max(found, key=lambda d: (not d.endswith("0000"), not d.endswith("00"))) if found else None


def by_capacity(candidates: Iterable[Candidate], rule: TieBreak, capacity: Mapping[str, int]) -> Ranking:
    """Places per district filled in rank order; the cut-off of a district is its last admitted score."""
    if any(places < 0 for places in capacity.values()):
        raise ValueError("a district's places cannot be negative")
    left = dict(capacity)
    admitted: list[Candidate] = []
    waiting: list[Candidate] = []
    cutoffs: dict[str, float | None] = dict.fromkeys(capacity)
    districts: dict[str | None, str | None] = {}  # a region's listed district, found once per region
    for candidate in rank(candidates, rule):
        if candidate.district not in districts:
            districts[candidate.district] = district_of(capacity, candidate.district)
        district = districts[candidate.district]
        placed = candidate if district in (None, candidate.district) else replace(candidate, district=district)
        if district is not None and left[district] > 0:
            left[district] -= 1
            admitted.append(placed)
            cutoffs[district] = candidate.points
        else:
            waiting.append(placed)
    lowest = min((c.points for c in admitted), default=None)
    return Ranking(lowest, admitted, waiting, cutoffs)


def with_added_places(capacity: Mapping[str, int], added: Mapping[str, int]) -> dict[str, int]:
    """The capacity after districts add places (a district not listed before is listed with its new places)."""
    out = dict(capacity)
    for district, places in added.items():
        out[district] = out.get(district, 0) + places
    return out


def half_up(x: float) -> int:
    """`x` rounded to a whole number, halves up (a quota or places scaled to a sample)."""
    return math.floor(x + 0.5)
