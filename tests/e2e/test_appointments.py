"""The CAF publishes a permanence; the bus agent books Sébastien into it from his referral."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible, login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_caf_publishes_and_the_bus_agent_books_sebastien(new_page):
    from carte_blanche.accounts.models import User
    from carte_blanche.appointments.models import Appointment
    from carte_blanche.people.models import Person
    from carte_blanche.referrals.actions import send_referral

    sebastien = Person.objects.get(first_names="Sébastien")
    day = timezone.localdate() + dt.timedelta(days=10)

    caf = new_page()
    login(caf, "referent-caf")
    caf.get_by_role("link", name="Rendez-vous").first.click()
    assert_accessible(caf, "rendez-vous (partenaire)")
    caf.get_by_role("link", name="Permanences").click()
    caf.get_by_role("link", name="Publier une permanence").click()
    assert_accessible(caf, "publier une permanence")
    caf.get_by_label("Intitulé").fill("Permanence RSA")
    caf.get_by_label("Modalité").select_option(label="En personne")
    caf.get_by_label("Lieu (pour une permanence en personne)").select_option(label="France services de Lalbenque")
    caf.get_by_label("Jour").fill(day.isoformat())
    caf.get_by_label("Début").fill("14:00")
    caf.get_by_label("Fin").fill("15:00")
    caf.get_by_label("Durée d'un créneau (minutes)").fill("30")
    caf.get_by_label("Places par créneau").fill("1")
    caf.get_by_role("button", name="Publier la permanence").click()
    expect(caf.get_by_role("main")).to_contain_text("Permanence publiée : 2 créneaux")
    assert_accessible(caf, "permanences")

    referral = send_referral(
        sebastien,
        operator=User.objects.get(username="referent-caf").operator,
        question="Plus aucune ressource depuis la fin de l'ASS : ouverture d'un droit au RSA ?",
        by=User.objects.get(username="agent-bus"),
    )
    agent = new_page()
    login(agent, "agent-bus")
    agent.goto(f"/orientations/{referral.pk}/")
    agent.get_by_role("link", name="Prendre rendez-vous").click()
    expect(agent.get_by_role("heading", level=1)).to_contain_text("Prendre rendez-vous pour")
    assert_accessible(agent, "prendre rendez-vous")
    agent.get_by_role("button", name=f"Réserver le {day:%d/%m/%Y} à 14:00").click()
    expect(agent.get_by_role("main")).to_contain_text(f"Rendez-vous pris avec CAF du Lot le {day:%d/%m/%Y} à 14:00")
    expect(agent.get_by_role("main")).to_contain_text("CAYLA Sébastien")
    assert_accessible(agent, "rendez-vous (agent)")
    assert Appointment.objects.get().referral_id == referral.pk

    caf.goto("/rendez-vous/")
    expect(caf.get_by_role("main")).to_contain_text("CAYLA Sébastien")
