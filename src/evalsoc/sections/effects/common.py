"""Shared machinery of the effect designs: OLS with named SE types, small-sample remedies,
inference, the standard result dict, balance tables, effect sizes and minimum detectable effects.

Every design module (difference, pre_post, did, regression, staggered, selection) builds on
these functions so that one effect reads like another in results.json. Signatures are stable:
other modules import them.

Conventions (documented in docs/effects.md):
- ``classical``: σ̂²(X'X)⁻¹ with σ̂² = e'e/(n − K); t inference with n − K degrees of freedom.
- ``robust``: HC2, (X'X)⁻¹ X' diag(e²/(1 − h)) X (X'X)⁻¹ (MacKinnon & White 1985); t(n − K).
- ``cluster``: CR1 as in Stata and statsmodels, G/(G − 1)·(N − 1)/(N − K) · bread·meat·bread;
  t inference with G − 1 degrees of freedom. Absorbed fixed effects nested within clusters are not
  counted in K (Cameron & Miller 2015, §III.B; fixest's default).
- ``cr2``: Bell & McCaffrey (2002) bias-reduced cluster-robust variance, t(G − 1).
- wild cluster bootstrap (Cameron, Gelbach & Miller 2008; Roodman et al. 2019): p-value from the
  restricted (null imposed) bootstrap of the CR1 t statistic; interval from the unrestricted
  bootstrap-t (β̂ ± q·SE with q the level-quantile of |t*|); Rademacher or Webb six-point weights.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from evalsoc.privacy.cells import reason
from evalsoc.problems import worded
from evalsoc.sections.common import NotEstimable, finite_or_none

SE_WORDS = {
    "classical": "classical (homoskedastic) standard errors",
    "robust": "heteroskedasticity-robust (HC2) standard errors",
    "robust_hc1": "heteroskedasticity-robust (HC1) standard errors",
    "cluster": "cluster-robust (CR1) standard errors",
    "cr2": "bias-reduced cluster-robust (CR2, Bell–McCaffrey) standard errors",
    "hc0": "heteroskedasticity-robust (HC0, White) standard errors",
    "hc1": "heteroskedasticity-robust (HC1) standard errors",
    "hc2": "heteroskedasticity-robust (HC2) standard errors",
    "hc3": "heteroskedasticity-robust (HC3) standard errors",
    "cr1": "cluster-robust (CR1) standard errors",
}

RESULT_NUMBERS = (
    "estimate",
    "se",
    "ci_low",
    "ci_high",
    "p_value",
    "n",
    "n_treated",
    "n_control",
    "n_clusters",
)
STANDARD_KEYS = (*RESULT_NUMBERS, "design", "method", "diagnostics")

MIN_CLUSTERS = 3  # total clusters for a cluster-robust SE
MIN_CLUSTERS_PER_ARM = 2  # clusters holding treated units, and clusters holding control units
SE_FLOOR = 1e-10  # an SE at most SE_FLOOR·max(1, |estimate|) is numerically zero


# --- small helpers ------------------------------------------------------------------------


def cluster_codes(labels: Any) -> tuple[np.ndarray, int]:
    """Integer codes 0..G−1 for cluster labels (any hashable values) and the number G."""
    import pandas as pd

    codes, uniques = pd.factorize(pd.Series(labels).reset_index(drop=True), sort=True)
    if (codes < 0).any():
        raise NotEstimable("cluster_label_missing")
    return codes.astype(np.int64), len(uniques)


def check_clusters(
    clusters: np.ndarray,
    treated: np.ndarray | None = None,
    *,
    control: np.ndarray | None = None,
    what: str = "a cluster-robust standard error",
) -> None:
    """Refuse cluster-robust inference that the clusters cannot support (NotEstimable).

    At least MIN_CLUSTERS clusters in all, and, when `treated` (0/1 per row) is given, at least
    MIN_CLUSTERS_PER_ARM clusters holding treated rows and as many holding control rows. With
    treatment assigned by cluster and a single treated (or control) cluster, that cluster's
    residuals sum to zero by construction: the cluster-robust variance of the effect is then
    (numerically) zero and the interval has no width — a fake certainty.
    control: the rows serving as comparisons when they are not simply the untreated ones (in a
    staggered design, units treated later also serve as comparisons).
    """
    codes = np.asarray(clusters, dtype=np.int64)
    size = int(codes.max()) + 1 if codes.size else 0  # bincount: O(n), no sort of 10⁶ codes
    G = int(np.count_nonzero(np.bincount(codes, minlength=size)))
    if G < 2:
        raise NotEstimable("single_cluster", what=worded(what), minimum=MIN_CLUSTERS)
    if treated is not None:
        t = np.asarray(treated).astype(bool)
        c = ~t if control is None else np.asarray(control).astype(bool)
        if t.any() and c.any():
            g1 = int(np.count_nonzero(np.bincount(codes[t], minlength=size)))
            g0 = int(np.count_nonzero(np.bincount(codes[c], minlength=size)))
            for count, side in ((g1, "treated"), (g0, "comparison")):
                if count < MIN_CLUSTERS_PER_ARM:
                    raise NotEstimable(
                        "one_arm_clusters",
                        count=count,
                        side=worded(side),
                        what=worded(what),
                        minimum=MIN_CLUSTERS_PER_ARM,
                        treated=g1,
                        control=g0,
                        clusters=G,
                    )
    if G < MIN_CLUSTERS:
        raise NotEstimable("few_clusters", clusters=G, what=worded(what), minimum=MIN_CLUSTERS)


def check_se(estimate: float | None, se: float | None) -> None:
    """Refuse a standard error that is zero or numerically zero relative to the estimate.

    Such an SE would give a zero-width interval and a p-value of about 0: it never measures the
    uncertainty of an effect, it signals that the data leave no independent variation.
    """
    if estimate is None or se is None or not np.isfinite(estimate):
        return
    if not np.isfinite(se) or se <= SE_FLOOR * max(1.0, abs(float(estimate))):
        raise NotEstimable(
            "se_degenerate",
            state=worded("not finite" if not np.isfinite(se) else "zero"),
            se=f"{se:.3g}",
            estimate=f"{float(estimate):.6g}",
        )


def is_binary(values: Any) -> bool:
    """True when every non-missing value is 0 or 1 (booleans included) and both could occur."""
    arr = np.asarray(values, dtype=float)
    arr = arr[np.isfinite(arr)]
    return arr.size > 0 and bool(np.all((arr == 0) | (arr == 1)))


def t_inference(
    estimate: float, se: float, df: float | None, level: float = 0.95
) -> dict[str, float | None]:
    """Two-sided p-value and confidence interval from a t (df given) or normal reference."""
    from scipy import stats

    if se is None or not np.isfinite(se) or se <= 0:
        return {"ci_low": None, "ci_high": None, "p_value": None}
    dist = stats.t(df) if df is not None and np.isfinite(df) and df > 0 else stats.norm()
    crit = float(dist.ppf(0.5 + level / 2))
    tstat = estimate / se
    return {
        "ci_low": float(estimate - crit * se),
        "ci_high": float(estimate + crit * se),
        "p_value": float(2 * dist.sf(abs(tstat))),
    }


# --- design matrices ----------------------------------------------------------------------


def covariate_matrix(frame: Any, covariates: Sequence[str]) -> tuple[np.ndarray, list[str]]:
    """Numeric matrix of covariates; categorical/text/boolean columns expanded to 0/1 dummies.

    The first level (sorted) of each categorical column is the reference and is left out.
    """
    import pandas as pd

    blocks: list[np.ndarray] = []
    names: list[str] = []
    for col in covariates:
        series = frame[col]
        if pd.api.types.is_bool_dtype(series.dtype):
            blocks.append(series.astype(float).to_numpy(dtype=float)[:, None])
            names.append(col)
        elif pd.api.types.is_numeric_dtype(series.dtype):
            blocks.append(series.to_numpy(dtype=float, na_value=np.nan)[:, None])
            names.append(col)
        else:
            values = series.astype(object)
            levels = sorted({str(v) for v in values.dropna()})
            text = values.map(lambda v: None if v is None or v is pd.NA else str(v))
            for level in levels[1:]:
                blocks.append((text == level).to_numpy(dtype=float)[:, None])
                names.append(f"{col}[{level}]")
    if not blocks:
        return np.empty((len(frame), 0)), []
    return np.hstack(blocks), names


def check_full_rank(X: np.ndarray, names: Sequence[str], protect: Sequence[str] = ()) -> None:
    """Raise NotEstimable naming the columns that are constant or collinear with others.

    `protect` lists the columns of interest (the treatment term): the message says that the
    effect itself is not identified when one of them is involved.
    """
    k = X.shape[1]
    if k == 0:
        return
    xtx = X.T @ X
    diag = np.diag(xtx).copy()
    zero = [names[j] for j in range(k) if diag[j] <= 1e-12 * max(1.0, diag.max())]
    if zero:
        raise NotEstimable("no_variation_in", columns=", ".join(zero))
    scaled = xtx / np.sqrt(np.outer(diag, diag))
    from scipy.linalg import qr

    _, r, piv = qr(scaled, pivoting=True)
    rdiag = np.abs(np.diag(r))
    tol = 1e-10 * rdiag[0]
    rank = int((rdiag > tol).sum())
    if rank < k:
        bad = [names[j] for j in piv[rank:]]
        hit = [b for b in bad if b in protect]
        if hit:
            raise NotEstimable("treatment_collinear", term=hit[0])
        raise NotEstimable("collinear_covariates", columns=", ".join(bad))


# --- OLS with named variance estimators ----------------------------------------------------


@dataclass
class OlsFit:
    """An OLS fit with its covariance matrix; `df` is the reference t's degrees of freedom."""

    params: np.ndarray
    cov: np.ndarray
    df: float | None
    names: list[str]
    nobs: int
    n_clusters: int | None
    se_type: str
    resid: np.ndarray
    bread: np.ndarray
    notes: list[str] = field(default_factory=list)
    df_satterthwaite: float | None = None
    df_resid: int | None = None  # n − K, absorbed effects counted

    def index(self, name: str) -> int:
        return self.names.index(name)

    def coef(self, name: str) -> tuple[float, float]:
        """(estimate, standard error) of the named coefficient."""
        j = self.index(name)
        return float(self.params[j]), float(np.sqrt(max(self.cov[j, j], 0.0)))


