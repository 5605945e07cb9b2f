"""The effects section: from `effects:` specs and the run context to results.json's `effects`.

`compute(specs, ctx)` prepares each effect's rows (filter, outcome, 0/1 treatment and post
columns, missing values dropped in every used column at once so that cluster labels stay aligned
with the rows kept), calls the design in `DESIGNS`, then adds what every design shares: effect
sizes, the minimum detectable effect, multiplicity-adjusted p-values, the plain sentence.

A design is a callable ``estimate(frame, spec) -> dict`` receiving a frame with the original
columns it reads plus `_y` (outcome, float), `_d` (treatment 0/1, when the spec has a treatment)
and `_post` (0/1, when it has a `post` condition). Only those columns of the selected rows are
collected from the engine (columns.py): the whole source never is.

Why one module: the steps every design shares run in one order here (prepare, estimate, privacy,
sizes, multiplicity, sentence); the machinery of each step lives in its own module.
"""

from __future__ import annotations

import difflib
import importlib
import inspect
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from evalsoc.privacy.cells import suppressed
from evalsoc.problems import problem, worded
from evalsoc.sections.common import NotEstimable, jsonable
from evalsoc.sections.effects.answer import POWER, Answer, check_group_sizes, mde_from  # noqa: F401
from evalsoc.sections.effects.designs import DESIGNS as DESIGN_ENTRIES

Estimator = Callable[..., dict]  # estimate(frame, spec, *, min_cell) -> result

# Design name → (module, function), from the one list of designs (designs/__init__.py).
_LOCATIONS: dict[str, tuple[str, str]] = {
    **{name: (entry.module, entry.function) for name, entry in DESIGN_ENTRIES.items()},
    # not a design of its own: difference and did with `outcome_statistic` gini/theil/atkinson
    "inequality": ("evalsoc.sections.effects.designs.inequality", "estimate_inequality"),
}


def _lazy(design: str) -> Estimator:
    module_name, function_name = _LOCATIONS[design]

    def estimate(frame: Any, spec: Any, *, min_cell: int = 1) -> dict:
        # An ImportError here is a broken install: it propagates (exit 3), never "not estimable".
        function = getattr(importlib.import_module(module_name), function_name)
        # A design that publishes figures of its own (an RD plot's bins, the people left
        # unmatched, group-time cells) takes the privacy threshold: it says so by its signature.
        if "min_cell" in inspect.signature(function).parameters:
            return dict(function(frame, spec, min_cell=min_cell))
        return dict(function(frame, spec))

    estimate.__name__ = f"estimate_{design}"
    estimate.__doc__ = f"Lazy entry point of {module_name}.{function_name}."
    return estimate


# Design name → estimate(frame, spec) -> dict. Modules are imported on first use.
DESIGNS: dict[str, Estimator] = {design: _lazy(design) for design in _LOCATIONS}

# Failures of the numbers, not of the code: the effect is reported as not estimable and the run
# goes on. Any other exception is a bug and stops the run with exit 3 (the effect is named).
NUMERICAL_FAILURES = (np.linalg.LinAlgError, FloatingPointError, ZeroDivisionError, OverflowError)

FEW_CLUSTERS = 30
UNIT_CODE = "_unit_code"  # the prepared rows' unit as the run's shared integer codes
CLUSTERED_DESIGNS = {"difference", "did", "pre_post", "regression"}


# --- preparing the rows -------------------------------------------------------------------------


def _missing_column(name: str, available: Sequence[str], source: str) -> NotEstimable:
    near = difflib.get_close_matches(name, [str(c) for c in available], n=3)
    hint = f"; did you mean {', '.join(map(repr, near))}?" if near else ""
    hint_fr = f" ; vouliez-vous dire {', '.join(map(repr, near))} ?" if near else ""
    return NotEstimable(
        "missing_column",
        source=repr(source),
        column=repr(name),
        hint={"fr": hint_fr, "en": hint},
    )


