"""Choose the stops of a bus cycle (CP-SAT) and put them on half-days (greedy + local search).

**1. Selection** (which half-days, how often), ``select_half_days``. Every feasible *half-day
pattern* is listed first (``half_day_patterns``): one site, or a pair/triple of sites whose
drive depot → a → (b → c) → depot in the best order plus ``min_on_site_minutes`` per stop
fits in ``half_day_minutes`` (a triple only when its three pairs fit). An integer ``y_p``
counts the uses of pattern *p*:

* Σ y_p ≤ budget (and ≤ the half-days of the cycle);
* visits of site *i*, v_i = Σ_{p ∋ i} y_p, within [pinned_i, min(max_visits, half-days
  allowed for i)];
* the residents of *i* are reached by E_i = q v_i + Σ_{j ∈ N(i), j ≠ i} v_j units per
  cycle, N(i) the sites within ``coverage_radius_km`` of *i*, q = ``neighbour_divisor``
  (default 3: a neighbour's stop is worth a third of an own stop); the h-th unit is worth
  1 / (q ⌈h/q⌉) of the site's weight up to h = qK, K = ``max_visits_per_site``
  (``model.reach_value``: first visit 1, second 1/2, third 1/3…): a concave
  piecewise-linear reward f_i(E_i), modelled by an integer t_i ≤ each of its qK segment
  lines (``FORMULATION = "pwl"``; one boolean per unit, ``"bool"``, is the alternative);
* maximise Σ_i t_i − km_weight × Σ_p km_p y_p, with weight_i = population × remoteness
  weight × need (``model.remoteness_weight``).

The reward is concave, so its linear relaxation is exact for given E_i and CP-SAT's bound
only has to close the integrality of the y's; CP-SAT's objective, best bound and gap are
reported (``Plan``). Coefficients are scaled to integers (1/100 weighted resident,
× q lcm(1…K)), so the reported value differs from ``metrics.tour_value`` by rounding only.
A lazy greedy (best marginal value per half-day) is given as a complete hint, and is the
answer, against a trivial bound, if CP-SAT finds nothing in time.

**2. Calendar** (which date, am or pm), ``schedule_half_days``: a greedy placement, then
augmenting paths so that every half-day that can be placed is (forbidden dates are a
bipartite matching problem), then a local search (moves and swaps) that spreads each site's
repeat visits over the cycle: it minimises Σ (ideal gap − gap)² over consecutive visits,
wrapping around to the next cycle (ideal = cycle length / visits: 7 days for a weekly stop),
with a heavy cost for two visits the same day. A half-day that cannot be placed is listed in
``Plan.unscheduled`` (status "FEASIBLE", value recomputed). A CP-SAT model of the calendar
(window constraints) was tried first: slower to reach a good spread than this local search
on these sizes (≤ 40 slots), see docs/bus-tour.md.

The selection runs with a fixed seed and, by default, a single CP-SAT worker bounded in
*deterministic* time, so the same input gives the same plan unless the wall-clock limit (set
to the same value, as a safety) stops a heavily loaded run first. On these models one worker
proved faster than two (portfolio) and much faster than the deterministic interleaved
search of several workers; ``deterministic=False`` runs ``workers`` threads freely.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import heapq
import itertools
import math
import time
from collections.abc import Iterable, Mapping, Sequence

import numpy as np
from ortools.sat.python import cp_model

from carte_blanche.bus.planner.metrics import neighbours, tour_value
from carte_blanche.bus.planner.model import DEPOT_ID, HalfDayPlan, Plan, PlanningInput, Travel, reach_value

#: Integer resolution of the selection objective: 1/RESOLUTION weighted resident.
RESOLUTION = 100
#: Most moves of the greedy's exchange phase.
EXCHANGE_ROUNDS = 200
#: Reward encoding: "bool" (one boolean per reach unit) or "pwl" (piecewise-linear cuts).
FORMULATION = "pwl"
#: Calendar: extra cost of two visits of a site on the same day.
SAME_DAY_PENALTY = 100


@dataclasses.dataclass(frozen=True, slots=True)
class Pattern:
    """A feasible half-day: ``stops`` in driving order, road ``km``, ``minutes`` used (drive + on site)."""

    stops: tuple[str, ...]
    km: float
    minutes: float


def half_day_patterns(inp: PlanningInput, travel: Travel | None = None) -> list[Pattern]:
    """All half-days that fit the time limit: single sites, then pairs, triples… of fitting sites.

    A set of k sites is tried only when each of its (k − 1)-subsets fits (a sub-tour of a
    feasible tour is feasible under the triangle inequality); its driving order is the best
    of the k! orders (fewest minutes, then km).
    """
    travel = travel or inp.get_travel()
    limit, on_site = inp.half_day_minutes + 1e-9, inp.min_on_site_minutes
    ids = [s.id for s in inp.sites]
    n = len(ids)
    nodes = [*ids, DEPOT_ID]  # index n is the depot
    minutes = [[travel.minutes(a, b) for b in nodes] for a in nodes]
    km = [[travel.km(a, b) for b in nodes] for a in nodes]

    def best_route(combo: tuple[int, ...]) -> tuple[float, float, tuple[int, ...]]:
        best: tuple[float, float, tuple[int, ...]] | None = None
        for order in itertools.permutations(combo):
            path = (n, *order, n)
            legs = list(itertools.pairwise(path))
            cand = (sum(minutes[a][b] for a, b in legs), sum(km[a][b] for a, b in legs), order)
            if best is None or cand[:2] < best[:2]:
                best = cand
        assert best is not None
        return best

    patterns: list[Pattern] = []
    level: set[tuple[int, ...]] = set()
    for i in range(n):
        drive, dist, order = best_route((i,))
        if drive + on_site <= limit:
            level.add((i,))
            patterns.append(Pattern(tuple(ids[k] for k in order), dist, drive + on_site))
    for size in range(2, inp.max_stops_per_half_day + 1):
        bigger: set[tuple[int, ...]] = set()
        for combo in sorted(level):
            for k in range(combo[-1] + 1, n):
                if (k,) not in level and size == 2:
                    continue
                if any(tuple(sorted((*(c for c in combo if c != x), k))) not in level for x in combo):
                    continue
                drive, dist, order = best_route((*combo, k))
                if drive + on_site * size <= limit:
                    bigger.add((*combo, k))
                    patterns.append(Pattern(tuple(ids[c] for c in order), dist, drive + on_site * size))
        if not bigger:
            break
        level = bigger
    return patterns


def _lcm_upto(k: int) -> int:
    return math.lcm(*range(1, k + 1))


def _status_name(status: int) -> str:
    return {
        cp_model.OPTIMAL: "OPTIMAL",
        cp_model.FEASIBLE: "FEASIBLE",
        cp_model.INFEASIBLE: "INFEASIBLE",
        cp_model.MODEL_INVALID: "MODEL_INVALID",
    }.get(status, "UNKNOWN")


def _parameters(solver: cp_model.CpSolver, time_limit: float, workers: int, deterministic: bool) -> None:
    """Fixed seed; deterministic = one worker bounded in deterministic time (see ``plan_tour``)."""
    params = solver.parameters
    params.max_time_in_seconds = max(0.01, time_limit)
    params.random_seed = 0
    if deterministic:
        params.num_workers = 1
        params.max_deterministic_time = max(0.01, time_limit)
        # Branching on the LP solution: on the pair instances it found better plans than the
        # default search of a lone worker (gap 0.30 % instead of 0.58 % at 12 s).
        params.search_branching = cp_model.LP_SEARCH
    else:
        params.num_workers = max(1, workers)


def _greedy(
    inp: PlanningInput, patterns: Sequence[Pattern], caps: Mapping[str, int], nbrs: Mapping[str, Sequence[str]]
) -> dict[int, int]:
    """Pattern index → uses: pinned visits first, then the half-day of best marginal value while it adds any.

    The reward is concave, so marginal values only decrease: a lazy greedy (stale gains kept
    in a heap and re-evaluated when they reach the top) gives the plain greedy's answer. Then
    best-exchange moves (``_exchange``).
    """
    k_max = inp.max_visits_per_site
    q = inp.neighbour_divisor
    table = [reach_value(units, k_max, q) for units in range(q * k_max + 1)]
    weight = {s.id: inp.weight(s) for s in inp.sites}
    covers: dict[str, list[str]] = {s.id: [] for s in inp.sites}  # j → sites its stop reaches
    for i, near in nbrs.items():
        for j in near:
            covers[j].append(i)
    contributions = []
    for p in patterns:
        extra: dict[str, int] = {}
        for j in p.stops:
            for i in covers[j]:
                extra[i] = extra.get(i, 0) + (q if i == j else 1)
        contributions.append(tuple(extra.items()))
    reach = {s.id: 0 for s in inp.sites}
    visits = {s.id: 0 for s in inp.sites}
    chosen: dict[int, int] = {}
    budget = min(inp.budget, len(inp.slots()))

    def gain(idx: int) -> float:
        top = q * k_max
        value = sum(
            weight[i] * (table[min(reach[i] + n, top)] - table[min(reach[i], top)]) for i, n in contributions[idx]
        )
        return value - inp.km_weight * patterns[idx].km

    def usable(idx: int) -> bool:
        return all(visits[j] < caps[j] for j in patterns[idx].stops)

    def take(idx: int) -> None:
        chosen[idx] = chosen.get(idx, 0) + 1
        for j in patterns[idx].stops:
            visits[j] += 1
        for i, n in contributions[idx]:
            reach[i] += n

    single = {p.stops[0]: idx for idx, p in enumerate(patterns) if len(p.stops) == 1}
    for site_id, n in sorted(inp.pinned.items()):
        for _ in range(min(n, caps[site_id])):
            if sum(chosen.values()) < budget and site_id in single:
                take(single[site_id])
    heap = [(-gain(idx), idx) for idx in range(len(patterns))]
    heapq.heapify(heap)
    while heap and sum(chosen.values()) < budget:
        _, idx = heapq.heappop(heap)
        if not usable(idx):
            continue
        fresh = gain(idx)
        if heap and fresh < -heap[0][0] - 1e-9:
            heapq.heappush(heap, (-fresh, idx))  # stale: put back with its current gain
            continue
        if fresh <= 1e-9:
            break
        take(idx)
        heapq.heappush(heap, (-gain(idx), idx))

    return _exchange(inp, patterns, caps, contributions, chosen)


def _exchange(
    inp: PlanningInput,
    patterns: Sequence[Pattern],
    caps: Mapping[str, int],
    contributions: Sequence[tuple[tuple[str, int], ...]],
    chosen: dict[int, int],
) -> dict[int, int]:
    """Best-exchange local search on a selection: drop one half-day, add the best other one,
    while the value increases; at most ``EXCHANGE_ROUNDS`` moves (deterministic).

    The marginal values of all patterns are computed at once with numpy (sparse
    pattern × site contributions), one vector per tried removal.
    """
    if not chosen or not patterns:
        return chosen
    k_max, q = inp.max_visits_per_site, inp.neighbour_divisor
    top = q * k_max
    ids = [s.id for s in inp.sites]
    col = {site_id: c for c, site_id in enumerate(ids)}
    table = np.array([reach_value(units, k_max, q) for units in range(top + 1)])
    weight = np.array([inp.weight(s) for s in inp.sites])
    cap = np.array([caps[site_id] for site_id in ids])
    pinned = np.array([inp.pinned.get(site_id, 0) for site_id in ids])
    km = np.array([p.km for p in patterns])
    trip = [(idx, col[i], n) for idx, contrib in enumerate(contributions) for i, n in contrib]
    t_pattern = np.array([t[0] for t in trip], dtype=np.int64)
    t_site = np.array([t[1] for t in trip], dtype=np.int64)
    t_units = np.array([t[2] for t in trip], dtype=np.int64)
    stops = [(idx, col[j]) for idx, p in enumerate(patterns) for j in p.stops]
    s_pattern = np.array([t[0] for t in stops], dtype=np.int64)
    s_site = np.array([t[1] for t in stops], dtype=np.int64)
    reach = np.zeros(len(ids), dtype=np.int64)
    visits = np.zeros(len(ids), dtype=np.int64)
    for idx, n in chosen.items():
        np.add.at(reach, t_site[t_pattern == idx], n * t_units[t_pattern == idx])
        np.add.at(visits, s_site[s_pattern == idx], n)

    def move(idx: int, sign: int) -> None:
        np.add.at(reach, t_site[t_pattern == idx], sign * t_units[t_pattern == idx])
        np.add.at(visits, s_site[s_pattern == idx], sign)
        chosen[idx] = chosen.get(idx, 0) + sign
        if not chosen[idx]:
            del chosen[idx]

    def gains() -> np.ndarray:
        before = table[np.minimum(reach[t_site], top)]
        after = table[np.minimum(reach[t_site] + t_units, top)]
        value = np.bincount(t_pattern, weights=weight[t_site] * (after - before), minlength=len(patterns))
        full = np.bincount(s_pattern, weights=(visits[s_site] >= cap[s_site]), minlength=len(patterns)) > 0
        return np.where(full, -np.inf, value - inp.km_weight * km)

    for _ in range(EXCHANGE_ROUNDS):
        best = (1e-6, -1, -1)
        for out in sorted(chosen):
            mask = s_pattern == out
            if np.any(visits[s_site[mask]] - 1 < pinned[s_site[mask]]):
                continue
            move(out, -1)
            g = gains()
            loss = g[out] if np.isfinite(g[out]) else 0.0
            g[out] = -np.inf
            add = int(np.argmax(g))
            if g[add] - loss > best[0]:
                best = (float(g[add] - loss), out, add)
            if -loss > best[0]:  # dropping it alone is better (its km outweigh its value)
                best = (float(-loss), out, -1)
            move(out, +1)
        if best[1] < 0:
            break
        move(best[1], -1)
        if best[2] >= 0:
            move(best[2], +1)
    return chosen


def _satisfies_pins(inp: PlanningInput, patterns: Sequence[Pattern], uses: Mapping[int, int]) -> bool:
    visits: dict[str, int] = {}
    for idx, n in uses.items():
        for j in patterns[idx].stops:
            visits[j] = visits.get(j, 0) + n
    return all(visits.get(site_id, 0) >= n for site_id, n in inp.pinned.items())


def select_half_days(
    inp: PlanningInput,
    patterns: Sequence[Pattern],
    *,
    time_limit: float = 60,
    workers: int = 2,
    deterministic: bool = True,
    travel: Travel | None = None,
) -> tuple[dict[int, int], float, float, str]:
    """Selection model: (pattern index → uses, objective, best bound, status).

    ``time_limit`` includes building the model and the greedy hint.
    """
    started = time.perf_counter()
    travel = travel or inp.get_travel()
    nbrs = neighbours(inp, travel)
    k_max = inp.max_visits_per_site
    q = inp.neighbour_divisor
    scale = q * RESOLUTION * _lcm_upto(k_max)
    caps = {s.id: min(k_max, inp.allowed_slots(s.id)) for s in inp.sites}
    budget = min(inp.budget, len(inp.slots()))

    m = cp_model.CpModel()
    y = [m.new_int_var(0, min(budget, *(caps[j] for j in p.stops)), f"y_{'_'.join(p.stops)}") for p in patterns]
    m.add(sum(y) <= budget)
    visits: dict[str, list[cp_model.IntVar]] = {s.id: [] for s in inp.sites}
    for var, p in zip(y, patterns, strict=True):
        for j in p.stops:
            visits[j].append(var)
    # v_i: visits of site i, an integer of its own so that the reach sums below stay sparse.
    visit_var: dict[str, cp_model.IntVar] = {}
    for s in inp.sites:
        low = inp.pinned.get(s.id, 0)
        visit_var[s.id] = m.new_int_var(min(low, caps[s.id]), caps[s.id], f"v_{s.id}")
        if low > caps[s.id]:
            m.add_bool_or([])  # more pinned visits than allowed half-days: infeasible
        m.add(visit_var[s.id] == sum(visits[s.id]))
    hint = _greedy(inp, patterns, caps, nbrs)
    for idx, var in enumerate(y):
        m.add_hint(var, hint.get(idx, 0))
    hint_visits = {s.id: 0 for s in inp.sites}
    for idx, n in hint.items():
        for j in patterns[idx].stops:
            hint_visits[j] += n
    for site_id, var in visit_var.items():
        m.add_hint(var, hint_visits[site_id])

    terms = []
    lcm = _lcm_upto(k_max)
    top = q * k_max
    for s in inp.sites:
        w = round(inp.weight(s) * RESOLUTION)
        if w <= 0:
            continue
        # Reach units: q per own stop, 1 per stop of a neighbour (model.reach_value).
        reach = [(q if j == s.id else 1) * visit_var[j] for j in nbrs[s.id] if visits[j]]
        if not reach:
            continue
        reach_hint = sum((q if j == s.id else 1) * hint_visits[j] for j in nbrs[s.id])
        # The h-th unit is worth 1 / (q ceil(h / q)) of the weight; × q lcm keeps it integral.
        gains = [w * lcm // -(-h // q) for h in range(1, top + 1)]
        if FORMULATION == "pwl":
            # Concave piecewise-linear reward: t ≤ each of its segments' lines.
            units = m.new_int_var(0, (q + 1) * budget * inp.max_stops_per_half_day, f"e_{s.id}")
            m.add(units == sum(reach))
            cumulated = [0, *itertools.accumulate(gains)]
            t = m.new_int_var(0, cumulated[-1], f"t_{s.id}")
            for h0 in range(top):
                m.add(t <= cumulated[h0] + gains[h0] * (units - h0))
            m.add_hint(units, reach_hint)
            m.add_hint(t, cumulated[min(reach_hint, top)])
            terms.append((1, t))
        else:
            u = [m.new_bool_var(f"u_{s.id}_{h}") for h in range(1, top + 1)]
            m.add(sum(u) <= sum(reach))
            for a, b in itertools.pairwise(u):
                m.add_implication(b, a)
            for h, var in enumerate(u, start=1):
                m.add_hint(var, h <= reach_hint)
            terms += list(zip(gains, u, strict=True))
    km_cost = [round(p.km * inp.km_weight * scale) for p in patterns]
    m.maximize(sum(c * u for c, u in terms) - sum(c * var for c, var in zip(km_cost, y, strict=True)))

    solver = cp_model.CpSolver()
    # At least half a second of search even when building the model ate the budget.
    _parameters(solver, max(0.5, time_limit - (time.perf_counter() - started)), workers, deterministic)
    status = solver.solve(m)
    name = _status_name(status)
    if status == cp_model.UNKNOWN and hint and _satisfies_pins(inp, patterns, hint):
        # No solution in time: fall back on the greedy one, against the trivial bound
        # (every site reached K times).
        value = tour_value(inp, hint_visits, sum(patterns[idx].km * n for idx, n in hint.items()), travel)
        ceiling = sum(inp.weight(s) * reach_value(q * k_max, k_max, q) for s in inp.sites)
        return hint, value, max(ceiling, value), "FEASIBLE"
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return {}, 0.0, 0.0, name
    uses = {idx: int(solver.value(var)) for idx, var in enumerate(y) if solver.value(var) > 0}
    objective = solver.objective_value / scale + 0.0  # + 0.0: no "-0.0" for an empty plan
    bound = solver.best_objective_bound / scale + 0.0
    if status == cp_model.OPTIMAL:
        bound = objective
    return uses, objective, bound, name


def _cycle_length(days: Sequence[dt.date]) -> int:
    """Calendar days of the cycle, rounded up to whole weeks (a 4-week cycle is 28 days)."""
    span = (max(days) - min(days)).days + 1
    return 7 * math.ceil(span / 7)


def _spread_penalty(days: Sequence[int], length: int) -> int:
    """Unevenness of one site's visit days in a cycle of ``length`` days (wrapping around).

    Σ over consecutive visits of max(0, ideal − gap)², ideal = length // visits, plus
    ``SAME_DAY_PENALTY`` per pair of visits on the same day. Zero for perfectly even visits.
    """
    if len(days) < 2:
        return 0
    ordered = sorted(days)
    ideal = length // len(ordered)
    gaps = [b - a for a, b in itertools.pairwise(ordered)] + [ordered[0] + length - ordered[-1]]
    return sum(max(0, ideal - g) ** 2 + (SAME_DAY_PENALTY if g == 0 else 0) for g in gaps)


def schedule_half_days(
    inp: PlanningInput, chosen: Sequence[Pattern]
) -> tuple[list[tuple[Pattern, dt.date, str]], list[Pattern]]:
    """Calendar: put each chosen half-day on a slot, spreading each site's repeat visits.

    1. Greedy: the k-th of the m copies of a half-day aims at slot offset + k × slots / m
       (offsets of different half-days spread over the cycle) and takes the nearest free
       slot where none of its sites is forbidden.
    2. Half-days left over are placed by augmenting paths (bipartite matching, moving
       others), so as many as possible are placed; those that cannot be are returned.
    3. Local search: move a half-day to a free slot or swap two, while it lowers Σ of
       ``_spread_penalty`` over the sites (best move per half-day, first to last, until
       no move improves). Deterministic.

    Returns (scheduled (pattern, date, half), unscheduled patterns).
    """
    slots = inp.slots()
    if not chosen:
        return [], []
    if not slots:
        return [], list(chosen)
    first = min(inp.days)
    length = _cycle_length(inp.days)
    day_of = [(d - first).days for d, _ in slots]
    banned = {site_id: set(dates) for site_id, dates in inp.forbidden.items()}
    allowed = [
        [t for t, (d, _) in enumerate(slots) if not any(d in banned.get(j, ()) for j in p.stops)] for p in chosen
    ]
    allowed_set = [set(a) for a in allowed]
    total = len(slots)
    where: dict[int, int] = {}  # instance → slot
    owner: dict[int, int] = {}  # slot → instance

    # 1. Greedy aims.
    groups: list[list[int]] = []
    for n, p in enumerate(chosen):
        if groups and chosen[groups[-1][0]] == p:
            groups[-1].append(n)
        else:
            groups.append([n])
    for g, members in enumerate(groups):
        offset = g * total / len(groups)
        for k, n in enumerate(members):
            aim = (offset + k * total / len(members)) % total
            free = [t for t in allowed[n] if t not in owner]
            if free:
                t = min(free, key=lambda t, aim=aim: (min(abs(t - aim), total - abs(t - aim)), t))
                where[n], owner[t] = t, n

    # 2. Augmenting paths for the half-days left over.
    def augment(n: int, seen: set[int]) -> bool:
        for t in allowed[n]:
            if t in seen:
                continue
            seen.add(t)
            if t not in owner or augment(owner[t], seen):
                if n in where:
                    del owner[where[n]]
                where[n], owner[t] = t, n
                return True
        return False

    for n in range(len(chosen)):
        if n not in where:
            augment(n, set())

    # 3. Local search on the spread.
    visits_of: dict[str, list[int]] = {}
    for n, p in enumerate(chosen):
        for j in p.stops:
            visits_of.setdefault(j, []).append(n)

    def cost(site_ids: Iterable[str]) -> int:
        return sum(_spread_penalty([day_of[where[n]] for n in visits_of[j] if n in where], length) for j in site_ids)

    improved, passes = True, 0
    while improved and passes < 100:
        improved, passes = False, passes + 1
        for n in sorted(where):
            here = where[n]
            best_delta, best_t = 0, None
            for t in allowed[n]:
                if t == here:
                    continue
                other = owner.get(t)
                if other is not None and here not in allowed_set[other]:
                    continue
                touched = set(chosen[n].stops) | (set(chosen[other].stops) if other is not None else set())
                before = cost(touched)
                where[n], owner[t] = t, n
                if other is not None:
                    where[other], owner[here] = here, other
                else:
                    del owner[here]
                delta = cost(touched) - before
                # undo
                where[n], owner[here] = here, n
                if other is not None:
                    where[other], owner[t] = t, other
                else:
                    del owner[t]
                if delta < best_delta:
                    best_delta, best_t = delta, t
            if best_t is not None:
                other = owner.get(best_t)
                where[n], owner[best_t] = best_t, n
                if other is not None:
                    where[other], owner[here] = here, other
                else:
                    del owner[here]
                improved = True

    done = [(chosen[n], *slots[t]) for n, t in where.items()]
    left = [chosen[n] for n in range(len(chosen)) if n not in where]
    return done, left


def plan_tour(
    inp: PlanningInput,
    *,
    time_limit: float = 60,
    workers: int = 2,
    deterministic: bool = True,
) -> Plan:
    """Plan one cycle of the bus: selection (CP-SAT, gap reported), then calendar.

    ``time_limit`` (seconds) bounds the selection model (setup included); the calendar
    then takes milliseconds. ``deterministic`` (default): one CP-SAT
    worker with a deterministic-time limit, same plan for the same input; ``False``:
    ``workers`` threads in parallel, not reproducible when several optima tie.
    """
    started = time.perf_counter()
    travel = inp.get_travel()
    patterns = half_day_patterns(inp, travel)
    uses, objective, bound, status = select_half_days(
        inp,
        patterns,
        time_limit=time_limit - (time.perf_counter() - started),
        workers=workers,
        deterministic=deterministic,
        travel=travel,
    )
    if status not in ("OPTIMAL", "FEASIBLE"):
        return Plan((), 0.0, bound, 1.0, status, time.perf_counter() - started)
    chosen = [patterns[idx] for idx in sorted(uses, key=lambda i: patterns[i].stops) for _ in range(uses[idx])]
    done, left = schedule_half_days(inp, chosen)
    half_days = tuple(
        HalfDayPlan(day=d, half=h, stops=p.stops, km=p.km, minutes=p.minutes)
        for p, d, h in sorted(done, key=lambda item: (item[1], item[2]))
    )
    if left:
        visits: dict[str, int] = {}
        for hd in half_days:
            for stop in hd.stops:
                visits[stop] = visits.get(stop, 0) + 1
        objective = tour_value(inp, visits, sum(hd.km for hd in half_days), travel)
        status = "FEASIBLE"
    gap = 0.0 if status == "OPTIMAL" else _gap(objective, bound)
    return Plan(
        half_days=half_days,
        objective=objective,
        bound=bound,
        gap=gap,
        status=status,
        seconds=time.perf_counter() - started,
        unscheduled=tuple(p.stops for p in left),
    )


def _gap(objective: float, bound: float) -> float:
    """Relative optimality gap (bound − objective) / |bound|, clipped to [0, 1]."""
    if bound <= 0 or not math.isfinite(bound):
        return 0.0 if abs(bound - objective) < 1e-9 else 1.0
    return min(1.0, max(0.0, (bound - objective) / abs(bound)))
