"""Network consolidation: one figure for several runs, pooled correctly and published only when
the privacy rule allows it.

- counts are summed; a proportion is pooled from its counts (Σ count / Σ n, Wilson interval),
  never averaged; a mean is pooled from each run's n, mean and SD (the SD recovered from its t
  interval), with a t interval on N − 1 degrees of freedom; a median or a rubric cannot be
  pooled from published figures and is reported as such.
- privacy, applied again to the consolidated figure with the strictest min_cell of the runs:
  primary — a consolidated figure on fewer than min_cell people is suppressed; secondary — when
  some runs' own figures are unpublished (suppressed in their results) but known here (a
  framework run by compare), the consolidated figure minus the published runs' figures gives
  their total away: if that residual is between 1 and min_cell − 1 (people, or people with the
  outcome), the consolidated figure is suppressed too. A run whose figure is suppressed and
  unknown makes the network figure not computable (it would be wrong, not just imprecise)."""

from __future__ import annotations

import math
from typing import Any

from evalsoc.problems import problem

POOLABLE = {"count", "proportion", "mean"}
# The kinds that cannot be pooled, named in French for the reason (English says "a {kind}").
KIND_NAMES = {
    "median": "une médiane",
    "sum": "une somme",
    "rate": "un taux",
    "share": "une part",
    "gini": "un indice de Gini",
    "theil": "un indice de Theil",
    "atkinson": "un indice d'Atkinson",
    "gap": "un écart entre groupes",
    "rubric": "une grille de jugement",
    "themes": "un relevé de thèmes",
}


def _wilson(x: int, n: int, z: float = 1.959963984540054) -> list[float]:
    """Wilson score interval (as statsmodels' proportion_confint(method="wilson"); the test
    checks both agree), written out to spare a statsmodels import per comparison."""
    p = x / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return [centre - half, centre + half]


def _size(c: dict[str, Any], kind: str) -> int | None:
    """People behind a contribution: n, or the count itself for a count indicator."""
    return c.get("value") if kind == "count" else c.get("n")


def consolidate(kind: str, contributions: list[dict[str, Any]], min_cell: int) -> dict[str, Any]:
    """contributions: {run, published, value, n, count, ci_low, ci_high}; an unpublished one may
    carry its true figures under `hidden` (same keys)."""
    out: dict[str, Any] = {"kind": kind, "runs": [c["run"] for c in contributions]}
    if kind not in POOLABLE:
        what = {"fr": KIND_NAMES.get(kind, f"un indicateur « {kind} »"), "en": f"a {kind}"}
        return {**out, "value": None, "reason": problem("consolidate_not_poolable", what=what)}
    figures = []
    for c in contributions:
        if c.get("published"):
            figures.append(c)
        elif c.get("hidden") is not None:
            figures.append({**c["hidden"], "run": c["run"], "published": False})
        else:
            return {
                **out,
                "value": None,
                "suppressed": False,
                "reason": problem("consolidate_run_suppressed", run=c["run"]),
            }
    total_people = sum(int(_size(f, kind) or 0) for f in figures)
    published_people = sum(int(_size(f, kind) or 0) for f in figures if f["published"])
    residuals = [total_people - published_people]
    if kind == "proportion":
        x_total = sum(int(f["count"]) for f in figures)
        x_published = sum(int(f["count"]) for f in figures if f["published"])
        residuals += [
            x_total - x_published,
            (total_people - x_total) - (published_people - x_published),
        ]
    if total_people < min_cell:
        return {
            **out,
            "value": None,
            "n": None,
            "suppressed": True,
            "reason": problem("consolidate_below_min_cell", min_cell=min_cell),
        }
    if any(0 < r < min_cell for r in residuals):
        return {
            **out,
            "value": None,
            "n": None,
            "suppressed": True,
            "reason": problem("consolidate_secondary", min_cell=min_cell),
        }
    if kind == "count":
        return {
            **out,
            "value": total_people,
            "n": total_people,
            "suppressed": False,
            "method": "sum of the runs' counts",
        }
    if kind == "proportion":
        return {
            **out,
            "value": x_total / total_people,
            "count": x_total,
            "n": total_people,
            "ci": _wilson(x_total, total_people),
            "suppressed": False,
            "method": "Σ count / Σ n, Wilson score interval",
        }
    return _pool_means(out, figures)


def _pool_means(out: dict[str, Any], figures: list[dict[str, Any]]) -> dict[str, Any]:
    import numpy as np
    from scipy.stats import t

    n = np.array([int(f["n"]) for f in figures], dtype=float)
    means = np.array([float(f["value"]) for f in figures])
    big_n = int(n.sum())
    grand = float((n * means).sum() / big_n)
    several = n > 1
    missing = [
        f["run"]
        for f, k in zip(figures, several)
        if k and (f.get("ci_low") is None or f.get("ci_high") is None)
    ]
    if missing:
        return {
            **out,
            "value": grand,
            "n": big_n,
            "ci": None,
            "suppressed": False,
            "ci_reason": problem("consolidate_mean_no_interval", run=missing[0]),
        }
    half_width = np.array(
        [(f["ci_high"] - f["ci_low"]) / 2 if k else 0.0 for f, k in zip(figures, several)]
    )
    quantiles = t.ppf(0.975, np.where(several, n - 1, 1))
    sd = np.where(several, half_width / quantiles * np.sqrt(n), 0.0)
    ss = float(((n - 1) * sd**2).sum() + (n * (means - grand) ** 2).sum())
    sd_all = math.sqrt(ss / (big_n - 1))
    half = float(t.ppf(0.975, big_n - 1)) * sd_all / math.sqrt(big_n)
    return {
        **out,
        "value": grand,
        "n": big_n,
        "sd": sd_all,
        "ci": [grand - half, grand + half],
        "suppressed": False,
        "method": "n-weighted mean; SD pooled from each run's t interval; t interval",
    }
