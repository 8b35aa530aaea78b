"""Flat, precomputed view of a ``Problem`` and the exact route-schedule test used by the solver.

Nodes: request ``r`` (0-based) has pick-up node ``r`` and drop-off node ``n + r``; vehicle ``k``
has start node ``2n + k`` and end node ``2n + m + k``. Everything the hot loop needs is a plain
list indexed by node (``E``/``L`` windows, ``S`` service, ``Q`` load change, ``T`` travel time
and ``D`` distance matrices between nodes).

**Exact schedule test.** For a route (start depot, stops, end depot) with service-start times
``B_0..B_K`` the constraints are difference constraints::

    B_k >= E_k,  B_k <= L_k                        (windows; the depots carry the vehicle window)
    B_{k+1} - B_k >= S_k + T_{k,k+1}               (travel + service, waiting allowed)
    B_d - B_p <= S_p + max_ride                    (ride time, from end of pick-up service)
    B_K - B_0 <= max_duration

They form a simple temporal network. Starting from the lower bounds and propagating every
"pushes later" constraint (forward along the chain; ride time and duration push the earlier
node later) is Bellman–Ford on the lower-bound side: it converges to the *least* solution,
which exists iff it stays under every upper bound ``L_k``; a positive cycle (no solution) is
detected by the round limit. The least solution is itself a feasible timetable (the vehicle
waits where needed so ride times hold). The *greatest* solution, computed symmetrically, gives
latest service times used as a necessary-condition filter when evaluating insertions.
"""

from __future__ import annotations

from carte_blanche.mobility.dispatch.model import Problem

EPS = 1e-7
INF = float("inf")


class Data:
    """Precomputed arrays of a ``Problem`` (see module docstring for the node numbering)."""

    def __init__(self, problem: Problem) -> None:
        reqs = list(problem.requests)
        vehs = list(problem.vehicles)
        n, m = len(reqs), len(vehs)
        self.problem = problem
        self.n, self.m = n, m
        self.N = N = 2 * n + 2 * m
        loc = [0] * N
        E = [0.0] * N
        L = [0.0] * N
        S = [0.0] * N
        Q = [0] * N
        for r, req in enumerate(reqs):
            p, d = r, n + r
            loc[p], loc[d] = req.pickup, req.dropoff
            E[p], L[p] = float(req.pickup_window[0]), float(req.pickup_window[1])
            E[d], L[d] = float(req.dropoff_window[0]), float(req.dropoff_window[1])
            S[p], S[d] = float(req.pickup_service), float(req.dropoff_service)
            Q[p], Q[d] = req.load, -req.load
        for k, v in enumerate(vehs):
            s, e = 2 * n + k, 2 * n + m + k
            loc[s], loc[e] = v.start, v.end
            E[s] = E[e] = float(v.window[0])
            L[s] = L[e] = float(v.window[1])
        tt, dm = problem.travel_time, problem.distance
        self.loc = loc
        self.T = [[float(tt[loc[a]][loc[b]]) for b in range(N)] for a in range(N)]
        self.D = [[float(dm[loc[a]][loc[b]]) for b in range(N)] for a in range(N)]
        self.S, self.Q = S, Q
        self.ST = [[S[a] + self.T[a][b] for b in range(N)] for a in range(N)]  # service + travel
        self.W = [S[r] + float(reqs[r].max_ride) for r in range(n)]  # B_d - B_p <= W[r]
        self.cap = [v.capacity for v in vehs]
        self.maxreq = [v.max_requests if v.max_requests is not None else n + 1 for v in vehs]
        self.dur = [float(v.max_duration) for v in vehs]
        self.vindex = {v.id: k for k, v in enumerate(vehs)}
        self.req_ids = [r.id for r in reqs]
        self.veh_ids = [v.id for v in vehs]
        # allowed vehicle indices (before the "alone" test) and the confirmed vehicle
        self.allowed0: list[list[int]] = []
        self.assigned: list[int] = []
        for req in reqs:
            if req.allowed_vehicles is None:
                ks = list(range(m))
            else:
                ks = [self.vindex[v] for v in sorted(req.allowed_vehicles) if v in self.vindex]
            self.allowed0.append(ks)
            self.assigned.append(self.vindex.get(req.assigned_vehicle, -1) if req.assigned_vehicle else -1)
        self.E, self.L = E, L
        self._tighten()
        scale = max((max(row) for row in self.D), default=1.0) or 1.0
        self.maxd = scale

    def _tighten(self) -> None:
        """Tighten request windows with implied constraints (Cordeau 2006 style preprocessing)."""
        n, m = self.n, self.m
        E, L, S, T, W = self.E, self.L, self.S, self.T, self.W
        for r in range(n):
            p, d = r, n + r
            ks = self.allowed0[r] or list(range(m))
            if not ks:
                continue
            e_from_depot = min(E[2 * n + k] + T[2 * n + k][p] for k in ks)
            l_to_depot = max(L[2 * n + m + k] - S[d] - T[d][2 * n + m + k] for k in ks)
            E[p] = max(E[p], e_from_depot)
            L[d] = min(L[d], l_to_depot)
            for _ in range(2):
                E[d] = max(E[d], E[p] + S[p] + T[p][d])
                L[p] = min(L[p], L[d] - S[p] - T[p][d])
                E[p] = max(E[p], E[d] - W[r])
                L[d] = min(L[d], L[p] + W[r])

    def start(self, k: int) -> int:
        return 2 * self.n + k

    def end(self, k: int) -> int:
        return 2 * self.n + self.m + k


