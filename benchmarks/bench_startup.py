"""Start-up (issue 16): `evalsoc validate` on a 3-row framework against `python -c "import
pandas, pyarrow"`, whole processes, run in rounds (A B ... A B ...) so that the ratios of one
round hold while the machine's speed drifts. Reports the medians of CPU time (user + system, the
kernel's accounting of the finished child), wall time and peak RSS, the median of the per-round
ratios, the load average, and what `validate` imports beyond pandas and pyarrow
(`python -X importtime`: self time summed by package, one run).

Also timed in each round: the libraries `validate` cannot do without, imported and nothing else
(pandas, pyarrow, pydantic, PyYAML, click and pandera's pandas API, imported as evalsoc imports
it: the floor of any `validate` that keeps pandera), `evalsoc --help`, and with `--before
BASE/src` the same two commands from another tree (e.g. a `git archive` of the round's start).

Each evalsoc tree is copied to a temporary folder and byte-compiled there, so that its modules
load from bytecode as they do once installed by pip (which compiles them at install time), as
pandas' and pyarrow's do; the source trees are not touched. `--no-bytecode` runs the sources as
they are instead (with PYTHONDONTWRITEBYTECODE=1, every run compiles evalsoc's modules again).

    PYTHONPATH=src python benchmarks/bench_startup.py --runs 7 [--before BASE/src] [--run]

`--run` also times a whole `evalsoc run` of the same framework, `--format json` and `--format
pdf` (the run's fixed costs: results.json's package versions, the PDF workers), after and
before; a child's CPU counts the worker processes it started and waited for (wait4).
"""

from __future__ import annotations

import argparse
import compileall
import importlib.util
import os
import re
import shutil
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
HELP = [sys.executable, "-m", "evalsoc", "--help"]
RUN_JSON = [*VALIDATE[:3], "run", "tiny.yaml", "--format", "json", "-q", "--out"]
RUN_PDF = [*VALIDATE[:3], "run", "tiny.yaml", "--format", "pdf", "-q", "--out"]
IMPORTS = [sys.executable, "-c", "import pandas, pyarrow"]
# pandera imported as evalsoc imports it (data/pandera_import.py): without the pyspark.pandas
# and hypothesis it would otherwise load, and which evalsoc does not use.
FLOOR = [
    sys.executable,
    "-c",
    "import sys; import pandas, pyarrow, pydantic, yaml, click; "
    "sys.modules.update({'pyspark.pandas': None, 'hypothesis': None}); "
    "import pandera.backends.pandas.builtin_checks, pandera.pandas",
]


