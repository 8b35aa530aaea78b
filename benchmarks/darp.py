"""Dial-a-ride benchmark on the Cordeau (2006) instances: our solver against plain OR-Tools.

Every (instance, solver, time limit) run is checked with the independent checker; a run is
*feasible* when every request is served and the checker finds nothing. Prints a Markdown table
(and writes it with ``--out``); progress goes to stderr.

    python -m benchmarks.darp [--limits 10 60] [--instances a2-16 ...|--verified]
                              [--solvers ours baseline] [--jobs N] [--seed 0] [--out PATH]
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DATA = ROOT / "benchmarks" / "data" / "darp"


def load_bks() -> dict[str, tuple[float, bool]]:
    """Best-known values: instance -> (value, verified)."""
    with (DATA / "bks.csv").open() as fh:
        return {
            row["instance"]: (float(row["bks_total_distance"]), row["bks_status"] == "verified")
            for row in csv.DictReader(fh)
        }


def run_one(instance: str, solver: str, limit: float, seed: int) -> dict:
    """Solve one instance with one solver and check the solution (runs in a worker process)."""
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    from carte_blanche.mobility.dispatch.baseline import solve_routing
    from carte_blanche.mobility.dispatch.checker import check
    from carte_blanche.mobility.dispatch.cordeau import load_cordeau
    from carte_blanche.mobility.dispatch.solver import solve

    inst = load_cordeau(DATA / f"{instance}.txt")
    t0 = time.perf_counter()
    if solver == "ours":
        sol = solve(inst.problem, time_limit=limit, seed=seed)
    elif solver == "baseline":
        sol = solve_routing(inst.problem, time_limit=limit)
    else:
        raise ValueError(f"unknown solver {solver!r}")
    seconds = time.perf_counter() - t0
    errors = check(inst.problem, sol)
    return {
        "instance": instance,
        "solver": solver,
        "limit": limit,
        "n": inst.n,
        "cost": sol.distance,
        "served": sol.served,
        "errors": errors,
        "feasible": sol.served == inst.n and not errors,
        "seconds": seconds,
        "status": sol.status,
    }


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        import ortools

        ort = ortools.__version__
    except Exception:  # noqa: BLE001
        ort = "?"
    return f"{os.cpu_count()} CPU(s) ({cpu}), Python {platform.python_version()}, OR-Tools {ort}"


def table(results: list[dict], bks: dict[str, tuple[float, bool]]) -> str:
    """Markdown table plus summary lines."""
    lines = [
        "| instance | BKS | verified | solver | limit (s) | cost | gap % | served | feasible | seconds |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        b, ver = bks.get(r["instance"], (float("nan"), False))
        gap = 100.0 * (r["cost"] - b) / b if r["served"] == r["n"] else float("nan")
        if abs(gap) < 0.005:
            gap = 0.0  # no "-0.00" for the BKS printed with two decimals
        gap_s = f"{gap:.2f}" if gap == gap else "—"
        feas = "yes" if r["feasible"] else ("no: " + (r["errors"][0] if r["errors"] else "request(s) unserved"))
        lines.append(
            f"| {r['instance']} | {b:.2f} | {'yes' if ver else 'no'} | {r['solver']} | {r['limit']:g} | "
            f"{r['cost']:.2f} | {gap_s} | {r['served']}/{r['n']} | {feas} | {r['seconds']:.1f} |"
        )
    lines.append("")
    keys = sorted({(r["solver"], r["limit"]) for r in results}, key=lambda x: (x[1], x[0]))
    for solver, limit in keys:
        rs = [r for r in results if r["solver"] == solver and r["limit"] == limit]
        feas = [r for r in rs if r["feasible"]]
        ver = [r for r in feas if bks.get(r["instance"], (0, False))[1]]
        n_ver = sum(1 for r in rs if bks.get(r["instance"], (0, False))[1])
        gaps = [100.0 * (r["cost"] - bks[r["instance"]][0]) / bks[r["instance"]][0] for r in ver]
        other = [r for r in feas if not bks.get(r["instance"], (0, False))[1]]
        gaps_o = [100.0 * (r["cost"] - bks[r["instance"]][0]) / bks[r["instance"]][0] for r in other]
        line = f"- **{solver}, {limit:g} s**: feasible {len(feas)}/{len(rs)}"
        if gaps:
            line += (
                f"; mean gap over the {len(gaps)} feasible verified instances (of {n_ver}): "
                f"{statistics.mean(gaps):.2f} % (max {max(gaps):.2f} %)"
            )
        if gaps_o:
            line += f"; mean gap over {len(gaps_o)} unverified-BKS instances: {statistics.mean(gaps_o):.2f} %"
        lines.append(line)
    # head-to-head ratio on instances where both are feasible
    by = {(r["instance"], r["solver"], r["limit"]): r for r in results}
    for limit in sorted({r["limit"] for r in results}):
        pairs = [
            (by[(i, "ours", limit)], by[(i, "baseline", limit)])
            for (i, s, lim) in by
            if s == "ours" and lim == limit and (i, "baseline", limit) in by
        ]
        both = [(a, b) for a, b in pairs if a["feasible"] and b["feasible"]]
        if both:
            ratio = statistics.mean(a["cost"] / b["cost"] for a, b in both)
            wins = sum(1 for a, b in both if a["cost"] < b["cost"] - 1e-6)
            ties = sum(1 for a, b in both if abs(a["cost"] - b["cost"]) <= 1e-6)
            lines.append(
                f"- **ours / baseline at {limit:g} s** (both feasible on {len(both)} instances): mean cost ratio "
                f"{ratio:.4f}; ours cheaper on {wins}, equal on {ties}"
            )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--limits", nargs="+", type=float, default=[10.0, 60.0])
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--instances", nargs="+")
    group.add_argument("--verified", action="store_true", help="only instances with a verified BKS")
    parser.add_argument("--solvers", nargs="+", default=["ours", "baseline"], choices=["ours", "baseline"])
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)

    bks = load_bks()
    if args.instances:
        names = args.instances
    else:
        names = sorted(p.stem for p in DATA.glob("*.txt"))
        if args.verified:
            names = [x for x in names if bks.get(x, (0, False))[1]]
    tasks = [(i, s, lim) for lim in args.limits for s in args.solvers for i in names]
    order = {t: k for k, t in enumerate(tasks)}
    results: list[dict] = []
    started = time.time()
    print(f"# {len(tasks)} runs on {machine()}, --jobs {args.jobs}", file=sys.stderr)
    with ProcessPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        futs = {pool.submit(run_one, i, s, lim, args.seed): (i, s, lim) for (i, s, lim) in tasks}
        for fut in as_completed(futs):
            res = fut.result()
            results.append(res)
            print(
                f"[{len(results)}/{len(tasks)} {time.time() - started:.0f}s] {res['instance']} {res['solver']} "
                f"{res['limit']:g}s: {res['cost']:.2f} served {res['served']}/{res['n']} "
                f"{'ok' if res['feasible'] else 'INFEASIBLE'} ({res['seconds']:.1f}s)",
                file=sys.stderr,
                flush=True,
            )
    results.sort(key=lambda r: order[(r["instance"], r["solver"], r["limit"])])
    results.sort(key=lambda r: (r["instance"], r["limit"], r["solver"]))
    out = f"Machine: {machine()}; jobs in parallel: {args.jobs}; seed {args.seed}.\n\n" + table(results, bks)
    print(out)
    if args.out:
        args.out.write_text(out + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
