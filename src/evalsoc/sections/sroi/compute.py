"""SROI: the adapter from the `sroi:` config and earlier results (indicators, effects,
capabilities, volunteering) to the engine in `sroi_engine`, and results.json's `sroi`."""

from __future__ import annotations

import difflib
import math
from fractions import Fraction
from typing import Any

from evalsoc.errors import FrameworkError
from evalsoc.problems import worded
from evalsoc.sections.common import NotEstimable, finite_or_none, jsonable
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

# ---------------------------------------------------------------------------------------------
# The adapter: config + earlier results → engine → results.json's `sroi`

_PARAM_NAMES = {
    "quantity": {"fr": "quantité", "en": "quantity"},
    "proxy": {"fr": "valeur du proxy", "en": "proxy value"},
    "deadweight": {"fr": "effet d'aubaine", "en": "deadweight"},
    "displacement": {"fr": "déplacement", "en": "displacement"},
    "attribution": {"fr": "attribution", "en": "attribution"},
    "drop_off": {"fr": "érosion annuelle", "en": "drop-off"},
    "duration": {"fr": "durée", "en": "duration"},
    RATE: {"fr": "taux d'actualisation", "en": "discount rate"},
}

_WARNINGS = {
    "adjustment_missing": {
        "fr": "« {outcome} » : aucune valeur déclarée pour {param_fr}, comptée comme 0 sans raison "
        "donnée.",
        "en": "'{outcome}': {param_en} is not declared and counts as 0 without a stated reason.",
    },
    "adjustment_zero": {
        "fr": "« {outcome} » : {param_fr} à 0 sans raison donnée (ajoutez `reason`).",
        "en": "'{outcome}': {param_en} is left at 0 without a stated reason (add `reason`).",
    },
    "outside_practice": {
        "fr": "« {outcome} » : {param_fr} de {value} hors de la plage usuelle ({low} à {high} ; "
        "médiane publiée {median}).",
        "en": "'{outcome}': {param_en} of {value} is outside the usual range ({low} to {high}; "
        "published median {median}).",
    },
    "deadweight_on_effect": {
        "fr": "« {outcome} » : la quantité vient d'un effet contrefactuel, qui retire déjà ce qui "
        "se serait produit sans le dispositif ; un effet d'aubaine de {value} le compte deux fois.",
        "en": "'{outcome}': the quantity comes from a counterfactual effect, which already removes "
        "what would have happened anyway; a deadweight of {value} counts it twice.",
    },
    "additive_over_100": {
        "fr": "« {outcome} » : les ajustements additionnés dépassent 100 % ; valeur nette ramenée à 0.",
        "en": "'{outcome}': the additive adjustments exceed 100%; the net value is floored at 0.",
    },
    "negative_quantity": {
        "fr": "« {outcome} » : quantité négative ({value}) : l'effet est compté comme une perte.",
        "en": "'{outcome}': negative quantity ({value}): the outcome counts as a loss of value.",
    },
    "proxy_not_graded": {
        "fr": "« {outcome} » : la qualité de la preuve du proxy n'est pas indiquée (`evidence`).",
        "en": "'{outcome}': the proxy's strength of evidence is not graded (`evidence`).",
    },
    "quantity_not_estimable": {
        "fr": "« {outcome} » n'est pas valorisé : {reason}. Le ratio ne le compte pas.",
        "en": "'{outcome}' is not valued: {reason}. The ratio leaves it out.",
    },
    "ratio_high": {
        "fr": "Ratio de {value} : au-dessus du 90e centile des études publiées ({limit}) ; à revoir.",
        "en": "Ratio of {value}: above the 90th percentile of published studies ({limit}); review it.",
    },
    "no_uncertainty": {
        "fr": "Aucune plage d'incertitude déclarée : l'intervalle Monte Carlo se réduit au point.",
        "en": "No uncertainty range is declared: the Monte Carlo interval collapses on the point.",
    },
}


