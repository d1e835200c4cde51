"""Names a reader sees for the system's keys (services, measures), in Chinese and English."""

from __future__ import annotations

from changzhu.report.lang import Lang

SERVICES: dict[str, tuple[str, str]] = {
    "hospital_beds": ("医院床位", "Hospital beds"),
    "licensed_doctors": ("执业医师", "Licensed doctors"),
    "registered_nurses": ("注册护士", "Registered nurses"),
    "primary_school_places": ("小学学位", "Primary school places"),
    "junior_secondary_places": ("初中学位", "Junior secondary places"),
    "primary_teachers": ("小学教师", "Primary teachers"),
    "junior_secondary_teachers": ("初中教师", "Junior secondary teachers"),
    "public_rental_housing": ("公租房", "Public rental housing"),
    "medical_insurance": ("常住地基本医疗保险", "Basic medical insurance where one lives"),
    "cross_province_settlement_filing": ("跨省异地就医直接结算备案", "Filing for cross-province medical settlement"),
    "minimum_living_allowance": ("最低生活保障", "Minimum living allowance (dibao)"),
    "compulsory_schooling": ("随迁子女义务教育", "Compulsory schooling for migrant children"),
    "local_entrance_exam": ("随迁子女流入地中考", "Senior-high entrance exam where one lives"),
    "employment_services": ("基本公共就业服务", "Public employment services"),
    "workplace_social_insurance": ("就业地参保", "Social insurance where one works"),
    "social_integration": ("社会融入服务", "Social integration services"),
    "residence_permit": ("居住证", "Residence permit"),
    "points_settlement": ("积分落户", "Hukou by points"),
    "residence_registration_settlement": ("常住地登记户口", "Hukou where one lives"),
}


def service_name(key: str, lang: Lang) -> str:
    """A service's name; an unknown key is shown as it is rather than hidden."""
    zh, en = SERVICES.get(key, (key, key))
    return zh if lang == Lang.ZH else en
