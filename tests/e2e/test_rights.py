"""Sarah at the counter: the agent checks her rights and finds the prime d'activité she never claimed."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible, login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_agent_finds_sarahs_unclaimed_prime_d_activite(new_page):
    from carte_blanche.people.models import Person
    from carte_blanche.rights import engine

    # The live server runs in this process: build OpenFisca's system now, not within the click's timeout.
    engine.warm_up()
    sarah = Person.objects.get(first_names="Sarah")
    page = new_page()
    login(page, "agent")
    page.goto(f"/personnes/{sarah.pk}/")
    page.get_by_role("link", name="Vérifier les droits").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vérifier les droits de Sarah Fournié")
    assert_accessible(page, "situation pour la vérification des droits")

    # A member row added by HTMX and left blank is no member: nothing changes in the result.
    page.get_by_role("button", name="Ajouter une personne au foyer").click()
    expect(page.locator("#membre-3")).to_be_visible()
    expect(page.locator("#id_membres-TOTAL_FORMS")).to_have_value("3")

    sarah_row = page.locator("#membre-1")
    sarah_row.locator("#id_membres-0-activity").select_option(label="En emploi")
    sarah_row.get_by_label("Temps de travail").select_option(label="Temps partiel")
    sarah_row.get_by_label("Heures payées par mois").fill("104")
    sarah_row.get_by_label("Contrat").select_option(label="CDD")
    sarah_row.locator("summary", has_text="Salaire net").click()
    # One month typed: the same each month, and 4 times the quarter over the year.
    sarah_row.locator("#id_membres-0-salaire_m3").fill("1080")
    # A computation takes a few seconds, more on a busy machine: a longer wait for this step only.
    page.set_default_timeout(60_000)
    page.get_by_role("button", name="Vérifier les droits").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Droits probables de Sarah Fournié", timeout=60_000)
    page.set_default_timeout(10_000)
    unclaimed = page.locator("section", has=page.get_by_role("heading", name="Droits probables non demandés"))
    expect(unclaimed.get_by_role("heading", name="Prime d'activité")).to_be_visible()
    expect(unclaimed).to_contain_text("€ par mois")
    expect(page.get_by_role("link", name="Imprimer le résumé pour la personne (PDF)")).to_be_visible()
    assert_accessible(page, "droits probables")
