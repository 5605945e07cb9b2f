"""One run, two readings: per criterion, what the utility reading says (verdict and its
evidence) against what the impact reading says (counterfactual effects, SROI value), and
whether they agree.

Agreement rule (documented in docs/compare.md): a verdict *satisfaisant* or *remarquable*
is a positive utility reading, *insuffisant* or *fragile* a weak one; an effect whose 95%
interval excludes 0 in the good direction is a favourable impact reading, in the bad
direction an unfavourable one, otherwise "no established effect". Positive utility with a
favourable effect, or a weak verdict with an unfavourable or no established effect, agree;
the other two pairings disagree. A criterion that only one reading can judge is "only_utility"
or "only_impact", neither: "neither"."""

from __future__ import annotations

from typing import Any

from evalsoc.compare.runs import LEVELS, UNJUDGED

POSITIVE = {"satisfaisant", "remarquable"}
WEAK = {"insuffisant", "fragile"}


def _ci(body: dict[str, Any]) -> list[float | None]:
    return [body.get("ci_low"), body.get("ci_high")]


def utility_reading(results: dict[str, Any], criterion: dict[str, Any]) -> dict[str, Any]:
    indicators = results.get("indicators", {})
    evidence: list[dict[str, Any]] = []
    for entry in criterion.get("indicators", []) + criterion.get("evidence", []):
        if entry.get("source") == "effect" or entry.get("source") == "sroi":
            continue
        item: dict[str, Any] = {
            "id": entry["id"],
            "source": entry.get("source"),
            "kind": entry.get("kind"),
            "level": entry.get("level"),
            "used": bool(entry.get("used")),
        }
        body = indicators.get(entry["id"], {}) if entry.get("source") == "indicator" else {}
        if body.get("kind") == "rubric":
            agreement = body.get("agreement") or {}
            item.update(
                median_level=body.get("median_level"),
                n_rated=body.get("n_rated"),
                alpha=agreement.get("alpha"),
                alpha_ci=[agreement.get("ci_low"), agreement.get("ci_high")],
            )
        elif body:
            item.update(
                value=body.get("value"),
                ci=_ci(body),
                n=body.get("n"),
                status=body.get("status"),
                target=body.get("target"),
            )
        if entry.get("source") == "capability":
            item.update(reading=entry.get("reading"), change=_capability_change(results, entry))
        evidence.append(item)
    verdict = criterion.get("verdict")
    return {
        "verdict": verdict,
        "can_judge": verdict in LEVELS,
        "strength": "positive" if verdict in POSITIVE else "weak" if verdict in WEAK else None,
        "evidence": evidence,
    }


def _capability_change(results: dict[str, Any], entry: dict[str, Any]) -> dict[str, Any] | None:
    """The change of the adjusted headcount M0 between the first and last waves (first k)."""
    change = (results.get("capabilities", {}).get(entry["id"]) or {}).get("change") or {}
    for block in change.get("comparisons", []) or []:
        for row in block.get("results", []) if isinstance(block, dict) else []:
            m0 = row.get("M0") or {}
            if m0:
                return {
                    "k": row.get("k"),
                    "from": m0.get("from"),
                    "to": m0.get("to"),
                    "change": m0.get("absolute"),
                    "ci": m0.get("absolute_ci"),
                }
    return None


def sroi_outcomes_for(results: dict[str, Any], criterion: dict[str, Any]) -> list[dict[str, Any]]:
    """SROI outcomes linked to a criterion: cited in its evidence, or whose quantity is an
    effect that the criterion cites."""
    sroi = results.get("sroi") or {}
    cited = {e["id"] for e in criterion.get("evidence", []) if e.get("source") == "sroi"}
    cited_effects = {e["id"] for e in criterion.get("evidence", []) if e.get("source") == "effect"}
    out = []
    for outcome_id, body in sorted((sroi.get("by_outcome") or {}).items()):
        ref = (body.get("quantity_source") or {}).get("ref")
        if outcome_id in cited or (ref is not None and ref in cited_effects):
            out.append(
                {
                    "id": outcome_id,
                    "monetised": True,
                    "present_value": body.get("discounted_value"),
                    "share_of_present_value": body.get("share_of_present_value"),
                    "cause": None,
                }
            )
    for body in sroi.get("non_monetised") or []:
        if body["id"] in cited or criterion.get("_id") in (body.get("criteria") or []):
            out.append(
                {
                    "id": body["id"],
                    "monetised": False,
                    "present_value": None,
                    "share_of_present_value": None,
                    "cause": body.get("cause"),
                }
            )
    return out


