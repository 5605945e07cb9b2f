"""Start-up (issue 16): `evalsoc validate` on a 3-row framework against `python -c "import
pandas, pyarrow"`, whole processes, run in pairs (A B A B ...) so that the ratio of each pair
holds while the machine's speed drifts. Reports the medians of CPU time (user + system, the
kernel's accounting of the finished child), wall time and peak RSS, the median of the per-pair
ratios, the load average, and what `validate` imports beyond pandas and pyarrow
(`python -X importtime`: self time summed by package, one run).

    PYTHONPATH=src python benchmarks/bench_startup.py --runs 7
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

FRAMEWORK = """evalsoc: 1
id: tiny
title: tiny
data:
  d:
    file: tiny.csv
    key: [id]
    columns:
      id: {type: integer}
      x: {type: number}
      site: {type: category, values: [a, b]}
dimensions:
  - id: d
    criteria:
      - id: c
        indicators:
          - {id: m, mean: x, data: d, by: [site]}
          - {id: p, proportion: "x > 2", data: d}
          - {id: med, median: x, data: d}
"""
VALIDATE = [sys.executable, "-m", "evalsoc", "validate", "tiny.yaml"]
IMPORTS = [sys.executable, "-c", "import pandas, pyarrow"]


def run(cmd: list[str], cwd: Path) -> tuple[float, float, float]:
    """(CPU s, wall s, peak RSS MiB) of one whole process."""
    start = time.perf_counter()
    child = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode:
        assert child.stderr is not None
        sys.exit(f"{' '.join(cmd)} failed: {child.stderr.read().decode()[-2000:]}")
    return usage.ru_utime + usage.ru_stime, wall, usage.ru_maxrss / 1024


def import_costs(cmd: list[str], cwd: Path) -> dict[str, tuple[int, int]]:
    """{module: (self µs, cumulative µs)} from one `python -X importtime` run."""
    proc = subprocess.run(
        [cmd[0], "-X", "importtime", *cmd[1:]], cwd=cwd, capture_output=True, text=True
    )
    found = {}
    for line in proc.stderr.splitlines():
        m = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|\s*(\S+)", line)
        if m:
            found[m.group(3)] = (int(m.group(1)), int(m.group(2)))
    return found


def package(module: str) -> str:
    parts = module.split(".")
    return ".".join(parts[:3]) if parts[0] == "evalsoc" else parts[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="pairs counted (after one warm-up)")
    parser.add_argument("--top", type=int, default=25, help="packages listed by import cost")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-startup-"))
    (folder / "tiny.csv").write_text("id;x;site\n1;2,5;a\n2;3;b\n3;5;a\n", encoding="utf-8")
    (folder / "tiny.yaml").write_text(FRAMEWORK, encoding="utf-8")
    loads = [os.getloadavg()[0]]
    pairs = []
    for i in range(args.runs + 1):
        a = run(VALIDATE, folder)
        b = run(IMPORTS, folder)
        if i:  # the first pair warms the file cache
            pairs.append((a, b))
    loads.append(os.getloadavg()[0])

    def median(values: list[float]) -> float:
        return statistics.median(values)

    print(f"## Start-up: {args.runs} pairs, load average {loads[0]:.1f} → {loads[1]:.1f}\n")
    print("| command | CPU s | wall s | peak MiB |\n|---|---:|---:|---:|")
    for k, name in ((0, "evalsoc validate tiny.yaml"), (1, "python -c 'import pandas, pyarrow'")):
        cpu, wall, peak = (median([p[k][j] for p in pairs]) for j in range(3))
        print(f"| `{name}` | {cpu:.3f} | {wall:.3f} | {peak:.1f} |")
    cpu_ratio = median([a[0] / b[0] for a, b in pairs])
    wall_ratio = median([a[1] / b[1] for a, b in pairs])
    print(
        f"\nRatio validate / imports (median of per-pair ratios): CPU **{cpu_ratio:.2f}×**, "
        f"wall {wall_ratio:.2f}× (target ≤ 1.5×).\n"
    )
    base = import_costs(IMPORTS, folder)
    extra = {m: c for m, c in import_costs(VALIDATE, folder).items() if m not in base}
    by_package: Counter[str] = Counter()
    for module, (own, _) in extra.items():
        by_package[package(module)] += own
    total = sum(by_package.values())
    print(
        f"Imported by validate beyond pandas and pyarrow: {len(extra)} modules, "
        f"{total / 1000:.0f} ms of import self time (under -X importtime, one run):\n"
    )
    print("| package | self ms | share |\n|---|---:|---:|")
    for name, own in by_package.most_common(args.top):
        print(f"| {name} | {own / 1000:.1f} | {own / total:.0%} |")


if __name__ == "__main__":
    main()
