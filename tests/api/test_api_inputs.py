"""GET /inputs: the facts a caseworker may give, for one place's chain or, without a region, for every place (what
the office's registration form offers an office of a province or of the whole country)."""

from __future__ import annotations

from api_support import Service

from changzhu.registry.residents import fact_types


def _names(service: Service, user: str, **params: str) -> list[str]:
    response = service.client.get("/api/v1/inputs", params=params, headers=service.as_(user))
    assert response.status_code == 200, response.text
    return [i["name"] for i in response.json()]


def test_without_a_region_every_place_s_inputs_are_listed(service: Service) -> None:
    everywhere = _names(service, "ad_nat")
    guangzhou = _names(service, "cw_gz", region="440100")
    assert set(guangzhou) < set(everywhere)  # another city's declared inputs too, Guangzhou's among them
    assert set(everywhere) == set(fact_types())  # exactly what a registration may give (POST /residents attributes)
    assert "parent_lives_here" in everywhere and "parent_lives_here" in guangzhou
    malformed = service.client.get("/api/v1/inputs", params={"region": "44"}, headers=service.as_("cw_gz"))
    assert malformed.status_code == 422
