"""Publishing, booking, cancelling and moving appointments: capacity, consent, roles, journal."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from carte_blanche.appointments.actions import book, cancel, move, publish_permanence
from carte_blanche.appointments.models import Appointment, Slot, Status
from carte_blanche.journal.models import JournalEntry, JournalEvent
from tests.appointments.conftest import next_week

pytestmark = pytest.mark.django_db


def test_publishing_cuts_the_period_into_slots(permanence):
    slots = list(permanence.slots.all())
    assert [timezone.localtime(s.starts_at).strftime("%H:%M") for s in slots] == ["09:00", "09:30"]
    assert all(s.capacity == 1 for s in slots)
    assert permanence.location.startswith("France services de Lalbenque, 38 Place de la bascule")


@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        ({"start": dt.time(10), "end": dt.time(9)}, "end", "après l'heure de début"),
        ({"slot_minutes": 25}, "slot_minutes", "ne se découpe pas"),
        ({"day": dt.date(2020, 1, 6)}, "day", "dans le passé"),
        ({"capacity": 0}, "capacity", "de 1 à"),
    ],
)
def test_publishing_checks_its_input_in_french(publish, kwargs, field, message):
    with pytest.raises(ValidationError) as error:
        publish(**kwargs)
    assert message in " ".join(error.value.message_dict[field])
    assert not Slot.objects.filter(permanence__title="Permanence RSA").exists()


def test_in_person_needs_a_place_and_only_referents_publish(caf_referent, agent, cpam_referent):
    common = {
        "title": "Permanence",
        "day": next_week(),
        "start": dt.time(9),
        "end": dt.time(10),
        "slot_minutes": 30,
        "capacity": 1,
    }
    with pytest.raises(ValidationError, match="point de service"):
        publish_permanence(
            by=caf_referent, operator=caf_referent.operator, mode="in_person", service_point=None, **common
        )
    with pytest.raises(PermissionDenied):
        publish_permanence(by=agent, operator=caf_referent.operator, mode="phone", service_point=None, **common)
    with pytest.raises(PermissionDenied):
        publish_permanence(by=cpam_referent, operator=caf_referent.operator, mode="phone", service_point=None, **common)
    phone = publish_permanence(
        by=caf_referent, operator=caf_referent.operator, mode="phone", service_point=None, **common
    )
    assert phone.location == "Téléphone"


def test_booking_is_journaled_and_a_full_slot_refuses(slot, bus_agent, agent, sebastien):
    appointment = book(slot, sebastien, by=bus_agent)
    assert appointment.status == Status.BOOKED and appointment.structure == bus_agent.structure
    entry = JournalEntry.objects.filter(event=JournalEvent.APPOINTMENT_BOOKED).last()
    assert entry.person_id == sebastien.pk and entry.details["appointment_id"] == appointment.pk
    from carte_blanche.consent.actions import grant_consent
    from carte_blanche.people.models import Person

    sarah = Person.objects.get(first_names="Sarah")
    grant_consent(
        sarah, operator=slot.permanence.operator, categories=["identity"], purposes=["referral"],
        valid_until=timezone.localdate() + dt.timedelta(days=365), method="in_person", by=agent,
    )  # fmt: skip
    with pytest.raises(ValidationError, match="Ce créneau est complet"):
        book(slot, sarah, by=agent)
    with pytest.raises(ValidationError, match="déjà rendez-vous"):
        book(slot, sebastien, by=agent)
    assert Slot.objects.with_free_seats().filter(pk=slot.pk).count() == 0
    assert Slot.objects.with_booked().get(pk=slot.pk).booked == 1


def test_a_past_slot_cannot_be_booked(slot, bus_agent, sebastien):
    past = timezone.now() - dt.timedelta(hours=2)
    Slot.objects.filter(pk=slot.pk).update(starts_at=past, ends_at=past + dt.timedelta(minutes=30))
    with pytest.raises(ValidationError, match="passé"):
        book(slot, sebastien, by=bus_agent)


def test_no_consent_no_appointment(slot, agent, roseline):
    with pytest.raises(ValidationError, match="Recueillez d'abord son consentement"):
        book(slot, roseline, by=agent)
    assert not Appointment.objects.exists()


def test_only_agents_book(slot, caf_referent, sebastien):
    with pytest.raises(PermissionDenied):
        book(slot, sebastien, by=caf_referent)


def test_cancel_frees_the_seat_and_other_operators_cannot(
    slot, bus_agent, agent, caf_referent, cpam_referent, sebastien
):
    appointment = book(slot, sebastien, by=bus_agent)
    with pytest.raises(PermissionDenied):
        cancel(appointment, by=cpam_referent)
    cancelled = cancel(appointment, by=caf_referent)
    assert cancelled.status == Status.CANCELLED and cancelled.cancelled_at is not None
    with pytest.raises(ValidationError, match="déjà annulé"):
        cancel(appointment, by=agent)
    assert JournalEntry.objects.filter(event=JournalEvent.APPOINTMENT_CANCELLED, person_id=sebastien.pk).count() == 1
    again = book(slot, sebastien, by=agent)  # the seat is free again, for any agent
    assert again.status == Status.BOOKED


def test_move_keeps_one_booking(permanence, bus_agent, sebastien):
    first, second = permanence.slots.all()
    appointment = book(first, sebastien, by=bus_agent)
    moved = move(appointment, second, by=bus_agent)
    assert moved.slot == second
    assert list(Appointment.objects.filter(person=sebastien, status=Status.BOOKED)) == [moved]
    assert JournalEntry.objects.filter(event=JournalEvent.APPOINTMENT_MOVED).last().details["from_slot_id"] == first.pk


def test_a_refused_move_keeps_the_old_booking(permanence, bus_agent, agent, sebastien, sarah):
    first, second = permanence.slots.all()
    appointment = book(first, sebastien, by=bus_agent)
    Slot.objects.filter(pk=second.pk).update(starts_at=timezone.now() - dt.timedelta(hours=1),
                                             ends_at=timezone.now())  # fmt: skip
    with pytest.raises(ValidationError):
        move(appointment, Slot.objects.get(pk=second.pk), by=bus_agent)
    appointment.refresh_from_db()
    assert appointment.status == Status.BOOKED and appointment.slot_id == first.pk


def test_appointments_in_the_timeline(slot, bus_agent, caf_referent, cpam_referent, sebastien):
    from carte_blanche.consent.access import access_person
    from carte_blanche.visits.timeline import timeline_for

    book(slot, sebastien, by=bus_agent)
    record = access_person(bus_agent, sebastien.pk, "accompaniment")
    titles = [i.title for i in timeline_for(record, bus_agent) if i.kind == "appointment"]
    assert titles == ["Rendez-vous avec CAF du Lot (en personne)"]
    caf_record = access_person(caf_referent, sebastien.pk, "referral")
    assert [i.kind for i in timeline_for(caf_record, caf_referent)].count("appointment") == 1
