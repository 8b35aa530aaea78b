"""The dial-a-ride solver: adaptive large-neighbourhood search with an exact schedule test.

Objective, lexicographic: (1) serve as many requests as possible, (2) keep confirmed requests
on their vehicle, (3) minimise total distance. It is encoded as one number:
``distance + MOVED * moved + UNSERVED * unserved`` with ``MOVED`` above any possible distance
and ``UNSERVED`` above any possible ``MOVED`` total.

Search (see ``docs/dispatch.md``):

* every candidate route is validated by the exact schedule test of ``schedule.earliest`` (ride
  time included, waiting allowed); insertion positions are pruned first by capacity, by an
  earliest-arrival forward pass and by the latest service times of the current route;
* destroy: random, worst (distance saved), related (Shaw) and route removal;
  repair: greedy and regret-2/3 insertion with noise; adaptive operator weights;
  acceptance by simulated annealing on a wall-clock temperature schedule;
* OR-Tools: a short routing run (``baseline.solve_routing``) gives a second starting solution;
  the better of it and the regret construction starts the search.
"""

from __future__ import annotations

import gc
import math
import random
import time
from itertools import accumulate

from carte_blanche.mobility.dispatch.model import Problem, Route, Solution, Stop, StopKind, Unserved
from carte_blanche.mobility.dispatch.schedule import EPS, Data, earliest, latest

__all__ = ["solve", "unservable_alone"]

QMAX_CAP = 20  # most requests removed per destroy
QMAX_SHARE = 0.25  # ... and at most this share of the served requests
TEMP_START = 0.03  # SA: a solution this much worse (relative) is accepted with probability 1/2 at the start
TEMP_RATIO = 200.0  # SA: start temperature / final temperature
USE_RELOCATE = True  # best-improvement relocation of single requests on each new best solution
CACHE_ROUTES = 150_000  # cache sizes: freeing them at the end costs time inside the limit
CACHE_INSERTIONS = 200_000
END_MARGIN = 0.025  # share of the time limit kept for building the answer and freeing memory


# --------------------------------------------------------------------------- route cache


class _Routes:
    """Route evaluation with a cache keyed by ``(vehicle, tuple(seq))``.

    An entry is ``None`` (infeasible) or ``(path, early, loads, distance)``; the latest service
    times are computed lazily (``late``), only for routes that receive insertions.
    """

    def __init__(self, data: Data) -> None:
        self.data = data
        self.cache: dict[tuple[int, tuple[int, ...]], tuple | None] = {}
        self.late_cache: dict[tuple[int, tuple[int, ...]], list[float]] = {}

    def late(self, k: int, seq: tuple[int, ...], info: tuple) -> list[float]:
        key = (k, seq)
        hit = self.late_cache.get(key)
        if hit is None:
            if len(self.late_cache) > CACHE_ROUTES // 4:
                self.late_cache.clear()
            hit = self.late_cache[key] = latest(self.data, k, info[0], info[1])
        return hit

    def info(self, k: int, seq: tuple[int, ...]) -> tuple | None:
        key = (k, seq)
        hit = self.cache.get(key, 0)
        if hit != 0:
            return hit
        data = self.data
        Q, cap = data.Q, data.cap[k]
        load = 0
        loads = [0]
        for x in seq:
            load += Q[x]
            if load > cap:
                self._store(key, None)
                return None
            loads.append(load)
        early = earliest(data, k, seq)
        if early is None:
            self._store(key, None)
            return None
        path = [data.start(k), *seq, data.end(k)]
        D = data.D
        dist = 0.0
        for a, b in zip(path, path[1:], strict=False):
            dist += D[a][b]
        res = (path, early, loads, dist)
        self._store(key, res)
        return res

    def make(self, k: int, seq: tuple[int, ...], dist: float) -> tuple | None:
        """Like ``info`` for a sequence whose capacity and distance are already known."""
        key = (k, seq)
        hit = self.cache.get(key, 0)
        if hit != 0:
            return hit
        data = self.data
        early = earliest(data, k, seq)
        if early is None:
            res = None
        else:
            Q = data.Q
            res = ([data.start(k), *seq, data.end(k)], early, [0, *accumulate(Q[x] for x in seq)], dist)
        self._store(key, res)
        return res

    def _store(self, key: tuple[int, tuple[int, ...]], value: tuple | None) -> None:
        if len(self.cache) > CACHE_ROUTES:
            self.cache.clear()
        self.cache[key] = value


