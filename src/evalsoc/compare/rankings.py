"""Rankings of runs under each reading, and how far they agree.

Utility reading, without adding criteria up: run A dominates run B when A's verdict is at
least B's on every criterion both judge and higher on one (verdict order insuffisant <
fragile < satisfaisant < remarquable); the rank is the Pareto layer (1 = dominated by none,
2 = dominated only by layer 1, ...). When criteria weights are declared, the weighted score
Σ wᵢ·levelᵢ/3 / Σ wᵢ over judged criteria, and the share of Dirichlet(20·w) weight draws in
which each run keeps its rank (the convention of the run's own synthesis).

Impact reading: each effect's estimate and the SROI ratio ranked (1 = best), with the
probability of each rank from Monte Carlo draws — effects from N(estimate, SE²), SROI ratios
from the run's own Monte Carlo histogram (uniform within bins).

Agreement: Kendall's τ-b (scipy) with a 95% interval by Fisher's z transform, SE =
√(0.437/(n − 4)) (Fieller, Hartley & Pearson 1957; n ≥ 5), and Spearman's ρ with SE =
√((1 + ρ²/2)/(n − 3)) (Bonett & Wright 2000; n ≥ 4)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from evalsoc.compare.meta import Z95
from evalsoc.compare.runs import LEVELS
from evalsoc.problems import problem

DRAWS = 4_000
CONCENTRATION = 20.0


def competition_ranks(scores: np.ndarray, higher_is_better: bool = True) -> np.ndarray:
    """Rank 1 = best along the last axis; ties share the best rank (1, 1, 3...)."""
    from scipy.stats import rankdata

    s = -scores if higher_is_better else scores
    return rankdata(s, method="min", axis=-1).astype(int)


def _levels(profiles: list[dict[str, str | None]]) -> np.ndarray:
    """(runs, criteria) verdict levels 0–3, NaN where a run has no verdict."""
    criteria = sorted({c for p in profiles for c in p})
    return np.array(
        [
            [LEVELS.index(p[c]) if p.get(c) in LEVELS else np.nan for c in criteria]
            for p in profiles
        ],
        dtype=float,
    ).reshape(len(profiles), len(criteria))


def dominance_matrix(profiles: list[dict[str, str | None]]) -> np.ndarray:
    """dom[i, j]: run i dominates run j on the criteria both judge (none in common: no)."""
    lv = _levels(profiles)
    a, b = lv[:, None, :], lv[None, :, :]
    both = ~np.isnan(a) & ~np.isnan(b)
    ge = np.where(both, a >= b, True).all(axis=-1)
    gt = np.where(both, a > b, False).any(axis=-1)
    return ge & gt & both.any(axis=-1)


def pareto_layers(profiles: list[dict[str, str | None]]) -> list[int]:
    dom = dominance_matrix(profiles)
    layer = np.zeros(len(profiles), dtype=int)
    remaining = np.ones(len(profiles), dtype=bool)
    current = 1
    while remaining.any():
        dominated = (dom[remaining][:, remaining]).any(axis=0)
        front = np.flatnonzero(remaining)[~dominated]
        layer[front] = current
        remaining[front] = False
        current += 1
    return layer.tolist()


def dominance_pairs(labels: list[str], profiles: list[dict[str, str | None]]) -> list[list[str]]:
    """The covering pairs of the partial order (its Hasse diagram): i dominates j with no run
    in between; every other dominance follows by transitivity."""
    dom = dominance_matrix(profiles)
    through = (dom.astype(np.int64) @ dom.astype(np.int64)) > 0
    cover = dom & ~through
    return [[labels[i], labels[j]] for i, j in zip(*np.nonzero(cover))]


def weighted_scores(
    profiles: list[dict[str, str | None]], weights: dict[str, float], rng: np.random.Generator
) -> dict[str, Any]:
    criteria = sorted(c for c in weights if weights[c] > 0)
    points = np.array(
        [
            [LEVELS.index(p[c]) / 3 if p.get(c) in LEVELS else np.nan for c in criteria]
            for p in profiles
        ]
    )
    w = np.array([weights[c] for c in criteria])
    judged = ~np.isnan(points)
    pts = np.nan_to_num(points)

    def score(wmat: np.ndarray) -> np.ndarray:  # (draws, crit) → (draws, runs)
        num = wmat @ (pts * judged).T
        den = wmat @ judged.T
        return np.where(den > 0, num / np.where(den > 0, den, 1), np.nan)

    base = score(w[None, :])[0]
    drawn = score(rng.dirichlet(CONCENTRATION * w / w.sum(), size=DRAWS))
    base_rank = competition_ranks(np.nan_to_num(base, nan=-1.0))
    drawn_rank = competition_ranks(np.nan_to_num(drawn, nan=-1.0))
    return {
        "criteria": criteria,
        "weights": [float(x) for x in w / w.sum()],
        "scores": [None if math.isnan(x) else float(x) for x in base],
        "ranks": [int(r) for r in base_rank],
        "rank_stability": [float(x) for x in (drawn_rank == base_rank[None, :]).mean(axis=0)],
        "draws": DRAWS,
        "concentration": CONCENTRATION,
    }


FULL_MATRIX_UP_TO = 20


def rank_probabilities(draws: np.ndarray, higher_is_better: bool = True) -> dict[str, Any]:
    """draws: (n_draws, n_runs) → per run P(rank 1), mean rank and 95% rank interval; the full
    matrix P(run i has rank r) as well up to 20 runs (beyond, it would swamp compare.json).
    Draws are continuous (normal, or uniform within histogram bins): ties have probability 0,
    so ranks come from a double argsort rather than a tie-aware ranking."""
    order = np.argsort(-draws if higher_is_better else draws, axis=1, kind="stable")
    ranks = np.empty_like(order)
    np.put_along_axis(ranks, order, np.arange(1, draws.shape[1] + 1)[None, :], axis=1)
    n_draws, n = draws.shape
    out: dict[str, Any] = {
        "p_first": (ranks == 1).mean(axis=0).tolist(),
        "mean_rank": ranks.mean(axis=0).tolist(),
        "rank_interval": np.quantile(ranks, [0.025, 0.975], axis=0, method="inverted_cdf")
        .T.astype(int)
        .tolist(),
        "matrix": None,
    }
    if n <= FULL_MATRIX_UP_TO:
        counts = np.zeros((n, n))
        np.add.at(counts, (np.broadcast_to(np.arange(n), ranks.shape), ranks - 1), 1.0)
        out["matrix"] = (counts / n_draws).tolist()
    return out


def histogram_draws(hist: dict[str, Any], rng: np.random.Generator, size: int) -> np.ndarray:
    edges = np.asarray(hist["edges"], dtype=float)
    counts = np.asarray(hist["counts"], dtype=float)
    bins = rng.choice(len(counts), size=size, p=counts / counts.sum())
    return rng.uniform(edges[bins], edges[bins + 1])


def kendall_with_ci(x: list[float], y: list[float]) -> dict[str, Any]:
    from scipy.stats import kendalltau, spearmanr

    n = len(x)
    if n < 3 or len(set(x)) < 2 or len(set(y)) < 2:
        return {"n": n, "estimable": False, "reason": problem("ranking_few_runs")}
    tau = float(kendalltau(x, y, variant="b").statistic)
    rho = float(spearmanr(x, y).statistic)
    out: dict[str, Any] = {"n": n, "estimable": True, "kendall_tau_b": tau, "spearman_rho": rho}
    out["kendall_ci"] = _fisher_ci(tau, math.sqrt(0.437 / (n - 4))) if n >= 5 else None
    out["spearman_ci"] = _fisher_ci(rho, math.sqrt((1 + rho**2 / 2) / (n - 3))) if n >= 4 else None
    out["ci_method"] = (
        "Fisher z; SE √(0.437/(n−4)) for τ-b (Fieller, Hartley & Pearson 1957), "
        "√((1+ρ²/2)/(n−3)) for ρ (Bonett & Wright 2000)"
    )
    if n < 5:
        out["ci_reason"] = problem("ranking_tau_interval_few_runs")
    return out


def _fisher_ci(r: float, se: float) -> list[float] | None:
    if abs(r) >= 1:
        return None
    z = math.atanh(r)
    return [math.tanh(z - Z95 * se), math.tanh(z + Z95 * se)]
