"""Bus tour planner benchmark: the 2023 Grand Cahors tour against the planner, and solver time/gap.

(a) Grand Cahors (EPCI 200023737, 36 communes), the 2023 budget: 26 half-days per 4-week
    cycle (each of the 26 communes of ``bus_france_services_communes.csv`` once a month, one
    commune per half-day, see docs/bus-tour.md). The 2023 tour is scored with the same
    routing (depot → commune → depot) and metrics as the planner's.
(b) The 85 communes of ``communes.csv``, 8 half-days a week over 4 weeks (32): time,
    objective, bound and gap of the selection model at each time limit, deterministic (one
    worker) and parallel (two workers), plus the greedy start for reference.
(c) The same territory with shorter stops (90 min on site, pairs of communes per half-day;
    60 min, up to three): larger models.

Prints Markdown (docs/bus-tour.md) and the machine it ran on.

    python -m benchmarks.bus_tour [--time-limit 60] [--skip-stress]
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import os
import platform
import sys
from pathlib import Path

import ortools

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from carte_blanche.bus.planner import (  # noqa: E402
    PlanningInput,
    cycle_days,
    evaluate,
    half_day_patterns,
    load_sites,
    load_tour_communes,
    neighbours,
    plan_tour,
    tour_value,
)
from carte_blanche.bus.planner.solver import _greedy  # noqa: E402
from carte_blanche.bus.planner.territory import GRAND_CAHORS_EPCI  # noqa: E402

DATA = ROOT / "data" / "territories" / "cahors"
# A 4-week cycle without public holiday: Monday 2 to Friday 27 February 2026, Monday to Friday.
CYCLE = cycle_days(dt.date(2026, 2, 2), 4)
BUDGET_2023 = 26
BUDGET_85 = 8 * 4


def machine() -> str:
    cpu = "unknown"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            cpu = next((line.split(":", 1)[1].strip() for line in f if line.startswith("model name")), cpu)
    except OSError:
        pass
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return (
        f"{cpus} CPUs available ({cpu}), {platform.system()} {platform.machine()}, "
        f"Python {platform.python_version()}, OR-Tools {ortools.__version__}"
    )


def coverage_cell(inp: PlanningInput, tour, radius: float) -> str:
    m = evaluate(dataclasses.replace(inp, coverage_radius_km=radius), tour)
    return f"{m.residents_covered_within_radius:,} ({m.share:.1%})"


def part_a(time_limit: float) -> None:
    sites, depot, _ = load_sites(DATA / "communes.csv", DATA / "service_points.csv", GRAND_CAHORS_EPCI)
    inp = PlanningInput(sites=sites, depot=depot, days=CYCLE, budget=BUDGET_2023)
    tour_2023 = [(code,) for code in load_tour_communes(DATA / "bus_france_services_communes.csv")]
    by_id = {s.id: s for s in sites}
    total = sum(s.population for s in sites)
    remote = {s.id for s in sites if s.remoteness_km > inp.coverage_radius_km}
    remote_pop = sum(by_id[i].population for i in remote)
    print(
        f"#### (a) Grand Cahors: 36 communes, {total:,} residents, of whom {remote_pop:,} in the "
        f"{len(remote)} communes more than 10 km by road from a permanent point; "
        f"budget {BUDGET_2023} half-days per 4-week cycle\n"
    )
    rows = [("2023 tour (26 communes, monthly, 1 per half-day)", tour_2023, None)]
    for label, variant in (
        ("planner (≤ 4 visits per commune)", inp),
        ("planner, monthly like 2023 (≤ 1 visit per commune)", dataclasses.replace(inp, max_visits_per_site=1)),
    ):
        plan = plan_tour(variant, time_limit=time_limit)
        rows.append((label, plan, plan))
    print(
        "| tour | communes served | half-days | residents within 10 km of a stop or permanent point "
        "| same within 5 km | residents of communes with a stop | remote residents with a stop in their commune "
        "| remoteness-weighted coverage (10 km) | planner value | km per cycle | solver |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for label, tour, plan in rows:
        m = evaluate(inp, tour)
        half_days = len(plan.half_days) if plan else len(tour)
        stop_ids = set(plan.visits()) if plan else {hd[0] for hd in tour}
        own = sum(by_id[i].population for i in stop_ids)
        own_remote = sum(by_id[i].population for i in stop_ids & remote)
        solver = f"{plan.status}, gap {plan.gap:.2%}, {plan.seconds:.1f} s" if plan else "—"
        print(
            f"| {label} | {m.distinct_communes} | {half_days} | {coverage_cell(inp, tour, 10)} "
            f"| {coverage_cell(inp, tour, 5)} | {own:,} | {own_remote:,} of {remote_pop:,} "
            f"| {m.weighted_coverage:.1%} | {m.value:,.0f} | {m.km_per_cycle:,.0f} | {solver} |"
        )
    print()
    for label, _, plan in rows[1:]:
        visits = plan.visits()
        listing = ", ".join(f"{by_id[i].name} ×{n}" for i, n in sorted(visits.items(), key=lambda kv: (-kv[1], kv[0])))
        print(f"- {label}: {listing}")
    print()
    print(
        "Sensitivity of the planner's choices (Grand Cahors, same budget): q = neighbour_divisor (a stop in "
        "another commune within 10 km is worth 1/q of a stop in one's own), K = max visits per commune.\n"
    )
    print(
        "| q | K | half-days used | communes served | within 5 km | remote residents with own stop "
        "| km | value | 2023 tour's value | solver |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for q in (2, 3, 4):
        for k in (4, 2, 1):
            variant = dataclasses.replace(inp, neighbour_divisor=q, max_visits_per_site=k)
            plan = plan_tour(variant, time_limit=time_limit)
            m = evaluate(variant, plan)
            m5 = evaluate(dataclasses.replace(variant, coverage_radius_km=5), plan)
            own_remote = sum(by_id[i].population for i in set(plan.visits()) & remote)
            print(
                f"| {q} | {k} | {len(plan.half_days)} | {m.distinct_communes} | {m5.share:.1%} | {own_remote:,} "
                f"| {m.km_per_cycle:,.0f} | {m.value:,.0f} | {evaluate(variant, tour_2023).value:,.0f} "
                f"| {plan.status}, {plan.seconds:.1f} s |"
            )
    print()


def part_b(time_limits: list[float], stress: bool) -> None:
    sites, depot, _ = load_sites(DATA / "communes.csv", DATA / "service_points.csv")
    base = PlanningInput(sites=sites, depot=depot, days=CYCLE, budget=BUDGET_85)
    cases = [("(b) 85 communes, 120 min on site (1 stop per half-day)", base)]
    if stress:
        cases += [
            ("(c) 85 communes, 90 min on site, ≤ 2 stops", dataclasses.replace(base, min_on_site_minutes=90)),
            (
                "(c) 85 communes, 60 min on site, ≤ 3 stops",
                dataclasses.replace(base, min_on_site_minutes=60, max_stops_per_half_day=3),
            ),
        ]
    print(f"#### (b), (c) Full territory: 85 communes, budget {BUDGET_85} half-days (8 a week, 4 weeks)\n")
    print(
        "| instance | patterns | mode | time limit (s) | status | objective | best bound | gap "
        "| wall time (s) | half-days | communes | km |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for label, inp in cases:
        travel = inp.get_travel()
        patterns = half_day_patterns(inp, travel)
        uses = _greedy(inp, patterns, {s.id: inp.max_visits_per_site for s in sites}, neighbours(inp, travel))
        visits: dict[str, int] = {}
        for idx, n in uses.items():
            for j in patterns[idx].stops:
                visits[j] = visits.get(j, 0) + n
        km = sum(patterns[idx].km * n for idx, n in uses.items())
        print(
            f"| {label} | {len(patterns):,} | greedy (hint) | — | — | {tour_value(inp, visits, km, travel):,.1f} "
            f"| — | — | — | {sum(uses.values())} | {len(visits)} | {km:,.0f} |"
        )
        for deterministic in (True, False):
            mode = "deterministic (1 worker)" if deterministic else "parallel (2 workers)"
            for limit in time_limits:
                plan = plan_tour(inp, time_limit=limit, workers=2, deterministic=deterministic)
                print(
                    f"| {label} | {len(patterns):,} | {mode} | {limit:g} | {plan.status} | {plan.objective:,.1f} "
                    f"| {plan.bound:,.1f} | {plan.gap:.3%} | {plan.seconds:.1f} | {len(plan.half_days)} "
                    f"| {len(plan.visits())} | {plan.km:,.0f} |"
                )
    print()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--time-limit", type=float, default=60, help="longest time limit of (b), seconds")
    parser.add_argument("--skip-stress", action="store_true", help="skip the larger models (c)")
    args = parser.parse_args()
    print(f"Bus tour planner benchmark, {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC — {machine()}\n")
    part_a(min(args.time_limit, 60))
    limits = sorted({min(10.0, args.time_limit), args.time_limit})
    part_b(limits, stress=not args.skip_stress)


if __name__ == "__main__":
    main()
