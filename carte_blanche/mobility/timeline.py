"""Ride requests in a person's timeline (see carte_blanche/visits/timeline.py)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from carte_blanche.mobility.models import RideRequest
from carte_blanche.visits.timeline import TimelineItem, sees_whole_file_history


def ride_items(record, user) -> list[TimelineItem]:
    if not sees_whole_file_history(record, user):
        return []
    items = []
    requests = RideRequest.objects.filter(person_id=record.person_id).select_related(
        "origin_commune", "destination_commune", "structure"
    )
    for ride in requests.prefetch_related("legs"):
        legs = ", ".join(
            f"{leg.get_direction_display().lower()} : {leg.status_label.lower()}" for leg in ride.legs.all()
        )
        state = "annulé" if ride.cancelled_at else legs
        items.append(
            TimelineItem(
                when=timezone.make_aware(dt.datetime.combine(ride.day, dt.time(8))),
                kind="ride",
                title=f"Transport solidaire vers {ride.destination_name or ride.destination_commune.name}",
                detail=f"Le {ride.day:%d/%m/%Y} depuis {ride.origin_commune.name} — {state}",
                who=ride.structure.name if ride.structure else "",
            )
        )
    return items