def _indicator(frame: Any, text: str, key: str, available: Sequence[str]) -> tuple[Any, list[str]]:
    """A 0/1 Series from a column (boolean or 0/1) or a where-style condition, and its columns
    (`available`: the source's columns, which `frame` may hold only some of)."""
    import pandas as pd

    from evalsoc.framework.expressions import ExpressionError, parse_expression

    if text in available:
        series = frame[text]
        if pd.api.types.is_bool_dtype(series.dtype):
            return series, [text]
        values = pd.to_numeric(series, errors="coerce")
        observed = set(values.dropna().unique().tolist())
        if pd.api.types.is_numeric_dtype(series.dtype) and observed <= {0, 1}:
            return values, [text]
        raise NotEstimable("indicator_not_binary", key=key, text=text)
    try:
        expression = parse_expression(text)
        expression.check_columns(available)
    except ExpressionError as exc:
        raise NotEstimable("group_column_invalid", key=key, detail=exc.words()) from None
    return expression, expression.columns


def prepare_frame(
    frame: Any,
    spec: Any,
    derived: dict[str, Any] | None = None,
    available: Sequence[str] | None = None,
) -> tuple[Any, dict]:
    """Rows and columns a design needs: `_y`, `_d`, `_post`, no missing value in used columns.

    `available`: the source's columns when `frame` holds only the effect's (columns.py), so
    that a missing column is refused, with its near names, as on the whole source.
    Returns the prepared frame and facts for the diagnostics (rows dropped for missing values).
    """
    import pandas as pd

    from evalsoc.sections.effects.columns import declared_columns
    from evalsoc.sections.effects.designs.regression import FormulaError, formula_columns

    names = [str(c) for c in (frame.columns if available is None else available)]

    outcome = spec.outcome
    if outcome and outcome.startswith("capability."):
        series = (derived or {}).get(outcome)
        if series is None and "@" in outcome:
            # `deprived@0.5` and `deprived@1/2` name the same cutoff.
            from evalsoc.framework.base import parse_fraction

            head, _, k_text = outcome.partition("@")
            try:
                series = (derived or {}).get(f"{head}@{parse_fraction(k_text)}")
            except ValueError:
                series = None
        if series is None:
            known = sorted(k for k in (derived or {}) if str(k).startswith("capability."))
            hint = {
                "fr": f" (disponibles : {', '.join(known)})" if known else "",
                "en": f" (available: {', '.join(known)})" if known else "",
            }
            raise NotEstimable("no_capability_result", outcome=repr(outcome), hint=hint)
        values = pd.Series(series).reindex(frame.index).astype("float64")
        frame = frame.assign(**{outcome: values})
        names = list(dict.fromkeys([*names, outcome]))
    # instruments, endogenous, running, exact (iv, rd, matching) included; a missing first
    # period is dropped, never "never treated"
    used = declared_columns(spec)
    for name in used:
        if name not in names:
            raise _missing_column(name, names, spec.data)
    indicators: dict[str, Any] = {}
    for key, text in (("treatment", spec.treatment), ("post", spec.post)):
        if text:
            indicators[key], cols = _indicator(frame, text, key, names)
            used += cols
    if spec.design == "regression":
        try:
            used += formula_columns(spec.formula, names)
        except FormulaError as exc:
            raise NotEstimable("formula_refused", detail=str(exc)) from None
    used = list(dict.fromkeys(used))
    before = len(frame)
    # Only the columns the effect reads travel on (a copy, so the source frame is untouched).
    keep = list(dict.fromkeys(used + ([spec.first_treated] if spec.first_treated else [])))
    frame = frame.loc[frame[used].notna().all(axis=1), keep].copy()
    facts = {"rows": before, "dropped_missing": before - len(frame)}
    if outcome:
        y = frame[outcome]
        if not (pd.api.types.is_numeric_dtype(y.dtype) or pd.api.types.is_bool_dtype(y.dtype)):
            raise NotEstimable("outcome_not_numeric", outcome=repr(outcome))
        frame["_y"] = y.astype("float64").to_numpy(dtype=float)
    for key, column in (("treatment", "_d"), ("post", "_post")):
        if key in indicators:
            ind = indicators[key]
            if hasattr(ind, "evaluate"):
                values = ind.evaluate(frame)
            else:
                values = ind.loc[frame.index]
            frame[column] = values.astype("float64").to_numpy(dtype=float).astype(int)
    if len(frame) == 0:
        raise NotEstimable("no_rows_after_missing")
    return frame, facts


