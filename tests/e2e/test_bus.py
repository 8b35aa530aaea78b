"""The coordinator plans and publishes the bus's tour; Roseline's commune, Soulomès, gets a stop;
a neighbour subscribes on the public page; the bus agent books Roseline a slot at the next stop;
the notice and the reminder go out."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible, login, tick

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_published_tour_is_booked_and_announced(new_page):
    from carte_blanche.accounts.models import User
    from carte_blanche.appointments.models import Appointment
    from carte_blanche.appointments.reminders import send_reminders
    from carte_blanche.bus.models import Call
    from carte_blanche.bus.notices import send_notices
    from carte_blanche.consent.actions import grant_consent
    from carte_blanche.messaging import sms
    from carte_blanche.messaging.models import Notification
    from carte_blanche.people.models import Person

    today = timezone.localdate()
    monday = today + dt.timedelta(days=7 - today.weekday())

    coordinator = new_page()
    login(coordinator, "coordination")
    coordinator.get_by_role("link", name="Tournée du bus").first.click()
    expect(coordinator.get_by_role("heading", level=1)).to_have_text("Tournées du bus")
    assert_accessible(coordinator, "tournées du bus")
    coordinator.get_by_label("Communes desservies").select_option(label="CC du Causse de Labastide Murat")
    coordinator.get_by_label("Début du cycle").fill(monday.isoformat())
    coordinator.get_by_label("Durée du cycle (semaines)").fill("2")
    coordinator.get_by_label("Demi-journées de bus par semaine").fill("3")
    coordinator.get_by_label("Communes imposées").fill("46310 1")
    coordinator.get_by_label("Temps de calcul (secondes)").fill("5")
    coordinator.get_by_role("button", name="Calculer la tournée").click()
    expect(coordinator.get_by_role("main")).to_contain_text("Tournée calculée", timeout=30_000)
    expect(coordinator.get_by_role("main")).to_contain_text("Soulomès")
    expect(coordinator.get_by_role("main")).to_contain_text("Écart à l'optimum")
    assert_accessible(coordinator, "tournée calculée")
    coordinator.get_by_role("button", name="Publier la tournée").click()
    expect(coordinator.get_by_role("main")).to_contain_text("Tournée publiée")

    call = Call.objects.filter(stop__commune__insee_code="46310").order_by("starts_at").first()
    starts = timezone.localtime(call.starts_at)

    # The public page of Soulomès, without logging in: the next visit, the map, the subscription.
    public = new_page()
    public.goto("/bus/communes/46310/")
    expect(public.get_by_role("heading", level=1)).to_have_text("Le bus France services à Soulomès")
    expect(public.get_by_role("main")).to_contain_text(f"de {starts:%H}h{starts:%M}")
    assert_accessible(public, "passages du bus à Soulomès")
    tick(public, "SMS", exact=True)
    public.get_by_label("Nom (facultatif)").fill("Josiane, voisine de Roseline")
    public.get_by_label("Téléphone mobile").fill("06 12 34 56 78")
    tick(public, "J'accepte que ce numéro ou cette adresse serve seulement à annoncer les passages du bus ; "
         "je peux me désinscrire à tout moment par le lien reçu.")  # fmt: skip
    public.get_by_role("button", name="M'inscrire").click()
    expect(public.get_by_role("main")).to_contain_text("vous serez prévenu avant chaque passage du bus à Soulomès")
    public.goto("/bus/")
    expect(public.get_by_role("link", name="Soulomès")).to_be_visible()
    assert_accessible(public, "tournée du bus")

    # Roseline agreed at her last visit that the bus's team knows who she is.
    roseline = Person.objects.get(first_names="Roseline")
    bus_agent_user = User.objects.get(username="agent-bus")
    grant_consent(
        roseline, operator=bus_agent_user.structure.operator, categories=["identity", "contact"],
        purposes=["accompaniment"], valid_until=today + dt.timedelta(days=365), method="in_person",
        by=bus_agent_user,
    )  # fmt: skip
    agent = new_page()
    login(agent, "agent-bus")
    agent.goto(f"/personnes/{roseline.pk}/rendez-vous/?operateur={bus_agent_user.structure.operator_id}")
    expect(agent.get_by_role("main")).to_contain_text("Soulomès")
    agent.get_by_role("button", name=f"Réserver le {starts:%d/%m/%Y} à {starts:%H:%M}").click()
    expect(agent.get_by_role("main")).to_contain_text(f"le {starts:%d/%m/%Y} à {starts:%H:%M}")
    appointment = Appointment.objects.get(person=roseline, status="booked")
    assert appointment.slot.permanence.bus_call == call

    # A week before, the neighbour gets an SMS; the day before, Roseline's reminder is a call to make
    # (she reads only letters, and a letter would come too late).
    sms.outbox.clear()
    send_notices(call.outing.day - dt.timedelta(days=7))
    notice = next(m for m in sms.outbox if m.to == "+33612345678")
    assert "Soulomès" in notice.text and f"{starts:%Hh%M}" in notice.text
    send_reminders(call.outing.day - dt.timedelta(days=1))
    reminder = Notification.objects.get(person=roseline, template="appointment.reminder")
    assert reminder.channel == "phone" and reminder.status == "to_call"
