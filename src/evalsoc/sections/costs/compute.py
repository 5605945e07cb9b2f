"""Costs: the adapter from `costs:` and earlier results (resources, indicators, effects) to the
ratios of `ratio.py`, under `results["costs"]`."""

from __future__ import annotations

from typing import Any

from evalsoc.errors import FrameworkError, either
from evalsoc.framework.base import label_pair
from evalsoc.problems import problem
from evalsoc.sections.costs.ratio import compare, cost_per_additional

COUNT_KINDS = ("count", "proportion", "share")

READING = {
    "lower": {"fr": "moins coûteux que la référence", "en": "less costly than the reference"},
    "higher": {"fr": "plus coûteux que la référence", "en": "more costly than the reference"},
    "equal": {"fr": "au même coût que la référence", "en": "at the reference's cost"},
    "within": {
        "fr": "la référence est dans l'intervalle du coût : pas de différence établie",
        "en": "the reference lies within the cost's interval: no difference established",
    },
}


def cost_base(spec: Any, results: dict[str, Any]) -> dict[str, Any]:
    """The cost divided by every ratio: declared, or the resources section's total."""
    base = spec.cost
    if base.amount is not None:
        source = label_pair(base.source, "") if base.source is not None else None
        return {"amount": base.amount, "origin": "declared", "source": source}
    resources = results.get("resources") or {}
    totals = [t for t in resources.get("by_year") or [] if t["basis"] == base.resources]
    if base.year is not None:
        totals = [t for t in totals if t["year"] == base.year]
    if not totals:
        year = (
            either(f" pour {base.year}", f" for {base.year}")
            if base.year is not None
            else either("", "")
        )
        raise FrameworkError(
            "costs_need_resources", at="costs.cost", basis=base.resources, year=year
        )
    chosen = totals[-1]
    amount = chosen["total"] if base.include_reciprocity else chosen["total_monetary"]
    return {
        "amount": amount,
        "origin": "resources",
        "basis": base.resources,
        "year": chosen["year"],
        "include_reciprocity": base.include_reciprocity,
        "source": None,
    }


def indicator_ratio(ratio: Any, cost: float, indicators: dict[str, Any]) -> dict[str, Any]:
    found = indicators.get(ratio.indicator)
    if found is None:
        raise FrameworkError(
            "cost_ratio_unknown_indicator", ratio=repr(ratio.id), indicator=repr(ratio.indicator)
        )
    kind = found.get("kind")
    if kind not in COUNT_KINDS:
        raise FrameworkError(
            "cost_ratio_not_count",
            ratio=repr(ratio.id),
            indicator=repr(ratio.indicator),
            kind=kind,
        )
    if found.get("suppressed"):
        return _not_estimable("cost_indicator_suppressed", indicator=ratio.indicator)
    count = found.get("value") if kind == "count" else found.get("count")
    if count is None:
        return _not_estimable("cost_indicator_no_count", indicator=ratio.indicator)
    if count <= 0:
        return _not_estimable("cost_indicator_zero", indicator=ratio.indicator)
    return {"estimable": True, "denominator": count, "value": cost / count}


def effect_ratio(ratio: Any, cost: float, effects: dict[str, Any]) -> dict[str, Any]:
    found = effects.get(ratio.effect)
    if found is None:
        raise FrameworkError(
            "cost_ratio_unknown_effect", ratio=repr(ratio.id), effect=repr(ratio.effect)
        )
    if not found.get("estimable") or found.get("estimate") is None:
        return _not_estimable("cost_effect_not_estimable", effect=ratio.effect)
    treated = ratio.treated or found.get("n_treated")
    if not treated:
        return _not_estimable("cost_effect_no_treated", effect=ratio.effect)
    out = cost_per_additional(
        cost,
        float(found["estimate"]),
        found.get("se"),
        found.get("ci_low"),
        found.get("ci_high"),
        int(treated),
        found.get("better") or "higher",
    )
    out["treated"] = int(treated)
    out["level"] = found.get("level")
    code = out.pop("code", None)
    if code:
        out["reason"] = problem(code, effect=ratio.effect)
        out["value"] = None
    else:
        out["reason"] = None
    return out


def _not_estimable(code: str, **params: Any) -> dict[str, Any]:
    return {"estimable": False, "value": None, "reason": problem(code, **params)}


def compute(spec: Any, ctx: Any) -> dict[str, Any]:
    """The cost, each ratio (with its interval when it comes from an effect), the references."""
    if spec is None:
        return {}
    base = cost_base(spec, ctx.results)
    cost = float(base["amount"])
    ratios: dict[str, Any] = {}
    for ratio in spec.ratios:
        if ratio.indicator is not None:
            figures = indicator_ratio(ratio, cost, ctx.results.get("indicators") or {})
        else:
            figures = effect_ratio(ratio, cost, ctx.results.get("effects") or {})
        ratios[ratio.id] = {
            "label": label_pair(ratio.label, ratio.id),
            "per": ratio.kind,
            "indicator": ratio.indicator,
            "effect": ratio.effect,
            "unit": label_pair(ratio.unit, "") if ratio.unit else None,
            **figures,
        }
    references = []
    for ref in spec.references:
        mine = ratios[ref.ratio]
        row: dict[str, Any] = {
            "ratio": ref.ratio,
            "label": label_pair(ref.label, ref.ratio),
            "value": ref.value,
            "source": label_pair(ref.source, ""),
            "year": ref.year,
            "difference": None,
            "relative": None,
            "reading": None,
            "reading_text": None,
        }
        if mine.get("value") is not None:
            reading = compare(mine["value"], mine.get("ci_low"), mine.get("ci_high"), ref.value)
            row.update(
                difference=mine["value"] - ref.value,
                relative=mine["value"] / ref.value,
                reading=reading,
                reading_text=READING[reading],
            )
        references.append(row)
    return {
        "label": label_pair(spec.label, "") if spec.label else None,
        "currency": spec.currency,
        "cost": base,
        "ratios": ratios,
        "references": references,
    }
