"""Verdict per criterion and synthesis per dimension (a profile; optionally a weighted score).

Each criterion gets a level on the verdict scale (insuffisant < fragile < satisfaisant <
remarquable) from its indicators and cited evidence, by declared or default `VerdictRules`, with
the reasoning written out in French and English. A criterion without usable evidence gets
`preuves_insuffisantes` and stays in the grid. The default synthesis is the profile of verdicts;
a weighted score is computed only when weights are declared (or `synthesis.score: true`), with
its sensitivity to the weights under seeded Dirichlet draws around them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from evalsoc.framework.base import label_text
from evalsoc.sections.common import finite_or_none, jsonable
from evalsoc.sections.qualitative.config import (
    INSUFFICIENT_EVIDENCE,
    LEVEL_LABELS,
    VERDICT_LEVELS,
    QuantitativeRule,
    SynthesisSpec,
    VerdictRules,
)

RANK = {level: i for i, level in enumerate(VERDICT_LEVELS)}
PERCENT_KINDS = ("proportion", "share")
RATIO_TOL = 1e-9


@dataclass
class Finding:
    """What one indicator or piece of evidence says about a criterion."""

    id: str
    source: str  # indicator | effect | capability | sroi | unknown
    kind: str | None
    level: str | None = None  # the level it gives, if any
    cap: str | None = None  # the highest level it allows, if any
    reading: str | None = None  # effects/capabilities: favourable, inconclusive, unfavourable
    mode: str | None = None  # how the reading weighs: cite, cap or level
    text: dict[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "source": self.source,
            "kind": self.kind,
            "level": self.level,
            "cap": self.cap,
            "reading": self.reading,
            "used": self.level is not None or self.cap is not None,
            "rationale": self.text,
        }


def _t(fr: str, en: str) -> dict[str, str]:
    return {"fr": fr, "en": en}


def _lvl(level: str | None, lang: str) -> str:
    return LEVEL_LABELS.get(level or "", {}).get(lang, level or "—").lower()


def _num(value: Any, lang: str, kind: str | None = None) -> str:
    from evalsoc.text.format import fmt_number, fmt_percent

    if value is None:
        return "—"
    if kind in PERCENT_KINDS:
        return fmt_percent(value, lang, 1)
    magnitude = abs(float(value))
    digits = 0 if magnitude >= 100 else 2 if magnitude >= 1 or magnitude == 0 else 3
    return fmt_number(value, lang, digits)


def _name(label: Any, item_id: str, lang: str) -> str:
    if isinstance(label, dict):
        return label.get(lang) or label.get("fr") or label.get("en") or item_id
    return label_text(label, lang, item_id) if label is not None else item_id


# --- quantitative rule ----------------------------------------------------------------------


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
        reason = res.get("reason") or ""
        say(
            f"non estimable{' (' + reason + ')' if reason else ''} ; non utilisé.",
            f"not estimable{' (' + reason + ')' if reason else ''}; not used.",
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


# --- qualitative indicators -----------------------------------------------------------------


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
    say(
        f"{what_fr} « {label_fr} » sur {n_rated} jugements de {n_raters} évaluateurs"
        f"{out_fr}{a_fr} → {_lvl(finding.level, 'fr')}.",
        f"{what_en} '{label_en}' over {n_rated} judgements by {n_raters} raters"
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


# --- effects and capabilities ---------------------------------------------------------------


def effect_reading(
    estimate: float,
    ci_low: float | None,
    ci_high: float | None,
    p_value: float | None,
    better: str,
    significance: float,
) -> str:
    """favourable / unfavourable (the CI excludes 0, or p < significance without a CI) or
    inconclusive."""
    sign = 1.0 if better == "higher" else -1.0
    if ci_low is not None and ci_high is not None:
        conclusive = ci_low > 0 or ci_high < 0
    elif p_value is not None:
        conclusive = p_value < significance
    else:
        conclusive = False
    if not conclusive or estimate == 0:
        return "inconclusive"
    return "favourable" if sign * estimate > 0 else "unfavourable"


READING_LEVEL = {
    "favourable": "satisfaisant",
    "inconclusive": "fragile",
    "unfavourable": "insuffisant",
}
READING_CAP = {"favourable": None, "inconclusive": "satisfaisant", "unfavourable": "fragile"}
READING_TEXT = {
    "favourable": _t("effet favorable établi", "favourable effect established"),
    "inconclusive": _t(
        "effet non établi (l'intervalle contient 0)",
        "effect not established (the interval contains 0)",
    ),
    "unfavourable": _t("effet défavorable établi", "unfavourable effect established"),
}


def _interval_words(low: Any, high: Any) -> tuple[str, str]:
    """' (IC 95 % a à b)' and ' (95% CI a to b)', or empty strings without an interval."""
    if low is None:
        return "", ""
    return (
        f" (IC 95 % {_num(low, 'fr')} à {_num(high, 'fr')})",
        f" (95% CI {_num(low, 'en')} to {_num(high, 'en')})",
    )


def _weigh(finding: Finding, reading: str, mode: str) -> tuple[str, str]:
    """Set the finding's level/cap by the rule mode; return the FR/EN consequence."""
    finding.reading, finding.mode = reading, mode
    if mode == "level":
        finding.level = READING_LEVEL[reading]
        return (f"→ {_lvl(finding.level, 'fr')}", f"→ {_lvl(finding.level, 'en')}")
    if mode == "cap":
        # With no indicator level, capping evidence is read as a level (see _conclude).
        finding.cap = READING_CAP[reading]
        if finding.cap:
            return (
                f"plafonne le verdict à {_lvl(finding.cap, 'fr')}",
                f"caps the verdict at {_lvl(finding.cap, 'en')}",
            )
        return ("conforte le verdict", "supports the verdict")
    return ("cité, sans effet sur le verdict", "cited, no bearing on the verdict")


