"""The Results object: one JSON-ready dict (results.json), plus what the report needs."""

from __future__ import annotations

import hashlib
import json
import platform
import time
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from evalsoc import __version__
from evalsoc.framework.base import label_text
from evalsoc.sections.common import jsonable
from evalsoc.sections.registry import result_keys

RESULTS_FORMAT = 1
PACKAGES = (
    "numpy",
    "scipy",
    "pandas",
    "pyarrow",
    "statsmodels",
    "pandera",
    "pydantic",
    "pyyaml",
    "matplotlib",
    "jinja2",
)


@dataclass
class Results:
    data: dict[str, Any]
    framework: Any
    lang: str
    quarantines: dict[str, Any] = field(default_factory=dict)
    run: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> str:
        """Stable text: same inputs and seed → same bytes (no timestamps inside)."""
        return json.dumps(self.data, ensure_ascii=False, indent=2, allow_nan=False) + "\n"

    def to_frame(self) -> Any:
        """Indicators as a table (one row per indicator and `by` cell), for notebooks."""
        import pandas as pd

        rows = []
        for ind_id, res in self.data["indicators"].items():
            base = {"indicator": ind_id, "group": None}
            rows.append(
                {
                    **base,
                    **{
                        k: res.get(k)
                        for k in ("kind", "value", "ci_low", "ci_high", "n", "status", "target")
                    },
                }
            )
            for cell in res.get("by", []):
                group = ", ".join(f"{k}={v}" for k, v in cell["group"].items())
                rows.append(
                    {
                        "indicator": ind_id,
                        "group": group,
                        "kind": res.get("kind"),
                        **{k: cell.get(k) for k in ("value", "ci_low", "ci_high", "n", "status")},
                        "target": res.get("target"),
                    }
                )
        return pd.DataFrame(rows)

    def _repr_html_(self) -> str:
        return self.to_frame().to_html(index=False)


def _versions() -> dict[str, str]:
    out = {"evalsoc": __version__, "python": platform.python_version()}
    for name in PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


def _relative(path: str, base: str | None) -> str:
    try:
        return Path(path).resolve().relative_to(Path(base or ".").resolve()).as_posix()
    except ValueError:
        return Path(path).name


def build_results(
    framework: Any, ctx: Any, reports: dict, quarantines: dict, lang: str, started: float
) -> Results:
    fw_bytes = Path(framework.source_path).read_bytes() if framework.source_path else b""
    data_section = {}
    for name, report in reports.items():
        entry = report.as_dict()
        entry["file"] = _relative(entry["file"], framework.base_dir)
        data_section[name] = entry
    warnings = [
        {"section": "data", "id": name, "message": note.get(lang, note["en"]), "messages": note}
        for name, report in reports.items()
        for note in report.notes
    ]
    for name, report in reports.items():
        if report.rows_quarantined:
            messages = {
                "fr": f"{report.rows_quarantined} ligne(s) sur {report.rows_read} écartée(s) "
                f"(voir invalid/{name}.csv)",
                "en": f"{report.rows_quarantined} of {report.rows_read} rows quarantined "
                f"(see invalid/{name}.csv)",
            }
            warnings.append(
                {
                    "section": "data",
                    "id": name,
                    "message": messages.get(lang, messages["en"]),
                    "messages": messages,
                }
            )
    warnings.extend(ctx.warnings)
    payload = {
        "format": RESULTS_FORMAT,
        "framework": {
            "id": framework.id,
            "title": label_text(framework.title, lang),
            "language": lang,
            "organisation": label_text(framework.organisation, lang) or None,
            "description": label_text(framework.description, lang) or None,
            "period": {
                "start": framework.period.start if framework.period else None,
                "end": framework.period.end if framework.period else None,
            },
            "min_cell": framework.privacy.min_cell,
        },
        "data": data_section,
        **{key: ctx.results.get(key, {}) for key in result_keys()},
        "privacy": ctx.results.get("privacy", {}),
        "warnings": warnings,
        "provenance": {
            "versions": _versions(),
            "framework_sha256": hashlib.sha256(fw_bytes).hexdigest(),
            "inputs": {
                name: {"file": data_section[name]["file"], "sha256": r.info.sha256}
                for name, r in reports.items()
            },
            "seed": ctx.seed,
        },
    }
    run = {
        "started": time.strftime("%Y-%m-%dT%H:%M:%S%z", time.localtime(started)),
        "duration_seconds": round(time.time() - started, 3),
    }
    return Results(jsonable(payload), framework, lang, quarantines, run)
