"""Where a leg starts and ends, as points for the router, and the windows of a trip (minutes)."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from django.utils import timezone

from carte_blanche.mobility.conf import MobilitySettings
from carte_blanche.territory.geo import Point
from carte_blanche.territory.routing import commune_point, get_router


def origin_point(ride) -> Point:
    return commune_point(ride.origin_commune)


def destination_point(ride) -> Point:
    if ride.destination_lat is not None and ride.destination_lon is not None:
        return Point(ride.destination_lat, ride.destination_lon)
    return commune_point(ride.destination_commune)


def direct_minutes(ride) -> float:
    return get_router().duration_min(origin_point(ride), destination_point(ride))


def max_ride_minutes(direct: float, conf: MobilitySettings) -> float:
    return max(direct * conf.detour_factor, direct + conf.detour_min)


@dataclass(frozen=True)
class Windows:
    pickup: tuple[dt.datetime, dt.datetime]
    dropoff: tuple[dt.datetime, dt.datetime]


def outbound_windows(arrive_after: dt.datetime, arrive_before: dt.datetime, direct: float, conf) -> Windows:
    """Arrive between the two times; leave at the latest the direct travel time before, at the
    earliest the longest allowed ride before (so that others can share the car)."""
    longest = max_ride_minutes(direct, conf) + conf.pickup_service_min + conf.boarding_help_min
    pickup_latest = arrive_before - dt.timedelta(minutes=math.ceil(direct) + conf.pickup_service_min)
    pickup_earliest = arrive_after - dt.timedelta(minutes=math.ceil(longest))
    return Windows((pickup_earliest, max(pickup_latest, pickup_earliest)), (arrive_after, arrive_before))


def return_windows(leave_after: dt.datetime, leave_before: dt.datetime, direct: float, conf) -> Windows:
    longest = max_ride_minutes(direct, conf) + conf.pickup_service_min + conf.boarding_help_min
    return Windows(
        (leave_after, leave_before),
        (
            leave_after + dt.timedelta(minutes=math.floor(direct)),
            leave_before + dt.timedelta(minutes=math.ceil(longest)),
        ),
    )


def appointment_windows(starts: dt.datetime, ends: dt.datetime, direct: float, conf) -> tuple[Windows, Windows]:
    """The outbound trip arrives ``arrival_margin_min`` before the start (within the arrival
    window); the return leaves after the end, within the return window."""
    arrive_before = starts - dt.timedelta(minutes=conf.arrival_margin_min)
    arrive_after = arrive_before - dt.timedelta(minutes=conf.arrival_window_min)
    leave_after = ends
    leave_before = ends + dt.timedelta(minutes=conf.return_window_min)
    return (
        outbound_windows(arrive_after, arrive_before, direct, conf),
        return_windows(leave_after, leave_before, direct, conf),
    )


def minutes_since_midnight(moment: dt.datetime, day: dt.date) -> float:
    midnight = timezone.make_aware(dt.datetime.combine(day, dt.time()))
    return (moment - midnight).total_seconds() / 60


def at_minutes(day: dt.date, minutes: float) -> dt.datetime:
    midnight = timezone.make_aware(dt.datetime.combine(day, dt.time()))
    return midnight + dt.timedelta(minutes=round(minutes))
