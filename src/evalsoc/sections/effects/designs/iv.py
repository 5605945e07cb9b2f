"""Instrumental variables: 2SLS or LIML through linearmodels, with weak-instrument diagnostics.

The estimate and its standard error come from linearmodels (`IV2SLS`, `IVLIML`, always with
`debiased=True`: the n/(n − k) scaling and t/F references a statistician expects from Stata's
`ivregress ..., small`). The diagnostics are computed here, on the instruments and outcome with
the exogenous covariates partialled out (Frisch–Waugh–Lovell), because linearmodels gives neither
of them:

- the effective first-stage F of Montiel Olea & Pflueger (2013),
  F_eff = π̂' Z'Z π̂ / tr(V̂(π̂) Z'Z), with V̂ the covariance of the declared SE type; with one
  instrument it equals the robust (or clustered) first-stage Wald F (Andrews, Stock & Sun 2019);
- the Anderson–Rubin (1949) interval, robust to weak instruments: every β₀ for which the
  instruments have no effect on y − β₀·x, with the same SE type; the Wald statistic of that test
  is a ratio of two quadratics in β₀, so the set is found exactly (one instrument) or on a grid
  (several). It may be a bounded interval, the whole line, or two half-lines.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from evalsoc.sections.common import NotEstimable, finite_or_none

WEAK_F = 10.0  # Staiger & Stock (1997) rule of thumb, also the usual reading of F_eff
SE_WORDS = {
    "classical": "classical standard errors (homoskedastic, n − k scaling)",
    "robust": "heteroskedasticity-robust standard errors (HC1: HC0 × n/(n − k))",
    "cluster": "cluster-robust standard errors (CR1), t(G − 1)",
}
METHOD = {"2sls": "Two-stage least squares", "liml": "Limited-information maximum likelihood"}


def _linearmodels() -> Any:
    try:
        import linearmodels.iv as lm_iv
    except ImportError:
        raise NotEstimable(
            "optional_package_missing", design="iv", packages="linearmodels"
        ) from None
    return lm_iv


def _partial(W: np.ndarray, M: np.ndarray) -> np.ndarray:
    """Residuals of each column of M on W (W holds the constant)."""
    coef = np.linalg.lstsq(W, M, rcond=None)[0]
    return M - W @ coef


def _meat_scale(
    Z: np.ndarray, U: np.ndarray, se_type: str, clusters: np.ndarray | None, dof: int
) -> np.ndarray:
    """Covariance of the coefficients of the columns of U on Z (already partialled), stacked:
    a (2k × 2k) array for U = [u_a, u_b], blocks (a, a), (a, b), (b, b)."""
    n, k = Z.shape
    zz_inv = np.linalg.inv(Z.T @ Z)
    m = U.shape[1]
    if se_type == "classical":
        sigma = U.T @ U / dof
        return np.kron(sigma, zz_inv)
    scores = np.hstack([Z * U[:, [j]] for j in range(m)])  # n × (m·k)
    if se_type == "cluster":
        G = int(clusters.max()) + 1
        sums = np.zeros((G, scores.shape[1]))
        np.add.at(sums, clusters, scores)
        meat = sums.T @ sums * G / (G - 1) * (n - 1) / dof
    else:
        meat = scores.T @ scores * n / dof
    bread = np.kron(np.eye(m), zz_inv)
    return bread @ meat @ bread


def weak_iv_diagnostics(
    y: np.ndarray,
    x: np.ndarray,
    Z: np.ndarray,
    W: np.ndarray,
    *,
    se_type: str,
    clusters: np.ndarray | None,
    level: float,
) -> dict[str, Any]:
    """Effective first-stage F and the Anderson–Rubin set for one instrumented variable x."""
    from scipy import stats

    n, kz = Z.shape
    dof = n - W.shape[1] - kz
    P = _partial(W, np.column_stack([y, x, Z]))
    yt, xt, Zt = P[:, 0], P[:, 1], P[:, 2:]
    zz = Zt.T @ Zt
    coef = np.linalg.solve(zz, Zt.T @ np.column_stack([yt, xt]))  # reduced form, first stage
    U = np.column_stack([yt, xt]) - Zt @ coef
    V = _meat_scale(Zt, U, se_type, clusters, dof)
    Vyy, Vyx, Vxx = V[:kz, :kz], V[:kz, kz:], V[kz:, kz:]
    pi_y, pi_x = coef[:, 0], coef[:, 1]
    f_eff = float(pi_x @ zz @ pi_x / np.trace(Vxx @ zz))
    denom_df = int(clusters.max()) if se_type == "cluster" else dof  # G − 1 or n − k
    dist = stats.f(kz, denom_df)
    crit = float(dist.ppf(level))
    first_p = float(dist.sf(float(pi_x @ np.linalg.solve(Vxx, pi_x)) / kz))
    ar = _ar_set(pi_y, pi_x, Vyy, Vyx, Vxx, crit * kz)
    return {
        "first_stage_f_effective": finite_or_none(f_eff),
        "first_stage_f_kind": (
            "effective F (Montiel Olea & Pflueger 2013); with one instrument, the "
            f"{'classical' if se_type == 'classical' else se_type} first-stage Wald F"
        ),
        "first_stage_p_value": finite_or_none(first_p),
        "first_stage_coefficients": [finite_or_none(v) for v in pi_x],
        "partial_r2": finite_or_none(float(1 - (U[:, 1] @ U[:, 1]) / (xt @ xt))),
        "weak_instruments": bool(f_eff < WEAK_F),
        "weak_threshold": WEAK_F,
        "anderson_rubin": ar,
        "ar_reference": f"F({kz}, {denom_df})",
    }


def _ar_set(
    pi_y: np.ndarray,
    pi_x: np.ndarray,
    Vyy: np.ndarray,
    Vyx: np.ndarray,
    Vxx: np.ndarray,
    crit: float,
) -> dict[str, Any]:
    """{β₀ : W(β₀) ≤ crit}, W(β₀) = r'V(β₀)⁻¹r with r = π_y − β₀π_x, V = Vyy − 2β₀Vyx + β₀²Vxx."""
    kz = len(pi_y)
    if kz == 1:
        a, b = float(pi_y[0]), float(pi_x[0])
        vyy, vyx, vxx = float(Vyy[0, 0]), float(Vyx[0, 0]), float(Vxx[0, 0])
        # (a − βb)² − crit(vyy − 2βvyx + β²vxx) ≤ 0  ⇔  A β² + B β + C ≤ 0
        A = b * b - crit * vxx
        B = -2 * (a * b - crit * vyx)
        C = a * a - crit * vyy
        disc = B * B - 4 * A * C
        if A > 0 and disc >= 0:
            r = np.sqrt(disc)
            lo, hi = sorted(((-B - r) / (2 * A), (-B + r) / (2 * A)))
            return {"shape": "interval", "low": float(lo), "high": float(hi)}
        if A < 0 and disc > 0:
            r = np.sqrt(disc)
            lo, hi = sorted(((-B - r) / (2 * A), (-B + r) / (2 * A)))
            return {"shape": "two half-lines", "low": float(lo), "high": float(hi)}
        if A <= 0:
            return {"shape": "whole line", "low": None, "high": None}
        return {"shape": "empty", "low": None, "high": None}

    def stat(beta: float) -> float:
        r = pi_y - beta * pi_x
        V = Vyy - beta * (Vyx + Vyx.T) + beta * beta * Vxx
        return float(r @ np.linalg.solve(V, r))

    centre = float(np.linalg.lstsq(pi_x[:, None], pi_y, rcond=None)[0][0])
    span = 50 * max(1.0, abs(centre)) + 50 * float(np.sqrt(np.abs(np.diag(Vyy)).max()))
    grid = np.linspace(centre - span, centre + span, 20_001)
    inside = np.array([stat(b) <= crit for b in grid])
    if not inside.any():
        return {"shape": "empty", "low": None, "high": None}
    if inside[0] or inside[-1]:
        return {"shape": "unbounded (grid)", "low": None, "high": None}
    from scipy.optimize import brentq

    idx = np.flatnonzero(inside)

    def edge(outside: float, within: float) -> float:  # the boundary, refined between grid points
        return float(brentq(lambda b: stat(b) - crit, outside, within, xtol=1e-12))

    return {
        "shape": "interval" if np.all(np.diff(idx) == 1) else "union (hull shown)",
        "low": edge(grid[idx[0] - 1], grid[idx[0]]),
        "high": edge(grid[idx[-1] + 1], grid[idx[-1]]),
    }


