"""Appointments in a person's timeline (see carte_blanche/visits/timeline.py)."""

from __future__ import annotations

from django.utils import timezone

from carte_blanche.appointments.models import Appointment, Status
from carte_blanche.visits.timeline import TimelineItem, sees_whole_file_history


def appointment_items(record, user) -> list[TimelineItem]:
    appointments = Appointment.objects.filter(person_id=record.person_id).select_related(
        "slot__permanence__operator", "slot__permanence__service_point", "structure"
    )
    if not sees_whole_file_history(record, user):
        operator = getattr(user, "acting_operator", None) if user.is_authenticated else None
        if operator is None:
            return []
        appointments = appointments.filter(slot__permanence__operator=operator)
    items = []
    for appointment in appointments:
        permanence = appointment.slot.permanence
        starts = timezone.localtime(appointment.slot.starts_at)
        state = "annulé" if appointment.status == Status.CANCELLED else "réservé"
        items.append(
            TimelineItem(
                when=starts,
                kind="appointment",
                title=f"Rendez-vous avec {permanence.operator.short_name} ({permanence.get_mode_display().lower()})",
                detail=f"Le {starts:%d/%m/%Y à %H:%M}, {permanence.location} — {state}",
                who=appointment.structure.name,
            )
        )
    return items
