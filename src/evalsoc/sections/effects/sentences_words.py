"""The words effect sentences share: phrases, numbers with their unit, the outcome's name.

Used by sentences.py (every design) and sentences_designs.py (iv, rd, matching).
"""

from __future__ import annotations

from typing import Any

from evalsoc.framework.base import label_text
from evalsoc.text.format import fmt_number

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