class _Warnings:
    """Collects warnings for results.json (both languages) and pushes them to ctx.warn."""

    def __init__(self, ctx: Any):
        self.ctx = ctx
        self.items: list[dict[str, Any]] = []

    def add(self, code: str, outcome: str | None, **fields: Any) -> None:
        param = fields.pop("param", None)
        if param is not None:
            fields["param_fr"] = _PARAM_NAMES[param]["fr"]
            fields["param_en"] = _PARAM_NAMES[param]["en"]
        message = {
            lang: _WARNINGS[code][lang].format(
                outcome=outcome,
                **{
                    k: v[lang] if isinstance(v, dict) and lang in v else v
                    for k, v in fields.items()
                },
            )
            for lang in ("fr", "en")
        }
        self.items.append({"id": outcome, "code": code, "parameter": param, "message": message})
        self.ctx.warn("sroi", outcome, message)


def _label_json(label: Any) -> Any:
    if label is None or isinstance(label, str):
        return label
    return label.model_dump(exclude_none=True) if hasattr(label, "model_dump") else str(label)


def _label_key(label: Any) -> str:
    if label is None:
        return ""
    if isinstance(label, str):
        return label
    return "|".join(f"{k}={v}" for k, v in sorted(_label_json(label).items()))


def _near(name: str, options: list[str]) -> str:
    near = difflib.get_close_matches(name, options, n=3, cutoff=0.6)
    return f"; did you mean {', '.join(map(repr, near))}?" if near else ""


def _declared_ids(framework: Any, kind: str) -> list[str]:
    if framework is None:
        return []
    if kind == "indicator":
        try:
            return [ind.id for _, _, ind in framework.all_indicators()]
        except AttributeError:
            return []
    section = {"effect": "effects", "capability": "capabilities"}[kind]
    return [item.id for item in getattr(framework, section, None) or []]


def _where(ctx: Any, loc: tuple[str | int, ...]) -> str:
    """'file:line:col: sroi.outcomes[0].quantity' when the framework was loaded from a file."""
    from evalsoc.framework.positions import _fmt_loc, position_of

    framework = getattr(ctx, "framework", None)
    if framework is not None and getattr(framework, "source_path", None):
        return position_of(framework, loc)
    return _fmt_loc(loc)


def _result_of(ctx: Any, kind: str, ref_id: str, where: str) -> dict[str, Any]:
    """The earlier result a quantity refers to; an unknown id is a framework error."""
    section = {"indicator": "indicators", "effect": "effects", "capability": "capabilities"}[kind]
    results = ctx.results.get(section) or {}
    declared = _declared_ids(ctx.framework, kind)
    if ref_id not in results and ref_id not in declared:
        options = sorted(set(declared) | set(results))
        raise FrameworkError(
            f"{where}: the quantity refers to {kind} {ref_id!r}, which the "
            f"framework does not declare{_near(ref_id, options)}"
        )
    result = results.get(ref_id)
    if not isinstance(result, dict):
        raise NotEstimable("result_unavailable", kind=worded(kind), ref=repr(ref_id))
    if result.get("suppressed"):
        raise NotEstimable("result_suppressed", kind=worded(kind), ref=repr(ref_id))
    if result.get("estimable") is False:
        raise NotEstimable(
            "result_not_estimable",
            kind=worded(kind),
            ref=repr(ref_id),
            reason=result.get("reason") or worded("no reason given"),
        )
    return result


def _number(x: Any, kind: str, ref: str, part: str | None = None) -> float:
    value = finite_or_none(x)
    if value is None:
        fr_part = {"n": "effectif", "estimate": "estimation"}.get(part or "", part)
        of = {"fr": f" ({fr_part})", "en": f"'s {part}"} if part else ""
        raise NotEstimable("quantity_no_value", kind=worded(kind), ref=repr(ref), part=of)
    return value


