"""Regression discontinuity, sharp and fuzzy, through rdrobust (Calonico, Cattaneo & Titiunik).

The estimate is rdrobust's conventional local-polynomial estimate at the MSE-optimal bandwidth
(`bwselect="mserd"`, unless `bandwidth` is given) and the interval and p-value are its robust
bias-corrected ones (CCT 2014), which is what rdrobust's authors recommend reporting: the interval
is therefore not centred on the estimate, and `se` is the robust standard error. With
`treated_side: below` the programme applies below the cutoff: the jump is read from above to
below (rdrobust's estimate and interval negated). The density test is rddensity's
(Cattaneo, Jansson & Ma 2020, jackknife variance); the RD plot's bins are rdplot's (IMSE-optimal
evenly spaced bins), each drawn only when it holds at least `min_cell` rows (and, for a 0/1
outcome, at least `min_cell` with and without it); no bin count is published.
"""

from __future__ import annotations

import contextlib
import io
from typing import Any

import numpy as np

from evalsoc.sections.common import NotEstimable, finite_or_none


def _packages() -> tuple[Any, Any, Any]:
    try:
        from rddensity import rddensity
        from rdrobust import rdplot, rdrobust
    except ImportError:
        raise NotEstimable(
            "optional_package_missing", design="rd", packages="rdrobust, rddensity"
        ) from None
    return rdrobust, rdplot, rddensity


def _quiet(call: Any, *args: Any, **kwargs: Any) -> Any:
    """rdrobust, rdplot and rddensity print notes (mass points) to stdout: keep the CLI clean."""
    with contextlib.redirect_stdout(io.StringIO()):
        return call(*args, **kwargs)


def _bins(
    rdplot: Any, y: np.ndarray, x: np.ndarray, cutoff: float, min_cell: int, binary: bool
) -> list[dict[str, Any]]:
    """rdplot's binned means; a bin under the privacy rule keeps its position, not its mean."""
    plot = _quiet(rdplot, y, x, c=cutoff, hide=True)
    table = plot.vars_bins
    # Whole columns, not iterrows: rdplot makes thousands of bins at 10^6 rows.
    counts = table["rdplot_N"].to_numpy(dtype=float).astype(int)
    means = table["rdplot_mean_y"].to_numpy(dtype=float)
    centres = table["rdplot_mean_x"].to_numpy(dtype=float)
    above = table["rdplot_mean_bin"].to_numpy(dtype=float) >= cutoff
    ones = np.round(means * counts)
    small = counts < min_cell
    if binary:
        fewer = np.minimum(ones, counts - ones)  # people with, or without, the 0/1 outcome
        small |= (fewer > 0) & (fewer < min_cell)
    out = []
    for k in np.flatnonzero(counts > 0):
        out.append(
            {
                "x": finite_or_none(float(centres[k])),
                "side": "above" if above[k] else "below",
                "mean": None if small[k] else finite_or_none(float(means[k])),
                "suppressed": bool(small[k]),
            }
        )
    return out