# --- privacy and shared additions -----------------------------------------------------------------


def _with_unit_codes(frame: Any, spec: Any, ctx: Any) -> Any:
    """The prepared rows of a DiD with a `_unit_code` column: the unit's text ids as the run's
    shared sorted codes (sections/row_codes.py: one factorization of the source column for
    every effect and capability set, instead of four per effect). Other designs, non-text
    units and rows an engine re-indexed keep their own path."""
    from evalsoc.sections.row_codes import shared_text_codes

    if (
        not spec.unit
        or spec.design != "did"
        or getattr(spec, "outcome_statistic", "mean") != "mean"
    ):
        return frame
    source = getattr(ctx, "frames", {}).get(spec.data)
    codes = shared_text_codes(source, spec.unit, frame[spec.unit])
    if codes is None or (codes < 0).any():  # prepared rows have no missing unit: never here
        return frame
    frame[UNIT_CODE] = codes
    return frame


def _group_sizes(frame: Any, spec: Any) -> dict[str, int]:
    """People (units if `unit` is given, else rows) in each compared group."""
    import pandas as pd

    codes = None
    if UNIT_CODE in frame:
        codes = frame[UNIT_CODE].to_numpy()
    elif spec.unit:
        codes = pd.factorize(frame[spec.unit])[0]  # once, not per group

    def count(mask: Any) -> int:
        if codes is not None:  # distinct units, missing ones not counted (as nunique)
            present = codes[np.asarray(mask, dtype=bool) & (codes >= 0)]
            return int(np.count_nonzero(np.bincount(present, minlength=1)))
        return int(np.asarray(mask).sum())

    if spec.design == "pre_post" or "_d" not in frame:
        return {"people": count(np.ones(len(frame), dtype=bool))}
    if spec.design == "staggered_did":
        first = pd.to_numeric(frame[spec.first_treated], errors="coerce").fillna(0)
        treated = (first > 0).to_numpy()
    else:
        treated = frame["_d"].to_numpy() == 1
    return {"programme group": count(treated), "comparison group": count(~treated)}


def _suppress_cells(obj: Any, min_cell: int) -> Any:
    """Blank any diagnostic mean computed from fewer than `min_cell` rows."""
    if isinstance(obj, dict):
        out = {k: _suppress_cells(v, min_cell) for k, v in obj.items()}
        n = out.get("n")
        if isinstance(n, (int, np.integer)) and 0 < n < min_cell and "mean" in out:
            out.update(
                {
                    "mean": None,
                    **suppressed("small_cell", min_cell, n=None),
                }
            )
            if "sd" in out:
                out["sd"] = None
        return out
    if isinstance(obj, list):
        return [_suppress_cells(v, min_cell) for v in obj]
    return obj


def _suppress_balance(obj: Any, min_cell: int) -> Any:
    """Apply the privacy rule to every balance table found in the diagnostics."""
    from evalsoc.sections.effects.common import suppress_balance

    if isinstance(obj, dict):
        return {k: _suppress_balance(v, min_cell) for k, v in obj.items()}
    if isinstance(obj, list):
        if obj and all(isinstance(r, dict) and "covariate" in r for r in obj):
            return suppress_balance(obj, min_cell)
        return [_suppress_balance(v, min_cell) for v in obj]
    return obj


def _binary(frame: Any, spec: Any) -> bool:
    from evalsoc.sections.effects.common import is_binary

    if spec.outcome_type != "auto":
        return spec.outcome_type == "binary"
    return "_y" in frame and is_binary(frame["_y"])