def _indicator_quantity(ref: Any, result: dict[str, Any]) -> tuple[Param, dict[str, Any]]:
    times = 1.0 if ref.times is None else ref.times
    kind = result.get("kind")
    value = finite_or_none(result.get("value"))
    ci = (finite_or_none(result.get("ci_low")), finite_or_none(result.get("ci_high")))
    scale = 1.0
    if ref.field == "n":
        base, ci = _number(result.get("n"), "indicator", ref.indicator, "n"), (None, None)
    elif ref.field == "count" and kind == "proportion":
        n = _number(result.get("n"), "indicator", ref.indicator, "n")
        count = finite_or_none(result.get("count"))
        base = count if count is not None else _number(value, "indicator", ref.indicator) * n
        scale = n
    elif ref.field == "count":
        count = finite_or_none(result.get("count"))
        if count is None and kind not in ("count", "sum"):
            raise NotEstimable("indicator_no_count", indicator=repr(ref.indicator), kind=kind)
        base = count if count is not None else _number(value, "indicator", ref.indicator)
    else:
        base = _number(value, "indicator", ref.indicator)
    base *= times
    info = {"kind": "indicator", "ref": ref.indicator, "field": ref.field, "times": ref.times}
    if ref.uncertainty == "ci" and ci[0] is not None and ci[1] is not None and ci[1] > ci[0]:
        low, high = sorted((ci[0] * scale * times, ci[1] * scale * times))
        if low <= base <= high:
            info["interval"] = "the indicator's confidence interval"
            return make_param(base, low=low, high=high, bounds=(0.0, math.inf)), info
    return make_param(base, bounds=(0.0, math.inf)), info


def _effect_quantity(ref: Any, result: dict[str, Any]) -> tuple[Param, dict[str, Any]]:
    estimate = _number(result.get("estimate"), "effect", ref.effect, "estimate")
    if ref.times is not None:
        times = ref.times
    else:
        n_treated = finite_or_none(result.get("n_treated"))
        if n_treated is None:
            raise NotEstimable("effect_no_treated_count", effect=repr(ref.effect))
        times = n_treated
    info = {"kind": "effect", "ref": ref.effect, "estimate": estimate, "times": times}
    value = estimate * times
    if ref.uncertainty == "none":
        return make_param(value), info
    se = finite_or_none(result.get("se"))
    lo, hi = finite_or_none(result.get("ci_low")), finite_or_none(result.get("ci_high"))
    if se is None and lo is not None and hi is not None:
        se = (hi - lo) / (2 * 1.959963984540054)
    if se is None or se <= 0:
        return make_param(value), info
    low = lo * times if lo is not None else None
    high = hi * times if hi is not None else None
    if low is not None and high is not None:
        low, high = min(low, high), max(low, high)
    info["interval"] = "the effect's standard error (normal law)"
    return make_param(
        value, distribution="normal", mean=value, sd=se * abs(times), low=low, high=high
    ), info


def _capability_quantity(ref: Any, result: dict[str, Any]) -> tuple[Param, dict[str, Any]]:
    entries = [e for e in result.get("results") or [] if isinstance(e, dict)]
    entry: dict[str, Any] = {}
    if ref.k is not None:
        for e in entries:
            try:
                if Fraction(str(e.get("k"))) == ref.k:
                    entry = e
            except (ValueError, ZeroDivisionError):
                continue
        if not entry:
            raise NotEstimable(
                "capability_no_result_for_k", capability=repr(ref.capability), k=ref.k
            )
    elif entries:
        entry = entries[0]
    raw: Any = entry.get(ref.field, result.get(ref.field))
    if raw is None and "." in ref.field:
        raw = result
        for part in ref.field.split("."):
            if isinstance(raw, list) and part.isdigit() and int(part) < len(raw):
                raw = raw[int(part)]
            elif isinstance(raw, dict):
                raw = raw.get(part)
            else:
                raw = None
    value = _number(raw, "capability", ref.capability, ref.field)
    times = 1.0 if ref.times is None else ref.times
    info = {
        "kind": "capability",
        "ref": ref.capability,
        "field": ref.field,
        "k": ref.k,
        "times": ref.times,
    }
    return make_param(value * times, bounds=(0.0, math.inf)), info


