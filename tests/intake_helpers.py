"""Run a framework written by a test over fixtures written by the test."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

HEAD = """
evalsoc: 1
id: intake
title: {fr: "Intake", en: "Intake"}
language: fr
privacy: {min_cell: 1}
"""


def framework(folder: Path, body: str, min_cell: int = 1) -> Path:
    text = HEAD.replace("min_cell: 1", f"min_cell: {min_cell}") + textwrap.dedent(body)
    path = folder / "framework.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def run(folder: Path, body: str, min_cell: int = 1) -> dict[str, Any]:
    """In-process run (fast): the results as results.json holds them."""
    from evalsoc.pipeline import run_framework

    results = run_framework(framework(folder, body, min_cell), write=False)
    return json.loads(results.to_json())


def cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "evalsoc", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=300,
    )


def indicator(results: dict, ind_id: str) -> dict:
    return results["indicators"][ind_id]


def reconciles(entry: dict) -> bool:
    return entry["rows_read"] == (
        entry["rows_used"]
        + entry["rows_quarantined"]
        + entry["rows_filtered"]
        + entry["rows_unmatched"]
    )
