"""The end of the HR centre's journey: with Sarah's consent, her new contract leads an agent to her prime d'activité.

The employer's side (question, simulation, draft) is in test_hrdesk.py, test_hiring.py and test_contracts.py.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.contracts.conftest import company, sarah_contract  # noqa: F401 (fixtures)
from tests.e2e.conftest import assert_accessible, login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_sarahs_contract_opens_her_rights_check(new_page, sarah_contract):  # noqa: F811
    from carte_blanche.people.models import Person
    from carte_blanche.rights import engine

    engine.warm_up()  # the live server runs in this process: build OpenFisca now, not within a click's timeout
    sarah = Person.objects.get(first_names="Sarah")
    page = new_page()
    login(page, "agent")
    page.goto(f"/personnes/{sarah.pk}/")
    page.get_by_role("link", name="Rattacher un contrat de travail").click()
    assert_accessible(page, "rattacher un projet de contrat")
    page.get_by_label("Code du projet de contrat").fill(sarah_contract.share_code)
    page.get_by_role("button", name="Rattacher").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Projet de contrat n°")

    page.set_default_timeout(60_000)
    page.get_by_role("link", name="Vérifier les droits de la salariée / du salarié").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vérifier les droits de Sarah Fournié")
    applicant = page.locator("#membre-1")
    expect(applicant.get_by_label("Heures payées par mois")).to_have_value("104")
    page.get_by_role("button", name="Vérifier les droits").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Droits probables de Sarah Fournié")
    page.set_default_timeout(10_000)
    unclaimed = page.locator("section", has=page.get_by_role("heading", name="Droits probables non demandés"))
    expect(unclaimed.get_by_role("heading", name="Prime d'activité")).to_be_visible()
