"""iCalendar export of appointments, for the agent's or the partner's calendar application."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from icalendar import Calendar, Event

from carte_blanche.appointments.models import Appointment, Status

PRODID = "-//Carte Blanche//Rendez-vous//FR"
UID_DOMAIN = "carte-blanche.cahors"


def appointment_title(appointment: Appointment, names: dict[int, str]) -> str:
    return names.get(appointment.person_id) or f"Rendez-vous n° {appointment.pk}"


def build_calendar(appointments: Iterable[Appointment], names: dict[int, str], *, now: dt.datetime) -> bytes:
    """One VEVENT per appointment; a person the reader may not identify shows as "Rendez-vous n° N"."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Rendez-vous Carte Blanche")
    stamp = now.astimezone(dt.UTC)
    for appointment in appointments:
        slot = appointment.slot
        permanence = slot.permanence
        event = Event()
        event.add("uid", f"rendez-vous-{appointment.pk}@{UID_DOMAIN}")
        event.add("dtstamp", stamp)
        event.add("dtstart", slot.starts_at.astimezone(dt.UTC))
        event.add("dtend", slot.ends_at.astimezone(dt.UTC))
        event.add(
            "summary",
            f"{appointment_title(appointment, names)} — {permanence.operator.short_name} "
            f"({permanence.get_mode_display().lower()})",
        )
        event.add("location", permanence.location)
        event.add("description", permanence.title)
        event.add("status", "CONFIRMED" if appointment.status == Status.BOOKED else "CANCELLED")
        calendar.add_component(event)
    return calendar.to_ical()
