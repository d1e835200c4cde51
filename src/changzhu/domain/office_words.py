"""The ledger's words the office (the web front end) shows, drawn from the one table of them (refusals.TERMS).

The command line, the API's files and the refusals name an account kind, a unit, a voucher's status and service
and a transfer's status by TERMS; the office's screens name the same things. So that a word is written once, the
office's messages for them (frontend/src/locales/terms.zh-CN.json and terms.en.json, merged into its other messages
by frontend/src/i18n.js) are generated from TERMS by `python tools/office_words.py`, never edited by hand;
tests/foundation/test_office_words.py fails when the files and TERMS drift apart (docs/architecture.md, "Words").

Two forms differ from a sentence's word, by rule: a label the office shows alone starts with a capital in English
("Issued", where a refusal says "is issued"), except a unit, which follows a number ("12 months"); an account kept
in fen is shown in yuan with its unit ("养老保险个人账户（元）", "Pension individual account (yuan)").
"""

from __future__ import annotations

import json

from changzhu.domain.lang import Lang
from changzhu.domain.refusals import TERMS

# the office's message sections drawn from TERMS (their keys, in the order the office lists them)
OFFICE_SECTIONS: dict[str, tuple[str, ...]] = {
    "voucherService": ("vocational_training", "childcare", "elderly_care", "health_checkup"),
    "voucherStatus": ("issued", "redeemed", "cleared", "cancelled"),
    "transferStatus": ("applied", "completed", "withdrawn"),
    "unit": ("month", "year", "fen"),
    "accountKind": (
        "pension_individual",
        "pension_individual_temp",
        "pension_months",
        "pension_months_temp",
        "medical_months",
        "medical_months_temp",
        "unemployment_months",
        "unemployment_months_temp",
        "housing_wait_months",
        "school_years",
    ),
}
_IN_YUAN = ("pension_individual", "pension_individual_temp")  # the person's accounts kept in fen (ledger.accounts)
_FOLLOWS_A_NUMBER = ("unit",)  # sections whose English word stays lower-case: "12 months"
FILE_NAMES = {Lang.ZH: "terms.zh-CN.json", Lang.EN: "terms.en.json"}  # in frontend/src/locales


def _word(section: str, key: str, lang: Lang) -> str:
    zh, en = TERMS[key]
    if lang == Lang.ZH:
        return f"{zh}（元）" if section == "accountKind" and key in _IN_YUAN else zh
    word = en if section in _FOLLOWS_A_NUMBER else en[:1].upper() + en[1:]
    return f"{word} (yuan)" if section == "accountKind" and key in _IN_YUAN else word


def office_words(lang: Lang) -> dict[str, dict[str, str]]:
    """The office's messages of the ledger's words in `lang`, section by section."""
    return {section: {key: _word(section, key, lang) for key in keys} for section, keys in OFFICE_SECTIONS.items()}


def office_words_json(lang: Lang) -> str:
    """`office_words` as the message file holds it (two-space indent, UTF-8 text, a final newline)."""
    return json.dumps(office_words(lang), ensure_ascii=False, indent=2) + "\n"
