"""The survey design of a capability set: rows, clusters and its summary in results.json."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from evalsoc.sections.capabilities.engine import AlkireFoster
from evalsoc.sections.capabilities.scoring import _label_codes
from evalsoc.sections.row_codes import dense_distinct, shared_text_codes


def _design_rows(frame: pd.DataFrame, spec: Any) -> np.ndarray:
    ok = np.ones(len(frame), dtype=bool)
    if spec.weight:
        s = pd.to_numeric(frame[spec.weight], errors="coerce").to_numpy(
            dtype=float, na_value=np.nan
        )
        ok &= np.isfinite(s) & (s > 0)
    for col in (spec.cluster, spec.strata):
        if col:
            ok &= frame[col].notna().to_numpy()
    return ok


def _cluster_values(rows: pd.DataFrame, spec: Any, source: Any = None) -> np.ndarray | None:
    """The PSUs, as codes in the sorted order of their label texts (the order the engine would
    give the texts, so the cells and their sums keep their order); without clusters, persons
    seen in several waves are their own PSU (pairing). `source`: the whole source frame, whose
    text ids are factorized once per run (row_codes.py) rather than once per set."""
    if spec.cluster:
        return _text_codes(rows, spec.cluster, source)[0]
    if spec.unit and spec.time:
        codes, distinct = _text_codes(rows, spec.unit, source)
        return codes if distinct < len(codes) else None
    return None


def _text_codes(rows: pd.DataFrame, column: str, source: Any) -> tuple[np.ndarray, int]:
    """`_label_codes(rows[column])` up to a renumbering that keeps the order (the engine
    renumbers PSUs densely): the run's shared codes when the column is text without a missing
    value (a missing id is a label of its own, sorted among the texts: `_label_codes` then)."""
    shared = None if source is None else shared_text_codes(source, column, rows[column])
    if shared is not None and (shared >= 0).all():
        return shared, dense_distinct(shared)
    return _label_codes(rows[column])


def _design_summary(spec: Any, engine: AlkireFoster, paired_by_unit: bool) -> dict[str, Any]:
    design = engine.design
    return {
        "weight": spec.weight,
        "cluster": spec.cluster or (spec.unit if paired_by_unit else None),
        "strata": spec.strata,
        "se": spec.se,
        "bootstrap_reps": spec.bootstrap_reps if spec.se == "bootstrap" else None,
        "n_psu": design.n_psu,
        "n_strata": design.n_strata,
        "lonely_strata": design.lonely_strata,
        "ci": "Wald, normal quantile, clipped to [0, 1] for shares",
    }
