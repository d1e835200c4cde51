"""The five roles of the service and what each is for."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    """A user's role; every role except resident is scoped to one or more jurisdictions."""

    RESIDENT = "resident"  # a person: sees only their own record
    CASEWORKER = "caseworker"  # service office: residents registered in, or moving to, their jurisdiction
    PLANNER = "planner"  # 发改/教育/卫健: aggregates only
    FISCAL_OFFICER = "fiscal_officer"  # 财政: aggregates and allocations
    ADMINISTRATOR = "administrator"  # accounts, and everything within their jurisdiction


ROLE_DESCRIPTIONS: dict[Role, str] = {
    Role.RESIDENT: "a resident: their own record, entitlements and account only",
    Role.CASEWORKER: "service office caseworker: residents registered in or applying to move to the jurisdiction",
    Role.PLANNER: "planner: aggregate figures (population, gaps, scenarios) only",
    Role.FISCAL_OFFICER: "fiscal officer: aggregate figures and fiscal allocations only",
    Role.ADMINISTRATOR: "administrator: user accounts and all data within the jurisdiction",
}

ROLE_NAMES: dict[Role, tuple[str, str]] = {
    Role.RESIDENT: ("居民", "resident"),
    Role.CASEWORKER: ("经办人员", "caseworker"),
    Role.PLANNER: ("规划人员", "planner"),
    Role.FISCAL_OFFICER: ("财政人员", "fiscal officer"),
    Role.ADMINISTRATOR: ("管理员", "administrator"),
}

NATIONAL_SCOPE = "000000"  # a scope covering the whole country (全国)
