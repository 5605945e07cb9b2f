"""The declared term of a linear model with covariates, weights and absorbed fixed effects, and
its inference; CR2 and the bootstrap rebuild the partialled design when effects are not nested.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from evalsoc.sections.common import NotEstimable
from evalsoc.sections.effects.absorb import Absorbed, absorb_setup, demean, drop_singletons
from evalsoc.sections.effects.inference import coefficient_inference
from evalsoc.sections.effects.ols import cluster_codes


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

    # Sorted codes, factorized once: absorb_setup's sorted factorize of a subset of these codes
    # gives the codes the labels themselves would (a million text ids cost ~0.3 s a pass).
    fe_codes = [
        pd.factorize(pd.Series(lab).reset_index(drop=True), sort=True)[0]
        for _, lab in fixed_effects
    ]
    rows = drop_singletons(fe_codes)
    info["singletons"] = int((~rows).sum())
    if not rows.any():
        raise NotEstimable(
            "fixed_effects_all_singletons", fixed=", ".join(n for n, _ in fixed_effects)
        )
    y, X = y[rows], X[rows]
    if w is not None:
        w, root = w[rows], root[rows]
    if clusters is not None:
        clusters, _ = cluster_codes(clusters[rows])
    labels = [codes[rows] for codes in fe_codes]
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
            notes.append(HC1_NOTE)
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
HC1_NOTE = "HC1 used: HC2 leverages need too many fixed-effect dummies here"


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
