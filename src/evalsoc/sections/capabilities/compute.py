"""From `capabilities:` config and validated frames to the Alkire–Foster engine and back.

A thin adapter: it scores the dimensions (scoring.py: items, reverse coding, cutoffs or
conditions, the missing-value policy), reads the survey design (design.py), calls
`AlkireFoster`, publishes the results at each k with small cells suppressed (published.py),
compares waves (change.py) and stores each person's score for the effects engine in
`ctx.derived`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from evalsoc.errors import FrameworkError
from evalsoc.framework.expressions import ExpressionError
from evalsoc.privacy.cells import suppressed
from evalsoc.sections.capabilities.change import _change, _rank_stability
from evalsoc.sections.capabilities.design import _cluster_values, _design_rows, _design_summary
from evalsoc.sections.capabilities.engine import AlkireFoster
from evalsoc.sections.capabilities.in_engine import Scored, paired_units, score_in_engine
from evalsoc.sections.capabilities.published import _dimensions, _empowerment, _results_at_k
from evalsoc.sections.capabilities.scoring import (
    MISSING_LABEL,
    SECTION,
    _coded_labels,
    _labels,
    _needed_columns,
    _score_dimension,
    _sort_labels,
)
from evalsoc.sections.common import NotEstimable, jsonable


def compute_all(specs: Any, ctx: Any) -> dict[str, Any]:
    """Results per capability set; a set that cannot be estimated says why and the run goes on."""
    from evalsoc.stats.blas_threads import one_blas_thread

    out: dict[str, Any] = {}
    for spec in specs or []:
        try:
            with one_blas_thread():  # weighted totals: the same bits on every machine
                out[spec.id] = jsonable(_compute_one(spec, ctx))
        except NotEstimable as exc:
            out[spec.id] = _not_estimable(spec, ctx, exc.reason)
        except ExpressionError as exc:  # the data do not fit the set
            out[spec.id] = _not_estimable(spec, ctx, exc.words())
        except FrameworkError as exc:
            out[spec.id] = _not_estimable(spec, ctx, str(exc))
    return out


def _not_estimable(spec: Any, ctx: Any, reason: str | dict[str, str]) -> dict[str, Any]:
    fr, en = (reason["fr"], reason["en"]) if isinstance(reason, dict) else (reason, reason)
    ctx.warn(SECTION, spec.id, {"fr": f"non estimable : {fr}", "en": en})
    return {"id": spec.id, "estimable": False, "reason": reason}


def _compute_one(spec: Any, ctx: Any) -> dict[str, Any]:
    scored, engine_note = score_in_engine(spec, ctx)
    if scored is None:
        scored = _score_persons(spec, ctx)
    count = scored.count
    dims = scored.dims
    deprived = np.column_stack([d["deprived"] for d in dims])
    missing = np.column_stack([d["missing"] for d in dims])
    any_missing = missing.any(axis=1)
    keep = np.ones(len(scored.rows), dtype=bool)

    def persons(mask: np.ndarray) -> int:
        return int(mask.sum()) if count is None else int(count[mask].sum())

    n_missing_imputed = 0
    if spec.missing == "error" and any_missing.any():
        raise NotEstimable("missing_items_refused", n=persons(any_missing))
    if spec.missing == "drop":
        keep &= ~any_missing
    elif spec.missing == "deprived":
        deprived = deprived | missing
        n_missing_imputed = persons(any_missing)
    n_missing_dropped = persons(any_missing & ~keep)
    design_ok = scored.design_ok
    n_design_dropped = persons(keep & ~design_ok)
    if n_design_dropped:
        ctx.warn(
            SECTION,
            spec.id,
            {
                "fr": f"{n_design_dropped} personnes écartées : poids de sondage manquant, nul "
                "ou négatif, ou grappe (cluster) ou strate manquante",
                "en": f"{n_design_dropped} persons dropped: missing or non-positive sampling "
                "weight, cluster or stratum",
            },
        )
    keep &= design_ok
    if n_missing_dropped:
        ctx.warn(
            SECTION,
            spec.id,
            {
                "fr": f"{n_missing_dropped} personnes écartées parce que des réponses aux items "
                "manquent",
                "en": f"{n_missing_dropped} persons dropped for missing item values",
            },
        )
    rows = scored.rows.loc[keep]
    n_rows = persons(keep)
    if n_rows == 0:
        raise NotEstimable("no_person_left")
    cardinal = all(d["gap"] is not None for d in dims) and n_missing_imputed == 0
    gaps = np.column_stack([d["gap"][keep] for d in dims]) if cardinal else None

    label_columns = list(
        dict.fromkeys(
            [
                *spec.by,
                *([spec.time] if spec.time else []),
                *([spec.parity.by] if spec.parity else []),
            ]
        )
    )
    labels = {col: _coded_labels(rows[col]) for col in label_columns}  # (codes, texts)
    if count is None:
        cluster = _cluster_values(rows, spec, getattr(ctx, "frames", {}).get(spec.data))
        sample_weight = rows[spec.weight].to_numpy(dtype=float) if spec.weight else None
        weight_sq = frequency = None
    else:
        cluster = paired_units(rows, spec, count[keep], scored.ranked_ids)
        frequency = count[keep]
        sample_weight = None if scored.weight_sum is None else scored.weight_sum[keep]
        weight_sq = None if scored.weight_sq_sum is None else scored.weight_sq_sum[keep]
    seeds = np.random.SeedSequence(spec.seed if spec.seed is not None else ctx.seed).spawn(2)
    engine = AlkireFoster(
        deprived[keep],
        spec.dimension_weights,
        dimension_ids=[d.id for d in spec.dimensions],
        sample_weight=sample_weight,
        strata=_labels(rows[spec.strata]) if spec.strata else None,
        cluster=cluster,
        labels=labels,
        gaps=gaps,
        se=spec.se,
        bootstrap_reps=spec.bootstrap_reps,
        rng=np.random.default_rng(seeds[0]),
        frequency=frequency,
        weight_sq=weight_sq,
    )
    if count is None:
        _store_derived(spec, ctx, engine, rows.index)

    waves = _sort_labels(labels[spec.time][1].tolist()) if spec.time else []
    waves = [w for w in waves if w != MISSING_LABEL]
    base = engine.domain(**{spec.time: waves[-1]}) if waves else None
    n_base = engine.persons_in(base)
    min_cell = int(getattr(ctx, "min_cell", 1) or 1)
    out: dict[str, Any] = {
        "id": spec.id,
        "estimable": True,
        "n": n_base,
        "n_rows_used": n_rows,
        "n_missing_dropped": n_missing_dropped,
        "n_missing_imputed": n_missing_imputed,
        "n_design_dropped": n_design_dropped,
        "missing_policy": spec.missing,
        "wave": waves[-1] if waves else None,
        "weights": {d.id: str(w) for d, w in zip(spec.dimensions, engine.fractions)},
        "design": _design_summary(spec, engine, cluster is not None and not spec.cluster),
        "cardinal": cardinal,
    }
    if engine_note is not None:  # not on pandas: the shipped results stay as they were
        out["engine"] = engine_note
    if n_base < min_cell:
        out.update({**suppressed("small_cell", min_cell), "results": []})
        return out
    out["dimensions"] = _dimensions(spec, ctx, engine, dims, missing, keep, base, count)
    out["results"] = [
        _results_at_k(spec, engine, text, k, base, min_cell) for text, k in spec.thresholds
    ]
    out["k_curve"] = engine.k_curve(base)
    out["empowerment"] = _empowerment(spec, engine, base, min_cell)
    out["change"] = _change(spec, engine, waves, min_cell) if len(waves) >= 2 else None
    out["rank_stability"] = _rank_stability(
        spec, engine, base, min_cell, np.random.default_rng(seeds[1])
    )
    return out


def _score_persons(spec: Any, ctx: Any) -> Scored:
    """The set's rows collected to memory and scored on pandas (scoring.py), one per person:
    only the columns the set reads (`_needed_columns`; every column on pandas, already in
    memory), so that a set an effect reads does not bring a whole DuckDB or Spark source."""
    needed = _needed_columns(spec)
    if getattr(ctx.engine, "name", "pandas") == "pandas":
        frame = ctx.frame(spec.data, spec.where)
        available = list(frame.columns)
    else:
        available = ctx.columns(spec.data)
        frame = ctx.rows(spec.data, spec.where, [c for c in needed if c in available])
    absent = [c for c in needed if c not in available]
    if absent:
        raise NotEstimable("columns_not_in_data", source=repr(spec.data), columns=", ".join(absent))
    dims = [_score_dimension(dim, frame, spec, ctx) for dim in spec.dimensions]
    return Scored(rows=frame, dims=dims, design_ok=_design_rows(frame, spec))


def _store_derived(spec: Any, ctx: Any, engine: AlkireFoster, index: pd.Index) -> None:
    """The score c_i and the identification at each k, for `outcome:` in effects."""
    derived = getattr(ctx, "derived", None)
    if derived is None:
        return
    derived[f"capability.{spec.id}.score"] = pd.Series(
        engine.person_scores(), index=index, name=f"{spec.id}.score"
    )
    for text, k in spec.thresholds:
        flag = pd.Series(engine.person_identified(k).astype(int), index=index)
        for key in dict.fromkeys([text, str(k)]):
            derived[f"capability.{spec.id}.deprived@{key}"] = flag
