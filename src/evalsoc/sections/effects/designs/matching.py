"""Matching on observables: propensity-score nearest neighbour, exact and coarsened exact.

The conventions are MatchIt's (Ho, Imai, King & Stuart 2011), so that its users find their
numbers:
- estimand: the average effect on the treated (ATT);
- nearest: distance |p̂ᵢ − p̂ⱼ| on a logistic propensity score (R glm, here statsmodels GLM);
  greedy matching of each treated person to `ratio` controls, treated taken from the largest
  score down (MatchIt's `m.order = "largest"`), in rounds (first control for everyone, then the
  second...); with `replace`, each treated person takes their nearest controls whatever others
  took. `caliper` is in standard deviations of the score over the whole sample; a treated person
  with no control within it is left unmatched (reported). Ties in distance go to the control
  with the larger score, then to the first in the data. `exact` columns must agree exactly;
- exact / cem: strata of identical (coarsened) covariate values; strata without both groups are
  dropped. CEM cuts each numeric covariate with more than `cem_bins` distinct values into
  equal-width bins (Sturges' number by default, as MatchIt's `cutpoints = "sturges"`), and keeps
  0/1 and categorical columns exact;
- weights: 1 for treated people; a control gets Σ 1/kᵢ over the treated people i it serves (kᵢ
  controls each), or n_treated/n_control of its stratum; then scaled to sum to the number of
  controls used. The effect is the weighted difference in means.

Standard error: the weighted regression y ~ treated, with HC2 robust errors (MatchIt's vignette
recommends robust errors), clustered by pair when matching without replacement (pairs are
disjoint); or, with `matching_se: abadie_imbens` (nearest with replacement), Abadie & Imbens's
(2006) variance (stats/abadie_imbens.py). Both treat the propensity score as known (Abadie &
Imbens 2016 discuss the correction), which docs/effects_new_designs.md says.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from evalsoc.sections.common import NotEstimable, finite_or_none

IMBALANCE = 0.1  # |standardised difference| above which a covariate is flagged
METHOD_WORDS = {
    "nearest": "propensity-score nearest-neighbour matching",
    "exact": "exact matching",
    "cem": "coarsened exact matching",
}


def propensity_score(d: np.ndarray, X: np.ndarray) -> np.ndarray:
    """Logistic regression of treatment on X (with a constant), as R's glm(binomial)."""
    import warnings

    from statsmodels.genmod.families import Binomial
    from statsmodels.genmod.generalized_linear_model import GLM

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit = GLM(d, np.column_stack([np.ones(len(d)), X]), family=Binomial()).fit(
            tol=1e-8, maxiter=100
        )
    return np.asarray(fit.fittedvalues, dtype=float)


def _find(parent: np.ndarray, i: int) -> int:
    """Root of i with path compression (parent[i] == i: available)."""
    root = i
    while parent[root] != root:
        root = parent[root]
    while parent[i] != root:
        parent[i], i = root, parent[i]
    return root


def nearest_without_replacement(
    p_treated: np.ndarray, p_control: np.ndarray, ratio: int, caliper: float | None
) -> list[list[int]]:
    """Greedy matches: for each treated person (largest score first, in rounds), the nearest
    control not yet used. Returns the control indices matched to each treated person."""
    order_c = np.argsort(p_control, kind="stable")
    sorted_c = p_control[order_c]
    m = len(sorted_c)
    right = np.arange(m + 1)  # next available at or right of i (m: none)
    left = np.arange(m + 1)  # next available at or left of i-1, shifted by one (0: none)
    matches: list[list[int]] = [[] for _ in p_treated]
    active = np.ones(len(p_treated), dtype=bool)
    order_t = np.argsort(-p_treated, kind="stable")
    positions = np.searchsorted(sorted_c, p_treated)
    for _ in range(ratio):
        for i in order_t:
            if not active[i]:
                continue
            pos = int(positions[i])
            r = _find(right, pos)
            lft = _find(left, pos) - 1  # index in sorted_c, −1: none
            best = -1
            if r < m and (lft < 0 or sorted_c[r] - p_treated[i] <= p_treated[i] - sorted_c[lft]):
                best = r
            elif lft >= 0:  # among equal scores, the first control in the data
                best = _find(right, int(np.searchsorted(sorted_c, sorted_c[lft])))
            if best < 0 or (caliper is not None and abs(sorted_c[best] - p_treated[i]) > caliper):
                active[i] = False
                continue
            matches[i].append(int(order_c[best]))
            right[best] = best + 1
            left[best + 1] = best
    return matches


