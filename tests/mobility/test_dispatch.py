"""The dial-a-ride dispatcher: independent checker, solver constraints, unserved reasons, properties."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from carte_blanche.mobility.dispatch.checker import check
from carte_blanche.mobility.dispatch.cordeau import load_cordeau
from carte_blanche.mobility.dispatch.model import (
    Problem,
    Request,
    Route,
    Solution,
    Stop,
    StopKind,
    Unserved,
    Vehicle,
)
from carte_blanche.mobility.dispatch.solver import solve, unservable_alone

DATA = Path(__file__).resolve().parents[2] / "benchmarks" / "data" / "darp"
P, D = StopKind.PICKUP, StopKind.DROPOFF


# --------------------------------------------------------------------------- helpers


def line_problem(xs: list[float], requests: list[Request], vehicles: list[Vehicle]) -> Problem:
    """Locations on a line: travel time = distance = |x_a - x_b|."""
    mat = [[abs(a - b) for b in xs] for a in xs]
    return Problem(travel_time=mat, distance=mat, requests=requests, vehicles=vehicles)


def req(rid: str, pickup: int, dropoff: int, **kw: object) -> Request:
    base = {
        "pickup_window": (0.0, 200.0),
        "dropoff_window": (0.0, 200.0),
        "max_ride": 60.0,
        "pickup_service": 1.0,
        "dropoff_service": 1.0,
    }
    base.update(kw)
    return Request(id=rid, pickup=pickup, dropoff=dropoff, **base)  # type: ignore[arg-type]


def veh(vid: str, start: int = 0, end: int = 0, **kw: object) -> Vehicle:
    base = {"capacity": 3, "window": (0.0, 200.0), "max_duration": 200.0}
    base.update(kw)
    return Vehicle(id=vid, start=start, end=end, **base)  # type: ignore[arg-type]


def route(
    problem: Problem, vid: str, spec: list[tuple[str, StopKind]], start_at: dict[int, float] | None = None
) -> Route:
    """A route with the earliest timetable (service as early as the window allows), optionally
    forcing the service start of stop ``k`` to ``start_at[k]``."""
    v = next(x for x in problem.vehicles if x.id == vid)
    reqs = {r.id: r for r in problem.requests}
    tt, dm = problem.travel_time, problem.distance
    t, here, dist = v.window[0], v.start, 0.0
    departure = t
    stops = []
    for k, (rid, kind) in enumerate(spec):
        r = reqs[rid]
        loc, win, svc = (
            (r.pickup, r.pickup_window, r.pickup_service)
            if kind is P
            else (r.dropoff, r.dropoff_window, r.dropoff_service)
        )
        arrival = t + tt[here][loc]
        start = max(arrival, win[0])
        if start_at and k in start_at:
            start = start_at[k]
        stops.append(Stop(rid, kind, loc, arrival, start, start + svc))
        dist += dm[here][loc]
        t, here = start + svc, loc
    dist += dm[here][v.end]
    return Route(vid, departure, tuple(stops), t + tt[here][v.end], dist)


def solution(routes: list[Route], unserved: dict[str, Unserved] | None = None) -> Solution:
    return Solution(routes=tuple(routes), unserved=unserved or {}, distance=sum(r.distance for r in routes))


XS = [0.0, 10.0, 20.0, 30.0, 40.0]


@pytest.fixture
def two() -> Problem:
    """Two requests 1→2 and 3→4 on a line, two vehicles at depot 0."""
    return line_problem(XS, [req("r1", 1, 2), req("r2", 3, 4)], [veh("v1"), veh("v2")])


VALID = [("r1", P), ("r1", D), ("r2", P), ("r2", D)]


# --------------------------------------------------------------------------- checker


def test_checker_accepts_valid(two: Problem) -> None:
    assert check(two, solution([route(two, "v1", VALID)])) == []


def test_checker_catches_moved_delivery_breaking_ride_time(two: Problem) -> None:
    prob = replace(two, requests=[req("r1", 1, 2, max_ride=25.0), two.requests[1]])
    errors = check(prob, solution([route(prob, "v1", [("r1", P), ("r2", P), ("r2", D), ("r1", D)])]))
    assert any("ride time" in e for e in errors)
    assert any("no feasible timetable" in e for e in errors)


def test_checker_catches_swapped_order(two: Problem) -> None:
    errors = check(two, solution([route(two, "v1", [("r1", D), ("r1", P), ("r2", P), ("r2", D)])]))
    assert any("drop-off before pick-up" in e for e in errors)


def test_checker_catches_dropped_request(two: Problem) -> None:
    errors = check(two, solution([route(two, "v1", VALID[:2])]))
    assert any("r2: neither served nor listed" in e for e in errors)
    # listed as unserved: fine
    assert check(two, solution([route(two, "v1", VALID[:2])], {"r2": Unserved.FLEET_FULL})) == []


def test_checker_catches_capacity_overflow(two: Problem) -> None:
    prob = replace(two, vehicles=[veh("v1", capacity=1), veh("v2")])
    errors = check(prob, solution([route(prob, "v1", [("r1", P), ("r2", P), ("r1", D), ("r2", D)])]))
    assert any("capacity" in e for e in errors)


def test_checker_catches_wrong_vehicle(two: Problem) -> None:
    prob = replace(two, requests=[two.requests[0], req("r2", 3, 4, allowed_vehicles=frozenset({"v2"}))])
    errors = check(prob, solution([route(prob, "v1", VALID)]))
    assert any("r2: vehicle v1 not allowed" in e for e in errors)


def test_checker_catches_window_violation(two: Problem) -> None:
    sol = solution([route(two, "v1", VALID)])
    prob = replace(two, requests=[req("r1", 1, 2, dropoff_window=(0.0, 15.0)), two.requests[1]])
    errors = check(prob, sol)
    assert any("outside window" in e for e in errors)
    assert any("no feasible timetable" in e for e in errors)


def test_checker_catches_max_requests(two: Problem) -> None:
    prob = replace(two, vehicles=[veh("v1", max_requests=1), veh("v2")])
    errors = check(prob, solution([route(prob, "v1", VALID)]))
    assert any("max_requests" in e for e in errors)


def test_checker_catches_wrong_distance(two: Problem) -> None:
    sol = solution([route(two, "v1", VALID)])
    assert any("distance" in e for e in check(two, replace(sol, distance=sol.distance + 1)))


def test_checker_accepts_waiting_that_ride_time_needs() -> None:
    # pick-up at 10, drop-off window [50, 60], max ride 15: the earliest timetable (pick up at
    # 10, wait at the drop-off) breaks the ride time; waiting at the pick-up until 39 is valid.
    prob = line_problem([0.0, 10.0, 20.0], [req("r", 1, 2, dropoff_window=(50.0, 60.0), max_ride=15.0)], [veh("v")])
    early = solution([route(prob, "v", [("r", P), ("r", D)])])
    errors = check(prob, early)
    assert any("ride time" in e for e in errors)
    assert not any("no feasible timetable" in e for e in errors)  # a timetable exists
    waited = solution([route(prob, "v", [("r", P), ("r", D)], start_at={0: 39.0})])
    assert check(prob, waited) == []


# --------------------------------------------------------------------------- solver


def test_solver_a2_16() -> None:
    inst = load_cordeau(DATA / "a2-16.txt")
    sol = solve(inst.problem, time_limit=2.0, seed=0)
    assert check(inst.problem, sol) == []
    assert sol.served == 16 and not sol.unserved
    assert sol.distance <= 294.25 * 1.01
    assert sol.seconds <= 2.0 * 1.05 + 0.1


def test_solver_needs_waiting_for_ride_time() -> None:
    prob = line_problem([0.0, 10.0, 20.0], [req("r", 1, 2, dropoff_window=(50.0, 60.0), max_ride=15.0)], [veh("v")])
    sol = solve(prob, time_limit=0.5)
    assert check(prob, sol) == [] and sol.served == 1


def test_solver_respects_allowed_vehicles() -> None:
    prob = line_problem(
        XS,
        [req("r1", 1, 2, allowed_vehicles=frozenset({"v2"})), req("r2", 3, 4, allowed_vehicles=frozenset({"v1"}))],
        [veh("v1"), veh("v2")],
    )
    sol = solve(prob, time_limit=0.5)
    assert check(prob, sol) == []
    assert sol.vehicle_of("r1") == "v2" and sol.vehicle_of("r2") == "v1"


def test_solver_respects_max_requests() -> None:
    prob = line_problem(
        XS, [req("r1", 1, 2), req("r2", 3, 4), req("r3", 1, 4)], [veh("v1", max_requests=1), veh("v2", max_requests=2)]
    )
    sol = solve(prob, time_limit=0.5)
    assert check(prob, sol) == [] and sol.served == 3
    assert sum(1 for s in next(r for r in sol.routes if r.vehicle_id == "v1").stops if s.kind is P) <= 1


def test_solver_keeps_confirmed_vehicle() -> None:
    # v1 sits next to the request, v2 far away: distance alone would pick v1.
    xs = [0.0, 10.0, 20.0, 100.0]
    prob = line_problem(xs, [req("r1", 1, 2, assigned_vehicle="v2")], [veh("v1", 1, 1), veh("v2", 3, 3)])
    sol = solve(prob, time_limit=0.5)
    assert check(prob, sol) == [] and sol.vehicle_of("r1") == "v2"
    free = replace(prob, requests=[req("r1", 1, 2)])
    assert solve(free, time_limit=0.5).vehicle_of("r1") == "v1"


def test_solver_moves_confirmed_request_rather_than_leave_one_unserved() -> None:
    prob = line_problem(
        XS,
        [req("r1", 1, 2, assigned_vehicle="v1"), req("r2", 3, 4, allowed_vehicles=frozenset({"v1"}))],
        [veh("v1", max_requests=1), veh("v2")],
    )
    sol = solve(prob, time_limit=0.5)
    assert check(prob, sol) == [] and sol.served == 2
    assert sol.vehicle_of("r1") == "v2" and sol.vehicle_of("r2") == "v1"


def test_solver_different_depots() -> None:
    xs = [0.0, 10.0, 20.0, 30.0, 50.0]
    prob = line_problem(
        xs,
        [req("r1", 1, 2), req("r2", 2, 3)],
        [veh("v1", start=0, end=4, window=(5.0, 200.0), max_duration=80.0)],
    )
    sol = solve(prob, time_limit=0.5)
    assert check(prob, sol) == [] and sol.served == 2
    (r,) = sol.routes
    assert r.departure >= 5.0 and r.distance == pytest.approx(50.0)


def test_unserved_reasons() -> None:
    xs = [0.0, 10.0, 20.0, 30.0, 40.0]
    requests = [
        req("ok", 1, 2, dropoff_window=(30.0, 40.0)),
        req("nobody", 1, 2, allowed_vehicles=frozenset({"ghost"})),
        req("heavy", 1, 2, load=5),
        req("tight", 1, 4, pickup_window=(10.0, 11.0), dropoff_window=(12.0, 20.0)),
        req("late", 3, 4, dropoff_window=(41.0, 50.0)),  # fits alone; the vehicle takes one request
    ]
    prob = line_problem(xs, requests, [veh("v", capacity=3, max_requests=1)])
    assert unservable_alone(prob) == {
        "nobody": Unserved.NO_VEHICLE,
        "heavy": Unserved.CAPACITY,
        "tight": Unserved.WINDOW_TOO_TIGHT,
    }
    sol = solve(prob, time_limit=0.5)
    assert check(prob, sol) == [] and sol.served == 1
    assert sol.unserved["nobody"] is Unserved.NO_VEHICLE
    assert sol.unserved["heavy"] is Unserved.CAPACITY
    assert sol.unserved["tight"] is Unserved.WINDOW_TOO_TIGHT
    assert sum(1 for why in sol.unserved.values() if why is Unserved.FLEET_FULL) == 1


def test_solver_deterministic_with_iterations() -> None:
    inst = load_cordeau(DATA / "b2-16.txt")
    a = solve(inst.problem, time_limit=30.0, seed=3, iterations=150)
    b = solve(inst.problem, time_limit=30.0, seed=3, iterations=150)
    assert a.routes == b.routes and check(inst.problem, a) == []


# --------------------------------------------------------------------------- property


@st.composite
def small_problems(draw: st.DrawFn) -> Problem:
    n_loc = draw(st.integers(3, 7))
    pts = [(draw(st.integers(0, 20)), draw(st.integers(0, 20))) for _ in range(n_loc)]
    mat = [[((a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2) ** 0.5 for b in pts] for a in pts]
    n_veh = draw(st.integers(1, 3))
    vids = [f"v{k}" for k in range(n_veh)]
    vehicles = []
    for vid in vids:
        w0 = float(draw(st.integers(0, 20)))
        vehicles.append(
            Vehicle(
                id=vid,
                start=draw(st.integers(0, n_loc - 1)),
                end=draw(st.integers(0, n_loc - 1)),
                capacity=draw(st.integers(1, 4)),
                window=(w0, w0 + draw(st.integers(40, 150))),
                max_duration=float(draw(st.integers(30, 150))),
                max_requests=draw(st.one_of(st.none(), st.integers(0, 4))),
            )
        )
    requests = []
    for i in range(draw(st.integers(1, 6))):
        e1 = float(draw(st.integers(0, 100)))
        e2 = float(draw(st.integers(0, 120)))
        requests.append(
            Request(
                id=f"r{i}",
                pickup=draw(st.integers(0, n_loc - 1)),
                dropoff=draw(st.integers(0, n_loc - 1)),
                pickup_window=(e1, e1 + draw(st.integers(0, 60))),
                dropoff_window=(e2, e2 + draw(st.integers(0, 60))),
                max_ride=float(draw(st.integers(5, 50))),
                load=draw(st.integers(1, 3)),
                pickup_service=float(draw(st.integers(0, 3))),
                dropoff_service=float(draw(st.integers(0, 3))),
                allowed_vehicles=draw(
                    st.one_of(st.none(), st.frozensets(st.sampled_from([*vids, "ghost"]), max_size=2))
                ),
                assigned_vehicle=draw(st.one_of(st.none(), st.sampled_from(vids))),
            )
        )
    return Problem(travel_time=mat, distance=mat, requests=requests, vehicles=vehicles)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_problems(), st.integers(0, 3))
def test_every_solution_passes_the_checker(problem: Problem, seed: int) -> None:
    sol = solve(problem, time_limit=5.0, seed=seed, iterations=40)
    assert check(problem, sol) == []
    alone = unservable_alone(problem)
    for rid, why in alone.items():
        assert sol.unserved[rid] is why
    assert sol.served + len(sol.unserved) == len(problem.requests)