def _effect(eid: str, res: dict[str, Any], rules: VerdictRules, label: Any) -> Finding:
    finding = Finding(eid, "effect", res.get("design"))
    name_fr, name_en = _name(label, eid, "fr"), _name(label, eid, "en")
    estimate = finite_or_none(res.get("estimate"))
    if res.get("estimable") is False or estimate is None:
        reason = res.get("reason") or ""
        finding.text = _t(
            f"Effet « {name_fr} » : non estimable{' (' + reason + ')' if reason else ''}.",
            f"Effect “{name_en}”: not estimable{' (' + reason + ')' if reason else ''}.",
        )
        return finding
    low, high = finite_or_none(res.get("ci_low")), finite_or_none(res.get("ci_high"))
    better = rules.better.get(eid) or res.get("better") or "higher"
    reading = effect_reading(
        estimate, low, high, finite_or_none(res.get("p_value")), better, rules.significance
    )
    fr_then, en_then = _weigh(finding, reading, rules.effects)
    ci_fr, ci_en = _interval_words(low, high)
    finding.text = _t(
        f"Effet « {name_fr} » : {_num(estimate, 'fr')}{ci_fr}, {READING_TEXT[reading]['fr']} ; "
        f"{fr_then}.",
        f"Effect “{name_en}”: {_num(estimate, 'en')}{ci_en}, {READING_TEXT[reading]['en']}; "
        f"{en_then}.",
    )
    return finding


def capability_change(res: dict[str, Any]) -> tuple[float, float | None, float | None] | None:
    """(change in M0, ci_low, ci_high) at the first k from a capability result's `change`.

    Reads `change.comparisons` (first wave → last wave when there are several, else the first
    comparison; `results[0].M0` with `absolute` and `absolute_ci`), or simpler shapes with an
    `M0` entry or an `absolute`/`estimate` and a CI or SE.
    """
    change = res.get("change")
    if isinstance(change, dict) and isinstance(change.get("comparisons"), list):
        shown = [c for c in change["comparisons"] if isinstance(c, dict) and c.get("results")]
        waves = [w.get("wave") for w in change.get("waves") or [] if isinstance(w, dict)]
        span = [
            c for c in shown if waves and c.get("from") == waves[0] and c.get("to") == waves[-1]
        ]
        chosen = (span or shown)[:1]
        change = [chosen[0]["results"][0]] if chosen else None
    candidates = change if isinstance(change, list) else [change]
    for item in candidates:
        if not isinstance(item, dict):
            continue
        src = item.get("M0") if isinstance(item.get("M0"), dict) else item
        estimate = next(
            (
                finite_or_none(src[k])
                for k in ("absolute", "difference", "delta", "estimate", "change")
                if finite_or_none(src.get(k)) is not None
            ),
            None,
        )
        if estimate is None:
            continue
        low, high = finite_or_none(src.get("ci_low")), finite_or_none(src.get("ci_high"))
        ci = src.get("ci") or src.get("absolute_ci")
        if low is None and isinstance(ci, (list, tuple)) and len(ci) == 2:
            low, high = finite_or_none(ci[0]), finite_or_none(ci[1])
        se = finite_or_none(src.get("se") or src.get("absolute_se"))
        if low is None and se is not None:
            low, high = estimate - 1.959964 * se, estimate + 1.959964 * se
        return estimate, low, high
    return None


