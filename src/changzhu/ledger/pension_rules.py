"""Enterprise pension transfer rules of 国办发〔2009〕66号 as pure functions (no I/O).

The rates, ages and years are dated parameters of the tree (`changzhu.ledger.rates`, `changzhu.ledger.thresholds`;
national values; provinces differed in the past, see docs/ledger.md).
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass, field
from datetime import date

from changzhu.domain.lang import Lang, region_label
from changzhu.ledger.rates import pooled_transfer_permille
from changzhu.ledger.thresholds import drawing_place_min_months, temporary_account_age


def share(base_fen: int, permille: int) -> int:
    """permille of an amount in fen, rounded half up to the fen."""
    return (base_fen * permille + 500) // 1000


def pooled_share(period: int, base_fen: int) -> int:
    """Pooled-fund part of one month moved with a transfer: 12% of its base from 1998-01, else 0 (art. 4(2))."""
    return share(base_fen, pooled_transfer_permille(period))


def pooled_transfer(bases: list[tuple[int, int]]) -> int:
    """Pooled-fund part moved with a transfer: 12% of each month's base from 1998-01, summed (art. 4(2)).

    Rounded month by month, so that moving months one at a time or all together moves the same amount."""
    return sum(pooled_share(period, base) for period, base in bases)


def age_on(birth: date, on: date) -> int:
    """Age in whole years on a date."""
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def needs_temporary_account(sex: str, birth: date, on: date, new_region: str, hukou_region: str) -> bool:
    """Art. 5: men 50+ and women 40+ (on `on`) starting to contribute away from their hukou place get a temporary
    account (ages: `ledger.pension.temporary_account_age.*`)."""
    return new_region != hukou_region and age_on(birth, on) >= temporary_account_age(sex, on)


# each clause of art. 6 in words, (Chinese, English), with the months and places it was decided on: the one wording
# of a drawing's reason, for the API's result (`why_zh`, `why_en`) and what the CLI prints of it; a place by its name
# and code (`_place`: 深圳市（440300）, Shenzhen (440300)), never a bare code
DRAWING_REASONS: dict[int, tuple[str, str]] = {
    1: ("养老保险关系在户籍地：在户籍地领取", "the pension relationship is at the hukou place"),
    2: (
        "在养老保险关系所在地{relation}缴费 {here} 个月，满 {years} 年：在该地领取",
        "{here} months paid at {relation}, {years} years or more",
    ),
    3: (
        "在养老保险关系所在地{relation}缴费 {here} 个月，不满 {years} 年：回到最近一个缴费满 {years} 年的参保地"
        "{region}领取（在该地缴费 {months} 个月）",
        "{here} months paid at {relation}, under {years} years: drawn back at {region}, the last place with {years}"
        " years or more ({months} months paid there)",
    ),
    4: (
        "在各参保地缴费均不满 {years} 年：归集到户籍地领取",
        "under {years} years at every place: consolidated at the hukou place",
    ),
}
# the English results were stored in, before clause 3's said "under N years" (read again by `reason_in_words`)
STORED_REASONS_EN: dict[int, str] = {
    **{clause: en for clause, (_zh, en) in DRAWING_REASONS.items()},
    3: "{here} months at {relation}; back to {region}, the last place with {years} years ({months} months)",
}


@dataclass(frozen=True)
class DrawingPlace:
    """Where the pension is drawn (art. 6), which clause decided it, and why in words (Chinese and English)."""

    region: str
    clause: int
    reason_zh: str
    reason_en: str


def _place(code: str, lang: Lang) -> str:
    """A region as a drawing's reason names it: by its shipped name and code (tables.places), a code no name is
    shipped for set apart by spaces in Chinese (地区 440300 as region_label says it)."""
    from changzhu.tables.places import place_names

    zh, en = place_names([code]).get(code, ("", None))
    named = region_label(zh if lang == Lang.ZH else en or zh, code, lang)
    return named if lang == Lang.EN or named.endswith("）") else f" {named} "


def _decided(region: str, clause: int, **facts: object) -> DrawingPlace:
    """The drawing place with its reason in both languages, from DRAWING_REASONS and the facts it names (the
    places, `region` and `relation`, by name and code)."""
    return DrawingPlace(region, clause, *_worded(clause, {"region": region, **facts}))


def _worded(clause: int, facts: dict[str, object]) -> tuple[str, str]:
    """A clause's reason in Chinese and English from DRAWING_REASONS, its places (`region`, `relation`) by name."""
    zh, en = DRAWING_REASONS[clause]
    said = {
        lang: {k: _place(str(v), lang) if k in ("region", "relation") else v for k, v in facts.items()} for lang in Lang
    }
    return zh.format(**said[Lang.ZH]), en.format(**said[Lang.EN])


def _pattern(template: str) -> re.Pattern[str]:
    """A regular expression matching `template` filled in, each of its fields a named group."""
    parts = string.Formatter().parse(template)
    return re.compile(
        "".join(re.escape(text) + (f"(?P<{name}>.+?)" if name else "") for text, name, _, _ in parts) + "$"
    )