def _spec_param(spec: Any, bounds: tuple[float, float]) -> Param:
    """Config UncertainParameter → engine Param."""
    return make_param(
        spec.value,
        low=spec.low,
        high=spec.high,
        distribution=spec.resolved_distribution,
        mode=spec.mode,
        mean=spec.mean,
        sd=spec.sd,
        alpha=spec.alpha,
        beta=spec.beta,
        bounds=bounds,
        reason=spec.reason,
    )


def _sign_bounds(x: float) -> tuple[float, float]:
    return (0.0, math.inf) if x >= 0 else (-math.inf, 0.0)


def _quantity(outcome: Any, index: int, ctx: Any) -> tuple[Param, dict[str, Any]]:
    from evalsoc.sections.sroi.config import CapabilityRef, EffectRef, IndicatorRef

    q = outcome.quantity
    where = _where(ctx, ("sroi", "outcomes", index, "quantity"))
    if isinstance(q, IndicatorRef):
        return _indicator_quantity(q, _result_of(ctx, "indicator", q.indicator, where))
    if isinstance(q, EffectRef):
        return _effect_quantity(q, _result_of(ctx, "effect", q.effect, where))
    if isinstance(q, CapabilityRef):
        return _capability_quantity(q, _result_of(ctx, "capability", q.capability, where))
    return _spec_param(q, (0.0, math.inf)), {"kind": "declared"}


def _outcome_model(outcome: Any, quantity: Param) -> OutcomeModel:
    params: dict[str, Param] = {"quantity": quantity}
    proxy = outcome.proxy.value
    params["proxy"] = _spec_param(proxy, _sign_bounds(proxy.central))
    for name in SHARES:
        spec = getattr(outcome, name)
        params[name] = (
            make_param(0.0, declared=False) if spec is None else _spec_param(spec, (0.0, 1.0))
        )
    params["duration"] = _spec_param(outcome.duration, (1e-9, MAX_DURATION))
    return OutcomeModel(outcome.id, params)


def _volunteering_value(item: Any, index: int, spec: Any, ctx: Any) -> float:
    """The value of volunteering computed by the `volunteering:` section (total or a category)."""
    results = ctx.results.get("volunteering")
    framework = getattr(ctx, "framework", None)
    declared = framework is None or getattr(framework, "volunteering", None) is not None
    if not isinstance(results, dict) or not results or not declared:
        raise FrameworkError(
            f"{_where(ctx, ('sroi', 'inputs', index, 'volunteering'))}: this input refers to the "
            "volunteering section, but the framework has no `volunteering:` section: declare "
            "one, or give the volunteer `hours` and a `rate` here"
        )
    if results.get("status") == "not_computed":
        raise NotEstimable("volunteering_not_computed")
    currency = results.get("currency")
    if currency and str(currency).upper() != str(spec.currency).upper():
        raise NotEstimable("volunteering_currency", currency=currency, sroi_currency=spec.currency)
    if item.volunteering is True:
        total = finite_or_none(results.get("total_value"))
        if total is None:
            raise NotEstimable("volunteering_not_valued")
        return total
    categories = [c for c in results.get("by_category") or [] if isinstance(c, dict)]
    names = [str(c.get("category", "")) for c in categories]
    for name, entry in zip(names, categories):
        if name == item.volunteering:
            value = finite_or_none(entry.get("value"))
            if value is None:
                why = entry.get("reason") or worded("no value")
                raise NotEstimable("volunteering_category_no_value", category=repr(name), why=why)
            return value
    raise FrameworkError(
        f"{_where(ctx, ('sroi', 'inputs', index, 'volunteering'))}: volunteering category "
        f"{item.volunteering!r} is not in the volunteering section"
        f"{_near(str(item.volunteering), names)}"
    )