def _capability(cid: str, res: dict[str, Any], rules: VerdictRules, label: Any) -> Finding:
    finding = Finding(cid, "capability", "alkire_foster")
    name_fr, name_en = _name(label, cid, "fr"), _name(label, cid, "en")
    head_fr = head_en = ""
    first = (res.get("results") or [None])[0]
    if isinstance(first, dict) and finite_or_none(first.get("M0")) is not None:
        k = first.get("k")
        head_fr = (
            f"M0 = {_num(first['M0'], 'fr')}, H = {_num(first.get('H'), 'fr', 'share')} à k = {k}"
        )
        head_en = (
            f"M0 = {_num(first['M0'], 'en')}, H = {_num(first.get('H'), 'en', 'share')} at k = {k}"
        )
    change = capability_change(res)
    if change is None:
        finding.text = _t(
            f"Pouvoir d'agir « {name_fr} » : {head_fr or 'pas de mesure'} ; sans évolution "
            "mesurée, cité sans niveau.",
            f"Capability set “{name_en}”: {head_en or 'no measure'}; no measured change, "
            "cited without a level.",
        )
        return finding
    estimate, low, high = change
    # M0 counts deprivation: a fall is favourable unless declared otherwise.
    better = rules.better.get(cid, "lower")
    reading = effect_reading(estimate, low, high, None, better, rules.significance)
    fr_then, en_then = _weigh(finding, reading, rules.capabilities)
    words = {
        "favourable": _t("évolution favorable établie", "favourable change established"),
        "inconclusive": _t("évolution non établie", "change not established"),
        "unfavourable": _t("évolution défavorable établie", "unfavourable change established"),
    }[reading]
    ci_fr, ci_en = _interval_words(low, high)
    finding.text = _t(
        f"Pouvoir d'agir « {name_fr} » : {head_fr + ' ; ' if head_fr else ''}variation de M0 "
        f"{_num(estimate, 'fr')}{ci_fr}, {words['fr']} ; {fr_then}.",
        f"Capability set “{name_en}”: {head_en + '; ' if head_en else ''}change in M0 "
        f"{_num(estimate, 'en')}{ci_en}, {words['en']}; {en_then}.",
    )
    return finding


# --- one criterion --------------------------------------------------------------------------


