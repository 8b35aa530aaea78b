"""How good a tour is: coverage of residents, remoteness-weighted coverage, km, and the planner's value.

A stop at commune *j* reaches the residents of commune *i* when the road distance from *i* to
*j* is at most ``coverage_radius_km`` (a commune always reaches itself). A commune within that
radius of a permanent service point (``Site.remoteness_km``) is covered without the bus.

* ``residents_covered_within_radius``: residents of communes within the radius of a stop of
  the tour or of a permanent point (unweighted, each commune counted once).
* ``weighted_coverage``: the same share, each resident weighted by
  ``remoteness_weight × need`` (``model.remoteness_weight``).
* ``value``: the planner's objective for this tour, computed exactly (``tour_value``).

A tour can be given as a ``Plan``, as half-days (sequences of site ids, each driven
depot → stops in the best order → depot), or as visit counts per site (each visit then
is its own half-day, depot → site → depot).
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from carte_blanche.bus.planner.model import DEPOT_ID, Plan, PlanningInput, Travel, reach_value

Tour = Plan | Mapping[str, int] | Sequence[Sequence[str]]


@dataclass(frozen=True, slots=True)
class Metrics:
    residents_covered_within_radius: int
    residents_total: int
    share: float
    weighted_coverage: float
    km_per_cycle: float
    stops_per_cycle: int
    distinct_communes: int
    value: float


def neighbours(inp: PlanningInput, travel: Travel | None = None) -> dict[str, tuple[str, ...]]:
    """Site id → ids of the sites whose stop reaches its residents (itself included)."""
    travel = travel or inp.get_travel()
    radius = inp.coverage_radius_km
    return {i.id: tuple(j.id for j in inp.sites if j.id == i.id or travel.km(i.id, j.id) <= radius) for i in inp.sites}


def route(travel: Travel, stops: Sequence[str]) -> tuple[tuple[str, ...], float, float]:
    """Best driving order of a half-day's stops (fewest minutes, then km): (order, km, minutes)."""
    best: tuple[tuple[str, ...], float, float] | None = None
    for order in itertools.permutations(stops):
        legs = list(zip((DEPOT_ID, *order), (*order, DEPOT_ID), strict=True))
        km = sum(travel.km(a, b) for a, b in legs)
        minutes = sum(travel.minutes(a, b) for a, b in legs)
        if best is None or (minutes, km) < (best[2], best[1]):
            best = (tuple(order), km, minutes)
    if best is None:  # no stop: the bus stays at the depot
        return (), 0.0, 0.0
    return best


def reach_units(inp: PlanningInput, visits: Mapping[str, int], nbrs: Mapping[str, Sequence[str]]) -> dict[str, int]:
    """Site id → reach units of its residents: ``neighbour_divisor`` per own stop, 1 per neighbour's stop."""
    q = inp.neighbour_divisor
    return {s.id: sum((q if j == s.id else 1) * visits.get(j, 0) for j in nbrs[s.id]) for s in inp.sites}


def tour_value(inp: PlanningInput, visits: Mapping[str, int], km: float, travel: Travel | None = None) -> float:
    """The planner's objective: Σ_i weight_i × reach_value(E_i) − km_weight × km.

    ``weight_i`` = population × remoteness weight × need, ``E_i`` the reach units
    of site *i* (``reach_units``), ``reach_value`` the diminishing reward of ``model``.
    """
    nbrs = neighbours(inp, travel)
    reach = reach_units(inp, visits, nbrs)
    value = sum(
        inp.weight(s) * reach_value(reach[s.id], inp.max_visits_per_site, inp.neighbour_divisor) for s in inp.sites
    )
    return value - inp.km_weight * km


def tour_half_days(inp: PlanningInput, tour: Tour) -> list[tuple[str, ...]]:
    """The tour as a list of half-days (tuples of site ids)."""
    if isinstance(tour, Plan):
        return [hd.stops for hd in tour.half_days]
    if isinstance(tour, Mapping):
        return [(site_id,) for site_id in sorted(tour) for _ in range(tour[site_id])]
    return [tuple(hd) for hd in tour]


def evaluate(inp: PlanningInput, tour: Tour) -> Metrics:
    """Coverage, weighted coverage, km and value of a tour on the sites of ``inp``."""
    travel = inp.get_travel()
    half_days = tour_half_days(inp, tour)
    known = {s.id for s in inp.sites}
    visits = Counter(stop for hd in half_days for stop in hd)
    unknown = set(visits) - known
    if unknown:
        raise ValueError(f"tour stops at unknown sites: {sorted(unknown)}")
    if isinstance(tour, Plan):
        km = sum(hd.km for hd in tour.half_days)
    else:
        km = sum(route(travel, hd)[1] for hd in half_days)
    nbrs = neighbours(inp, travel)
    reach = reach_units(inp, visits, nbrs)
    radius = inp.coverage_radius_km
    covered = [s for s in inp.sites if reach[s.id] > 0 or s.remoteness_km <= radius]
    total = sum(s.population for s in inp.sites)
    covered_pop = sum(s.population for s in covered)
    weight_total = sum(inp.weight(s) for s in inp.sites)
    weight_covered = sum(inp.weight(s) for s in covered)
    return Metrics(
        residents_covered_within_radius=covered_pop,
        residents_total=total,
        share=covered_pop / total if total else 0.0,
        weighted_coverage=weight_covered / weight_total if weight_total else 0.0,
        km_per_cycle=km,
        stops_per_cycle=sum(visits.values()),
        distinct_communes=len(visits),
        value=tour_value(inp, visits, km, travel),
    )
