"""One plain sentence per effect, in French and English, for funders.

Each sentence says who was compared with whom, the estimate with its interval and unit, and the
assumption it rests on. An interval that includes zero is worded as "too wide to conclude",
never as "no effect"; a before/after comparison is said not to be a counterfactual.
"""

from __future__ import annotations

from typing import Any

from evalsoc.framework.base import label_text
from evalsoc.privacy.cells import reason_text

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

PHRASES = {
    "increase": {
        "fr": "le dispositif a augmenté {outcome} de {value}",
        "en": "the programme increased {outcome} by {value}",
    },
    "decrease": {
        "fr": "le dispositif a réduit {outcome} de {value}",
        "en": "the programme reduced {outcome} by {value}",
    },
    "regression": {
        "fr": "Dans le modèle de régression {formula} ({n} observations), le coefficient de "
        "{term} vaut {value} ({interval}){unclear} ; il ne se lit comme un effet que si le modèle "
        "inclut tous les facteurs liés à la fois à {term} et au résultat.",
        "en": "In the regression model {formula} ({n} observations), the coefficient of {term} "
        "is {value} ({interval}){unclear}; it reads as an effect only if the model includes "
        "every factor related to both {term} and the outcome.",
    },
    "regression_unclear": {
        "fr": ", un intervalle trop large pour conclure",
        "en": ", an interval too wide to conclude",
    },
    "interval": {"fr": "IC {level} % : {low} à {high}", "en": "{level}% CI: {low} to {high}"},
    "unclear": {
        "fr": "l'effet estimé du dispositif sur {outcome} est de {value}, mais l'intervalle est "
        "trop large pour conclure : il est compatible aussi bien avec une baisse qu'avec une hausse",
        "en": "the estimated effect of the programme on {outcome} is {value}, but the interval is "
        "too wide to conclude: it is compatible with a decrease as well as an increase",
    },
    "pre_post_up": {
        "fr": "Chez les {n} personnes suivies, {outcome} a augmenté de {value} entre avant et après",
        "en": "Among the {n} people followed, {outcome} rose by {value} between before and after",
    },
    "pre_post_down": {
        "fr": "Chez les {n} personnes suivies, {outcome} a baissé de {value} entre avant et après",
        "en": "Among the {n} people followed, {outcome} fell by {value} between before and after",
    },
    "pre_post_unclear": {
        "fr": "Chez les {n} personnes suivies, l'évolution de {outcome} entre avant et après est "
        "de {value}, mais l'intervalle est trop large pour conclure",
        "en": "Among the {n} people followed, the change in {outcome} between before and after is "
        "{value}, but the interval is too wide to conclude",
    },
    "pre_post_caveat": {
        "fr": "Cette comparaison avant/après n'est pas une estimation contrefactuelle : elle "
        "compte aussi les changements qui seraient survenus sans le dispositif.",
        "en": "This before/after comparison is not a counterfactual estimate: it also counts the "
        "changes that would have happened without the programme.",
    },
    "not_estimable": {
        "fr": "Cet effet n'a pas pu être estimé ({reason}) ; le rapport ne peut donc rien en "
        "conclure.",
        "en": "This effect could not be estimated ({reason}), so the report can draw no "
        "conclusion about it.",
    },
    "pp": {"fr": "point de pourcentage", "en": "percentage point"},
}

CURRENCIES = {"€", "$", "£"}


def _digits(value: float) -> int:
    a = abs(value)
    if a >= 10:
        return 0
    if a >= 1:
        return 1
    if a >= 0.1:
        return 2
    return 3


def format_value(
    value: float,
    lang: str,
    *,
    binary: bool,
    unit: str | None,
    signed: bool = False,
    digits: int | None = None,
    with_unit: bool = True,
) -> str:
    """A number with its unit: '12 points', '1 794 €', '4,5 points de pourcentage'."""
    from evalsoc.text.format import fmt_number

    shown = value * 100 if binary and not unit else value
    nd = _digits(shown) if digits is None else digits
    text = fmt_number(shown if signed else abs(shown), lang, nd)
    if signed and shown > 0:
        text = "+" + text
    if text.startswith("-"):
        text = "−" + text[1:]
    if not with_unit:
        return text
    if binary and not unit:
        word = PHRASES["pp"][lang]
        if abs(shown) >= 2:
            word = word.replace("point", "points") if lang == "fr" else word + "s"
        return f"{text}\u00a0{word}"
    if unit:
        if lang == "en" and unit in CURRENCIES:
            sign = text[0] if text[0] in "+−" else ""
            return f"{sign}{unit}{text[len(sign) :]}"
        return f"{text}\u00a0{unit}"
    return text


def _digits_of(value: float, binary: bool, unit: str | None) -> int:
    return _digits(value * 100 if binary and not unit else value)


def _family(design: str) -> str:
    return "selection" if design in ("ipw", "aipw", "ra") else design


def outcome_words(spec: Any, lang: str) -> str:
    """The outcome in words (outcome_label), or the column name in quotes."""
    text = label_text(spec.outcome_label, lang)
    if text:
        return text
    name = spec.outcome or "?"
    return f"« {name} »" if lang == "fr" else f"“{name}”"


def sentence(result: dict[str, Any], spec: Any, binary: bool, lang: str) -> str:
    """The plain-language reading of one effect result in `lang` ("fr" or "en")."""
    if not result.get("estimable"):
        return PHRASES["not_estimable"][lang].format(
            reason=reason_text(result.get("reason"), lang) or "?"
        )
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

    if spec.design in ("iv", "rd", "matching"):
        from evalsoc.sections.effects.sentences_designs import design_sentence

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
