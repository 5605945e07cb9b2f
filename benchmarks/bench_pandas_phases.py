"""Where the pandas path's time goes after the read, beside the hand-written pandas version
(issue 16, round 10).

bench_scale.py's "ind" framework (validation + 30 indicators) on its 10^6-row CSV, in a fresh
child per round (imports untimed, as bench_scale.py), `EVALSOC_THREADS=1` and threads
alternated. Timers, not a profiler: each function below is wrapped (in its module and in every
evalsoc module that imported it by name) and charged the process CPU time, the calling
thread's CPU time and the wall time of its calls. Functions run on the column threads
(`convert_column`, the file hash) are charged their own thread's CPU time. Nested phases are
inside their parent's figure (the table's indentation says which).

The hand-written version (bench_scale.PANDAS) is timed the same way, step by step: its code is
cut at its `# step:` comments and each piece is timed.

    cd benchmarks && PYTHONPATH=../src python bench_pandas_phases.py --rounds 3
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import textwrap
from pathlib import Path

import bench_scale as b

# (label, module, attribute; "Class.method" for a method), in the table's order; the depth of
# the label's indentation is its nesting.
PHASES = [
    ("read", "evalsoc.data.read", "read_table"),
    ("  Arrow's CSV parse", "evalsoc.data.csv_file", "_parse_csv"),
    ("  SHA-256 + UTF-8 check (own thread)", "evalsoc.data.csv_file", "_scan_bytes"),
    ("prepare", "evalsoc.data.prepare", "prepare"),
    ("validate", "evalsoc.data.validate", "validate_source"),
    ("  conversions (per column, own thread)", "evalsoc.data.convert", "convert_column"),
    ("  prescreen", "evalsoc.data.prescreen", "columns_to_check"),
    ("  pandera (suspect checks)", "evalsoc.data.validate", "_pandera_failures"),
    ("  settle failures", "evalsoc.data.validate", "settle_failures"),
    ("  kept rows", "evalsoc.data.keep_rows", "kept_rows"),
    ("  quarantine table", "evalsoc.data.validate", "quarantine_table"),
    ("policy + column checks", "evalsoc.pipeline", "check_columns"),
    ("engine", "evalsoc.engines.registry", "create_engine"),
    ("sections", "evalsoc.pipeline", "compute_sections"),
    ("  indicators", "evalsoc.pipeline", "compute_indicators"),
    ("    statistics (engine)", "evalsoc.engines.pandas", "PandasEngine.grouped_statistics"),
    ("      groups (engine)", "evalsoc.engines.pandas", "PandasEngine.groups"),
    ("    rows (engine)", "evalsoc.engines.pandas", "PandasEngine.rows"),
    ("    overall values", "evalsoc.sections.indicators.compute", "raw_quantitative"),
    ("    publication", "evalsoc.sections.indicators.compute", "publish_quantitative"),
    ("    disclosure audit", "evalsoc.privacy.indicators", "audit_indicators"),
    ("    audit rows", "evalsoc.sections.indicators.compute", "row_support"),
    ("results document", "evalsoc.results", "build_results"),
    ("  schema check", "evalsoc.results", "check_document"),
]

THREAD_OWN = {"convert_column", "_scan_bytes"}

CHILD = r"""
import functools, importlib, json, os, sys, threading, time
from pathlib import Path
PREPARE
PHASES = json.loads(sys.argv[2])
THREAD_OWN = set(json.loads(sys.argv[3]))
spent = {}
lock = threading.Lock()

def timed(label, function, own_thread):
    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        cpu, thread, wall = time.process_time(), time.thread_time(), time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            figures = (time.process_time() - cpu, time.thread_time() - thread,
                       time.perf_counter() - wall)
            with lock:
                old = spent.get(label, (0.0, 0.0, 0.0, 0))
                spent[label] = (old[0] + figures[0], old[1] + figures[1], old[2] + figures[2],
                                old[3] + 1)
    return wrapper

for label, module, attribute in PHASES:
    found = importlib.import_module(module)
    owner, name = found, attribute
    if "." in attribute:
        owner_name, name = attribute.split(".")
        owner = getattr(found, owner_name)
    original = getattr(owner, name)
    wrapped = timed(label, original, name in THREAD_OWN)
    setattr(owner, name, wrapped)
    if owner is found:  # also where a module imported it by name
        for other in list(sys.modules.values()):
            if getattr(other, "__name__", "").startswith("evalsoc") and \
                    getattr(other, name, None) is original:
                setattr(other, name, wrapped)
# The intervals' own work: the sums of squares (power 2) and their arithmetic (stats/intervals.py)
from evalsoc.sections.indicators import compute as indicators_compute, shared_sums
plain_sums = shared_sums.group_sums
def squares_timed(codes, ngroups, values, power):
    if power != 2:
        return plain_sums(codes, ngroups, values, power)
    return timed("intervals: Σx² per group", plain_sums, False)(codes, ngroups, values, power)
shared_sums.group_sums = indicators_compute.group_sums = squares_timed
for name in ("mean_t", "wilson", "ratio_delta"):
    setattr(indicators_compute, name,
            timed("intervals: arithmetic (t, Wilson, delta)", getattr(indicators_compute, name), False))
