"""One shape for a suppressed figure, and one catalogue of reasons in French and English.

A suppressed figure is published as `suppressed: true` with `reason: {code, fr, en}`; its
numbers are null. The wording speaks of people ("personnes" / "people") everywhere; a section
counting raters, sources or volunteers still says "people", since they are people too.
"""

from __future__ import annotations

from typing import Any

# code → (French, English); {m} is the threshold privacy.min_cell.
REASONS: dict[str, tuple[str, str]] = {
    "small_cell": (
        "moins de {m} personnes : masqué (privacy.min_cell)",
        "fewer than {m} people: suppressed (privacy.min_cell)",
    ),
    "small_trait": (
        "moins de {m} personnes avec, ou sans, la caractéristique comptée : masqué "
        "(privacy.min_cell)",
        "fewer than {m} people with, or without, the characteristic counted: suppressed "
        "(privacy.min_cell)",
    ),
    "complement": (
        "masqué pour qu'un autre chiffre masqué ne puisse pas être retrouvé par soustraction "
        "(suppression secondaire)",
        "hidden so that another hidden figure cannot be recovered by subtraction "
        "(secondary suppression)",
    ),
    "nested_population": (
        "masqué : comparé à un autre chiffre publié sur presque les mêmes personnes, il "
        "ferait connaître un groupe de moins de {m} personnes (audit de confidentialité)",
        "hidden: compared with another published figure on almost the same people, it would "
        "reveal a group of fewer than {m} people (privacy audit)",
    ),
}


def reason(code: str, min_cell: int) -> dict[str, str]:
    """The reason of a suppression, as `{code, fr, en}`."""
    fr, en = REASONS[code]
    return {"code": code, "fr": fr.format(m=min_cell), "en": en.format(m=min_cell)}


def suppressed(code: str, min_cell: int, **nulls: Any) -> dict[str, Any]:
    """The fields of a suppressed figure: the given keys set to null, the flag and the reason."""
    return {**dict.fromkeys(nulls, None), "suppressed": True, "reason": reason(code, min_cell)}


def suppressed_cell(code: str, min_cell: int) -> dict[str, Any]:
    """A suppressed indicator cell: value, interval and n are null; status `suppressed`."""
    out = suppressed(code, min_cell, value=None, ci_low=None, ci_high=None, n=None)
    return {**out, "status": "suppressed"}


def reason_text(value: Any, lang: str) -> str:
    """A reason in the reader's language (a `{code, fr, en}` dict, or older plain text)."""
    if isinstance(value, dict):
        return str(value.get(lang) or value.get("en") or value.get("fr") or "")
    return "" if value is None else str(value)
