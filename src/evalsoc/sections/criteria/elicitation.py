"""Weights elicited from stakeholders (the `valuation:` block), their spread across roles, and
the materiality rule that leaves immaterial SROI outcomes out (docs/practice.md).

Each respondent ranks every item (ranks 1..n) or rates them; a role's weights are the mean of
its respondents' weights (ROC or rank-sum), or its mean ratings normalised; the overall
weights are the mean of the roles' weights, each role counting equally (a group of 40
residents does not outweigh a board of 8: stakeholder groups, not headcounts, are compared).
A role of fewer than `min_cell` respondents is suppressed, and when exactly one is, the
smallest other role too, since the overall weights and the others would give it back.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from evalsoc.errors import FrameworkError, either
from evalsoc.privacy.cells import reason
from evalsoc.problems import problem
from evalsoc.sections.criteria.elicitation_config import ValuationSpec
from evalsoc.stats.elicited_weights import normalised, weights_from_ranks


def _item_ids(framework: Any, spec: ValuationSpec) -> list[str]:
    if spec.items == "criteria":
        return [c.id for d in framework.dimensions for c in d.criteria]
    return [o.id for o in (framework.sroi.outcomes if framework.sroi else [])]


def _where(framework: Any, key: str) -> str:
    from evalsoc.framework.positions import position_of

    return str(position_of(framework, ("valuation", key)))


def _table(spec: ValuationSpec, ctx: Any, items: list[str]) -> tuple[list[Any], dict, Any]:
    """(respondents, their role, matrix respondents × items of ranks or ratings), checked."""
    framework = ctx.framework
    frame = ctx.frame(spec.data)
    file = repr(spec.data)
    words = _items_words(spec.items)
    for key in ("respondent", "role", "item", "rank" if spec.rank else "rating"):
        column = getattr(spec, key)
        if column not in frame.columns:
            raise FrameworkError(
                "valuation_column_missing",
                at=_where(framework, key),
                source=file,
                column=repr(column),
            )
    rows = frame[spec.columns()].to_numpy(dtype=object)
    unknown_roles = sorted({str(r) for r in rows[:, 1]} - set(map(str, spec.roles)))
    if unknown_roles:
        raise FrameworkError(
            "valuation_role_undeclared",
            at=_where(framework, "roles"),
            source=file,
            role=repr(unknown_roles[0]),
            roles=", ".join(map(str, spec.roles)),
        )
    present = {str(r) for r in rows[:, 1]}
    missing = [value for value in spec.roles if str(value) not in present]
    if missing:
        raise FrameworkError(
            "valuation_role_empty",
            at=_where(framework, "roles"),
            source=file,
            role=repr(missing[0]),
        )
    known = set(items)
    strange = sorted({str(i) for i in rows[:, 2]} - known)
    if strange:
        raise FrameworkError(
            "valuation_item_unknown",
            at=_where(framework, "items"),
            source=file,
            item=repr(strange[0]),
            items=words["plural"],
            known=", ".join(items),
        )
    respondents = list(dict.fromkeys(rows[:, 0]))
    index = {r: i for i, r in enumerate(respondents)}
    column = {item: j for j, item in enumerate(items)}
    matrix = np.full((len(respondents), len(items)), np.nan)
    role_of: dict[Any, str] = {}
    for respondent, role, item, value in rows:
        if role_of.setdefault(respondent, str(role)) != str(role):
            raise FrameworkError("valuation_two_roles", source=file, respondent=repr(respondent))
        if pd.isna(value):
            raise FrameworkError(
                "valuation_no_value", source=file, respondent=repr(respondent), item=repr(item)
            )
        i, j = index[respondent], column[str(item)]
        if not np.isnan(matrix[i, j]):
            raise FrameworkError(
                "valuation_ranked_twice", source=file, respondent=repr(respondent), item=repr(item)
            )
        matrix[i, j] = float(value)
    for i, respondent in enumerate(respondents):
        if spec.rank and sorted(matrix[i].tolist()) != list(range(1, len(items) + 1)):
            raise FrameworkError(
                "valuation_ranks_invalid",
                source=file,
                respondent=repr(respondent),
                count=len(items),
                item=words["singular"],
                found=_ranks_text(matrix[i]),
            )
        if spec.rating and np.isnan(matrix[i]).any():
            raise FrameworkError(
                "valuation_not_every_item", source=file, respondent=repr(respondent)
            )
    return respondents, role_of, matrix


def _ranks_text(row: np.ndarray) -> dict[str, str]:
    return {
        lang: ", ".join(missing if np.isnan(v) else f"{v:g}" for v in row)
        for lang, missing in (("fr", "absent"), ("en", "missing"))
    }


def _items_words(items: str) -> dict[str, dict[str, str]]:
    """The valued items' name, plural and singular, in both languages."""
    if items == "criteria":
        return {
            "plural": either("critères", "criteria"),
            "singular": either("critère", "criterion"),
        }
    return {"plural": either("effets", "outcomes"), "singular": either("effet", "outcome")}


