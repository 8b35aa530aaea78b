"""The day before: each volunteer driver gets one SMS listing their confirmed rides of the day.

Called by the Celery task ``mobility.remind_drivers`` (``tasks.py``). Each reminder is keyed by
driver and day in ``notices.tell_driver_reminder``: running the task twice sends nothing more.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from carte_blanche.mobility import notices
from carte_blanche.mobility.models import RideLeg
from carte_blanche.mobility.states import LegStatus


def remind_drivers(day: dt.date) -> int:
    """Remind each driver of their CONFIRMED legs of ``day``; return the number of drivers reminded."""
    legs = (
        RideLeg.objects.filter(
            status=LegStatus.CONFIRMED,
            driver__isnull=False,
            request__day=day,
            request__cancelled_at__isnull=True,
        )
        .select_related("driver__user", "request__origin_commune", "request__destination_commune")
        .order_by("driver_id", "planned_pickup", "pickup_earliest", "pk")
    )
    by_driver: dict[int, list[RideLeg]] = defaultdict(list)
    drivers = {}
    for leg in legs:
        by_driver[leg.driver_id].append(leg)
        drivers[leg.driver_id] = leg.driver
    for driver_id, driver_legs in by_driver.items():
        notices.tell_driver_reminder(drivers[driver_id], day, driver_legs)
    return len(by_driver)
