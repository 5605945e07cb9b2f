"""The pandas path's threads and fixed costs at 10^6 rows against the load-only floor, in one
call (issue 16, round 9).

bench_scale_before_after.py's contenders and definitions (fresh child each, imports untimed,
rounds interleaved and rotated, medians; the floor is `pd.read_csv(engine="pyarrow")`), with
the "ind" framework (validation + 30 indicators) run three ways:
- `before`: the old tree (`--before`);
- `after_1thread`: this tree with EVALSOC_THREADS=1 (every step on the calling thread);
- `after`: this tree as it runs by default (a large frame's columns on threads,
  data/column_threads.py).

`--pyc DIR` copies both src trees into DIR/before and DIR/after and compiles them there
(`compileall`, `.pyc` beside the sources; the trees themselves are not written), then runs
those copies: on a machine where PYTHONDONTWRITEBYTECODE is set and the source trees hold no
`.pyc`, every evalsoc module a run imports is compiled from source inside the timed span,
which an installed evalsoc (pip writes the `.pyc`) never does. (PYTHONPYCACHEPREFIX is no
answer: it also hides site-packages' own `.pyc`, so pandera's modules get compiled instead.)

Each round also times a control that is known to run on two cores when the machine has them
free: numpy sorts of four arrays, one after the other and then on two threads (`np.sort`
releases the GIL). Its wall speed-up says whether the machine gave the process a second core
during the round: under other processes' load it does not (≈ 1.0 or below), and then no
thread pool can show a wall-time gain.

    cd benchmarks && python bench_pandas_read.py --before BASE/src --after ../src --rounds 5
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import bench_scale as b
from bench_scale_before_after import print_table, summary

CONTROL = """
import json, time
from concurrent.futures import ThreadPoolExecutor
import numpy as np
arrays = [np.random.default_rng(i).random(3_000_000) for i in range(4)]
start = time.perf_counter()
for a in arrays:
    np.sort(a)
alone = time.perf_counter() - start
start = time.perf_counter()
with ThreadPoolExecutor(2) as pool:
    list(pool.map(np.sort, arrays))
print(json.dumps(alone / (time.perf_counter() - start)))
"""


def control_speedup() -> float:
    """Wall speed-up of four sorts on two threads over one: 2 on two free cores."""
    out = subprocess.run([sys.executable, "-c", CONTROL], capture_output=True, text=True)
    return float(json.loads(out.stdout.strip().splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, required=True, help="src folder of the old tree")
    parser.add_argument("--after", type=Path, required=True, help="src folder of the new tree")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--pyc", type=Path, help="compile both trees' .pyc into this folder")
    args = parser.parse_args()
    b.DATA.mkdir(exist_ok=True)
    csv, parquet = b.DATA / f"scale_{args.rows}.csv", b.DATA / f"scale_{args.rows}.parquet"
    if not (csv.exists() and parquet.exists()):
        b.make_data(args.rows, csv, parquet)
    fw = b.DATA / f"scale_{args.rows}_csv_ind_pandas.yaml"
    fw.write_text(b.framework_yaml(csv, "pandas", False), encoding="utf-8")
    before, after = args.before.resolve(), args.after.resolve()
    if args.pyc:
        copies = {"before": before, "after": after}
        for name, tree in copies.items():
            copy = args.pyc.resolve() / name
            shutil.copytree(tree, copy, ignore=shutil.ignore_patterns("__pycache__"))
            compileall.compile_dir(copy, quiet=1)
            copies[name] = copy
        before, after = copies["before"], copies["after"]
    contenders: list[tuple[str, Path, Path | None, str]] = [
        ("floor", after, None, ""),
        ("before_ind", before, fw, ""),
        ("after_1thread_ind", after, fw, "1"),
        ("after_ind", after, fw, ""),
    ]
    rounds = []
    for i in range(args.rounds):
        result: dict = {"load": os.getloadavg(), "control": control_speedup()}
        shift = i % len(contenders)  # rotated: no contender always runs first or after another
        for name, src, framework, threads in contenders[shift:] + contenders[:shift]:
            os.environ["PYTHONPATH"] = str(src)
            os.environ["EVALSOC_THREADS"] = threads
            if framework is None:
                result[name] = b.measure(b.FLOOR_IMPORTS, b.FLOOR, csv, None, False, b.FLOOR_SIZE)
            else:
                result[name] = b.measure(b.EVALSOC_IMPORTS, b.EVALSOC, csv, framework, False)
        floor = result["floor"]
        for name, r in result.items():
            if name not in ("load", "control"):
                r["cpu_ratio"] = r["cpu"] / floor["cpu"]
                r["wall_ratio"] = r["seconds"] / floor["seconds"]
        print(json.dumps(result), flush=True)
        rounds.append(result)
    print_table(
        summary([{k: v for k, v in r.items() if k != "control"} for r in rounds]), rounds, None
    )
    speedups = ", ".join(f"{r['control']:.2f}" for r in rounds)
    print(f"\ncontrol (4 numpy sorts, 2 threads / 1), wall speed-up per round: {speedups}")
    print(
        f"\n.pyc: {'both trees compiled, in ' + str(args.pyc) if args.pyc else 'as the trees hold them'}"
    )


if __name__ == "__main__":
    main()
