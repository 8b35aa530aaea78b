"""The dispatcher, seen from the database: one day's legs and drivers → ``dispatch.solve`` →
proposals to drivers, updated timetables, unservable legs flagged with their reason.

Rules (docs/mobility.md):
- a driver is a vehicle for each continuous stretch of availability that day (weekly half-days,
  plus dated slots, minus dated absences), starting and ending at their home commune;
- a leg may go to a driver whose area covers both ends, whose car fits it (wheelchair), and who
  has not declined it or let it expire; a driver carries at most the rides left in their week;
- a leg a driver confirmed stays with them unless keeping it would leave a request unserved;
- times are minutes from midnight of the day; distances and durations come from the
  territory's router.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from carte_blanche.journal.actions import record
from carte_blanche.journal.models import JournalEvent
from carte_blanche.mobility import notices, places
from carte_blanche.mobility.actions import new_token, proposal_deadline
from carte_blanche.mobility.conf import MobilitySettings, mobility_settings
from carte_blanche.mobility.dispatch import Problem, Request, Solution, StopKind, Unserved, Vehicle
from carte_blanche.mobility.dispatch.solver import solve, unservable_alone
from carte_blanche.mobility.models import DispatchRun, Driver, Proposal, RideLeg
from carte_blanche.mobility.states import LegStatus, ProposalStatus
from carte_blanche.territory.geo import Point
from carte_blanche.territory.routing import commune_point, get_router

logger = logging.getLogger(__name__)

UNSERVED_LABELS = {
    Unserved.NO_VEHICLE.value: "Aucun conducteur disponible ce jour-là pour ce trajet (zone, disponibilités, véhicule)",
    Unserved.CAPACITY.value: "Aucun véhicule disponible n'a assez de places",
    Unserved.WINDOW_TOO_TIGHT.value: "Horaires trop serrés : aucun conducteur disponible ne peut tenir ce créneau",
    Unserved.FLEET_FULL.value: "Tous les conducteurs disponibles ce jour-là sont déjà pris",
}


def unserved_label(code: str) -> str:
    return UNSERVED_LABELS.get(code, code)


# --- Availability ----------------------------------------------------------------------------


def _minutes(t: dt.time) -> int:
    return t.hour * 60 + t.minute


def availability_windows(driver: Driver, day: dt.date, conf: MobilitySettings) -> list[tuple[int, int]]:
    """The driver's stretches of availability that day, in minutes from midnight, merged."""
    halves = {"am": conf.morning, "pm": conf.afternoon}
    intervals = [
        (_minutes(halves[w.half_day][0]), _minutes(halves[w.half_day][1]))
        for w in driver.weekly.all()
        if w.weekday == day.weekday()
    ]
    dated = [d for d in driver.dated.all() if d.day == day]
    intervals += [(_minutes(d.starts), _minutes(d.ends)) for d in dated if d.available]
    intervals = _merge(intervals)
    for absence in (d for d in dated if not d.available):
        intervals = _subtract(intervals, (_minutes(absence.starts), _minutes(absence.ends)))
    return [(a, b) for a, b in intervals if b - a >= 30]


def _merge(intervals):
    merged: list[tuple[int, int]] = []
    for a, b in sorted(intervals):
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    return merged


def _subtract(intervals, hole):
    out = []
    for a, b in intervals:
        if hole[1] <= a or hole[0] >= b:
            out.append((a, b))
            continue
        if a < hole[0]:
            out.append((a, hole[0]))
        if hole[1] < b:
            out.append((hole[1], b))
    return out


def rides_left_in_week(driver: Driver, day: dt.date) -> int:
    monday = day - dt.timedelta(days=day.weekday())
    taken = (
        RideLeg.objects.filter(driver=driver, request__day__range=(monday, monday + dt.timedelta(days=6)))
        .exclude(request__day=day)
        .filter(status__in=[LegStatus.CONFIRMED, LegStatus.DONE, LegStatus.PROPOSED])
        .count()
    )
    return max(driver.max_rides_per_week - taken, 0)