def ols(
    y: np.ndarray,
    X: np.ndarray,
    names: Sequence[str],
    *,
    se_type: str = "robust",
    clusters: np.ndarray | None = None,
    absorbed_df: int = 0,
    absorbed_df_not_nested: int | None = None,
    leverage_extra: np.ndarray | None = None,
    protect: Sequence[str] = (),
    nested_codes: Sequence[np.ndarray] = (),
) -> OlsFit:
    """OLS of y on X (X already holds the intercept, or was demeaned by absorbed effects).

    se_type: a name of the registry `evalsoc.stats.variance` ("classical", "hc0" … "hc3",
    "cr1", "cr2") or an alias ("robust" = HC2, "robust_hc1" = HC1, "cluster" = CR1).
    clusters: integer codes 0..G−1 (from `cluster_codes`), required for cluster SE types.
    absorbed_df: parameters absorbed by fixed effects (counted in K for classical/robust SEs).
    absorbed_df_not_nested: those not nested within clusters (counted in K for CR1); defaults
        to absorbed_df.
    leverage_extra: the absorbed projection's leverage per row (1/n_g for one fixed effect),
        added to the hat diagonal for HC2/HC3.
    nested_codes: codes of the absorbed effects nested in clusters (CR2's Satterthwaite df).
    For CR2, `df_satterthwaite` holds the Bell–McCaffrey df of the first `protect` column.
    """
    from evalsoc.stats import variance

    y = np.asarray(y, dtype=float)
    X = np.asarray(X, dtype=float)
    n, k = X.shape
    names = list(names)
    K = k + absorbed_df
    if n <= K:
        raise NotEstimable("too_few_observations", n=n, parameters=K)
    check_full_rank(X, names, protect)
    xtx = X.T @ X
    try:
        bread = np.linalg.inv(xtx)
    except np.linalg.LinAlgError as exc:
        raise NotEstimable("collinear_regressors") from exc
    params = bread @ (X.T @ y)
    resid = y - X @ params
    notes: list[str] = []
    n_clusters: int | None = None
    kind = variance.canonical(se_type)
    df_satterthwaite: float | None = None
    try:
        if kind == "classical":
            cov = variance.classical_cov(resid, bread, K)
            df: float | None = n - K
        elif kind not in variance.CLUSTERED:
            cov = variance.hc_cov(X, resid, bread, kind, K, leverage_extra)
            df = n - K
        else:
            if clusters is None:
                raise NotEstimable("needs_cluster_column")
            codes = np.asarray(clusters, dtype=np.int64)
            G = int(codes.max()) + 1 if codes.size else 0
            n_clusters = G
            check_clusters(codes)
            if kind == "cr1":
                k_cr = k + (
                    absorbed_df if absorbed_df_not_nested is None else absorbed_df_not_nested
                )
                cov = variance.cr1_cov(X, resid, codes, G, bread, k_cr)
            else:
                js = [names.index(p) for p in protect[:1] if p in names]
                cr2 = variance.cr2_cov(X, resid, codes, G, bread, df_for=js, nested=nested_codes)
                cov = cr2.cov
                if js:
                    df_satterthwaite = finite_or_none(cr2.df[js[0]])
                if cr2.singular_clusters:
                    notes.append(
                        f"CR2: (I − H_gg) singular in {cr2.singular_clusters} cluster(s) (a "
                        "cluster-level regressor or effect); symmetric generalised inverse "
                        "used, as clubSandwich and estimatr do"
                    )
            df = G - 1
    except variance.NotComputable as exc:
        raise NotEstimable("variance_not_computable", detail=str(exc)) from None
    fit = OlsFit(params, cov, df, names, n, n_clusters, kind, resid, bread, notes)
    fit.df_satterthwaite = df_satterthwaite
    fit.df_resid = n - K
    return fit


