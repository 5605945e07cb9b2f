"""The plain sentences of the designs iv, rd and matching, in French and English.

Each says what was compared, the estimate with its interval, the assumption it rests on, and,
when a diagnostic says the assumption is doubtful, what that means for the reader (a weak
instrument, people sorting around a threshold, characteristics still unbalanced after matching).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from evalsoc.framework.base import label_text
from evalsoc.sections.effects.sentences_words import PHRASES, format_value, outcome_words

TEXT = {
    "iv_who": {
        "fr": "En se servant de {instruments} comme instrument de {endogenous} ({n} observations), "
        "et en supposant que {instruments} n'agit sur {outcome} qu'à travers {endogenous} et est "
        "comme tiré au hasard une fois pris en compte {covariates}, ",
        "en": "Using {instruments} as an instrument for {endogenous} ({n} observations), and "
        "assuming that {instruments} affects {outcome} only through {endogenous} and is as good "
        "as random once {covariates} are taken into account, ",
    },
    "iv_claim_unit": {
        "fr": "une unité de plus de {endogenous} change {outcome} de {value}",
        "en": "one more unit of {endogenous} changes {outcome} by {value}",
    },
    "iv_claim_programme": {
        "fr": "le dispositif change {outcome} de {value} pour les personnes dont la participation "
        "dépend de l'instrument",
        "en": "the programme changes {outcome} by {value} for the people whose participation "
        "depends on the instrument",
    },
    "iv_weak": {
        "fr": " L'instrument est faible (F effectif de première étape = {f}, sous {threshold}) : "
        "l'intervalle usuel n'est pas fiable ; l'intervalle robuste aux instruments faibles "
        "(Anderson–Rubin) {ar}.",
        "en": " The instrument is weak (effective first-stage F = {f}, below {threshold}): the "
        "usual interval is not reliable; the interval robust to weak instruments "
        "(Anderson–Rubin) {ar}.",
    },
    "ar_interval": {"fr": "va de {low} à {high}", "en": "runs from {low} to {high}"},
    "ar_open": {
        "fr": "n'est pas borné : les données ne permettent pas de situer l'effet",
        "en": "is unbounded: the data cannot pin the effect down",
    },
    "rd_who": {
        "fr": "Au seuil {cutoff} de {running} ({n_left} observations juste en dessous et "
        "{n_right} juste au-dessus, dans une fenêtre de ± {h}), et en supposant que personne ne "
        "pouvait se placer précisément d'un côté ou de l'autre du seuil, ",
        "en": "At the threshold {cutoff} of {running} ({n_left} observations just below and "
        "{n_right} just above, within ± {h}), and assuming nobody could place themselves "
        "precisely on either side of the threshold, ",
    },
    "rd_claim_sharp": {
        "fr": "franchir le seuil change {outcome} de {value}",
        "en": "crossing the threshold changes {outcome} by {value}",
    },
    "rd_claim_fuzzy": {
        "fr": "le dispositif change {outcome} de {value} pour les personnes dont la participation "
        "dépend du franchissement du seuil",
        "en": "the programme changes {outcome} by {value} for the people whose participation "
        "depends on crossing the threshold",
    },
    "rd_sorting": {
        "fr": " Le test de densité suggère que des personnes se sont placées d'un côté du seuil "
        "(p = {p}) : l'estimation peut être biaisée.",
        "en": " The density test suggests that people sorted themselves around the threshold "
        "(p = {p}): the estimate may be biased.",
    },
    "matching_who": {
        "fr": "En comparant {n_treated} participants à {n_control} non-participants appariés sur "
        "{covariates}, et en supposant qu'une fois ces caractéristiques prises en compte, "
        "participants et non-participants étaient comparables, ",
        "en": "Comparing {n_treated} participants with {n_control} matched non-participants "
        "similar in {covariates}, and assuming that once these characteristics are taken into "
        "account participants and non-participants were comparable, ",
    },
    "matching_claim": {
        "fr": "le dispositif a changé {outcome} de {value} chez les participants",
        "en": "the programme changed {outcome} by {value} among the participants",
    },
    "matching_unbalanced": {
        "fr": " Après appariement, des caractéristiques restent déséquilibrées ({names}) : la "
        "comparaison est moins fiable.",
        "en": " After matching, some characteristics remain unbalanced ({names}): the comparison "
        "is less reliable.",
    },
    "matching_dropped": {
        "fr": " {k} participants sans contrepartie assez proche ont été écartés : l'effet ne "
        "concerne que les autres.",
        "en": " {k} participants without a close enough counterpart were left out: the effect "
        "concerns the others only.",
    },
    "unclear": {
        "fr": "{claim}, mais l'intervalle est trop large pour conclure ({interval}) : il est "
        "compatible aussi bien avec une baisse qu'avec une hausse.",
        "en": "{claim}, but the interval is too wide to conclude ({interval}): it is compatible "
        "with a decrease as well as an increase.",
    },
    "the_covariates": {
        "fr": "les caractéristiques observées",
        "en": "the observed characteristics",
    },
}


def _significant(value: float | None, lang: str, figures: int = 3) -> str:
    """A positive number with `figures` significant digits (a bandwidth of 0.00522)."""
    from evalsoc.text.format import fmt_number

    if not value:
        return "—"
    digits = max(0, figures - 1 - int(np.floor(np.log10(abs(value)))))
    return fmt_number(value, lang, digits)


def _quoted(name: str, lang: str) -> str:
    return f"« {name} »" if lang == "fr" else f"“{name}”"


def design_sentence(result: dict[str, Any], spec: Any, binary: bool, lang: str) -> str:
    """The reading of an estimable iv, rd or matching effect in `lang`."""
    from evalsoc.text.format import fmt_number

    unit = label_text(spec.unit_label, lang) or None
    est, low, high = result["estimate"], result.get("ci_low"), result.get("ci_high")
    outcome = outcome_words(spec, lang)
    clear = low is not None and high is not None and (low > 0 or high < 0)
    digits = None if est == 0 else max(0, min(4, -int(f"{abs(est):e}".split("e")[1]) + 1))

    def fmt(value: float, signed: bool = True, with_unit: bool = True) -> str:
        return format_value(
            value, lang, binary=binary, unit=unit, signed=signed, digits=digits, with_unit=with_unit
        )

    def interval(lo: float | None, hi: float | None) -> str:
        if lo is None or hi is None:
            return "IC non disponible" if lang == "fr" else "CI not available"
        return PHRASES["interval"][lang].format(
            level=f"{round(spec.level * 100):d}", low=fmt(lo, with_unit=False), high=fmt(hi)
        )

    diagnostics = result.get("diagnostics") or {}
    covariates = ", ".join(spec.covariates) or TEXT["the_covariates"][lang]
    tail = ""
    if spec.design == "iv":
        instruments = ", ".join(_quoted(z, lang) for z in spec.instruments)
        endogenous = _quoted(result.get("endogenous") or "?", lang)
        head = TEXT["iv_who"][lang].format(
            instruments=instruments,
            endogenous=endogenous,
            n=result.get("n"),
            outcome=outcome,
            covariates=covariates,
        )
        key = "iv_claim_unit" if spec.endogenous else "iv_claim_programme"
        claim = TEXT[key][lang].format(endogenous=endogenous, outcome=outcome, value=fmt(est))
        if diagnostics.get("weak_instruments"):
            ar = diagnostics.get("anderson_rubin") or {}
            if ar.get("shape") == "interval":
                ar_text = TEXT["ar_interval"][lang].format(
                    low=fmt(ar["low"], with_unit=False), high=fmt(ar["high"])
                )
            else:
                ar_text = TEXT["ar_open"][lang]
            f_value = fmt_number(diagnostics.get("first_stage_f_effective"), lang, 1)
            tail = TEXT["iv_weak"][lang].format(f=f_value, threshold=10, ar=ar_text)
    elif spec.design == "rd":
        bw = diagnostics.get("bandwidth") or {}
        head = TEXT["rd_who"][lang].format(
            cutoff=fmt_number(spec.cutoff, lang, 2).rstrip("0").rstrip(",."),
            running=_quoted(spec.running, lang),
            n_left=(diagnostics.get("observations_in_bandwidth") or {}).get("below"),
            n_right=(diagnostics.get("observations_in_bandwidth") or {}).get("above"),
            h=_significant(bw.get("h_left"), lang),
        )
        key = "rd_claim_fuzzy" if spec.treatment else "rd_claim_sharp"
        claim = TEXT[key][lang].format(outcome=outcome, value=fmt(est))
        density = diagnostics.get("density_test") or {}
        if density.get("p_value") is not None and density["p_value"] < 0.05:
            tail = TEXT["rd_sorting"][lang].format(p=fmt_number(density["p_value"], lang, 3))
    else:  # matching
        head = TEXT["matching_who"][lang].format(
            n_treated=result.get("n_treated"),
            n_control=result.get("n_control"),
            covariates=", ".join(dict.fromkeys([*spec.exact, *spec.covariates]))
            or TEXT["the_covariates"][lang],
        )
        claim = TEXT["matching_claim"][lang].format(outcome=outcome, value=fmt(est))
        unbalanced = [
            r["covariate"] for r in diagnostics.get("balance") or [] if r.get("flagged_weighted")
        ]
        if unbalanced:
            tail += TEXT["matching_unbalanced"][lang].format(names=", ".join(unbalanced))
        dropped = diagnostics.get("treated_unmatched") or 0
        if dropped:
            tail += TEXT["matching_dropped"][lang].format(k=dropped)
    if clear:
        body = f"{claim} ({interval(low, high)})."
    else:
        body = TEXT["unclear"][lang].format(claim=claim, interval=interval(low, high))
    return head + body + tail