def combine_levels(levels: list[str], how: str) -> str | None:
    """Median (the lower median, a prudent choice), min (= worst) or max of verdict levels."""
    if not levels:
        return None
    ranks = sorted(RANK[level] for level in levels)
    if how in ("min", "worst"):
        return VERDICT_LEVELS[ranks[0]]
    if how == "max":
        return VERDICT_LEVELS[ranks[-1]]
    return VERDICT_LEVELS[ranks[(len(ranks) - 1) // 2]]


def judge_criterion(
    criterion: Any, rules: VerdictRules, results: dict[str, Any], labels: dict[str, Any]
) -> dict[str, Any]:
    """The verdict of one criterion with its rationale, from indicators and cited evidence."""
    indicators_res = results.get("indicators") or {}
    effects_res = results.get("effects") or {}
    capabilities_res = results.get("capabilities") or {}
    sroi_res = results.get("sroi") or {}
    sroi_monetised = set((sroi_res.get("by_outcome") or {}).keys())
    sroi_not = {
        item.get("id") for item in sroi_res.get("non_monetised") or [] if isinstance(item, dict)
    }
    findings: list[Finding] = []
    for ind in criterion.indicators:
        res = indicators_res.get(ind.id)
        if ind.kind == "rubric":
            findings.append(_rubric(ind, res, rules))
        elif ind.kind == "themes":
            findings.append(_themes(ind, res))
        else:
            findings.append(_quantitative(ind, res, rules))
    evidence: list[Finding] = []
    for eid in criterion.evidence:
        if eid in effects_res:
            evidence.append(_effect(eid, effects_res[eid], rules, labels.get(eid)))
        elif eid in capabilities_res:
            evidence.append(_capability(eid, capabilities_res[eid], rules, labels.get(eid)))
        elif eid in indicators_res and eid in labels.get("_indicators", {}):
            spec = labels["_indicators"][eid]
            finding = _quantitative(spec, indicators_res[eid], rules)
            finding.source = "indicator"
            evidence.append(finding)
        elif eid in sroi_monetised or eid in sroi_not:
            valued = eid in sroi_monetised
            evidence.append(
                Finding(
                    eid,
                    "sroi",
                    None,
                    text=_t(
                        f"« {eid} » : résultat "
                        + ("valorisé dans le SROI" if valued else "non monétisé du SROI")
                        + " ; il ne fixe pas le niveau du critère.",
                        f"“{eid}”: an SROI outcome "
                        + ("valued in money" if valued else "not monetised")
                        + "; it does not set the criterion's level.",
                    ),
                )
            )
        else:
            evidence.append(
                Finding(
                    eid,
                    "unknown",
                    None,
                    text=_t(
                        f"« {eid} » : cité mais introuvable parmi les effets et le pouvoir d'agir "
                        "calculés ; non utilisé.",
                        f"“{eid}”: cited but not found among the computed effects and capability "
                        "sets; not used.",
                    ),
                )
            )
    verdict, summary = _conclude(findings + evidence, rules)
    return {
        "verdict": verdict,
        "verdict_label": dict(LEVEL_LABELS[verdict]),
        "rationale": {
            lang: " ".join([summary[lang]] + [f.text[lang] for f in findings + evidence])
            for lang in ("fr", "en")
        },
        "summary": summary,
        "indicators": [f.as_dict() for f in findings],
        "evidence": [f.as_dict() for f in evidence],
        "rules": rules.model_dump(mode="json"),
    }


def _conclude(findings: list[Finding], rules: VerdictRules) -> tuple[str, dict[str, str]]:
    levels = [f.level for f in findings if f.level]
    caps = [f for f in findings if f.cap]
    read_as_levels = False
    if not levels:
        # No indicator gives a level: capping evidence (effects, capability change) is read
        # as a level of its own rather than left unused.
        levels = [READING_LEVEL[f.reading] for f in findings if f.mode == "cap" and f.reading]
        caps, read_as_levels = [], bool(levels)
    combined = combine_levels(levels, rules.combine)
    if combined is None:
        if findings:
            return INSUFFICIENT_EVIDENCE, _t(
                "Verdict : preuves insuffisantes — aucun élément cité ne permet de se prononcer.",
                "Verdict: insufficient evidence — none of the evidence cited supports a level.",
            )
        return INSUFFICIENT_EVIDENCE, _t(
            "Verdict : preuves insuffisantes — aucun indicateur ni aucune preuve n'est rattaché "
            "à ce critère.",
            "Verdict: insufficient evidence — no indicator or evidence is attached to this "
            "criterion.",
        )
    how = {
        "median": _t("médiane", "median"),
        "min": _t("minimum", "minimum"),
        "worst": _t("minimum", "minimum"),
        "max": _t("maximum", "maximum"),
    }[rules.combine]
    listed = {lang: ", ".join(_lvl(level, lang) for level in levels) for lang in ("fr", "en")}
    if len(levels) == 1:
        fr = f"Verdict : {_lvl(combined, 'fr')} (un seul élément donne un niveau)"
        en = f"Verdict: {_lvl(combined, 'en')} (a single piece of evidence gives a level)"
    else:
        fr = (
            f"Verdict : {_lvl(combined, 'fr')} ({how['fr']} de {len(levels)} niveaux : "
            f"{listed['fr']})"
        )
        en = (
            f"Verdict: {_lvl(combined, 'en')} ({how['en']} of {len(levels)} levels: {listed['en']})"
        )
    if read_as_levels:
        fr += " ; sans indicateur, les effets cités valent niveau"
        en += "; with no indicator, the cited effects count as levels"
    verdict = combined
    binding = [f for f in caps if RANK[f.cap] < RANK[verdict]]
    if binding:
        lowest = min(binding, key=lambda f: RANK[f.cap])
        verdict = lowest.cap
        fr += f", ramené à {_lvl(verdict, 'fr')} par « {lowest.id} »"
        en += f", brought down to {_lvl(verdict, 'en')} by “{lowest.id}”"
    return verdict, _t(fr + ".", en + ".")


# --- synthesis ------------------------------------------------------------------------------


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
) -> dict[str, Any]:
    """Weighted scores and their stability under Dirichlet draws around the declared weights.

    `points[d]` and `weights[d]` hold the usable criteria of dimension d (verdict given, weight
    > 0); dimensions with none are left out by the caller. Criterion weights are redrawn within
    each dimension from Dirichlet(concentration × w), dimension weights likewise. Returns base
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

    drawn_w = [dirichlet(w) for w in w_norm]
    drawn_big = dirichlet(big_w)
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


def _wants_score(framework: Any, spec: SynthesisSpec | None) -> bool:
    if spec is not None and spec.score is not None:
        return spec.score
    return any(d.weight is not None for d in framework.dimensions) or any(
        c.weight is not None for d in framework.dimensions for c in d.criteria
    )


def _synthesis(
    framework: Any, criteria: dict[str, Any], dimensions: dict[str, Any], ctx: Any
) -> dict[str, Any]:
    spec = framework.synthesis or SynthesisSpec()
    if not _wants_score(framework, framework.synthesis):
        return {"mode": "profile"}
    points_of = spec.points
    bands = np.array([points_of[level] for level in VERDICT_LEVELS])
    seed = spec.seed if spec.seed is not None else ctx.seed
    used_dims, pts, wts, dim_w, used_crits = [], [], [], [], []
    for dim in framework.dimensions:
        usable = [
            c
            for c in dim.criteria
            if criteria[c.id]["verdict"] in RANK and (c.weight is None or c.weight > 0)
        ]
        dim_weight = 1.0 if dim.weight is None else dim.weight
        if not usable or dim_weight <= 0:
            dimensions[dim.id]["score_reason"] = (
                "no criterion with a verdict" if not usable else "weight 0"
            )
            continue
        used_dims.append(dim.id)
        used_crits.append([c.id for c in usable])
        pts.append(np.array([points_of[criteria[c.id]["verdict"]] for c in usable]))
        wts.append(np.array([1.0 if c.weight is None else c.weight for c in usable]))
        dim_w.append(dim_weight)
    out: dict[str, Any] = {
        "mode": "weighted",
        "draws": spec.draws,
        "concentration": spec.concentration,
        "seed": seed,
        "points": dict(points_of),
        "robust_share": spec.robust_share,
    }
    if not used_dims:
        out.update(score=None, reason="no criterion has a verdict to score")
        return out
    rng = np.random.default_rng(seed)
    s = weight_sensitivity(
        pts,
        wts,
        np.array(dim_w),
        draws=spec.draws,
        concentration=spec.concentration,
        rng=rng,
        bands=bands,
    )
    for d, dim_id in enumerate(used_dims):
        dimensions[dim_id].update(
            score=float(s["scores"][d]),
            weight=float(s["dimension_weights"][d]),
            band=VERDICT_LEVELS[int(s["dimension_band"][d])],
            band_stability=float(s["dimension_band_stability"][d]),
            rank=int(s["dimension_rank"][d]),
            rank_stability=float(s["dimension_rank_stability"][d]),
        )
    flat = [c for crits in used_crits for c in crits]
    for d, crits in enumerate(used_crits):
        for j, cid in enumerate(crits):
            criteria[cid]["weight"] = float(s["criterion_weights"][d][j])
    for i, cid in enumerate(flat):
        criteria[cid].update(
            contribution=float(s["criterion_contribution"][i]),
            rank=int(s["criterion_rank"][i]),
            rank_stability=float(s["criterion_rank_stability"][i]),
        )
    band = VERDICT_LEVELS[s["overall_band"]]
    out.update(score=s["overall"], band=band, interval_90=s["overall_interval"])
    conclusions = [
        {
            "id": "overall_band",
            "text": _t(
                f"Le score global ({_num(s['overall'], 'fr')}) correspond au niveau "
                f"{_lvl(band, 'fr')}.",
                f"The overall score ({_num(s['overall'], 'en')}) reads as {_lvl(band, 'en')}.",
            ),
            "stable_share": s["overall_band_stability"],
        }
    ]
    names = {
        d.id: (label_text(d.label, "fr", d.id), label_text(d.label, "en", d.id))
        for d in framework.dimensions
    }
    if s["top_dimension_stability"] is not None:
        top = used_dims[int(np.argmin(s["dimension_rank"]))]
        conclusions.append(
            {
                "id": f"top:{top}",
                "text": _t(
                    f"« {names[top][0]} » est la dimension la mieux notée.",
                    f"“{names[top][1]}” is the highest-scoring dimension.",
                ),
                "stable_share": s["top_dimension_stability"],
            }
        )
    for d, dim_id in enumerate(used_dims):
        level = VERDICT_LEVELS[int(s["dimension_band"][d])]
        conclusions.append(
            {
                "id": f"band:{dim_id}",
                "text": _t(
                    f"« {names[dim_id][0]} » se situe au niveau {_lvl(level, 'fr')}.",
                    f"“{names[dim_id][1]}” stands at {_lvl(level, 'en')}.",
                ),
                "stable_share": float(s["dimension_band_stability"][d]),
            }
        )
        conclusions.append(
            {
                "id": f"rank:{dim_id}",
                "text": _t(
                    f"« {names[dim_id][0]} » est au rang {int(s['dimension_rank'][d])}.",
                    f"“{names[dim_id][1]}” ranks {int(s['dimension_rank'][d])}.",
                ),
                "stable_share": float(s["dimension_rank_stability"][d]),
            }
        )
    for c in conclusions:
        c["robust"] = c["stable_share"] >= spec.robust_share
    out["conclusions"] = conclusions
    out["changed"] = [c["id"] for c in conclusions if not c["robust"]]
    return out


# --- section entry point --------------------------------------------------------------------


def compute(framework: Any, ctx: Any) -> dict[str, Any]:
    """`criteria` (verdict, rationale, indicators, evidence per criterion), `dimensions`
    (profile, and score/rank_stability when weighted) and `synthesis`."""
    spec = framework.synthesis
    default_rules = (
        spec.verdict if spec is not None and spec.verdict is not None else VerdictRules()
    )
    labels: dict[str, Any] = {e.id: e.label for e in framework.effects}
    labels.update({c.id: c.label for c in framework.capabilities})
    labels["_indicators"] = {i.id: i for _, _, i in framework.all_indicators()}
    criteria: dict[str, Any] = {}
    dimensions: dict[str, Any] = {}
    for dim in framework.dimensions:
        profile = []
        for crit in dim.criteria:
            out = judge_criterion(crit, crit.verdict or default_rules, ctx.results, labels)
            out["dimension"] = dim.id
            out["label"] = _label_pair(crit.label, crit.id)
            out["question"] = _label_pair(crit.question, "") if crit.question else None
            criteria[crit.id] = out
            profile.append({"criterion": crit.id, "label": out["label"], "verdict": out["verdict"]})
            if out["verdict"] == INSUFFICIENT_EVIDENCE:
                ctx.warn("criteria", crit.id, dict(out["summary"]))
            for item in out["evidence"]:
                if item["source"] == "unknown":
                    ctx.warn(
                        "criteria",
                        crit.id,
                        {
                            "fr": f"l'élément de preuve « {item['id']} » est cité mais n'a pas "
                            "été calculé",
                            "en": f"evidence {item['id']!r} is cited but was not computed",
                        },
                    )
        counts = {level: 0 for level in (*VERDICT_LEVELS, INSUFFICIENT_EVIDENCE)}
        for item in profile:
            counts[item["verdict"]] += 1
        dimensions[dim.id] = {
            "label": _label_pair(dim.label, dim.id),
            "profile": profile,
            "counts": counts,
            "score": None,
            "rank": None,
            "rank_stability": None,
        }
    synthesis = _synthesis(framework, criteria, dimensions, ctx)
    return jsonable({"criteria": criteria, "dimensions": dimensions, "synthesis": synthesis})


def _label_pair(label: Any, default: str) -> dict[str, str]:
    return {"fr": label_text(label, "fr", default), "en": label_text(label, "en", default)}
