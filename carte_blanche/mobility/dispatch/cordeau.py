"""Reader for the Cordeau (2006) dial-a-ride benchmark files (the ``a`` and ``b`` sets).

Format::

    m n T Q L
    id x y d q e l        # 2n+2 lines (the end depot line 2n+1 may be missing)

Node 0 is the depot, 1..n the pick-ups, n+i the drop-off of request i, 2n+1 the end depot.
Travel time = distance = Euclidean distance (floats, not rounded). Windows are clipped to
[0, T]; every vehicle leaves depot 0, returns to the end depot, has window [0, T] and a maximum
route duration T.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from carte_blanche.mobility.dispatch.model import Problem, Request, Vehicle


@dataclass(frozen=True, slots=True)
class CordeauInstance:
    """A parsed instance: the ``Problem`` plus the header values."""

    name: str
    m: int
    n: int
    T: float
    Q: int
    L: float
    problem: Problem


def parse_cordeau(text: str, name: str = "") -> CordeauInstance:
    """Parse the text of a Cordeau file into a ``CordeauInstance``."""
    lines = [ln.split() for ln in text.splitlines() if ln.strip()]
    header = lines[0]
    m, n = int(header[0]), int(header[1])
    horizon, cap, ride = float(header[2]), int(header[3]), float(header[4])
    rows: dict[int, tuple[float, float, float, int, float, float]] = {}
    for parts in lines[1:]:
        idx = int(parts[0])
        x, y, d = float(parts[1]), float(parts[2]), float(parts[3])
        q = int(float(parts[4]))
        e, lat = float(parts[5]), float(parts[6])
        rows[idx] = (x, y, d, q, e, lat)
    end_node = 2 * n + 1 if (2 * n + 1) in rows else 0
    nodes = list(range(2 * n + 1)) + ([end_node] if end_node else [])
    coords = [(rows[i][0], rows[i][1]) for i in nodes]
    size = len(coords)
    dist = [
        [math.hypot(coords[a][0] - coords[b][0], coords[a][1] - coords[b][1]) for b in range(size)] for a in range(size)
    ]

    def clip(e: float, lat: float) -> tuple[float, float]:
        return (max(0.0, min(e, horizon)), max(0.0, min(lat, horizon)))

    requests = []
    for i in range(1, n + 1):
        p, d = rows[i], rows[n + i]
        requests.append(
            Request(
                id=str(i),
                pickup=i,
                dropoff=n + i,
                pickup_window=clip(p[4], p[5]),
                dropoff_window=clip(d[4], d[5]),
                max_ride=ride,
                load=p[3],
                pickup_service=p[2],
                dropoff_service=d[2],
            )
        )
    end_loc = 2 * n + 1 if end_node else 0
    vehicles = [
        Vehicle(id=str(k + 1), start=0, end=end_loc, capacity=cap, window=(0.0, horizon), max_duration=horizon)
        for k in range(m)
    ]
    problem = Problem(travel_time=dist, distance=dist, requests=requests, vehicles=vehicles)
    return CordeauInstance(name=name, m=m, n=n, T=horizon, Q=cap, L=ride, problem=problem)


def load_cordeau(path: str | Path) -> CordeauInstance:
    """Read and parse a Cordeau file; the instance name is the file stem (``a2-16``)."""
    path = Path(path)
    return parse_cordeau(path.read_text(), name=path.stem)
