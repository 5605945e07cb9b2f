"""The plain sentence of an effect on inequality (`outcome_statistic` gini, theil, atkinson), in
French and English: which index, which groups, the difference with its interval, what a lower
index means, and the assumption it rests on. An interval that includes zero is "too imprecise to
conclude", never "no effect on inequality".
"""

from __future__ import annotations

from typing import Any

from evalsoc.text.format import fmt_number

INDEX = {
    "gini": {"fr": "l'indice de Gini", "en": "the Gini index"},
    "theil": {"fr": "l'indice de Theil", "en": "the Theil index"},
    "atkinson": {
        "fr": "l'indice d'Atkinson (aversion {e})",
        "en": "the Atkinson index (aversion {e})",
    },
}

PHRASES = {
    "difference": {
        "fr": "En comparant {n_treated} bénéficiaires à {n_control} personnes du groupe de "
        "comparaison, {index} mesuré sur {outcome} est {direction} de {value} chez les "
        "bénéficiaires "
        "({treated} contre {control} ; {interval}), en supposant que les deux groupes étaient "
        "comparables en dehors du dispositif.",
        "en": "Comparing {n_treated} people in the programme with {n_control} in the comparison "
        "group, {index} of {outcome} is {value} {direction} among the participants ({treated} "
        "against {control}; {interval}), assuming the two groups were comparable apart from the "
        "programme.",
    },
    "did": {
        "fr": "Entre les deux périodes, {index} mesuré sur {outcome} a évolué de {change_t} dans "
        "le groupe du dispositif ({n_treated} {counted}) et de {change_c} dans le groupe de "
        "comparaison ({n_control} {counted}) : le dispositif a {verb} les inégalités de {value} ({interval}), en "
        "supposant que, sans lui, ces inégalités auraient évolué de la même façon dans les deux "
        "groupes.",
        "en": "Between the two periods, {index} of {outcome} changed by {change_t} in the "
        "programme group ({n_treated} {counted}) and by {change_c} in the comparison group "
        "({n_control} {counted}): the programme {verb} inequality by {value} ({interval}), assuming that, without "
        "it, inequality would have evolved in the same way in both groups.",
    },
    "unclear": {
        "fr": " L'intervalle contient zéro : il est trop imprécis pour conclure à une hausse ou "
        "à une baisse des inégalités.",
        "en": " The interval contains zero: it is too imprecise to conclude that inequality "
        "rose or fell.",
    },
    "scale": {
        "fr": " L'indice vaut 0 quand tous ont la même valeur et croît avec les écarts.",
        "en": " The index is 0 when everyone has the same value and grows with the gaps.",
    },
    "people": {"fr": "personnes", "en": "people"},
    "rows": {"fr": "observations", "en": "observations"},
    "lower": {"fr": "plus bas", "en": "lower"},
    "higher": {"fr": "plus élevé", "en": "higher"},
    "reduced": {"fr": "réduit", "en": "reduced"},
    "increased": {"fr": "accru", "en": "increased"},
    "interval": {"fr": "IC {level} % : {low} à {high}", "en": "{level}% CI: {low} to {high}"},
}


def _number(value: float, lang: str, signed: bool = False) -> str:
    text = fmt_number(value if signed else abs(value), lang, 3)
    if signed and value > 0:
        text = "+" + text
    return text.replace("-", "−")


def index_words(spec: Any, lang: str) -> str:
    """'the Gini index', 'l'indice d'Atkinson (aversion 0,5)'."""
    epsilon = fmt_number(float(spec.atkinson_epsilon), lang, 2).rstrip("0").rstrip(",.")
    return INDEX[spec.outcome_statistic][lang].format(e=epsilon)


def inequality_sentence(result: dict[str, Any], spec: Any, outcome: str, lang: str) -> str:
    """The reading of an estimable inequality effect in `lang`."""
    est, low, high = result["estimate"], result["ci_low"], result["ci_high"]
    cells = {
        (c["group"], c.get("period")): c["value"]
        for c in result["diagnostics"]["inequality"]["cells"]
    }
    level = f"{round(spec.level * 100):d}"
    interval = PHRASES["interval"][lang].format(
        level=level, low=_number(low, lang, True), high=_number(high, lang, True)
    )
    words = {
        "index": index_words(spec, lang),
        "outcome": outcome,
        "n_treated": result.get("n_treated"),
        "n_control": result.get("n_control"),
        "value": _number(est, lang),
        "interval": interval,
    }
    if spec.design == "did":
        change_t = cells[("treated", "after")] - cells[("treated", "before")]
        change_c = cells[("control", "after")] - cells[("control", "before")]
        text = PHRASES["did"][lang].format(
            **words,
            change_t=_number(change_t, lang, True),
            change_c=_number(change_c, lang, True),
            verb=PHRASES["reduced" if est < 0 else "increased"][lang],
            counted=PHRASES["people" if spec.unit else "rows"][lang],
        )
    else:
        text = PHRASES["difference"][lang].format(
            **words,
            direction=PHRASES["lower" if est < 0 else "higher"][lang],
            treated=_number(cells[("treated", None)], lang),
            control=_number(cells[("control", None)], lang),
        )
    if low <= 0 <= high:
        text += PHRASES["unclear"][lang]
    return text + PHRASES["scale"][lang]
