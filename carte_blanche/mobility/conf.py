"""The service's parameters, from the settings (which read the environment)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings


@dataclass(frozen=True)
class MobilitySettings:
    arrival_margin_min: int  # arrive this long before an appointment
    arrival_window_min: int  # width of the arrival window of an outbound trip
    return_window_min: int  # width of the pick-up window of a return trip
    detour_factor: float  # max ride time = max(direct × factor, direct + detour_min)
    detour_min: int
    pickup_service_min: int
    boarding_help_min: int  # added to the pick-up when the passenger needs help
    dropoff_service_min: int
    morning: tuple[dt.time, dt.time]
    afternoon: tuple[dt.time, dt.time]
    answer_hours: int  # a proposal expires after this long without an answer
    answer_before_min: int  # …and at the latest this long before the pick-up
    dispatch_days: int  # the periodic task plans this many days ahead
    dispatch_seconds: float  # time given to the solver for one day
    km_rate: Decimal  # € per km in the drivers' mileage statements


def _time(value: str) -> dt.time:
    return dt.time.fromisoformat(value)


def mobility_settings() -> MobilitySettings:
    s = settings.MOBILITY
    return MobilitySettings(
        arrival_margin_min=int(s["ARRIVAL_MARGIN_MIN"]),
        arrival_window_min=int(s["ARRIVAL_WINDOW_MIN"]),
        return_window_min=int(s["RETURN_WINDOW_MIN"]),
        detour_factor=float(s["DETOUR_FACTOR"]),
        detour_min=int(s["DETOUR_MIN"]),
        pickup_service_min=int(s["PICKUP_SERVICE_MIN"]),
        boarding_help_min=int(s["BOARDING_HELP_MIN"]),
        dropoff_service_min=int(s["DROPOFF_SERVICE_MIN"]),
        morning=(_time(s["MORNING"][0]), _time(s["MORNING"][1])),
        afternoon=(_time(s["AFTERNOON"][0]), _time(s["AFTERNOON"][1])),
        answer_hours=int(s["ANSWER_HOURS"]),
        answer_before_min=int(s["ANSWER_BEFORE_MIN"]),
        dispatch_days=int(s["DISPATCH_DAYS"]),
        dispatch_seconds=float(s["DISPATCH_SECONDS"]),
        km_rate=Decimal(str(s["KM_RATE"])),
    )
