"""report.html: the self-contained page (inline CSS and SVG, no external request)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

FILENAME = "report.html"


def write(results: Any, folder: Path) -> Path:
    from evalsoc.report.html import render_report

    path = folder / FILENAME
    path.write_text(render_report(results), encoding="utf-8")
    return path
