"""Distances between places of the territory: the pure computations.

No Django import: ``routing.py`` picks the router named in the settings and feeds it
commune centroids; this module only computes, so it is testable alone and reusable by
the tour planner and the ride dispatcher.

All coordinates are WGS84 decimal degrees; distances are in kilometres, durations in
minutes.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

# Mean Earth radius (IUGG), the sphere used for `distance_km_to_cahors` in the data files.
EARTH_RADIUS_KM = 6371.0088


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km between two WGS84 points, on a sphere of radius 6371.0088 km."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlambda = math.radians(lon2 - lon1)
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    # min() guards against a rounding error pushing h a hair above 1 for antipodal points.
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(1.0, h)))


@dataclass(frozen=True, slots=True)
class Point:
    """A WGS84 position (decimal degrees)."""

    lat: float
    lon: float

    def __post_init__(self) -> None:
        if not (math.isfinite(self.lat) and -90.0 <= self.lat <= 90.0):
            raise ValueError(f"latitude hors de [-90, 90] : {self.lat!r}")
        if not (math.isfinite(self.lon) and -180.0 <= self.lon <= 180.0):
            raise ValueError(f"longitude hors de [-180, 180] : {self.lon!r}")


@runtime_checkable
class DistanceRouter(Protocol):
    """Estimates road distance and driving time between two points.

    Implementations may be asymmetric (one-way streets), so callers must not assume
    ``distance_km(a, b) == distance_km(b, a)``.
    """

    def distance_km(self, a: Point, b: Point) -> float: ...

    def duration_min(self, a: Point, b: Point) -> float: ...


class CircuityRouter:
    """Road distance estimated as the great-circle distance times a circuity factor.

    The circuity factor is the ratio of the road distance to the straight-line distance
    between two places. Values measured on road networks of rural France and of Europe
    are typically about 1.2 to 1.4; 1.3 is the middle of that range. It is an
    **estimate**: on the Causse, where roads wind around valleys (the Lot, the Célé,
    the Vers), a given trip can be well above it, and a straight trunk road well below.
    Replace this router by a real one (e.g. OSRM on OpenStreetMap data) through the
    ``DISTANCE_ROUTER`` setting when exact figures matter.

    The duration assumes a constant average speed (60 km/h by default: departmental
    roads, village crossings and bends included), again an estimate.
    """

    def __init__(self, circuity: float = 1.3, speed_kmh: float = 60.0) -> None:
        if not (math.isfinite(circuity) and circuity >= 1.0):
            # A road is never shorter than the straight line between its ends.
            raise ValueError(f"le facteur de détour doit être ≥ 1, reçu {circuity!r}")
        if not (math.isfinite(speed_kmh) and speed_kmh > 0):
            raise ValueError(f"la vitesse moyenne doit être > 0 km/h, reçu {speed_kmh!r}")
        self.circuity = float(circuity)
        self.speed_kmh = float(speed_kmh)

    def __repr__(self) -> str:
        return f"CircuityRouter(circuity={self.circuity}, speed_kmh={self.speed_kmh})"

    def distance_km(self, a: Point, b: Point) -> float:
        return haversine_km(a.lat, a.lon, b.lat, b.lon) * self.circuity

    def duration_min(self, a: Point, b: Point) -> float:
        return self.distance_km(a, b) / self.speed_kmh * 60.0


def distance_matrix(router: DistanceRouter, points: Sequence[Point]) -> list[list[float]]:
    """Matrix ``m[i][j]`` = road distance (km) from ``points[i]`` to ``points[j]``; zero diagonal.

    Every ordered pair is asked of the router (n × (n − 1) calls), so an asymmetric router
    gives an asymmetric matrix. A router backed by a web service should offer a bulk
    table call instead of being used through this function for many points.
    """
    n = len(points)
    matrix = [[0.0] * n for _ in range(n)]
    for i, a in enumerate(points):
        for j, b in enumerate(points):
            if i != j:
                matrix[i][j] = router.distance_km(a, b)
    return matrix
