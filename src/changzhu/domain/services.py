"""The basic public services a resident may claim where they live (常住地基本公共服务)."""

from __future__ import annotations

from enum import StrEnum

from changzhu.domain.lang import Lang


class Service(StrEnum):
    """A service decided by the rules engine; the value is the suffix of its output columns."""

    PUBLIC_RENTAL_HOUSING = "public_rental_housing"  # 公租房
    MEDICAL_INSURANCE = "medical_insurance"  # 常住地基本医疗保险参保
    CROSS_PROVINCE_SETTLEMENT_FILING = "cross_province_settlement_filing"  # 跨省异地就医直接结算备案
    MINIMUM_LIVING_ALLOWANCE = "minimum_living_allowance"  # 低保 / 兜底
    COMPULSORY_SCHOOLING = "compulsory_schooling"  # 随迁子女义务教育入学
    LOCAL_ENTRANCE_EXAM = "local_entrance_exam"  # 随迁子女在流入地参加中考
    EMPLOYMENT_SERVICES = "employment_services"  # 基本公共就业服务
    WORKPLACE_SOCIAL_INSURANCE = "workplace_social_insurance"  # 就业地参加职工社会保险
    SOCIAL_INTEGRATION = "social_integration"  # 社会融入服务
    RESIDENCE_PERMIT = "residence_permit"  # 居住证
    POINTS_SETTLEMENT = "points_settlement"  # 积分落户
    RESIDENCE_REGISTRATION_SETTLEMENT = "residence_registration_settlement"  # 常住地登记户口


_TITLES: dict[Service, tuple[str, str]] = {  # (Chinese, English)
    Service.PUBLIC_RENTAL_HOUSING: ("公租房", "public rental housing"),
    Service.MEDICAL_INSURANCE: ("常住地基本医疗保险", "basic medical insurance where one lives"),
    Service.CROSS_PROVINCE_SETTLEMENT_FILING: ("跨省异地就医直接结算备案", "cross-province medical settlement filing"),
    Service.MINIMUM_LIVING_ALLOWANCE: ("最低生活保障", "minimum living allowance (dibao)"),
    Service.COMPULSORY_SCHOOLING: ("随迁子女义务教育", "compulsory schooling for migrant children"),
    Service.LOCAL_ENTRANCE_EXAM: ("随迁子女流入地中考", "senior-high entrance exam (zhongkao) where one lives"),
    Service.EMPLOYMENT_SERVICES: ("基本公共就业服务", "basic public employment services"),
    Service.WORKPLACE_SOCIAL_INSURANCE: ("就业地参保", "social insurance where one works"),
    Service.SOCIAL_INTEGRATION: ("社会融入服务", "social integration services"),
    Service.RESIDENCE_PERMIT: ("居住证", "residence permit (juzhuzheng)"),
    Service.POINTS_SETTLEMENT: ("积分落户", "points-based hukou settlement"),
    Service.RESIDENCE_REGISTRATION_SETTLEMENT: ("常住地登记户口", "hukou registration where one lives"),
}


# A simulation counts a service named after migrants' children (随迁子女) in two rows: under the service the
# eligible children registered in another county or province, and in this row every eligible child of the age,
# local hukou included, as the rules decide (changzhu.simulation.hukou_place).
ANY_HUKOU_ROWS: dict[Service, str] = {
    Service.COMPULSORY_SCHOOLING: "compulsory_schooling_any_hukou",
    Service.LOCAL_ENTRANCE_EXAM: "local_entrance_exam_any_hukou",
}
_ROW_TITLES: dict[str, tuple[str, str]] = {
    "compulsory_schooling_any_hukou": (
        "义务教育（不论户籍）",
        "compulsory schooling, any hukou",
    ),
    "local_entrance_exam_any_hukou": (
        "流入地中考（不论户籍）",
        "entrance exam where one lives, any hukou",
    ),
}


def service_title(service: Service, lang: Lang) -> str:
    """The service's title in `lang`, as decisions, explanations and their tables head it."""
    zh, en = _TITLES[service]
    return zh if lang == Lang.ZH else en


def row_title(code: str, lang: Lang) -> str | None:
    """The title in `lang` of a simulation's row: a service's, or a service's row of every eligible child
    (ANY_HUKOU_ROWS); None for a code that is neither."""
    if code in Service._value2member_map_:
        return service_title(Service(code), lang)
    titles = _ROW_TITLES.get(code)
    if titles is None:
        return None
    return titles[0] if lang == Lang.ZH else titles[1]
