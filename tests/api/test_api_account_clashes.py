"""An account the database refuses: only its user name held by another account is `user_name_taken` (409); any
other constraint it breaks surfaces as it is (before, every IntegrityError was reported as a taken name), on SQLite
and on PostgreSQL."""

from __future__ import annotations

import pytest
from api_support import PASSWORD, Service
from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError

from changzhu.api.auth.accounts import create_user
from changzhu.api.auth.roles import Role
from changzhu.api.errors import Conflict
from changzhu.domain.refusals import RefusalCode

NOBODY = 987_654  # a person id the empty registry does not hold


def test_a_name_held_by_another_account_is_taken(engine: Engine) -> None:
    create_user(engine, "cw_tianhe", PASSWORD, Role.CASEWORKER, ["440106"])
    with pytest.raises(Conflict) as refused:
        create_user(engine, "cw_tianhe", PASSWORD, Role.CASEWORKER, ["440100"])
    assert refused.value.refusal is not None and refused.value.refusal.code == RefusalCode.USER_NAME_TAKEN


def test_a_person_the_registry_lacks_is_not_called_a_taken_name(engine: Engine) -> None:
    with pytest.raises(IntegrityError):  # the person's foreign key, not the name: no Conflict disguises it
        create_user(engine, "res_nobody", PASSWORD, Role.RESIDENT, [], NOBODY)
    create_user(engine, "res_nobody", PASSWORD, Role.CASEWORKER, ["440100"])  # the name was free all along


def test_the_api_refuses_a_taken_name_with_409(db_service: Service) -> None:
    body = {"username": "cw_gz", "role": "caseworker", "jurisdictions": ["440106"]}
    answer = db_service.client.post("/api/v1/users", json=body, headers=db_service.as_("ad_gd"))
    assert answer.status_code == 409, answer.text
    assert answer.json()["code"] == "user_name_taken"
