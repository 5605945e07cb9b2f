"""What an indicator measures, as a signature to tell two periods' definitions apart: from the
framework's YAML (with the declared criterion weights and the labels) or, without it, from
results.json. Its own module so that the history store (read by the report) needs no import of
the runs, which run the pipeline."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any


def canonical_hash(value: Any) -> str:
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def yaml_definitions(
    framework_path: Path,
) -> tuple[dict[str, str], dict[str, float], dict[str, dict[str, str]]]:
    """Hash of each indicator's YAML mapping (its label left out: rewording is not a new
    measure), and the declared criterion weights (criterion weight × dimension weight)."""
    import yaml

    raw = yaml.safe_load(framework_path.read_text(encoding="utf-8")) or {}
    hashes: dict[str, str] = {}
    labels: dict[str, dict[str, str]] = {}
    weights: dict[str, float] = {}
    for dimension in raw.get("dimensions") or []:
        dim_weight = dimension.get("weight")
        for criterion in dimension.get("criteria") or []:
            if criterion.get("weight") is not None or dim_weight is not None:
                weights[str(criterion["id"])] = float(
                    criterion.get("weight") if criterion.get("weight") is not None else 1.0
                ) * float(dim_weight if dim_weight is not None else 1.0)
            for indicator in criterion.get("indicators") or []:
                body = {k: v for k, v in indicator.items() if k != "label"}
                hashes[str(indicator["id"])] = canonical_hash(body)
                label = indicator.get("label")
                if isinstance(label, dict):
                    labels[str(indicator["id"])] = {k: str(v) for k, v in label.items()}
                elif label is not None:
                    labels[str(indicator["id"])] = {"fr": str(label), "en": str(label)}
    for section in ("effects", "capabilities"):  # cited evidence shows labels, never ids
        for item in raw.get(section) or []:
            label = item.get("label") if isinstance(item, dict) else None
            if isinstance(label, dict):
                labels[str(item["id"])] = {k: str(v) for k, v in label.items()}
            elif label is not None:
                labels[str(item["id"])] = {"fr": str(label), "en": str(label)}
    return hashes, weights, labels


def results_definitions(results: dict[str, Any]) -> dict[str, str]:
    """Without the YAML, a weaker signature of each indicator: what results.json says of its
    measure (kind, unit, direction, interval method, filter of a rubric)."""
    keys = ("kind", "unit", "better", "ci_method", "where", "data")
    return {
        ind_id: canonical_hash({k: body.get(k) for k in keys})
        for ind_id, body in sorted(results.get("indicators", {}).items())
    }
