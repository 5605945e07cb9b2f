"""Run every benchmark (bench_*.py) and gather their markdown into benchmarks/results.md.

.venv/bin/python benchmarks/run_all.py            # all
.venv/bin/python benchmarks/run_all.py --only foundation capability
.venv/bin/python benchmarks/run_all.py --collect  # only re-assemble results.md
"""

from __future__ import annotations

import argparse
import platform
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ORDER = ["foundation", "effects", "capability", "agreement", "sroi"]


def collect() -> None:
    parts = [
        "# Benchmark results",
        "",
        "Each section is written by its benchmark script (`benchmarks/bench_<name>.py`) and gathered "
        "here by `benchmarks/run_all.py`. Ratios compare contenders measured in the same run on the "
        f"same machine ({platform.machine()}, 2 cores, shared). Absolute times vary between machines; "
        "the ratios are the figures to watch.",
        "",
    ]
    names = sorted(
        HERE.glob("results_*.md"),
        key=lambda p: (ORDER.index(p.stem[8:]) if p.stem[8:] in ORDER else 99, p.name),
    )
    for path in names:
        parts.append(path.read_text(encoding="utf-8").strip())
        parts.append("")
    (HERE / "results.md").write_text("\n".join(parts), encoding="utf-8")
    print(f"wrote {HERE / 'results.md'} ({len(names)} sections)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", nargs="*")
    parser.add_argument("--collect", action="store_true")
    args = parser.parse_args()
    if not args.collect:
        for script in sorted(HERE.glob("bench_*.py")):
            name = script.stem[6:]
            if args.only and name not in args.only:
                continue
            print(f"== {script.name}", flush=True)
            subprocess.run([sys.executable, str(script)], check=True)
    collect()


if __name__ == "__main__":
    main()