def reason_in_words(result: dict[str, object]) -> dict[str, object]:
    """A drawing's stored result with its reason in both languages (`why_zh`, `why_en`). A result stored before the
    reason was kept in both has `why` in English only: it is worded again from its clause and the facts its English
    names (STORED_REASONS_EN with bare region codes, the wording such results were stored in), its places
    by name as a new result's; one whose English is not of that wording keeps it, with its clause's Chinese without
    the facts."""
    why, clause = result.get("why"), result.get("clause")
    if "why_zh" in result or not isinstance(why, str) or not isinstance(clause, int) or clause not in DRAWING_REASONS:
        return result
    found = _pattern(STORED_REASONS_EN[clause]).match(why)
    why_zh, why_en = _worded(clause, dict(found.groupdict())) if found else (DRAWING_CLAUSES_ZH[clause], why)
    out: dict[str, object] = {}
    for name, value in result.items():  # in the place `why` had
        out.update({"why_zh": why_zh, "why_en": why_en} if name == "why" else {name: value})
    return out


# each clause of art. 6 in Chinese without its facts: an old result's reason whose English cannot be read again
DRAWING_CLAUSES_ZH: dict[int, str] = {
    1: "养老保险关系在户籍地：在户籍地领取",
    2: "在养老保险关系所在地缴费满规定年限：在该地领取",
    3: "在养老保险关系所在地缴费不满规定年限：回到最近一个缴费满规定年限的参保地领取",
    4: "在各参保地缴费均不满规定年限：归集到户籍地领取",
}


def drawing_place(
    hukou_region: str,
    relation_region: str,
    months_paid: dict[str, int],
    last_paid: dict[str, int],
    on: date | None = None,
) -> DrawingPlace:
    """Art. 6 on `on` (today if None): hukou place if the relationship is there; else the relationship place
    with 10 years (`ledger.pension.drawing_place_min_years`); else the most recent earlier place with 10 years;
    else the hukou place."""
    if relation_region == hukou_region:
        return _decided(hukou_region, 1)
    needed = drawing_place_min_months(on or date.today())
    years = needed // 12
    here = months_paid.get(relation_region, 0)
    if here >= needed:
        return _decided(relation_region, 2, relation=relation_region, here=here, years=years)
    earlier = sorted(
        (r for r, m in months_paid.items() if r != relation_region and m >= needed),
        key=lambda r: last_paid.get(r, 0),
        reverse=True,
    )
    if earlier:
        region = earlier[0]
        return _decided(region, 3, relation=relation_region, here=here, years=years, months=months_paid[region])
    return _decided(hukou_region, 4, years=years)


Holding = tuple[str, bool]  # (region holding a month, whether in a temporary account)


@dataclass(frozen=True)
class PensionMonth:
    """A recorded pension month: id, period, where it was paid; `fixed` = a holding this ledger does not govern
    (a month received from or handed to another instance), kept as it is."""

    id: int
    period: int
    paid_region: str
    fixed: Holding | None = None


@dataclass(frozen=True)
class PensionTransfer:
    """A completed pension transfer: the month it was applied for (YYYYMM), from and to, and its number."""

    period: int
    from_region: str
    to_region: str
    name: str


class TransferConflict(ValueError):
    """A completed transfer into a place that, by the months recorded, holds a temporary account (art. 5)."""


@dataclass
class PensionState:
    """Where each month is held, the relationship's place and the temporary account's place."""

    held: dict[int, Holding] = field(default_factory=dict)
    region: str | None = None
    temp_region: str | None = None


def replay_pension(
    sex: str, birth: date, hukou_region: str, months: list[PensionMonth], transfers: list[PensionTransfer]
) -> PensionState:
    """Holdings from the recorded facts in the order they happened, whatever the order they were recorded in.

    Months go by period; a transfer applied in month P comes after the months paid before P. A month paid where
    the relationship is stays there; a month at a new place opens a temporary account there if art. 5 applies
    on its first month (men 50+, women 40+, not the hukou place), else moves the relationship there. A transfer
    moves what its source holds (not the temporary accounts) and, into the hukou place, the temporary accounts
    too (art. 5); months paid later at the source stay there.
    """
    events: list[tuple[int, int, str, PensionMonth | PensionTransfer]] = [
        (m.period, 1, str(m.id).zfill(20), m) for m in months
    ]
    events += [(t.period, 0, t.name, t) for t in transfers]
    state = PensionState()
    for _, _, _, event in sorted(events, key=lambda e: e[:3]):
        if isinstance(event, PensionTransfer):
            _apply_transfer(state, event, hukou_region, {m.id for m in months if m.fixed is not None})
            continue
        if event.fixed is not None:
            state.held[event.id] = event.fixed
            if event.fixed[1]:
                state.temp_region = event.fixed[0]
            else:
                state.region = event.fixed[0]
            continue
        here = event.paid_region
        if state.region is None or here == state.region:
            state.region = here
            state.held[event.id] = (here, False)
        elif here == state.temp_region:
            state.held[event.id] = (here, True)
        else:
            year, month = divmod(event.period, 100)
            if needs_temporary_account(sex, birth, date(year, month, 1), here, hukou_region):
                state.temp_region = here
                state.held[event.id] = (here, True)
            else:
                state.region = here
                state.held[event.id] = (here, False)
    return state


def _apply_transfer(state: PensionState, t: PensionTransfer, hukou_region: str, fixed: set[int]) -> None:
    if t.to_region == state.temp_region:
        raise TransferConflict(
            f"transfer {t.name} to {t.to_region} ({t.period}): by the months recorded, {t.to_region} holds a "
            "temporary account (art. 5) at that date, so the relationship cannot move there"
        )
    home = t.to_region == hukou_region
    for month_id, (region, temporary) in list(state.held.items()):
        if month_id not in fixed and ((region == t.from_region and not temporary) or (home and temporary)):
            state.held[month_id] = (t.to_region, False)
    if home:
        state.temp_region = None
    if state.region == t.from_region:
        state.region = t.to_region
