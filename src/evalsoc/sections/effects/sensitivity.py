"""Sensitivity of each effect to hidden confounding: the E-value and, for designs estimated by
OLS, Cinelli & Hazlett's robustness value, in results.json and in one sentence (FR/EN).

The kernels live in evalsoc.stats.sensitivity; this module picks the right scale for a result
(risk ratio for a 0/1 outcome, standardised difference otherwise) and words it.
"""

from __future__ import annotations

from typing import Any

from evalsoc.sections.common import finite_or_none

SKIPPED = ("pre_post",)  # no comparison group: the threat is time, not a confounder


def _risk_ratio_interval(sizes: dict[str, Any], low: Any, high: Any) -> tuple[Any, Any]:
    """Risk ratio p₁/(p₁ − τ) at the interval limits of the risk difference τ (p₁ observed)."""
    p1 = sizes.get("risk_treated")
    if p1 is None or low is None or high is None:
        return None, None
    lo = p1 / (p1 - low) if p1 - low > 0 else None
    hi = p1 / (p1 - high) if p1 - high > 0 else float("inf")
    return lo, hi


def evalue(result: dict[str, Any], binary: bool) -> dict[str, Any] | None:
    """E-value of the estimate and of its interval, on the risk-ratio scale."""
    from evalsoc.stats import sensitivity as kernel

    sizes = result.get("effect_size") or {}
    if sizes.get("suppressed"):
        return None
    low, high = result.get("ci_low"), result.get("ci_high")
    if binary:
        rr = sizes.get("risk_ratio")
        if rr is None:
            return None
        rr_low, rr_high = _risk_ratio_interval(sizes, low, high)
        basis = "risk ratio p₁/p₀ of the 0/1 outcome"
    else:
        d, sd, se = sizes.get("cohens_d"), sizes.get("sd_pooled"), result.get("se")
        if d is None or not sd or se is None:
            return None
        rr, rr_low, rr_high = kernel.smd_risk_ratio(d, se / sd)
        basis = "standardised difference d, RR ≈ exp(0.91·d) (VanderWeele & Ding 2017)"
    ci_evalue = None
    if rr_low is not None and rr_high is not None:
        ci_evalue = kernel.evalue_interval(rr, rr_low, rr_high)
    return {
        "risk_ratio": finite_or_none(rr),
        "risk_ratio_ci": [finite_or_none(rr_low), finite_or_none(rr_high)],
        "evalue": finite_or_none(kernel.evalue_ratio(rr)),
        "evalue_ci": finite_or_none(ci_evalue),
        "basis": basis,
    }


def robustness(ovb: dict[str, Any] | None, level: float) -> dict[str, Any] | None:
    """Partial R² of the treatment and robustness values (q = 1), from the classical OLS t."""
    from evalsoc.stats import sensitivity as kernel

    if not ovb or not ovb.get("dof") or ovb.get("t") is None or ovb["dof"] < 2:
        return None
    t, dof, alpha = float(ovb["t"]), float(ovb["dof"]), 1 - level
    extra = {"bounds": ovb["bounds"]} if ovb.get("bounds") else {}
    return {
        **extra,
        "partial_r2": kernel.partial_r2(t, dof),
        "robustness_value": kernel.robustness_value(t, dof),
        "robustness_value_alpha": kernel.robustness_value(t, dof, alpha=alpha),
        "alpha": alpha,
        "t_classical": t,
        "dof": dof,
    }


def assess(result: dict[str, Any], spec: Any, binary: bool) -> dict[str, Any] | None:
    """The `sensitivity` entry of a result (None for designs without a comparison group)."""
    ovb = result.pop("_ovb", None)
    if spec.design in SKIPPED:
        return None
    out = {"evalue": evalue(result, binary), "robustness": robustness(ovb, spec.level)}
    return out if any(out.values()) else None


PHRASES = {
    "evalue": {
        "fr": " Pour faire disparaître cet effet, un facteur non mesuré devrait avoir, avec la "
        "participation comme avec {outcome}, un lien d'au moins {e} en rapport de risques, "
        "au-delà des caractéristiques prises en compte (E-value).",
        "en": " To explain this effect away, an unmeasured factor would have to be associated "
        "with both taking part and {outcome} by a risk ratio of at least {e} each, beyond the "
        "characteristics taken into account (E-value).",
    },
    "evalue_ci": {
        "fr": " Un rapport de {e} suffirait à rendre l'intervalle compatible avec une absence "
        "d'effet.",
        "en": " A ratio of {e} would be enough for the interval to include no effect.",
    },
    "robustness": {
        "fr": " Dans la régression, ce facteur devrait expliquer au moins {rv} de ce qui reste "
        "inexpliqué de la participation, et autant pour {outcome} (valeur de robustesse de "
        "Cinelli et Hazlett).",
        "en": " In the regression, such a factor would have to explain at least {rv} of the "
        "residual variance of both the programme variable and {outcome} (Cinelli and Hazlett's "
        "robustness value).",
    },
    "bound": {
        "fr": " Un facteur caché aussi fort que « {benchmark} » ramènerait l'estimation à "
        "{value} (intervalle : {low} à {high}).",
        "en": " A hidden factor as strong as “{benchmark}” would bring the estimate to {value} "
        "(interval: {low} to {high}).",
    },
}


def _number(value: float, lang: str) -> str:
    text = f"{value:.3g}"
    return text.replace(".", ",").replace("-", "−") if lang == "fr" else text


def sentence(result: dict[str, Any], outcome: str, lang: str) -> str:
    """The sensitivity sentences appended to the effect's sentence ("" when none applies)."""
    sens = result.get("sensitivity") or {}
    if not result.get("estimable") or not sens:
        return ""
    text = ""
    ev = sens.get("evalue") or {}
    decimal = "," if lang == "fr" else "."
    if ev.get("evalue") is not None:
        e = f"{ev['evalue']:.2f}".replace(".", decimal)
        text += PHRASES["evalue"][lang].format(outcome=outcome, e=e)
        if ev.get("evalue_ci") is not None and ev["evalue_ci"] > 1:
            e_ci = f"{ev['evalue_ci']:.2f}".replace(".", decimal)
            text += PHRASES["evalue_ci"][lang].format(e=e_ci)
    rob = sens.get("robustness") or {}
    if rob.get("robustness_value") is not None:
        rv = f"{100 * rob['robustness_value']:.1f}".replace(".", decimal)
        rv += " %" if lang == "fr" else "%"
        text += PHRASES["robustness"][lang].format(outcome=outcome, rv=rv)
    for bound in rob.get("bounds") or []:
        if bound["multiple"] == 1:
            low, high = bound["adjusted_ci"]
            text += PHRASES["bound"][lang].format(
                benchmark=bound["benchmark"],
                value=_number(bound["adjusted_estimate"], lang),
                low=_number(low, lang),
                high=_number(high, lang),
            )
    return text
