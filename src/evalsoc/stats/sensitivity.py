"""Sensitivity of an effect to an unmeasured confounder: E-values and the robustness value.

- E-value (VanderWeele & Ding 2017, Ann. Intern. Med. 167:268): the minimum strength of
  association, on the risk-ratio scale, that a confounder would need with both the treatment
  and the outcome to explain the estimate away: E = RR + √(RR(RR − 1)) for RR ≥ 1 (RR replaced
  by 1/RR below 1); for the interval, the same formula at the limit closest to 1 (1 when the
  interval contains 1). A difference in means is first put on the risk-ratio scale through
  its standardised effect d: RR ≈ exp(0.91·d), interval exp(0.91·d ± 1.78·SE_d)
  (VanderWeele & Ding 2017, eAppendix; Hasselblad & Hedges 1995).
- Robustness value and partial R² (Cinelli & Hazlett 2020, JRSS-B 82:39; R/Python sensemakr):
  from the OLS t statistic of the treatment and the residual degrees of freedom.

Plain numpy/scipy: no knowledge of the framework or the report.
"""

from __future__ import annotations

import math

SMD_TO_LOG_RR = 0.91  # log RR ≈ 0.91 · d (VanderWeele & Ding 2017)


def evalue_ratio(rr: float) -> float:
    """E-value of a risk ratio (1 for RR = 1)."""
    if not rr > 0:
        raise ValueError(f"a risk ratio must be positive, got {rr}")
    r = rr if rr >= 1 else 1 / rr
    return r + math.sqrt(r * (r - 1))


def evalue_interval(rr: float, low: float | None, high: float | None) -> float | None:
    """E-value of the interval limit closest to 1; 1 when the interval contains 1."""
    if low is None or high is None:
        return None
    if low <= 1 <= high:
        return 1.0
    return evalue_ratio(low if rr >= 1 else high)


def smd_risk_ratio(d: float, se_d: float | None, z: float = 1.959964) -> tuple[float, ...]:
    """(RR, low, high) on the risk-ratio scale for a standardised mean difference d."""
    rr = math.exp(SMD_TO_LOG_RR * d)
    if se_d is None:
        return (rr,)
    half = SMD_TO_LOG_RR * z * se_d
    return rr, math.exp(SMD_TO_LOG_RR * d - half), math.exp(SMD_TO_LOG_RR * d + half)


def partial_r2(t: float, dof: float) -> float:
    """Partial R² of the treatment with the outcome: t²/(t² + dof)."""
    return t * t / (t * t + dof)


def robustness_value(t: float, dof: float, q: float = 1.0, alpha: float | None = None) -> float:
    """Cinelli & Hazlett's RV_q (alpha None) or RV_{q,α}: the partial R² that a confounder would
    need with both treatment and outcome to reduce the estimate by 100q% (or to make its
    (1 − α) interval reach that value)."""
    fq = q * abs(t) / math.sqrt(dof)
    if alpha is None:
        return 0.5 * (math.sqrt(fq**4 + 4 * fq**2) - fq**2)
    from scipy import stats

    f_crit = abs(float(stats.t.ppf(alpha / 2, dof - 1))) / math.sqrt(dof - 1)
    fqa = fq - f_crit
    if fqa <= 0:
        return 0.0
    if fq > 1 / f_crit:
        return (fq**2 - f_crit**2) / (1 + fq**2)
    return 0.5 * (math.sqrt(fqa**4 + 4 * fqa**2) - fqa**2)


def benchmark_bounds(
    r2dxj_x: float, r2yxj_dx: float, kd: float, ky: float | None = None
) -> tuple[float, float]:
    """Partial R² of a confounder k_D (k_Y) times as strong as an observed covariate X_j:
    (R²_{D~Z|X}, R²_{Y~Z|D,X}) (Cinelli & Hazlett 2020, §6.1)."""
    ky = kd if ky is None else ky
    r2dz_x = kd * r2dxj_x / (1 - r2dxj_x)
    if r2dz_x >= 1:
        raise ValueError("the benchmark is too strong: the confounder would explain all of D")
    r2zxj_xd = kd * r2dxj_x**2 / ((1 - kd * r2dxj_x) * (1 - r2dxj_x))
    r2yz_dx = (
        (math.sqrt(ky) + math.sqrt(r2zxj_xd)) ** 2 / (1 - r2zxj_xd) * (r2yxj_dx / (1 - r2yxj_dx))
    )
    return r2dz_x, min(r2yz_dx, 1.0)


def adjusted_estimate(
    estimate: float, se: float, dof: float, r2dz_x: float, r2yz_dx: float
) -> tuple[float, float]:
    """(estimate, SE) once a confounder with these partial R² is accounted for, the bias taken
    towards zero: bias = SE·√dof·√(R²_yz·R²_dz/(1 − R²_dz)); SE·√((1 − R²_yz)/(1 − R²_dz)·dof/(dof − 1))."""
    bias = se * math.sqrt(dof) * math.sqrt(r2yz_dx * r2dz_x / (1 - r2dz_x))
    new_se = se * math.sqrt((1 - r2yz_dx) / (1 - r2dz_x)) * math.sqrt(dof / (dof - 1))
    return math.copysign(1.0, estimate) * (abs(estimate) - bias), new_se
