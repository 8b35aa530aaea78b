"""Tour planner of the bus: patterns, constraints, optimality against brute force, metrics by hand."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
from pathlib import Path

import pytest

from carte_blanche.bus.planner import (
    DEPOT_ID,
    Depot,
    MatrixTravel,
    PlanningInput,
    Site,
    cycle_days,
    evaluate,
    half_day_patterns,
    load_sites,
    load_tour_communes,
    plan_tour,
    remoteness_weight,
    solver,
    tour_value,
)
from carte_blanche.bus.planner.model import reach_value

DATA = Path(__file__).resolve().parents[2] / "data" / "territories" / "cahors"
MONDAY = dt.date(2026, 1, 5)

# A toy territory with hand-set road km (minutes = km at 60 km/h). A and B are neighbours
# (6 km), C is near the depot, E is far and alone.
KM = {
    (DEPOT_ID, "A"): 30,
    (DEPOT_ID, "B"): 32,
    (DEPOT_ID, "C"): 20,
    (DEPOT_ID, "E"): 50,
    ("A", "B"): 6,
    ("A", "C"): 25,
    ("A", "E"): 45,
    ("B", "C"): 28,
    ("B", "E"): 48,
    ("C", "E"): 40,
}


def matrix(pairs: dict[tuple[str, str], float]) -> MatrixTravel:
    ids = sorted({x for pair in pairs for x in pair})
    km = {a: dict.fromkeys(ids, 0.0) for a in ids}
    for (a, b), d in pairs.items():
        km[a][b] = km[b][a] = float(d)
    return MatrixTravel(km)


def toy(**overrides) -> PlanningInput:
    sites = (
        Site("A", "A", 0, 0, population=300, remoteness_km=18),
        Site("B", "B", 0, 0, population=120, remoteness_km=14),
        Site("C", "C", 0, 0, population=500, remoteness_km=8),
        Site("E", "E", 0, 0, population=90, remoteness_km=26),
    )
    params = {
        "sites": sites,
        "depot": Depot(0, 0),
        "days": cycle_days(MONDAY, 1, weekdays=(0, 1)),
        "budget": 3,
        "min_on_site_minutes": 80,
        "max_visits_per_site": 2,
        "travel": matrix(KM),
    }
    params.update(overrides)
    return PlanningInput(**params)


def route_minutes(inp: PlanningInput, stops: tuple[str, ...]) -> float:
    travel = inp.get_travel()
    legs = zip((DEPOT_ID, *stops), (*stops, DEPOT_ID), strict=True)
    return sum(travel.minutes(a, b) for a, b in legs)


def test_patterns_respect_the_half_day_limit():
    inp = toy(max_stops_per_half_day=3, min_on_site_minutes=60)
    patterns = half_day_patterns(inp)
    assert patterns
    for p in patterns:
        assert route_minutes(inp, p.stops) + 60 * len(p.stops) <= inp.half_day_minutes + 1e-9
        assert p.minutes == pytest.approx(route_minutes(inp, p.stops) + 60 * len(p.stops))
    # Brute force: every subset of ≤ 3 sites that fits in some order is a pattern.
    found = {frozenset(p.stops) for p in patterns}
    for size in (1, 2, 3):
        for combo in itertools.combinations("ABCE", size):
            fits = any(route_minutes(inp, order) + 60 * size <= 240 for order in itertools.permutations(combo))
            assert (frozenset(combo) in found) == fits, combo


def test_default_times_allow_one_stop_per_half_day():
    # 2 × 120 min on site already fill a 4-hour half-day: only single stops fit.
    patterns = half_day_patterns(toy(min_on_site_minutes=120))
    assert {len(p.stops) for p in patterns} == {1}


def brute_force_best(inp: PlanningInput) -> float:
    """Best tour value over every multiset of feasible half-days within the budget and caps."""
    travel = inp.get_travel()
    halves = []
    for size in range(1, inp.max_stops_per_half_day + 1):
        for combo in itertools.combinations([s.id for s in inp.sites], size):
            best = min(
                (
                    route_minutes(inp, order),
                    sum(travel.km(a, b) for a, b in zip((DEPOT_ID, *order), (*order, DEPOT_ID), strict=True)),
                )
                for order in itertools.permutations(combo)
            )
            if best[0] + inp.min_on_site_minutes * size <= inp.half_day_minutes:
                halves.append((combo, best[1]))
    best_value = 0.0
    for n in range(inp.budget + 1):
        for chosen in itertools.combinations_with_replacement(halves, n):
            visits: dict[str, int] = {}
            for combo, _ in chosen:
                for site in combo:
                    visits[site] = visits.get(site, 0) + 1
            if any(v > inp.max_visits_per_site for v in visits.values()):
                continue
            best_value = max(best_value, tour_value(inp, visits, sum(km for _, km in chosen)))
    return best_value


@pytest.mark.parametrize("formulation", ["pwl", "bool"])
@pytest.mark.parametrize("budget", [1, 2, 3])
def test_tiny_instance_is_optimal_and_matches_brute_force(budget, formulation, monkeypatch):
    monkeypatch.setattr(solver, "FORMULATION", formulation)
    inp = toy(budget=budget)
    plan = plan_tour(inp, time_limit=10)
    assert plan.status == "OPTIMAL"
    assert plan.gap == 0.0
    best = brute_force_best(inp)
    assert plan.objective == pytest.approx(best, abs=0.05)
    assert evaluate(inp, plan).value == pytest.approx(best, abs=1e-6)


def test_budget_and_calendar_are_respected():
    inp = toy(budget=3)
    plan = plan_tour(inp, time_limit=10)
    assert len(plan.half_days) <= inp.budget
    slots = [(hd.day, hd.half) for hd in plan.half_days]
    assert len(set(slots)) == len(slots)
    assert all(day in inp.days and half in ("am", "pm") for day, half in slots)
    assert all(hd.minutes <= inp.half_day_minutes for hd in plan.half_days)
    assert all(n <= inp.max_visits_per_site for n in plan.visits().values())


def test_pinned_communes_get_their_minimum():
    # Without a pin, E (few residents, far away) is not worth one of two half-days.
    assert plan_tour(toy(budget=2), time_limit=10).visits().get("E", 0) == 0
    plan = plan_tour(toy(budget=2, pinned={"E": 2}), time_limit=10)
    assert plan.status == "OPTIMAL"
    assert plan.visits() == {"E": 2}


def test_impossible_pins_are_reported_infeasible():
    plan = plan_tour(toy(budget=1, pinned={"E": 1, "C": 1}), time_limit=10)
    assert plan.status == "INFEASIBLE"
    assert plan.half_days == ()


def test_forbidden_dates_are_respected():
    days = cycle_days(MONDAY, 1)  # Monday to Friday
    market = (days[0], days[2])
    inp = toy(days=days, budget=6, forbidden={"A": market, "C": (days[1],)})
    plan = plan_tour(inp, time_limit=10)
    assert plan.unscheduled == ()
    for hd in plan.half_days:
        for stop in hd.stops:
            assert hd.day not in inp.forbidden.get(stop, ())
    # A site forbidden on every day of the cycle is never visited, even if valuable.
    plan = plan_tour(toy(forbidden={"A": toy().days}), time_limit=10)
    assert "A" not in plan.visits()


def test_repeat_visits_are_spread_over_the_cycle():
    sites = (Site("X", "X", 0, 0, population=1000, remoteness_km=30),)
    inp = PlanningInput(
        sites=sites,
        depot=Depot(0, 0),
        days=cycle_days(MONDAY, 4),
        budget=2,
        travel=matrix({(DEPOT_ID, "X"): 20}),
    )
    plan = plan_tour(inp, time_limit=10)
    first, second = plan.visit_dates()["X"]
    assert (second - first).days == 14  # the ideal fortnight of a 28-day cycle


def test_gap_is_a_fraction_and_bound_above_objective():
    sites, depot, _ = load_sites(DATA / "communes.csv", DATA / "service_points.csv", "200023737")
    inp = PlanningInput(sites=sites, depot=depot, days=cycle_days(MONDAY, 4), budget=26, min_on_site_minutes=90)
    plan = plan_tour(inp, time_limit=3)
    assert plan.status in ("OPTIMAL", "FEASIBLE")
    assert 0.0 <= plan.gap <= 1.0
    assert plan.bound >= plan.objective - 1e-6
    assert plan.seconds < 6


def test_same_input_same_plan():
    sites, depot, _ = load_sites(DATA / "communes.csv", DATA / "service_points.csv", "200023737")
    inp = PlanningInput(sites=sites, depot=depot, days=cycle_days(MONDAY, 4), budget=12, max_visits_per_site=2)
    first, second = plan_tour(inp, time_limit=10), plan_tour(inp, time_limit=10)
    assert first.status == second.status == "OPTIMAL"
    assert first.half_days == second.half_days
    assert first.objective == second.objective


def hand_input() -> PlanningInput:
    sites = (
        Site("X", "X", 0, 0, population=100, remoteness_km=20),  # weight 100 × 2
        Site("Y", "Y", 0, 0, population=50, remoteness_km=5),  # weight 50 × 0.25 × 0.5
        Site("Z", "Z", 0, 0, population=200, remoteness_km=30),  # weight 200 × 3
    )
    km = {
        (DEPOT_ID, "X"): 10,
        (DEPOT_ID, "Y"): 12,
        (DEPOT_ID, "Z"): 40,
        ("X", "Y"): 8,
        ("X", "Z"): 35,
        ("Y", "Z"): 38,
    }
    return PlanningInput(
        sites=sites, depot=Depot(0, 0), days=(MONDAY,), budget=2, neighbour_divisor=2, travel=matrix(km)
    )


def test_metrics_on_a_toy_case_by_hand():
    inp = hand_input()
    m = evaluate(inp, [("X",)])
    # X has the stop; Y is 8 km from it and 5 km from a permanent point; Z is reached by nothing.
    assert m.residents_covered_within_radius == 150
    assert m.residents_total == 350
    assert m.share == pytest.approx(150 / 350)
    assert m.weighted_coverage == pytest.approx((200 + 6.25) / (200 + 6.25 + 600))
    assert m.km_per_cycle == pytest.approx(20)
    assert (m.stops_per_cycle, m.distinct_communes) == (1, 1)
    # X: one own visit = 1 × 200; Y: a neighbour's stop = half a visit × 6.25; km: 0.01 × 20.
    assert m.value == pytest.approx(200 + 0.5 * 6.25 - 0.2)
    # Two visits of X: 200 × (1 + 1/2), Y: (1/2 + 1/2) × 6.25, 40 km.
    m2 = evaluate(inp, {"X": 2})
    assert m2.value == pytest.approx(300 + 6.25 - 0.4)
    assert m2.km_per_cycle == pytest.approx(40)
    # With a neighbour's stop worth a third of an own stop (the default), Y gets 1/3 + 1/3.
    m3 = evaluate(dataclasses.replace(inp, neighbour_divisor=3), {"X": 2})
    assert m3.value == pytest.approx(300 + 2 / 3 * 6.25 - 0.4)
    # Coverage does not depend on the divisor; a 5 km radius drops Y (8 km from X) from the stop's reach
    # but Y stays covered by its permanent point (5 km).
    m5 = evaluate(dataclasses.replace(inp, coverage_radius_km=5), [("X",)])
    assert m5.residents_covered_within_radius == 150


def test_weights_and_rewards():
    assert remoteness_weight(0) == 0
    assert remoteness_weight(10) == pytest.approx(0.25)
    assert remoteness_weight(10.01) == pytest.approx(1.001)
    assert remoteness_weight(20) == pytest.approx(2)
    assert remoteness_weight(80) == pytest.approx(3)
    assert [reach_value(u, 4, divisor=2) for u in (0, 1, 2, 4, 8, 20)] == pytest.approx(
        [0, 0.5, 1, 1.5, 1 + 1 / 2 + 1 / 3 + 1 / 4, 1 + 1 / 2 + 1 / 3 + 1 / 4]
    )
    assert [reach_value(u, 2, divisor=3) for u in (1, 3, 4, 6, 9)] == pytest.approx([1 / 3, 1, 1 + 1 / 6, 1.5, 1.5])


def test_load_sites_from_the_territory_files():
    sites, depot, points = load_sites(DATA / "communes.csv", DATA / "service_points.csv")
    assert len(sites) == 85
    assert len(points) == 8  # 7 France services sites + Cahors
    by_id = {s.id: s for s in sites}
    assert by_id["46042"].remoteness_km == 0
    assert (depot.lat, depot.lon) == (by_id["46042"].lat, by_id["46042"].lon)
    assert all(s.remoteness_km < 30 for s in sites)
    grand_cahors, _, _ = load_sites(DATA / "communes.csv", DATA / "service_points.csv", "200023737")
    assert len(grand_cahors) == 36
    tour = load_tour_communes(DATA / "bus_france_services_communes.csv")
    assert len(tour) == 26 and set(tour) <= {s.id for s in grand_cahors}
