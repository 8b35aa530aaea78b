"""Sébastien's RSA: the bus agent refers him to the CAF, the CAF referent answers from the inbox."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible, login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_referral_to_the_caf_is_answered_from_the_inbox(new_page):
    from carte_blanche.people.models import Person

    sebastien = Person.objects.get(first_names="Sébastien")
    agent = new_page()
    login(agent, "agent-bus")
    agent.goto(f"/personnes/{sebastien.pk}/")
    agent.get_by_role("link", name="Orienter vers un partenaire").click()
    assert_accessible(agent, "orienter")
    agent.get_by_role("combobox", name="Partenaire").select_option(label="CAF du Lot")
    agent.get_by_role("combobox", name="Démarche concernée").select_option(
        label="Demander le revenu de solidarité active (RSA)"
    )
    agent.get_by_role("textbox", name="La demande").fill(
        "Plus aucune ressource depuis la fin de l'ASS : ouverture d'un droit au RSA ?"
    )
    agent.get_by_role("button", name="Envoyer l'orientation").click()
    expect(agent.get_by_role("heading", level=1)).to_contain_text("Orientation n°")
    expect(agent.get_by_role("main")).to_contain_text("Orientation envoyée à CAF du Lot")

    caf = new_page()
    login(caf, "referent-caf")
    caf.get_by_role("link", name="Orientations").first.click()
    expect(caf.get_by_role("main")).to_contain_text("CAYLA Sébastien")
    assert_accessible(caf, "boîte des orientations")
    caf.get_by_role("row", name="CAYLA Sébastien").get_by_role("link").click()
    assert_accessible(caf, "orientation")
    caf.get_by_label("Message").fill("Droit ouvert, premier versement le 5 du mois prochain.")
    caf.get_by_role("button", name="Répondre").click()
    expect(caf.get_by_role("main")).to_contain_text("Répondue")

    agent.reload()
    expect(agent.get_by_role("main")).to_contain_text("Droit ouvert, premier versement")
    agent.get_by_role("button", name="Clôturer").click()
    expect(agent.get_by_role("main")).to_contain_text("Clôturée")
