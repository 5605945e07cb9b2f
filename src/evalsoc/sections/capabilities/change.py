"""Change over time of a capability set between waves, and the stability of the ranking of
groups across the poverty cutoff k.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from evalsoc.privacy.cells import suppressed
from evalsoc.privacy.tables import protect_line
from evalsoc.sections.capabilities.engine import AlkireFoster
from evalsoc.sections.capabilities.scoring import MISSING_LABEL, _label_text, _sort_labels, _year_of


def _change(spec: Any, engine: AlkireFoster, waves: list[str], min_cell: int) -> dict[str, Any]:
    years = {}
    for wave, when in (spec.dates or {}).items():
        years[_label_text(wave)] = _year_of(when)
    masks = {w: engine.domain(**{spec.time: w}) for w in waves}
    wave_rows = []
    sizes = [engine.persons_in(masks[w]) for w in waves]
    # n_rows_used counts the rows of every wave: the waves are a line whose total is known
    hidden = {waves[i] for i in protect_line(sizes, min_cell)}
    hidden |= {w for w, n in zip(waves, sizes) if n < min_cell}
    for wave in waves:
        n = engine.persons_in(masks[wave])
        entry: dict[str, Any] = {"wave": wave, "year": years.get(wave), "n": n}
        if wave in hidden:
            code = "small_cell" if n < min_cell else "complement"
            entry.update(suppressed(code, min_cell, n=None))
        else:
            entry["results"] = [
                {
                    key: value
                    for key, value in engine.at_k(k, masks[wave]).items()
                    if key in _WAVE_KEYS
                }
                for _, k in spec.thresholds
            ]
        wave_rows.append(entry)
    pairs = list(zip(waves[:-1], waves[1:]))
    if len(waves) > 2:
        pairs.append((waves[0], waves[-1]))
    comparisons = []
    for first, second in pairs:
        small = [w for w in (first, second) if w in hidden]
        span = None
        if first in years and second in years:
            span = years[second] - years[first]
        entry = {"from": first, "to": second, "years": span}
        if small:
            entry.update(suppressed("small_cell", min_cell))
        else:
            entry["results"] = [
                engine.change(k, masks[first], masks[second], span if span and span > 0 else None)
                for _, k in spec.thresholds
            ]
        comparisons.append(entry)
    paired = engine.design.n_psu is not None and not spec.cluster
    return {
        "time": spec.time,
        "waves": wave_rows,
        "comparisons": comparisons,
        "paired": bool(paired or spec.cluster),
        "pairing": "clusters" if spec.cluster else ("persons" if paired else "independent samples"),
        "annualised": bool(years),
    }


_WAVE_KEYS = {
    "k",
    "k_value",
    "n",
    "n_identified",
    "n_tied",
    "H",
    "A",
    "M0",
    "H_se",
    "A_se",
    "M0_se",
    "H_ci",
    "A_ci",
    "M0_ci",
    "censored_headcount",
    "contribution",
    "M1",
    "M2",
}


def _rank_stability(
    spec: Any,
    engine: AlkireFoster,
    base: np.ndarray | None,
    min_cell: int,
    rng: np.random.Generator,
) -> list[dict[str, Any]]:
    if spec.weight_draws <= 0 or len(spec.dimensions) < 2:
        return []
    out = []
    for column in spec.by:
        names, masks = [], []
        for value in _sort_labels(list(engine.label_values[column])):
            if value == MISSING_LABEL:
                continue
            mask = engine.domain(**{column: value})
            mask = mask if base is None else mask & base
            if engine.persons_in(mask) >= min_cell:
                names.append(value)
                masks.append(mask)
        if len(masks) < 2:
            continue
        for _, k in spec.thresholds:
            entry = engine.rank_stability(masks, k, spec.weight_draws, rng)
            entry["by"] = column
            entry["groups"] = names
            out.append(entry)
    return out
