"""From `capabilities:` config and validated frames to the Alkire–Foster engine and back.

A thin adapter: it scores the dimensions (items, reverse coding, cutoffs or conditions), applies
the missing-value policy, reads the survey design, calls `AlkireFoster`, suppresses small cells
and stores each person's score for the effects engine in `ctx.derived`.
"""

from __future__ import annotations

import datetime as dt
import math
from fractions import Fraction
from typing import Any

import numpy as np
import pandas as pd

from evalsoc.errors import FrameworkError
from evalsoc.framework.expressions import ExpressionError, parse_expression
from evalsoc.privacy.cells import suppressed
from evalsoc.privacy.tables import protect_line
from evalsoc.sections.capabilities.engine import AlkireFoster
from evalsoc.sections.common import NotEstimable, jsonable
from evalsoc.stats.scales import reliability

SECTION = "capabilities"
MISSING_LABEL = "(missing)"


def compute_all(specs: Any, ctx: Any) -> dict[str, Any]:
    """Results per capability set; a set that cannot be estimated says why and the run goes on."""
    out: dict[str, Any] = {}
    for spec in specs or []:
        try:
            out[spec.id] = jsonable(_compute_one(spec, ctx))
        except NotEstimable as exc:
            out[spec.id] = _not_estimable(spec, ctx, exc.reason)
        except (FrameworkError, ExpressionError) as exc:  # the data do not fit the set
            out[spec.id] = _not_estimable(spec, ctx, str(exc))
    return out


def _not_estimable(spec: Any, ctx: Any, reason: str | dict[str, str]) -> dict[str, Any]:
    fr, en = (reason["fr"], reason["en"]) if isinstance(reason, dict) else (reason, reason)
    ctx.warn(SECTION, spec.id, {"fr": f"non estimable : {fr}", "en": en})
    return {"id": spec.id, "estimable": False, "reason": reason}


# --- dimension scores ----------------------------------------------------------------------


def _column_spec(ctx: Any, source: str, column: str) -> Any:
    framework = getattr(ctx, "framework", None)
    data = getattr(framework, "data", None) or {}
    declared = data.get(source)
    return None if declared is None else declared.columns.get(column)


def _numeric_item(
    series: pd.Series, declared: Any
) -> tuple[np.ndarray, tuple[float, float] | None]:
    """Item values as floats (NaN when missing) and the declared scale's (min, max) if known."""
    levels = getattr(declared, "levels", None)
    values = getattr(declared, "values", None)
    ordered = levels if isinstance(levels, list) else values
    if pd.api.types.is_bool_dtype(series.dtype):
        return series.astype("Float64").to_numpy(dtype=float, na_value=np.nan), (0.0, 1.0)
    if pd.api.types.is_numeric_dtype(series.dtype):
        x = pd.to_numeric(series, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        if isinstance(levels, int):
            return x, (1.0, float(levels))
        if ordered and all(isinstance(v, (int, float)) for v in ordered):
            return x, (float(min(ordered)), float(max(ordered)))
        return x, None
    if ordered:
        position = {str(v): i + 1.0 for i, v in enumerate(ordered)}
        x = series.astype(object).map(
            lambda v: position.get(str(v), np.nan) if pd.notna(v) else np.nan
        )
        return x.to_numpy(dtype=float), (1.0, float(len(ordered)))
    if isinstance(series.dtype, pd.CategoricalDtype) and series.dtype.ordered:
        codes = series.cat.codes.to_numpy().astype(float)
        codes[codes < 0] = np.nan
        return codes + 1.0, (1.0, float(len(series.dtype.categories)))
    x = pd.to_numeric(series, errors="coerce")
    if x.notna().sum() < series.notna().sum():
        raise NotEstimable("item_not_numeric", item=repr(series.name))
    return x.to_numpy(dtype=float, na_value=np.nan), None


def _score_dimension(dim: Any, frame: pd.DataFrame, spec: Any, ctx: Any) -> dict[str, Any]:
    """Deprived (bool), missing (bool), normalised gap (or None), items matrix for reliability."""
    n = len(frame)
    if dim.deprived is not None:
        expression = parse_expression(dim.deprived)
        expression.check_columns(frame.columns)
        deprived = expression.evaluate(frame).to_numpy(dtype=bool)
        watched = dim.items or expression.columns
        missing = frame[watched].isna().any(axis=1).to_numpy() if watched else np.zeros(n, bool)
        return {"deprived": deprived & ~missing, "missing": missing, "gap": None, "items": None}
    columns = []
    for item in dim.items:
        x, scale = _numeric_item(frame[item], _column_spec(ctx, spec.data, item))
        if item in dim.reverse:
            if scale is None and spec.likert_levels:
                scale = (1.0, float(spec.likert_levels))
            if scale is None:
                observed = x[~np.isnan(x)]
                scale = (float(observed.min()), float(observed.max())) if observed.size else (0, 0)
                low, high = (f"{v:g}".replace(".", ",") for v in scale)
                ctx.warn(
                    SECTION,
                    spec.id,
                    {
                        "fr": f"l'item « {item} » est inversé d'après les valeurs observées (de "
                        f"{low} à {high}) : déclarez ses niveaux de Likert (ou `likert_levels`) "
                        "pour en être sûr",
                        "en": f"item {item!r} is reverse-coded on its observed range {scale}: "
                        "declare its likert levels (or `likert_levels`) to be sure",
                    },
                )
            x = scale[0] + scale[1] - x
        columns.append(x)
    items = np.column_stack(columns)
    missing = np.isnan(items).any(axis=1)
    score = items.sum(axis=1) if dim.combine == "sum" else items.mean(axis=1)
    deprived = np.where(missing, False, score < dim.cutoff)
    gap = None
    if dim.cutoff > 0:
        gap = np.where(deprived, (dim.cutoff - np.nan_to_num(score)) / dim.cutoff, 0.0)
        gap = np.clip(gap, 0.0, None)
    return {"deprived": deprived, "missing": missing, "gap": gap, "items": items}


# --- labels, design, waves -----------------------------------------------------------------


def _label_text(value: Any) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return MISSING_LABEL
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (np.floating,)) and float(value).is_integer():
        return str(int(value))
    return str(value)


