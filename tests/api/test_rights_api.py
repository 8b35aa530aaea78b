"""POST /api/v1/rights/simulate: the probable rights of an anonymous situation, for partner software."""

from __future__ import annotations

import copy

import pytest

from carte_blanche.accounts.tokens import issue_token
from carte_blanche.journal.models import JournalEntry

pytestmark = pytest.mark.django_db

URL = "/api/v1/rights/simulate"

# Sarah's situation, as a partner's software would send it (the dict of serialize.household_to_dict).
SARAH = {
    "month": "2026-11",
    "members": [
        {
            "id": "sarah",
            "role": "demandeur",
            "birth_date": "1998-03-10",
            "activity": "actif",
            "work_time": "temps_partiel",
            "monthly_hours": 100,
            "contract": "cdd",
            "incomes": [{"kind": "salaire", "last_3_months": [1000, 1000, 1000], "last_12_months": 12000}],
        },
        {"id": "lena", "role": "enfant", "birth_date": "2024-08-15"},
    ],
    "housing": {"status": "locataire_vide", "commune_insee": "46105", "rent": 450},
    "childcare": "assistante_maternelle",
    "other_parent_pays_maintenance": False,
    "already_received": ["paje_base"],
}


@pytest.fixture
def caf_token(caf_referent):
    _, token = issue_token(caf_referent, "Logiciel de la CAF")
    return {"Authorization": f"Bearer {token}"}


def simulate(client, body, headers):
    return client.post(URL, body, content_type="application/json", headers=headers)


def test_sarahs_situation_gives_her_probable_rights(client, caf_token):
    journal_before = JournalEntry.objects.count()
    response = simulate(client, SARAH, caf_token)
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["month"] == "2026-11" and data["openfisca_version"].startswith("openfisca-france ")
    by_code = {b["code"]: b for b in data["benefits"]}
    assert set(by_code) >= {"rsa", "ppa", "aide_logement", "paje_base", "css", "pch"}
    ppa = by_code["ppa"]
    assert ppa["status"] == "eligible" and 150 < ppa["amount"] < 450 and ppa["unclaimed"] is True
    assert ppa["label"] == "Prime d'activité" and ppa["frequency"] == "mensuel" and ppa["period"] == "2026-11"
    assert by_code["aide_logement"]["status"] == "eligible" and by_code["rsa"]["status"] == "not_eligible"
    assert by_code["rsa"]["reason"] and by_code["rsa"]["unclaimed"] is False
    paje = by_code["paje_base"]
    assert paje["status"] == "eligible" and paje["already_received"] is True and paje["unclaimed"] is False
    assert by_code["pch"]["status"] == "to_check" and by_code["pch"]["amount"] is None
    unclaimed = sum(
        b["amount"] if b["frequency"] == "mensuel" else b["amount"] / 12
        for b in data["benefits"]
        if b["unclaimed"] and b["code"] != "css"  # the CSS's amount is what the household pays
    )
    assert data["unclaimed_monthly_total"] == pytest.approx(unclaimed, abs=0.02)
    assert JournalEntry.objects.count() == journal_before  # an anonymous situation: nothing read, nothing journaled


def test_an_invalid_situation_lists_each_field_in_french(client, caf_token):
    body = copy.deepcopy(SARAH)
    body["members"][0]["birth_date"] = "1998-02-30"
    body["members"][1]["role"] = "fils"
    body["housing"]["rent"] = "beaucoup"
    response = simulate(client, body, caf_token)
    assert response.status_code == 422
    data = response.json()
    assert data["code"] == "invalid_input"
    errors = {e["field"]: e["message"] for e in data["errors"]}
    assert errors["members.0.birth_date"] == "« 1998-02-30 » n'est pas une date au format AAAA-MM-JJ."
    assert errors["members.1.role"].startswith("Valeur « fils » inconnue ; valeurs possibles : demandeur")
    assert errors["housing.rent"] == "« beaucoup » n'est pas un nombre."


def test_consistency_errors_come_from_the_engine(client, caf_token):
    body = copy.deepcopy(SARAH)
    body["housing"] = {"status": "locataire_vide", "commune_insee": "4610", "rent": -5}
    body["members"][0]["monthly_hours"] = None
    body["already_received"] = ["apl_jeune"]
    response = simulate(client, body, caf_token)
    assert response.status_code == 422
    fields = [e["field"] for e in response.json()["errors"]]
    assert {"members.0.monthly_hours", "housing.commune_insee", "housing.rent", "already_received"} <= set(fields)


@pytest.mark.parametrize("body", [[], {}, '"texte"'], ids=["list", "empty", "string"])
def test_a_body_that_is_no_household_is_a_422(client, caf_token, body):
    response = simulate(client, body, caf_token)
    assert response.status_code == 422 and response.json()["errors"]


def test_a_body_that_is_no_json_is_a_400_without_trace(client, caf_token):
    response = simulate(client, "{pas du json", caf_token)
    assert response.status_code == 400 and "Traceback" not in response.content.decode()


def test_unauthenticated_calls_are_refused(client):
    response = simulate(client, SARAH, {})
    assert response.status_code == 401 and response.json()["code"] == "not_authenticated"
    assert simulate(client, SARAH, {"Authorization": "Bearer cb_nimportequoi"}).status_code == 401


def test_the_openapi_schema_documents_the_endpoint(client):
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"][URL]["post"]
    assert "anonyme" in operation["description"] and operation["tags"] == ["droits"]
    assert set(operation["responses"]) >= {"200", "422"}
    components = schema["components"]["schemas"]
    assert components["HousingStatus"]["enum"][:3] == ["locataire_vide", "locataire_meuble", "locataire_hlm"]
    assert "birth_date" in components["MemberIn"]["properties"]
    assert components["MemberIn"]["properties"]["birth_date"]["description"]
    assert "unclaimed" in components["BenefitOut"]["properties"]
    assert {"field", "message"} <= set(components["FieldErrorOut"]["properties"])
