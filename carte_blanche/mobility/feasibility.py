"""Could a volunteer driver take a person to work on the hours of a job? (job offers, HR centre)

For each working weekday of the offer, on the next such date: the drivers available that day
whose area covers both communes, and whether the outbound trip (arriving before the start) and
the return (leaving after the end) each fit one of them alone — the dispatcher's own test
(``dispatch.solver.unservable_alone``) on the same windows, service times and ride limits as a
real request. It says whether the service *could*, not that a driver is booked: other rides of
the day are not counted, and drivers help occasionally (a few rides a week), not every day.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from carte_blanche.mobility import places
from carte_blanche.mobility.conf import mobility_settings
from carte_blanche.mobility.dispatch import Problem, Request, Vehicle
from carte_blanche.mobility.dispatch.solver import unservable_alone
from carte_blanche.mobility.dispatching import availability_windows, serves_area
from carte_blanche.mobility.models import Driver
from carte_blanche.territory.routing import commune_point, get_router

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WEEKDAY_NAMES = dict(
    zip(WEEKDAYS, ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"), strict=True)
)


@dataclass(frozen=True)
class RideCheck:
    known: bool  # the offer gives days and times
    possible: tuple[str, ...] = ()  # weekday codes where a driver could do both trips
    impossible: dict[str, str] = field(default_factory=dict)  # weekday → why not
    drivers: int = 0  # distinct drivers able on at least one day
    rides_per_week: int = 0  # the most those drivers offer per week, together

    @property
    def summary(self) -> str:
        if not self.known:
            return "Horaires du poste non précisés : impossible de vérifier un trajet solidaire."
        if not self.possible:
            return "Aucun conducteur bénévole ne peut assurer ces trajets aux heures du poste."
        days = [WEEKDAY_NAMES[d] for d in self.possible]
        text = "Trajet solidaire possible le " + (
            ", ".join(days[:-1]) + " et " + days[-1] if len(days) > 1 else days[0]
        )
        text += (
            f" ({self.drivers} conducteur{'s' if self.drivers > 1 else ''} bénévole{'s' if self.drivers > 1 else ''})"
        )
        return text + "."

    @property
    def details(self) -> list[str]:
        return [f"Le {WEEKDAY_NAMES[d]} : {why}" for d, why in self.impossible.items()]


def _next(day_code: str, today: dt.date) -> dt.date:
    target = WEEKDAYS.index(day_code)
    return today + dt.timedelta(days=(target - today.weekday()) % 7 or 7)


def ride_to_work(origin, workplace, schedule: dict, *, today: dt.date | None = None) -> RideCheck:
    """``schedule`` is ``JobOffer.work_schedule.to_dict()``; ``origin`` and ``workplace`` are communes."""
    if not schedule.get("weekdays") or not schedule.get("start") or not schedule.get("end"):
        return RideCheck(known=False)
    conf = mobility_settings()
    today = today or timezone.localdate()
    router = get_router()
    home, work = commune_point(origin), commune_point(workplace)
    direct = router.duration_min(home, work)
    start, end = dt.time.fromisoformat(schedule["start"]), dt.time.fromisoformat(schedule["end"])
    drivers = list(
        Driver.objects.active().select_related("home_commune").prefetch_related("weekly", "dated", "area_communes")
    )
    able: set[int] = set()
    possible, impossible = [], {}
    for code in schedule["weekdays"]:
        day = _next(code, today)
        starts = timezone.make_aware(dt.datetime.combine(day, start))
        ends = timezone.make_aware(dt.datetime.combine(day, end))
        arrive_before = starts - dt.timedelta(minutes=conf.arrival_margin_min)
        out = places.outbound_windows(
            arrive_before - dt.timedelta(minutes=conf.arrival_window_min), arrive_before, direct, conf
        )
        back = places.return_windows(ends, ends + dt.timedelta(minutes=conf.return_window_min), direct, conf)
        m = places.minutes_since_midnight
        requests = tuple(
            Request(
                name,
                pickup,
                dropoff,
                (m(w.pickup[0], day), m(w.pickup[1], day)),
                (m(w.dropoff[0], day), m(w.dropoff[1], day)),
                places.max_ride_minutes(direct, conf),
                pickup_service=conf.pickup_service_min,
                dropoff_service=conf.dropoff_service_min,
            )  # fmt: skip
            for name, pickup, dropoff, w in (("out", 0, 1, out), ("back", 1, 0, back))
        )
        covered: set[str] = set()
        helpers: set[int] = set()
        in_area = False
        for driver in drivers:
            area = {c.pk for c in driver.area_communes.all()}
            windows = availability_windows(driver, day, conf)
            if not windows or not serves_area(driver, (home, work), area, (origin.pk, workplace.pk)):
                continue
            in_area = True
            points = [home, work, commune_point(driver.home_commune)]
            vehicles = tuple(
                Vehicle(f"{driver.pk}:{k}", 2, 2, driver.seats, (a, b), b - a) for k, (a, b) in enumerate(windows)
            )
            travel = [[router.duration_min(a, b) for b in points] for a in points]
            distance = [[router.distance_km(a, b) for b in points] for a in points]
            doable = {r.id for r in requests} - set(unservable_alone(Problem(travel, distance, requests, vehicles)))
            if doable:
                covered |= doable
                helpers.add(driver.pk)
        if not in_area:
            impossible[code] = "aucun conducteur disponible ce jour-là dans ce secteur"
        elif covered != {"out", "back"}:
            which = "du retour" if "out" in covered else "de l'aller"
            impossible[code] = f"aucun conducteur disponible aux heures {which}"
        else:
            possible.append(code)
            able |= helpers
    per_week = sum(d.max_rides_per_week for d in drivers if d.pk in able)
    return RideCheck(True, tuple(possible), impossible, len(able), per_week)