def _inputs(spec: Any, ctx: Any) -> list[dict[str, Any]]:
    rows = []
    for index, item in enumerate(spec.inputs):
        row: dict[str, Any] = {"label": _label_json(item.label), "source": item.source}
        if item.amount is not None:
            row.update(kind="money", amount=item.amount)
        elif item.hours is not None:
            assert item.rate is not None
            row.update(
                kind="volunteer_hours",
                hours=item.hours,
                rate=item.rate,
                amount=item.hours * item.rate,
            )
        else:
            row.update(
                kind="volunteering",
                category=None if item.volunteering is True else item.volunteering,
            )
            row["amount"] = _volunteering_value(item, index, spec, ctx)
        rows.append(row)
    return rows


def _criteria_citing(framework: Any, outcome_id: str) -> list[str]:
    if framework is None:
        return []
    try:
        return [c.id for d in framework.dimensions for c in d.criteria if outcome_id in c.evidence]
    except AttributeError:
        return []


def _fmt_share(x: float) -> str:
    return f"{100 * x:.3g}%"


def _adjustment_warnings(
    outcome: Any, model: OutcomeModel, info: dict[str, Any], warns: _Warnings
) -> None:
    from_effect = info.get("kind") == "effect"
    duration = model.params["duration"].value
    for name in SHARES:
        param = model.params[name]
        if name == "drop_off" and duration <= 1:
            continue
        if name == "deadweight" and from_effect:
            if param.value > 0:
                warns.add("deadweight_on_effect", outcome.id, value=_fmt_share(param.value))
            continue
        if not param.declared:
            warns.add("adjustment_missing", outcome.id, param=name)
        elif param.value == 0 and not param.reason:
            warns.add("adjustment_zero", outcome.id, param=name)
        elif name in PRACTICE_MEDIANS and param.value > 0:
            median = PRACTICE_MEDIANS[name]
            low, high = median * PRACTICE_BAND[0], median * PRACTICE_BAND[1]
            if not low <= param.value <= high:
                warns.add(
                    "outside_practice",
                    outcome.id,
                    param=name,
                    value=_fmt_share(param.value),
                    low=_fmt_share(low),
                    high=_fmt_share(high),
                    median=_fmt_share(median),
                )
    quantity = model.params["quantity"].value
    if quantity < 0:
        warns.add("negative_quantity", outcome.id, value=f"{quantity:.4g}")
    if outcome.proxy.evidence is None:
        warns.add("proxy_not_graded", outcome.id)


def _param_json(param: Param) -> dict[str, Any]:
    return {
        "value": param.value,
        "low": param.low,
        "high": param.high,
        "distribution": param.distribution if param.uncertain else None,
        "declared": param.declared,
        "reason": param.reason,
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

    models: list[OutcomeModel] = []
    outcome_rows: dict[str, dict[str, Any]] = {}
    for index, outcome in enumerate(spec.outcomes):
        base = {
            "id": outcome.id,
            "label": _label_json(outcome.label),
            "stakeholder": _label_json(outcome.stakeholder),
        }
        if not outcome.monetised:
            out["non_monetised"].append(
                {
                    **base,
                    "cause": "no_proxy",
                    "reason": outcome.reason,
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
                "unit": proxy.unit,
                "source": proxy.source,
                "evidence": proxy.evidence,
            },
            "parameters": {name: _param_json(model.params[name]) for name in PARAMETERS},
        }

    out["non_monetised_share"] = _non_monetised_share(spec, out["non_monetised"])
    if inputs_total is not None and not models:
        out["reason"] = (
            "no outcome is monetised, so there is no ratio: see the non-monetised outcomes"
        )
    if inputs_total is not None and inputs_total <= 0 and models:
        out["reason"] = "the inputs total 0, so there is no ratio"

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
        out["payback_reason"] = (
            "the discounted value does not cover the inputs within the outcomes' duration"
        )
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
        out["sensitivity"]["reason"] = f"the sensitivity analysis failed numerically: {exc}"
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
                "reason": f"the Monte Carlo simulation failed numerically: {exc}",
                "draws": draws,
                "seed": seed,
            }
    else:
        out["monte_carlo"] = {
            "estimable": False,
            "reason": "switched off (monte_carlo.draws: 0)",
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