def _mde(result: dict, frame: Any, spec: Any) -> dict[str, Any]:
    from evalsoc.sections.effects.common import cluster_codes, icc_oneway

    icc = m = None
    if spec.cluster and "_y" in frame:
        codes, G = cluster_codes(frame[spec.cluster].to_numpy())
        icc = icc_oneway(frame["_y"].to_numpy(dtype=float), codes)
        m = len(frame) / G if G else None
    return mde_from(result, spec, icc, m)


def _effect_sizes(result: dict, frame: Any, spec: Any, binary: bool, groups: Any) -> dict | None:
    from evalsoc.sections.effects.common import effect_sizes

    if result.get("estimate") is None:
        return None
    if groups is None:
        if "_d" not in frame or "_y" not in frame:
            return None
        y = frame["_y"].to_numpy(dtype=float)
        d = frame["_d"].to_numpy() == 1
        groups = (y[d], y[~d])
    return effect_sizes(groups[0], groups[1], result["estimate"], binary)


def not_estimable(spec: Any, reason: dict[str, str] | str, **extra: Any) -> dict[str, Any]:
    """The result of an effect that could not be estimated (every standard key present)."""
    out = {
        "estimable": False,
        "reason": reason,
        "design": spec.design,
        "estimate": None,
        "se": None,
        "ci_low": None,
        "ci_high": None,
        "p_value": None,
        "p_value_holm": None,
        "p_value_bh": None,
        "n": None,
        "n_treated": None,
        "n_control": None,
        "n_clusters": None,
        "method": None,
        "level": spec.level,
        "df": None,
        "se_type": None,
        "small_sample": spec.small_sample,
        "outcome": spec.outcome,
        "outcome_type": None,
        "better": spec.better,
        "effect_size": None,
        "mde": None,
        "diagnostics": {},
    }
    out.update(extra)
    return out


def _check_capability_source(spec: Any, ctx: Any) -> None:
    """A capability score belongs to the rows of its own source: never align it on another's."""
    outcome = spec.outcome or ""
    if not outcome.startswith("capability."):
        return
    cap_id = outcome.split(".")[1]
    for cap in getattr(ctx.framework, "capabilities", None) or []:
        if cap.id == cap_id and cap.data != spec.data:
            raise NotEstimable(
                "capability_other_source",
                capability=repr(cap_id),
                source=repr(cap.data),
                data=repr(spec.data),
            )


def _withhold_small_groups(result: dict, spec: Any, min_cell: int) -> None:
    """Privacy on what the design actually used (e.g. pairs seen at both times)."""
    sizes = {
        "programme group": result.get("n_treated"),
        "comparison group": result.get("n_control"),
    }
    if spec.design == "pre_post":
        sizes = {"pairs observed before and after": result.get("n")}
    for group, size in sizes.items():
        if isinstance(size, (int, np.integer)) and 0 < size < min_cell:
            raise NotEstimable("group_below_min_cell", min_cell=min_cell, group=worded(group))
    diagnostics = result.get("diagnostics") or {}
    cells = diagnostics.get("cells")
    if isinstance(cells, list) and any(
        isinstance(c, dict) and isinstance(c.get("n"), (int, np.integer)) and 0 < c["n"] < min_cell
        for c in cells
    ):
        # With three cell means and the raw DiD (or the estimate), the fourth comes back.
        diagnostics["raw_did"] = None
        for cell in cells:
            if isinstance(cell, dict) and cell.get("mean") is not None:
                small = isinstance(cell.get("n"), (int, np.integer)) and 0 < cell["n"] < min_cell
                code = "small_cell" if small else "complement"
                cell.update(mean=None, **suppressed(code, min_cell))
                if "sd" in cell:
                    cell["sd"] = None


