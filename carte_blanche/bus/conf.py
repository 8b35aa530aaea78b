"""The bus's parameters, from the settings (which read the environment)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class BusSettings:
    morning: tuple[dt.time, dt.time]  # the bus leaves the depot / is back
    afternoon: tuple[dt.time, dt.time]
    min_on_site_min: int
    max_stops_per_half_day: int
    slot_minutes: int  # appointments on board
    agents_on_board: int  # places per slot
    notice_days: tuple[int, ...]  # subscribers are told this many days before
    structure_name: str  # the agents' structure (the bus)
    services: tuple[str, ...]  # what the agents on board help with (public page, data·inclusion)


def bus_settings() -> BusSettings:
    s = settings.BUS
    return BusSettings(
        morning=(dt.time.fromisoformat(s["MORNING"][0]), dt.time.fromisoformat(s["MORNING"][1])),
        afternoon=(dt.time.fromisoformat(s["AFTERNOON"][0]), dt.time.fromisoformat(s["AFTERNOON"][1])),
        min_on_site_min=int(s["MIN_ON_SITE_MIN"]),
        max_stops_per_half_day=int(s["MAX_STOPS_PER_HALF_DAY"]),
        slot_minutes=int(s["SLOT_MINUTES"]),
        agents_on_board=int(s["AGENTS_ON_BOARD"]),
        notice_days=tuple(int(d) for d in s["NOTICE_DAYS"]),
        structure_name=s["STRUCTURE"],
        services=tuple(s["SERVICES"]),
    )
