"""Load the runs to compare: output folders holding a results.json, or frameworks (run here).

A run carries its results, a label a reader recognises, and — when its framework is at hand —
the SHA-256 of each indicator's YAML definition, so that a changed definition is flagged
rather than silently compared across periods."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from evalsoc.compare.definitions import (  # noqa: F401 (re-exported: compare's users)
    canonical_hash,
    results_definitions,
    yaml_definitions,
)
from evalsoc.errors import FrameworkError

LEVELS = ["insuffisant", "fragile", "satisfaisant", "remarquable"]
UNJUDGED = "preuves_insuffisantes"


@dataclass
class Run:
    """One evaluated run: a site, a year or a programme."""

    label: str
    source: str
    results: dict[str, Any]
    definitions: dict[str, str] = field(default_factory=dict)
    definitions_from: str = "results"  # "yaml" when hashed from the framework file
    weights: dict[str, float] = field(default_factory=dict)  # criterion id → declared weight
    labels: dict[str, dict[str, str]] = field(default_factory=dict)  # indicator id → {fr, en}

    @property
    def framework_id(self) -> str:
        return str(self.results["framework"]["id"])

    @property
    def period(self) -> str:
        period = self.results["framework"].get("period") or {}
        return f"{period.get('start') or ''}/{period.get('end') or ''}"

    @property
    def min_cell(self) -> int:
        return int(self.results["framework"].get("min_cell") or 1)


def load_results_folder(folder: Path) -> dict[str, Any]:
    path = folder / "results.json" if folder.is_dir() else folder
    if not path.is_file():
        raise FrameworkError("compare_no_results", at=str(folder))
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise FrameworkError("compare_results_unreadable", at=str(path), detail=str(exc)) from None
    if not isinstance(data, dict) or "framework" not in data or "indicators" not in data:
        raise FrameworkError("compare_not_results", at=str(path))
    return data


def run_from_folder(folder: Path) -> Run:
    results = load_results_folder(folder)
    return Run(
        label="",
        source=str(folder),
        results=results,
        definitions=results_definitions(results),
    )


_TARGETS_THIS_PROCESS: set[str] = set()  # output folders already written by this compare


def run_from_framework(path: Path, out_dir: Path, *, progress: Any = None) -> Run:
    """Run a framework (writing its usual outputs under out_dir/runs/<id>-<year>/, with a
    suffix when two frameworks share both) and keep its results."""
    from evalsoc.framework.load import load_framework
    from evalsoc.pipeline import run_framework

    framework = load_framework(path)
    start = str((framework.period.start if framework.period else "") or "")[:4]
    name = f"{framework.id}-{start}" if start else framework.id
    target = out_dir / "runs" / name
    suffix = 2
    while str(target.resolve()) in _TARGETS_THIS_PROCESS:
        target = out_dir / "runs" / f"{name}-{suffix}"
        suffix += 1
    _TARGETS_THIS_PROCESS.add(str(target.resolve()))
    kwargs = {"progress": progress} if progress is not None else {}
    results = run_framework(framework, out_dir=target, **kwargs)
    definitions, weights, labels = yaml_definitions(path)
    return Run(
        label="",
        source=str(path),
        results=json.loads(results.to_json()),
        definitions=definitions,
        definitions_from="yaml",
        weights=weights,
        labels=labels,
    )


def is_framework_file(path: Path) -> bool:
    return path.is_file() and path.suffix.lower() in (".yaml", ".yml")


def assign_labels(runs: list[Run]) -> None:
    """`<framework id> <period start year>`, made unique by the folder name when needed."""
    base = []
    for run in runs:
        start = (run.results["framework"].get("period") or {}).get("start") or ""
        base.append(f"{run.framework_id} {str(start)[:4]}".strip())
    for run, label in zip(runs, base):
        run.label = label if base.count(label) == 1 else f"{label} ({Path(run.source).name})"
    labels = [r.label for r in runs]
    dupes = sorted({x for x in labels if labels.count(x) > 1})
    if dupes:
        raise FrameworkError("compare_run_twice_named", runs=", ".join(dupes))


def sort_runs(runs: list[Run]) -> list[Run]:
    """Stable order for byte-identical outputs: by framework id, then period."""
    return sorted(runs, key=lambda r: (r.framework_id, r.period, r.label))
