"""One capability set on the DuckDB or Spark engine, two trees side by side: the capability
phase's CPU and wall time, and the run's peak memory (issue 16: "capability identification
row-wise in the engine, then aggregated").

The data are bench_scale.py's 20-column participants file (Parquet, read out of core by the
DuckDB intake) at `--n` rows. Two frameworks, one set each, no indicators:

- `cells`: bench_scale.py's set (three dimensions over four Likert items, k = 1/3, by sexe):
  a few thousand cells whatever the rows;
- `by_person`: the same set with `unit: id` and `time: wave`, so each row's id is a key of
  its cell (the demo's `pouvoir_agir` pairs its waves this way): cells grow with the rows.

Each run is `evalsoc run --engine duckdb` in a fresh child (bench_demo.py's child: CPU by
`time.process_time`, wall by `time.perf_counter` at the pipeline's progress messages, peak
RSS by `resource`), the trees interleaved round by round so that both see the same load.

    python benchmarks/bench_capability_engine.py --n 1000000 --before /tmp/base/src --after src

With `--engine spark` the child also reports the JVM's CPU seconds and peak resident memory
(its descendants' /proc `utime + stime` and `VmHWM`, read before it exits), since Spark's work
runs there, not in the Python driver; `--check` runs each set once more on the pandas engine
(the "after" tree) and prints whether the engine's capability results equal pandas' (byte for
byte, and within the 1e-9 relative tolerance of tests/engines/results_diff.py).

    python benchmarks/bench_capability_engine.py --engine spark --n 1000000 \
        --parquet /tmp/scale-data/scale_1000000.parquet --before /tmp/base/src --after src --check
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_demo import CHILD, steps  # noqa: E402
from bench_scale import framework_yaml, make_data_in_chunks  # noqa: E402

# The Spark child: bench_demo's, plus the JVM's CPU and peak RSS before the child exits.
JVM = f"""
sys.path.insert(0, {str(HERE)!r})
from bench_scale_engines import process_tree
jvm = [pid for pid in process_tree(os.getpid()) if pid != os.getpid()]
jvm_cpu = sum(cpu for pid, (_, cpu) in process_tree(os.getpid()).items() if pid in jvm)
def hwm(pid):
    try:
        lines = open(f"/proc/{{pid}}/status").read().splitlines()
    except OSError:
        return 0.0
    return sum(float(x.split()[1]) / 1024 for x in lines if x.startswith("VmHWM:"))
print(json.dumps({{"jvm_cpu": jvm_cpu, "jvm_peak_mb": max([hwm(p) for p in jvm] or [0.0])}}))
"""
SPARK_CHILD = CHILD.replace("import json, resource,", "import json, os, resource,")
SPARK_CHILD = SPARK_CHILD.replace("peak = resource", JVM + "peak = resource")

SETS = {
    "cells": "",
    "by_person": "    unit: id\n    time: wave\n",
}


def framework(data_file: Path, name: str, engine: str = "duckdb") -> str:
    """bench_scale.py's framework with its columns, one capability set and nothing else."""
    base = framework_yaml(data_file, engine, full=False)
    head = base[: base.index("\ndimensions:")]
    return (
        head
        + textwrap.dedent(
            """
        capabilities:
          - id: cap
            data: d
            dimensions:
              - {id: confiance, items: [q0, q1], cutoff: 3, weight: 1/3}
              - {id: reseau, items: [q2], cutoff: 3, weight: 1/3}
              - {id: autonomie, items: [q3], cutoff: 3, weight: 1/3}
            k: [1/3]
            by: [sexe]
        """
        )
        + SETS[name]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="rows")
    parser.add_argument("--data", type=Path, default=HERE / "data" / "capability-engine")
    parser.add_argument("--before", type=Path, help="src folder of the old tree")
    parser.add_argument("--after", type=Path, default=HERE.parent / "src")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--sets", nargs="+", default=list(SETS), choices=list(SETS))
    parser.add_argument("--engine", choices=["duckdb", "spark"], default="duckdb")
    parser.add_argument("--parquet", type=Path, help="an existing bench_scale Parquet file")
    parser.add_argument("--check", action="store_true", help="compare with the pandas engine")
    parser.add_argument(
        "--booleans-stored",
        action="store_true",
        help="a copy of the file with its boolean columns stored as booleans (bench_scale.py "
        "writes them as text, which sends the source to the pandas intake): Spark then reads it",
    )
    args = parser.parse_args()
    folder = args.data / str(args.n)
    folder.mkdir(parents=True, exist_ok=True)
    parquet = args.parquet.resolve() if args.parquet else folder / "participants.parquet"
    if not parquet.exists():
        make_data_in_chunks(args.n, None, parquet)
    if args.booleans_stored:
        parquet = booleans_stored(parquet, folder / "participants-booleans.parquet")
    trees = {"after": args.after.resolve()}
    if args.before:
        trees = {"before": args.before.resolve(), **trees}
    for name in args.sets:
        text = framework(parquet, name, args.engine)
        (folder / f"{name}-{args.engine}.yaml").write_text(text, encoding="utf-8")
    with tempfile.TemporaryDirectory(prefix="bench-cap-") as scratch:
        for round_ in range(args.rounds):
            for name in args.sets:
                for tree, src in trees.items():
                    load = os.getloadavg()[0]
                    out = Path(scratch) / f"{tree}-{name}-{round_}"
                    yaml = folder / f"{name}-{args.engine}.yaml"
                    result = run_once(src, yaml, out, args.engine)
                    steps = result["steps"]
                    assert isinstance(steps, dict)
                    line = {
                        "set": name,
                        "engine": args.engine,
                        "tree": tree,
                        "round": round_,
                        "load": round(load, 1),
                        "capabilities_cpu_wall": steps["capabilities"],
                        "whole_cpu_wall": steps["whole run"],
                        "peak_mb": result["peak_mb"],
                        **result["jvm"],
                    }
                    print(json.dumps(line))
                    sys.stdout.flush()
        if args.check:
            for name in args.sets:
                pandas = Path(scratch) / f"pandas-{name}"
                run_once(trees["after"], folder / f"{name}-{args.engine}.yaml", pandas, "pandas")
                print(
                    json.dumps(
                        {"set": name, **same_figures(pandas, Path(scratch) / f"after-{name}-0")}
                    )
                )