def estimate_rd(frame: Any, spec: Any, *, min_cell: int = 1) -> dict[str, Any]:
    """The jump of `_y` at `spec.cutoff` of `spec.running` (fuzzy when `_d` is present)."""
    from evalsoc.sections.effects.common import cluster_codes, covariate_matrix, is_binary

    rdrobust, rdplot, rddensity = _packages()
    y = frame["_y"].to_numpy(dtype=float)
    x = frame[spec.running].to_numpy(dtype=float)
    c = float(spec.cutoff)
    if not ((x < c).any() and (x >= c).any()):
        raise NotEstimable("no_side_of_cutoff", cutoff=f"{c:g}", running=spec.running)
    if np.ptp(y) == 0:
        raise NotEstimable("outcome_constant")
    fuzzy = frame["_d"].to_numpy(dtype=float) if "_d" in frame else None
    kwargs: dict[str, Any] = {
        "c": c,
        "p": spec.polynomial,
        "kernel": spec.kernel,
        "level": spec.level * 100,
    }
    if spec.bandwidth is not None:
        kwargs["h"] = spec.bandwidth
    if fuzzy is not None:
        kwargs["fuzzy"] = fuzzy
    cov, cov_names = covariate_matrix(frame, spec.covariates)
    if cov_names:
        kwargs["covs"] = cov
    if spec.cluster:
        kwargs["cluster"] = cluster_codes(frame[spec.cluster].to_numpy())[0]
    try:
        fit = _quiet(rdrobust, y, x, **kwargs)
    except (ValueError, np.linalg.LinAlgError, ZeroDivisionError) as exc:
        raise NotEstimable("rdrobust_failed", detail=str(exc)) from None
    sign = -1.0 if spec.treated_side == "below" else 1.0
    estimate = sign * float(fit.coef.loc["Conventional"].iloc[0])
    se = float(fit.se.loc["Robust"].iloc[0])
    low, high = (sign * float(v) for v in fit.ci.loc["Robust"])
    low, high = min(low, high), max(low, high)
    p_value = float(fit.pv.loc["Robust"].iloc[0])
    n_left, n_right = (int(v) for v in fit.N_h)
    density = _quiet(rddensity, X=x, c=c)
    bins = _bins(rdplot, y, x, c, min_cell, is_binary(y))
    treated_n, control_n = (n_right, n_left) if sign > 0 else (n_left, n_right)
    diagnostics: dict[str, Any] = {
        "bandwidth": {
            "h_left": finite_or_none(float(fit.bws.loc["h", "left"])),
            "h_right": finite_or_none(float(fit.bws.loc["h", "right"])),
            "b_left": finite_or_none(float(fit.bws.loc["b", "left"])),
            "b_right": finite_or_none(float(fit.bws.loc["b", "right"])),
            "selector": "fixed" if spec.bandwidth is not None else "mserd (MSE-optimal)",
        },
        "estimate_bias_corrected": finite_or_none(sign * float(fit.coef.loc["Robust"].iloc[0])),
        "se_conventional": finite_or_none(float(fit.se.loc["Conventional"].iloc[0])),
        "observations_in_bandwidth": {"below": n_left, "above": n_right},
        "density_test": {
            "t": finite_or_none(float(density.test["t_jk"])),
            "p_value": finite_or_none(float(density.test["p_jk"])),
            "method": "rddensity (Cattaneo, Jansson & Ma 2020), jackknife standard errors",
        },
        "mass_points": bool(np.unique(x).size < x.size),
        "rd_plot": {
            "cutoff": c,
            "bins": bins,
            "suppressed_bins": sum(b["suppressed"] for b in bins),
        },
        "treated_side": spec.treated_side,
    }
    if fuzzy is not None:
        # the jump in take-up at the cutoff (rdrobust's first stage, conventional estimate)
        diagnostics["first_stage_jump"] = finite_or_none(sign * float(fit.tau_T.iloc[0, 0]))
    kind = "Fuzzy" if fuzzy is not None else "Sharp"
    parts = [
        f"{kind} regression discontinuity at {spec.running} = {c:g} (rdrobust): local polynomial "
        f"of order {spec.polynomial}, {spec.kernel} kernel",
        "MSE-optimal bandwidth" if spec.bandwidth is None else f"bandwidth {spec.bandwidth:g}",
        "conventional estimate with robust bias-corrected interval and p-value (CCT 2014)",
    ]
    if cov_names:
        parts.append("covariates " + ", ".join(cov_names))
    if spec.cluster:
        parts.append(f"clustered by {spec.cluster}")
    if sign < 0:
        parts.append("the programme applies below the cutoff (jump read from above to below)")
    from evalsoc.sections.effects.common import result_dict

    return result_dict(
        estimate=estimate,
        se=se,
        ci_low=low,
        ci_high=high,
        p_value=p_value,
        n=n_left + n_right,
        n_treated=treated_n,
        n_control=control_n,
        n_clusters=None,
        design="rd",
        method="; ".join(parts),
        diagnostics=diagnostics,
        df=None,
    )
