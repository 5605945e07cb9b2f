"""Where a Spark run's time goes: one `run_framework` on the Spark engine, in process.

Prints each pipeline step's wall and CPU seconds, the number of Spark jobs (Spark's status
tracker), the JVM's CPU seconds (the process's descendants, read from /proc), and with
`--profile` the 30 costliest functions by cumulative time (cProfile). The data and the 30
indicators are bench_scale.py's (`--rows` rows, generated into `--data-dir` if missing).

    PYTHONPATH=src python benchmarks/spark_jobs.py --rows 20000 [--profile]
    PYTHONPATH=/tmp/bench7/base/src python benchmarks/spark_jobs.py --rows 20000  # before
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import bench_scale as scale  # noqa: E402
from bench_scale_engines import process_tree  # noqa: E402


def descendants_cpu(root: int) -> float:
    """CPU seconds of every descendant of `root` (pyspark's JVM), from /proc."""
    return sum(cpu for pid, (_, cpu) in process_tree(root).items() if pid != root)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--data-dir", type=Path, default=scale.DATA)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--memory", default="6GB", help="spark.driver.memory")
    parser.add_argument("--profile", action="store_true", help="cProfile, top 30 cumulative")
    args = parser.parse_args()
    args.data_dir.mkdir(parents=True, exist_ok=True)
    data = args.data_dir / f"scale_{args.rows}.parquet"
    if not data.exists():
        scale.make_data(args.rows, data.with_suffix(".csv"), data)
    framework = args.data_dir / f"spark_jobs_{args.rows}.yaml"
    engine = f"{{name: spark, threads: {args.threads}, memory_limit: {args.memory}}}"
    framework.write_text(scale.framework_yaml(data, engine, False), encoding="utf-8")
    exec(scale.EVALSOC_IMPORTS)  # imports untimed, as in bench_scale.py
    from evalsoc.engines.spark_session import spark_session
    from evalsoc.pipeline import run_framework

    wall, cpu = time.perf_counter(), time.process_time()

    def progress(message: str) -> None:
        print(
            f"{time.perf_counter() - wall:8.1f} s {time.process_time() - cpu:7.1f} CPU-s  "
            f"{message}",
            flush=True,
        )

    if args.profile:
        import cProfile
        import pstats

        profile = cProfile.Profile()
        profile.runcall(run_framework, framework, write=False, progress=progress)
    else:
        run_framework(framework, write=False, progress=progress)
    print(f"wall {time.perf_counter() - wall:.1f} s, Python CPU {time.process_time() - cpu:.1f} s")
    tracker = spark_session().sparkContext.statusTracker()
    print(f"Spark jobs {len(tracker.getJobIdsForGroup(None))}")
    print(f"JVM CPU {descendants_cpu(os.getpid()):.1f} s, load {os.getloadavg()[0]:.1f}")
    if args.profile:
        pstats.Stats(profile).sort_stats("cumulative").print_stats(30)


if __name__ == "__main__":
    main()
