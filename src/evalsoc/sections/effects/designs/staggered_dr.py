"""Doubly robust DiD for one group-time cell (Sant'Anna & Zhao 2020, `drdid_panel`).

The ATT(g,t) of a cohort against its comparison units combines a logit propensity score of
being in the cohort given the covariates and a linear regression of the outcome change on the
covariates among comparison units: it is consistent if either model is right. This is R `did`'s
default (`est_method = "dr"`) and moderndid's; the formulas, the clipping of the score to
[1e-6, 1 − 1e-6] and the trimming of comparison units with a score above 0.995 follow DRDID's
`drdid_panel` so that the numbers agree. The influence function carries the estimation of both
nuisance models, so the analytic standard errors and aggregates stay valid.
"""

from __future__ import annotations

import numpy as np

from evalsoc.sections.common import NotEstimable

PS_CLIP = 1e-6
TRIM_LEVEL = 0.995
MAX_NEWTON = 100


def logit_fit(d: np.ndarray, X: np.ndarray) -> np.ndarray:
    """Fitted probabilities of a logit by Newton–Raphson (the MLE R's glm and statsmodels'
    GLM reach; written out because a cell's fit must cost microseconds, not a model object)."""
    beta = np.zeros(X.shape[1])
    for _ in range(MAX_NEWTON):
        p = 1.0 / (1.0 + np.exp(-(X @ beta)))
        w = p * (1 - p)
        step = np.linalg.solve(X.T @ (w[:, None] * X), X.T @ (d - p))
        beta = beta + step
        if np.max(np.abs(step)) <= 1e-12 * max(1.0, float(np.max(np.abs(beta)))):
            return 1.0 / (1.0 + np.exp(-(X @ beta)))
    raise NotEstimable("cohort_propensity_no_convergence")


def dr_att(dy: np.ndarray, x: np.ndarray, treated: np.ndarray, n: int) -> tuple[float, np.ndarray]:
    """ATT and influence function (scaled to the full sample of `n` units) on the cell's units.

    `dy`: outcome change between base and current period; `x`: covariates (no constant);
    `treated`: 0/1 cohort membership. Raises np.linalg.LinAlgError on collinear covariates.
    """
    d = treated.astype(float)
    m = len(dy)
    xc = np.column_stack([np.ones(m), x])
    if np.linalg.matrix_rank(xc) < xc.shape[1]:
        raise np.linalg.LinAlgError("collinear covariates")
    ps = np.clip(logit_fit(d, xc), PS_CLIP, 1 - PS_CLIP)
    keep = np.where(d == 0, ps < TRIM_LEVEL, True).astype(float)
    control = d == 0
    xtx = xc[control].T @ xc[control]
    if np.linalg.matrix_rank(xtx) < xtx.shape[0]:
        raise np.linalg.LinAlgError("collinear covariates among comparison units")
    beta = np.linalg.solve(xtx, xc[control].T @ dy[control])
    out_delta = xc @ beta
    w_treat = keep * d
    w_cont = keep * ps * (1 - d) / (1 - ps)
    att_treat = w_treat * (dy - out_delta)
    att_cont = w_cont * (dy - out_delta)
    eta_treat = att_treat.mean() / w_treat.mean()
    eta_cont = att_cont.mean() / w_cont.mean()
    # linear representations of the outcome regression and of the logit coefficients
    weights_ols = 1 - d
    lin_ols = (
        (weights_ols * (dy - out_delta))[:, None]
        * xc
        @ np.linalg.inv(xc.T @ (weights_ols[:, None] * xc) / m)
    )
    W = ps * (1 - ps)
    lin_ps = ((d - ps)[:, None] * xc) @ (np.linalg.inv(xc.T @ (W[:, None] * xc)) * m)
    inf_treat = (
        att_treat - w_treat * eta_treat - lin_ols @ (w_treat[:, None] * xc).mean(axis=0)
    ) / w_treat.mean()
    residual_cont = att_cont - w_cont * eta_cont
    inf_cont = (
        residual_cont
        + lin_ps @ (residual_cont[:, None] * xc).mean(axis=0)
        - lin_ols @ (w_cont[:, None] * xc).mean(axis=0)
    ) / w_cont.mean()
    return float(eta_treat - eta_cont), (inf_treat - inf_cont) * n / m
