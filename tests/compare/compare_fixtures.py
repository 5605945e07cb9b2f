"""Small hand-built results.json documents, so that the comparison is tested without running
the pipeline (fast, and every number is known)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest


def proportion(count: int, n: int, target: float | None = 0.4) -> dict[str, Any]:
    from statsmodels.stats.proportion import proportion_confint

    lo, hi = proportion_confint(count, n, method="wilson")
    return {
        "kind": "proportion",
        "value": count / n,
        "ci_low": float(lo),
        "ci_high": float(hi),
        "n": n,
        "count": count,
        "status": "met",
        "suppressed": False,
        "target": target,
        "better": "higher",
        "unit": None,
        "ci_method": "Wilson score interval",
        "by": [],
    }


def suppressed(kind: str = "proportion") -> dict[str, Any]:
    return {
        "kind": kind,
        "value": None,
        "ci_low": None,
        "ci_high": None,
        "n": None,
        "status": "suppressed",
        "suppressed": True,
        "reason": "fewer than 10 people",
    }


def effect(estimate: float, se: float, reading: str | None = None) -> dict[str, Any]:
    return {
        "estimate": estimate,
        "se": se,
        "ci_low": estimate - 1.96 * se,
        "ci_high": estimate + 1.96 * se,
        "estimable": True,
        "better": "higher",
        "design": "did",
    }


def results(
    fw_id: str,
    year: int,
    indicators: dict[str, Any],
    verdicts: dict[str, str],
    effects: dict[str, Any] | None = None,
    readings: dict[str, str] | None = None,
    sroi: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A results.json with one criterion per verdict; criterion `c1` cites every effect."""
    effects = effects or {}
    criteria = {}
    for crit, verdict in verdicts.items():
        evidence = []
        if crit == "c1":
            evidence = [
                {
                    "id": e,
                    "source": "effect",
                    "kind": "did",
                    "level": None,
                    "cap": None,
                    "reading": (readings or {}).get(e),
                    "used": False,
                }
                for e in effects
            ]
        criteria[crit] = {
            "verdict": verdict,
            "label": {"fr": f"Critère {crit}", "en": f"Criterion {crit}"},
            "dimension": "d1",
            "indicators": [
                {
                    "id": i,
                    "source": "indicator",
                    "kind": b.get("kind"),
                    "level": verdict,
                    "used": True,
                }
                for i, b in indicators.items()
                if i.startswith(crit)
            ],
            "evidence": evidence,
        }
    return {
        "format": 1,
        "framework": {
            "id": fw_id,
            "title": f"Site {fw_id}",
            "language": "fr",
            "period": {"start": f"{year}-01-01", "end": f"{year}-12-31"},
            "min_cell": 10,
        },
        "indicators": indicators,
        "criteria": criteria,
        "effects": effects,
        "sroi": sroi or {"estimable": False},
        "provenance": {"framework_sha256": "0" * 64},
    }


def write_run(folder: Path, doc: dict[str, Any]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "results.json").write_text(json.dumps(doc), encoding="utf-8")
    return folder


@pytest.fixture
def three_sites(tmp_path: Path) -> list[Path]:
    """Three sites, same period: verdicts, an effect each, a proportion each."""
    specs = [
        ("site-a", 120, 300, "satisfaisant", 0.10, 0.03, "favourable"),
        ("site-b", 90, 300, "fragile", 0.02, 0.04, "inconclusive"),
        ("site-c", 200, 320, "remarquable", 0.25, 0.05, "favourable"),
    ]
    out = []
    for fw_id, count, n, verdict, est, se, reading in specs:
        doc = results(
            fw_id,
            2025,
            {"c1_taux": proportion(count, n)},
            {"c1": verdict, "c2": "fragile"},
            {"eff": effect(est, se)},
            {"eff": reading},
        )
        out.append(write_run(tmp_path / fw_id, doc))
    return out
