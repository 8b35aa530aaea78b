"""The pages: partners publish and see their slots, agents book from the file or the referral, both list and export."""

import datetime as dt

import pytest
from django.urls import reverse
from icalendar import Calendar

from carte_blanche.appointments.actions import book
from carte_blanche.appointments.models import Appointment, Permanence, Status
from carte_blanche.journal.models import JournalEntry, JournalEvent
from carte_blanche.referrals.actions import send_referral
from tests.appointments.conftest import next_week

pytestmark = pytest.mark.django_db


def test_partner_publishes_and_sees_the_seats(verified_client, caf_referent, lalbenque, slot, bus_agent, sebastien):
    client = verified_client(caf_referent)
    assert client.get(reverse("web:permanence_create")).status_code == 200
    response = client.post(
        reverse("web:permanence_create"),
        {"title": "Prime d'activité", "mode": "phone", "day": next_week().isoformat(), "start": "14:00",
         "end": "15:00", "slot_minutes": "20", "capacity": "2"},
    )  # fmt: skip
    assert response.status_code == 302
    assert Permanence.objects.get(title="Prime d'activité").slots.count() == 3
    bad = client.post(reverse("web:permanence_create"), {"title": "X", "mode": "in_person",
                      "day": next_week().isoformat(), "start": "14:00", "end": "15:00", "slot_minutes": "30",
                      "capacity": "1"})  # fmt: skip
    assert bad.status_code == 200 and "point de service" in bad.content.decode()
    book(slot, sebastien, by=bus_agent)
    page = client.get(reverse("web:permanence_list")).content.decode()
    assert "Prime d&#x27;activité" in page and "1 / 1" in page and "complet" in page


def test_agents_do_not_publish(verified_client, agent):
    assert verified_client(agent).get(reverse("web:permanence_create")).status_code == 403


def test_agent_books_from_the_referral(verified_client, bus_agent, caf_referent, sebastien, slot):
    referral = send_referral(
        sebastien, operator=caf_referent.operator, question="Ouvrir un droit au RSA ?", by=bus_agent
    )
    client = verified_client(bus_agent)
    detail = client.get(reverse("web:referral_detail", args=[referral.pk])).content.decode()
    url = (
        reverse("web:appointment_book", args=[sebastien.pk])
        + f"?operateur={caf_referent.operator_id}&orientation={referral.pk}"
    )
    assert url.replace("&", "&amp;") in detail
    page = client.get(url)
    assert page.status_code == 200 and "Réserver" in page.content.decode() and page.context["referral"] == referral
    assert client.post(url, {"slot": slot.pk}).status_code == 302
    appointment = Appointment.objects.get()
    assert appointment.referral == referral and appointment.person == sebastien
    listing = client.get(reverse("web:appointment_list")).content.decode()
    assert "CAYLA Sébastien" in listing
    # The slot is full now: it is no longer offered, and booking it again is refused with a message.
    assert f'name="slot" value="{slot.pk}"' not in client.get(url).content.decode()
    response = client.post(url, {"slot": slot.pk}, follow=True)
    assert "déjà rendez-vous sur ce créneau" in response.content.decode()


def test_booking_page_asks_for_the_operator_and_refuses_without_consent(
    verified_client, agent, roseline, slot, caf_referent
):
    client = verified_client(agent)
    url = reverse("web:appointment_book", args=[roseline.pk])
    page = client.get(url)
    assert page.status_code == 200 and "Partenaire" in page.content.decode()
    response = client.post(f"{url}?operateur={caf_referent.operator_id}", {"slot": slot.pk}, follow=True)
    assert "Recueillez d&#x27;abord son consentement" in response.content.decode()
    assert not Appointment.objects.exists()


def test_partner_cancels_and_other_partners_see_nothing(
    verified_client, caf_referent, cpam_referent, bus_agent, sebastien, slot
):
    appointment = book(slot, sebastien, by=bus_agent)
    other = verified_client(cpam_referent)
    assert "CAYLA" not in other.get(reverse("web:appointment_list")).content.decode()
    assert other.post(reverse("web:appointment_list"), {"annuler": appointment.pk}).status_code == 404
    client = verified_client(caf_referent)
    listing = client.get(reverse("web:appointment_list")).content.decode()
    assert "CAYLA Sébastien" in listing
    assert client.post(reverse("web:appointment_list"), {"annuler": appointment.pk}).status_code == 302
    appointment.refresh_from_db()
    assert appointment.status == Status.CANCELLED


def test_the_ics_names_through_consent(verified_client, caf_referent, bus_agent, sebastien, slot):
    appointment = book(slot, sebastien, by=bus_agent)
    before = JournalEntry.objects.filter(event=JournalEvent.PERSON_READ, person_id=sebastien.pk).count()
    response = verified_client(caf_referent).get(reverse("web:appointment_calendar"))
    assert response["Content-Type"] == "text/calendar"
    [event] = Calendar.from_ical(response.content).walk("VEVENT")
    assert str(event["summary"]) == "CAYLA Sébastien — CAF du Lot (en personne)"
    assert str(event["uid"]) == f"rendez-vous-{appointment.pk}@carte-blanche.cahors"
    assert JournalEntry.objects.filter(event=JournalEvent.PERSON_READ, person_id=sebastien.pk).count() == before + 1


def test_the_ics_hides_a_person_who_withdrew(verified_client, caf_referent, bus_agent, sebastien, slot):
    appointment = book(slot, sebastien, by=bus_agent)
    from carte_blanche.consent.models import Consent

    for consent in Consent.objects.filter(person=sebastien, operator=caf_referent.operator):
        consent.revoked_at = consent.granted_at + dt.timedelta(seconds=1)
        consent.revoked_by = bus_agent
        consent.save()
    body = verified_client(caf_referent).get(reverse("web:appointment_calendar")).content.decode()
    assert "CAYLA" not in body and f"Rendez-vous n° {appointment.pk}" in body


def test_menu_entry(verified_client, agent, caf_referent, resident_sarah):
    for user in (agent, caf_referent):
        assert "Rendez-vous" in verified_client(user).get(reverse("web:home")).content.decode()
    assert verified_client(resident_sarah).get(reverse("web:appointment_list")).status_code == 403


def test_agent_moves_an_appointment_from_the_list(verified_client, bus_agent, caf_referent, sebastien, permanence):
    first, second = list(permanence.slots.order_by("starts_at"))[:2]
    appointment = book(first, sebastien, by=bus_agent)
    client = verified_client(bus_agent)
    listing = client.get(reverse("web:appointment_list")).content.decode()
    assert f"deplacer={appointment.pk}" in listing
    url = (
        reverse("web:appointment_book", args=[sebastien.pk])
        + f"?operateur={caf_referent.operator_id}&deplacer={appointment.pk}"
    )
    assert "Déplacement du rendez-vous" in client.get(url).content.decode()
    response = client.post(url, {"slot": second.pk})
    assert response.status_code == 302
    appointment.refresh_from_db()
    assert appointment.status == "cancelled"
    assert Appointment.objects.get(person=sebastien, status="booked").slot_id == second.pk