def _cluster_sums(M: np.ndarray, codes: np.ndarray, G: int) -> np.ndarray:
    """Column sums of M within each cluster (G × k), via bincount (fast for many rows)."""
    from evalsoc.stats.variance import cluster_sums

    return cluster_sums(M, codes, G)


# --- wild cluster bootstrap ------------------------------------------------------------------


def _bootstrap_weights(rng: np.random.Generator, G: int, reps: int, kind: str) -> np.ndarray:
    from evalsoc.sections.memory import check_draws_fit

    check_draws_fit(reps, 2 * G, "effects: bootstrap_reps")  # (G × reps) weights and products
    if kind == "rademacher":
        return rng.choice(np.array([-1.0, 1.0]), size=(G, reps))
    if kind == "webb":
        six = np.sqrt(np.array([0.5, 1.0, 1.5]))
        return rng.choice(np.concatenate([-six, six]), size=(G, reps))
    raise ValueError(f"unknown bootstrap weights {kind!r}")


def _wild_t(
    X: np.ndarray,
    fitted: np.ndarray,
    resid: np.ndarray,
    codes: np.ndarray,
    G: int,
    bread: np.ndarray,
    j: int,
    W: np.ndarray,
    center: float,
    adj: float,
) -> np.ndarray:
    """CR1 t statistics of coefficient j for y* = fitted + resid·w_g, all replications at once.

    Uses the per-cluster algebra of Roodman et al. (2019) so that no replication refits OLS.
    """
    B = X @ bread  # n × k; row i is (X'X)^-1 x_i
    beta0 = B.T @ fitted  # k
    C = _cluster_sums(B * resid[:, None], codes, G).T  # k × G
    beta_star = beta0[:, None] + C @ W  # k × reps
    v = bread[j]  # row j of the bread
    xv = X @ v
    a = np.bincount(codes, weights=xv * fitted, minlength=G)  # G
    c = np.bincount(codes, weights=xv * resid, minlength=G)  # G
    M = _cluster_sums(X * xv[:, None], codes, G)  # G × k: v'X_g'X_g
    u = a[:, None] - M @ beta_star + W * c[:, None]  # G × reps
    var = adj * np.sum(u**2, axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        return (beta_star[j] - center) / np.sqrt(var)


def wild_cluster_bootstrap(
    y: np.ndarray,
    X: np.ndarray,
    names: Sequence[str],
    term: str,
    clusters: np.ndarray,
    *,
    reps: int = 999,
    seed: int | None = None,
    weights: str = "rademacher",
    level: float = 0.95,
    absorbed_df_not_nested: int = 0,
) -> dict[str, Any]:
    """Wild cluster bootstrap of coefficient `term`: restricted p-value, bootstrap-t interval.

    Returns {"p_value", "ci_low", "ci_high", "reps", "weights", "t_stat"}. Random draws come
    only from numpy.random.default_rng(seed) (same inputs + seed → same result).
    """
    y = np.asarray(y, dtype=float)
    X = np.asarray(X, dtype=float)
    names = list(names)
    j = names.index(term)
    codes = np.asarray(clusters, dtype=np.int64)
    G = int(codes.max()) + 1
    col = X[:, j]
    binary = np.all((col == 0) | (col == 1)) and 0 < col.sum() < col.size
    check_clusters(codes, col if binary else None, what="a wild cluster bootstrap interval")
    n, k = X.shape
    adj = G / (G - 1) * (n - 1) / (n - k - absorbed_df_not_nested)
    bread = np.linalg.inv(X.T @ X)
    beta = bread @ (X.T @ y)
    fitted = X @ beta
    resid = y - fitted
    scores = _cluster_sums(X * resid[:, None], codes, G)
    v = bread[j]
    se = float(np.sqrt(adj * np.sum((scores @ v) ** 2)))
    check_se(float(beta[j]), se)
    t_obs = float(beta[j] / se)
    rng = np.random.default_rng(seed)
    W = _bootstrap_weights(rng, G, reps, weights)
    # Restricted model (coefficient j set to 0) for the p-value.
    keep = [i for i in range(k) if i != j]
    Xr = X[:, keep]
    if Xr.shape[1]:
        beta_r = np.linalg.lstsq(Xr, y, rcond=None)[0]
        fitted_r = Xr @ beta_r
    else:
        fitted_r = np.zeros_like(y)
    t_null = _wild_t(X, fitted_r, y - fitted_r, codes, G, bread, j, W, 0.0, adj)
    # Unrestricted bootstrap-t for the interval.
    t_alt = _wild_t(X, fitted, resid, codes, G, bread, j, W, float(beta[j]), adj)
    # A replication whose CR1 variance is zero has no t statistic: it is not counted as "less
    # extreme" (which would push the p-value towards 0); too many of them → not estimable.
    ok_null, ok_alt = np.isfinite(t_null), np.isfinite(t_alt)
    if ok_null.mean() < 0.5 or ok_alt.mean() < 0.5:
        raise NotEstimable("wild_bootstrap_failed", clusters=G)
    p_value = float(np.mean(np.abs(t_null[ok_null]) >= abs(t_obs)))
    q = float(np.quantile(np.abs(t_alt[ok_alt]), level))
    return {
        "p_value": p_value,
        "ci_low": float(beta[j] - q * se),
        "ci_high": float(beta[j] + q * se),
        "reps": int(reps),
        "weights": weights,
        "t_stat": t_obs,
    }


# --- one coefficient, with its inference ------------------------------------------------------


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


# --- the standard result ----------------------------------------------------------------------


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


# --- balance ---------------------------------------------------------------------------------


def _weighted_mean_var(x: np.ndarray, w: np.ndarray) -> tuple[float, float]:
    sw = w.sum()
    m = float((w * x).sum() / sw)
    v = float((w * (x - m) ** 2).sum() / sw)
    return m, v


def balance_table(
    X: np.ndarray,
    names: Sequence[str],
    treated: np.ndarray,
    weights: np.ndarray | None = None,
    threshold: float = 0.1,
) -> list[dict[str, Any]]:
    """Standardised mean differences of covariates between treated and controls.

    SMD = (m₁ − m₀) / √((s₁² + s₀²)/2) with the unweighted variances in the denominator (so that
    the before and after weighting SMDs share one scale; Austin 2009). With `weights`, the means
    are weighted and each row also reports `smd_weighted`. |SMD| > threshold is flagged.

    For a 0/1 covariate the group means are shares that reveal counts of people, so each row
    carries a private `_counts` entry (unweighted counts with and without the trait per group,
    and for a dummy of a categorical column the count of the left-out level, which the other
    levels' shares give away) for `suppress_balance`, which the dispatcher applies with
    `privacy.min_cell` and which removes `_counts`.
    """
    X = np.asarray(X, dtype=float)
    t = np.asarray(treated).astype(bool)
    names = list(names)
    reference = _reference_counts(X, names, t)
    rows: list[dict[str, Any]] = []
    for j, name in enumerate(names):
        x1, x0 = X[t, j], X[~t, j]
        if x1.size == 0 or x0.size == 0:
            continue
        m1, m0 = float(x1.mean()), float(x0.mean())
        v1 = float(x1.var(ddof=1)) if x1.size > 1 else 0.0
        v0 = float(x0.var(ddof=1)) if x0.size > 1 else 0.0
        scale = np.sqrt((v1 + v0) / 2)
        smd = (m1 - m0) / scale if scale > 0 else 0.0
        row: dict[str, Any] = {
            "covariate": name,
            "mean_treated": m1,
            "mean_control": m0,
            "smd": finite_or_none(smd),
            "flagged": bool(abs(smd) > threshold),
        }
        if weights is not None:
            w = np.asarray(weights, dtype=float)
            wm1, _ = _weighted_mean_var(x1, w[t])
            wm0, _ = _weighted_mean_var(x0, w[~t])
            wsmd = (wm1 - wm0) / scale if scale > 0 else 0.0
            row.update(
                {
                    "mean_treated_weighted": wm1,
                    "mean_control_weighted": wm0,
                    "smd_weighted": finite_or_none(wsmd),
                    "flagged_weighted": bool(abs(wsmd) > threshold),
                }
            )
        if np.all((X[:, j] == 0) | (X[:, j] == 1)):
            counts = {}
            for group, x in (("treated", x1), ("control", x0)):
                with_trait = int(x.sum())
                counts[group] = [with_trait, int(x.size) - with_trait]
                if name in reference:
                    counts[group].append(reference[name][group])
            row["_counts"] = counts
        rows.append(row)
    return rows


def _reference_counts(
    X: np.ndarray, names: Sequence[str], t: np.ndarray
) -> dict[str, dict[str, int]]:
    """For dummies `col[level]` of one categorical column, the left-out level's count per group.

    With every other level's share published, the left-out level's share is 1 minus their sum,
    so its count must pass the privacy rule too. Only 0/1 dummies that never overlap in a row
    are treated as one column's levels.
    """
    import re

    families: dict[str, list[int]] = {}
    for j, name in enumerate(names):
        m = re.fullmatch(r"(.+)\[[^\[\]]*\]", name)
        if m:
            families.setdefault(m.group(1), []).append(j)
    out: dict[str, dict[str, int]] = {}
    for cols in families.values():
        block = X[:, cols]
        if not np.all((block == 0) | (block == 1)) or np.any(block.sum(axis=1) > 1):
            continue
        left_out = block.sum(axis=1) == 0
        counts = {"treated": int(left_out[t].sum()), "control": int(left_out[~t].sum())}
        for j in cols:
            out[names[j]] = counts
    return out


GROUP_KEYS = {
    "treated": ("mean_treated", "mean_treated_weighted"),
    "control": ("mean_control", "mean_control_weighted"),
}


def suppress_balance(rows: list[dict[str, Any]], min_cell: int) -> list[dict[str, Any]]:
    """Blank balance-table shares that reveal fewer than `min_cell` people (privacy).

    For a 0/1 covariate, a group's share (weighted or not) is blanked when the number of people
    of that group with, or without, the trait — or in the left-out level of the same categorical
    column — is between 1 and min_cell − 1. The SMDs are then blanked too (with the other
    group's share they would give the blanked one back) and the row says `suppressed: true` with
    the reason. The private `_counts` entries are removed in every case.
    """
    out = []
    for row in rows:
        row = dict(row)
        counts = row.pop("_counts", None)
        if counts:
            small = [
                group
                for group in ("treated", "control")
                if any(0 < c < min_cell for c in counts.get(group, []))
            ]
            if small:
                for group in small:
                    for key in GROUP_KEYS[group]:
                        if key in row:
                            row[key] = None
                for key in ("smd", "flagged", "smd_weighted", "flagged_weighted"):
                    if key in row:
                        row[key] = None
                row["suppressed"] = True
                row["reason"] = reason("small_trait_in", min_cell, small)
        out.append(row)
    return out


# --- privacy of binary outcomes ------------------------------------------------------------------


def outcome_counts(values: Any, units: Any = None) -> list[int]:
    """People with and without a 0/1 outcome, as [with, without] (private, for the privacy rule).

    `values` are 0/1 outcomes, or per-unit averages of them (pre_post): a person counts as
    "with" when one of their values is above 0 and as "without" when one is below 1. With
    `units` (aligned with `values`), distinct units are counted rather than rows.
    """
    v = np.asarray(values, dtype=float).ravel()
    has, lacks = v > 0, v < 1
    if units is None:
        return [int(has.sum()), int(lacks.sum())]
    import pandas as pd

    u = np.asarray(units).ravel()
    return [int(pd.unique(u[has]).size), int(pd.unique(u[lacks]).size)]


def reveals_count(counts: Any, min_cell: int) -> bool:
    """True when a count of people with or without the outcome is between 1 and min_cell − 1."""
    return bool(counts) and any(0 < int(c) < min_cell for c in counts)


def _cell_place(row: dict[str, Any]) -> str:
    """The PLACES key (privacy/cells.py) of a row of `groups` or `cells`."""
    group = str(row.get("group"))
    if row.get("period") in ("before", "after"):
        return f"{group}_{row['period']}"
    return group


def suppress_outcome_shares(result: dict[str, Any], min_cell: int) -> None:
    """Blank, in place, the shares of a 0/1 outcome that reveal fewer than `min_cell` people.

    A share published per group is a count divided by the group size. Designs attach private
    counts of people with and without the outcome (`_counts` on the rows of `groups` and `cells`,
    `_share_counts` for flat diagnostics such as pre_post's `mean_before`, `_group_counts` for
    the groups of the effect sizes); this function removes them in every case. When a count is
    between 1 and min_cell − 1:

    - every mean of the same table goes (with the estimate — a difference of those means, or
      for `did` of the four cell means — one hidden mean would come back), with `sd` (which
      gives p(1 − p)), `raw_did`, and `suppressed: true` plus a reason on each row;
    - the effect sizes go whole (the risks, the risk difference, risk and odds ratios, or d, g
      and the pooled SD of a 0/1 outcome declared continuous: any of them with the estimate
      gives the shares back), and so do `potential_outcome_control` (ipw/aipw/ra; without
      covariates `ra`'s is the comparison group's share) and a regression's coefficients
      other than the reported term (the intercept of `y ~ t` is the comparison group's share);
    - McNemar's table goes whole when improved or worsened counts are in that range (improved −
      worsened = pairs × estimate gives one from the other; the exact test's statistic is the
      smaller count).

    The estimate, its standard error, interval and p-value stay: the difference between groups
    of sufficient size is the published result.
    """
    diagnostics = result.get("diagnostics")
    if not isinstance(diagnostics, dict):
        diagnostics = {}
    places: list[str] = []
    for key in ("groups", "cells"):
        rows = diagnostics.get(key)
        if not isinstance(rows, list):
            continue
        small = [
            i
            for i, row in enumerate(rows)
            if isinstance(row, dict) and reveals_count(row.get("_counts"), min_cell)
        ]
        for i, row in enumerate(rows):
            if not isinstance(row, dict):
                continue
            row.pop("_counts", None)
            if not small:
                continue
            row["mean"] = None
            if "sd" in row:
                row["sd"] = None
            row["suppressed"] = True
            if i in small:
                row["reason"] = reason("small_outcome_in", min_cell, [_cell_place(row)])
                places.append(_cell_place(row))
            else:
                row["reason"] = reason("hidden_share_companion", min_cell)
        if small and key == "cells":
            diagnostics["raw_did"] = None
    flat_blanked: list[str] = []
    flat = diagnostics.pop("_share_counts", None)
    if isinstance(flat, dict):
        small_flat = [k for k, c in flat.items() if reveals_count(c, min_cell)]
        if small_flat:
            places += [k.removeprefix("mean_") for k in small_flat]
            flat_blanked += list(flat)
    group_counts = result.pop("_group_counts", None)
    if group_counts is not None and not places:  # the tables already name the groups
        for side, counts in zip(("treated", "control"), group_counts):
            if reveals_count(counts, min_cell):
                places.append(side)
    mcnemar = diagnostics.get("mcnemar")
    if isinstance(mcnemar, dict):
        counts = [mcnemar.get("improved"), mcnemar.get("worsened")]
        if reveals_count([c for c in counts if isinstance(c, (int, np.integer))], min_cell):
            for key in ("improved", "worsened", "statistic", "p_value"):
                mcnemar[key] = None
            mcnemar["suppressed"] = True
            mcnemar["reason"] = reason("small_mcnemar", min_cell)
    if not places:
        return
    why = reason("hidden_share_figures", min_cell, places)
    if "potential_outcome_control" in diagnostics:
        flat_blanked.append("potential_outcome_control")
    for key in flat_blanked:
        diagnostics[key] = None
    if flat_blanked:
        diagnostics["suppressed"] = True
        diagnostics["reason"] = why
    sizes = result.get("effect_size")
    if isinstance(sizes, dict):
        blank = {k: None for k in sizes if k not in ("suppressed", "reason")}
        result["effect_size"] = {**blank, "suppressed": True, "reason": why}
    coefficients = diagnostics.get("coefficients")
    term = result.get("term")
    if isinstance(coefficients, dict):
        for name in list(coefficients):
            if name != term:
                coefficients[name] = {
                    "estimate": None,
                    "se": None,
                    "suppressed": True,
                    "reason": why,
                }


# --- effect sizes and power ----------------------------------------------------------------------


def effect_sizes(
    y_treated: np.ndarray, y_control: np.ndarray, estimate: float, binary: bool
) -> dict[str, Any]:
    """Standardised or relative versions of `estimate`.

    Continuous: Cohen's d = estimate / s_pooled (pooled SD of the two groups' outcomes) and
    Hedges' g = d·(1 − 3/(4(n₁ + n₀) − 9)).
    Binary: risk difference = estimate; the treated risk p₁ is the observed mean of y_treated and
    the counterfactual risk p₀ = p₁ − estimate; risk ratio p₁/p₀, odds ratio
    [p₁/(1 − p₁)]/[p₀/(1 − p₀)] (None when p₀ or p₁ fall outside (0, 1)).
    """
    y1 = np.asarray(y_treated, dtype=float)
    y0 = np.asarray(y_control, dtype=float)
    n1, n0 = y1.size, y0.size
    if binary:
        if n1 == 0:
            return {"risk_difference": finite_or_none(estimate)}
        p1 = float(y1.mean())
        p0 = p1 - estimate
        ok = 0 < p0 < 1 and 0 < p1 < 1
        return {
            "risk_difference": finite_or_none(estimate),
            "risk_treated": finite_or_none(p1),
            "risk_counterfactual": finite_or_none(p0),
            "risk_ratio": finite_or_none(p1 / p0) if ok else None,
            "odds_ratio": finite_or_none((p1 / (1 - p1)) / (p0 / (1 - p0))) if ok else None,
        }
    if n1 < 2 or n0 < 2:
        return {"cohens_d": None, "hedges_g": None, "sd_pooled": None}
    s2 = ((n1 - 1) * y1.var(ddof=1) + (n0 - 1) * y0.var(ddof=1)) / (n1 + n0 - 2)
    sd = float(np.sqrt(s2))
    if sd <= 0:
        return {"cohens_d": None, "hedges_g": None, "sd_pooled": 0.0}
    d = estimate / sd
    g = d * (1 - 3 / (4 * (n1 + n0) - 9))
    return {"cohens_d": finite_or_none(d), "hedges_g": finite_or_none(g), "sd_pooled": sd}


def icc_oneway(y: np.ndarray, clusters: np.ndarray) -> float | None:
    """Intra-cluster correlation by one-way ANOVA, ρ = (MSB − MSW)/(MSB + (m₀ − 1)MSW), ≥ 0."""
    y = np.asarray(y, dtype=float)
    codes = np.asarray(clusters, dtype=np.int64)
    G = int(codes.max()) + 1 if codes.size else 0
    N = y.size
    if G < 2 or N <= G:
        return None
    sizes = np.bincount(codes, minlength=G).astype(float)
    means = np.bincount(codes, weights=y, minlength=G) / sizes
    grand = y.mean()
    ssb = float((sizes * (means - grand) ** 2).sum())
    ssw = float(((y - means[codes]) ** 2).sum())
    msb = ssb / (G - 1)
    msw = ssw / (N - G)
    m0 = (N - (sizes**2).sum() / N) / (G - 1)
    denom = msb + (m0 - 1) * msw
    if denom <= 0:
        return None
    return float(max(0.0, (msb - msw) / denom))


def minimum_detectable_effect(
    se: float,
    level: float = 0.95,
    df: float | None = None,
    power: float = 0.8,
    design_effect: float = 1.0,
) -> float | None:
    """MDE = (t_{1−α/2} + t_{power}) · SE · √design_effect (Bloom 1995)."""
    from scipy import stats

    if se is None or not np.isfinite(se) or se <= 0:
        return None
    dist = stats.t(df) if df is not None and np.isfinite(df) and df > 0 else stats.norm()
    multiplier = float(dist.ppf(0.5 + level / 2) + dist.ppf(power))
    return multiplier * se * float(np.sqrt(design_effect))


# --- absorbed fixed effects (within transformation) -------------------------------------------


@dataclass
class Absorbed:
    """Fixed effects to absorb: level codes per dimension and their degrees of freedom.

    df: rank of the fixed-effect dummies (exact for one or two dimensions: L₁ + L₂ − number of
    connected components; for three or more, L₁ + Σ(L_j − 1), which assumes a connected design).
    df_not_nested: the part counted in K for CR1 SEs (dimensions nested in clusters are left out,
    the intercept kept).
    leverage: for one dimension, each row's leverage of the absorbed projection (1/n_g), used by
    HC2; None for several dimensions (HC1 is used then).
    """

    names: list[str]
    codes: list[np.ndarray]
    n_levels: list[int]
    df: int
    df_not_nested: int
    leverage: np.ndarray | None
    nested: list[bool] = field(default_factory=list)


def drop_singletons(codes: Sequence[np.ndarray]) -> np.ndarray:
    """Mask of rows kept after iteratively removing fixed-effect levels seen once (Correia 2015).

    Singletons are fitted exactly; they change no coefficient but would distort the SEs.
    """
    n = len(codes[0]) if codes else 0
    keep = np.ones(n, dtype=bool)
    while True:
        changed = False
        for c in codes:
            counts = np.bincount(c[keep], minlength=int(c.max()) + 1 if c.size else 0)
            single = keep & (counts[c] == 1)
            if single.any():
                keep &= ~single
                changed = True
        if not changed:
            return keep


def absorb_setup(
    labels: Sequence[Any], names: Sequence[str], clusters: np.ndarray | None = None
) -> Absorbed:
    """Describe the fixed effects to absorb (labels per dimension, rows already final)."""
    import pandas as pd
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    codes: list[np.ndarray] = []
    n_levels: list[int] = []
    for lab in labels:
        c, uniq = pd.factorize(pd.Series(lab).reset_index(drop=True), sort=True)
        codes.append(c.astype(np.int64))
        n_levels.append(len(uniq))
    if len(codes) == 1:
        df = n_levels[0]
    elif len(codes) == 2:
        a, b = codes
        L1, L2 = n_levels
        graph = coo_matrix((np.ones(a.size), (a, b + L1)), shape=(L1 + L2, L1 + L2)).tocsr()
        n_comp, _ = connected_components(graph, directed=False)
        df = L1 + L2 - n_comp
    else:
        df = n_levels[0] + sum(L - 1 for L in n_levels[1:])
    df_not_nested = df
    nested = [False] * len(codes)
    if clusters is not None and codes:
        cl = np.asarray(clusters, dtype=np.int64)
        nested_levels = 0
        for i, (c, L) in enumerate(zip(codes, n_levels)):
            lo = np.full(L, np.iinfo(np.int64).max)
            hi = np.full(L, -1)
            np.minimum.at(lo, c, cl)
            np.maximum.at(hi, c, cl)
            if np.all(lo == hi):
                nested_levels += L
                nested[i] = True
        if nested_levels:
            df_not_nested = max(1, df - nested_levels + 1)
    leverage = None
    if len(codes) == 1:
        leverage = 1.0 / np.bincount(codes[0])[codes[0]]
    return Absorbed(list(names), codes, n_levels, int(df), int(df_not_nested), leverage, nested)


def demean(
    M: np.ndarray,
    absorbed: Absorbed,
    tol: float = 1e-13,
    max_iter: int = 10_000,
    weights: np.ndarray | None = None,
) -> np.ndarray:
    """Within transformation: residuals of each column of M on all fixed effects.

    Alternating projections (method of alternating projections; Gaure 2013, Correia 2017):
    subtract group means dimension by dimension until a full sweep changes no value by more than
    `tol` times the column's scale. One dimension is exact in one sweep. With `weights`, the
    group means are weighted (the residuals of weighted least squares on the effects).
    """
    out = np.array(M, dtype=float, copy=True)
    if out.ndim == 1:
        out = out[:, None]
    counts = [
        np.bincount(c, weights=weights, minlength=L).astype(float)
        for c, L in zip(absorbed.codes, absorbed.n_levels)
    ]
    for j in range(out.shape[1]):
        x = out[:, j]
        scale = max(float(np.abs(x).max()), 1e-300)
        for _ in range(max_iter):
            delta = 0.0
            for c, L, n_g in zip(absorbed.codes, absorbed.n_levels, counts):
                wx = x if weights is None else weights * x
                means = np.bincount(c, weights=wx, minlength=L) / n_g
                x -= means[c]
                delta = max(delta, float(np.abs(means).max()))
            if len(absorbed.codes) == 1 or delta <= tol * scale:
                break
        else:  # pragma: no cover - would need a pathological design
            raise NotEstimable("fixed_effects_no_convergence")
        out[:, j] = x
    return out


# --- one term of a linear model, with optional absorbed fixed effects --------------------------


def fit_declared_term(
    y: np.ndarray,
    X: np.ndarray,
    names: Sequence[str],
    term: str,
    spec: Any,
    *,
    fixed_effects: Sequence[tuple[str, Any]] = (),
    cluster_labels: Any = None,
    treated: np.ndarray | None = None,
    weights: np.ndarray | None = None,
) -> dict[str, Any]:
    """`linear_term` with the SE type, level, small-sample remedy and seed the effect declares."""
    return linear_term(
        y,
        X,
        names,
        term,
        se_type=spec.se_type,
        fixed_effects=fixed_effects,
        cluster_labels=cluster_labels,
        treated=treated,
        level=spec.level,
        small_sample=spec.small_sample,
        bootstrap_reps=spec.bootstrap_reps,
        seed=spec.seed,
        cr2_df=getattr(spec, "cr2_df", "satterthwaite"),
        weights=weights,
    )


def row_weights(frame: Any, spec: Any) -> np.ndarray | None:
    """The effect's `weights` column as floats (None when the effect declares none)."""
    column = getattr(spec, "weights", None)
    return None if not column else frame[column].to_numpy(dtype=float)


def linear_term(
    y: np.ndarray,
    X: np.ndarray,
    names: Sequence[str],
    term: str,
    *,
    se_type: str,
    fixed_effects: Sequence[tuple[str, Any]] = (),
    cluster_labels: Any = None,
    level: float = 0.95,
    small_sample: str = "none",
    bootstrap_reps: int = 999,
    seed: int | None = None,
    keep_if_absorbed: Sequence[str] = (),
    treated: np.ndarray | None = None,
    cr2_df: str = "satterthwaite",
    weights: np.ndarray | None = None,
) -> dict[str, Any]:
    """Estimate coefficient `term` of y on X (no intercept column in X: it is added or absorbed).

    fixed_effects: (name, labels) pairs absorbed by the within transformation; singleton levels
    are dropped first. Columns of X that the fixed effects absorb (a treated-group dummy under
    unit effects, a post dummy under period effects) are dropped and listed in `absorbed`;
    `term` itself being absorbed makes the effect not estimable.
    treated: 0/1 per row, the groups compared (for the cluster checks of
    `coefficient_inference`); defaults to the `term` column when it is 0/1.
    weights: sampling or analytic weights per row (weighted least squares: weighted fixed-effect
    means, then every column times √w, so that each variance estimator becomes its weighted
    form — pweights' sandwich for HC/CR). Rows of weight 0 are left out.
    Returns coefficient_inference's dict plus "rows" (mask of rows used), "absorbed",
    "singletons" and "fixed_effects" (levels per dimension).
    """
    y = np.asarray(y, dtype=float)
    X = np.asarray(X, dtype=float).reshape(len(y), -1)
    names = list(names)
    n_all = len(y)
    if treated is None and term in names:
        col = X[:, names.index(term)]
        if np.all((col == 0) | (col == 1)):
            treated = col
    positive = np.ones(n_all, dtype=bool)
    w = None
    if weights is not None:
        w = np.asarray(weights, dtype=float)
        if not np.all(np.isfinite(w)) or np.any(w < 0):
            raise NotEstimable("weights_invalid")
        positive = w > 0
        if not positive.any():
            raise NotEstimable("weights_all_zero")
        y, X, w = y[positive], X[positive], w[positive]
        if treated is not None:
            treated = np.asarray(treated)[positive]
        if cluster_labels is not None:
            cluster_labels = np.asarray(cluster_labels)[positive]
        fixed_effects = [(name, np.asarray(lab)[positive]) for name, lab in fixed_effects]
    out = _linear_term_rows(
        y, X, names, term, w, se_type=se_type, fixed_effects=fixed_effects,
        cluster_labels=cluster_labels, level=level, small_sample=small_sample,
        bootstrap_reps=bootstrap_reps, seed=seed, keep_if_absorbed=keep_if_absorbed,
        treated=treated, cr2_df=cr2_df,
    )  # fmt: skip
    rows = np.zeros(n_all, dtype=bool)
    rows[np.flatnonzero(positive)[out["rows"]]] = True
    out["rows"] = rows
    if w is not None:
        out["se_words"] += "; weighted least squares (weights per row)"
    return out


def _linear_term_rows(
    y: np.ndarray,
    X: np.ndarray,
    names: list[str],
    term: str,
    w: np.ndarray | None,
    *,
    se_type: str,
    fixed_effects: Sequence[tuple[str, Any]],
    cluster_labels: Any,
    level: float,
    small_sample: str,
    bootstrap_reps: int,
    seed: int | None,
    keep_if_absorbed: Sequence[str],
    treated: np.ndarray | None,
    cr2_df: str,
) -> dict[str, Any]:
    """`linear_term` on rows of positive weight (w None: unweighted)."""
    n = len(y)
    root = None if w is None else np.sqrt(w)
    rows = np.ones(n, dtype=bool)
    clusters = None
    if cluster_labels is not None:
        clusters, _ = cluster_codes(cluster_labels)
    info: dict[str, Any] = {"absorbed": [], "singletons": 0, "fixed_effects": {}}
    if not fixed_effects:
        Xf = np.column_stack([np.ones(n), X])
        if root is not None:
            y, Xf = y * root, Xf * root[:, None]
        out = coefficient_inference(
            y,
            Xf,
            ["const", *names],
            term,
            se_type=se_type,
            clusters=clusters,
            level=level,
            small_sample=small_sample,
            bootstrap_reps=bootstrap_reps,
            seed=seed,
            treated=treated,
            cr2_df=cr2_df,
        )
        out.update(info, rows=rows)
        return out
    import pandas as pd

    fe_codes = [pd.factorize(pd.Series(lab).reset_index(drop=True))[0] for _, lab in fixed_effects]
    rows = drop_singletons(fe_codes)
    info["singletons"] = int((~rows).sum())
    y, X = y[rows], X[rows]
    if w is not None:
        w, root = w[rows], root[rows]
    if clusters is not None:
        clusters, _ = cluster_codes(clusters[rows])
    labels = [np.asarray(lab)[rows] for _, lab in fixed_effects]
    absorbed = absorb_setup(labels, [name for name, _ in fixed_effects], clusters)
    if w is not None and absorbed.leverage is not None:  # leverage of √w·D: w_i / Σ_g w
        c = absorbed.codes[0]
        absorbed.leverage = w / np.bincount(c, weights=w)[c]
    info["fixed_effects"] = dict(zip(absorbed.names, absorbed.n_levels))
    Z = demean(np.column_stack([y, X]), absorbed, weights=w)
    yd, Xd = Z[:, 0], Z[:, 1:]
    keep_cols = []
    for j, name in enumerate(names):
        before = float(np.linalg.norm(X[:, j]))
        after = float(np.linalg.norm(Xd[:, j]))
        if after <= 1e-9 * max(before, 1e-300) and name not in keep_if_absorbed:
            if name == term:
                raise NotEstimable("term_absorbed", term=term, fixed=", ".join(absorbed.names))
            info["absorbed"].append(name)
        else:
            keep_cols.append(j)
    Xd = Xd[:, keep_cols]
    kept = [names[j] for j in keep_cols]
    notes: list[str] = []
    kind = "cr2" if small_sample == "cr2" else se_type
    by_cluster = clusters is not None and (kind == "cr2" or small_sample == "wild_bootstrap")
    absorbed_df, not_nested_df = absorbed.df, absorbed.df_not_nested
    leverage_extra, nested_codes = absorbed.leverage, []
    partial = None
    if by_cluster:
        # CR2 and the wild bootstrap need the leverage (CR2) and the sign flips (bootstrap) of
        # the effects not nested in clusters: those stay in the model as dummies, only the
        # nested ones are absorbed (Pustejovsky & Tipton 2018; Roodman et al. 2019).
        inner = [i for i, nested in enumerate(absorbed.nested) if nested]
        nested_codes = [absorbed.codes[i] for i in inner]
        if len(inner) < len(absorbed.codes):
            partial = _partial_design(y, X[:, keep_cols], kept, absorbed, inner, term, w)
    elif kind in ("robust", "hc2", "hc3") and absorbed.leverage is None:
        largest = int(np.argmax(absorbed.n_levels))
        if _dummy_cells(len(y), absorbed, [largest]) <= MAX_DUMMY_CELLS:
            partial = _partial_design(y, X[:, keep_cols], kept, absorbed, [largest], term, w)
            c = absorbed.codes[largest]
            sizes = np.bincount(c, weights=w)
            leverage_extra = (1.0 if w is None else w) / sizes[c]
        elif kind == "robust":
            kind = "robust_hc1"
            notes.append("HC1 used: HC2 leverages need too many fixed-effect dummies here")
        else:
            raise NotEstimable("leverage_too_many_dummies", kind=kind.upper())
    if partial is not None:
        yd, Xd, kept, absorbed_df = partial
        not_nested_df = 1 if absorbed_df else 0
    elif root is not None:
        yd, Xd = yd * root, Xd * root[:, None]
    out = coefficient_inference(
        yd,
        Xd,
        kept,
        term,
        se_type=kind,
        clusters=clusters,
        level=level,
        small_sample=small_sample,
        bootstrap_reps=bootstrap_reps,
        seed=seed,
        absorbed_df=absorbed_df,
        absorbed_df_not_nested=not_nested_df,
        leverage_extra=leverage_extra,
        treated=None if treated is None else np.asarray(treated)[rows],
        nested_codes=nested_codes,
        cr2_df=cr2_df,
    )
    out["notes"] = notes + out["notes"]
    out.update(info, rows=rows)
    return out


MAX_DUMMY_CELLS = 50_000_000  # rows × dummy columns kept in the model (400 MB of float64)


def _dummy_cells(n: int, absorbed: Absorbed, inner: Sequence[int]) -> int:
    return n * sum(L for i, L in enumerate(absorbed.n_levels) if i not in inner)


def _partial_design(
    y: np.ndarray,
    X: np.ndarray,
    names: list[str],
    absorbed: Absorbed,
    inner: Sequence[int],
    term: str,
    w: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, list[str], int]:
    """The same model with only the effects `inner` absorbed and the others as dummy columns.

    By Frisch–Waugh–Lovell the coefficients are those of the fully absorbed model; the hat
    matrix now carries the dummies' leverage. Returns (y, X with the dummies appended, names,
    parameters absorbed). Without an absorbed effect the intercept is a column.
    """
    n = len(y)
    if _dummy_cells(n, absorbed, inner) > MAX_DUMMY_CELLS:
        outer = [absorbed.names[i] for i in range(len(absorbed.codes)) if i not in inner]
        raise NotEstimable("fixed_effects_not_nested", fixed=", ".join(outer))
    blocks, dnames = [], []
    for i, (codes, L) in enumerate(zip(absorbed.codes, absorbed.n_levels)):
        if i in inner:
            continue
        D = np.zeros((n, L))
        D[np.arange(n), codes] = 1.0
        blocks.append(D[:, 1:])
        dnames += [f"{absorbed.names[i]}#{level}" for level in range(1, L)]
    S = np.hstack(blocks) if blocks else np.empty((n, 0))
    if inner:
        sub = absorb_setup([absorbed.codes[i] for i in inner], [absorbed.names[i] for i in inner])
        Z = demean(np.column_stack([y, X, S]), sub, weights=w)
        yp, Xp, Sp, absorbed_df = Z[:, 0], Z[:, 1 : 1 + X.shape[1]], Z[:, 1 + X.shape[1] :], sub.df
    else:
        yp, Xp, Sp, absorbed_df = y, X, np.column_stack([np.ones(n), S]), 0
        dnames = ["const", *dnames]
    # Keep the dummy columns that add a dimension to the regressors (pivoted QR of their part
    # orthogonal to X): disconnected designs or several outer effects leave some redundant.
    from scipy.linalg import qr

    if Sp.shape[1]:
        # On the Gram matrices (columns × columns), not on the n rows: the same ranks.
        gram = Sp.T @ Sp
        if Xp.shape[1]:
            cross = Xp.T @ Sp
            gram = gram - cross.T @ np.linalg.pinv(Xp.T @ Xp) @ cross
        scale = np.sqrt(np.clip(np.diag(gram), 1e-300, None))
        _, r, piv = qr(gram / np.outer(scale, scale), pivoting=True)
        rdiag = np.abs(np.diag(r))
        rank = int((rdiag > 1e-10 * max(rdiag.max(initial=0.0), 1e-300)).sum())
        keep = np.sort(piv[:rank])
        Sp, dnames = Sp[:, keep], [dnames[j] for j in keep]
    Xp = np.column_stack([Xp, Sp])
    if w is not None:  # weighted least squares: every column times √w
        root = np.sqrt(w)
        yp, Xp = yp * root, Xp * root[:, None]
    return yp, Xp, [*names, *dnames], absorbed_df