def _best_insertion(
    data: Data, routes: _Routes, r: int, k: int, seq: tuple[int, ...], info: tuple
) -> tuple[float, tuple[int, ...], tuple] | None:
    """Cheapest feasible insertion of request ``r`` into route ``k`` (distance delta, new seq, info)."""
    n = data.n
    p, d = r, n + r
    path, B, loads, dist0 = info
    G = routes.late(k, seq, info)
    q = data.Q[p]
    cap = data.cap[k]
    E, L, ST, Dm = data.E, data.L, data.ST, data.D
    Ep, Lp, Ed, Ld, W = E[p], L[p], E[d], L[d], data.W[r]
    STp, STd, Dp, Dd = ST[p], ST[d], Dm[p], Dm[d]
    direct = STp[d]
    nK = len(path)
    cands: list[tuple[float, int, int]] = []
    for i in range(nK - 1):
        if loads[i] + q > cap:
            continue
        a = path[i]
        a2 = path[i + 1]
        bp = B[i] + ST[a][p]
        if bp > Lp + EPS:
            break
        if bp < Ep:
            bp = Ep
        Da = Dm[a]
        # d right after p
        if direct <= W + EPS:
            bd = bp + direct
            if bd < Ed:
                bd = Ed
            if bd <= Ld + EPS and bd + STd[a2] <= G[i + 1] + EPS:
                cands.append((Da[p] + Dp[d] + Dd[a2] - Da[a2], i, i))
        # p between a and a2, d later
        chain = STp[a2]
        cur = bp + chain
        if cur < B[i + 1]:
            cur = B[i + 1]
        if cur > G[i + 1] + EPS:
            continue
        cost_p = Da[p] + Dp[a2] - Da[a2]
        for j in range(i + 1, nK - 1):
            if loads[j] + q > cap:
                break
            x = path[j]
            STx = ST[x]
            cd = chain + STx[d]
            if cd > W + EPS:
                break
            bd = cur + STx[d]
            if bd > Ld + EPS:
                break
            if bd < Ed:
                bd = Ed
            y = path[j + 1]
            if bd + STd[y] <= G[j + 1] + EPS:
                Dx = Dm[x]
                cands.append((cost_p + Dx[d] + Dd[y] - Dx[y], i, j))
            step = STx[y]
            cur += step
            if cur < B[j + 1]:
                cur = B[j + 1]
            if cur > G[j + 1] + EPS:
                break
            chain += step
    if not cands:
        return None
    cands.sort()
    make = routes.make
    for delta, i, j in cands:
        new = (*seq[:i], p, *seq[i:j], d, *seq[j:])
        res = make(k, new, dist0 + delta)
        if res is not None:
            return delta, new, res
    return None


# --------------------------------------------------------------------------- pre-check


def _alone(data: Data, routes: _Routes) -> tuple[list[list[int]], dict[int, Unserved]]:
    """Vehicles that can carry each request alone, and the reason for those none can."""
    n = data.n
    allowed: list[list[int]] = []
    reasons: dict[int, Unserved] = {}
    for r in range(n):
        ks = [k for k in data.allowed0[r] if data.maxreq[k] > 0]
        if not ks:
            allowed.append([])
            reasons[r] = Unserved.NO_VEHICLE
            continue
        ks2 = [k for k in ks if data.cap[k] >= data.Q[r]]
        if not ks2:
            allowed.append([])
            reasons[r] = Unserved.CAPACITY
            continue
        ok = [k for k in ks2 if routes.info(k, (r, n + r)) is not None]
        if not ok:
            reasons[r] = Unserved.WINDOW_TOO_TIGHT
        allowed.append(ok)
    return allowed, reasons


def unservable_alone(problem: Problem) -> dict[str, Unserved]:
    """Requests that no allowed vehicle can serve even alone, with the reason (pre-check)."""
    data = Data(problem)
    _, reasons = _alone(data, _Routes(data))
    return {data.req_ids[r]: why for r, why in reasons.items()}


# --------------------------------------------------------------------------- search state


