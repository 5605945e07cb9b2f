"""The sentences setting an indicator beside its territorial references (results
`indicators.<id>.references`, sections/indicators/references.py), in French and English."""

from __future__ import annotations

from typing import Any

from evalsoc.privacy.cells import reason_text
from evalsoc.text.format import fmt_number, fmt_percent

PERCENT_KINDS = ("proportion", "share")

TEXT = {
    "fr": {
        "reference": "Référence territoriale{label} — {territory}, {source}, {year} : {value}{interval}.",
        "interval": " (intervalle {low} à {high})",
        "se": " (erreur type {se})",
        "gap": "Écart : {difference}",
        "beyond": "l'écart dépasse l'incertitude ({rule}).",
        "within": "l'écart reste dans l'incertitude ({rule}).",
        "hidden": "Écart non publié : {reason}.",
        "none": "Écart : {reason}.",
        "points": "{value}\u00a0points",
        "combined": "seuil 1,96 × √(se² indicateur + se² référence) = {margin}",
        "indicator_interval": "la référence, sans incertitude publiée, est comparée à "
        "l'intervalle de confiance de l'indicateur",
        "reference_interval": "l'indicateur est un compte exact ; seuil 1,96 × se de la "
        "référence = {margin}",
        "both_exact": "deux valeurs exactes",
    },
    "en": {
        "reference": "Territorial reference{label} — {territory}, {source}, {year}: {value}{interval}.",
        "interval": " (interval {low} to {high})",
        "se": " (standard error {se})",
        "gap": "Difference: {difference}",
        "beyond": "the difference exceeds the uncertainty ({rule}).",
        "within": "the difference is within the uncertainty ({rule}).",
        "hidden": "Difference not published: {reason}.",
        "none": "Difference: {reason}.",
        "points": "{value}\u00a0points",
        "combined": "threshold 1.96 × √(indicator se² + reference se²) = {margin}",
        "indicator_interval": "the reference, published without uncertainty, is compared "
        "with the indicator's confidence interval",
        "reference_interval": "the indicator is an exact count; threshold 1.96 × the "
        "reference's se = {margin}",
        "both_exact": "two exact values",
    },
}


def _label(value: Any, lang: str) -> str:
    if isinstance(value, dict):
        return str(value.get(lang) or value.get("fr") or value.get("en") or "")
    return "" if value is None else str(value)


def _value(value: float, kind: str, lang: str) -> str:
    return fmt_percent(value, lang) if kind in PERCENT_KINDS else fmt_number(value, lang, 2)


def _difference(value: float, kind: str, lang: str) -> str:
    sign = "+" if value > 0 else ("−" if value < 0 else "")
    if kind in PERCENT_KINDS:  # a difference of proportions reads in percentage points
        return sign + TEXT[lang]["points"].format(value=fmt_number(abs(value) * 100, lang, 1))
    return sign + fmt_number(abs(value), lang, 2)


def reference_lines(kind: str, result: dict[str, Any], lang: str) -> list[str]:
    """One sentence per reference: its value and source, the difference and its reading."""
    text = TEXT["fr" if lang == "fr" else "en"]
    lines = []
    for ref in result.get("references") or []:
        label = _label(ref.get("label"), lang)
        interval = ""
        if ref.get("ci_low") is not None and ref.get("ci_high") is not None:
            interval = text["interval"].format(
                low=_value(ref["ci_low"], kind, lang), high=_value(ref["ci_high"], kind, lang)
            )
        elif ref.get("se") is not None:
            interval = text["se"].format(se=_value(ref["se"], kind, lang))
        line = text["reference"].format(
            label=f" « {label} »" if label and lang == "fr" else (f" “{label}”" if label else ""),
            territory=_label(ref["territory"], lang),
            source=_label(ref["source"], lang),
            year=ref["year"],
            value=_value(ref["value"], kind, lang),
            interval=interval,
        )
        if ref.get("suppressed"):
            line += " " + text["hidden"].format(reason=reason_text(ref.get("reason"), lang))
        elif ref.get("difference") is None or ref.get("beyond_uncertainty") is None:
            reason = reason_text(ref.get("reason"), lang)
            if ref.get("difference") is not None:
                gap = text["gap"].format(difference=_difference(ref["difference"], kind, lang))
                line += f" {gap} ; {reason}." if lang == "fr" else f" {gap}; {reason}."
            else:
                line += " " + text["none"].format(reason=reason)
        else:
            margin = ref.get("margin")
            rule = text[ref["rule"]].format(
                margin="" if margin is None else _difference(margin, kind, lang).lstrip("+")
            )
            verdict = text["beyond" if ref["beyond_uncertainty"] else "within"].format(rule=rule)
            gap = text["gap"].format(difference=_difference(ref["difference"], kind, lang))
            line += f" {gap} ; {verdict}" if lang == "fr" else f" {gap}; {verdict}"
        lines.append(line)
    return lines
