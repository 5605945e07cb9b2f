"""The Results object: results.json as a JSON-ready dict checked against its typed contract
(results_schema.ResultsDocument), tidy tables per section, a summary and a notebook view."""

from __future__ import annotations

import hashlib
import json
import platform
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from evalsoc._version import __version__
from evalsoc.framework.base import label_text
from evalsoc.results_schema import RESULTS_FORMAT, ResultsDocument, check_document
from evalsoc.sections.common import jsonable
from evalsoc.sections.registry import result_keys

__all__ = ["RESULTS_FORMAT", "Results", "build_results"]
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
    # Past values of each indicator from the history store, for the report's trend section
    # (not part of results.json: they are earlier runs' results).
    history: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def to_json(self) -> str:
        """Stable text: same inputs and seed → same bytes (no timestamps inside)."""
        return json.dumps(self.data, ensure_ascii=False, indent=2, allow_nan=False) + "\n"

    @property
    def document(self) -> ResultsDocument:
        """The results as typed objects (attribute access, IDE completion)."""
        return check_document(self.data)

    def to_frame(self) -> Any:
        """Indicators as a table (one row per indicator and `by` cell), for notebooks."""
        return self.to_frames()["indicators"]

    def to_frames(self) -> dict[str, Any]:
        """One tidy table per section (data, indicators, criteria, effects, capabilities,
        volunteering, sroi): one row per published figure, suppressed ones included as such."""
        from evalsoc.result_frames import result_frames

        return result_frames(self.data)

    def summary(self) -> str:
        """A plain-text overview: sources, verdicts, effects, SROI."""
        from evalsoc.result_frames import summary_text

        return summary_text(self.data)

    def _repr_html_(self) -> str:
        from html import escape

        parts = [f"<h3>{escape(str(self.data['framework']['title']))}</h3>"]
        for name, frame in self.to_frames().items():
            if len(frame):
                parts.append(f"<h4>{escape(name)}</h4>")
                parts.append(frame.to_html(index=False, max_rows=30, escape=True))
        return "\n".join(parts)


def _versions() -> dict[str, str]:
    """The same strings as `importlib.metadata.version` ("not installed" when absent), read
    without indexing every installed distribution (package_versions.py)."""
    from evalsoc.package_versions import versions

    return {"evalsoc": __version__, "python": platform.python_version(), **versions(PACKAGES)}


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
    document = jsonable(payload)
    try:
        check_document(document)  # the published keys are exactly the declared ones
    except Exception as exc:
        exc.add_note("results.json does not match its contract (results_schema.py): a bug")
        raise
    return Results(document, framework, lang, quarantines, run)
