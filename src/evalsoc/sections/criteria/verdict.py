"""The verdict rules: a criterion's level from its findings, combined as `VerdictRules` say."""

from __future__ import annotations

from typing import Any

from evalsoc.sections.criteria.indicator_findings import _quantitative, _rubric, _themes
from evalsoc.sections.criteria.outcome_findings import READING_LEVEL, _capability, _effect
from evalsoc.sections.criteria.wording import RANK, Finding, _lvl, _t
from evalsoc.sections.qualitative.config import (
    INSUFFICIENT_EVIDENCE,
    LEVEL_LABELS,
    VERDICT_LEVELS,
    VerdictRules,
)


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