def earliest(data: Data, k: int, seq: list[int] | tuple[int, ...]) -> list[float] | None:
    """Least feasible service-start times of ``[start_k] + seq + [end_k]``, or None if none exists.

    Exact (see module docstring). ``seq`` must be a valid pairing (each drop-off after its pick-up).
    A first forward pass (earliest service everywhere) settles the common case where no ride
    time or duration constraint pushes anything; otherwise the full propagation runs.
    """
    n = data.n
    E, L, ST, W = data.E, data.L, data.ST, data.W
    s0 = 2 * n + k
    t = E[s0]
    if t > L[s0] + EPS:
        return None
    B = [t]
    prev = s0
    pick: dict[int, int] = {}
    tight = False
    for idx, x in enumerate(seq, 1):
        a = t + ST[prev][x]
        if a < E[x]:
            a = E[x]
        if a > L[x] + EPS:
            return None
        B.append(a)
        if x < n:
            pick[x] = idx
        elif a - B[pick[x - n]] > W[x - n] + 1e-9:
            tight = True
        t = a
        prev = x
    e0 = s0 + data.m
    a = t + ST[prev][e0]
    if a < E[e0]:
        a = E[e0]
    if a > L[e0] + EPS:
        return None
    B.append(a)
    if not tight and a - B[0] <= data.dur[k] + 1e-9:
        return B
    return _propagate(data, k, [s0, *seq, e0], B)


def _propagate(data: Data, k: int, path: list[int], B: list[float]) -> list[float] | None:
    """Lower-bound propagation (Bellman–Ford rounds) from a forward-consistent ``B``.

    Each round pushes pick-ups (ride time) and the departure (duration) later, then re-runs the
    forward pass from the earliest node that moved. More rounds than nodes means a positive
    cycle: no timetable.
    """
    n = data.n
    L, ST, W = data.L, data.ST, data.W
    K = len(path)
    pos: dict[int, int] = {}
    pairs: list[tuple[int, int, float]] = []
    for idx in range(1, K - 1):
        x = path[idx]
        if x < n:
            pos[x] = idx
        else:
            pairs.append((pos[x - n], idx, W[x - n]))
    dur = data.dur[k]
    for _ in range(K + 2):
        lo = K
        for i, j, w in pairs:
            v = B[j] - w
            if v > B[i] + 1e-9:
                B[i] = v
                if i < lo:
                    lo = i
        v = B[K - 1] - dur
        if v > B[0] + 1e-9:
            B[0] = v
            lo = 0
        if lo == K:
            return B
        prev = path[lo]
        t = B[lo]
        if t > L[prev] + EPS:
            return None
        for idx in range(lo + 1, K):
            x = path[idx]
            a = t + ST[prev][x]
            if a > B[idx]:
                B[idx] = a
            else:
                a = B[idx]
            if a > L[x] + EPS:
                return None
            t = a
            prev = x
    return None


def latest(data: Data, k: int, path: list[int], early: list[float]) -> list[float]:
    """Greatest feasible service-start times of a feasible route ``path`` (depots included)."""
    n = data.n
    L, S, T, W = data.L, data.S, data.T, data.W
    K = len(path)
    G = [L[x] for x in path]
    pos: dict[int, int] = {}
    pairs: list[tuple[int, int, float]] = []
    for idx in range(1, K - 1):
        x = path[idx]
        if x < n:
            pos[x] = idx
        else:
            pairs.append((pos[x - n], idx, W[x - n]))
    dur = data.dur[k]
    for _ in range(K + 2):
        nxt = path[K - 1]
        t = G[K - 1]
        for idx in range(K - 2, -1, -1):
            x = path[idx]
            a = t - S[x] - T[x][nxt]
            if a < G[idx]:
                G[idx] = a
            else:
                a = G[idx]
            t = a
            nxt = x
        changed = False
        for i, j, w in pairs:
            v = G[i] + w
            if v < G[j] - 1e-9:
                G[j] = v
                changed = True
        v = G[0] + dur
        if v < G[K - 1] - 1e-9:
            G[K - 1] = v
            changed = True
        if not changed:
            break
    # numerical safety: never below the least schedule
    return [g if g >= e else e for g, e in zip(G, early, strict=True)]
