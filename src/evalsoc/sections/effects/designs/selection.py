"""Selection on observables: inverse probability weighting, regression adjustment and AIPW.

Point estimates come from statsmodels' `TreatmentEffect` (the estimators of Stata's `teffects`).
Standard errors come from the stacked estimating equations of the propensity model, the outcome
models and the effect (an exactly identified M-estimator, as Stata does), evaluated here with a
numerical Jacobian. Doing the sandwich ourselves has two reasons:

- statsmodels 0.15's `ipw_ra` and `aipw_wls` crash in their GMM step whenever the propensity model
  does not have exactly six parameters (they slice `params[-6:]`); the point estimates are fine,
  so we keep those and compute the variance from our own moment functions;
- the variance can then be clustered (statsmodels' GMM only gives HC0).

Why one module: one family of estimators sharing the propensity model and the stacked estimating
equations of their variance.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from evalsoc.problems import worded
from evalsoc.sections.common import NotEstimable, finite_or_none

METHOD_WORDS = {
    "ipw": "inverse probability weighting (normalised weights)",
    "ra": "regression adjustment (separate linear outcome models by group)",
    "aipw": "augmented inverse probability weighting (doubly robust)",
    "aipw_wls": "augmented inverse probability weighting with weighted outcome models "
    "(doubly robust)",
    "ipwra": "inverse-probability-weighted regression adjustment (doubly robust)",
}
ESTIMAND_WORDS = {
    "ate": "average effect in the whole sample (ATE)",
    "att": "average effect on the treated (ATT)",
    "ato": "average effect in the overlap population (ATO: overlap weights of Li, Morgan & "
    "Zaslavsky 2018, 1 − p for the programme group and p for the comparison group)",
}
EXTREME_WEIGHT = 10.0
FEW_CLUSTERS = 30
SEPARATION_EPS = 1e-14  # a propensity this close to 0 or 1 is a fitted 0 or 1
PSTOLERANCE = 1e-5  # Stata teffects' default pstolerance()


@dataclass
class SelectionFit:
    """Effect, potential-outcome mean, variance and what the diagnostics need."""

    estimate: float
    pom0: float
    se: float
    df: float | None
    propensity: np.ndarray | None
    weights: np.ndarray | None
    estimator: str
    n_clusters: int | None


# --- propensity model ------------------------------------------------------------------------


def fit_propensity(d: np.ndarray, xs: np.ndarray, names: list[str], model: str = "logit") -> Any:
    """Logit (or probit) of treatment on the propensity covariates.

    A model that does not converge, or predicts 0 or 1 to machine precision, separates the
    groups (NotEstimable). Propensities that are merely extreme are an overlap problem, checked
    against the tolerance by `check_tolerance` once trimming is done.
    """
    from statsmodels.discrete.discrete_model import Logit, Probit

    _explain_separation(d, xs, names)
    cls = Probit if model == "probit" else Logit
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with np.errstate(all="ignore"):
            res = cls(d, xs).fit(disp=0, maxiter=200)
    p = res.predict()
    converged = bool(res.mle_retvals.get("converged", True))
    if (
        not converged
        or not np.all(np.isfinite(p))
        or np.any((p < SEPARATION_EPS) | (p > 1 - SEPARATION_EPS))
    ):
        raise NotEstimable(
            "perfect_separation",
            state=worded("did not converge" if not converged else "predicts 0 or 1 exactly"),
        )
    return res


def check_tolerance(p: np.ndarray, d: np.ndarray, tolerance: float, model: str) -> None:
    """Refuse propensities outside [tolerance, 1 − tolerance] (Stata's `pstolerance()`), saying
    that the model converged and what the user can do."""
    from evalsoc.stats.overlap import outside_tolerance

    out = outside_tolerance(p, d, tolerance)
    if not out.any:
        return
    who: dict[str, list[str]] = {"fr": [], "en": []}
    if out.control:
        who["fr"].append(f"{out.control} du groupe de comparaison")
        who["en"].append(f"{out.control} in the comparison group")
    if out.treated:
        who["fr"].append(f"{out.treated} du groupe du dispositif")
        who["en"].append(f"{out.treated} in the programme group")
    raise NotEstimable(
        "limited_overlap",
        model=model,
        who={"fr": " et ".join(who["fr"]), "en": " and ".join(who["en"])},
        tolerance=f"{tolerance:g}",
        smallest=f"{out.smallest:.2g}",
        largest=f"{out.largest:.2g}",
    )


def _explain_separation(d: np.ndarray, xs: np.ndarray, names: list[str]) -> None:
    """Name a 0/1 covariate whose one level holds only treated or only untreated people."""
    for j, name in enumerate(names):
        col = xs[:, j]
        if name == "const" or not np.all((col == 0) | (col == 1)):
            continue
        for level in (0.0, 1.0):
            rows = col == level
            if rows.any() and rows.sum() < len(col) and np.unique(d[rows]).size == 1:
                who = "take part" if d[rows][0] == 1 else "do not take part"
                raise NotEstimable(
                    "separation_by_level",
                    name=name,
                    level=int(level),
                    n=int(rows.sum()),
                    who=worded(who),
                )


# --- estimating equations ------------------------------------------------------------------------


def _wls(y: np.ndarray, x: np.ndarray, w: np.ndarray) -> np.ndarray:
    sw = np.sqrt(w)
    return np.linalg.lstsq(x * sw[:, None], y * sw, rcond=None)[0]


def _moments(
    estimator: str,
    estimand: str,
    y: np.ndarray,
    d: np.ndarray,
    xo: np.ndarray,
    sel: Any | None,
) -> tuple[Callable[[np.ndarray], np.ndarray], np.ndarray]:
    """Moment function ψ(θ) (n × p) and θ̂ = (effect, POM0, outcome params, selection params).

    The point estimates of effect and POM0 come from statsmodels' TreatmentEffect; the nuisance
    parameters are recomputed here (same closed forms) so that Σψ(θ̂) = 0.
    """
    from statsmodels.regression.linear_model import OLS
    from statsmodels.treatment.treatment_effects import TreatmentEffect

    ko = xo.shape[1]
    te = TreatmentEffect(OLS(y, xo), d.astype(np.int64), results_select=sel)
    group = 1 if estimand == "att" else "all"
    t = d.astype(bool)
    n = len(y)

    def prob(gamma: np.ndarray) -> np.ndarray:
        return np.asarray(sel.model.predict(gamma))

    def score(gamma: np.ndarray) -> np.ndarray:
        return np.asarray(sel.model.score_obs(gamma))

    gamma_hat = np.asarray(sel.params) if sel is not None else np.empty(0)
    s = d if estimand == "att" else np.ones(n)

    if estimator == "ipw":
        if estimand == "ato":
            from evalsoc.stats.overlap import overlap_weights

            w_hat = overlap_weights(prob(gamma_hat), d)
            mu1 = float(np.sum(w_hat * d * y) / np.sum(w_hat * d))
            pom0 = float(np.sum(w_hat * (1 - d) * y) / np.sum(w_hat * (1 - d)))
            effect = mu1 - pom0
        else:
            effect, pom0, _ = te.ipw(return_results=False, effect_group=group)

        def psi(theta: np.ndarray) -> np.ndarray:
            tau, mu0, gamma = theta[0], theta[1], theta[2:]
            p = prob(gamma)
            w = d / p + (1 - d) / (1 - p)
            if estimand == "att":
                w = w * p
            elif estimand == "ato":
                w = d * (1 - p) + (1 - d) * p
            r = w * (y - tau * d - mu0)
            return np.column_stack([r * d, r, score(gamma)])

        return psi, np.concatenate([[effect, pom0], gamma_hat])

    if estimator == "ra":
        effect, pom0, _ = te.ra(return_results=False, effect_group=group)
        b0, b1 = te.results0.params, te.results1.params

        def psi(theta: np.ndarray) -> np.ndarray:
            tau, mu0 = theta[0], theta[1]
            beta0, beta1 = theta[2 : 2 + ko], theta[2 + ko : 2 + 2 * ko]
            f0, f1 = xo @ beta0, xo @ beta1
            return np.column_stack(
                [
                    s * (f1 - f0 - tau),
                    s * (f0 - mu0),
                    ((1 - d) * (y - f0))[:, None] * xo,
                    (d * (y - f1))[:, None] * xo,
                ]
            )

        return psi, np.concatenate([[effect, pom0], b0, b1])

    # Doubly robust estimators: outcome models (possibly weighted) and the propensity model.
    p_hat = prob(gamma_hat)
    if estimator == "aipw":
        effect, pom0, _ = te.aipw(return_results=False)
        b0, b1 = te.results0.params, te.results1.params
    elif estimator == "aipw_wls":
        effect, pom0, _ = te.aipw_wls(return_results=False)
        b0 = _wls(y[~t], xo[~t], p_hat[~t] / (1 - p_hat[~t]) ** 2)
        b1 = _wls(y[t], xo[t], (1 - p_hat[t]) / p_hat[t] ** 2)
    elif estimator == "ipwra":
        effect, pom0, _ = te.ipw_ra(return_results=False, effect_group=group)
        w0, w1 = _ipwra_weights(p_hat, estimand)
        b0 = _wls(y[~t], xo[~t], w0[~t])
        b1 = _wls(y[t], xo[t], w1[t])
    else:
        raise ValueError(f"unknown estimator {estimator!r}")

    def psi(theta: np.ndarray) -> np.ndarray:
        tau, mu0 = theta[0], theta[1]
        beta0, beta1 = theta[2 : 2 + ko], theta[2 + ko : 2 + 2 * ko]
        gamma = theta[2 + 2 * ko :]
        p = prob(gamma)
        f0, f1 = xo @ beta0, xo @ beta1
        if estimator == "ipwra":
            w0, w1 = _ipwra_weights(p, estimand)
            m1, m0 = f1, f0
        else:
            if estimator == "aipw_wls":
                w0, w1 = p / (1 - p) ** 2, (1 - p) / p**2
            else:
                w0 = w1 = np.ones(n)
            m1 = f1 + d * (y - f1) / p
            m0 = f0 + (1 - d) * (y - f0) / (1 - p)
        return np.column_stack(
            [
                s * (m1 - m0 - tau),
                s * (m0 - mu0),
                ((1 - d) * w0 * (y - f0))[:, None] * xo,
                (d * w1 * (y - f1))[:, None] * xo,
                score(gamma),
            ]
        )

    return psi, np.concatenate([[effect, pom0], b0, b1, gamma_hat])


def _ipwra_weights(p: np.ndarray, estimand: str) -> tuple[np.ndarray, np.ndarray]:
    if estimand == "att":
        return p / (1 - p), np.ones_like(p)
    return 1 / (1 - p), 1 / p


def sandwich(
    psi: Callable[[np.ndarray], np.ndarray], theta: np.ndarray, clusters: np.ndarray | None
) -> tuple[np.ndarray, int | None]:
    """Covariance of an exactly identified M-estimator: A⁻¹ B A⁻ᵀ / n.

    A is the mean Jacobian of ψ (central differences); B the mean outer product of ψ (HC0, as
    Stata's teffects), or of its cluster sums times G/(G − 1).
    """
    m = psi(theta)
    n, k = m.shape
    jac = np.empty((k, k))
    for j in range(k):
        h = 1e-6 * max(1.0, abs(theta[j]))
        up, down = theta.copy(), theta.copy()
        up[j] += h
        down[j] -= h
        jac[:, j] = (psi(up).mean(axis=0) - psi(down).mean(axis=0)) / (2 * h)
    n_clusters = None
    if clusters is None:
        meat = m.T @ m / n
    else:
        n_clusters = int(clusters.max()) + 1
        if n_clusters < 2:
            raise NotEstimable("one_cluster_sandwich")
        sums = np.zeros((n_clusters, k))
        np.add.at(sums, clusters, m)
        meat = n_clusters / (n_clusters - 1) * sums.T @ sums / n
    try:
        a_inv = np.linalg.inv(jac)
    except np.linalg.LinAlgError as exc:
        raise NotEstimable("estimating_equations_singular") from exc
    return a_inv @ meat @ a_inv.T / n, n_clusters


# --- the engine --------------------------------------------------------------------------------


def selection_effect(
    y: np.ndarray,
    d: np.ndarray,
    xo: np.ndarray,
    xs: np.ndarray | None,
    xs_names: list[str] | None = None,
    *,
    estimator: str = "ipw",
    estimand: str = "ate",
    propensity_model: str = "logit",
    clusters: np.ndarray | None = None,
    tolerance: float | None = None,
) -> SelectionFit:
    """One selection-on-observables effect. `xo`, `xs` already hold a constant column.

    estimator: ipw | ra | aipw | aipw_wls | ipwra. AIPW has no ATT form in statsmodels: an ATT
    asked of the aipw family is estimated by IPWRA (also doubly robust).
    tolerance: refuse propensities outside [tolerance, 1 − tolerance] (`check_tolerance`);
    None skips the check (overlap weights are bounded and need none).
    """
    if estimand == "att" and estimator in ("aipw", "aipw_wls"):
        estimator = "ipwra"
    y = np.asarray(y, dtype=float)
    d = np.asarray(d, dtype=float)
    sel = None
    if xs is not None:
        sel = fit_propensity(d, xs, list(xs_names or []), propensity_model)
        if tolerance is not None and estimator != "ra" and estimand != "ato":
            check_tolerance(np.asarray(sel.predict()), d, tolerance, propensity_model)
    elif estimator != "ra":
        raise NotEstimable("needs_propensity_covariates", estimator=estimator)
    from evalsoc.sections.effects.common import check_clusters, check_se

    if clusters is not None:
        check_clusters(clusters, d)
    psi, theta = _moments(estimator, estimand, y, d, xo, sel)
    cov, n_clusters = sandwich(psi, theta, clusters)
    se = float(np.sqrt(max(cov[0, 0], 0.0)))
    check_se(float(theta[0]), se)
    p = np.asarray(sel.predict()) if sel is not None else None
    weights = None
    if p is not None:
        if estimand == "att":
            weights = np.where(d == 1, 1.0, p / (1 - p))
        elif estimand == "ato":
            weights = np.where(d == 1, 1 - p, p)
        else:
            weights = np.where(d == 1, 1 / p, 1 / (1 - p))
    return SelectionFit(
        estimate=float(theta[0]),
        pom0=float(theta[1]),
        se=se,
        df=None if n_clusters is None else n_clusters - 1,
        propensity=p,
        weights=weights,
        estimator=estimator,
        n_clusters=n_clusters,
    )


def overlap(
    p: np.ndarray, d: np.ndarray, weights: np.ndarray, trimmed: int, trim: float | None
) -> dict[str, Any]:
    """Propensity range by group and the share of extreme weights (normalised to mean 1 per arm)."""
    t = d == 1
    norm = np.empty_like(weights)
    for arm in (t, ~t):
        norm[arm] = weights[arm] / weights[arm].mean()
    return {
        "propensity_min": finite_or_none(p.min()),
        "propensity_max": finite_or_none(p.max()),
        "propensity_treated": [finite_or_none(p[t].min()), finite_or_none(p[t].max())],
        "propensity_control": [finite_or_none(p[~t].min()), finite_or_none(p[~t].max())],
        "max_normalised_weight": finite_or_none(norm.max()),
        "share_weights_over_10": finite_or_none(float(np.mean(norm > EXTREME_WEIGHT))),
        "trim": trim,
        "trimmed": int(trimmed),
    }


# --- adapter from a prepared frame and an EffectSpec ----------------------------------------------


def estimate_selection(frame: Any, spec: Any) -> dict[str, Any]:
    """ipw / aipw / ra effect of `_d` (0/1) on `_y` from a prepared frame (see the dispatcher).

    Rows with a missing outcome, treatment, covariate or cluster are dropped together, so the
    cluster labels stay aligned with the rows used. With `trim` (a share a: bounds [a, 1 − a];
    two bounds [low, high]; or "crump": Crump et al. 2009's optimal α), people whose propensity
    lies outside the bounds are dropped and every model is refitted on the others; the
    tolerance (`pstolerance`) is then checked on the final fit.
    """
    from evalsoc.sections.effects.common import (
        balance_table,
        covariate_matrix,
        is_binary,
        result_dict,
        t_inference,
    )

    design = spec.design
    estimand = getattr(spec, "estimand", "ate") or "ate"
    covariates = list(spec.covariates or [])
    propensity = list(spec.propensity) if spec.propensity else covariates
    model = getattr(spec, "propensity_model", None) or "logit"
    trim = getattr(spec, "trim", None)
    estimator = (getattr(spec, "dr_method", None) or "aipw") if design == "aipw" else design
    _check_options(design, estimator, model, trim, propensity)
    if estimand == "ato" and design != "ipw":
        raise NotEstimable("ato_ipw_only")
    cluster = spec.cluster if spec.se_type == "cluster" else None
    notes: list[str] = []
    if spec.se_type not in ("robust", "cluster"):
        notes.append(
            f"{spec.se_type} standard errors do not apply to these estimators: the robust "
            "sandwich of the estimating equations is used"
        )
    if getattr(spec, "small_sample", "none") != "none":
        notes.append(
            f"small_sample: {spec.small_sample} is not available for {design}; "
            "analytic cluster-robust standard errors used"
        )
    needed = ["_y", "_d", *dict.fromkeys(covariates + propensity)] + ([cluster] if cluster else [])
    missing = [c for c in needed if c not in frame.columns]
    if missing:
        raise NotEstimable("data_has_no_columns", columns=", ".join(map(repr, missing)))
    data = frame.dropna(subset=needed)
    n_missing = len(frame) - len(data)

    tolerance = float(getattr(spec, "pstolerance", PSTOLERANCE))

    def fit_on(rows: Any, tol: float | None) -> SelectionFit:
        return _fit_sample(
            rows, design, estimator, estimand, model, covariates, propensity, cluster, notes, tol
        )

    fit = fit_on(data, None if trim is not None else tolerance)
    trimmed = 0
    bounds = None
    if trim is not None and fit.propensity is not None:
        bounds = trim_bounds(trim, fit.propensity)
        keep = (fit.propensity >= bounds[0]) & (fit.propensity <= bounds[1])
        trimmed = int((~keep).sum())
        data = data.loc[keep] if trimmed else data
        fit = fit_on(data, tolerance)
    y = data["_y"].to_numpy(dtype=float)
    d = data["_d"].to_numpy(dtype=float)
    if fit.n_clusters is not None and fit.n_clusters < FEW_CLUSTERS:
        notes.append(
            f"only {fit.n_clusters} clusters of {cluster}: cluster-robust standard errors can be "
            "too small with fewer than 30 clusters; read the interval with caution"
        )
    inference = t_inference(fit.estimate, fit.se, fit.df, spec.level)
    diagnostics: dict[str, Any] = {
        "rows_dropped_missing": int(n_missing),
        "potential_outcome_control": finite_or_none(fit.pom0),
        "estimator": fit.estimator,
        "propensity_model": model if fit.propensity is not None else None,
        "notes": list(dict.fromkeys(notes)),
    }
    bx, bnames = covariate_matrix(data, list(dict.fromkeys(covariates + propensity)))
    if bnames:
        diagnostics["balance"] = balance_table(bx, bnames, d == 1, weights=fit.weights)
    if fit.propensity is not None and fit.weights is not None:
        diagnostics["overlap"] = overlap(fit.propensity, d, fit.weights, trimmed, trim)
        diagnostics["overlap"].update(trim_bounds=bounds, pstolerance=tolerance)
    return result_dict(
        estimate=fit.estimate,
        se=fit.se,
        ci_low=inference["ci_low"],
        ci_high=inference["ci_high"],
        p_value=inference["p_value"],
        n=len(y),
        n_treated=int((d == 1).sum()),
        n_control=int((d == 0).sum()),
        n_clusters=fit.n_clusters,
        design=design,
        method=_method_words(fit, estimand, model, spec, cluster),
        diagnostics=diagnostics,
        estimand=estimand,
        df=fit.df,
        _groups=(y[d == 1], y[d == 0]),
        _group_counts=_counts(
            y, d, data[spec.unit].to_numpy() if spec.unit in data.columns else None
        )
        if is_binary(y)
        else None,
    )


def _counts(y: np.ndarray, d: np.ndarray, units: Any) -> tuple[list[int], list[int]]:
    """People with and without a 0/1 outcome per group (private, for the privacy rule)."""
    from evalsoc.sections.effects.common import outcome_counts

    treated, control = (d == 1), (d == 0)
    return (
        outcome_counts(y[treated], None if units is None else units[treated]),
        outcome_counts(y[control], None if units is None else units[control]),
    )


def trim_bounds(trim: Any, p: np.ndarray) -> tuple[float, float]:
    """[low, high] propensity bounds from `trim`: a share a → [a, 1 − a]; two numbers; or
    "crump" → [α, 1 − α] with Crump et al. (2009)'s optimal α (0 when no trimming helps)."""
    if trim == "crump":
        from evalsoc.stats.overlap import crump_alpha

        alpha = crump_alpha(p)
        return alpha, 1 - alpha
    if isinstance(trim, (list, tuple)):
        return float(trim[0]), float(trim[1])
    return float(trim), 1 - float(trim)


def _check_options(
    design: str, estimator: str, model: str, trim: Any, propensity: list[str]
) -> None:
    if estimator not in METHOD_WORDS or (design != "aipw" and estimator != design):
        raise NotEstimable("unknown_dr_method", estimator=repr(estimator))
    if model not in ("logit", "probit"):
        raise NotEstimable("propensity_model_invalid", model=repr(model))
    if isinstance(trim, (int, float)) and not 0 < trim < 0.5:
        raise NotEstimable("trim_share_invalid", trim=trim)
    if isinstance(trim, (list, tuple)) and not (len(trim) == 2 and 0 <= trim[0] < trim[1] <= 1):
        raise NotEstimable("trim_bounds_invalid", trim=trim)
    if design != "ra" and not propensity:
        raise NotEstimable("design_needs_propensity_covariates", design=design)


def _fit_sample(
    data: Any,
    design: str,
    estimator: str,
    estimand: str,
    model: str,
    covariates: list[str],
    propensity: list[str],
    cluster: str | None,
    notes: list[str],
    tolerance: float | None = None,
) -> SelectionFit:
    """Design matrices with their checks, then the estimator, on one set of rows.

    For `ra` the propensity model only feeds the diagnostics: when it cannot be fitted
    (separation, collinearity) the effect is still estimated and `notes` says why.
    """
    from evalsoc.sections.effects.common import check_full_rank, cluster_codes, covariate_matrix

    y = data["_y"].to_numpy(dtype=float)
    d = data["_d"].to_numpy(dtype=float)
    _check_groups(y, d)
    xs = xs_names = None
    if propensity:
        xs_cov, xs_names = covariate_matrix(data, propensity)
        xs = np.column_stack([np.ones(len(y)), xs_cov])
        xs_names = ["const", *xs_names]
        try:
            check_full_rank(xs, xs_names)
            _explain_separation(d, xs, xs_names)
        except NotEstimable as exc:
            if design != "ra":
                raise
            notes.append(f"propensity model not estimated ({exc})")
            xs = xs_names = None
    xo_cov, xo_names = covariate_matrix(data, covariates)
    xo = np.column_stack([np.ones(len(y)), xo_cov])
    xo_names = ["const", *xo_names]
    for arm, label in ((d == 1, "programme group"), (d == 0, "comparison group")):
        if arm.sum() <= xo.shape[1]:
            raise NotEstimable(
                "arm_too_small_for_model",
                group=worded(label),
                n=int(arm.sum()),
                parameters=xo.shape[1],
            )
        check_full_rank(xo[arm], xo_names)
    codes = cluster_codes(data[cluster].to_numpy())[0] if cluster else None
    kwargs = dict(
        estimator=estimator,
        estimand=estimand,
        propensity_model=model,
        clusters=codes,
        tolerance=tolerance,
    )
    try:
        return selection_effect(y, d, xo, xs, xs_names, **kwargs)
    except NotEstimable as exc:
        if design != "ra" or xs is None:
            raise
        notes.append(f"propensity model not estimated ({exc})")
        return selection_effect(y, d, xo, None, **kwargs)


def _check_groups(y: np.ndarray, d: np.ndarray) -> None:
    if not (d == 1).any():
        raise NotEstimable("no_treated_never_1")
    if not (d == 0).any():
        raise NotEstimable("no_comparison_never_0")
    if np.ptp(y) == 0:
        raise NotEstimable("outcome_constant")


def _method_words(
    fit: SelectionFit, estimand: str, model: str, spec: Any, cluster: str | None
) -> str:
    parts = [METHOD_WORDS[fit.estimator].capitalize(), ESTIMAND_WORDS[estimand]]
    if fit.propensity is not None and fit.estimator != "ra":
        parts.append(
            f"{model} propensity score on " + ", ".join(spec.propensity or spec.covariates)
        )
    if fit.estimator != "ipw" and spec.covariates:
        parts.append("linear outcome models on " + ", ".join(spec.covariates))
    if spec.design == "aipw" and estimand == "att" and fit.estimator == "ipwra":
        parts.append("AIPW has no ATT form, so the doubly robust IPWRA estimator is used")
    if cluster:
        parts.append(
            f"cluster-robust sandwich standard errors by {cluster} (stacked estimating equations)"
        )
    else:
        parts.append("robust sandwich standard errors (stacked estimating equations, as Stata)")
    return "; ".join(parts)
