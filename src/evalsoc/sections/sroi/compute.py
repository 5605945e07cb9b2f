"""SROI: the adapter from the `sroi:` config and earlier results (indicators, effects,
capabilities, volunteering) to the engine in `engine.py`, and results.json's `sroi`.

The numbers taken from the config and earlier results are read in quantities.py, the warnings
worded in warning_texts.py. The engine's public names are re-exported here because the tests
and benchmarks/bench_sroi.py use them through this module.
"""

from __future__ import annotations

from typing import Any

from evalsoc.problems import problem
from evalsoc.sections.common import NotEstimable, jsonable
from evalsoc.sections.sroi.engine import (  # noqa: F401 - re-exported: the engine's public API
    ADJUSTMENTS,
    MAX_DURATION,
    NUMERIC_FAILURES,
    PARAMETERS,
    PRACTICE_BAND,
    PRACTICE_MEDIANS,
    RATE,
    RATIO_REVIEW_ABOVE,
    SHARES,
    OutcomeModel,
    Param,
    SroiModel,
    account,
    central_values,
    deductions,
    discount_factors,
    draw_parameters,
    feasible_range,
    make_param,
    model_discount_factors,
    model_years,
    monte_carlo,
    one_at_a_time,
    outcome_account,
    outcome_present_value,
    payback_months,
    persistence,
    present_value,
    ratio_function,
    retention,
    schedule_rates,
    simulate_present_values,
    summarise_ratios,
    switching_value,
    switching_values,
    truncated_normal_quantile,
    years_needed,
)
from evalsoc.sections.sroi.quantities import (
    _inputs,
    _label_json,
    _label_key,
    _outcome_model,
    _quantity,
    _spec_param,
)
from evalsoc.sections.sroi.warning_texts import _adjustment_warnings, _Warnings


def _criteria_citing(framework: Any, outcome_id: str) -> list[str]:
    if framework is None:
        return []
    try:
        return [c.id for d in framework.dimensions for c in d.criteria if outcome_id in c.evidence]
    except AttributeError:
        return []


def _param_json(param: Param) -> dict[str, Any]:
    return {
        "value": param.value,
        "low": param.low,
        "high": param.high,
        "distribution": param.distribution if param.uncertain else None,
        "declared": param.declared,
        "reason": _label_json(param.reason),
    }


def _empty_result(spec: Any) -> dict[str, Any]:
    return {
        "estimable": False,
        "reason": None,
        "currency": spec.currency,
        "conventions": {
            "adjustments": spec.adjustments,
            "discount_first_year": spec.discount_first_year,
            "discount_rate": (
                spec.discount_rate.central
                if not isinstance(spec.discount_rate, list)
                else [{"from": s.start, "to": s.end, "rate": s.rate} for s in spec.discount_rate]
            ),
        },
        "present_value": None,
        "npv": None,
        "ratio": None,
        "net_ratio": None,
        "payback_months": None,
        "inputs_total": None,
        "inputs": [],
        "by_outcome": {},
        "by_year": [],
        "waterfall": None,
        "sensitivity": {"one_at_a_time": [], "switching_values": [], "without_range": []},
        "monte_carlo": {"estimable": False, "reason": None},
        "non_monetised": [],
        "non_monetised_share": None,
        "warnings": [],
    }


def compute(spec: Any, ctx: Any) -> dict[str, Any]:
    """results.json's `sroi`: the point estimate, its sensitivity and Monte Carlo, the outcomes
    money leaves out, and plausibility warnings. Framework errors raise; the rest is reported."""
    if spec is None:
        return {}
    warns = _Warnings(ctx)
    out = _empty_result(spec)
    try:
        out["inputs"] = _inputs(spec, ctx)
        inputs_total = sum(row["amount"] for row in out["inputs"])
        out["inputs_total"] = inputs_total
    except NotEstimable as exc:
        out["reason"] = exc.reason
        inputs_total = None

    from evalsoc.sections.criteria.elicitation import immaterial_outcomes

    immaterial = immaterial_outcomes(ctx.results.get("valuation") or {})
    models: list[OutcomeModel] = []
    outcome_rows: dict[str, dict[str, Any]] = {}
    for index, outcome in enumerate(spec.outcomes):
        base = {
            "id": outcome.id,
            "label": _label_json(outcome.label),
            "stakeholder": _label_json(outcome.stakeholder),
        }
        if outcome.id in immaterial:  # valuation.materiality (sections/criteria/elicitation.py)
            out["non_monetised"].append(
                {
                    **base,
                    "cause": "not_material",
                    "reason": immaterial[outcome.id],
                    "criteria": _criteria_citing(ctx.framework, outcome.id),
                }
            )
            continue
        if not outcome.monetised:
            out["non_monetised"].append(
                {
                    **base,
                    "cause": "no_proxy",
                    "reason": _label_json(outcome.reason),
                    "criteria": _criteria_citing(ctx.framework, outcome.id),
                }
            )
            continue
        try:
            quantity, info = _quantity(outcome, index, ctx)
        except NotEstimable as exc:
            warns.add("quantity_not_estimable", outcome.id, reason=exc.reason)
            out["non_monetised"].append(
                {
                    **base,
                    "cause": "quantity_not_estimable",
                    "reason": exc.reason,
                    "criteria": _criteria_citing(ctx.framework, outcome.id),
                }
            )
            continue
        model = _outcome_model(outcome, quantity)
        _adjustment_warnings(outcome, model, info, warns)
        if spec.adjustments == "additive" and sum(model.params[a].value for a in ADJUSTMENTS) > 1:
            warns.add("additive_over_100", outcome.id)
        models.append(model)
        proxy = outcome.proxy
        outcome_rows[outcome.id] = {
            **base,
            "quantity": quantity.value,
            "quantity_source": info,
            "proxy": {
                "value": model.params["proxy"].value,
                "unit": _label_json(proxy.unit),
                "source": _label_json(proxy.source),
                "evidence": proxy.evidence,
            },
            "parameters": {name: _param_json(model.params[name]) for name in PARAMETERS},
        }

    out["non_monetised_share"] = _non_monetised_share(spec, out["non_monetised"])
    if inputs_total is not None and not models:
        out["reason"] = problem("sroi_nothing_monetised")
    if inputs_total is not None and inputs_total <= 0 and models:
        out["reason"] = problem("sroi_inputs_zero")

    if models and inputs_total is not None:
        rate = spec.discount_rate
        sroi = SroiModel(
            outcomes=tuple(models),
            inputs_total=float(inputs_total),
            rate=None if isinstance(rate, list) else _spec_param(rate, (0.0, 1.0)),
            schedule=tuple((s.start, s.end, s.rate) for s in rate)
            if isinstance(rate, list)
            else None,
            first_year=spec.discount_first_year,
            additive=spec.adjustments == "additive",
        )
        _fill_estimates(out, sroi, outcome_rows, spec, ctx, warns)
    if not out["monte_carlo"].get("estimable") and out["monte_carlo"].get("reason") is None:
        out["monte_carlo"]["reason"] = out["reason"]
    out["warnings"] = warns.items
    return jsonable(out)


