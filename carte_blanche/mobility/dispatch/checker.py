"""Independent checker of dial-a-ride solutions.

It imports nothing from the solver: only the data model. ``check(problem, solution)`` returns a
list of human-readable violations (empty when the solution is valid):

* coverage: each served request once, pick-up before drop-off on the same route, at the
  request's locations; unserved requests listed (with a reason) and not routed;
* allowed vehicles, ``max_requests``, capacity (running load);
* an exact existence test of a feasible timetable for each route's order of stops: a simple
  temporal network over the service-start times (travel + service, time windows, maximum ride
  time measured from the end of the pick-up service to the start of the drop-off service,
  vehicle window and maximum duration), solved with Bellman–Ford;
* a replay of the returned timetable itself (windows, travel times, ride times, duration,
  arrival/departure consistency), with a tolerance of 1e-6 minute;
* the distances: each route's and the solution's, recomputed from the matrix.
"""

from __future__ import annotations

from carte_blanche.mobility.dispatch.model import Problem, Solution, StopKind, Unserved

TOL = 1e-6


def _stn_feasible(n_vars: int, edges: list[tuple[int, int, float]]) -> bool:
    """Bellman–Ford on the distance graph of ``x_j - x_i <= w`` (edges ``(i, j, w)``).

    A virtual source at distance 0 of every variable; the system is feasible iff there is no
    negative cycle (up to the tolerance).
    """
    dist = [0.0] * n_vars
    for _ in range(n_vars + 1):
        changed = False
        for i, j, w in edges:
            cand = dist[i] + w
            if cand < dist[j] - 1e-9:
                dist[j] = cand
                changed = True
        if not changed:
            return True
    return False


