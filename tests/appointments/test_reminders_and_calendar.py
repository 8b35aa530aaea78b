"""Reminders the day before (by the person's channel, once) and the iCalendar export."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone
from icalendar import Calendar

from carte_blanche.appointments.actions import book, cancel
from carte_blanche.appointments.calendar import build_calendar
from carte_blanche.appointments.reminders import send_reminders
from carte_blanche.messaging import sms

pytestmark = pytest.mark.django_db


@pytest.fixture
def tomorrow_slot(publish):
    return publish(day=timezone.localdate() + dt.timedelta(days=1)).slots.first()


def test_sms_reminder_the_day_before_once(tomorrow_slot, bus_agent, sebastien):
    sebastien.preferred_channel = "sms"
    sebastien.save()
    book(tomorrow_slot, sebastien, by=bus_agent)
    sms.outbox.clear()
    today = timezone.localdate()
    assert send_reminders(today - dt.timedelta(days=1)) == {"sms": 0, "email": 0, "none": 0}
    assert send_reminders(today) == {"sms": 1, "email": 0, "none": 0}
    starts = timezone.localtime(tomorrow_slot.starts_at)
    assert sms.outbox[-1].to == sebastien.phone
    assert sms.outbox[-1].text == (
        f"Carte Blanche : rappel de votre rendez-vous avec CAF du Lot demain {starts:%d/%m} à 09:00, "
        "à France services de Lalbenque, 38 Place de la bascule, 46230 Lalbenque. "
        "Empêché ? Prévenez votre agent France services."
    )
    assert send_reminders(today) == {"sms": 0, "email": 0, "none": 0}
    assert len(sms.outbox) == 1


def test_email_phone_and_cancelled(tomorrow_slot, publish, bus_agent, sebastien):
    sebastien.preferred_channel = "email"
    sebastien.email = "sebastien@example.org"
    sebastien.save()
    appointment = book(tomorrow_slot, sebastien, by=bus_agent)
    mail.outbox.clear()
    assert send_reminders(timezone.localdate()) == {"sms": 0, "email": 1, "none": 0}
    assert mail.outbox[-1].to == ["sebastien@example.org"]
    appointment.refresh_from_db()
    assert appointment.reminder_sent_at is not None
    cancel(appointment, by=bus_agent)
    sebastien.preferred_channel = "phone"
    sebastien.save()
    other = tomorrow_slot.permanence.slots.last()
    booked = book(other, sebastien, by=bus_agent)
    assert send_reminders(timezone.localdate()) == {"sms": 0, "email": 0, "none": 1}  # the agent calls
    from carte_blanche.messaging.models import Notification

    call = Notification.objects.get(related_kind="appointment", related_id=booked.pk)
    assert (call.channel, call.status) == ("phone", "to_call")
    booked.refresh_from_db()
    assert booked.reminder_sent_at is not None


def test_the_calendar_parses_back(permanence, bus_agent, sebastien):
    first, second = permanence.slots.all()
    kept = book(first, sebastien, by=bus_agent)
    gone = cancel(book(second, sebastien, by=bus_agent), by=bus_agent)
    data = build_calendar([kept, gone], {sebastien.pk: "CAYLA Sébastien"}, now=timezone.now())
    events = {str(e["uid"]): e for e in Calendar.from_ical(data).walk("VEVENT")}
    assert set(events) == {f"rendez-vous-{kept.pk}@carte-blanche.cahors", f"rendez-vous-{gone.pk}@carte-blanche.cahors"}
    event = events[f"rendez-vous-{kept.pk}@carte-blanche.cahors"]
    assert event.decoded("dtstart") == first.starts_at and event.decoded("dtstart").utcoffset() == dt.timedelta(0)
    assert event.decoded("dtend") == first.ends_at
    assert str(event["summary"]) == "CAYLA Sébastien — CAF du Lot (en personne)"
    assert str(event["location"]).startswith("France services de Lalbenque")
    assert str(event["status"]) == "CONFIRMED"
    assert str(events[f"rendez-vous-{gone.pk}@carte-blanche.cahors"]["status"]) == "CANCELLED"
    anonymous = Calendar.from_ical(build_calendar([kept], {}, now=timezone.now()))
    assert str(anonymous.walk("VEVENT")[0]["summary"]).startswith(f"Rendez-vous n° {kept.pk} — ")


def test_the_remind_task_runs(tomorrow_slot):
    from carte_blanche.appointments.tasks import send_reminders_task

    assert send_reminders_task.delay().get() == {"sms": 0, "email": 0, "none": 0}