class _Search:
    """ALNS over route sequences (tuples of node indices, depots excluded)."""

    def __init__(self, data: Data, rng: random.Random) -> None:
        self.data = data
        self.rng = rng
        self.routes = _Routes(data)
        self.allowed, self.reasons = _alone(data, self.routes)
        n, m = data.n, data.m
        self.servable = [r for r in range(n) if self.allowed[r]]
        dub = (2 * n + 2 * m + 1) * data.maxd + 1.0
        self.MOVED = dub
        self.UNSERVED = (n + 2) * dub
        self.noise_amp = 0.025 * data.maxd
        self.ins_cache: dict[tuple[int, int, tuple[int, ...]], tuple | None] = {}

    # ---- helpers
    def penalty(self, r: int, k: int) -> float:
        a = self.data.assigned[r]
        return self.MOVED if (a >= 0 and a != k) else 0.0

    def cost(self, seqs: list[tuple[int, ...]], bank: set[int]) -> float:
        total = 0.0
        for k, seq in enumerate(seqs):
            if seq:
                total += self.routes.info(k, seq)[3]
                for x in seq:
                    if x < self.data.n:
                        total += self.penalty(x, k)
        return total + self.UNSERVED * len(bank)

    def insertion(self, r: int, k: int, seq: tuple[int, ...]) -> tuple | None:
        key = (r, k, seq)
        hit = self.ins_cache.get(key, 0)
        if hit != 0:
            return hit
        data = self.data
        if len(seq) // 2 >= data.maxreq[k]:
            res = None
        else:
            info = self.routes.info(k, seq)
            res = _best_insertion(data, self.routes, r, k, seq, info)
        if len(self.ins_cache) > CACHE_INSERTIONS:
            self.ins_cache.clear()
        self.ins_cache[key] = res
        return res

    # ---- repair
    def repair(self, seqs: list[tuple[int, ...]], bank: set[int], regret: int, noise: bool) -> None:
        """Insert bank requests (greedy if ``regret`` is 1, else regret-``regret``), in place."""
        rng = self.rng
        pending = sorted(bank)
        amp = self.noise_amp if noise else 0.0
        # options[r] = list of (score, k, delta, newseq)
        opts: dict[int, dict[int, tuple[float, tuple]]] = {}
        for r in pending:
            o: dict[int, tuple[float, tuple]] = {}
            for k in self.allowed[r]:
                res = self.insertion(r, k, seqs[k])
                if res is not None:
                    sc = res[0] + self.penalty(r, k)
                    if amp:
                        sc += amp * (2.0 * rng.random() - 1.0)
                    o[k] = (sc, res)
            opts[r] = o
        while pending:
            best_r, best_key, best_k = -1, None, -1
            for r in pending:
                o = opts[r]
                if not o:
                    continue
                items = sorted((v[0], k) for k, v in o.items())
                if regret <= 1:
                    key = (0.0, -items[0][0])
                else:
                    reg = 0.0
                    for h in range(1, regret):
                        reg += (items[h][0] if h < len(items) else self.UNSERVED) - items[0][0]
                    key = (reg, -items[0][0])
                if best_key is None or key > best_key:
                    best_key, best_r, best_k = key, r, items[0][1]
            if best_r < 0:
                break
            r, k = best_r, best_k
            res = opts[r][k][1]
            seqs[k] = res[1]
            bank.discard(r)
            pending.remove(r)
            del opts[r]
            for r2 in pending:
                if k in self.allowed[r2] or k in opts[r2]:
                    o = opts[r2]
                    o.pop(k, None)
                    if k in self.allowed[r2]:
                        res2 = self.insertion(r2, k, seqs[k])
                        if res2 is not None:
                            sc = res2[0] + self.penalty(r2, k)
                            if amp:
                                sc += amp * (2.0 * rng.random() - 1.0)
                            o[k] = (sc, res2)

    # ---- destroy
    def served_list(self, seqs: list[tuple[int, ...]]) -> list[tuple[int, int]]:
        n = self.data.n
        return [(x, k) for k, seq in enumerate(seqs) for x in seq if x < n]

    def remove(self, seqs: list[tuple[int, ...]], bank: set[int], chosen: set[int]) -> None:
        n = self.data.n
        for k, seq in enumerate(seqs):
            if any((x % n) in chosen for x in seq if x < 2 * n):
                new = tuple(x for x in seq if (x if x < n else x - n) not in chosen)
                if new and self.routes.info(k, new) is None:  # only without triangle inequality
                    chosen.update(x for x in new if x < n)
                    new = ()
                seqs[k] = new
        bank.update(chosen)

    def relocate(self, seqs: list[tuple[int, ...]], deadline: float) -> int:
        """Best-improvement relocation of single requests until none improves (in place).

        Returns the number of moves applied.
        """
        routes, n = self.routes, self.data.n
        moves = 0
        improved = True
        while improved and time.perf_counter() < deadline:
            improved = False
            order = [(r, k) for k, seq in enumerate(seqs) for r in seq if r < n]
            self.rng.shuffle(order)
            for r, k in order:
                if r not in seqs[k]:
                    continue
                old = seqs[k]
                without = tuple(x for x in old if x != r and x != r + n)
                info_old = routes.info(k, old)
                info_wo = routes.info(k, without) if without else None
                if without and info_wo is None:
                    continue
                gain = info_old[3] - (info_wo[3] if without else 0.0) + self.penalty(r, k)
                best = None
                for k2 in self.allowed[r]:
                    base = without if k2 == k else seqs[k2]
                    res = self.insertion(r, k2, base)
                    if res is not None:
                        delta = res[0] + self.penalty(r, k2)
                        if delta < gain - 1e-7 and (best is None or delta < best[0]):
                            best = (delta, k2, res[1])
                if best is not None:
                    _, k2, new = best
                    if k2 == k:
                        seqs[k] = new
                    else:
                        seqs[k] = without
                        seqs[k2] = new
                    moves += 1
                    improved = True
                if time.perf_counter() >= deadline:
                    break
        return moves

    def d_random(self, seqs: list[tuple[int, ...]], q: int) -> set[int]:
        served = [r for r, _ in self.served_list(seqs)]
        return set(self.rng.sample(served, min(q, len(served))))

    def d_worst(self, seqs: list[tuple[int, ...]], q: int) -> set[int]:
        data = self.data
        n, Dm = data.n, data.D
        gains: list[tuple[float, int]] = []
        for k, seq in enumerate(seqs):
            if not seq:
                continue
            path = [data.start(k), *seq, data.end(k)]
            pos = {x: i for i, x in enumerate(path)}
            for x in seq:
                if x >= n:
                    continue
                i, j = pos[x], pos[x + n]
                if j == i + 1:
                    a, b = path[i - 1], path[j + 1]
                    g = Dm[a][x] + Dm[x][x + n] + Dm[x + n][b] - Dm[a][b]
                else:
                    a, b = path[i - 1], path[i + 1]
                    c, e = path[j - 1], path[j + 1]
                    g = Dm[a][x] + Dm[x][b] - Dm[a][b] + Dm[c][x + n] + Dm[x + n][e] - Dm[c][e]
                gains.append((-g, x))
        gains.sort()
        chosen: set[int] = set()
        rng = self.rng
        while gains and len(chosen) < q:
            idx = int(len(gains) * rng.random() ** 3)
            chosen.add(gains.pop(idx)[1])
        return chosen

    def d_related(self, seqs: list[tuple[int, ...]], q: int) -> set[int]:
        data = self.data
        n, Dm = data.n, data.D
        times: dict[int, float] = {}
        for k, seq in enumerate(seqs):
            if seq:
                info = self.routes.info(k, seq)
                for x, b in zip(info[0], info[1], strict=True):
                    if x < 2 * n:
                        times[x] = b
        served = [r for r, _ in self.served_list(seqs)]
        if not served:
            return set()
        rng = self.rng
        chosen = {rng.choice(served)}
        horizon = max(times.values()) - min(times.values()) + 1.0
        dscale = data.maxd
        while len(chosen) < min(q, len(served)):
            ref = rng.choice(sorted(chosen))
            rest = []
            for r in served:
                if r in chosen:
                    continue
                rel = (Dm[ref][r] + Dm[ref + n][r + n]) / dscale + (
                    abs(times[ref] - times[r]) + abs(times[ref + n] - times[r + n])
                ) / horizon
                rest.append((rel, r))
            rest.sort()
            idx = int(len(rest) * rng.random() ** 6)
            chosen.add(rest[idx][1])
        return chosen

    def d_route(self, seqs: list[tuple[int, ...]], q: int) -> set[int]:
        n = self.data.n
        nonempty = [k for k, s in enumerate(seqs) if s]
        if not nonempty:
            return set()
        k = self.rng.choice(nonempty)
        return {x for x in seqs[k] if x < n}