def estimate_effect(spec: Any, ctx: Any) -> dict[str, Any]:
    """One effect, estimable or not (raises NotEstimable; compute turns it into a result)."""
    from evalsoc.errors import EvalsocError
    from evalsoc.sections.effects import engine_answer
    from evalsoc.sections.effects.columns import effect_columns

    try:
        # only the columns the effect reads (columns.py): the engine collects no other
        available = ctx.columns(spec.data)
        # a DiD on DuckDB or Spark: from sums in the engine, no row collected (engine_answer.py)
        answered, note = engine_answer.answer(spec, ctx, available)
        raw = (
            None
            if answered is not None
            else ctx.rows(spec.data, spec.where, effect_columns(spec, available))
        )
    except EvalsocError as exc:
        raise NotEstimable("data_unavailable", detail=str(exc)) from None
    if answered is not None:
        return finish_effect(answered, spec, ctx, note=note)
    if spec.seed is None:  # randomness (bootstrap) from the run's seed unless the effect has one
        spec = spec.model_copy(update={"seed": ctx.seed})
    _check_capability_source(spec, ctx)
    frame, facts = prepare_frame(raw, spec, ctx.derived, available)
    frame = _with_unit_codes(frame, spec, ctx)
    sizes = _group_sizes(frame, spec)
    check_group_sizes(sizes, ctx.min_cell)
    inequality = getattr(spec, "outcome_statistic", "mean") != "mean"
    estimator = DESIGNS["inequality" if inequality else spec.design]
    result = estimator(frame, spec, min_cell=ctx.min_cell)
    result.setdefault("design", spec.design)  # a design need not name itself
    groups = result.pop("_groups", None)
    binary = _binary(frame, spec)
    answer = Answer(
        result,
        binary,
        facts,
        lambda result: None if inequality else _effect_sizes(result, frame, spec, binary, groups),
        lambda result: _mde(result, frame, spec),
        groups,
    )
    return finish_effect(answer, spec, ctx, note=note)


def finish_effect(answer: Answer, spec: Any, ctx: Any, *, note: Any = None) -> dict[str, Any]:
    """The steps every design shares after its estimate (checks, privacy, sizes, MDE,
    sensitivity, the few-clusters warning); `note`: how the engine computed it, if not pandas."""
    from evalsoc.sections.effects.common import (
        check_se,
        is_binary,
        outcome_counts,
        suppress_outcome_shares,
    )

    result, binary, facts, groups = answer.result, answer.binary, answer.facts, answer.groups
    inequality = getattr(spec, "outcome_statistic", "mean") != "mean"
    result["estimable"] = result.get("estimate") is not None
    if not result["estimable"]:
        raise NotEstimable(result.get("reason") or "estimate_not_computed")
    check_se(result.get("estimate"), result.get("se"))  # never a zero-width interval
    _withhold_small_groups(result, spec, ctx.min_cell)
    result["level"] = spec.level
    result["se_type"] = "cr2" if spec.small_sample == "cr2" else spec.se_type
    if spec.design == "staggered_did":
        result["se_type"] = "cluster"  # influence functions summed by unit, or by `cluster`
    if inequality:  # linearised (independent cells) or bootstrap (units or clusters resampled)
        result["se_type"] = result["diagnostics"]["inequality"]["inference"]
    result["small_sample"] = spec.small_sample
    result["outcome"] = spec.outcome
    result["better"] = spec.better
    result["outcome_type"] = "binary" if binary else "continuous"
    # a difference of indices has no standardised size (Cohen's d is for means)
    result["effect_size"] = answer.sizes(result)
    result["mde"] = answer.mde(result)
    if "_group_counts" not in result and groups is not None and is_binary(groups[0]):
        # a design that gives no counts of its own: people counted as rows
        result["_group_counts"] = tuple(outcome_counts(g) for g in groups)
    # shares of a 0/1 outcome that reveal fewer than min_cell people (and McNemar's table)
    suppress_outcome_shares(result, ctx.min_cell)
    diagnostics = dict(result.get("diagnostics") or {})
    diagnostics.update(facts)
    result["diagnostics"] = _suppress_cells(
        _suppress_balance(diagnostics, ctx.min_cell), ctx.min_cell
    )
    from evalsoc.sections.effects.sensitivity import assess

    result["sensitivity"] = assess(result, spec, binary)  # after the privacy blanks
    n_clusters = result.get("n_clusters")
    if (
        spec.cluster
        and n_clusters is not None
        and n_clusters < FEW_CLUSTERS
        and spec.small_sample == "none"
        and spec.design in CLUSTERED_DESIGNS
        and not inequality  # a bootstrap by cluster, not the cluster-robust sandwich
    ):
        ctx.warn(
            "effects",
            spec.id,
            {
                "fr": f"seulement {n_clusters} groupes selon « {spec.cluster} » : avec moins de 30 "
                "groupes, les erreurs types qui tiennent compte des groupes peuvent être trop "
                "petites (l'effet paraît alors plus sûr qu'il ne l'est) ; indiquez "
                "`small_sample: wild_bootstrap` (ou `small_sample: cr2`) pour cet effet",
                "en": f"only {n_clusters} clusters of {spec.cluster}: cluster-robust standard "
                "errors can be too small with fewer than 30 clusters; set "
                "`small_sample: wild_bootstrap` (or `small_sample: cr2`) on this effect",
            },
        )
    if note is not None:
        result["engine"] = note
    result["_binary"] = binary
    return result


