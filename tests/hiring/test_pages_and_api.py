"""The simulator page (employer, advisor, refusals, errors, saving) and the API."""

from __future__ import annotations

import pytest

from carte_blanche.hiring.models import HiringSimulation

pytestmark = pytest.mark.django_db
URL = "/employeur/simulateur/"


def scenario(prefix, **changes):
    data = {
        "label": "CDD" if prefix == "a" else "CDI",
        "month": "2026-11",
        "basis": "gross",
        "amount": "1400",
        "work_time": "part_time",
        "monthly_hours": "104",
        "contract": "cdd" if prefix == "a" else "cdi",
        "headcount": "8",
        "commune": "46042",
        "withholding_rate": "",
    }
    data.update(changes)
    return {f"{prefix}-{k}": v for k, v in data.items()}


def test_the_employer_sees_the_form_prefilled_from_the_company(client, employer):
    client.force_login(employer)
    company = employer.employers.get()
    response = client.get(URL)
    assert response.status_code == 200
    form = response.context["forms"][0]
    assert form.initial["headcount"] == company.headcount
    assert form.initial["commune"] == company.commune.insee_code


@pytest.mark.parametrize("persona", ["agent", "resident_sarah"])
def test_agents_and_residents_are_refused(verified_client, request, persona):
    client = verified_client(request.getfixturevalue(persona))
    assert client.get(URL).status_code == 403


def test_invalid_input_shows_field_errors_and_saves_nothing(client, employer):
    client.force_login(employer)
    company = employer.employers.get()
    data = {"employer": company.pk, "compare": "on", "action": "enregistrer", **scenario("a", amount="-3")}
    data.update(scenario("b", headcount="25"))
    response = client.post(URL, data)
    assert response.status_code == 400
    assert "Rien n'a été calculé" in response.content.decode()
    assert response.context["forms"][1].errors["headcount"]
    assert not HiringSimulation.objects.exists()


def test_a_salary_under_the_smic_is_an_error_on_the_amount(client, employer):
    client.force_login(employer)
    response = client.post(URL, {"employer": employer.employers.get().pk, **scenario("a", amount="900")})
    assert response.status_code == 400
    assert "SMIC" in response.context["forms"][0].errors["amount"][0]


def test_a_comparison_renders_and_is_saved_to_the_case_file(client, employer):
    client.force_login(employer)
    company = employer.employers.get()
    data = {"employer": company.pk, "compare": "on", "action": "enregistrer", **scenario("a"), **scenario("b")}
    response = client.post(URL, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Coût total employeur" in page and "Écart" in page and "à vérifier" in page
    simulation = HiringSimulation.objects.get()
    assert simulation.employer == company and simulation.created_by == employer
    assert [r["scenario"]["contract"] for r in simulation.results] == ["cdd", "cdi"]
    assert simulation.differences["end_of_contract_allowance"] == -140.0
    from carte_blanche.hiring.casefile_section import simulations_section

    assert "Simulations d'embauche" in simulations_section(company, employer)


def test_the_hr_advisor_may_simulate(client, hr_advisor):
    client.force_login(hr_advisor)
    assert client.get(URL).status_code == 200


def test_the_api_simulates_and_explains_errors(client, employer):
    client.force_login(employer)
    body = {"scenarios": [{"month": "2026-11", "amount": 2000, "basis": "net", "headcount": 8, "commune": "46042"}]}
    response = client.post("/api/v1/hiring/simulate", body, content_type="application/json")
    assert response.status_code == 200, response.content
    result = response.json()["results"][0]
    assert result["net_before_tax"] == pytest.approx(2000, abs=0.01)
    assert result["total_cost"] > result["gross"] > 2000
    bad = {"scenarios": [{"month": "2026-11", "amount": 2000}, {"month": "2026-11", "amount": -1, "headcount": 40}]}
    response = client.post("/api/v1/hiring/simulate", bad, content_type="application/json")
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert fields == {"scenarios.1.amount", "scenarios.1.headcount"}


def test_the_api_needs_a_login(client):
    response = client.post("/api/v1/hiring/simulate", {"scenarios": []}, content_type="application/json")
    assert response.status_code == 401
