"""One plain sentence per effect, in French and English, for funders.

Each sentence says who was compared with whom, the estimate with its interval and unit, and the
assumption it rests on. An interval that includes zero is worded as "too wide to conclude",
never as "no effect"; a before/after comparison is said not to be a counterfactual.
"""

from __future__ import annotations

import importlib
from typing import Any

from evalsoc.framework.base import label_text
from evalsoc.privacy.cells import reason_text
from evalsoc.sections.effects.designs import DESIGNS
from evalsoc.sections.effects.sentences_designs import design_sentence
from evalsoc.sections.effects.sentences_words import (
    CURRENCIES,
    PHRASES,
    _digits_of,
    _family,
    format_value,
    outcome_words,
)

ASSUMPTIONS = {
    "difference": {
        "fr": "en supposant que les deux groupes étaient comparables en dehors du dispositif "
        "(comme après un tirage au sort)",
        "en": "assuming the two groups were comparable apart from the programme "
        "(as after a random draw)",
    },
    "did": {
        "fr": "en supposant que, sans le dispositif, {outcome} aurait évolué de la même façon "
        "dans les deux groupes",
        "en": "assuming that, without the programme, {outcome} would have evolved in the same "
        "way in both groups",
    },
    "staggered_did": {
        "fr": "en supposant que, sans le dispositif, {outcome} aurait évolué de la même façon "
        "chez les unités atteintes et chez les unités de comparaison",
        "en": "assuming that, without the programme, {outcome} would have evolved in the same "
        "way for the units reached and for the comparison units",
    },
    "selection": {
        "fr": "en supposant qu'une fois pris en compte {covariates}, participants et "
        "non-participants étaient comparables",
        "en": "assuming that, after taking {covariates} into account, participants and "
        "non-participants were comparable",
    },
}

WHO = {
    "difference": {
        "fr": "En comparant {n_treated} bénéficiaires à {n_control} personnes du groupe de "
        "comparaison, et ",
        "en": "Comparing {n_treated} people in the programme with {n_control} in the comparison "
        "group, and ",
    },
    "did": {
        "fr": "En comparant l'évolution de {n_treated} bénéficiaires à celle de {n_control} "
        "unités du groupe de comparaison, et ",
        "en": "Comparing the change among {n_treated} units in the programme with the change "
        "among {n_control} comparison units, and ",
    },
    "did_rows": {
        "fr": "En comparant l'évolution de {n_treated} observations du groupe bénéficiaire à "
        "celle de {n_control} observations du groupe de comparaison, et ",
        "en": "Comparing the change over {n_treated} observations of the programme group with "
        "the change over {n_control} observations of the comparison group, and ",
    },
    "staggered_did": {
        "fr": "En comparant les unités atteintes par le dispositif ({n_treated}) aux unités "
        "pas encore ou jamais atteintes ({n_control}), et ",
        "en": "Comparing the units the programme reached ({n_treated}) with units not yet or "
        "never reached ({n_control}), and ",
    },
    "selection": {
        "fr": "En comparant {n_treated} participants à {n_control} non-participants, et ",
        "en": "Comparing {n_treated} participants with {n_control} non-participants, and ",
    },
}


def sentence(result: dict[str, Any], spec: Any, binary: bool, lang: str) -> str:
    """The plain-language reading of one effect result in `lang` ("fr" or "en")."""
    if not result.get("estimable"):
        return PHRASES["not_estimable"][lang].format(
            reason=reason_text(result.get("reason"), lang) or "?"
        )
    if getattr(spec, "outcome_statistic", "mean") != "mean":
        from evalsoc.sections.effects.sentences_inequality import inequality_sentence

        return inequality_sentence(result, spec, outcome_words(spec, lang), lang)
    unit = label_text(spec.unit_label, lang) or None
    est, low, high = result["estimate"], result.get("ci_low"), result.get("ci_high")
    outcome = outcome_words(spec, lang)
    level = f"{round(spec.level * 100):d}"
    clear = low is not None and high is not None and (low > 0 or high < 0)

    digits = _digits_of(est, binary, unit)

    def fmt(value: float, signed: bool = False, with_unit: bool = True) -> str:
        return format_value(
            value, lang, binary=binary, unit=unit, signed=signed, digits=digits, with_unit=with_unit
        )

    def interval(signed: bool) -> str:
        if low is None or high is None:
            return "IC non disponible" if lang == "fr" else "CI not available"
        lo, hi = (low, high) if signed or est >= 0 else (-high, -low)
        currency = lang == "en" and unit in CURRENCIES
        return PHRASES["interval"][lang].format(
            level=level, low=fmt(lo, signed, with_unit=currency), high=fmt(hi, signed)
        )

    own = DESIGNS[spec.design].sentence if spec.design in DESIGNS else None
    if own is not None:  # a design that words its own sentence (designs/__init__.py)
        words = getattr(importlib.import_module(DESIGNS[spec.design].module), own)
        return str(words(result, spec, binary, lang))
    if spec.design in ("iv", "rd", "matching"):
        return design_sentence(result, spec, binary, lang)
    n = result.get("n")
    if spec.design == "regression":
        return PHRASES["regression"][lang].format(
            formula=spec.formula,
            n=n,
            term=spec.term,
            value=fmt(est, True),
            interval=interval(True),
            unclear="" if clear else PHRASES["regression_unclear"][lang],
        )
    if spec.design == "pre_post":
        key = "pre_post_unclear" if not clear else ("pre_post_up" if est > 0 else "pre_post_down")
        head = PHRASES[key][lang].format(n=n, outcome=outcome, value=fmt(est, not clear))
        return f"{head} ({interval(not clear)}). {PHRASES['pre_post_caveat'][lang]}"
    family = _family(spec.design)
    who_key = "did_rows" if family == "did" and not spec.unit else family
    who = WHO[who_key][lang].format(
        n_treated=result.get("n_treated") or "?", n_control=result.get("n_control") or "?"
    )
    used = spec.covariates if spec.design == "ra" else (spec.propensity or spec.covariates)
    covariates = ", ".join(used) or (
        "les caractéristiques observées" if lang == "fr" else "the observed characteristics"
    )
    assumption = ASSUMPTIONS[family][lang].format(outcome=outcome, covariates=covariates)
    if not clear:
        claim = PHRASES["unclear"][lang].format(outcome=outcome, value=fmt(est, True))
    else:
        claim = PHRASES["increase" if est > 0 else "decrease"][lang].format(
            outcome=outcome, value=fmt(est)
        )
    return f"{who}{assumption}, {claim} ({interval(not clear)})."