# --- Building the problem --------------------------------------------------------------------


@dataclass
class _Built:
    problem: Problem
    legs: dict[str, RideLeg]
    vehicles: dict[str, Driver]


class _Locations:
    def __init__(self) -> None:
        self.points: list[Point] = []
        self._index: dict[tuple[float, float], int] = {}

    def add(self, point: Point) -> int:
        key = (round(point.lat, 6), round(point.lon, 6))
        if key not in self._index:
            self._index[key] = len(self.points)
            self.points.append(point)
        return self._index[key]


def _leg_points(leg: RideLeg) -> tuple[Point, Point]:
    ride = leg.request
    origin, destination = places.origin_point(ride), places.destination_point(ride)
    return (origin, destination) if leg.direction == "outbound" else (destination, origin)


def serves_area(driver: Driver, points: tuple[Point, Point], area_ids: set[int], communes: tuple[int, int]) -> bool:
    if area_ids:
        return all(c in area_ids for c in communes)
    home = commune_point(driver.home_commune)
    router = get_router()
    return all(router.distance_km(home, p) <= driver.max_distance_km for p in points)


def build_problem(day: dt.date, legs: list[RideLeg], conf: MobilitySettings) -> _Built:
    router = get_router()
    locations = _Locations()
    drivers = list(
        Driver.objects.active()
        .select_related("user", "home_commune")
        .prefetch_related("weekly", "dated", "area_communes")
    )
    vehicles: list[Vehicle] = []
    vehicle_driver: dict[str, Driver] = {}
    driver_vehicles: dict[int, list[str]] = defaultdict(list)
    for driver in drivers:
        windows = availability_windows(driver, day, conf)
        left = rides_left_in_week(driver, day) if windows else 0
        if not windows or left <= 0:
            continue
        home = locations.add(commune_point(driver.home_commune))
        for k, (a, b) in enumerate(windows):
            vid = f"{driver.pk}:{k}"
            vehicles.append(
                Vehicle(
                    id=vid,
                    start=home,
                    end=home,
                    capacity=driver.seats,
                    window=(a, b),
                    max_duration=b - a,
                    max_requests=left,
                )  # fmt: skip
            )
            vehicle_driver[vid] = driver
            driver_vehicles[driver.pk].append(vid)

    refused: dict[int, set[int]] = defaultdict(set)
    for leg_id, driver_id in Proposal.objects.filter(
        leg__in=legs, status__in=[ProposalStatus.DECLINED, ProposalStatus.EXPIRED]
    ).values_list("leg_id", "driver_id"):
        refused[leg_id].add(driver_id)

    requests: list[Request] = []
    by_id: dict[str, RideLeg] = {}
    for leg in legs:
        ride = leg.request
        points = _leg_points(leg)
        pickup, dropoff = locations.add(points[0]), locations.add(points[1])
        communes = (ride.origin_commune_id, ride.destination_commune_id)
        allowed = set()
        for driver in drivers:
            if driver.pk not in driver_vehicles or driver.pk in refused[leg.pk]:
                continue
            if ride.wheelchair and not driver.wheelchair_accessible:
                continue
            area_ids = {c.pk for c in driver.area_communes.all()}
            if serves_area(driver, points, area_ids, communes):
                allowed.update(driver_vehicles[driver.pk])
        assigned = None
        if leg.status == LegStatus.CONFIRMED and leg.driver_id in driver_vehicles:
            assigned = _vehicle_for(leg, driver_vehicles[leg.driver_id], vehicles, day)
        direct = router.duration_min(*points)
        rid = str(leg.pk)
        requests.append(
            Request(
                id=rid,
                pickup=pickup,
                dropoff=dropoff,
                pickup_window=(
                    places.minutes_since_midnight(leg.pickup_earliest, day),
                    places.minutes_since_midnight(leg.pickup_latest, day),
                ),
                dropoff_window=(
                    places.minutes_since_midnight(leg.dropoff_earliest, day),
                    places.minutes_since_midnight(leg.dropoff_latest, day),
                ),
                max_ride=places.max_ride_minutes(direct, conf),
                load=ride.seats,
                pickup_service=conf.pickup_service_min + (conf.boarding_help_min if ride.boarding_help else 0),
                dropoff_service=conf.dropoff_service_min,
                allowed_vehicles=frozenset(allowed),
                assigned_vehicle=assigned,
            )  # fmt: skip
        )
        by_id[rid] = leg
    points = locations.points
    travel = [[router.duration_min(a, b) for b in points] for a in points]
    distance = [[router.distance_km(a, b) for b in points] for a in points]
    problem = Problem(travel_time=travel, distance=distance, requests=tuple(requests), vehicles=tuple(vehicles))
    return _Built(problem, by_id, vehicle_driver)