def _labels(series: pd.Series) -> np.ndarray:
    return np.asarray([_label_text(v) for v in series.astype(object).tolist()], dtype=object)


def _sort_labels(values: list[str]) -> list[str]:
    def key(text: str) -> tuple[int, float, str]:
        try:
            return (0, float(text), text)
        except ValueError:
            return (1, 0.0, text)

    return sorted(values, key=key)


def _year_of(value: Any) -> float:
    if isinstance(value, (int, float)):
        return float(value)
    text = str(value).strip()
    try:
        return float(text)
    except ValueError:
        pass
    try:
        day = dt.date.fromisoformat(text[:10])
    except ValueError:
        raise NotEstimable("date_unreadable", value=repr(value)) from None
    start = dt.date(day.year, 1, 1)
    length = (dt.date(day.year + 1, 1, 1) - start).days
    return day.year + (day - start).days / length


# --- the capability set --------------------------------------------------------------------


def _needed_columns(spec: Any) -> list[str]:
    names: list[str] = []
    for dim in spec.dimensions:
        names += dim.items
        if dim.deprived is not None:
            names += parse_expression(dim.deprived).columns
    names += list(spec.by)
    for extra in (spec.time, spec.weight, spec.cluster, spec.strata, spec.unit):
        if extra:
            names.append(extra)
    if spec.parity is not None:
        names.append(spec.parity.by)
    return list(dict.fromkeys(names))


def _compute_one(spec: Any, ctx: Any) -> dict[str, Any]:
    frame = ctx.frame(spec.data, spec.where)
    absent = [c for c in _needed_columns(spec) if c not in frame.columns]
    if absent:
        raise NotEstimable("columns_not_in_data", source=repr(spec.data), columns=", ".join(absent))
    dims = [_score_dimension(dim, frame, spec, ctx) for dim in spec.dimensions]
    deprived = np.column_stack([d["deprived"] for d in dims])
    missing = np.column_stack([d["missing"] for d in dims])
    any_missing = missing.any(axis=1)
    keep = np.ones(len(frame), dtype=bool)
    n_missing_imputed = 0
    if spec.missing == "error" and any_missing.any():
        raise NotEstimable("missing_items_refused", n=int(any_missing.sum()))
    if spec.missing == "drop":
        keep &= ~any_missing
    elif spec.missing == "deprived":
        deprived = deprived | missing
        n_missing_imputed = int(any_missing.sum())
    n_missing_dropped = int((any_missing & ~keep).sum())
    design_ok = _design_rows(frame, spec)
    n_design_dropped = int((keep & ~design_ok).sum())
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
    rows = frame.loc[keep]
    n_rows = len(rows)
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
    labels = {col: _labels(rows[col]) for col in label_columns}
    cluster = _cluster_values(rows, spec)
    seeds = np.random.SeedSequence(spec.seed if spec.seed is not None else ctx.seed).spawn(2)
    engine = AlkireFoster(
        deprived[keep],
        spec.dimension_weights,
        dimension_ids=[d.id for d in spec.dimensions],
        sample_weight=rows[spec.weight].to_numpy(dtype=float) if spec.weight else None,
        strata=_labels(rows[spec.strata]) if spec.strata else None,
        cluster=cluster,
        labels=labels,
        gaps=gaps,
        se=spec.se,
        bootstrap_reps=spec.bootstrap_reps,
        rng=np.random.default_rng(seeds[0]),
    )
    _store_derived(spec, ctx, engine, rows.index)

    waves = _sort_labels(list(dict.fromkeys(labels[spec.time]))) if spec.time else []
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
    if n_base < min_cell:
        out.update({**suppressed("small_cell", min_cell), "results": []})
        return out
    out["dimensions"] = _dimensions(spec, ctx, engine, dims, missing, keep, base)
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


