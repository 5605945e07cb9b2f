"""Findings from indicators: quantitative values against targets, rubric and themes results."""

from __future__ import annotations

import math
from typing import Any

from evalsoc.privacy.cells import reason_text
from evalsoc.sections.common import finite_or_none
from evalsoc.sections.criteria.wording import RANK, RATIO_TOL, Finding, _lvl, _name, _num, _t
from evalsoc.sections.qualitative.config import QuantitativeRule, VerdictRules


def quantitative_level(
    value: float,
    target: float,
    better: str = "higher",
    baseline: float | None = None,
    rule: QuantitativeRule | None = None,
) -> tuple[str, float | None]:
    """(level, ratio): ratio = value/target (target/value when lower is better).

    ratio ≥ remarquable (1.2) → remarquable; ≥ satisfaisant (1.0) → satisfaisant; ≥ fragile
    (0.8) and better than the baseline (if any) → fragile; otherwise insuffisant. When the ratio
    is undefined (target or value ≤ 0), target met → satisfaisant, missed → fragile.
    """
    rule = rule or QuantitativeRule()
    ratio: float | None = None
    if target > 0:
        if better == "higher" and value >= 0:
            ratio = value / target
        elif better == "lower" and value > 0:
            ratio = target / value
        elif better == "lower" and value == 0:
            ratio = math.inf
    if ratio is None:
        met = value >= target if better == "higher" else value <= target
        return ("satisfaisant" if met else "fragile"), None
    # A ratio on a threshold counts as reaching it (0.6/0.4 is 1.4999999999999998 in floats).
    if ratio >= rule.remarquable - RATIO_TOL:
        return "remarquable", ratio
    if ratio >= rule.satisfaisant - RATIO_TOL:
        return "satisfaisant", ratio
    progressed = baseline is None or (value > baseline if better == "higher" else value < baseline)
    if ratio >= rule.fragile - RATIO_TOL and progressed:
        return "fragile", ratio
    return "insuffisant", ratio


def _quantitative(ind: Any, res: dict[str, Any] | None, rules: VerdictRules) -> Finding:
    finding = Finding(ind.id, "indicator", ind.kind)

    def say(fr: str, en: str) -> None:
        name_fr = _name(ind.label, ind.id, "fr")
        name_en = _name(ind.label, ind.id, "en")
        finding.text = _t(f"« {name_fr} » : {fr}", f"“{name_en}”: {en}")

    if res is None:
        say("aucun résultat ; non utilisé.", "no result; not used.")
        return finding
    status = res.get("status")
    if status == "suppressed" or res.get("suppressed"):
        say(
            "masqué (trop peu de personnes) ; non utilisé.",
            "suppressed (too few people); not used.",
        )
        return finding
    value, target = finite_or_none(res.get("value")), finite_or_none(res.get("target", ind.target))
    if status == "not_estimable" or value is None:
        fr, en = (reason_text(res.get("reason"), lang) for lang in ("fr", "en"))
        say(
            f"non estimable{' (' + fr + ')' if fr else ''} ; non utilisé.",
            f"not estimable{' (' + en + ')' if en else ''}; not used.",
        )
        return finding
    kind = res.get("kind", ind.kind)
    v_fr, v_en = _num(value, "fr", kind), _num(value, "en", kind)
    if target is None:
        say(
            f"{v_fr}, sans cible : cité pour information, sans niveau.",
            f"{v_en}, no target: cited for information, no level.",
        )
        return finding
    better = res.get("better") or ind.better
    baseline = finite_or_none(res.get("baseline", ind.baseline))
    level, ratio = quantitative_level(value, target, better, baseline, rules.quantitative)
    finding.level = level
    t_fr, t_en = _num(target, "fr", kind), _num(target, "en", kind)
    if ratio is None or math.isinf(ratio):
        r_fr = r_en = ""
    else:
        r_fr, r_en = f" (rapport {_num(ratio, 'fr')})", f" (ratio {_num(ratio, 'en')})"
    lower_fr = " ; plus bas est mieux" if better == "lower" else ""
    lower_en = "; lower is better" if better == "lower" else ""
    low, high = finite_or_none(res.get("ci_low")), finite_or_none(res.get("ci_high"))
    ci_fr = ci_en = ""
    if low is not None and high is not None and low <= target <= high:
        ci_fr = " ; la cible est dans l'intervalle de confiance à 95 %, le niveau reste incertain"
        ci_en = "; the target lies within the 95% confidence interval, so the level is uncertain"
    base_fr = base_en = ""
    if (
        level == "insuffisant"
        and baseline is not None
        and ratio is not None
        and ratio >= rules.quantitative.fragile
    ):
        base_fr = f", sans progrès sur la valeur de référence {_num(baseline, 'fr', kind)}"
        base_en = f", no progress on the baseline {_num(baseline, 'en', kind)}"
    say(
        f"{v_fr} pour une cible de {t_fr}{r_fr}{lower_fr}{base_fr}{ci_fr} → {_lvl(level, 'fr')}.",
        f"{v_en} against a target of {t_en}{r_en}{lower_en}{base_en}{ci_en} → {_lvl(level, 'en')}.",
    )
    return finding