def check(problem: Problem, solution: Solution) -> list[str]:  # noqa: C901 - one linear list of checks
    """Every violation of ``solution`` against ``problem``, as sentences (empty list: valid)."""
    errors: list[str] = []
    tt, dm = problem.travel_time, problem.distance
    requests = {r.id: r for r in problem.requests}
    vehicles = {v.id: v for v in problem.vehicles}
    seen_vehicles: set[str] = set()
    where: dict[str, str] = {}
    total = 0.0

    for rid, reason in solution.unserved.items():
        if rid not in requests:
            errors.append(f"unserved list names unknown request {rid!r}")
        if not isinstance(reason, Unserved):
            errors.append(f"unserved request {rid!r} has no valid reason ({reason!r})")

    for route in solution.routes:
        vid = route.vehicle_id
        veh = vehicles.get(vid)
        if veh is None:
            errors.append(f"route on unknown vehicle {vid!r}")
            continue
        if vid in seen_vehicles:
            errors.append(f"vehicle {vid!r} has more than one route")
        seen_vehicles.add(vid)
        stops = route.stops
        # --- coverage, order, locations, allowed vehicles, load, count
        picked: dict[str, int] = {}
        dropped: dict[str, int] = {}
        load = 0
        ok_structure = True
        for k, stop in enumerate(stops):
            req = requests.get(stop.request_id)
            if req is None:
                errors.append(f"vehicle {vid}: stop {k} for unknown request {stop.request_id!r}")
                ok_structure = False
                continue
            if stop.kind is StopKind.PICKUP:
                if stop.request_id in picked:
                    errors.append(f"request {req.id}: picked up twice on vehicle {vid}")
                    ok_structure = False
                picked[req.id] = k
                if stop.location != req.pickup:
                    errors.append(f"request {req.id}: pick-up at location {stop.location}, expected {req.pickup}")
                load += req.load
            else:
                if stop.request_id in dropped:
                    errors.append(f"request {req.id}: dropped off twice on vehicle {vid}")
                    ok_structure = False
                if req.id not in picked:
                    errors.append(f"request {req.id}: drop-off before pick-up (or without it) on vehicle {vid}")
                    ok_structure = False
                dropped[req.id] = k
                if stop.location != req.dropoff:
                    errors.append(f"request {req.id}: drop-off at location {stop.location}, expected {req.dropoff}")
                load -= req.load
            if load > veh.capacity:
                errors.append(f"vehicle {vid}: load {load} > capacity {veh.capacity} after stop {k}")
            if load < 0:
                errors.append(f"vehicle {vid}: negative load after stop {k}")
        for rid in picked:
            if rid not in dropped:
                errors.append(f"request {rid}: picked up but never dropped off on vehicle {vid}")
                ok_structure = False
        for rid in picked:
            if rid in where:
                errors.append(f"request {rid}: served by both {where[rid]} and {vid}")
            where[rid] = vid
            req = requests[rid]
            if req.allowed_vehicles is not None and vid not in req.allowed_vehicles:
                errors.append(f"request {rid}: vehicle {vid} not allowed")
        if veh.max_requests is not None and len(picked) > veh.max_requests:
            errors.append(f"vehicle {vid}: {len(picked)} requests > max_requests {veh.max_requests}")

        # --- distance
        locs = [veh.start] + [s.location for s in stops] + [veh.end]
        dist = sum(dm[locs[i]][locs[i + 1]] for i in range(len(locs) - 1))
        if abs(dist - route.distance) > TOL * max(1.0, dist):
            errors.append(f"vehicle {vid}: route distance {route.distance} but recomputed {dist}")
        total += dist

        if not ok_structure:
            continue

        # --- exact existence test: STN + Bellman-Ford. Variables: 0 = departure, 1..K = stops,
        # K+1 = return, K+2 = origin (time zero).
        kk = len(stops)
        origin = kk + 2
        edges: list[tuple[int, int, float]] = []
        w0, w1 = veh.window
        windows = [(w0, w1)]
        services = [0.0]
        for stop in stops:
            req = requests[stop.request_id]
            if stop.kind is StopKind.PICKUP:
                windows.append(req.pickup_window)
                services.append(req.pickup_service)
            else:
                windows.append(req.dropoff_window)
                services.append(req.dropoff_service)
        windows.append((w0, w1))
        services.append(0.0)
        for v, (e, lat) in enumerate(windows):
            edges.append((origin, v, lat))  # x_v <= lat
            edges.append((v, origin, -e))  # x_v >= e
        for v in range(kk + 1):
            edges.append((v + 1, v, -(services[v] + tt[locs[v]][locs[v + 1]])))
        for rid, kp in picked.items():
            kd = dropped[rid]
            req = requests[rid]
            edges.append((kp + 1, kd + 1, req.pickup_service + req.max_ride))
        edges.append((0, kk + 1, veh.max_duration))
        if not _stn_feasible(kk + 3, edges):
            errors.append(f"vehicle {vid}: no feasible timetable exists for this order of stops")

        # --- replay of the returned timetable
        if route.departure < w0 - TOL or route.departure > w1 + TOL:
            errors.append(f"vehicle {vid}: departure {route.departure} outside window {veh.window}")
        prev_dep = route.departure
        for k, stop in enumerate(stops):
            e, lat = windows[k + 1]
            need = prev_dep + tt[locs[k]][locs[k + 1]]
            if stop.arrival < need - TOL:
                errors.append(f"vehicle {vid}: stop {k} arrival {stop.arrival} before {need} (travel time)")
            if stop.service_start < stop.arrival - TOL:
                errors.append(f"vehicle {vid}: stop {k} service starts before arrival")
            if stop.service_start < e - TOL or stop.service_start > lat + TOL:
                errors.append(
                    f"request {stop.request_id}: {stop.kind} service at {stop.service_start} "
                    f"outside window [{e}, {lat}]"
                )
            if abs(stop.departure - (stop.service_start + services[k + 1])) > TOL:
                errors.append(f"vehicle {vid}: stop {k} departure != service start + service time")
            prev_dep = stop.departure
        need = prev_dep + tt[locs[-2]][locs[-1]]
        if route.arrival < need - TOL:
            errors.append(f"vehicle {vid}: return {route.arrival} before {need} (travel time)")
        if route.arrival < w0 - TOL or route.arrival > w1 + TOL:
            errors.append(f"vehicle {vid}: return {route.arrival} outside window {veh.window}")
        if route.arrival - route.departure > veh.max_duration + TOL:
            errors.append(f"vehicle {vid}: duration {route.arrival - route.departure} > {veh.max_duration}")
        for rid, kp in picked.items():
            req = requests[rid]
            ride = stops[dropped[rid]].service_start - stops[kp].departure
            if ride > req.max_ride + TOL:
                errors.append(f"request {rid}: ride time {ride:.4f} > max {req.max_ride}")

    for rid in requests:
        if rid in where and rid in solution.unserved:
            errors.append(f"request {rid}: both routed and listed unserved")
        if rid not in where and rid not in solution.unserved:
            errors.append(f"request {rid}: neither served nor listed unserved")
    if abs(total - solution.distance) > TOL * max(1.0, total):
        errors.append(f"solution distance {solution.distance} but routes sum to {total}")
    return errors
