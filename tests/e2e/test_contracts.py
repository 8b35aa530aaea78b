"""Sarah's employer drafts her part-time CDI (104 hours a month, Monday to Thursday) and downloads it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible, login, tick

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_employer_drafts_sarahs_part_time_cdi(new_page):
    page = new_page()
    login(page, "employeur")
    page.goto("/contrats/")
    assert_accessible(page, "projets de contrat")
    page.get_by_role("link", name="Nouveau projet pour Aide à domicile du Quercy").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nouveau projet de contrat")
    expect(page.get_by_label("Raison sociale")).to_have_value("Aide à domicile du Quercy (association, démonstration)")

    # Choosing part time redraws the form (HTMX) with the part-time clauses.
    tick(page, "Temps partiel")
    expect(page.get_by_label("Heures par mois")).to_be_visible()
    assert_accessible(page, "projet de contrat à temps partiel")

    page.get_by_label("Convention collective applicable").fill(
        "Branche de l'aide, de l'accompagnement, des soins et des services à domicile"
    )
    page.get_by_label("Prénom(s) du salarié").fill("Sarah")
    page.get_by_label("Nom du salarié").fill("Fournié")
    page.get_by_label("Date de naissance").fill("1990-03-28")
    page.get_by_label("Adresse du salarié").fill("5 chemin des Vignes, 46320 Flaujac-Poujols")
    page.get_by_label("Intitulé du poste").fill("Aide à domicile")
    page.get_by_label("Qualification et classification").fill("Catégorie A")
    page.get_by_label("Date d'embauche").fill("2026-12-01")
    page.get_by_label("Salaire brut mensuel (€)").fill("1300")
    page.locator("#id_trial_value").fill("1")
    page.get_by_label("Unité").select_option("mois")
    page.get_by_label("Heures par mois").fill("104")
    for day in ("Lundi", "Mardi", "Mercredi", "Jeudi"):
        page.get_by_label(day, exact=True).fill("6")
    page.get_by_role("button", name="Enregistrer le projet").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Projet de contrat n°")
    expect(page.get_by_text("Les clauses obligatoires vérifiées sont présentes")).to_be_visible()
    checklist = page.locator("section", has=page.get_by_role("heading", name="Les démarches de l'embauche"))
    expect(checklist).to_contain_text("Déclaration préalable à l'embauche (DPAE)")
    expect(checklist).to_contain_text("Visite d'information et de prévention")
    expect(checklist).to_contain_text("Registre unique du personnel")
    assert_accessible(page, "projet de contrat")

    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger le contrat (PDF)").click()
    path = download.value.path()
    assert download.value.suggested_filename.endswith(".pdf")
    with open(path, "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
