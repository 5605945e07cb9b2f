"""Run a framework of tests/data/effects as `evalsoc run` does (pipeline.run_framework, the
function the CLI calls, in-process to spare a second interpreter start) and read its outputs."""

from __future__ import annotations

import json
from pathlib import Path

DATA = Path(__file__).resolve().parents[2] / "data" / "effects"


def run_cli(name: str, out: Path) -> tuple[dict, str]:
    """results.json (refusing NaN) and report.html of `evalsoc run DATA/name --out out`."""
    from evalsoc.pipeline import run_framework

    run_framework(str(DATA / name), out_dir=out)

    def refuse(constant: str) -> None:
        raise AssertionError(f"results.json holds {constant}")

    results = json.loads((out / "results.json").read_text(encoding="utf-8"), parse_constant=refuse)
    return results, (out / "report.html").read_text(encoding="utf-8")
