"""OLS with named standard-error types: the fit, cluster checks, t inference and rank checks.

Conventions (documented in docs/effects.md):
- ``classical``: σ̂²(X'X)⁻¹ with σ̂² = e'e/(n − K); t inference with n − K degrees of freedom.
- ``robust``: HC2, (X'X)⁻¹ X' diag(e²/(1 − h)) X (X'X)⁻¹ (MacKinnon & White 1985); t(n − K).
- ``cluster``: CR1 as in Stata and statsmodels, G/(G − 1)·(N − 1)/(N − K) · bread·meat·bread;
  t inference with G − 1 degrees of freedom. Absorbed fixed effects nested within clusters are not
  counted in K (Cameron & Miller 2015, §III.B; fixest's default).
- ``cr2``: Bell & McCaffrey (2002) bias-reduced cluster-robust variance, t(G − 1).
The wild cluster bootstrap is in wild_bootstrap.py, the reported term in inference.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

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
    if X.shape[1] == 0:
        return
    check_full_rank_gram(X.T @ X, names, protect)


def check_full_rank_gram(
    xtx: np.ndarray, names: Sequence[str], protect: Sequence[str] = ()
) -> None:
    """`check_full_rank` from the Gram matrix X'X (an engine's cross-products: no rows)."""
    k = xtx.shape[1]
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