def _vehicle_for(leg: RideLeg, vids: list[str], vehicles: list[Vehicle], day: dt.date) -> str:
    moment = places.minutes_since_midnight(leg.planned_pickup or leg.pickup_latest, day)
    windows = {v.id: v.window for v in vehicles}
    for vid in vids:
        a, b = windows[vid]
        if a <= moment <= b:
            return vid
    return vids[0]


# --- Running and applying --------------------------------------------------------------------


def dispatch_day(day: dt.date, *, trigger: str, by=None, time_limit: float | None = None) -> DispatchRun:
    """Plan one day: solve, then propose, keep, move or flag each open leg of that day."""
    conf = mobility_settings()
    with transaction.atomic():
        legs = list(
            RideLeg.objects.open()
            .select_for_update(of=("self",))
            .filter(request__day=day, request__cancelled_at__isnull=True)
            .select_related("request__origin_commune", "request__destination_commune", "request__person", "driver")
            .order_by("pk")
        )
        run = DispatchRun(day=day, trigger=trigger, triggered_by=by, legs=len(legs))
        if not legs:
            run.status = "nothing_to_plan"
            run.save()
            return run
        built = build_problem(day, legs, conf)
        run.vehicles = len(built.problem.vehicles)
        alone = unservable_alone(built.problem)
        # A day of a rural service has a few dozen legs: small problems converge in well under a second.
        seconds = min(conf.dispatch_seconds, 0.5 + 0.1 * len(legs)) if time_limit is None else time_limit
        solution = solve(built.problem, time_limit=seconds, seed=_seed(day))
        unserved = dict(solution.unserved)
        unserved.update({rid: reason for rid, reason in alone.items() if rid not in _served_ids(solution)})
        _apply(day, built, solution, unserved, by=by)
        run.served = solution.served
        run.unserved = len(unserved)
        run.distance_km = Decimal(str(round(solution.distance, 1)))
        run.seconds = solution.seconds
        run.status = solution.status[:40]
        run.save()
    logger.info("Dispatch %s (%s): %s/%s legs served", day, trigger, run.served, run.legs)
    return run


def _seed(day: dt.date) -> int:
    return random.Random(day.toordinal()).randrange(1 << 30)


def _served_ids(solution: Solution) -> set[str]:
    return {s.request_id for r in solution.routes for s in r.stops}


def _apply(day: dt.date, built: _Built, solution: Solution, unserved: dict[str, Unserved], *, by) -> None:
    placed: dict[str, tuple[Driver, float, float]] = {}
    km_share: dict[str, float] = {}
    for route in solution.routes:
        driver = built.vehicles[route.vehicle_id]
        times: dict[str, dict[StopKind, float]] = defaultdict(dict)
        for stop in route.stops:
            times[stop.request_id][stop.kind] = stop.service_start
        ids = list(times)
        direct = {rid: built.problem.distance[_req(built, rid).pickup][_req(built, rid).dropoff] for rid in ids}
        total_direct = sum(direct.values()) or 1.0
        for rid in ids:
            placed[rid] = (driver, times[rid][StopKind.PICKUP], times[rid][StopKind.DROPOFF])
            km_share[rid] = route.distance * direct[rid] / total_direct
    for rid, leg in built.legs.items():
        if rid in placed:
            driver, pickup_min, dropoff_min = placed[rid]
            _place(leg, driver, places.at_minutes(day, pickup_min), places.at_minutes(day, dropoff_min),
                   km_share[rid], built.problem.distance, by=by)  # fmt: skip
        else:
            _flag(leg, unserved.get(rid, Unserved.FLEET_FULL))


