"""The worked example of docs/ledger.md: one worker from Chengdu to Shenzhen to Suzhou, run through the real
service functions so that every number in the document is produced, not typed.

Wages, medical policy and catalogue figures here are illustrative (not the cities' published figures).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Engine

from changzhu.ledger.accounts import balances_frame
from changzhu.ledger.checks import ledger_problems
from changzhu.ledger.contributions import MonthPaid, Scheme, period_of, record_contributions, record_school_year
from changzhu.ledger.medical import FilingKind, clear_medical, file_treatment, set_catalogue, set_policy, settle_bill
from changzhu.ledger.medical_rules import Policy
from changzhu.ledger.pension_rules import drawing_place
from changzhu.ledger.transfers import TransferScheme, apply_transfer, complete_transfer
from changzhu.ledger.vouchers import clear_vouchers, issue_voucher, redeem_voucher
from changzhu.registry.identity import check_char
from changzhu.registry.residents import (
    ProofKind,
    Registration,
    RegistryError,
    link_household,
    record_move,
    register_resident,
)

CHENGDU, SHENZHEN, SUZHOU = "510100", "440300", "320500"
ACTOR = "example"


def example_id(region: str, born: date, sequence: int) -> str:
    """A well-formed identity number for the example (not a real person's)."""
    first17 = f"{region}{born:%Y%m%d}{sequence:03d}"
    return first17 + check_char(first17)


def months(start: tuple[int, int], end: tuple[int, int], base_yuan: int) -> list[MonthPaid]:
    """Every month from start to end inclusive at one monthly base."""
    out, (y, m) = [], start
    while (y, m) <= end:
        out.append(MonthPaid(period_of(y, m), base_yuan * 100))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def _yuan(fen: object) -> float:
    return int(fen) / 100  # type: ignore[call-overload]


def run(engine: Engine) -> dict[str, object]:
    """Run the story on a migrated, empty registry; return the figures the document quotes."""
    out: dict[str, object] = {}
    mother = Registration(
        example_id("510104", date(1983, 5, 20), 2),
        CHENGDU,
        CHENGDU,
        date(2003, 7, 1),
        ProofKind.EMPLOYMENT,
        "成都 labour contract 2003-07",
        {"education": "senior_secondary"},
    )
    wang = str(register_resident(engine, mother, actor=ACTOR, key="ex-register-mother")["person_key"])
    # Chengdu 2003-07 .. 2010-12: 90 months (bases rising by period)
    cd = months((2003, 7), (2005, 12), 1_200) + months((2006, 1), (2010, 12), 2_000)
    for scheme in (Scheme.PENSION, Scheme.MEDICAL):
        record_contributions(engine, wang, scheme, CHENGDU, cd, actor=ACTOR, key=f"ex-cd-{scheme}")
    record_move(
        engine,
        wang,
        SHENZHEN,
        date(2011, 1, 3),
        ProofKind.EMPLOYMENT,
        "深圳 labour contract",
        actor=ACTOR,
        key="ex-move-sz",
    )
    sz = months((2011, 1), (2018, 12), 5_000) + months((2019, 1), (2023, 6), 8_000)
    for scheme in (Scheme.PENSION, Scheme.MEDICAL):
        record_contributions(engine, wang, scheme, SHENZHEN, sz, actor=ACTOR, key=f"ex-sz-{scheme}")
        result = apply_transfer(
            engine,
            wang,
            TransferScheme(scheme.value),
            CHENGDU,
            SHENZHEN,
            date(2011, 3, 1),
            transfer_no=f"ex-t-{scheme}-cd-sz",
            actor=ACTOR,
        )
        out[f"{scheme}_cd_sz"] = complete_transfer(engine, str(result["transfer_no"]), actor=ACTOR)
    child = Registration(
        example_id("440304", date(2012, 4, 9), 24),
        CHENGDU,
        SHENZHEN,
        date(2012, 4, 9),
        ProofKind.HOUSING,
        "深圳 rental contract (mother)",
        {},
    )
    ming = str(register_resident(engine, child, actor=ACTOR, key="ex-register-child")["person_key"])
    link_household(engine, wang, ming, actor=ACTOR, key="ex-link")
    for year, grade in ((2018, 1), (2019, 2), (2020, 3), (2021, 4), (2022, 5)):
        record_school_year(
            engine, ming, year, grade, "深圳市福田区某小学", SHENZHEN, actor=ACTOR, key=f"ex-school-{year}"
        )
    # Suzhou from 2023-09: she is 40, not her hukou place → temporary pension account (art. 5)
    for person in (wang, ming):
        record_move(
            engine,
            person,
            SUZHOU,
            date(2023, 8, 20),
            ProofKind.EMPLOYMENT,
            "苏州 labour contract",
            actor=ACTOR,
            key=f"ex-move-su-{person}",
        )
    su = months((2023, 9), (2026, 10), 7_500)
    out["suzhou_pension"] = record_contributions(
        engine, wang, Scheme.PENSION, SUZHOU, su, actor=ACTOR, key="ex-su-pension"
    )
    record_contributions(engine, wang, Scheme.MEDICAL, SUZHOU, su, actor=ACTOR, key="ex-su-medical")
    try:
        apply_transfer(
            engine,
            wang,
            TransferScheme.PENSION,
            SHENZHEN,
            SUZHOU,
            date(2023, 10, 1),
            transfer_no="ex-t-pension-sz-su",
            actor=ACTOR,
        )
        out["pension_sz_su_refused"] = "accepted"
    except RegistryError as exc:
        out["pension_sz_su_refused"] = str(exc)
    apply_transfer(
        engine,
        wang,
        TransferScheme.MEDICAL,
        SHENZHEN,
        SUZHOU,
        date(2023, 10, 1),
        transfer_no="ex-t-medical-sz-su",
        actor=ACTOR,
    )
    out["medical_sz_su"] = complete_transfer(engine, "ex-t-medical-sz-su", actor=ACTOR)
    record_school_year(engine, ming, 2023, 6, "苏州市姑苏区某小学", SUZHOU, actor=ACTOR, key="ex-school-2023")
    apply_transfer(
        engine, ming, TransferScheme.SCHOOL, SHENZHEN, SUZHOU, date(2023, 8, 25), transfer_no="ex-t-school", actor=ACTOR
    )
    out["school"] = complete_transfer(engine, "ex-t-school", actor=ACTOR)
    for grade, year in ((7, 2024), (8, 2025)):
        record_school_year(
            engine, ming, year, grade, "苏州市姑苏区某初级中学", SUZHOU, actor=ACTOR, key=f"ex-school-{year}"
        )
    # medical: insured in Suzhou, treated in Chengdu while visiting her parents, filed as temporary
    set_policy(
        engine,
        SUZHOU,
        Policy(100_000, 850, 40_000_000, 100, 200),
        "illustrative; cuts of 10/20 points follow 医保发〔2022〕22号",
        actor=ACTOR,
        key="ex-policy",
    )
    set_catalogue(
        engine,
        CHENGDU,
        [("D001", "阿莫西林胶囊", "A", 0), ("D002", "某乙类药品", "B", 100), ("S001", "某丙类项目", "C", 0)],
        actor=ACTOR,
        key="ex-catalogue",
    )
    file_treatment(engine, wang, SUZHOU, CHENGDU, FilingKind.TEMPORARY, date(2026, 2, 1), actor=ACTOR, key="ex-filing")
    out["claim"] = settle_bill(
        engine,
        wang,
        SUZHOU,
        CHENGDU,
        "四川大学华西医院",
        date(2026, 2, 10),
        [("D001", 300_000), ("D002", 500_000), ("S001", 200_000)],
        actor=ACTOR,
        key="ex-claim",
    )
    out["medical_clearing"] = clear_medical(engine, SUZHOU, CHENGDU, actor=ACTOR, key="ex-med-clear")
    # a training voucher of her hukou place, redeemed where she lives
    voucher = issue_voucher(
        engine,
        wang,
        CHENGDU,
        "vocational_training",
        200_000,
        date(2026, 3, 1),
        date(2026, 12, 31),
        actor=ACTOR,
        key="ex-voucher",
    )
    out["voucher"] = redeem_voucher(
        engine,
        str(voucher["voucher_no"]),
        "苏州某职业培训学校",
        SUZHOU,
        date(2026, 4, 15),
        actor=ACTOR,
        key="ex-redeem",
    )
    out["voucher_clearing"] = clear_vouchers(engine, CHENGDU, SUZHOU, actor=ACTOR, key="ex-voucher-clear")
    out["balances_mother"] = balances_frame(engine, person_key=wang)
    out["balances_child"] = balances_frame(engine, person_key=ming)
    months_paid = {CHENGDU: len(cd), SHENZHEN: len(sz), SUZHOU: len(su)}
    out["months_paid"] = months_paid
    out["drawing_if_now"] = drawing_place(
        CHENGDU, SHENZHEN, months_paid, {CHENGDU: 201012, SHENZHEN: 202306, SUZHOU: 202610}
    )
    out["bases"] = {
        "cd": sum(m.base_fen for m in cd),
        "sz": sum(m.base_fen for m in sz),
        "su": sum(m.base_fen for m in su),
    }
    out["problems"] = ledger_problems(engine)
    out["keys"] = (wang, ming)
    return out
