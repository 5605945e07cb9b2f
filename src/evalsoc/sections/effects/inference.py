"""The reported term of a fit: its estimate, SE, interval and p-value by the chosen SE type,
and the standard result dict every design returns (so one effect reads like another).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from evalsoc.sections.common import NotEstimable, finite_or_none
from evalsoc.sections.effects.ols import (
    SE_WORDS,
    OlsFit,
    check_clusters,
    check_se,
    ols,
    t_inference,
)
from evalsoc.sections.effects.wild_bootstrap import wild_cluster_bootstrap


def coefficient_inference(
    y: np.ndarray,
    X: np.ndarray,
    names: Sequence[str],
    term: str,
    *,
    se_type: str,
    clusters: np.ndarray | None = None,
    level: float = 0.95,
    small_sample: str = "none",
    bootstrap_reps: int = 999,
    seed: int | None = None,
    absorbed_df: int = 0,
    absorbed_df_not_nested: int | None = None,
    leverage_extra: np.ndarray | None = None,
    treated: np.ndarray | None = None,
    nested_codes: Sequence[np.ndarray] = (),
    cr2_df: str = "satterthwaite",
) -> dict[str, Any]:
    """Fit OLS and report one coefficient: estimate, se, ci, p-value, df, n_clusters, method words.

    small_sample: "none", "cr2" (replaces a CR1 SE) or "wild_bootstrap" (replaces the p-value and
    interval; the analytic ones are kept under "analytic"). Both need clusters.
    treated: 0/1 per row, the groups compared; with clustered SEs, at least two clusters must hold
    each group (`check_clusters`). When None and the `term` column holds both 0 and 1, that column
    is used. An SE that is numerically zero makes the effect not estimable (`check_se`).
    cr2_df: the reference t of a CR2 SE: "satterthwaite" (Bell–McCaffrey df, clubSandwich's and
    estimatr's default) or "clusters" (t(G − 1)); both are reported.
    """
    use_cr2 = small_sample == "cr2" or se_type == "cr2"
    if small_sample != "none" and clusters is None:
        raise NotEstimable("small_sample_needs_cluster", method=small_sample)
    clustered = se_type in ("cluster", "cr1", "cr2")
    if clusters is not None and (clustered or small_sample != "none"):
        if treated is None and term in names:
            col = np.asarray(X, dtype=float)[:, list(names).index(term)]
            if np.all((col == 0) | (col == 1)) and 0 < col.sum() < col.size:
                treated = col
        check_clusters(clusters, treated)
    fit = ols(
        y,
        X,
        names,
        se_type="cr2" if use_cr2 else se_type,
        clusters=clusters,
        absorbed_df=absorbed_df,
        absorbed_df_not_nested=absorbed_df_not_nested,
        leverage_extra=leverage_extra,
        protect=[term],
        nested_codes=nested_codes,
    )
    estimate, se = fit.coef(term)
    check_se(estimate, se)
    df = fit.df
    if use_cr2 and cr2_df == "satterthwaite" and fit.df_satterthwaite is not None:
        df = fit.df_satterthwaite
    out: dict[str, Any] = {"estimate": estimate, "se": se, "df": df}
    out.update(t_inference(estimate, se, df, level))
    out["n_clusters"] = fit.n_clusters
    out["_ovb"] = _classical_t(fit, term)
    out["se_words"] = SE_WORDS["cr2" if use_cr2 else se_type]
    out["notes"] = list(fit.notes)
    if use_cr2:
        out["df_satterthwaite"] = fit.df_satterthwaite
        out["df_clusters"] = fit.df
        out["se_words"] += (
            f", t with {df:.1f} Bell–McCaffrey (Satterthwaite) degrees of freedom"
            if df is not fit.df
            else f", t with G − 1 = {fit.df:g} degrees of freedom"
        )
    if small_sample == "wild_bootstrap":
        nn = absorbed_df if absorbed_df_not_nested is None else absorbed_df_not_nested
        boot = wild_cluster_bootstrap(
            y,
            X,
            names,
            term,
            clusters,
            reps=bootstrap_reps,
            seed=seed,
            weights="webb" if (fit.n_clusters or 0) < 12 else "rademacher",
            level=level,
            absorbed_df_not_nested=nn,
        )
        out["analytic"] = {k: out[k] for k in ("ci_low", "ci_high", "p_value")}
        out.update({k: boot[k] for k in ("ci_low", "ci_high", "p_value")})
        out["bootstrap"] = {k: boot[k] for k in ("reps", "weights", "t_stat")}
        out["se_words"] += (
            f"; p-value and interval from a wild cluster bootstrap ({boot['reps']} "
            f"replications, {boot['weights']} weights)"
        )
    out["fit"] = fit
    return out


def _classical_t(fit: OlsFit, term: str) -> dict[str, float] | None:
    """The classical OLS t of `term` and the residual df: what Cinelli & Hazlett's sensitivity
    statistics (sensemakr) are defined on, whatever SE the effect reports."""
    if not fit.df_resid or fit.df_resid < 2:
        return None
    j = fit.index(term)
    sigma2 = float(fit.resid @ fit.resid) / fit.df_resid
    se = float(np.sqrt(sigma2 * fit.bread[j, j]))
    if not se > 0:
        return None
    return {"t": float(fit.params[j]) / se, "dof": float(fit.df_resid)}


def result_dict(
    *,
    estimate: float | None,
    se: float | None,
    ci_low: float | None,
    ci_high: float | None,
    p_value: float | None,
    n: int | None,
    n_treated: int | None,
    n_control: int | None,
    n_clusters: int | None,
    design: str,
    method: str,
    diagnostics: dict[str, Any] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """The standard keys every design returns (numbers JSON-safe: NaN/inf become None).

    `extra` adds design-specific keys (e.g. att_gt, aggregates, level, small_sample).
    """
    out: dict[str, Any] = {
        "estimate": finite_or_none(estimate),
        "se": finite_or_none(se),
        "ci_low": finite_or_none(ci_low),
        "ci_high": finite_or_none(ci_high),
        "p_value": finite_or_none(p_value),
        "n": None if n is None else int(n),
        "n_treated": None if n_treated is None else int(n_treated),
        "n_control": None if n_control is None else int(n_control),
        "n_clusters": None if n_clusters is None else int(n_clusters),
        "design": design,
        "method": method,
        "diagnostics": diagnostics or {},
    }
    out.update(extra)
    return out


def result_from_fit(fit: dict[str, Any], **keys: Any) -> dict[str, Any]:
    """`result_dict` for a design estimated by `linear_term`: the estimate, its inference,
    the clusters and the degrees of freedom come from the fit (`keys` may override them)."""
    inferred = {k: fit[k] for k in ("estimate", "se", "ci_low", "ci_high", "p_value")}
    inferred.update(n_clusters=fit["n_clusters"], df=fit["df"], _ovb=fit.get("_ovb"))
    diagnostics = keys.get("diagnostics")
    if isinstance(diagnostics, dict):
        for key in ("df_satterthwaite", "df_clusters"):  # CR2: both references, one used
            if key in fit:
                diagnostics[key] = fit[key]
    return result_dict(**{**inferred, **keys})
