"""The day before: remind the person of their appointment by the channel they prefer."""

from __future__ import annotations

import datetime as dt
import logging

from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from carte_blanche.appointments.models import Appointment, Mode, Status
from carte_blanche.messaging.sms import SmsError, send_sms

logger = logging.getLogger(__name__)

HOW = {
    Mode.IN_PERSON: "à {place}",
    Mode.PHONE: "par téléphone : {operator} vous appelle",
    Mode.VISIO: "en visio : votre agent France services vous a donné le lien",
}


def reminder_text(appointment: Appointment) -> str:
    permanence = appointment.slot.permanence
    starts = timezone.localtime(appointment.slot.starts_at)
    operator = permanence.operator.short_name
    how = HOW[Mode(permanence.mode)].format(place=permanence.location, operator=operator)
    return (
        f"Carte Blanche : rappel de votre rendez-vous avec {operator} demain {starts:%d/%m} à {starts:%H:%M}, "
        f"{how}. Empêché ? Prévenez votre agent France services."
    )


def send_reminders(today: dt.date | None = None) -> dict[str, int]:
    """Tomorrow's booked appointments not yet reminded: SMS, e-mail, or nothing (the agent calls).

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
    text = reminder_text(appointment)
    if person.preferred_channel == "sms" and person.phone:
        try:
            send_sms(person.phone, text)
        except SmsError:
            logger.warning("Rappel non envoyé par SMS pour le rendez-vous %s", appointment.pk)
            return "none"
        return "sms"
    if person.preferred_channel == "email" and person.email:
        send_mail("Rappel : votre rendez-vous de demain", text, None, [person.email])
        return "email"
    # Letter and phone: the agent sees tomorrow's appointments in the list and calls the person.
    return "none"