def nearest_with_replacement(
    p_treated: np.ndarray, p_control: np.ndarray, ratio: int, caliper: float | None
) -> list[list[int]]:
    """Each treated person's `ratio` nearest controls (a control may serve several people).

    Controls sorted by score once; each treated person's neighbours are taken by walking left
    and right from their place (vectorised over people, `ratio` steps). Ties: as without
    replacement for the first neighbour; for the next ones, the walk's order.
    """
    order_c = np.argsort(p_control, kind="stable")
    sorted_c = p_control[order_c]
    m = len(sorted_c)
    right = np.searchsorted(sorted_c, p_treated)
    left = right - 1
    chosen = np.empty((len(p_treated), ratio), dtype=np.int64)
    dist = np.empty((len(p_treated), ratio))
    for step in range(min(ratio, m)):
        d_right = np.where(right < m, sorted_c[np.minimum(right, m - 1)] - p_treated, np.inf)
        d_left = np.where(left >= 0, p_treated - sorted_c[np.maximum(left, 0)], np.inf)
        take_right = d_right <= d_left
        from_left = left
        if step == 0:  # among equal scores on the left, the first control in the data
            from_left = np.searchsorted(sorted_c, sorted_c[np.maximum(left, 0)])
        chosen[:, step] = np.where(take_right, right, from_left)
        dist[:, step] = np.where(take_right, d_right, d_left)
        right = right + take_right
        left = left - ~take_right
    k = min(ratio, m)
    keep = np.ones((len(p_treated), k), dtype=bool) if caliper is None else dist[:, :k] <= caliper
    return [list(order_c[chosen[i, :k][keep[i]]]) for i in range(len(p_treated))]


