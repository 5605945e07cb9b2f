"""Compare two runs' results.json on different engines: equal apart from floating point.

Reusable by every engine's end-to-end test: `run_engine(framework, engine, out)` runs
`evalsoc run --engine ENGINE` as a user would, `differences(a, b)` lists every key path where
two results differ beyond `rel` (1e-9 relative, the documented tolerance), after dropping the
keys that record how the run was made (timings, the engine's name) rather than what it found.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

REL = 1e-9
# Keys that describe the run itself, not its numbers (the run's duration, the engine used).
RUN_KEYS = {"duration_seconds", "elapsed_seconds", "engine", "generated_at"}


def run_engine(
    framework: Path, engine: str, out: Path, *, in_process: bool = True, timeout: float = 900
) -> dict[str, Any]:
    """results.json of `evalsoc run FRAMEWORK --engine ENGINE --out OUT` (asserting exit 0).

    In process (click's runner: the command line's own code) by default, so that an engine
    with a costly start (Spark's JVM) starts once per test session; in a subprocess otherwise.
    """
    args = ["run", str(framework), "--engine", engine, "--out", str(out), "--format", "json"]
    if in_process:
        from click.testing import CliRunner

        from evalsoc.cli.main import cli

        result = CliRunner().invoke(cli, args, catch_exceptions=False)
        assert result.exit_code == 0, f"{engine} exited {result.exit_code}: {result.output[-2000:]}"
        return json.loads((out / "results.json").read_text(encoding="utf-8"))
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "evalsoc",
            "run",
            str(framework),
            "--engine",
            engine,
            "--out",
            str(out),
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ},
    )
    assert done.returncode == 0, f"{engine} exited {done.returncode}: {done.stderr[-2000:]}"
    return json.loads((out / "results.json").read_text(encoding="utf-8"))


def differences(a: Any, b: Any, rel: float = REL, path: str = "") -> list[str]:
    """Every path where `a` and `b` differ: numbers beyond `rel` relative (or 1e-12 absolute
    near zero), anything else by equality."""
    if isinstance(a, dict) and isinstance(b, dict):
        out: list[str] = []
        for key in sorted(set(a) | set(b), key=str):
            if key in RUN_KEYS:
                continue
            if key not in a or key not in b:
                out.append(f"{path}/{key}: only in {'second' if key not in a else 'first'}")
            else:
                out.extend(differences(a[key], b[key], rel, f"{path}/{key}"))
        return out
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return [f"{path}: {len(a)} items against {len(b)}"]
        return [
            d for i, (x, y) in enumerate(zip(a, b)) for d in differences(x, y, rel, f"{path}[{i}]")
        ]
    numbers = (int, float)
    if isinstance(a, numbers) and isinstance(b, numbers) and not isinstance(a, bool):
        if isinstance(b, bool):
            return [f"{path}: {a!r} against {b!r}"]
        if math.isclose(a, b, rel_tol=rel, abs_tol=1e-12) or (math.isnan(a) and math.isnan(b)):
            return []
        return [f"{path}: {a!r} against {b!r}"]
    return [] if a == b else [f"{path}: {a!r} against {b!r}"]
