"""Verdict per criterion and synthesis per dimension (a profile; optionally a weighted score).

The section's entry point (`compute`, named in sections/registry.py). Each criterion gets a
level on the verdict scale (insuffisant < fragile < satisfaisant < remarquable) from its
indicators and cited evidence, by declared or default `VerdictRules` (verdict.py), from
findings read per kind of evidence (indicator_findings.py, outcome_findings.py) and written out
in French and English (wording.py). A criterion without usable evidence gets
`preuves_insuffisantes` and stays in the grid. The synthesis (synthesis.py) is the profile of
verdicts; a weighted score only when weights are declared, with its sensitivity to the weights
(weights.py).
"""

from __future__ import annotations

from typing import Any

from evalsoc.framework.base import label_pair
from evalsoc.sections.common import jsonable
from evalsoc.sections.criteria.synthesis import _synthesis
from evalsoc.sections.criteria.verdict import judge_criterion
from evalsoc.sections.qualitative.config import INSUFFICIENT_EVIDENCE, VERDICT_LEVELS, VerdictRules


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
            out["label"] = label_pair(crit.label, crit.id)
            out["question"] = label_pair(crit.question, "") if crit.question else None
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
            "label": label_pair(dim.label, dim.id),
            "profile": profile,
            "counts": counts,
            "score": None,
            "rank": None,
            "rank_stability": None,
        }
    synthesis = _synthesis(framework, criteria, dimensions, ctx)
    return jsonable({"criteria": criteria, "dimensions": dimensions, "synthesis": synthesis})
