"""The SROI model's numbers taken from the config and earlier results: outcome quantities
(from indicators, effects, capabilities), volunteering's value and the inputs.

Every reference is checked here, with the config location in its error message.
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

from evalsoc.errors import FrameworkError, did_you_mean
from evalsoc.problems import worded
from evalsoc.sections.common import NotEstimable, finite_or_none
from evalsoc.sections.sroi.engine import MAX_DURATION, SHARES, OutcomeModel, Param, make_param


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
            "sroi_quantity_unknown_ref",
            at=where,
            kind=worded(kind),
            ref=repr(ref_id),
            hint=did_you_mean(ref_id, options),
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
            "sroi_input_no_volunteering",
            at=_where(ctx, ("sroi", "inputs", index, "volunteering")),
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
        "sroi_volunteering_category_unknown",
        at=_where(ctx, ("sroi", "inputs", index, "volunteering")),
        category=repr(item.volunteering),
        hint=did_you_mean(str(item.volunteering), names),
    )


def _inputs(spec: Any, ctx: Any) -> list[dict[str, Any]]:
    rows = []
    for index, item in enumerate(spec.inputs):
        row: dict[str, Any] = {"label": _label_json(item.label), "source": _label_json(item.source)}
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