def holm(p: np.ndarray) -> np.ndarray:
    """Holm's step-down adjusted p-values (as statsmodels' multipletests(method="holm"),
    written out because that function calls gc.collect(), costly in a large process)."""
    p = np.asarray(p, dtype=float)
    m = p.size
    order = np.argsort(p, kind="stable")
    adjusted = np.minimum(1.0, np.maximum.accumulate(p[order] * np.arange(m, 0, -1)))
    out = np.empty(m)
    out[order] = adjusted
    return out


def _adjust(results: dict[str, dict]) -> None:
    """Holm and Benjamini–Hochberg p-values across every estimable effect with a p-value."""
    from statsmodels.stats.multitest import multipletests

    ids = [k for k, r in results.items() if r.get("estimable") and r.get("p_value") is not None]
    for r in results.values():
        r.setdefault("p_value_holm", None)
        r.setdefault("p_value_bh", None)
    if not ids:
        return
    p = np.array([results[k]["p_value"] for k in ids], dtype=float)
    bh = multipletests(p, method="fdr_bh")[1]
    for k, h, b in zip(ids, holm(p), bh):
        results[k]["p_value_holm"] = float(h)
        results[k]["p_value_bh"] = float(b)


def compute(specs: Any, ctx: Any) -> dict[str, Any]:
    """Every effect of the framework, keyed by id; failures become `estimable: false`."""
    from evalsoc.sections.effects.sensitivity import sentence as sensitivity_words
    from evalsoc.sections.effects.sentences import outcome_words, sentence

    def sensitivity_sentence(result: dict, spec: Any, lang: str) -> str:
        return sensitivity_words(result, outcome_words(spec, lang), lang)

    results: dict[str, dict] = {}
    by_id = {}
    for spec in specs or []:
        by_id[spec.id] = spec
        try:
            results[spec.id] = estimate_effect(spec, ctx)
        except NotEstimable as exc:
            results[spec.id] = not_estimable(spec, exc.reason)
        except NUMERICAL_FAILURES as exc:  # a singular or overflowing fit ends this effect only
            detail = f"{type(exc).__name__}: {exc}"
            reason = problem("effect_computation_failed", detail=detail)
            results[spec.id] = not_estimable(spec, reason)
            ctx.warn(
                "effects",
                spec.id,
                {"fr": f"le calcul de cet effet a échoué ({detail})", "en": reason["en"]},
            )
        except Exception as exc:
            exc.add_note(f"while estimating the effect {spec.id!r} (design {spec.design})")
            raise
    _adjust(results)
    for effect_id, result in results.items():
        spec = by_id[effect_id]
        binary = bool(result.pop("_binary", False))
        result["id"] = effect_id
        result["sentence"] = {
            lang: sentence(result, spec, binary, lang) + sensitivity_sentence(result, spec, lang)
            for lang in ("fr", "en")
        }
    return jsonable(results)