def run(cmd: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float, float]:
    """(CPU s, wall s, peak RSS MiB) of one whole process."""
    start = time.perf_counter()
    child = subprocess.Popen(
        cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode:
        assert child.stderr is not None
        sys.exit(f"{' '.join(cmd)} failed: {child.stderr.read().decode()[-2000:]}")
    return usage.ru_utime + usage.ru_stime, wall, usage.ru_maxrss / 1024


def import_costs(cmd: list[str], cwd: Path, env: dict[str, str]) -> dict[str, tuple[int, int]]:
    """{module: (self µs, cumulative µs)} from one `python -X importtime` run."""
    proc = subprocess.run(
        [cmd[0], "-X", "importtime", *cmd[1:]], cwd=cwd, env=env, capture_output=True, text=True
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


def evalsoc_env(src: Path, folder: Path, name: str, bytecode: bool) -> dict[str, str]:
    """The environment of a child that imports evalsoc from `src` (copied and byte-compiled
    unless `bytecode` is False)."""
    if bytecode:
        copy = folder / name / "src"
        shutil.copytree(src, copy, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        if not compileall.compile_dir(copy, quiet=1):
            sys.exit(f"{src}: byte-compilation failed")
        src = copy
    return {**os.environ, "PYTHONPATH": str(src)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="rounds counted (after one warm-up)")
    parser.add_argument("--top", type=int, default=25, help="packages listed by import cost")
    parser.add_argument("--before", type=Path, help="another tree's src/, timed alongside")
    parser.add_argument(
        "--no-bytecode",
        dest="bytecode",
        action="store_false",
        help="run evalsoc's sources as they are (no byte-compiled copy)",
    )
    parser.add_argument(
        "--run", action="store_true", help="also time `evalsoc run` (json, pdf) after and before"
    )
    args = parser.parse_args()
    spec = importlib.util.find_spec("evalsoc")  # finds the package without importing it
    assert spec is not None and spec.submodule_search_locations is not None
    after_src = Path(list(spec.submodule_search_locations)[0]).parent
    folder = Path(tempfile.mkdtemp(prefix="bench-startup-"))
    (folder / "tiny.csv").write_text("id;x;site\n1;2,5;a\n2;3;b\n3;5;a\n", encoding="utf-8")
    (folder / "tiny.yaml").write_text(FRAMEWORK, encoding="utf-8")
    after = evalsoc_env(after_src, folder, "after", args.bytecode)
    library = {**os.environ}
    contenders: list[tuple[str, list[str], dict[str, str]]] = [
        ("evalsoc validate tiny.yaml", VALIDATE, after),
        ("python -c 'import pandas, pyarrow'", IMPORTS, library),
        ("floor: pandas, pyarrow, pydantic, yaml, click, pandera.pandas", FLOOR, library),
        ("evalsoc --help", HELP, after),
    ]
    if args.before:
        before = evalsoc_env(args.before.resolve(), folder, "before", args.bytecode)
        contenders += [
            ("before: evalsoc validate tiny.yaml", VALIDATE, before),
            ("before: evalsoc --help", HELP, before),
        ]
    runs_from = len(contenders)
    if args.run:
        trees = [("", after)] + ([("before: ", before)] if args.before else [])
        for label, env in trees:
            out = f"out-{label.strip(': ') or 'after'}"
            contenders += [
                (f"{label}evalsoc run tiny.yaml --format json", [*RUN_JSON, out + "-json"], env),
                (f"{label}evalsoc run tiny.yaml --format pdf", [*RUN_PDF, out + "-pdf"], env),
            ]
    loads = [os.getloadavg()[0]]
    rounds = []
    for i in range(args.runs + 1):
        measured = [run(cmd, folder, env) for _, cmd, env in contenders]
        if i:  # the first round warms the file cache
            rounds.append(measured)
    loads.append(os.getloadavg()[0])

    def median(values: list[float]) -> float:
        return statistics.median(values)

    def ratio(a: int, b: int, j: int = 0) -> float:
        return median([r[a][j] / r[b][j] for r in rounds])

    print(
        f"## Start-up: {args.runs} rounds, load average {loads[0]:.1f} → {loads[1]:.1f}, "
        f"evalsoc {'byte-compiled' if args.bytecode else 'from its sources as they are'}\n"
    )
    print("| command | CPU s | wall s | peak MiB |\n|---|---:|---:|---:|")
    for k, (name, _, _) in enumerate(contenders):
        cpu, wall, peak = (median([r[k][j] for r in rounds]) for j in range(3))
        print(f"| `{name}` | {cpu:.3f} | {wall:.3f} | {peak:.1f} |")
    print("\nRatios (median of the per-round ratios), CPU · wall:\n")
    print(
        f"- validate / imports: CPU **{ratio(0, 1):.2f}×** · wall {ratio(0, 1, 1):.2f}× "
        "(target ≤ 1.5×)"
    )
    print(f"- floor / imports: CPU {ratio(2, 1):.2f}× · wall {ratio(2, 1, 1):.2f}×")
    print(f"- validate / floor: CPU {ratio(0, 2):.2f}× · wall {ratio(0, 2, 1):.2f}×")
    if args.before:
        print(f"- before validate / imports: CPU {ratio(4, 1):.2f}× · wall {ratio(4, 1, 1):.2f}×")
        print(f"- validate after / before: CPU {ratio(0, 4):.2f}× · wall {ratio(0, 4, 1):.2f}×")
        print(f"- --help after / before: CPU {ratio(3, 5):.2f}× · wall {ratio(3, 5, 1):.2f}×")
    if args.run and args.before:
        first = runs_from
        print(
            f"- run --format json after / before: CPU {ratio(first, first + 2):.2f}× · "
            f"wall {ratio(first, first + 2, 1):.2f}×"
        )
        print(
            f"- run --format pdf after / before: CPU {ratio(first + 1, first + 3):.2f}× · "
            f"wall {ratio(first + 1, first + 3, 1):.2f}×"
        )
    print()
    base = import_costs(IMPORTS, folder, library)
    costs = import_costs(VALIDATE, folder, after)
    # The copies are removed only now: with them gone, the import listing ran whatever evalsoc
    # the environment has installed instead of this tree.
    shutil.rmtree(folder / "after", ignore_errors=True)
    shutil.rmtree(folder / "before", ignore_errors=True)
    extra = {m: c for m, c in costs.items() if m not in base}
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
