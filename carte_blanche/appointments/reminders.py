"""The day before: remind the person of their appointment by the channel they prefer."""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.utils import timezone

from carte_blanche.appointments.models import Appointment, Mode, Status
from carte_blanche.messaging.models import NotificationStatus
from carte_blanche.messaging.notify import notify_person
from carte_blanche.messaging.templates import render

logger = logging.getLogger(__name__)

HOW = {
    Mode.IN_PERSON: "à {place}",
    Mode.PHONE: "par téléphone : {operator} vous appelle",
    Mode.VISIO: "en visio : votre agent France services vous a donné le lien",
}


def reminder_values(appointment: Appointment) -> dict[str, str]:
    permanence = appointment.slot.permanence
    starts = timezone.localtime(appointment.slot.starts_at)
    operator = permanence.operator.short_name
    how = HOW[Mode(permanence.mode)].format(place=permanence.location, operator=operator)
    return {"operator": operator, "day": f"{starts:%d/%m}", "time": f"{starts:%H:%M}", "how": how}


def reminder_text(appointment: Appointment) -> str:
    return render("appointment.reminder", **reminder_values(appointment))[1]


def send_reminders(today: dt.date | None = None) -> dict[str, int]:
    """Tomorrow's booked appointments not yet reminded: SMS, e-mail, or "none" (a letter is too late:
    the agent calls, from the "Courriers et appels" list; a failed SMS or e-mail counts as "none" too).

    Each appointment is marked as reminded whatever the channel, so a second run sends nothing.
    """
    today = today or timezone.localdate()
    tomorrow = today + dt.timedelta(days=1)
    counts = {"sms": 0, "email": 0, "none": 0}
    due = Appointment.objects.filter(
        status=Status.BOOKED, reminder_sent_at__isnull=True, slot__starts_at__date=tomorrow
    ).values_list("pk", flat=True)
    for pk in list(due):
        with transaction.atomic():
            appointment = (
                Appointment.objects.select_for_update(of=("self",))
                .select_related("person", "slot__permanence__operator", "slot__permanence__service_point")
                .get(pk=pk)
            )
            if appointment.reminder_sent_at is not None or appointment.status != Status.BOOKED:
                continue
            appointment.reminder_sent_at = timezone.now()
            appointment.save(update_fields=["reminder_sent_at"])
            counts[_remind(appointment)] += 1
    return counts


def _remind(appointment: Appointment) -> str:
    person = appointment.person
    key = f"appointment:{appointment.pk}:reminder:{appointment.slot_id}"
    values = reminder_values(appointment)
    related = ("appointment", appointment.pk)
    # A letter would arrive after the appointment: without SMS or e-mail, the agent calls.
    notification = notify_person(
        person, "appointment.reminder", key=key, values=values, related=related, letter_ok=False
    )
    if notification.status == NotificationStatus.SENT:
        return notification.channel
    if notification.status == NotificationStatus.FAILED:
        logger.warning("Rappel non envoyé pour le rendez-vous %s", appointment.pk)
    return "none"
