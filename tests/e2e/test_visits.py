"""The agent records Sébastien's visit from his file in a few touches, and finds it in his "Parcours"."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible, login, tick

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_agent_records_a_visit_from_the_file(page):
    from carte_blanche.people.models import Person
    from carte_blanche.visits.models import Visit

    sebastien = Person.objects.get(first_names="Sébastien")
    login(page, "agent")
    page.goto(f"/personnes/{sebastien.pk}/")
    # The button of the file (the header menu has a link of the same name, for an anonymous visit).
    page.get_by_role("main").get_by_role("link", name="Enregistrer une visite").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Enregistrer une visite")
    expect(page.get_by_text("Visite de Sébastien Cayla")).to_be_visible()
    expect(page.get_by_label("En personne")).to_be_checked()
    assert_accessible(page, "enregistrer une visite")

    page.get_by_label("Chercher une démarche").fill("rsa")
    rsa = "Demander le revenu de solidarité active (RSA) (CAF du Lot)"
    expect(page.get_by_label(rsa)).to_be_visible()
    tick(page, rsa, exact=True)
    tick(page, "Orienté vers un partenaire")
    tick(page, "Fait avec la personne")
    tick(page, "15 min")
    assert_accessible(page, "visite avec des démarches proposées")
    page.get_by_role("button", name="Enregistrer la visite").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Sébastien Cayla")
    expect(page.get_by_role("status")).to_contain_text("Visite enregistrée")
    timeline = page.locator("section", has=page.get_by_role("heading", name="Parcours"))
    expect(timeline).to_contain_text("Demander le revenu de solidarité active (RSA)")
    expect(timeline).to_contain_text("Orienté vers un partenaire")
    expect(timeline).to_contain_text("Fait avec la personne")
    expect(timeline).to_contain_text("15 min")
    visit = Visit.objects.get()
    assert visit.person_id == sebastien.pk and visit.minutes == 15

    page.goto("/visites/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Visites du jour")
    expect(page.get_by_role("table")).to_contain_text("Demander le revenu de solidarité active (RSA)")
    assert_accessible(page, "visites du jour")