def _rubric(ind: Any, res: dict[str, Any] | None, rules: VerdictRules) -> Finding:
    finding = Finding(ind.id, "indicator", "rubric")
    name_fr, name_en = _name(ind.label, ind.id, "fr"), _name(ind.label, ind.id, "en")

    def say(fr: str, en: str) -> None:
        finding.text = _t(f"« {name_fr} » : {fr}", f"“{name_en}”: {en}")

    if res is None:
        say("aucun résultat ; non utilisé.", "no result; not used.")
        return finding
    if res.get("suppressed"):
        say(
            "jugements masqués (trop peu d'évaluateurs) ; non utilisés.",
            "judgements suppressed (too few raters); not used.",
        )
        return finding
    key = "median_level" if rules.rubric == "median" else "lower_quartile_level"
    scale_level = res.get(key)
    if scale_level is None:
        say(
            "aucun jugement ne se prononce (preuves insuffisantes) ; non utilisé.",
            "no judgement takes a position (insufficient evidence); not used.",
        )
        return finding
    mapping = {s["id"]: s.get("verdict") for s in res.get("scale", [])}
    finding.level = mapping.get(scale_level) or (scale_level if scale_level in RANK else None)
    if finding.level is None:
        say(
            f"niveau {scale_level} hors de l'échelle des verdicts ; non utilisé.",
            f"level {scale_level} is not on the verdict scale; not used.",
        )
        return finding
    what_fr = "niveau médian" if rules.rubric == "median" else "premier quartile"
    what_en = "median level" if rules.rubric == "median" else "lower quartile"
    n_rated, n_raters = res.get("n_rated"), res.get("n_raters")
    n_insufficient = res.get("n_insufficient") or 0
    out_fr = f", {n_insufficient} « preuves insuffisantes » écartés" if n_insufficient else ""
    out_en = f", {n_insufficient} 'insufficient evidence' set aside" if n_insufficient else ""
    agreement = res.get("agreement") or {}
    alpha = finite_or_none(agreement.get("alpha"))
    if alpha is not None:
        weak = agreement.get("below_min")
        a_fr = f" ; α de Krippendorff = {_num(alpha, 'fr')}" + (
            f" (accord faible, sous {_num(agreement.get('min_alpha'), 'fr')} : à lire avec "
            "prudence)"
            if weak
            else ""
        )
        a_en = f"; Krippendorff's α = {_num(alpha, 'en')}" + (
            f" (weak agreement, below {_num(agreement.get('min_alpha'), 'en')}: read with caution)"
            if weak
            else ""
        )
    else:
        a_fr = " ; accord entre évaluateurs non calculable"
        a_en = "; agreement between raters not computable"
    label_fr = next(
        (s["label"]["fr"] for s in res.get("scale", []) if s["id"] == scale_level), scale_level
    )
    label_en = next(
        (s["label"]["en"] for s in res.get("scale", []) if s["id"] == scale_level), scale_level
    )
    # The privacy rule may hide the number of raters (it would give a hidden count back by
    # subtraction): the sentence then says so rather than printing "None".
    raters_fr = (
        f" de {n_raters} évaluateurs"
        if n_raters is not None
        else " (nombre d'évaluateurs masqué par le secret statistique)"
    )
    raters_en = (
        f" by {n_raters} raters"
        if n_raters is not None
        else " (number of raters hidden by the privacy rule)"
    )
    say(
        f"{what_fr} « {label_fr} » sur {n_rated} jugements{raters_fr}"
        f"{out_fr}{a_fr} → {_lvl(finding.level, 'fr')}.",
        f"{what_en} '{label_en}' over {n_rated} judgements{raters_en}"
        f"{out_en}{a_en} → {_lvl(finding.level, 'en')}.",
    )
    return finding


def _themes(ind: Any, res: dict[str, Any] | None) -> Finding:
    finding = Finding(ind.id, "indicator", "themes")
    name_fr, name_en = _name(ind.label, ind.id, "fr"), _name(ind.label, ind.id, "en")
    if res is None or res.get("suppressed"):
        finding.text = _t(
            f"« {name_fr} » : matériau codé non disponible ou masqué.",
            f"“{name_en}”: coded material unavailable or suppressed.",
        )
        return finding
    freq = res.get("frequency") or {}
    top = sorted(freq.items(), key=lambda kv: (-kv[1]["n_sources"], kv[0]))[:3]
    labels = {c["id"]: c.get("label") or {} for c in res.get("codes", [])}
    top_fr = ", ".join(f"{labels.get(c, {}).get('fr', c)} ({f['n_sources']})" for c, f in top)
    top_en = ", ".join(f"{labels.get(c, {}).get('en', c)} ({f['n_sources']})" for c, f in top)
    finding.text = _t(
        f"« {name_fr} » : {res.get('n_sources')} sources codées ; thèmes les plus fréquents : "
        f"{top_fr}. Cité, sans niveau.",
        f"“{name_en}”: {res.get('n_sources')} coded sources; most frequent themes: {top_en}. "
        "Cited, no level.",
    )
    return finding
