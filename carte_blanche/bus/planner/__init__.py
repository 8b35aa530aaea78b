"""Tour planner of the mobile public-services bus: pure (no Django), OR-Tools CP-SAT.

Public API::

    from carte_blanche.bus.planner import PlanningInput, Site, Depot, plan_tour, evaluate

``plan_tour(inp, *, time_limit=60, workers=2, deterministic=True) -> Plan`` chooses the
stops of one cycle and their half-days; ``evaluate(inp, tour) -> Metrics`` measures a tour
(a ``Plan``, half-days or visit counts). ``load_sites`` builds sites from the territory
CSV files. See docs/bus-tour.md.
"""

from carte_blanche.bus.planner.metrics import Metrics, evaluate, neighbours, route, tour_value
from carte_blanche.bus.planner.model import (
    DEPOT_ID,
    CircuityTravel,
    Depot,
    HalfDayPlan,
    MatrixTravel,
    Plan,
    PlanningInput,
    Site,
    Travel,
    cycle_days,
    remoteness_weight,
    repeat_reward,
)
from carte_blanche.bus.planner.solver import Pattern, half_day_patterns, plan_tour
from carte_blanche.bus.planner.territory import (
    PermanentPoint,
    load_permanent_points,
    load_sites,
    load_tour_communes,
    remoteness_km,
)

__all__ = [
    "DEPOT_ID",
    "CircuityTravel",
    "Depot",
    "HalfDayPlan",
    "MatrixTravel",
    "Metrics",
    "Pattern",
    "PermanentPoint",
    "Plan",
    "PlanningInput",
    "Site",
    "Travel",
    "cycle_days",
    "evaluate",
    "half_day_patterns",
    "load_permanent_points",
    "load_sites",
    "load_tour_communes",
    "neighbours",
    "plan_tour",
    "remoteness_km",
    "remoteness_weight",
    "repeat_reward",
    "route",
    "tour_value",
]