def _fill_estimates(
    out: dict[str, Any],
    model: SroiModel,
    rows: dict[str, dict[str, Any]],
    spec: Any,
    ctx: Any,
    warns: _Warnings,
) -> None:
    est = account(model)
    for key in (
        "present_value",
        "npv",
        "ratio",
        "net_ratio",
        "payback_months",
        "by_year",
        "waterfall",
    ):
        out[key] = est[key]
    if est["payback_months"] is None and model.inputs_total > 0:
        out["payback_reason"] = problem("sroi_no_payback")
    out["by_outcome"] = {oid: {**rows[oid], **est["by_outcome"][oid]} for oid in rows}
    if model.rate is not None:
        out["conventions"]["discount_rate_range"] = [model.rate.low, model.rate.high]
    if model.inputs_total <= 0:
        return
    out["estimable"] = True
    out["reason"] = None
    ratio = est["ratio"]
    if ratio is not None and ratio > RATIO_REVIEW_ABOVE:
        warns.add("ratio_high", None, value=f"{ratio:.2f}", limit=f"{RATIO_REVIEW_ABOVE:g}")
    try:
        out["sensitivity"] = {
            "one_at_a_time": one_at_a_time(model),
            "switching_values": switching_values(model),
            "without_range": [
                {"outcome": model.outcomes[k].id if k is not None else None, "parameter": name}
                for k, name in model.keys()
                if not model.param((k, name)).has_range
            ],
        }
    except NUMERIC_FAILURES as exc:
        out["sensitivity"]["estimable"] = False
        out["sensitivity"]["reason"] = problem("sroi_sensitivity_failed", error=str(exc))
    if not any(model.param(key).uncertain for key in model.keys()):
        warns.add("no_uncertainty", None)
    draws = spec.monte_carlo.draws
    seed = spec.monte_carlo.seed if spec.monte_carlo.seed is not None else getattr(ctx, "seed", 0)
    if draws > 0:
        try:
            out["monte_carlo"] = monte_carlo(model, draws, int(seed))
        except NUMERIC_FAILURES as exc:
            out["monte_carlo"] = {
                "estimable": False,
                "reason": problem("sroi_monte_carlo_failed", error=str(exc)),
                "draws": draws,
                "seed": seed,
            }
    else:
        out["monte_carlo"] = {
            "estimable": False,
            "reason": problem("sroi_monte_carlo_off"),
            "draws": 0,
            "seed": seed,
        }


def _non_monetised_share(spec: Any, non_monetised: list[dict[str, Any]]) -> dict[str, Any]:
    """Share of outcomes without a money value, overall and per stakeholder (by count)."""
    left_out = {row["id"] for row in non_monetised}
    total = len(spec.outcomes)
    groups: dict[str, dict[str, Any]] = {}
    for outcome in spec.outcomes:
        key = _label_key(outcome.stakeholder)
        group = groups.setdefault(
            key,
            {"stakeholder": _label_json(outcome.stakeholder), "outcomes": 0, "non_monetised": 0},
        )
        group["outcomes"] += 1
        group["non_monetised"] += outcome.id in left_out
    for group in groups.values():
        group["share"] = group["non_monetised"] / group["outcomes"]
    return {
        "by_count": {
            "outcomes": total,
            "non_monetised": len(left_out),
            "share": len(left_out) / total if total else None,
        },
        "by_stakeholder": list(groups.values()),
    }


__all__ = [
    "OutcomeModel",
    "Param",
    "SroiModel",
    "account",
    "compute",
    "discount_factors",
    "make_param",
    "monte_carlo",
    "one_at_a_time",
    "payback_months",
    "present_value",
    "simulate_present_values",
    "switching_value",
    "switching_values",
]
