"""Run a framework of tests/data/practice as `evalsoc run` does (pipeline.run_framework, the
function the CLI calls, in-process) and read results.json and both reports."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "practice"


def run_practice(name: str, out: Path, lang: str | None = None) -> tuple[dict, str]:
    """results.json (refusing NaN) and report.html of `evalsoc run DATA/name --out out`."""
    from evalsoc.pipeline import run_framework

    run_framework(str(DATA / name), out_dir=out, lang=lang)

    def refuse(constant: str) -> None:
        raise AssertionError(f"results.json holds {constant}")

    results = json.loads((out / "results.json").read_text(encoding="utf-8"), parse_constant=refuse)
    return results, (out / "report.html").read_text(encoding="utf-8")


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "evalsoc", *args], capture_output=True, text=True, timeout=300
    )


def variant(tmp: Path, name: str, old: str, new: str) -> Path:
    """A copy of DATA/name (with its data files) where `old` is replaced by `new`."""
    text = (DATA / name).read_text(encoding="utf-8")
    assert old in text, old
    for data in DATA.glob("*.csv"):
        (tmp / data.name).write_bytes(data.read_bytes())
    path = tmp / name
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path
