"""The employer publishes a job offer; the agent finds it near Sébastien's commune, Lherm."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible, login, tick

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_an_offer_published_by_the_employer_is_found_near_sebastien(new_page):
    from carte_blanche.people.models import Person

    employer = new_page()
    login(employer, "employeur")
    employer.get_by_role("link", name="Offres d'emploi").first.click()
    expect(employer.get_by_role("heading", level=1)).to_have_text("Offres d'emploi")
    assert_accessible(employer, "offres d'emploi de l'employeur")
    employer.get_by_role("link", name="Nouvelle offre pour Aide à domicile du Quercy").click()
    expect(employer.get_by_role("heading", level=1)).to_have_text("Nouvelle offre d'emploi")
    assert_accessible(employer, "nouvelle offre d'emploi")

    employer.get_by_label("Intitulé du poste").fill("Aide aux courses et aux repas")
    employer.get_by_label("Description du poste").fill("Courses, préparation des repas chez des personnes âgées.")
    employer.get_by_label("Commune du lieu de travail").select_option(label="Les Junies (46134)")
    tick(employer, "CDI", exact=True)
    tick(employer, "Temps partiel", exact=True)
    employer.get_by_label("Heures par semaine").fill("20")
    for day in ("Lundi", "Mardi", "Jeudi", "Vendredi"):
        tick(employer, day, exact=True)
    employer.get_by_label("Heure de début").fill("09:00")
    employer.get_by_label("Heure de fin").fill("14:00")
    employer.get_by_role("button", name="Enregistrer l'offre").click()
    expect(employer.get_by_role("heading", level=1)).to_have_text("Aide aux courses et aux repas")
    expect(employer.get_by_role("main")).to_contain_text("Lundi, mardi, jeudi et vendredi, de 9 h 00 à 14 h 00")
    employer.get_by_role("button", name="Publier l'offre").click()
    expect(employer.get_by_role("main")).to_contain_text("L'offre est publiée")
    assert_accessible(employer, "offre publiée")

    sebastien = Person.objects.get(first_names="Sébastien")
    agent = new_page()
    login(agent, "agent")
    agent.goto(f"/personnes/{sebastien.pk}/")
    agent.get_by_role("link", name="Offres d'emploi proches").click()
    expect(agent.get_by_role("heading", level=1)).to_have_text("Offres d'emploi près de Lherm")
    offer = agent.get_by_role("listitem").filter(has=agent.get_by_role("link", name="Aide aux courses et aux repas"))
    expect(offer).to_contain_text("Trajet :")
    expect(offer).to_contain_text("km depuis Lherm")
    expect(offer).to_contain_text("Permis de conduireNon exigé")
    # Lherm → Les Junies at 9:00 on weekdays: Jean-Louis (Cahors, 30 km, every weekday) could drive.
    expect(offer).to_contain_text("Trajet solidaire possible le lundi, mardi, jeudi et vendredi")
    assert_accessible(agent, "offres d'emploi près d'une personne")

    # The agent's own search, narrowed without licence (HTMX redraws the results).
    agent.get_by_role("link", name="Offres d'emploi").first.click()
    agent.get_by_label("Commune de la personne").select_option(label="Lherm (46171)")
    agent.get_by_role("button", name="Chercher les offres").click()
    expect(agent.get_by_role("heading", level=2, name="à 20 km ou moins de Lherm")).to_be_visible()
    expect(agent.get_by_role("link", name="Aide aux courses et aux repas")).to_be_visible()
    assert_accessible(agent, "recherche d'offres d'emploi")
