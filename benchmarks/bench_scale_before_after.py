"""Two evalsoc trees on bench_scale.py's 10^6-row file, interleaved, against the load floor.

Same contenders and definition as bench_scale.py (fresh child each, imports untimed), but only
the floor and evalsoc's "ind" (and "full") frameworks, once per tree and round: the before/after
of a change in one call, so that every contender sees the same machine load.

The floor (`pd.read_csv(engine="pyarrow")`) moved by 70 % between two rounds of one call in
round 7. Its user time is steady (≈ 1.0–1.1 s at 10^6 rows); its system time is not (0.15–0.9 s):
Arrow's default allocator (mimalloc) asks for transparent huge pages, and how much the kernel
spends finding and zeroing them depends on what the other processes left in memory. evalsoc
reads the same file through the same allocator and pays the same. So the figures are
(round 8):
- several interleaved rounds (default 5), the order of the contenders rotated each round;
- per contender, the median of its rounds and the spread (min–max), CPU (user + system, and
  each apart) and wall;
- the ratio to the floor = median of the contender / median of the floor, in CPU and in wall,
  and the median of the per-round ratios beside it;
- the floor times only the read; the data's size (`memory_usage(deep=True)`) is taken after
  the timer stops.

`--hand` adds the same validation and indicators hand-written in pandas (bench_scale.py's
`PANDAS`, round 10) as one more contender of every round.

    python benchmarks/bench_scale_before_after.py --before /tmp/base/src --after src --rounds 5
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
from pathlib import Path

import bench_scale as b

POOLS = ("mimalloc", "jemalloc", "system")


def summary(rounds: list[dict]) -> dict:
    """Median and spread of each contender over the rounds, and its ratios to the floor."""
    names = [name for name in rounds[0] if name != "load"]
    out: dict[str, dict] = {}
    floor = {k: statistics.median(r["floor"][k] for r in rounds) for k in ("cpu", "seconds")}
    for name in names:
        runs = [r[name] for r in rounds]
        row: dict[str, float] = {}
        for key in ("cpu", "user", "sys", "seconds", "peak_mb"):
            values = [run[key] for run in runs]
            row[key] = statistics.median(values)
            row[key + "_min"], row[key + "_max"] = min(values), max(values)
        row["cpu_ratio"] = row["cpu"] / floor["cpu"]
        row["wall_ratio"] = row["seconds"] / floor["seconds"]
        row["cpu_ratio_paired"] = statistics.median(run["cpu_ratio"] for run in runs)
        row["wall_ratio_paired"] = statistics.median(run["wall_ratio"] for run in runs)
        out[name] = row
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, required=True, help="src folder of the old tree")
    parser.add_argument("--after", type=Path, required=True, help="src folder of the new tree")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--kinds", nargs="+", default=["ind", "full"], choices=["ind", "full"])
    parser.add_argument(
        "--hand",
        action="store_true",
        help="also the same work hand-written in pandas (bench_scale.PANDAS), round 10",
    )
    parser.add_argument(
        "--arrow-pool",
        choices=POOLS,
        help="Arrow's allocator for every contender alike (default: Arrow's own choice)",
    )
    args = parser.parse_args()
    if args.arrow_pool:
        os.environ["ARROW_DEFAULT_MEMORY_POOL"] = args.arrow_pool
    b.DATA.mkdir(exist_ok=True)
    csv, parquet = b.DATA / f"scale_{args.rows}.csv", b.DATA / f"scale_{args.rows}.parquet"
    if not (csv.exists() and parquet.exists()):
        b.make_data(args.rows, csv, parquet)
    frameworks = {}
    for kind in args.kinds:
        fw = b.DATA / f"scale_{args.rows}_csv_{kind}_pandas.yaml"
        fw.write_text(b.framework_yaml(csv, "pandas", kind == "full"), encoding="utf-8")
        frameworks[kind] = fw
    trees = {"before": args.before.resolve(), "after": args.after.resolve()}
    contenders: list[tuple[str, Path, Path | None]] = [("floor", trees["after"], None)]
    if args.hand:
        contenders.append(("pandas_by_hand", trees["after"], None))
    contenders += [
        (f"{t}_{k}", src, fw) for t, src in trees.items() for k, fw in frameworks.items()
    ]
    rounds = []
    for i in range(args.rounds):
        result: dict = {"load": os.getloadavg()}
        shift = i % len(contenders)  # rotated: no contender always runs first or after another
        for name, src, fw in contenders[shift:] + contenders[:shift]:
            os.environ["PYTHONPATH"] = str(src)
            if name == "pandas_by_hand":
                result[name] = b.measure(b.PANDAS_IMPORTS, b.PANDAS, csv, None, False)
            elif fw is None:
                result[name] = b.measure(b.FLOOR_IMPORTS, b.FLOOR, csv, None, False, b.FLOOR_SIZE)
            else:
                result[name] = b.measure(b.EVALSOC_IMPORTS, b.EVALSOC, csv, fw, "full" in name)
        floor = result["floor"]
        for name, r in result.items():
            if name != "load":
                r["cpu_ratio"] = r["cpu"] / floor["cpu"]
                r["wall_ratio"] = r["seconds"] / floor["seconds"]
        print(json.dumps(result), flush=True)
        rounds.append(result)
    print_table(summary(rounds), rounds, args.arrow_pool)


def print_table(table: dict, rounds: list[dict], pool: str | None) -> None:
    loads = [r["load"][0] for r in rounds]
    print(
        f"\n{len(rounds)} rounds, load (1 min) {min(loads):.1f}–{max(loads):.1f}, "
        f"Arrow pool: {pool or 'default'}; median [min–max]\n"
    )
    print(
        "| contender | CPU s | user s | system s | / floor CPU (paired) "
        "| wall s | / floor wall (paired) | peak MB |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for name, r in table.items():
        print(
            f"| {name} | {_cell(r, 'cpu')} | {_cell(r, 'user')} | {_cell(r, 'sys')} "
            f"| **{r['cpu_ratio']:.2f}** ({r['cpu_ratio_paired']:.2f}) | {_cell(r, 'seconds', 1)} "
            f"| **{r['wall_ratio']:.2f}** ({r['wall_ratio_paired']:.2f}) | {r['peak_mb']:.0f} |"
        )


def _cell(row: dict, key: str, digits: int = 2) -> str:
    """Median [min–max] of one figure."""
    return f"{row[key]:.{digits}f} [{row[key + '_min']:.{digits}f}–{row[key + '_max']:.{digits}f}]"


if __name__ == "__main__":
    main()
