"""A plain OR-Tools routing model of the dial-a-ride problem (the reference to beat).

Pick-up and delivery pairs (same vehicle, precedence), a load dimension, a count dimension
(``max_requests``), a time dimension whose cumul is the start of service (transit = service +
travel time, slack = waiting), vehicle windows on the start/end cumuls, the maximum duration
as a span bound, and the maximum ride time — not native to OR-Tools — as a constraint
``cumul(drop-off) - cumul(pick-up) <= max_ride + pick-up service`` added to the CP solver.

Times are scaled by 1000 to integers; travel times are rounded **up** (an integer-feasible
schedule stays feasible with the real times), window upper bounds and ride limits rounded down.
Every request is optional with a large drop penalty (otherwise the first-solution heuristics
fail outright). Search: ``LOCAL_CHEAPEST_INSERTION`` then ``GUIDED_LOCAL_SEARCH``.

The returned timetable is rebuilt from the cumuls with the real travel times.
"""

from __future__ import annotations

import math
import time

from ortools.constraint_solver import pywrapcp, routing_enums_pb2

from carte_blanche.mobility.dispatch.model import Problem, Route, Solution, Stop, StopKind, Unserved

SCALE = 1000
DROP_PENALTY = 10**4 * SCALE


def solve_routing(problem: Problem, *, time_limit: float = 10.0, metaheuristic: bool = True) -> Solution:
    """Solve with the plain OR-Tools routing model; unserved requests are reported ``FLEET_FULL``."""
    t0 = time.perf_counter()
    reqs, vehs = list(problem.requests), list(problem.vehicles)
    n, m = len(reqs), len(vehs)
    tt, dm = problem.travel_time, problem.distance
    # nodes: 0..m-1 vehicle starts, m..2m-1 vehicle ends, 2m + 2r pick-up, 2m + 2r + 1 drop-off
    loc = [v.start for v in vehs] + [v.end for v in vehs]
    service = [0.0] * (2 * m)
    load = [0] * (2 * m)
    for req in reqs:
        loc += [req.pickup, req.dropoff]
        service += [req.pickup_service, req.dropoff_service]
        load += [req.load, -req.load]
    size = len(loc)
    manager = pywrapcp.RoutingIndexManager(size, m, list(range(m)), list(range(m, 2 * m)))
    routing = pywrapcp.RoutingModel(manager)

    tmat = [[math.ceil(tt[loc[a]][loc[b]] * SCALE - 1e-6) for b in range(size)] for a in range(size)]
    transit = [[math.ceil(service[a] * SCALE - 1e-6) + tmat[a][b] for b in range(size)] for a in range(size)]
    cmat = [[round(dm[loc[a]][loc[b]] * SCALE) for b in range(size)] for a in range(size)]

    def cost_cb(i: int, j: int) -> int:
        return cmat[manager.IndexToNode(i)][manager.IndexToNode(j)]

    def time_cb(i: int, j: int) -> int:
        return transit[manager.IndexToNode(i)][manager.IndexToNode(j)]

    def load_cb(i: int) -> int:
        return load[manager.IndexToNode(i)]

    def count_cb(i: int) -> int:
        node = manager.IndexToNode(i)
        return 1 if node >= 2 * m and (node - 2 * m) % 2 == 0 else 0

    cost_idx = routing.RegisterTransitCallback(cost_cb)
    routing.SetArcCostEvaluatorOfAllVehicles(cost_idx)
    horizon = int(max(v.window[1] for v in vehs) * SCALE) + 1 if vehs else 1
    time_idx = routing.RegisterTransitCallback(time_cb)
    routing.AddDimension(time_idx, horizon, horizon, False, "time")
    tdim = routing.GetDimensionOrDie("time")
    load_idx = routing.RegisterUnaryTransitCallback(load_cb)
    routing.AddDimensionWithVehicleCapacity(load_idx, 0, [v.capacity for v in vehs], True, "load")
    count_idx = routing.RegisterUnaryTransitCallback(count_cb)
    routing.AddDimensionWithVehicleCapacity(
        count_idx, 0, [v.max_requests if v.max_requests is not None else n for v in vehs], True, "count"
    )
    solver = routing.solver()
    vindex = {v.id: k for k, v in enumerate(vehs)}

    def lo(x: float) -> int:
        return max(0, math.ceil(x * SCALE - 1e-6))

    def hi(x: float) -> int:
        return max(0, math.floor(x * SCALE + 1e-6))

    for k, v in enumerate(vehs):
        for idx in (routing.Start(k), routing.End(k)):
            tdim.CumulVar(idx).SetRange(lo(v.window[0]), min(hi(v.window[1]), horizon))
        tdim.SetSpanUpperBoundForVehicle(hi(v.max_duration), k)
    for r, req in enumerate(reqs):
        pi = manager.NodeToIndex(2 * m + 2 * r)
        di = manager.NodeToIndex(2 * m + 2 * r + 1)
        routing.AddPickupAndDelivery(pi, di)
        solver.Add(routing.VehicleVar(pi) == routing.VehicleVar(di))
        solver.Add(tdim.CumulVar(pi) <= tdim.CumulVar(di))
        tdim.CumulVar(pi).SetRange(min(lo(req.pickup_window[0]), horizon), min(hi(req.pickup_window[1]), horizon))
        tdim.CumulVar(di).SetRange(min(lo(req.dropoff_window[0]), horizon), min(hi(req.dropoff_window[1]), horizon))
        solver.Add(tdim.CumulVar(di) - tdim.CumulVar(pi) <= hi(req.max_ride + req.pickup_service))
        if req.allowed_vehicles is not None:
            allowed = [vindex[v] for v in req.allowed_vehicles if v in vindex]
            routing.SetAllowedVehiclesForIndex(allowed, pi)
            routing.SetAllowedVehiclesForIndex(allowed, di)
        routing.AddDisjunction([pi], DROP_PENALTY)
        routing.AddDisjunction([di], DROP_PENALTY)
    for idx in range(routing.Size()):
        routing.AddVariableMinimizedByFinalizer(tdim.CumulVar(idx))
    for k in range(m):
        routing.AddVariableMinimizedByFinalizer(tdim.CumulVar(routing.Start(k)))
        routing.AddVariableMinimizedByFinalizer(tdim.CumulVar(routing.End(k)))

    params = pywrapcp.DefaultRoutingSearchParameters()
    params.first_solution_strategy = routing_enums_pb2.FirstSolutionStrategy.LOCAL_CHEAPEST_INSERTION
    if metaheuristic:
        params.local_search_metaheuristic = routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
    remaining = max(0.05, time_limit - (time.perf_counter() - t0))
    params.time_limit.FromMilliseconds(int(remaining * 1000))
    assignment = routing.SolveWithParameters(params)

    routes: list[Route] = []
    served: set[int] = set()
    total = 0.0
    if assignment is not None:
        for k, v in enumerate(vehs):
            idx = routing.Start(k)
            start_t = assignment.Value(tdim.CumulVar(idx)) / SCALE
            prev_loc, prev_dep = v.start, start_t
            stops: list[Stop] = []
            dist = 0.0
            idx = assignment.Value(routing.NextVar(idx))
            while not routing.IsEnd(idx):
                node = manager.IndexToNode(idx)
                r, is_drop = divmod(node - 2 * m, 2)
                req = reqs[r]
                here = req.dropoff if is_drop else req.pickup
                arrival = prev_dep + tt[prev_loc][here]
                start = max(assignment.Value(tdim.CumulVar(idx)) / SCALE, arrival)
                svc = req.dropoff_service if is_drop else req.pickup_service
                stops.append(
                    Stop(
                        request_id=req.id,
                        kind=StopKind.DROPOFF if is_drop else StopKind.PICKUP,
                        location=here,
                        arrival=arrival,
                        service_start=start,
                        departure=start + svc,
                    )
                )
                dist += dm[prev_loc][here]
                served.add(r)
                prev_loc, prev_dep = here, start + svc
                idx = assignment.Value(routing.NextVar(idx))
            if not stops:
                continue
            dist += dm[prev_loc][v.end]
            end_t = max(assignment.Value(tdim.CumulVar(idx)) / SCALE, prev_dep + tt[prev_loc][v.end])
            routes.append(Route(vehicle_id=v.id, departure=start_t, stops=tuple(stops), arrival=end_t, distance=dist))
            total += dist
    unserved = {req.id: Unserved.FLEET_FULL for r, req in enumerate(reqs) if r not in served}
    status = "ortools" if assignment is not None else "ortools: no solution"
    return Solution(
        routes=tuple(routes), unserved=unserved, distance=total, seconds=time.perf_counter() - t0, status=status
    )
