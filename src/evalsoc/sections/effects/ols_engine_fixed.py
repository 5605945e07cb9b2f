"""The fixed effects of ols_engine_fit.py, from the engine's groups, by absorb.py's and
linear.py's conventions: singleton levels dropped (iteratively, over both effects), the
effects' degrees of freedom (L for one; L₁ + L₂ − connected components for two), which effects
are nested in the clusters, and the HC2/HC3 rule of two effects (the leverage needs one of them
as dummy columns: beyond linear.MAX_DUMMY_CELLS `robust` becomes HC1 with a note and `hc2`,
`hc3` are refused). Here every effect is a set of dummy columns of the groups (first level left
out), whose hat matrix is the absorbed model's plus the effects' leverage: the same numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from evalsoc.sections.common import NotEstimable
from evalsoc.sections.effects.absorb import drop_singletons


def codes_of(values: Any) -> tuple[np.ndarray, int]:
    """Sorted integer codes of labels (pd.factorize(sort=True), as absorb_setup and
    cluster_codes make them) and their number."""
    import pandas as pd

    codes, uniques = pd.factorize(pd.Series(values), sort=True)
    return codes.astype(np.int64), len(uniques)


@dataclass
class Fixed:
    """The fixed effects over the groups: `rows` the groups kept (singletons out), per effect
    its codes and levels over those, the degrees of freedom, and the dummy columns (R × m,
    zero on the groups left out)."""

    names: list[str]
    rows: np.ndarray
    singletons: int
    codes: list[np.ndarray]
    levels: list[int]
    df: int
    dummies: np.ndarray


def setup(labels: list[np.ndarray], names: list[str], n: np.ndarray) -> Fixed:
    """The effects of `labels` (one array of labels per effect, over the groups)."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    rows = drop_singletons([codes_of(lab)[0] for lab in labels], n)  # groups of n rows
    if not rows.any():
        raise NotEstimable("fixed_effects_all_singletons", fixed=", ".join(names))
    found = [codes_of(np.asarray(lab)[rows]) for lab in labels]
    codes = [c for c, _ in found]
    levels = [L for _, L in found]
    if len(codes) == 1:
        df = levels[0]
    else:
        (a, b), (L1, L2) = codes, levels
        graph = coo_matrix((np.ones(a.size), (a, b + L1)), shape=(L1 + L2, L1 + L2)).tocsr()
        components, _ = connected_components(graph, directed=False)
        df = L1 + L2 - int(components)
    R = len(n)
    blocks = []
    for c, L in zip(codes, levels):
        block = np.zeros((R, max(L - 1, 0)))
        block[np.flatnonzero(rows)] = np.eye(L)[c][:, 1:]
        blocks.append(block)
    singletons = int(n[~rows].sum())
    return Fixed(list(names), rows, singletons, codes, levels, int(df), np.hstack(blocks))


def independent(gram: np.ndarray) -> list[int]:
    """The dummy columns adding a dimension (pivoted QR of their centred Gram matrix, as
    linear._partial_design keeps them): all of them unless the effects are disconnected."""
    from scipy.linalg import qr

    if gram.shape[0] == 0:
        return []
    scale = np.sqrt(np.clip(np.diag(gram), 1e-300, None))
    _, r, piv = qr(gram / np.outer(scale, scale), pivoting=True)
    rdiag = np.abs(np.diag(r))
    rank = int((rdiag > 1e-10 * max(rdiag.max(initial=0.0), 1e-300)).sum())
    return sorted(int(j) for j in piv[:rank])


def df_not_nested(fixed: Fixed, clusters: np.ndarray) -> int:
    """The effects' parameters counted in CR1's K: absorb_setup's `df_not_nested` (an effect
    whose every level lies in one cluster is left out, the intercept kept)."""
    import pandas as pd

    nested_levels = sum(
        L
        for c, L in zip(fixed.codes, fixed.levels)
        if bool((pd.Series(clusters).groupby(c).nunique() == 1).all())
    )
    return max(1, fixed.df - nested_levels + 1) if nested_levels else fixed.df


def hc_rule(se_type: str, fixed: Fixed, n: int) -> tuple[str, list[str]]:
    """(the SE type used, notes): linear.py's rule for HC2/HC3 under two absorbed effects."""
    from evalsoc.sections.effects.linear import HC1_NOTE, MAX_DUMMY_CELLS

    if se_type not in ("robust", "hc2", "hc3") or len(fixed.levels) < 2:
        return se_type, []
    largest = int(np.argmax(fixed.levels))
    if n * (sum(fixed.levels) - fixed.levels[largest]) <= MAX_DUMMY_CELLS:
        return se_type, []
    if se_type == "robust":
        return "robust_hc1", [HC1_NOTE]
    raise NotEstimable("leverage_too_many_dummies", kind=se_type.upper())
