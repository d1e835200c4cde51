"""What the resident's page gives the caseworker's dialogs: the insurance months the rules read (counted from the
contribution records, not shown as unknown), the place the medical records say the person is insured (参保地, not
the place of residence), and a points pre-check whose earliest date says it is an estimate."""

from __future__ import annotations

from api_support import Service

# the office's words under every estimated date (frontend/src/locales: entitlement.estimate)
ESTIMATE = ("这是估算，不是承诺：", "An estimate, not a promise: ")


def test_the_overview_counts_the_insurance_months_from_the_contribution_records(db_service: Service) -> None:
    """The Guangzhou worker paid 36 months of pension in Guangzhou and 38 in Chengdu before: the months the rules
    read come from those records, with their source; a stated number beside a history is not what counts."""
    service = db_service
    key = service.people["gz"]
    path = f"/api/v1/residents/{key}/overview"
    counted = service.client.get(path, headers=service.as_("cw_gz")).json()["counted_facts"]
    assert counted["si_months_local"] == {"months": 36, "source": "contributions"}
    assert counted["si_months_total"] == {"months": 74, "source": "contributions"}
    assert counted["medical_months_local"] == {"months": 36, "source": "contributions"}
    stated = {"facts": {"si_months_local": 12}}
    assert service.client.patch(f"/api/v1/residents/{key}/facts", json=stated, headers=service.as_("cw_gz")).is_success
    again = service.client.get(path, headers=service.as_("cw_gz")).json()
    assert again["record"]["facts"]["si_months_local"] == 12
    assert again["counted_facts"]["si_months_local"] == {"months": 36, "source": "contributions"}


def test_months_without_a_history_are_the_stated_fact_or_unknown(db_service: Service) -> None:
    """The mover has no contribution record: months stated are the source, none stated is unknown (never 0)."""
    service = db_service
    key = service.people["mover"]
    path = f"/api/v1/residents/{key}/overview"
    counted = service.client.get(path, headers=service.as_("cw_cd")).json()["counted_facts"]
    assert counted["si_months_local"] == {"months": None, "source": None}
    stated = {"facts": {"si_months_local": 20}}
    assert service.client.patch(f"/api/v1/residents/{key}/facts", json=stated, headers=service.as_("cw_cd")).is_success
    counted = service.client.get(path, headers=service.as_("cw_cd")).json()["counted_facts"]
    assert counted["si_months_local"] == {"months": 20, "source": "stated"}


def test_the_overview_names_the_insured_place_from_the_medical_records(db_service: Service) -> None:
    """The worker lives in Guangzhou but keeps medical insurance in Chengdu: the overview says Chengdu, and a bill
    charged to the place of residence's fund is refused on write; a person without medical records has none."""
    service = db_service
    gz = service.client.get(f"/api/v1/residents/{service.people['gz']}/overview", headers=service.as_("cw_gz"))
    assert gz.json()["record"]["residence_region"] == "440100"
    assert gz.json()["medical_insured_region"] == "510100"
    mover = service.client.get(f"/api/v1/residents/{service.people['mover']}/overview", headers=service.as_("cw_cd"))
    assert mover.json()["medical_insured_region"] is None
    bill = {
        "person_key": service.people["gz"], "insured_region": "440100", "treatment_region": "440100",
        "hospital": "中山一院", "treated_on": "2026-11-02", "items": [{"item_code": "A001", "amount_fen": 1000}],
        "idempotency_key": "insured-at-residence",
    }  # fmt: skip
    refused = service.client.post("/api/v1/medical/settlements", json=bill, headers=service.as_("cw_gz"))
    assert refused.status_code == 403 and refused.json()["code"] == "not_insured_there", refused.text


def test_the_earliest_date_of_a_pre_check_says_it_is_an_estimate(db_service: Service) -> None:
    """A points application not eligible yet: the pre-check's earliest date (and the drafted reason carrying it)
    says in both languages that it is an estimate and what it assumes."""
    service = db_service
    body = {"person_key": service.people["gz"], "kind": "points"}
    created = service.client.post("/api/v1/applications", json=body, headers=service.as_("cw_gz"))
    assert created.status_code == 201, created.text
    check = created.json()["precheck"]
    assert "最早可于" in check["explanation_zh"], check["explanation_zh"]
    for lang, words in zip(("zh", "en"), ESTIMATE, strict=True):
        lines = check[f"explanation_{lang}"].split("\n")
        earliest = next(i for i, line in enumerate(lines) if "最早可于" in line or "at the earliest" in line)
        assert lines[earliest + 1].startswith(words), lines
    path = f"/api/v1/applications/{created.json()['id']}"
    service.client.post(f"{path}/transition", json={"action": "review"}, headers=service.as_("cw_gz"))
    draft = service.client.get(f"{path}/draft-reason", headers=service.as_("cw_gz")).json()
    assert ESTIMATE[0] in draft["reason_zh"] and ESTIMATE[1] in draft["reason_en"], draft
