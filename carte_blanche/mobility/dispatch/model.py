"""The dial-a-ride problem as plain data: what the dispatcher receives and returns.

Times are minutes from the start of the planning horizon (for the service: midnight of the
day being planned), distances are kilometres (the cost), both as matrices indexed by
*location*. A location is an index into those matrices, so two stops at the same place can
share one row. Nothing here knows Django; the service layer builds a ``Problem`` from the
database and the territory's router, and the benchmark builds one from a Cordeau file.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum


@dataclass(frozen=True, slots=True)
class Request:
    """One passenger trip: a pick-up then a drop-off by the same vehicle.

    ``pickup_window`` / ``dropoff_window`` bound the *start of service* at each end
    (inclusive). ``max_ride`` bounds the time from the end of service at the pick-up to the
    start of service at the drop-off. ``load`` is the seats taken (a companion adds one).
    ``allowed_vehicles``: the vehicles that may carry it (wheelchair, the driver's area…);
    ``None`` means every vehicle. ``assigned_vehicle`` is the vehicle a driver already
    confirmed: the dispatcher keeps it there unless that would leave a request unserved.
    """

    id: str
    pickup: int
    dropoff: int
    pickup_window: tuple[float, float]
    dropoff_window: tuple[float, float]
    max_ride: float
    load: int = 1
    pickup_service: float = 0.0
    dropoff_service: float = 0.0
    allowed_vehicles: frozenset[str] | None = None
    assigned_vehicle: str | None = None


@dataclass(frozen=True, slots=True)
class Vehicle:
    """A driver's car for one availability window: leaves ``start`` and returns to ``end``.

    ``window`` bounds the departure from and the return to the depot; ``max_duration`` bounds
    return − departure. ``max_requests`` caps the requests carried (the driver's remaining
    rides this week); ``None`` means no cap.
    """

    id: str
    start: int
    end: int
    capacity: int
    window: tuple[float, float]
    max_duration: float
    max_requests: int | None = None


@dataclass(frozen=True, slots=True)
class Problem:
    travel_time: Sequence[Sequence[float]]
    distance: Sequence[Sequence[float]]
    requests: Sequence[Request]
    vehicles: Sequence[Vehicle]


class StopKind(StrEnum):
    PICKUP = "pickup"
    DROPOFF = "dropoff"


@dataclass(frozen=True, slots=True)
class Stop:
    request_id: str
    kind: StopKind
    location: int
    arrival: float
    service_start: float
    departure: float


@dataclass(frozen=True, slots=True)
class Route:
    vehicle_id: str
    departure: float  # leaves its start depot
    stops: tuple[Stop, ...]
    arrival: float  # back at its end depot
    distance: float


class Unserved(StrEnum):
    """Why a request is left out, most specific first."""

    NO_VEHICLE = "no_vehicle"  # no vehicle may carry it (none allowed, or none that day)
    CAPACITY = "capacity"  # it needs more seats than any allowed vehicle has
    WINDOW_TOO_TIGHT = "window_too_tight"  # alone in any allowed vehicle, no timetable fits
    FLEET_FULL = "fleet_full"  # feasible alone, but not with the other requests in the time given


@dataclass(frozen=True, slots=True)
class Solution:
    routes: tuple[Route, ...]
    unserved: dict[str, Unserved] = field(default_factory=dict)
    distance: float = 0.0
    seconds: float = 0.0
    status: str = ""  # a word about how the search ended, for logs and the benchmark

    @property
    def served(self) -> int:
        return sum(1 for r in self.routes for s in r.stops if s.kind is StopKind.PICKUP)

    def vehicle_of(self, request_id: str) -> str | None:
        for route in self.routes:
            if any(s.request_id == request_id for s in route.stops):
                return route.vehicle_id
        return None
