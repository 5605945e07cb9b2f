"""The written reading, in French and English, stating only what the figures support."""

from __future__ import annotations

from typing import Any

from evalsoc.text.format import fmt_percent


def _pct(x: float | None, lang: str) -> str:
    return fmt_percent(x, lang, 0)


def run_reading(summary: dict[str, Any]) -> dict[str, str]:
    """A short paragraph from one run's summary figures."""
    n = summary["criteria_declared"]
    out = {}
    for lang in ("fr", "en"):
        agree = summary["agreement"]
        if lang == "fr":
            parts = [
                f"Sur {n} critères déclarés, la lecture d'utilité sociale en apprécie "
                f"{summary['utility_judges']} ({_pct(summary['share_utility_judges'], lang)}) et "
                f"la lecture d'impact {summary['impact_judges']} "
                f"({_pct(summary['share_impact_judges'], lang)}), faute d'effet contrefactuel "
                "estimé pour les autres."
            ]
            if summary["sroi_outcomes"]:
                parts.append(
                    f"Le SROI laisse sans valeur monétaire {summary['sroi_outcomes_not_monetised']}"
                    f" de ses {summary['sroi_outcomes']} résultats "
                    f"({_pct(summary['share_outcomes_not_monetised'], lang)}) et "
                    f"{summary['criteria_without_sroi_value']} des {n} critères "
                    f"({_pct(summary['share_criteria_without_sroi_value'], lang)})."
                )
            if summary["share_sroi_value_on_weak_criteria"] is not None:
                parts.append(
                    f"{_pct(summary['share_sroi_value_on_weak_criteria'], lang)} de la valeur du "
                    "SROI vient de résultats que la lecture d'utilité juge insuffisants ou fragiles."
                )
            parts.append(
                f"Là où les deux lectures se prononcent, elles concordent sur {agree['agree']} "
                f"critère(s) et divergent sur {agree['disagree']}."
            )
        else:
            parts = [
                f"Of {n} declared criteria, the social utility reading judges "
                f"{summary['utility_judges']} ({_pct(summary['share_utility_judges'], lang)}) and "
                f"the impact reading {summary['impact_judges']} "
                f"({_pct(summary['share_impact_judges'], lang)}), for lack of an estimated "
                "counterfactual effect on the others."
            ]
            if summary["sroi_outcomes"]:
                parts.append(
                    f"The SROI puts no money value on {summary['sroi_outcomes_not_monetised']} of "
                    f"its {summary['sroi_outcomes']} outcomes "
                    f"({_pct(summary['share_outcomes_not_monetised'], lang)}) and on "
                    f"{summary['criteria_without_sroi_value']} of the {n} criteria "
                    f"({_pct(summary['share_criteria_without_sroi_value'], lang)})."
                )
            if summary["share_sroi_value_on_weak_criteria"] is not None:
                parts.append(
                    f"{_pct(summary['share_sroi_value_on_weak_criteria'], lang)} of the SROI value "
                    "comes from outcomes that the utility reading judges insufficient or fragile."
                )
            parts.append(
                f"Where both readings can judge, they agree on {agree['agree']} criterion(s) and "
                f"disagree on {agree['disagree']}."
            )
        out[lang] = " ".join(parts)
    return out


def comparison_reading(result: dict[str, Any]) -> dict[str, str]:
    """A short paragraph on the comparison across runs."""
    changes = [c for ind in result["indicators"] for c in ind["changes"]]
    tested = [c for c in changes if c.get("exceeds_uncertainty") is not None]
    beyond = [c for c in tested if c["exceeds_uncertainty"]]
    flagged = [c for c in changes if c.get("definition_changed")]
    pooled = [p for p in result["pooled_effects"] if p["methods"]["reml"].get("estimable")]
    agreement = (result.get("rankings") or {}).get("agreement") or {}
    out = {}
    for lang in ("fr", "en"):
        if lang == "fr":
            parts = [
                f"{len(result['runs'])} exécutions comparées, {len(result['indicators'])} "
                f"indicateurs en commun. Sur {len(tested)} évolutions testables, {len(beyond)} "
                "dépassent l'incertitude (p < 0,05)."
            ]
            if flagged:
                parts.append(
                    f"{len(flagged)} évolution(s) ne sont pas comparées : la définition de "
                    "l'indicateur a changé entre les périodes."
                )
            if pooled:
                parts.append(
                    f"{len(pooled)} effet(s) estimé(s) dans plusieurs sites sont regroupés par "
                    "méta-analyse à effets aléatoires (REML)."
                )
            if agreement.get("estimable"):
                parts.append(
                    "Accord entre les classements des deux lectures : τ-b de Kendall = "
                    f"{agreement['kendall_tau_b']:.2f}".replace(".", ",")
                    + f" sur {agreement['n']} exécutions."
                )
        else:
            parts = [
                f"{len(result['runs'])} runs compared, {len(result['indicators'])} indicators in "
                f"common. Of {len(tested)} testable changes, {len(beyond)} exceed the uncertainty "
                "(p < 0.05)."
            ]
            if flagged:
                parts.append(
                    f"{len(flagged)} change(s) are not compared: the indicator's definition "
                    "changed between periods."
                )
            if pooled:
                parts.append(
                    f"{len(pooled)} effect(s) estimated in several sites are pooled by "
                    "random-effects meta-analysis (REML)."
                )
            if agreement.get("estimable"):
                parts.append(
                    "Agreement between the two readings' rankings: Kendall's τ-b = "
                    f"{agreement['kendall_tau_b']:.2f} over {agreement['n']} runs."
                )
        out[lang] = " ".join(parts)
    return out
