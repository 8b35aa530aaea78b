"""The bus's indicators: visits per stop and per half-day, people seen, new people."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from carte_blanche.bus.actions import bus_structure
from carte_blanche.bus.conf import bus_settings
from carte_blanche.bus.models import Call, PlanStatus
from carte_blanche.people.models import Person
from carte_blanche.visits.models import Visit


@dataclass(frozen=True)
class CallLine:
    call: Call
    visits: int
    persons: int
    new_persons: int
    anonymous: int


def call_lines(start: dt.date, end: dt.date) -> list[CallLine]:
    """One line per published call of the period: the visits the bus agents recorded there."""
    conf = bus_settings()
    structure = bus_structure()
    calls = (
        Call.objects.filter(outing__plan__status=PlanStatus.PUBLISHED, outing__day__range=(start, end))
        .select_related("stop__commune", "outing")
        .order_by("starts_at")
    )
    lines = []
    for call in calls:
        half = conf.morning if call.outing.half == "am" else conf.afternoon
        tz = timezone.get_current_timezone()
        since = dt.datetime.combine(call.outing.day, half[0], tzinfo=tz)
        until = dt.datetime.combine(call.outing.day, half[1], tzinfo=tz)
        visits = Visit.objects.filter(
            structure=structure, place_commune=call.stop.commune, happened_at__range=(since, until)
        )
        person_ids = set(visits.exclude(person=None).values_list("person_id", flat=True))
        new = Person.objects.filter(pk__in=person_ids, created_at__range=(since, until)).count()
        lines.append(CallLine(call, visits.count(), len(person_ids), new, visits.filter(person=None).count()))
    return lines