def _req(built: _Built, rid: str) -> Request:
    for request in built.problem.requests:
        if request.id == rid:
            return request
    raise KeyError(rid)


def _place(leg: RideLeg, driver: Driver, pickup: dt.datetime, dropoff: dt.datetime, km: float, _d, *, by) -> None:
    moved_minutes = abs((pickup - leg.planned_pickup).total_seconds()) / 60 if leg.planned_pickup else 0
    leg.planned_pickup, leg.planned_dropoff = pickup, dropoff
    leg.driven_km = Decimal(str(round(km, 1)))
    leg.distance_km = Decimal(str(round(get_router().distance_km(*_leg_points(leg)), 1)))
    leg.unservable_reason = ""
    kept = leg.driver_id == driver.pk and leg.status in (LegStatus.CONFIRMED, LegStatus.PROPOSED)
    pending = leg.proposals.filter(status=ProposalStatus.PENDING).first()
    if leg.status == LegStatus.PROPOSED and pending is not None and pending.driver_id == driver.pk:
        kept = True
    if kept:
        leg.save()
        if moved_minutes >= 5:
            notices.tell_driver_moved(leg)
        return
    # Another driver: take the leg back from whoever had it, then propose it.
    for previous in leg.proposals.filter(status__in=[ProposalStatus.PENDING, ProposalStatus.ACCEPTED]):
        previous.status = ProposalStatus.WITHDRAWN
        previous.answered_at = previous.answered_at or timezone.now()
        previous.save(update_fields=["status", "answered_at"])
        notices.tell_driver_withdrawn(previous, why="reassigned")
    leg.status = LegStatus.PROPOSED
    leg.driver = driver
    leg.save()
    token, digest = new_token()
    proposal = Proposal.objects.create(
        leg=leg, driver=driver, token_hash=digest, code=_code(), expires_at=proposal_deadline(pickup)
    )
    record(
        JournalEvent.RIDE_ASSIGNED,
        actor=by,
        person=leg.request.person,
        purpose="mobility",
        details={"leg_id": leg.pk, "proposal_id": proposal.pk, "driver_id": driver.pk},
    )
    transaction.on_commit(lambda: notices.tell_driver_proposal(proposal, token))


def _code() -> int:
    import secrets

    while True:
        code = 1000 + secrets.randbelow(9000)
        if not Proposal.objects.filter(code=code, status=ProposalStatus.PENDING).exists():
            return code


def _flag(leg: RideLeg, reason: Unserved) -> None:
    for previous in leg.proposals.filter(status__in=[ProposalStatus.PENDING, ProposalStatus.ACCEPTED]):
        previous.status = ProposalStatus.WITHDRAWN
        previous.answered_at = previous.answered_at or timezone.now()
        previous.save(update_fields=["status", "answered_at"])
        notices.tell_driver_withdrawn(previous, why="reassigned")
    leg.status = LegStatus.UNSERVABLE
    leg.driver = None
    leg.unservable_reason = Unserved(reason).value
    leg.planned_pickup = leg.planned_dropoff = None
    leg.save()


def days_to_plan(today: dt.date | None = None, days: int | None = None) -> list[dt.date]:
    today = today or timezone.localdate()
    days = mobility_settings().dispatch_days if days is None else days
    horizon = today + dt.timedelta(days=days)
    open_days = (
        RideLeg.objects.open()
        .filter(request__day__gte=today, request__day__lte=horizon, request__cancelled_at__isnull=True)
        .filter(~Q(status=LegStatus.CONFIRMED) | Q(request__day__gt=today))
        .values_list("request__day", flat=True)
        .distinct()
    )
    return sorted(set(open_days))
