"""Build planner sites from the territory CSV files (``data/territories/cahors/``), csv module only.

* ``communes.csv``: one site per commune (centroid, ``population``); an optional ``need``
  column multiplies its weight (1.0 when absent or empty).
* ``service_points.csv``: the permanent service points are the rows whose ``operator`` is
  "France services", plus Cahors itself (prefecture, CPAM, La Poste… all there), placed at the
  Cahors (46042) centroid.
* ``bus_france_services_communes.csv``: the communes of the 2023 Grand Cahors bus tour.

Remoteness of a commune = road km (great-circle × circuity) from its centroid to the nearest
permanent point. The depot is the Cahors centroid, about 0.5 km from the bus's published
address (Hôtel Wilson), i.e. a negligible difference at this scale.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from carte_blanche.bus.planner.model import Depot, Site
from carte_blanche.territory.geo import haversine_km

CAHORS_INSEE = "46042"
GRAND_CAHORS_EPCI = "200023737"
FRANCE_SERVICES = "France services"


@dataclass(frozen=True, slots=True)
class PermanentPoint:
    """A fixed public-service counter residents can go to."""

    name: str
    lat: float
    lon: float


def remoteness_km(lat: float, lon: float, points: Iterable[PermanentPoint], *, circuity: float = 1.3) -> float:
    """Road km (great-circle × ``circuity``) from a place to the nearest permanent point."""
    return min((haversine_km(lat, lon, p.lat, p.lon) for p in points), default=float("inf")) * circuity


def _rows(path: str | Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def load_permanent_points(communes_csv: str | Path, service_points_csv: str | Path) -> tuple[PermanentPoint, ...]:
    """France services sites of ``service_points.csv`` plus Cahors (its commune centroid)."""
    cahors = next(r for r in _rows(communes_csv) if r["insee_code"] == CAHORS_INSEE)
    points = [PermanentPoint("Cahors", float(cahors["lat"]), float(cahors["lon"]))]
    for row in _rows(service_points_csv):
        if row["operator"].strip() == FRANCE_SERVICES:
            points.append(PermanentPoint(row["name"], float(row["lat"]), float(row["lon"])))
    return tuple(points)


def load_sites(
    communes_csv: str | Path,
    service_points_csv: str | Path,
    epci: str | None = None,
    *,
    circuity: float = 1.3,
) -> tuple[tuple[Site, ...], Depot, tuple[PermanentPoint, ...]]:
    """Sites (communes of ``epci``, or all), the depot (Cahors) and the permanent points.

    Remoteness is measured to every permanent point of the files, including those outside the
    chosen EPCI: residents cross intercommunal borders to reach a counter.
    """
    points = load_permanent_points(communes_csv, service_points_csv)
    rows = _rows(communes_csv)
    cahors = next(r for r in rows if r["insee_code"] == CAHORS_INSEE)
    sites = []
    for row in rows:
        if epci is not None and row["epci_code"] != epci:
            continue
        lat, lon = float(row["lat"]), float(row["lon"])
        remoteness = remoteness_km(lat, lon, points, circuity=circuity)
        need = float(row["need"]) if row.get("need") else 1.0
        sites.append(
            Site(
                id=row["insee_code"],
                name=row["name"],
                lat=lat,
                lon=lon,
                population=int(row["population"]),
                remoteness_km=round(remoteness, 3),
                need=need,
            )
        )
    return tuple(sites), Depot(float(cahors["lat"]), float(cahors["lon"])), points


def load_tour_communes(bus_csv: str | Path) -> tuple[str, ...]:
    """INSEE codes of the communes of a real bus tour (``bus_france_services_communes.csv``)."""
    return tuple(row["insee_code"] for row in _rows(bus_csv))