def impact_reading(results: dict[str, Any], criterion: dict[str, Any]) -> dict[str, Any]:
    effects_out = []
    readings = []
    for entry in criterion.get("evidence", []):
        if entry.get("source") != "effect":
            continue
        body = (results.get("effects") or {}).get(entry["id"]) or {}
        estimable = bool(body.get("estimable", body.get("estimate") is not None))
        effects_out.append(
            {
                "id": entry["id"],
                "estimate": body.get("estimate"),
                "se": body.get("se"),
                "ci": _ci(body),
                "better": body.get("better"),
                "reading": entry.get("reading") if estimable else None,
                "estimable": estimable,
            }
        )
        if estimable and entry.get("reading"):
            readings.append(entry["reading"])
    sroi = sroi_outcomes_for(results, criterion)
    if "unfavourable" in readings:
        direction = "unfavourable"
    elif "favourable" in readings:
        direction = "favourable"
    elif readings:
        direction = "no_established_effect"
    else:
        direction = None
    monetised = [o for o in sroi if o["monetised"]]
    if not effects_out:
        status = "no_counterfactual"
    elif sroi and not monetised:
        status = "not_monetised"
    elif monetised:
        status = "monetised"
    else:
        status = "effect_only"
    value = sum(o["present_value"] or 0.0 for o in monetised) if monetised else None
    return {
        "can_judge": direction is not None,
        "direction": direction,
        "status": status,
        "effects": effects_out,
        "sroi_outcomes": sroi,
        "sroi_value": value,
    }


def agreement(utility: dict[str, Any], impact: dict[str, Any]) -> str:
    if utility["can_judge"] and impact["can_judge"]:
        good = utility["strength"] == "positive"
        favourable = impact["direction"] == "favourable"
        return "agree" if good == favourable else "disagree"
    if utility["can_judge"]:
        return "only_utility"
    if impact["can_judge"]:
        return "only_impact"
    return "neither"


def two_readings(results: dict[str, Any]) -> dict[str, Any]:
    """Per criterion readings and the summary figures of one run."""
    rows = []
    for crit_id, criterion in results.get("criteria", {}).items():
        criterion = {**criterion, "_id": crit_id}
        utility = utility_reading(results, criterion)
        impact = impact_reading(results, criterion)
        rows.append(
            {
                "criterion": crit_id,
                "dimension": criterion.get("dimension"),
                "label": criterion.get("label") or {"fr": crit_id, "en": crit_id},
                "utility": utility,
                "impact": impact,
                "agreement": agreement(utility, impact),
            }
        )
    return {"criteria": rows, "summary": summary(results, rows)}


def _share(part: float, whole: float) -> float | None:
    return None if not whole else part / whole


def summary(results: dict[str, Any], rows: list[dict[str, Any]]) -> dict[str, Any]:
    n = len(rows)
    sroi = results.get("sroi") or {}
    by_count = (sroi.get("non_monetised_share") or {}).get("by_count") or {}
    with_value = [r for r in rows if r["impact"]["sroi_value"] is not None]
    total_value = sroi.get("present_value") if sroi.get("estimable") else None
    weak_value = sum(
        r["impact"]["sroi_value"] for r in with_value if r["utility"]["strength"] == "weak"
    )
    counts = {k: sum(r["agreement"] == k for r in rows) for k in AGREEMENT_KINDS}
    return {
        "criteria_declared": n,
        "utility_judges": sum(r["utility"]["can_judge"] for r in rows),
        "impact_judges": sum(r["impact"]["can_judge"] for r in rows),
        "share_utility_judges": _share(sum(r["utility"]["can_judge"] for r in rows), n),
        "share_impact_judges": _share(sum(r["impact"]["can_judge"] for r in rows), n),
        "sroi_outcomes": by_count.get("outcomes"),
        "sroi_outcomes_not_monetised": by_count.get("non_monetised"),
        "share_outcomes_not_monetised": by_count.get("share"),
        "criteria_without_sroi_value": n - len(with_value),
        "share_criteria_without_sroi_value": _share(n - len(with_value), n),
        "sroi_present_value": total_value,
        "sroi_value_on_weak_criteria": weak_value if total_value is not None else None,
        "share_sroi_value_on_weak_criteria": (
            _share(weak_value, total_value) if total_value else None
        ),
        "agreement": counts,
        "unjudged_verdict": UNJUDGED,
    }


AGREEMENT_KINDS = ["agree", "disagree", "only_utility", "only_impact", "neither"]
