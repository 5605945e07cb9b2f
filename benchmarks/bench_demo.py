"""The whole demo framework at 10^6 participant rows: time per step, and the issue-16 ratio.

Runs `evalsoc run frameworks/chantier-insertion.yaml` (indicators, rubrics, two DiD effects, two
capability sets with waves, volunteering, SROI with 10^5 Monte Carlo draws, report.html) on the
demo data generated at `--n` persons (two waves each: 2·n participant rows), in a fresh child
per run, with the CPU time (`time.process_time`) and wall time of each step read at the
pipeline's progress messages, and the child's peak RSS (`resource`). With `--before` and
`--after` (two `src` folders) the trees run interleaved, so that both see the same load.

The ratio is issue 16's: whole run / (reading + validation + indicators), where "whole run" is
the child's CPU from just before `evalsoc.cli.main` is imported to its exit (imports of the
CLI, loading the framework, every section, writing every output), "reading" the steps
"reading …" of every source, "validation" the steps "validating …", "indicators" the step
"computing indicators" (its first use of scipy included, as in the run).

    python benchmarks/bench_demo.py --n 500000 --before /tmp/base/src --after src
    python benchmarks/bench_demo.py --n 500000 --engine duckdb --before /tmp/base/src --after src
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FRAMEWORK = ROOT / "frameworks" / "chantier-insertion.yaml"

# The child: stamps every progress message with CPU and wall seconds since the CLI import.
CHILD = r"""
import json, resource, sys, time
cpu0, wall0 = time.process_time(), time.perf_counter()
import evalsoc.cli.common as common
from evalsoc.cli.main import main
stamps = []
def stamp(self, message):
    stamps.append([message, time.process_time() - cpu0, time.perf_counter() - wall0])
common._Progress.__call__ = stamp
sys.argv = ["evalsoc", "run", sys.argv[1], "--out", sys.argv[2], *sys.argv[3:]]
try:
    main()
except SystemExit as exc:
    code = exc.code
stamps.append(["end", time.process_time() - cpu0, time.perf_counter() - wall0])
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"code": code, "stamps": stamps, "peak_mb": peak}))
"""


def steps(stamps: list[list[object]]) -> dict[str, list[float]]:
    """CPU and wall seconds per step, the steps named as the issue counts them."""
    first = stamps[0]
    out: dict[str, list[float]] = {"start-up": [float(first[1]), float(first[2])]}  # type: ignore[arg-type]
    for (message, cpu, wall), (_, cpu_next, wall_next) in zip(stamps, stamps[1:]):
        text = str(message)
        if text.startswith("reading "):
            name = "reading"
        elif text.startswith("validating "):
            name = "validation"
        elif text.startswith("computing "):
            name = text.removeprefix("computing ")
        elif text.startswith("writing "):
            name = text.removeprefix("writing ")
        else:
            name = "loading framework"  # "loading …", "engine: …"
        spent = out.setdefault(name, [0.0, 0.0])
        spent[0] += float(cpu_next) - float(cpu)  # type: ignore[arg-type]
        spent[1] += float(wall_next) - float(wall)  # type: ignore[arg-type]
    last = stamps[-1]
    out["whole run"] = [float(last[1]), float(last[2])]  # type: ignore[arg-type]
    return out


def run_once(src: Path, framework: Path, out: Path, engine: str | None = None) -> dict[str, object]:
    env = {**os.environ, "PYTHONPATH": str(src)}
    extra = ["--engine", engine] if engine else []
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(framework), str(out), *extra],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    if result["code"] not in (0, None):
        raise SystemExit(f"evalsoc exited with {result['code']}: {done.stderr[-2000:]}")
    table = steps(result["stamps"])
    base = sum(table.get(k, [0.0, 0.0])[0] for k in ("reading", "validation", "indicators"))
    return {"steps": table, "ratio_cpu": table["whole run"][0] / base, "peak_mb": result["peak_mb"]}


def make_demo(n: int, where: Path) -> Path:
    """The demo data at n persons and a copy of the framework that reads it."""
    data = where / "datasets" / "aci"
    if not (data / "participants.csv").exists():
        subprocess.run(
            [
                sys.executable,
                str(ROOT / "datasets" / "generate.py"),
                "--n",
                str(n),
                "--out",
                str(data),
            ],
            check=True,
            env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
        )
    (where / "frameworks").mkdir(parents=True, exist_ok=True)
    framework = where / "frameworks" / FRAMEWORK.name
    shutil.copyfile(FRAMEWORK, framework)  # its sources are ../datasets/aci/*.csv
    return framework


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=500_000, help="persons (2 rows each)")
    parser.add_argument("--data", type=Path, default=ROOT / "benchmarks" / "data" / "demo")
    parser.add_argument("--before", type=Path, help="src folder of the old tree")
    parser.add_argument("--after", type=Path, default=ROOT / "src", help="src of the new tree")
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--engine", choices=["pandas", "duckdb", "spark"], help="`--engine`")
    args = parser.parse_args()
    framework = make_demo(args.n, args.data / str(args.n))
    trees = {"after": args.after.resolve()}
    if args.before:
        trees = {"before": args.before.resolve(), **trees}
    with tempfile.TemporaryDirectory(prefix="bench-demo-") as scratch:
        for round_ in range(args.rounds):
            for name, src in trees.items():
                load = os.getloadavg()[0]
                result = run_once(src, framework, Path(scratch) / f"{name}-{round_}", args.engine)
                print(json.dumps({"tree": name, "round": round_, "load": load, **result}))
                sys.stdout.flush()


if __name__ == "__main__":
    main()
