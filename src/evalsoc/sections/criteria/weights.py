"""Sensitivity of a weighted score's ranking to its weights (seeded Dirichlet draws).

Pure numeric code, separate from the synthesis that reports it.
"""

from __future__ import annotations

from typing import Any

import numpy as np


def competition_ranks(scores: np.ndarray, tol: float = 1e-9) -> np.ndarray:
    """Rank 1 = highest along the last axis; ties share the best rank (1, 1, 3...)."""
    higher = scores[..., None, :] > scores[..., :, None] + tol
    return 1 + higher.sum(axis=-1)


def rank_kept(base: np.ndarray, drawn_ranks: np.ndarray, tol: float = 1e-9) -> np.ndarray:
    """Share of draws in which each item keeps its rank. Items tied under the declared weights
    occupy a block of ranks (two tied first: ranks 1–2); landing anywhere in it counts as kept,
    since the declared weights do not order them."""
    best = 1 + (base[None, :] > base[:, None] + tol).sum(axis=-1)
    worst = (base[None, :] >= base[:, None] - tol).sum(axis=-1)
    return ((drawn_ranks >= best) & (drawn_ranks <= worst)).mean(axis=0)


def weight_sensitivity(
    points: list[np.ndarray],
    weights: list[np.ndarray],
    dimension_weights: np.ndarray,
    *,
    draws: int,
    concentration: float,
    rng: np.random.Generator,
    bands: np.ndarray,
    drawn_weights: tuple[list[np.ndarray], np.ndarray] | None = None,
) -> dict[str, Any]:
    """Weighted scores and their stability under Dirichlet draws around the declared weights.

    `points[d]` and `weights[d]` hold the usable criteria of dimension d (verdict given, weight
    > 0); dimensions with none are left out by the caller. Criterion weights are redrawn within
    each dimension from Dirichlet(concentration × w), dimension weights likewise, unless
    `drawn_weights` gives the draws (per dimension, draws × criteria; and draws × dimensions),
    e.g. stakeholder groups' own elicited weights. Returns base
    scores, ranks and bands, and the share of draws in which each keeps them.
    """
    n_dims = len(points)
    w_norm = [w / w.sum() for w in weights]
    big_w = dimension_weights / dimension_weights.sum()
    scores = np.array([p @ w for p, w in zip(points, w_norm)])
    overall = float(scores @ big_w)

    def dirichlet(base: np.ndarray) -> np.ndarray:
        if len(base) < 2:
            return np.ones((draws, len(base)))
        return rng.dirichlet(concentration * base, size=draws)

    if drawn_weights is None:
        drawn_w = [dirichlet(w) for w in w_norm]
        drawn_big = dirichlet(big_w)
    else:
        drawn_w = [w / w.sum(axis=1, keepdims=True) for w in drawn_weights[0]]
        drawn_big = drawn_weights[1] / drawn_weights[1].sum(axis=1, keepdims=True)
    drawn_scores = np.column_stack([dw @ p for dw, p in zip(drawn_w, points)])
    drawn_overall = (drawn_scores * drawn_big).sum(axis=1)

    def band(x: np.ndarray) -> np.ndarray:
        return np.abs(np.asarray(x)[..., None] - bands).argmin(axis=-1)

    dim_rank = competition_ranks(scores)
    drawn_dim_rank = competition_ranks(drawn_scores)
    contributions = np.concatenate([big_w[d] * w_norm[d] * points[d] for d in range(n_dims)])
    drawn_contrib = np.column_stack(
        [drawn_big[:, [d]] * drawn_w[d] * points[d] for d in range(n_dims)]
    )
    crit_rank = competition_ranks(contributions)
    drawn_crit_rank = competition_ranks(drawn_contrib)
    return {
        "scores": scores,
        "overall": overall,
        "overall_band": int(band(overall)),
        "overall_band_stability": float(np.mean(band(drawn_overall) == band(overall))),
        "overall_interval": [
            float(np.quantile(drawn_overall, 0.05)),
            float(np.quantile(drawn_overall, 0.95)),
        ],
        "dimension_rank": dim_rank,
        "dimension_rank_stability": rank_kept(scores, drawn_dim_rank),
        "dimension_band": band(scores),
        "dimension_band_stability": (band(drawn_scores) == band(scores)).mean(axis=0),
        "dimension_weights": big_w,
        "criterion_weights": w_norm,
        "criterion_contribution": contributions,
        "criterion_rank": crit_rank,
        "criterion_rank_stability": rank_kept(contributions, drawn_crit_rank),
        "top_dimension_stability": (
            float(np.mean(drawn_dim_rank[:, int(np.argmin(dim_rank))] == 1))
            if (dim_rank == 1).sum() == 1
            else None
        ),
    }