def compute(spec: ValuationSpec | None, ctx: Any) -> dict[str, Any]:
    """results.json's `valuation`: weights per role and overall, spread, materiality."""
    if spec is None:
        return {}
    framework = ctx.framework
    items = _item_ids(framework, spec)
    if not items:
        raise FrameworkError(
            "valuation_no_items",
            at=_where(framework, "items"),
            items=_items_words(spec.items)["plural"],
        )
    w = _weights(spec, ctx, items)
    roles, counts, role_weights, role_ratings = w.roles, w.counts, w.by_role, w.ratings
    overall, overall_rating, respondents = w.overall, w.overall_rating, w.respondents
    hidden = _hidden_roles(counts, ctx.policy)
    published = [v for v in roles if v not in hidden]
    by_role = []
    for value in roles:
        entry: dict[str, Any] = {"value": str(value), "role": spec.roles[value]}
        if value in hidden:
            code = "small_cell" if ctx.policy.is_small(counts[value]) else "complement"
            entry.update(
                respondents=None, weights=None, suppressed=True, reason=reason(code, ctx.min_cell)
            )
        else:
            entry.update(
                respondents=counts[value],
                weights=dict(zip(items, map(float, role_weights[value]))),
                mean_ratings=dict(zip(items, map(float, role_ratings[value])))
                if spec.rating
                else None,
                suppressed=False,
                reason=None,
            )
        by_role.append(entry)
    total = len(respondents)
    overall_hidden = ctx.policy.is_small(total)
    return {
        "items": spec.items,
        "method": spec.method,
        "respondents": None if overall_hidden else total,
        "weights": None if overall_hidden else dict(zip(items, map(float, overall))),
        "mean_ratings": None
        if overall_hidden or overall_rating is None
        else dict(zip(items, map(float, overall_rating))),
        "suppressed": overall_hidden,
        "reason": reason("small_cell", ctx.min_cell) if overall_hidden else None,
        "by_role": by_role,
        "spread": _spread(items, [role_weights[v] for v in published]),
        "materiality": _materiality(spec, items, overall, overall_rating, role_weights, hidden),
    }


@dataclass(frozen=True)
class _Weights:
    respondents: list[Any]
    roles: list[Any]
    counts: dict[Any, int]
    by_role: dict[Any, np.ndarray]
    ratings: dict[Any, np.ndarray]
    overall: np.ndarray
    overall_rating: np.ndarray | None


def _weights(spec: ValuationSpec, ctx: Any, items: list[str]) -> _Weights:
    """Each role's weights (mean over its respondents) and the overall (mean over roles)."""
    respondents, role_of, matrix = _table(spec, ctx, items)
    per_respondent = (
        weights_from_ranks(matrix.astype(np.int64), str(spec.method)) if spec.rank else matrix
    )
    roles = list(dict.fromkeys(spec.roles))
    counts = {v: sum(role_of[r] == str(v) for r in respondents) for v in roles}
    by_role: dict[Any, np.ndarray] = {}
    ratings: dict[Any, np.ndarray] = {}
    for value in roles:
        rows = [i for i, r in enumerate(respondents) if role_of[r] == str(value)]
        mean = per_respondent[rows].mean(axis=0)
        ratings[value] = mean
        by_role[value] = normalised(mean) if spec.rating else mean
    overall = np.mean([by_role[v] for v in roles], axis=0)
    overall_rating = np.mean([ratings[v] for v in roles], axis=0) if spec.rating else None
    return _Weights(respondents, roles, counts, by_role, ratings, overall, overall_rating)


