"""The SROI section's warnings (FR/EN), collected once each while the model is built."""

from __future__ import annotations

from typing import Any

from evalsoc.sections.sroi.engine import PRACTICE_BAND, PRACTICE_MEDIANS, SHARES, OutcomeModel
from evalsoc.sections.sroi.parameter_names import PARAMETER_NAMES

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
            fields["param_fr"] = PARAMETER_NAMES[param]["fr"]
            fields["param_en"] = PARAMETER_NAMES[param]["en"]
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