def pair_weights(
    matches: list[list[int]], n_control: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """MatchIt's ATT weights from matched sets: (treated weights, control weights, pair id of
    each control, −1 when unmatched or used by several treated people)."""
    w_t = np.array([1.0 if m else 0.0 for m in matches])
    w_c = np.zeros(n_control)
    pair = np.full(n_control, -1)
    for i, controls in enumerate(matches):
        for j in controls:
            w_c[j] += 1.0 / len(controls)
            pair[j] = i if pair[j] == -1 else -2
    return w_t, w_c, pair


def strata_weights(strata: np.ndarray, d: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Exact/CEM ATT weights: strata with both groups kept; controls weighted n₁ₛ/n₀ₛ."""
    import pandas as pd

    codes, _ = pd.factorize(pd.Series(strata))
    n1 = np.bincount(codes, weights=d == 1)
    n0 = np.bincount(codes, weights=d == 0)
    both = (n1 > 0) & (n0 > 0)
    kept = both[codes]
    w = np.where(kept, np.where(d == 1, 1.0, n1[codes] / np.maximum(n0[codes], 1)), 0.0)
    return w, kept, codes


def coarsen(frame: Any, columns: list[str], bins: int | None) -> np.ndarray:
    """Stratum labels from the coarsened columns (numeric columns with many values binned)."""
    import pandas as pd

    n = len(frame)
    k = bins or int(np.ceil(np.log2(n) + 1))  # Sturges
    parts = []
    for col in columns:
        series = frame[col]
        if pd.api.types.is_numeric_dtype(series.dtype) and series.nunique() > k:
            x = series.to_numpy(dtype=float)
            edges = np.linspace(x.min(), x.max(), k + 1)
            parts.append(np.clip(np.searchsorted(edges, x, side="right") - 1, 0, k - 1))
        else:
            parts.append(pd.factorize(series.astype(str))[0])
    return np.array(["|".join(map(str, row)) for row in zip(*parts)]) if parts else np.zeros(n)


def _balance(X: np.ndarray, names: list[str], d: np.ndarray, w: np.ndarray) -> list[dict]:
    """Standardised differences and variance ratios before and after matching."""
    from evalsoc.sections.effects.common import balance_table

    rows = balance_table(X, names, d == 1, weights=w, threshold=IMBALANCE)
    t = d == 1
    for row in rows:
        j = names.index(row["covariate"])
        x = X[:, j]
        v1, v0 = x[t].var(ddof=1), x[~t].var(ddof=1)
        row["variance_ratio"] = finite_or_none(v1 / v0) if v0 > 0 else None
        wt, wc = w[t], w[~t]
        if wt.sum() > 0 and wc.sum() > 0:
            m1, m0 = np.average(x[t], weights=wt), np.average(x[~t], weights=wc)
            vw1 = np.average((x[t] - m1) ** 2, weights=wt)
            vw0 = np.average((x[~t] - m0) ** 2, weights=wc)
            row["variance_ratio_weighted"] = finite_or_none(vw1 / vw0) if vw0 > 0 else None
    return rows


def _abadie_imbens(
    y: np.ndarray,
    d: np.ndarray,
    p: np.ndarray,
    matches: list[list[int]],
    neighbours: int,
    diagnostics: dict[str, Any],
    covariates: np.ndarray | None = None,
) -> tuple[float, float]:
    """(ATT, Abadie–Imbens SE) of nearest-neighbour matching with replacement on the score,
    bias-corrected on `covariates` when given."""
    from evalsoc.stats.abadie_imbens import att_variance, conditional_variances

    t_idx, c_idx = np.flatnonzero(d == 1), np.flatnonzero(d == 0)
    if len(c_idx) <= neighbours:
        raise NotEstimable("matching_ai_neighbours", neighbours=neighbours)
    sigma2 = conditional_variances(y[c_idx], p[c_idx], neighbours)
    pair = None if covariates is None else (covariates[t_idx], covariates[c_idx])
    estimate, se = att_variance(y[t_idx], y[c_idx], matches, sigma2, pair)
    diagnostics["se_method"] = "abadie_imbens"
    diagnostics["bias_adjusted"] = covariates is not None
    diagnostics["ai_neighbours"] = neighbours
    return estimate, se


def estimate_matching(frame: Any, spec: Any, *, min_cell: int = 1) -> dict[str, Any]:
    """ATT of `_d` on `_y` after matching (from a prepared frame).

    Privacy: when between 1 and min_cell − 1 programme-group people are left unmatched, their
    number would follow from the published group sizes, so the effect is withheld."""
    from evalsoc.sections.effects.common import (
        check_full_rank,
        cluster_codes,
        covariate_matrix,
        ols,
        result_dict,
        t_inference,
    )

    y = frame["_y"].to_numpy(dtype=float)
    d = frame["_d"].to_numpy(dtype=int)
    if not (d == 1).any() or not (d == 0).any():
        raise NotEstimable("matching_needs_both_groups")
    covariates = list(spec.propensity or spec.covariates)
    X, names = covariate_matrix(frame, covariates)
    method = spec.match_method
    notes: list[str] = []
    diagnostics: dict[str, Any] = {"match_method": method}
    pair_of_control = None
    if method == "nearest":
        if not names:
            raise NotEstimable("nearest_needs_covariates")
        check_full_rank(np.column_stack([np.ones(len(y)), X]), ["const", *names])
        p = propensity_score(d.astype(float), X)
        caliper = None if spec.caliper is None else spec.caliper * float(np.std(p, ddof=1))
        t_idx, c_idx = np.flatnonzero(d == 1), np.flatnonzero(d == 0)
        matcher = nearest_with_replacement if spec.replace else nearest_without_replacement
        if spec.exact:
            strata = coarsen(frame, spec.exact, 10**9)  # exact values, never binned
            matches: list[list[int]] = [[] for _ in t_idx]
            for s in np.unique(strata):
                ts = np.flatnonzero(strata[t_idx] == s)
                cs = np.flatnonzero(strata[c_idx] == s)
                if len(cs):
                    sub = matcher(p[t_idx[ts]], p[c_idx[cs]], spec.ratio, caliper)
                    for i, found in zip(ts, sub):
                        matches[i] = [int(cs[j]) for j in found]
        else:
            matches = matcher(p[t_idx], p[c_idx], spec.ratio, caliper)
        w_t, w_c, pair = pair_weights(matches, len(c_idx))
        w = np.zeros(len(y))
        w[t_idx], w[c_idx] = w_t, w_c
        if not spec.replace:
            pair_of_control = np.full(len(y), -1)
            pair_of_control[t_idx] = np.arange(len(t_idx))
            pair_of_control[c_idx] = pair
        diagnostics["propensity_model"] = "logit on " + ", ".join(names)
        diagnostics["caliper_in_score_units"] = finite_or_none(caliper)
        diagnostics["controls_reused"] = int((w_c > 0).sum()) < int(sum(len(m) for m in matches))
    else:
        columns = [*spec.exact, *covariates]
        if not columns:
            raise NotEstimable("matching_needs_covariates", method=method)
        strata = coarsen(frame, columns, spec.cem_bins if method == "cem" else 10**9)
        w, kept, _ = strata_weights(strata, d)
        diagnostics["strata_kept"] = int(len(np.unique(strata[kept])))
    treated_used = (d == 1) & (w > 0)
    controls_used = (d == 0) & (w > 0)
    if not treated_used.any() or not controls_used.any():
        raise NotEstimable("no_match_found")
    w[controls_used] *= controls_used.sum() / w[controls_used].sum()
    unmatched = int(((d == 1) & (w == 0)).sum())
    if 0 < unmatched < min_cell:
        raise NotEstimable("unmatched_below_min_cell", min_cell=min_cell, unmatched=unmatched)
    diagnostics["treated_unmatched"] = unmatched
    diagnostics["controls_used"] = int(controls_used.sum())
    used = w > 0
    sw = np.sqrt(w[used])
    design = np.column_stack([sw, sw * d[used]])
    if pair_of_control is not None:
        clusters, _ = cluster_codes(pair_of_control[used])
        fit = ols(y[used] * sw, design, ["const", "treated"], se_type="cluster", clusters=clusters)
        se_words = "CR1 standard errors clustered by matched pair"
    else:
        fit = ols(y[used] * sw, design, ["const", "treated"], se_type="robust")
        se_words = "HC2 robust standard errors"
    estimate, se = fit.coef("treated")
    df = fit.df
    ai_se = getattr(spec, "matching_se", "regression") == "abadie_imbens"
    if ai_se:
        adjust = covariate_matrix(frame, spec.covariates)[0] if spec.bias_adjust else None
        estimate, se = _abadie_imbens(y, d, p, matches, spec.ai_neighbours, diagnostics, adjust)
        se_words = (
            f"Abadie–Imbens (2006) standard error, conditional variances from "
            f"{spec.ai_neighbours} neighbours, normal reference"
        )

        df = None
    inference = t_inference(estimate, se, df, spec.level)
    if X.shape[1]:
        diagnostics["balance"] = _balance(X, names, d, w)
    diagnostics["notes"] = notes
    parts = [
        METHOD_WORDS[method].capitalize() + " (MatchIt's conventions)",
        "effect on the treated",
    ]
    if method == "nearest":
        parts.append(
            f"{spec.ratio}:1, {'with' if spec.replace else 'without'} replacement"
            + (f", caliper {spec.caliper:g} SD of the score" if spec.caliper else "")
        )
    if spec.exact:
        parts.append("exact on " + ", ".join(spec.exact))
    parts.append(f"weighted difference in means; {se_words} (score treated as known)")
    if ai_se and spec.bias_adjust:
        parts.append("bias-corrected (Abadie–Imbens 2011) on " + ", ".join(spec.covariates))
    return result_dict(
        estimate=estimate,
        se=se,
        ci_low=inference["ci_low"],
        ci_high=inference["ci_high"],
        p_value=inference["p_value"],
        n=int(used.sum()),
        n_treated=int(treated_used.sum()),
        n_control=int(controls_used.sum()),
        n_clusters=fit.n_clusters,
        design="matching",
        method="; ".join(parts),
        diagnostics=diagnostics,
        estimand="att",
        df=df,
        _groups=(y[treated_used], y[controls_used]),
    )
