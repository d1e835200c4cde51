"""Identity numbers: GB 11643-1999 validation, keyed hash, encryption; never stored in clear."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine, text

from changzhu.casework.worked_example import example_id
from changzhu.registry.identity import IdentityKeyError, InvalidIdNumber, check_char, identity_keys, parse_id_number
from changzhu.registry.residents import ProofKind, Registration, find_person, register_resident


def test_check_digit_of_the_standard_example() -> None:
    # the example number printed in GB 11643-1999: 11010519491231002X
    assert check_char("11010519491231002") == "X"
    parsed = parse_id_number("11010519491231002x")
    assert (parsed.birth_date, parsed.sex, parsed.region_code) == (date(1949, 12, 31), "F", "110105")


@pytest.mark.parametrize(
    ("number", "why"),
    [
        ("11010519491231002", "17 digits"),
        ("110105194912310021", "check digit"),
        ("990105194912310027", "province code"),
        ("110105194902300021", "calendar date"),
        ("11010530491231002X", "before 1900 or in the future"),
    ],
)
def test_bad_numbers_are_rejected_without_echoing_them(number: str, why: str) -> None:
    with pytest.raises(InvalidIdNumber, match=why) as info:
        parse_id_number(number, today=date(2026, 1, 1))
    assert number not in str(info.value)


def test_encryption_round_trip_and_tamper_detection() -> None:
    keys = identity_keys()
    number = parse_id_number(example_id("510104", date(1983, 5, 20), 2))
    blob = keys.encrypt(number)
    assert keys.decrypt(blob, keys.lookup_hash(number)) == number.value
    with pytest.raises(IdentityKeyError):
        keys.decrypt(blob, "0" * 64)  # ciphertext moved to another row


def test_half_configured_keys_fail(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CHANGZHU_ID_ENC_KEY")
    with pytest.raises(IdentityKeyError, match="both"):
        identity_keys()


def test_key_file_is_created_with_a_warning(monkeypatch: pytest.MonkeyPatch, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("CHANGZHU_ID_ENC_KEY")
    monkeypatch.delenv("CHANGZHU_ID_HASH_KEY")
    first = identity_keys()
    assert "warning: generated identity keys" in capsys.readouterr().err
    assert identity_keys().hash_key == first.hash_key  # read back, not regenerated
    assert (tmp_path / "data" / "identity.key").stat().st_mode & 0o777 == 0o600


def test_number_is_not_in_the_database_in_clear(engine: Engine) -> None:
    number = example_id("510104", date(1990, 1, 2), 13)
    reg = Registration(number, "510100", "440300", date(2020, 1, 1), ProofKind.HOUSING, "lease", {})
    key = register_resident(engine, reg, actor="t")["person_key"]
    assert find_person(engine, number.lower()) == key
    with engine.connect() as conn:
        for table in ("persons", "audit_log", "ledger_transactions", "residence_events"):
            dump = " ".join(str(row) for row in conn.execute(text(f"SELECT * FROM {table}")))
            assert number not in dump and number[:17] not in dump, table
