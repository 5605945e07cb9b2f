"""Randomisation (Fisher) inference for a randomised comparison of two groups.

For a small randomised programme, the p-value comes from the assignment itself rather than from
a large-sample approximation: under the sharp null of no effect for anyone, every assignment the
draw could have produced (same number of people, or of clusters, in the programme) was equally
likely, so the p-value is the share of those assignments whose difference is at least as large
in absolute value as the observed one.

- exact: every assignment is listed when there are at most EXACT_LIMIT of them;
- otherwise Monte Carlo: `permutations` assignments drawn with the effect's seed, and
  p = (1 + #{|T*| ≥ |T|}) / (1 + R) (Phipson & Smyth 2010), which never reports p = 0.
The interval collects the constant effects τ not rejected at the level: the test of
Y(1) = Y(0) + τ for everyone (Imbens & Rubin 2015, ch. 5), inverted by bisection. The statistic
is the difference in means, or, with covariates, Lin's adjusted coefficient; both are linear in
the outcome, so T*(τ) = T*(y) − τ·T*(d) on the same assignments.
With `cluster`, whole clusters are assigned (the draw was by cluster), and treatment must be
constant within each cluster.
"""

from __future__ import annotations

import itertools
import math
from typing import Any

import numpy as np

from evalsoc.sections.common import NotEstimable

EXACT_LIMIT = 200_000
CHUNK = 20_000
TOLERANCE = 1e-9  # relative: |T*| ≥ |T| − tol counts ties as "as extreme"


def _assignments(n_units: int, n_treated: int, reps: int, seed: int | None):
    """Chunks of 0/1 assignment matrices (assignments × units) and whether they are exhaustive."""
    total = math.comb(n_units, n_treated)
    if total <= EXACT_LIMIT:

        def exact():
            combos = itertools.combinations(range(n_units), n_treated)
            while True:
                block = list(itertools.islice(combos, CHUNK))
                if not block:
                    return
                out = np.zeros((len(block), n_units))
                rows = np.repeat(np.arange(len(block)), n_treated)
                out[rows, np.asarray(block).ravel()] = 1.0
                yield out

        return exact, True, total

    def monte_carlo():
        rng = np.random.default_rng(seed)
        done = 0
        while done < reps:
            size = min(CHUNK, reps - done)
            keys = rng.random((size, n_units))
            ranks = np.argsort(keys, axis=1)[:, :n_treated]
            out = np.zeros((size, n_units))
            out[np.repeat(np.arange(size), n_treated), ranks.ravel()] = 1.0
            done += size
            yield out

    return monte_carlo, False, reps


def _statistic_rows(
    assign: np.ndarray, members: np.ndarray, y: np.ndarray, d: np.ndarray, X: np.ndarray | None
) -> tuple[np.ndarray, np.ndarray]:
    """(T*(y), T*(d)) for each assignment of units; `members` maps rows to units."""
    rows = assign[:, members]  # assignments × rows
    if X is None:
        n1 = rows.sum(axis=1)
        n0 = rows.shape[1] - n1
        stat = lambda v: rows @ v / n1 - ((1 - rows) @ v) / n0  # noqa: E731
        return stat(y), stat(d)
    out_y = np.empty(len(rows))
    out_d = np.empty(len(rows))
    centred = X - X.mean(axis=0)
    for i, t in enumerate(rows):
        design = np.column_stack([np.ones(len(t)), t, centred, centred * t[:, None]])
        coef = np.linalg.lstsq(design, np.column_stack([y, d]), rcond=None)[0]
        out_y[i], out_d[i] = coef[1]
    return out_y, out_d


def randomisation_inference(
    y: np.ndarray,
    d: np.ndarray,
    X: np.ndarray | None,
    clusters: np.ndarray | None,
    *,
    observed: float,
    level: float,
    reps: int,
    seed: int | None,
) -> dict[str, Any]:
    """p-value and interval of the difference (or Lin coefficient) `observed` by randomisation."""
    if clusters is None:
        members = np.arange(len(y))
        unit_treated = d.astype(float)
    else:
        members = clusters
        G = int(clusters.max()) + 1
        share = np.bincount(clusters, weights=d, minlength=G) / np.bincount(clusters, minlength=G)
        if np.any((share > 0) & (share < 1)):
            raise NotEstimable("randomisation_mixed_clusters")
        unit_treated = share
    n_units, n_treated = len(unit_treated), int(unit_treated.sum())
    generator, exact, count = _assignments(n_units, n_treated, reps, seed)
    parts = [_statistic_rows(a, members, y, d.astype(float), X) for a in generator()]
    a = np.concatenate([p[0] for p in parts])
    b = np.concatenate([p[1] for p in parts])
    scale = max(1.0, abs(observed))

    def p_value(tau: float) -> float:
        extreme = np.abs(a - tau * b) >= abs(observed - tau) - TOLERANCE * scale
        hits = int(extreme.sum())
        return hits / len(a) if exact else (1 + hits) / (1 + len(a))

    alpha = round(1 - level, 12)  # 1 − 0.9 is 0.0999…: a p of exactly 0.1 must be rejected
    p_obs = p_value(0.0)
    spread = float(np.std(a)) or scale
    bounds = []
    for direction in (-1.0, 1.0):
        inside, step = observed, spread
        outside = observed + direction * step
        expansions = 0
        while p_value(outside) > alpha and expansions < 60:
            inside, step = outside, step * 2
            outside = observed + direction * step
            expansions += 1
        if p_value(outside) > alpha:
            bounds.append(None)  # never rejected: the interval is unbounded on this side
            continue
        for _ in range(80):
            mid = (inside + outside) / 2
            if p_value(mid) > alpha:
                inside = mid
            else:
                outside = mid
        bounds.append(inside)
    return {
        "p_value": p_obs,
        "ci_low": bounds[0],
        "ci_high": bounds[1],
        "kind": "exact" if exact else "monte_carlo",
        "assignments": int(count),
        "units_assigned": "clusters" if clusters is not None else "people",
        "seed": None if exact else seed,
        "statistic": "Lin-adjusted coefficient" if X is not None else "difference in means",
    }
