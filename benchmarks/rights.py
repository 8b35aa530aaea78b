"""Rights engine benchmark: at the counter (one household) and in batch (a whole territory).

Compared in the same run with plain OpenFisca-France (one `build_from_entities` simulation per
household, the documented way, asking the same benefits). Prints Markdown for
docs/benchmarks.md.

    python -m benchmarks.rights [--runs 7] [--households 22000] [--skip-batch]
"""

from __future__ import annotations

import argparse
import copy
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from carte_blanche.rights import engine  # noqa: E402
from carte_blanche.rights.engine.simulation import tax_benefit_system  # noqa: E402

MONTH = "2026-11"
OUTPUTS = [
    ("rsa", MONTH),
    ("ppa", MONTH),
    ("aide_logement", MONTH),
    ("aah", MONTH),
    ("aspa", MONTH),
    ("asf", MONTH),
    ("af", MONTH),
    ("cf", MONTH),
    ("ars", "2026"),
    ("paje_base", MONTH),
    ("paje_cmg", MONTH),
    ("cmu_c", MONTH),
    ("css_participation_forfaitaire", MONTH),
    ("apa_domicile", MONTH),
    ("cheque_energie", "2026"),
    ("ass", MONTH),
]


def personas():
    from tests.rights.test_engine import roseline, sarah, sebastien

    return {"Sarah": sarah(), "Sébastien": sebastien(), "Roseline": roseline()}


def bare_situation(household) -> dict:
    """The documented OpenFisca situation for a household (the tests' independent builder)."""
    from tests.rights.test_engine import documented_situation

    return documented_situation(household)


def bare_run(situation) -> float:
    from openfisca_core.simulation_builder import SimulationBuilder

    start = time.perf_counter()
    sim = SimulationBuilder().build_from_entities(tax_benefit_system(), copy.deepcopy(situation))
    for variable, period in OUTPUTS:
        sim.calculate(variable, period)
    return time.perf_counter() - start


def engine_run(households) -> float:
    start = time.perf_counter()
    engine.compute(households)
    return time.perf_counter() - start


def counter(runs: int) -> list[str]:
    lines = [
        "| household | plain OpenFisca p50 (s) | engine p50 (s) | engine min–max (s) | speed-up |",
        "|---|---|---|---|---|",
    ]
    people = personas()
    engine.warm_up(MONTH)
    situations = {name: bare_situation(h) for name, h in people.items()}
    for name, household in people.items():
        bare_run(situations[name])  # warm the same paths
        bare, ours = [], []
        for _ in range(runs):  # interleaved, so both see the same machine load
            bare.append(bare_run(situations[name]))
            ours.append(engine_run([household]))
        b, e = statistics.median(bare), statistics.median(ours)
        lines.append(f"| {name} | {b:.2f} | {e:.2f} | {min(ours):.2f}–{max(ours):.2f} | {b / e:.2f}× |")
    # Concurrent requests batched into one simulation (what a worker does with a queue).
    for size in (4, 16):
        households = [h for _ in range(size) for h in people.values()][:size]
        times = [engine_run(households) for _ in range(max(3, runs // 2))]
        t = statistics.median(times)
        lines.append(
            f"| {size} households in one call | — | {t:.2f} ({t / size:.2f} per household) | "
            f"{min(times):.2f}–{max(times):.2f} | — |"
        )
    return lines


def _peak_rss_of_tree(proc: psutil.Popen, stop: threading.Event, out: list[int]) -> None:
    peak = 0
    while not stop.is_set():
        try:
            procs = [proc, *proc.children(recursive=True)]
            # PSS: forked workers share the parent's pages; RSS would count them once per process.
            peak = max(peak, sum(p.memory_full_info().pss for p in procs if p.is_running()))
        except psutil.Error:
            pass
        time.sleep(0.1)
    out.append(peak)


def batch(households: int, chunk: int, processes: int) -> list[str]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "CB_DEBUG": os.environ.get("CB_DEBUG", "1")}
    with tempfile.TemporaryDirectory() as tmp:
        src, dst = Path(tmp) / "in.csv", Path(tmp) / "out.csv"
        generate = [sys.executable, "benchmarks/generate_households.py", str(households), str(src)]
        subprocess.run(  # noqa: S603 (our own script, fixed arguments)
            [*generate, "--bad", "0.01", "--seed", "1"],
            check=True,
            cwd=ROOT,
        )
        command = [
            sys.executable,
            "manage.py",
            "rights_batch",
            str(src),
            str(dst),
            "--chunk-size",
            str(chunk),
            "--processes",
            str(processes),
        ]
        start = time.perf_counter()
        proc = psutil.Popen(command, cwd=ROOT, env=env, stderr=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
        stop, peak = threading.Event(), []
        watcher = threading.Thread(target=_peak_rss_of_tree, args=(proc, stop, peak))
        watcher.start()
        code = proc.wait()
        wall = time.perf_counter() - start
        stop.set()
        watcher.join()
        if code:
            raise SystemExit(f"rights_batch failed with exit code {code}")
        rows = dst.read_text(encoding="utf-8").count("\n") - 1
    # One plain OpenFisca simulation per household, measured on a few and extrapolated.
    people = list(personas().values())
    per_household = statistics.median(bare_run(bare_situation(h)) for h in people for _ in range(2))
    one_by_one = per_household * households
    return [
        "| households | chunk | processes | wall (s) | households/s | peak memory, all processes (PSS, MB) "
        "| one simulation per household (s, extrapolated) | ratio |",
        "|---|---|---|---|---|---|---|---|",
        f"| {households} ({rows} rows out) | {chunk} | {processes} | {wall:.1f} | {households / wall:.0f} | "
        f"{peak[0] / 2**20:.0f} | {one_by_one:.0f} | {one_by_one / wall:.0f}× |",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--households", type=int, default=22000)
    parser.add_argument("--chunk-size", type=int, default=2000)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--skip-batch", action="store_true")
    parser.add_argument("--skip-counter", action="store_true")
    args = parser.parse_args()
    print(
        f"Rights engine, {date.today().isoformat()}, {engine.openfisca_version()}, "
        f"CPython {platform.python_version()}, {os.cpu_count()} CPUs\n"
    )
    if not args.skip_counter:
        print("\n".join(counter(args.runs)))
    if not args.skip_batch:
        print()
        print("\n".join(batch(args.households, args.chunk_size, args.processes)))


if __name__ == "__main__":
    main()