def _hidden_roles(counts: dict[Any, int], policy: Any) -> set[Any]:
    hidden = {v for v, n in counts.items() if policy.is_small(n)}
    shown = [v for v in counts if v not in hidden]
    if len(hidden) == 1 and shown:  # the overall mean and the others would give it back
        hidden.add(min(shown, key=lambda v: (counts[v], list(counts).index(v))))
    return hidden


def _spread(items: list[str], weights: list[np.ndarray]) -> dict[str, Any]:
    """Min, max and standard deviation (n − 1) of each item's weight across published roles."""
    if not weights:
        return {}
    table = np.array(weights)
    sd = table.std(axis=0, ddof=1) if len(weights) > 1 else np.full(len(items), np.nan)
    return {
        item: {
            "min": float(table[:, j].min()),
            "max": float(table[:, j].max()),
            "sd": None if np.isnan(sd[j]) else float(sd[j]),
            "roles": len(weights),
        }
        for j, item in enumerate(items)
    }


def _materiality(
    spec: ValuationSpec,
    items: list[str],
    overall: np.ndarray,
    overall_rating: np.ndarray | None,
    role_weights: dict[Any, np.ndarray],
    hidden: set[Any],
) -> dict[str, Any] | None:
    rule = spec.materiality
    if rule is None:
        return None
    if rule.min_weight is not None:
        basis, threshold, values = "weight", rule.min_weight, overall
    else:
        basis, threshold, values = "rating", float(rule.min_rating or 0), overall_rating
    assert values is not None  # the config requires ratings for min_rating
    immaterial = [item for item, v in zip(items, values) if v < threshold]
    by_role = {}
    if basis == "weight":  # would each role's own weights change the decision?
        for value, weights in role_weights.items():
            if value not in hidden:
                by_role[str(value)] = [i for i, w in zip(items, weights) if w < threshold]
    return {
        "basis": basis,
        "threshold": threshold,
        "immaterial": immaterial,
        "by_role": by_role,
        "stable": all(set(v) == set(immaterial) for v in by_role.values()),
    }


def immaterial_outcomes(valuation: dict[str, Any]) -> dict[str, dict[str, str]]:
    """{SROI outcome id: the coded reason it is left out}, from results' `valuation`."""
    rule = valuation.get("materiality") if valuation.get("items") == "outcomes" else None
    if not rule:
        return {}
    values = (
        valuation.get("weights") if rule["basis"] == "weight" else valuation.get("mean_ratings")
    )
    from evalsoc.text.format import fmt_number

    def worded(number: float | None) -> dict[str, str]:  # withheld (None) when too few people
        return {
            lang: "—" if number is None else fmt_number(number, lang, 4) for lang in ("fr", "en")
        }

    return {
        item: problem(
            "not_material",
            value=worded(None if values is None else values[item]),
            threshold=worded(rule["threshold"]),
        )
        for item in rule["immaterial"]
    }


def elicited_weights(framework: Any, ctx: Any) -> dict[str, float]:
    """The criteria's elicited weights for `synthesis.weights: elicited` (computed even when
    the overall weights are withheld from results.json: the score is published, not them)."""
    spec = framework.valuation
    if spec is None or spec.items != "criteria":
        from evalsoc.framework.positions import position_of

        raise FrameworkError(
            "elicited_weights_need_valuation", at=position_of(framework, ("synthesis", "weights"))
        )
    items = _item_ids(framework, spec)
    weights = (ctx.results.get("valuation") or {}).get("weights")
    if weights is None:  # withheld (fewer than min_cell respondents): recompute, not published
        return dict(zip(items, map(float, _weights(spec, ctx, items).overall)))
    return {item: float(weights[item]) for item in items}


def role_weights(ctx: Any) -> list[dict[str, float]]:
    """The published stakeholder groups' own weights (suppressed groups left out), for the
    synthesis' sensitivity analysis."""
    valuation = ctx.results.get("valuation") or {}
    return [
        {item: float(w) for item, w in row["weights"].items()}
        for row in valuation.get("by_role") or []
        if not row.get("suppressed") and row.get("weights")
    ]
