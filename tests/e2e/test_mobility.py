"""Roseline gets a CPAM appointment in Cahors; a ride is created from it; the dispatcher gives it
to a volunteer driver, who accepts from their page; the appointment moves and the ride follows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible, login, tick

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_roseline_is_driven_to_her_cpam_appointment_and_the_ride_follows_it(new_page):
    from carte_blanche.accounts.models import User
    from carte_blanche.appointments.models import Appointment, Slot
    from carte_blanche.consent.actions import grant_consent
    from carte_blanche.messaging import sms
    from carte_blanche.mobility.models import Proposal, RideLeg, RideRequest
    from carte_blanche.people.models import Person

    roseline = Person.objects.get(first_names="Roseline")
    cpam = User.objects.get(username="referent-cpam").operator
    # Roseline agreed, at the counter, that the CPAM receives her appointment.
    grant_consent(
        roseline, operator=cpam, categories=["identity", "contact"], purposes=["referral"],
        valid_until=timezone.localdate() + dt.timedelta(days=60), method="in_person",
        by=User.objects.get(username="agent"),
    )  # fmt: skip
    first = Slot.objects.filter(permanence__operator=cpam).order_by("starts_at").first()
    day = timezone.localtime(first.starts_at).date()

    agent = new_page()
    login(agent, "agent")
    agent.goto(f"/personnes/{roseline.pk}/rendez-vous/?operateur={cpam.pk}")
    agent.get_by_role("button", name=f"Réserver le {day:%d/%m/%Y} à 10:00").click()
    expect(agent.get_by_role("main")).to_contain_text(f"Rendez-vous pris avec CPAM du Lot le {day:%d/%m/%Y} à 10:00")
    appointment = Appointment.objects.get(person=roseline, status="booked")

    agent.get_by_role("link", name=f"Transport pour le rendez-vous n° {appointment.pk}").click()
    expect(agent.get_by_role("heading", level=1)).to_have_text(f"Transport pour le rendez-vous n° {appointment.pk}")
    expect(agent.get_by_label("Commune de départ")).to_have_value(str(roseline.commune_id))
    assert_accessible(agent, "transport pour un rendez-vous")
    tick(agent, "A besoin d'aide pour monter en voiture")
    sms.outbox.clear()
    agent.get_by_role("button", name="Demander le transport").click()
    expect(agent.get_by_role("main")).to_contain_text("proposé à un conducteur bénévole")
    expect(agent.get_by_role("main")).to_contain_text("Proposé à un conducteur")
    assert_accessible(agent, "transport demandé")

    ride = RideRequest.objects.get(person=roseline)
    outbound = RideLeg.objects.get(request=ride, direction="outbound")
    proposal = Proposal.objects.get(leg=outbound, status="pending")
    driver_user = proposal.driver.user
    # The driver got an SMS naming communes and times, not Roseline.
    text = next(m.text for m in sms.outbox if m.to == proposal.driver.phone)
    assert f"OUI {proposal.code}" in text and "Roseline" not in text

    driver = new_page()
    login(driver, driver_user.username)
    driver.get_by_role("link", name="Mes trajets").first.click()
    expect(driver.get_by_role("main")).to_contain_text("Soulomès")
    assert_accessible(driver, "mes trajets (conducteur)")
    driver.locator(f"form[action$='/{proposal.pk}/accept/']").get_by_role("button", name="Accepter").click()
    expect(driver.get_by_role("main")).to_contain_text("Roseline")  # her name, now that the ride is confirmed
    outbound.refresh_from_db()
    assert outbound.status == "confirmed" and outbound.driver_id == proposal.driver_id

    # The CPAM asks to come an hour later: the agent moves the appointment; the ride follows.
    sms.outbox.clear()
    agent.goto("/rendez-vous/")
    agent.get_by_role("link", name=f"Déplacer le rendez-vous n° {appointment.pk}").click()
    agent.get_by_role("button", name=f"Réserver le {day:%d/%m/%Y} à 11:00").click()
    expect(agent.get_by_role("main")).to_contain_text(f"déplacé au {day:%d/%m/%Y} à 11:00")
    ride.refresh_from_db()
    moved = Appointment.objects.get(person=roseline, status="booked")
    assert ride.appointment_id == moved.pk
    outbound.refresh_from_db()
    assert timezone.localtime(outbound.dropoff_latest).time() == dt.time(10, 50)
    assert outbound.status == "confirmed" and outbound.driver_id == proposal.driver_id
    assert any(m.to == proposal.driver.phone and "change" in m.text for m in sms.outbox)

    agent.goto(f"/mobilite/transports/{ride.pk}/")
    expect(agent.get_by_role("main")).to_contain_text("arrivée entre 10:30 et 10:50")
    expect(agent.get_by_role("main")).to_contain_text(f"avec {proposal.driver}")

    coordinator = new_page()
    login(coordinator, "coord-mobilite")
    coordinator.get_by_role("link", name="Planning des trajets").first.click()
    expect(coordinator.get_by_role("main")).to_contain_text("VAYSSIÈRE Roseline")
    assert_accessible(coordinator, "planning des trajets")
    coordinator.get_by_role("link", name="Conducteurs").first.click()
    assert_accessible(coordinator, "conducteurs bénévoles")
    coordinator.get_by_role("link", name="Indicateurs").first.click()
    expect(coordinator.get_by_role("main")).to_contain_text("Trajets assurés ou confirmés")
    assert_accessible(coordinator, "indicateurs de mobilité")
    coordinator.goto("/mobilite/offres/")
    assert_accessible(coordinator, "offres de mobilité")