# --------------------------------------------------------------------------- driver


def _to_solution(
    data: Data, routes: _Routes, seqs: list[tuple[int, ...]], unserved: dict[str, Unserved], seconds: float, status: str
) -> Solution:
    n = data.n
    S, T = data.S, data.T
    out: list[Route] = []
    total = 0.0
    for k, seq in enumerate(seqs):
        if not seq:
            continue
        path, B, _, _ = routes.info(k, seq)
        dist = sum(data.D[a][b] for a, b in zip(path, path[1:], strict=False))
        stops = []
        for idx in range(1, len(path) - 1):
            x, prev = path[idx], path[idx - 1]
            arrival = B[idx - 1] + S[prev] + T[prev][x]
            r = x if x < n else x - n
            req = data.problem.requests[r]
            stops.append(
                Stop(
                    request_id=req.id,
                    kind=StopKind.PICKUP if x < n else StopKind.DROPOFF,
                    location=data.loc[x],
                    arrival=arrival,
                    service_start=B[idx],
                    departure=B[idx] + S[x],
                )
            )
        out.append(Route(vehicle_id=data.veh_ids[k], departure=B[0], stops=tuple(stops), arrival=B[-1], distance=dist))
        total += dist
    return Solution(routes=tuple(out), unserved=unserved, distance=total, seconds=seconds, status=status)