from evalsoc.pipeline import run_framework
cpu, wall = time.process_time(), time.perf_counter()
run_framework(Path(sys.argv[1]), write=False)
spent["whole run"] = (time.process_time() - cpu, 0.0, time.perf_counter() - wall, 1)
print("PHASES", json.dumps(spent))
"""

HAND = r"""
import json, sys, time
FILE = sys.argv[1]; PARQUET = False
PREPARE
spent = {}
for piece in STEPS:
    label, code = piece
    cpu, wall = time.process_time(), time.perf_counter()
    exec(code)
    spent[label] = (time.process_time() - cpu, 0.0, time.perf_counter() - wall, 1)
print("PHASES", json.dumps(spent))
"""


def hand_steps() -> list[tuple[str, str]]:
    """bench_scale.PANDAS cut at its `# step: NAME` comments."""
    steps: list[tuple[str, str]] = []
    for line in textwrap.dedent(b.PANDAS).splitlines():
        if line.startswith("# step:"):
            steps.append((line[len("# step:") :].strip(), ""))
        elif steps:
            steps[-1] = (steps[-1][0], steps[-1][1] + line + "\n")
        elif line.strip():
            steps.append(("setup", line + "\n"))
    return steps


def run_child(script: str, argv: list[str], env: dict) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", script, *argv], env=env, capture_output=True, text=True
    )
    if out.returncode:
        raise RuntimeError(out.stderr[-3000:])
    line = [x for x in out.stdout.splitlines() if x.startswith("PHASES ")][-1]
    return json.loads(line[len("PHASES ") :])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    csv = b.DATA / f"scale_{args.rows}.csv"
    if not csv.exists():
        b.make_data(args.rows, csv, b.DATA / f"scale_{args.rows}.parquet")
    framework = b.DATA / f"scale_{args.rows}_csv_ind_pandas.yaml"
    framework.write_text(b.framework_yaml(csv, "pandas", False), encoding="utf-8")
    child = CHILD.replace("PREPARE", b.EVALSOC_IMPORTS)
    hand = HAND.replace("PREPARE", b.PANDAS_IMPORTS + f"\nSTEPS = {hand_steps()!r}")
    phases = json.dumps([list(p) for p in PHASES])
    runs: dict[str, list[dict]] = {"threads": [], "one thread": [], "by hand": []}
    loads = []
    for i in range(args.rounds):
        loads.append(os.getloadavg()[0])
        order = ["threads", "one thread", "by hand"]
        for name in order[i % 3 :] + order[: i % 3]:
            env = dict(os.environ)
            if name == "one thread":
                env["EVALSOC_THREADS"] = "1"
            if name == "by hand":
                runs[name].append(run_child(hand, [str(csv)], env))
            else:
                argv = [str(framework), phases, json.dumps(sorted(THREAD_OWN))]
                runs[name].append(run_child(child, argv, env))
        print(json.dumps({"load": loads[-1], **{k: v[-1] for k, v in runs.items()}}), flush=True)
    print_tables(runs, loads)


def medians(rounds: list[dict]) -> dict[str, tuple[float, float, float, int]]:
    labels = list(dict.fromkeys(k for r in rounds for k in r))
    out = {}
    for label in labels:
        got = [r[label] for r in rounds if label in r]
        out[label] = tuple(statistics.median(x[j] for x in got) for j in range(3)) + (got[0][3],)
    return out


def print_tables(runs: dict[str, list[dict]], loads: list[float]) -> None:
    print(
        f"\n{len(loads)} rounds, load (1 min) {min(loads):.1f}–{max(loads):.1f}; medians; "
        "CPU = process CPU s during the calls (all threads), own = the calling thread's, wall s\n"
    )
    print("| step | calls | threads: CPU · own · wall | EVALSOC_THREADS=1: CPU · own · wall |")
    print("|---|---:|---:|---:|")
    threads, one = medians(runs["threads"]), medians(runs["one thread"])
    extra = ["intervals: Σx² per group", "intervals: arithmetic (t, Wilson, delta)"]
    for label in [p[0] for p in PHASES] + extra + ["whole run"]:
        if label not in threads:
            continue
        a, c = threads[label], one.get(label, (0, 0, 0, 0))
        shown = label.replace("  ", "· ")
        print(
            f"| {shown} | {a[3]} | {a[0]:.3f} · {a[1]:.3f} · {a[2]:.3f} "
            f"| {c[0]:.3f} · {c[1]:.3f} · {c[2]:.3f} |"
        )
    print("\n| pandas by hand: step | CPU s | wall s |")
    print("|---|---:|---:|")
    hand = medians(runs["by hand"])
    for label, (cpu, _, wall, _) in hand.items():
        print(f"| {label} | {cpu:.3f} | {wall:.3f} |")
    total = [sum(v[0] for v in r.values()) for r in runs["by hand"]]
    walls = [sum(v[2] for v in r.values()) for r in runs["by hand"]]
    print(f"| all | {statistics.median(total):.3f} | {statistics.median(walls):.3f} |")


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    main()