def booleans_stored(source: Path, target: Path) -> Path:
    """`source` with bench_scale's "true"/"false" columns as Parquet booleans, row group by
    row group (made once)."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq
    from bench_scale import BOOLS

    if target.exists():
        return target
    reader = pq.ParquetFile(source)
    schema = reader.schema_arrow
    fields = [pa.field(f.name, pa.bool_()) if f.name in BOOLS else f for f in schema]
    with pq.ParquetWriter(target, pa.schema(fields, metadata=None)) as writer:
        for i in range(reader.num_row_groups):
            table = reader.read_row_group(i)
            for name in BOOLS:
                flags = pc.equal(table[name], "true")
                table = table.set_column(table.schema.get_field_index(name), name, flags)
            writer.write_table(table.replace_schema_metadata(None))
    return target


def run_once(src: Path, framework: Path, out: Path, engine: str) -> dict[str, Any]:
    """bench_demo.run_once, with the JVM's figures on Spark (SPARK_CHILD's next-to-last line)."""
    child = SPARK_CHILD if engine == "spark" else CHILD
    done = subprocess.run(
        [sys.executable, "-c", child, str(framework), str(out), "--engine", engine],
        env={**os.environ, "PYTHONPATH": str(src)},
        capture_output=True,
        text=True,
        check=False,
    )
    lines = done.stdout.strip().splitlines()
    result = json.loads(lines[-1])
    if result["code"] not in (0, None):
        raise SystemExit(f"evalsoc exited with {result['code']}: {done.stderr[-2000:]}")
    jvm = json.loads(lines[-2]) if engine == "spark" else {}
    return {"steps": steps(result["stamps"]), "peak_mb": result["peak_mb"], "jvm": jvm}


def same_figures(pandas: Path, engine: Path) -> dict[str, object]:
    """Whether the engine's capability results equal pandas' (without its `engine` note)."""
    sys.path.insert(0, str(HERE.parent))
    from tests.engines.results_diff import differences

    def figures(folder: Path) -> dict[str, object]:
        document = json.loads((folder / "results.json").read_text(encoding="utf-8"))
        sets = document["capabilities"]
        for result in sets.values():
            result.pop("engine", None)
        return sets

    expected, actual = figures(pandas), figures(engine)
    identical = json.dumps(expected, sort_keys=True) == json.dumps(actual, sort_keys=True)
    return {"identical_to_pandas": identical, "within_1e-9": differences(expected, actual) == []}


if __name__ == "__main__":
    main()
