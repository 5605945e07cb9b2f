"""One effect on the pandas engine, before and after round 8's column selection (issue 16).

Round 8 made an effect collect only the columns it reads (`ctx.rows`) instead of the whole
source (`ctx.frame`) on every engine. On DuckDB and Spark that bounds memory (measured with
bench_scale_engines.py's "full" work); on pandas the rows are in memory already, so the question
is only whether the column copy costs time or memory. This script answers it: bench_scale.py's
Parquet file (10^6 rows × 20 columns) is read once per child process, then each effect below is
estimated `--repeat` times through `sections/effects/compute.estimate_effect` (the section's
own entry), timed by `time.process_time`, and once more under `tracemalloc` for the memory the
estimate allocates at its peak. Each round runs the "before" tree's child then this tree's,
interleaved, so both see the same load.

- `did`: bench_scale.py's DiD (`employed`, `group == 'programme'`, `wave == 1`, `se: robust`);
- `did_where`: the same restricted to one site range by `where` (the pandas engine cached a
  copy of every column of those rows before round 8);
- `did_unit`: the same with `unit: id`-like person ids and `cluster: site` (text columns).

    PYTHONPATH=src python benchmarks/bench_effect_columns.py --before BASE/src --rounds 3 \\
        --file /tmp/scale-data/scale_1000000.parquet
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

CHILD = r"""
import json, sys, time, tracemalloc
from types import SimpleNamespace
import pandas as pd
from evalsoc.sections.context import RunContext
from evalsoc.sections.effects.compute import estimate_effect
from evalsoc.sections.effects.config import EffectSpec

frame = pd.read_parquet(sys.argv[1])
frame["group"] = frame["group"].astype("category")
frame["site"] = frame["site"].astype("string")
frame["employed"] = (frame["employed"] == "oui").astype("boolean")  # stored as oui/non text
frame["person"] = ("p" + (frame["id"] // 2).astype("string"))
base = {"data": "d", "design": "did", "outcome": "employed",
        "treatment": "group == 'programme'", "post": "wave == 1", "se": "robust"}
specs = {
    "did": base,
    "did_where": {**base, "where": "x0 < 500"},
    "did_unit": {**base, "unit": "person", "cluster": "site", "se": "cluster"},
}
out = {}
for name, fields in specs.items():
    spec = EffectSpec.model_validate({"id": name, **fields})
    def once():
        ctx = RunContext(frames={"d": frame}, framework=SimpleNamespace(capabilities=[]))
        return estimate_effect(spec, ctx)
    estimate = once()["estimate"]
    times = []
    for _ in range(int(sys.argv[2])):
        start = time.process_time()
        once()
        times.append(time.process_time() - start)
    tracemalloc.start()
    once()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    out[name] = {"cpu": min(times), "peak_mb": peak / 2**20, "estimate": estimate}
print("BENCH_RESULT " + json.dumps(out))
"""


def child(src: str, file: Path, repeat: int) -> dict:
    env = {**os.environ, "PYTHONPATH": src}
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(file), str(repeat)],
        capture_output=True,
        text=True,
        env=env,
    )
    if done.returncode:
        raise SystemExit(f"the child on {src} failed:\n{done.stderr[-3000:]}")
    line = [x for x in done.stdout.splitlines() if x.startswith("BENCH_RESULT ")][-1]
    result: dict = json.loads(line[len("BENCH_RESULT ") :])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", required=True, help="the other tree's src folder")
    parser.add_argument("--after", default=str(HERE.parent / "src"))
    parser.add_argument("--file", type=Path, default=HERE / "data" / "scale_1000000.parquet")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    runs: dict[str, list[dict]] = {"before": [], "after": []}
    for _ in range(args.rounds):
        for label, src in (("before", args.before), ("after", args.after)):
            runs[label].append(child(src, args.file, args.repeat))
    print("| effect | before CPU s | after CPU s | after/before | before peak MB | after peak MB |")
    print("|---|---:|---:|---:|---:|---:|")
    for name in runs["after"][0]:
        before = statistics.median(r[name]["cpu"] for r in runs["before"])
        after = statistics.median(r[name]["cpu"] for r in runs["after"])
        peaks = [statistics.median(r[name]["peak_mb"] for r in runs[k]) for k in runs]
        same = {r[name]["estimate"] for k in runs for r in runs[k]}
        assert len(same) == 1, f"{name}: estimates differ {same}"
        print(
            f"| {name} | {before:.3f} | {after:.3f} | {after / before:.2f}× | "
            f"{peaks[0]:.0f} | {peaks[1]:.0f} |"
        )


if __name__ == "__main__":
    main()