def _seqs_from_solution(data: Data, sol: Solution) -> list[tuple[int, ...]]:
    rindex = {rid: r for r, rid in enumerate(data.req_ids)}
    seqs: list[tuple[int, ...]] = [()] * data.m
    for route in sol.routes:
        k = data.vindex[route.vehicle_id]
        seqs[k] = tuple(rindex[s.request_id] + (0 if s.kind is StopKind.PICKUP else data.n) for s in route.stops)
    return seqs


def solve(
    problem: Problem,
    *,
    time_limit: float = 10.0,
    seed: int = 0,
    iterations: int | None = None,
    ortools_share: float = 0.1,
) -> Solution:
    """Solve ``problem`` within ``time_limit`` seconds of wall clock (OR-Tools time included).

    ``iterations`` (optional) caps the ALNS iterations: with it the result depends only on the
    seed when the time limit is not reached. ``ortools_share`` is the share of the time given to
    the OR-Tools starting solution (0 disables it).
    """
    gc_was_enabled = gc.isenabled()
    gc.disable()  # the caches hold millions of small tuples: cyclic GC passes would dominate
    try:
        return _solve(problem, time_limit, seed, iterations, ortools_share)
    finally:
        if gc_was_enabled:
            gc.enable()


def _solve(problem: Problem, time_limit: float, seed: int, iterations: int | None, ortools_share: float) -> Solution:
    t0 = time.perf_counter()
    deadline = t0 + time_limit * (1.0 - END_MARGIN) - 0.02
    rng = random.Random(seed)
    data = Data(problem)
    search = _Search(data, rng)
    n, m = data.n, data.m
    routes = search.routes

    # construction: regret-2 from empty
    seqs: list[tuple[int, ...]] = [()] * m
    bank = set(search.servable)
    search.repair(seqs, bank, regret=2, noise=False)
    cur_cost = search.cost(seqs, bank)
    status = "alns"

    # OR-Tools start
    if ortools_share > 0 and n > 0 and iterations is None:
        budget = min(ortools_share * time_limit, max(0.0, deadline - time.perf_counter() - 0.05))
        if budget >= 0.2:
            from carte_blanche.mobility.dispatch.baseline import solve_routing

            try:
                sol = solve_routing(problem, time_limit=budget, metaheuristic=False)
                seqs2 = _seqs_from_solution(data, sol)
                ok = all(
                    not s
                    or (
                        len(s) // 2 <= data.maxreq[k]
                        and all(k in search.allowed[x] for x in s if x < n)
                        and routes.info(k, s) is not None
                    )
                    for k, s in enumerate(seqs2)
                )
                if ok:
                    served2 = {x for s in seqs2 for x in s if x < n}
                    bank2 = set(search.servable) - served2
                    if served2 <= set(search.servable):
                        search.repair(seqs2, bank2, regret=2, noise=False)
                        c2 = search.cost(seqs2, bank2)
                        if c2 < cur_cost - 1e-9:
                            seqs, bank, cur_cost = seqs2, bank2, c2
                            status = "alns+ortools-start"
            except Exception:  # noqa: BLE001 - the seed is optional; ALNS goes on without it
                status = "alns (ortools start failed)"

    best_seqs, best_bank, best_cost = list(seqs), set(bank), cur_cost
    n_served = len(search.servable) - len(bank)

    destroy_ops = [search.d_random, search.d_worst, search.d_related, search.d_route]
    repair_ops = [(1, True), (2, False), (2, True), (3, False)]
    wd = [1.0] * len(destroy_ops)
    wr = [1.0] * len(repair_ops)
    sd = [0.0] * len(destroy_ops)
    sr = [0.0] * len(repair_ops)
    cd = [0] * len(destroy_ops)
    cr = [0] * len(repair_ops)
    dist_now = best_cost - search.UNSERVED * len(best_bank)
    temp0 = TEMP_START * max(dist_now, 1.0) / math.log(2.0)
    temp_end = temp0 / TEMP_RATIO
    it = 0
    qmax = max(2, min(QMAX_CAP, int(QMAX_SHARE * max(n_served, 1))))
    qmin = max(1, min(qmax, max(2, n_served // 25)))
    while True:
        now = time.perf_counter()
        if now >= deadline - 0.01:
            break
        if iterations is not None and it >= iterations:
            break
        if n_served == 0 and not bank:
            break
        it += 1
        frac = (it / iterations) if iterations is not None else (now - t0) / time_limit
        temp = temp0 * (temp_end / temp0) ** min(1.0, frac)
        di = rng.choices(range(len(destroy_ops)), weights=wd)[0]
        ri = rng.choices(range(len(repair_ops)), weights=wr)[0]
        q = rng.randint(qmin, qmax)
        new_seqs = list(seqs)
        new_bank = set(bank)
        chosen = destroy_ops[di](new_seqs, q)
        search.remove(new_seqs, new_bank, chosen)
        regret, noise = repair_ops[ri]
        search.repair(new_seqs, new_bank, regret=regret, noise=noise)
        new_cost = search.cost(new_seqs, new_bank)
        score = 0.0
        if new_cost < best_cost - 1e-9:
            if USE_RELOCATE:
                search.relocate(new_seqs, deadline)
                new_cost = search.cost(new_seqs, new_bank)
            best_seqs, best_bank, best_cost = list(new_seqs), set(new_bank), new_cost
            seqs, bank, cur_cost = new_seqs, new_bank, new_cost
            score = 33.0
        elif new_cost < cur_cost - 1e-9:
            seqs, bank, cur_cost = new_seqs, new_bank, new_cost
            score = 9.0
        elif new_cost > cur_cost + 1e-9 and rng.random() < math.exp(-(new_cost - cur_cost) / temp):
            seqs, bank, cur_cost = new_seqs, new_bank, new_cost
            score = 13.0
        sd[di] += score
        sr[ri] += score
        cd[di] += 1
        cr[ri] += 1
        if it % 100 == 0:
            for w, s, c in ((wd, sd, cd), (wr, sr, cr)):
                for h in range(len(w)):
                    if c[h]:
                        w[h] = 0.8 * w[h] + 0.2 * s[h] / c[h]
                    w[h] = max(w[h], 0.05)
                    s[h] = 0.0
                    c[h] = 0
        if it % 2000 == 0 and cur_cost > best_cost * 1.02:
            seqs, bank, cur_cost = list(best_seqs), set(best_bank), best_cost

    unserved: dict[str, Unserved] = {data.req_ids[r]: why for r, why in search.reasons.items()}
    for r in best_bank:
        unserved[data.req_ids[r]] = Unserved.FLEET_FULL
    seconds = time.perf_counter() - t0
    return _to_solution(data, routes, best_seqs, unserved, seconds, f"{status}, {it} iterations")
