"""Would a small thread pool overlap the indicators' kernels on the second core? (issue 16)

The load-only floor reads with Arrow's threads; evalsoc computes one indicator after the
other on one core. numpy releases the GIL in most of its loops on large arrays, so the 30
statistics of bench_scale.py's "ind" framework could run two at a time. This measures it on the
10^6-row CSV, in one process: the statistics (`QUANTITATIVE[kind].stats`) of every indicator
one after the other, then in a `concurrent.futures.ThreadPoolExecutor` of 2, alternated over
rounds, CPU (`time.process_time`) and wall (`time.perf_counter`), and checks that both give
the same bits. Each indicator reads its own copy of its rows and group codes (the caches that
share work between indicators are keyed by those objects: no mode gets the other's sums), and
the shared caches are locked (reuse.once_per is not written for threads).

    cd benchmarks && PYTHONPATH=../src python bench_kernel_threads.py --rounds 5

Printed: per round the load average, CPU and wall of each mode; then the medians and the
ratio threaded / sequential.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import bench_scale as b


def _context(framework: Path) -> tuple[Any, Any]:
    """The framework and the run's context just before the indicators (data read, validated)."""
    import evalsoc.pipeline as pipeline

    found: dict[str, Any] = {}

    def stop(framework: Any, ctx: Any) -> dict[str, Any]:
        found.update(framework=framework, ctx=ctx)
        raise KeyboardInterrupt  # leave run_framework here; caught below

    pipeline.compute_indicators = stop
    try:
        pipeline.run_framework(framework, write=False)
    except KeyboardInterrupt:
        pass
    return found["framework"], found["ctx"]


def _locked_once_per() -> None:
    """reuse.once_per behind a lock for its dictionary (the computation outside it)."""
    from evalsoc.sections.indicators import reuse, shared_sums

    lock = threading.Lock()
    original = reuse.once_per

    def once_per(table: Any, key: Any, compute: Any) -> Any:
        with lock:  # a value already made: the same as reuse.once_per returns
            found = reuse._CACHE.get((id(table), key))
            if found is not None and found[0]() is table:
                return found[1]
        value = compute()  # outside the lock: the other thread computes meanwhile
        with lock:
            return original(table, key, lambda: value)

    reuse.once_per = once_per
    shared_sums.once_per = once_per


def _jobs(framework: Any, ctx: Any) -> list[tuple[Any, Any, Any, int]]:
    """(spec, rows, codes, groups) of each quantitative indicator, copied."""
    from evalsoc.sections.indicators.compute import columns_needed

    jobs = []
    for _dim, _crit, ind in framework.all_indicators():
        source = next(iter(ctx.frames))
        needed = columns_needed(ind, ctx.engine.columns(source))
        frame = ctx.rows(source, ind.where, needed).copy(deep=True)
        codes, groups = ctx.engine.groups(source, ctx.expression(ind.where), ind.by)
        jobs.append((ind, frame, codes.copy(), len(groups)))
    return jobs


def _run(jobs: list, threads: int) -> tuple[float, float, list]:
    from evalsoc.sections.indicators.compute import QUANTITATIVE

    def one(job: tuple) -> dict:
        spec, frame, codes, ngroups = job
        return QUANTITATIVE[spec.kind].stats(spec, frame, codes, ngroups)

    cpu, wall = time.process_time(), time.perf_counter()
    if threads == 1:
        out = [one(job) for job in jobs]
    else:
        with ThreadPoolExecutor(threads) as pool:
            out = list(pool.map(one, jobs))  # in the indicators' order
    return time.process_time() - cpu, time.perf_counter() - wall, out


def _bits(results: list[dict]) -> list[bytes]:
    import numpy as np

    return [
        b"".join(
            np.asarray(v).tobytes() if not isinstance(v, list) else repr(v).encode()
            for v in r.values()
        )
        for r in results
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    b.DATA.mkdir(exist_ok=True)
    csv, parquet = b.DATA / f"scale_{args.rows}.csv", b.DATA / f"scale_{args.rows}.parquet"
    if not (csv.exists() and parquet.exists()):
        b.make_data(args.rows, csv, parquet)
    framework_file = b.DATA / f"scale_{args.rows}_csv_ind_pandas.yaml"
    framework_file.write_text(b.framework_yaml(csv, "pandas", False), encoding="utf-8")
    framework, ctx = _context(framework_file)
    _locked_once_per()
    for threads in (1, args.threads):  # untimed: lazy imports, scipy's first calls
        _run(_jobs(framework, ctx), threads)
    rows: list[dict] = []
    for r in range(args.rounds):
        row: dict[str, Any] = {"load": os.getloadavg()[0]}
        modes = (1, args.threads) if r % 2 == 0 else (args.threads, 1)  # order alternated
        found = {}
        for threads in modes:
            cpu, wall, out = _run(_jobs(framework, ctx), threads)
            row[f"{threads} cpu"], row[f"{threads} wall"] = round(cpu, 3), round(wall, 3)
            found[threads] = _bits(out)
        if found[1] != found[args.threads]:
            raise SystemExit("the threaded statistics differ from the sequential ones")
        rows.append(row)
        print(json.dumps(row), flush=True)
    summary = {k: statistics.median(r[k] for r in rows) for k in rows[0]}
    summary["wall ratio"] = round(summary[f"{args.threads} wall"] / summary["1 wall"], 3)
    summary["cpu ratio"] = round(summary[f"{args.threads} cpu"] / summary["1 cpu"], 3)
    print("median", json.dumps(summary))


if __name__ == "__main__":
    main()
