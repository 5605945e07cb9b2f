"""results.json: every figure, for programs and researchers (stable bytes)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

FILENAME = "results.json"


def write(results: Any, folder: Path) -> Path:
    path = folder / FILENAME
    path.write_text(results.to_json(), encoding="utf-8")
    return path
