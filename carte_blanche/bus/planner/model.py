"""The bus tour planning problem as plain data: what the planner receives and returns.

Distances are road kilometres, durations minutes. A *site* is a commune that may get a stop
of the bus (its id is the INSEE code); the *depot* is where the bus sleeps (Cahors). Nothing
here knows Django: the service layer builds a ``PlanningInput`` from the database, the
benchmark and the tests build one from the CSV files of ``data/territories/cahors/``
(see ``territory.py``).

Road distances follow the project's convention (``carte_blanche.territory.geo``):
great-circle distance × 1.3 (circuity) at 60 km/h on average, unless the caller passes
matrices (``MatrixTravel``), e.g. from a real router.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from carte_blanche.territory.geo import haversine_km

#: Id of the depot in a ``Travel``; site ids are INSEE codes (five characters), so no clash.
DEPOT_ID = "depot"

#: Weight of a resident at the coverage radius from a permanent point (linear from 0 below it).
COVERED_WEIGHT = 0.25
#: Cap of the remoteness weight (reached at 3 × the coverage radius from any permanent point).
MAX_WEIGHT = 3.0


def remoteness_weight(remoteness_km: float, radius_km: float = 10.0) -> float:
    """Weight of one resident of a commune, from its road distance to the nearest permanent point.

    * within ``radius_km`` of a permanent service point (France services site or Cahors):
      ``COVERED_WEIGHT × remoteness / radius``, from 0 (Cahors, a France services commune) to
      0.25 at the radius. Those residents already count as covered in the benchmark metric;
      a bus stop only saves them a shorter trip.
    * beyond: ``remoteness_km / radius_km``, capped at ``MAX_WEIGHT`` (3): a resident 20 km
      away from any counter counts twice as much as one just beyond the radius.

    The jump at the radius (0.25 → 1) is deliberate: it is the threshold of the coverage
    metric, so the planner spends its half-days where the metric says residents are not reached.
    """
    if radius_km <= 0:
        raise ValueError(f"coverage radius must be > 0 km, got {radius_km!r}")
    if remoteness_km <= radius_km:
        return COVERED_WEIGHT * remoteness_km / radius_km
    return min(remoteness_km / radius_km, MAX_WEIGHT)


def repeat_reward(k: int) -> float:
    """Value of the ``k``-th visit in a cycle (``k`` ≥ 1) to a commune's residents: ``1 / k``.

    The first visit in a cycle reaches the residents with a pending need; a second one halves
    their wait (a fortnightly instead of a monthly stop) and catches part of those who missed
    the first; each further one adds less. With 1/k, ``k`` visits are worth H(k) = 1 + 1/2 + …
    + 1/k: a weekly stop (4 per cycle) is worth about twice a monthly one (2.08), which matches
    the intuition that most residents come once a month or less to a public-service counter.
    """
    if k < 1:
        raise ValueError(f"visit rank must be ≥ 1, got {k!r}")
    return 1.0 / k


def reach_value(units: int, max_visits: int, divisor: int = 3) -> float:
    """Value, per weighted resident, of ``units`` reach units in a cycle.

    A stop in the commune brings ``divisor`` units, a stop in another commune within the
    coverage radius one unit (its residents must drive there, and fewer do): with divisor 3
    (the planner's default, ``PlanningInput.neighbour_divisor``), a neighbour's stop is worth
    a third of a stop of one's own. The h-th unit is worth
    ``repeat_reward(ceil(h / divisor)) / divisor``, so the diminishing returns apply to own and
    neighbouring stops together. Capped at ``max_visits`` visits (``divisor × max_visits`` units).
    """
    if divisor < 1:
        raise ValueError(f"divisor must be ≥ 1, got {divisor!r}")
    top = min(units, divisor * max_visits)
    return sum(repeat_reward(-(-h // divisor)) / divisor for h in range(1, top + 1))


@dataclass(frozen=True, slots=True)
class Site:
    """A commune that may get a stop: ``id`` is its INSEE code.

    ``remoteness_km``: road km from the commune centroid to the nearest permanent service
    point. ``need``: a multiplier for need indicators of the territory (1.0 when none).
    """

    id: str
    name: str
    lat: float
    lon: float
    population: int
    remoteness_km: float
    need: float = 1.0

    def __post_init__(self) -> None:
        if self.id == DEPOT_ID:
            raise ValueError(f"site id {DEPOT_ID!r} is reserved for the depot")
        if self.population < 0:
            raise ValueError(f"negative population for {self.id}: {self.population!r}")
        if not (math.isfinite(self.remoteness_km) and self.remoteness_km >= 0):
            raise ValueError(f"remoteness of {self.id} must be ≥ 0 km, got {self.remoteness_km!r}")
        if not (math.isfinite(self.need) and self.need >= 0):
            raise ValueError(f"need of {self.id} must be ≥ 0, got {self.need!r}")


@dataclass(frozen=True, slots=True)
class Depot:
    """Where each half-day starts and ends (the bus garage, in Cahors)."""

    lat: float
    lon: float


@runtime_checkable
class Travel(Protocol):
    """Road kilometres and driving minutes between two ids (site ids or ``DEPOT_ID``)."""

    def km(self, a: str, b: str) -> float: ...

    def minutes(self, a: str, b: str) -> float: ...


class CircuityTravel:
    """Great-circle distance × ``circuity`` at ``speed_kmh``: the project's default estimate."""

    def __init__(
        self, points: Mapping[str, tuple[float, float]], *, circuity: float = 1.3, speed_kmh: float = 60.0
    ) -> None:
        if not (math.isfinite(circuity) and circuity >= 1.0):
            raise ValueError(f"circuity must be ≥ 1, got {circuity!r}")
        if not (math.isfinite(speed_kmh) and speed_kmh > 0):
            raise ValueError(f"speed must be > 0 km/h, got {speed_kmh!r}")
        self.points = dict(points)
        self.circuity = float(circuity)
        self.speed_kmh = float(speed_kmh)

    def km(self, a: str, b: str) -> float:
        if a == b:
            return 0.0
        (lat1, lon1), (lat2, lon2) = self.points[a], self.points[b]
        return haversine_km(lat1, lon1, lat2, lon2) * self.circuity

    def minutes(self, a: str, b: str) -> float:
        return self.km(a, b) / self.speed_kmh * 60.0


class MatrixTravel:
    """Distances (and optionally durations) given as nested mappings ``m[a][b]``.

    Without ``minutes``, durations are ``km / speed_kmh``. Matrices may be asymmetric.
    """

    def __init__(
        self,
        km: Mapping[str, Mapping[str, float]],
        minutes: Mapping[str, Mapping[str, float]] | None = None,
        *,
        speed_kmh: float = 60.0,
    ) -> None:
        if not (math.isfinite(speed_kmh) and speed_kmh > 0):
            raise ValueError(f"speed must be > 0 km/h, got {speed_kmh!r}")
        self._km = km
        self._minutes = minutes
        self.speed_kmh = float(speed_kmh)

    def km(self, a: str, b: str) -> float:
        return 0.0 if a == b else float(self._km[a][b])

    def minutes(self, a: str, b: str) -> float:
        if a == b:
            return 0.0
        if self._minutes is not None:
            return float(self._minutes[a][b])
        return self.km(a, b) / self.speed_kmh * 60.0


@dataclass(frozen=True)
class PlanningInput:
    """One planning cycle of the bus.

    ``days``: the working days of the cycle, forbidden dates (public holidays…) already
    removed; each gives ``half_days_per_day`` half-days ("am", then "pm"). ``budget``: the
    half-days the bus may work in the cycle. A half-day drives depot → stops → depot and stays
    at least ``min_on_site_minutes`` at each stop, all within ``half_day_minutes``.
    ``pinned``: site id → minimum number of visits in the cycle. ``forbidden``: site id →
    dates it cannot be visited (market days…). ``coverage_radius_km``: a stop reaches the
    residents of communes within that road distance. ``km_weight``: weighted residents one
    km of driving is worth (a tie-breaker: among plans of equal coverage, drive less).
    ``neighbour_divisor``: a stop in another commune within the radius is worth
    1 / ``neighbour_divisor`` of a stop in the commune (``reach_value``).
    ``travel``: road km / minutes; ``None`` = ``CircuityTravel`` over the sites and depot.
    """

    sites: tuple[Site, ...]
    depot: Depot
    days: tuple[dt.date, ...]
    budget: int
    half_days_per_day: int = 2
    half_day_minutes: int = 240
    min_on_site_minutes: int = 120
    max_stops_per_half_day: int = 2
    max_visits_per_site: int = 4
    pinned: Mapping[str, int] = field(default_factory=dict)
    forbidden: Mapping[str, tuple[dt.date, ...]] = field(default_factory=dict)
    coverage_radius_km: float = 10.0
    km_weight: float = 0.01
    neighbour_divisor: int = 3
    travel: Travel | None = None

    def __post_init__(self) -> None:
        ids = [s.id for s in self.sites]
        if len(set(ids)) != len(ids):
            raise ValueError("duplicate site ids")
        if self.budget < 0:
            raise ValueError(f"budget must be ≥ 0, got {self.budget!r}")
        if self.half_days_per_day not in (1, 2):
            raise ValueError(f"half_days_per_day must be 1 or 2, got {self.half_days_per_day!r}")
        if len(set(self.days)) != len(self.days):
            raise ValueError("duplicate days")
        if self.max_stops_per_half_day < 1 or self.max_visits_per_site < 1:
            raise ValueError("max_stops_per_half_day and max_visits_per_site must be ≥ 1")
        unknown = (set(self.pinned) | set(self.forbidden)) - set(ids)
        if unknown:
            raise ValueError(f"pinned/forbidden name unknown sites: {sorted(unknown)}")
        if self.neighbour_divisor < 1:
            raise ValueError(f"neighbour_divisor must be ≥ 1, got {self.neighbour_divisor!r}")
        if any(n < 0 for n in self.pinned.values()):
            raise ValueError("pinned visit counts must be ≥ 0")

    def get_travel(self) -> Travel:
        """The travel estimate in use (the default one is built on demand)."""
        if self.travel is not None:
            return self.travel
        points = {s.id: (s.lat, s.lon) for s in self.sites}
        points[DEPOT_ID] = (self.depot.lat, self.depot.lon)
        return CircuityTravel(points)

    def site(self, site_id: str) -> Site:
        for s in self.sites:
            if s.id == site_id:
                return s
        raise KeyError(site_id)

    def weight(self, site: Site) -> float:
        """Weighted residents of a site: population × remoteness weight × need."""
        return site.population * remoteness_weight(site.remoteness_km, self.coverage_radius_km) * site.need

    def slots(self) -> tuple[tuple[dt.date, str], ...]:
        """The half-days of the cycle in chronological order: (date, "am"|"pm")."""
        halves = ("am", "pm")[: self.half_days_per_day]
        return tuple((d, h) for d in sorted(self.days) for h in halves)

    def allowed_slots(self, site_id: str) -> int:
        """Half-days of the cycle on which the site may be visited (its forbidden dates removed)."""
        banned = set(self.forbidden.get(site_id, ()))
        return sum(1 for d, _ in self.slots() if d not in banned)


@dataclass(frozen=True, slots=True)
class HalfDayPlan:
    """One half-day of the bus: ``stops`` in driving order from the depot and back.

    ``km``: road km driven (depot → stops → depot). ``minutes``: time used, driving plus the
    minimum time on site at each stop (the rest of the half-day is extra time on site).
    """

    day: dt.date
    half: str
    stops: tuple[str, ...]
    km: float
    minutes: float


@dataclass(frozen=True)
class Plan:
    """The tour of one cycle and how good the solver says it is.

    ``objective``: value of the tour (weighted residents reached with diminishing returns for
    repeated visits, minus the km tie-breaker; see ``solver.py``). ``bound``: the solver's best
    upper bound on that value; ``gap`` = (bound − objective) / bound, 0 when proven optimal.
    ``status``: "OPTIMAL", "FEASIBLE", "INFEASIBLE" or "UNKNOWN" (of the selection model; a
    dropped half-day in the calendar step degrades "OPTIMAL" to "FEASIBLE").
    ``unscheduled``: half-days chosen but impossible to put on a date (forbidden dates).
    """

    half_days: tuple[HalfDayPlan, ...]
    objective: float
    bound: float
    gap: float
    status: str
    seconds: float
    unscheduled: tuple[tuple[str, ...], ...] = ()

    def visits(self) -> dict[str, int]:
        """Site id → number of stops in the cycle (sites never visited are absent)."""
        return dict(Counter(stop for hd in self.half_days for stop in hd.stops))

    def visit_dates(self) -> dict[str, list[dt.date]]:
        """Site id → dates of its stops, in order."""
        dates: dict[str, list[dt.date]] = {}
        for hd in sorted(self.half_days, key=lambda h: (h.day, h.half)):
            for stop in hd.stops:
                dates.setdefault(stop, []).append(hd.day)
        return dates

    @property
    def km(self) -> float:
        return sum(hd.km for hd in self.half_days)

    @property
    def stops(self) -> int:
        return sum(len(hd.stops) for hd in self.half_days)


def cycle_days(
    start: dt.date, weeks: int, *, weekdays: Iterable[int] = (0, 1, 2, 3, 4), closed: Iterable[dt.date] = ()
) -> tuple[dt.date, ...]:
    """Working days of a cycle of ``weeks`` weeks from ``start``: the given weekdays (Monday = 0),
    minus the ``closed`` dates (public holidays…)."""
    wanted, shut = set(weekdays), set(closed)
    days = (start + dt.timedelta(days=i) for i in range(7 * weeks))
    return tuple(d for d in days if d.weekday() in wanted and d not in shut)