def _cluster_values(rows: pd.DataFrame, spec: Any) -> np.ndarray | None:
    """The PSUs; without clusters, persons seen in several waves are their own PSU (pairing)."""
    if spec.cluster:
        return _labels(rows[spec.cluster])
    if spec.unit and spec.time and rows[spec.unit].duplicated().any():
        return _labels(rows[spec.unit])
    return None


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


# --- sections of the output ----------------------------------------------------------------


def _dimensions(
    spec: Any,
    ctx: Any,
    engine: AlkireFoster,
    dims: list[dict[str, Any]],
    missing: np.ndarray,
    keep: np.ndarray,
    base: np.ndarray | None,
) -> dict[str, Any]:
    headcount, headcount_se = engine.uncensored(base)
    out: dict[str, Any] = {}
    for j, (dim, scored) in enumerate(zip(spec.dimensions, dims)):
        entry: dict[str, Any] = {
            "label": dim.label.model_dump() if hasattr(dim.label, "model_dump") else dim.label,
            "weight": str(engine.fractions[j]),
            "weight_value": float(engine.fractions[j]),
            "kind": "cutoff" if dim.cutoff is not None else "condition",
            "cutoff": dim.cutoff,
            "deprived": dim.deprived,
            "items": list(dim.items),
            "reverse": list(dim.reverse),
            "combine": dim.combine,
            "n_missing": int(missing[:, j].sum()),
            "uncensored_headcount": _finite(headcount[j]),
            "uncensored_headcount_se": _finite(headcount_se[j]),
            "alpha": None,
            "omega": None,
        }
        if scored["items"] is not None and len(dim.items) >= 2:
            rel = reliability(scored["items"][keep], dim.items)
            entry["reliability"] = rel
            entry["alpha"] = rel.get("alpha")
            entry["alpha_ci"] = rel.get("alpha_ci")
            entry["omega"] = rel.get("omega")
            entry["item_rest"] = rel.get("item_rest")
            if rel.get("alpha_below_threshold"):
                alpha_text = f"{rel['alpha']:.2f}"
                ctx.warn(
                    SECTION,
                    spec.id,
                    {
                        "fr": f"dimension « {dim.id} » : l'α de Cronbach vaut "
                        f"{alpha_text.replace('.', ',')}, sous 0,7 ; ses items ne mesurent "
                        "peut-être pas une seule et même chose",
                        "en": f"dimension {dim.id!r}: Cronbach's α = {alpha_text} is below 0.7; "
                        "its items may not measure one thing",
                    },
                )
        out[dim.id] = entry
    return out


def _results_at_k(
    spec: Any,
    engine: AlkireFoster,
    text: str,
    k: Fraction,
    base: np.ndarray | None,
    min_cell: int,
) -> dict[str, Any]:
    result = engine.at_k(k, base)
    result["k_text"] = text
    result["by"] = {}
    for column in spec.by:
        groups: dict[str, Any] = {}
        masks = {}
        for value in _sort_labels(list(engine.label_values[column])):
            group = engine.domain(**{column: value})
            if base is not None:
                group &= base
            if engine.persons_in(group):
                masks[value] = group
        values = list(masks)
        sizes = [engine.persons_in(masks[v]) for v in values]
        # the overall n is published: the subgroups are a line whose total is known
        hidden = protect_line(sizes, min_cell)
        for index, value in enumerate(values):
            group, n = masks[value], sizes[index]
            if index in hidden:
                code = "small_cell" if 0 < n < min_cell else "complement"
                groups[value] = suppressed(code, min_cell, H=None, A=None, M0=None)
                continue
            sub = engine.at_k(k, group)
            share = engine.population_share(group, base)
            sub["dimension_contribution"] = sub.pop("contribution")
            sub["population_share"] = share
            m0 = result["M0"]
            sub["contribution"] = share * sub["M0"] / m0 if m0 and sub["M0"] is not None else None
            groups[value] = sub
        result["by"][column] = groups
    return result


def _empowerment(
    spec: Any, engine: AlkireFoster, base: np.ndarray | None, min_cell: int
) -> dict[str, Any]:
    out = engine.empowerment(spec.empowered_share, base)
    if spec.parity is None:
        return out
    by, (reference, focal) = spec.parity.by, spec.parity.groups
    masks = []
    for value in (reference, focal):
        mask = engine.domain(**{by: value})
        masks.append(mask if base is None else mask & base)
    parity: dict[str, Any] = {"by": by, "reference": reference, "focal": focal}
    absent = [v for v, m in zip((reference, focal), masks) if engine.persons_in(m) == 0]
    small = [v for v, m in zip((reference, focal), masks) if engine.persons_in(m) < min_cell]
    if absent:
        parity.update(
            {
                "estimable": False,
                "reason": f"no one has {by} = {', '.join(map(repr, absent))} in these data "
                "(check the group names under parity.groups)",
            }
        )
    elif small:
        parity.update({**suppressed("small_cell", min_cell), "groups": small})
    else:
        parity.update(engine.parity(spec.empowered_share, masks[0], masks[1]))
    out["parity"] = parity
    return out


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


def _finite(x: Any) -> float | None:
    x = float(x)
    return x if math.isfinite(x) else None
