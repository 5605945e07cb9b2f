"""Changes of an indicator between two runs, and whether a change is larger than its
uncertainty.

- Proportions with their counts: the two-proportion z test (pooled proportion under H0) for
  the test, and a Wald interval with the unpooled SE √(p₁q₁/n₁ + p₂q₂/n₂) for the difference.
- Any other estimate with a 95% interval: the difference of two independent estimates, each SE
  taken as the interval's half-width / 1.96 (exact for Wald/t intervals with many degrees of
  freedom, an approximation for asymmetric ones such as medians), SE = √(se₁² + se₂²).
A change "exceeds the uncertainty" when the test's two-sided p-value is below 0.05. Runs are
treated as independent samples (different people or periods); for repeated measures on the
same people this is conservative."""

from __future__ import annotations

import math
from typing import Any

from evalsoc.compare.meta import Z95
from evalsoc.problems import problem


def _norm_p(z: float) -> float:
    return math.erfc(abs(z) / math.sqrt(2))


def se_from_ci(body: dict[str, Any]) -> float | None:
    lo, hi = body.get("ci_low"), body.get("ci_high")
    if lo is None or hi is None or hi <= lo:
        return None
    return (hi - lo) / (2 * Z95)


def difference(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    v1, v2 = before.get("value"), after.get("value")
    if v1 is None or v2 is None:
        which = (
            {"fr": "antérieure", "en": "earlier"}
            if v1 is None
            else {"fr": "postérieure", "en": "later"}
        )
        hidden = (before if v1 is None else after).get("suppressed")
        code = "compare_value_suppressed" if hidden else "compare_value_not_computed"
        return {
            "difference": None,
            "exceeds_uncertainty": None,
            "reason": problem(code, which=which),
        }
    diff = float(v2) - float(v1)
    kind = after.get("kind")
    if kind == "count":
        return {
            "difference": diff,
            "exceeds_uncertainty": None,
            "reason": problem("compare_count_exact"),
        }
    if kind == "share" and before.get("n") and after.get("n"):
        before = {**before, "count": round(before["value"] * before["n"])}
        after = {**after, "count": round(after["value"] * after["n"])}
        kind = "proportion"
    counts = [before.get("count"), before.get("n"), after.get("count"), after.get("n")]
    if kind == "proportion" and all(isinstance(c, int) and c >= 0 for c in counts):
        x1, n1, x2, n2 = counts
        if n1 > 0 and n2 > 0:
            p1, p2, pooled = x1 / n1, x2 / n2, (x1 + x2) / (n1 + n2)
            se0 = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
            se = math.sqrt(p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2)
            z = (p2 - p1) / se0 if se0 > 0 else 0.0
            p = _norm_p(z) if se0 > 0 else 1.0
            return {
                "difference": diff,
                "ci": [diff - Z95 * se, diff + Z95 * se],
                "se": se,
                "z": z,
                "p_value": p,
                "test": "two_proportion_z",
                "exceeds_uncertainty": p < 0.05,
                "reason": None,
            }
    se1, se2 = se_from_ci(before), se_from_ci(after)
    if se1 is None or se2 is None:
        return {
            "difference": diff,
            "exceeds_uncertainty": None,
            "reason": problem("compare_no_interval"),
        }
    se = math.sqrt(se1**2 + se2**2)
    z = diff / se
    p = _norm_p(z)
    return {
        "difference": diff,
        "ci": [diff - Z95 * se, diff + Z95 * se],
        "se": se,
        "z": z,
        "p_value": p,
        "test": "independent_estimates_z",
        "exceeds_uncertainty": p < 0.05,
        "reason": None,
    }