def estimate_iv(frame: Any, spec: Any) -> dict[str, Any]:
    """The coefficient of the instrumented variable on `_y` (from a prepared frame)."""
    from evalsoc.sections.effects.common import (
        check_clusters,
        check_full_rank,
        cluster_codes,
        covariate_matrix,
        result_dict,
        t_inference,
    )

    lm_iv = _linearmodels()
    y = frame["_y"].to_numpy(dtype=float)
    endog_name = spec.endogenous or spec.treatment
    x = (frame[spec.endogenous] if spec.endogenous else frame["_d"]).to_numpy(dtype=float)
    binary = bool(np.all((x == 0) | (x == 1)))
    if np.ptp(x) == 0:
        raise NotEstimable("nothing_to_instrument", variable=endog_name)
    if np.ptp(y) == 0:
        raise NotEstimable("outcome_constant")
    Z, z_names = covariate_matrix(frame, spec.instruments)
    cov, cov_names = covariate_matrix(frame, spec.covariates)
    W = np.column_stack([np.ones(len(y)), cov])
    w_names = ["const", *cov_names]
    check_full_rank(np.column_stack([W, Z]), [*w_names, *z_names])
    check_full_rank(np.column_stack([W, x]), [*w_names, endog_name], protect=[endog_name])
    clusters = None
    se_type = spec.se_type if spec.se_type in SE_WORDS else "robust"
    if se_type == "cluster":
        clusters, _ = cluster_codes(frame[spec.cluster].to_numpy())
        check_clusters(clusters)
    model_cls = lm_iv.IVLIML if spec.iv_method == "liml" else lm_iv.IV2SLS
    model = model_cls(y, W, x[:, None], Z)
    if se_type == "cluster":
        res = model.fit(cov_type="clustered", clusters=clusters, debiased=True)
    else:
        res = model.fit(
            cov_type="unadjusted" if se_type == "classical" else "robust", debiased=True
        )
    estimate = float(np.asarray(res.params)[-1])
    se = float(np.asarray(res.std_errors)[-1])
    n = len(y)
    n_clusters = int(clusters.max()) + 1 if clusters is not None else None
    df = (n_clusters - 1) if n_clusters is not None else n - W.shape[1] - 1
    inference = t_inference(estimate, se, df, spec.level)
    diagnostics = weak_iv_diagnostics(
        y, x, Z, W, se_type=se_type, clusters=clusters, level=spec.level
    )
    diagnostics["instruments"] = z_names
    diagnostics["overidentified"] = len(z_names) > 1
    if spec.iv_method == "liml":
        diagnostics["liml_kappa"] = finite_or_none(float(res.kappa))
    d = x if binary else None
    parts = [
        f"{METHOD[spec.iv_method]} (linearmodels): {endog_name} instrumented by "
        + ", ".join(z_names)
    ]
    if cov_names:
        parts.append("exogenous covariates " + ", ".join(cov_names))
    parts.append(SE_WORDS[se_type])
    parts.append(
        "weak-instrument-robust Anderson–Rubin interval and effective first-stage F in diagnostics"
    )
    return result_dict(
        estimate=estimate,
        se=se,
        ci_low=inference["ci_low"],
        ci_high=inference["ci_high"],
        p_value=inference["p_value"],
        n=n,
        n_treated=None if d is None else int((d == 1).sum()),
        n_control=None if d is None else int((d == 0).sum()),
        n_clusters=n_clusters,
        design="iv",
        method="; ".join(parts),
        diagnostics=diagnostics,
        df=df,
        endogenous=endog_name,
        _groups=None if d is None else (y[d == 1], y[d == 0]),
    )
