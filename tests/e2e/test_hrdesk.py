"""The home-care association asks about renewing a CDD; Karim answers from the library; the employer reads it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible, login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SUBJECT = "Second renouvellement du CDD de notre aide à domicile"


def test_an_employer_question_is_answered_with_the_library(new_page):
    boss = new_page()
    login(boss, "employeur")
    assert_accessible(boss, "accueil employeur")
    boss.get_by_role("link", name="Poser une question RH").click()
    assert_accessible(boss, "poser une question")
    boss.get_by_role("combobox", name="Thème").select_option(label="Contrat de travail")
    boss.get_by_role("textbox", name="Objet").fill(SUBJECT)
    boss.get_by_role("textbox", name="Votre question").fill(
        "Le CDD a déjà été renouvelé une fois (6 + 6 mois) : pouvons-nous le renouveler encore 6 mois ?"
    )
    boss.get_by_role("button", name="Envoyer la question").click()
    expect(boss.get_by_role("heading", level=1)).to_contain_text(SUBJECT)
    expect(boss.get_by_role("main")).to_contain_text("Réponse attendue avant le")
    assert_accessible(boss, "question de l'employeur")

    advisor = new_page()
    login(advisor, "conseiller-rh")
    advisor.get_by_role("link", name="Questions RH").first.click()
    assert_accessible(advisor, "questions des employeurs")
    advisor.get_by_role("link", name=SUBJECT).click()
    advisor.get_by_role("button", name="Prendre en charge").click()
    expect(advisor.get_by_role("main")).to_contain_text("Prise en charge")
    advisor.get_by_role("searchbox", name="Rechercher une réponse type").fill("renouvellement")
    advisor.get_by_role("button", name="Rechercher").click()
    results = advisor.locator("#bibliotheque-resultats")
    expect(results).to_contain_text("Renouveler un CDD")
    assert_accessible(advisor, "question côté conseiller")
    results.get_by_role("link", name="Insérer « Renouveler un CDD").click()
    message = advisor.get_by_label("Votre message")
    expect(message).to_contain_text("deux fois au plus")
    message.fill("Bonjour,\n\n" + message.input_value() + "\n\nDans votre cas, 18 mois au total : c'est possible.")
    advisor.get_by_role("button", name="Envoyer la réponse").click()
    expect(advisor.get_by_role("main")).to_contain_text("Répondue")

    boss.reload()
    expect(boss.get_by_role("main")).to_contain_text("Dans votre cas, 18 mois au total")
    expect(boss.get_by_role("main")).to_contain_text("Répondue")
    assert_accessible(boss, "réponse lue par l'employeur")
