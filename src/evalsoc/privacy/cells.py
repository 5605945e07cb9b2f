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
    # Effects: shares of a 0/1 outcome or covariate published per group ({places}: where).
    "small_trait_in": (
        "moins de {m} personnes avec, ou sans, cette caractéristique dans {places} "
        "(privacy.min_cell) : la part révélerait un effectif",
        "fewer than {m} people with, or without, this trait in {places} (privacy.min_cell): "
        "the share would reveal a count",
    ),
    "small_outcome_in": (
        "moins de {m} personnes avec, ou sans, le résultat dans {places} (privacy.min_cell) : "
        "la part révélerait un effectif",
        "fewer than {m} people with, or without, the outcome in {places} (privacy.min_cell): "
        "the share would reveal a count",
    ),
    "hidden_share_companion": (
        "masqué avec une part masquée : avec l'estimation publiée, il redonnerait cette part "
        "(privacy.min_cell = {m})",
        "withheld with a hidden share: with the published estimate it would give that share "
        "back (privacy.min_cell = {m})",
    ),
    "hidden_share_figures": (
        "masqué : moins de {m} personnes avec, ou sans, le résultat dans {places} "
        "(privacy.min_cell) ; avec l'estimation, ces chiffres redonneraient la part masquée",
        "withheld: fewer than {m} people with, or without, the outcome in {places} "
        "(privacy.min_cell); with the estimate, these figures would give the hidden share back",
    ),
    "small_mcnemar": (
        "moins de {m} personnes améliorées ou dégradées (privacy.min_cell) : les effectifs, "
        "et la statistique et la p-valeur qui en découlent, sont masqués (avec l'estimation, "
        "l'un redonnerait l'autre)",
        "fewer than {m} people improved or worsened (privacy.min_cell): the counts, and the "
        "statistic and p-value computed from them, are withheld (with the estimate, either "
        "count would give the other back)",
    ),
}

# Where a hidden share sits, for {places}: (French, English).
PLACES: dict[str, tuple[str, str]] = {
    "treated": ("le groupe du programme", "the programme group"),
    "control": ("le groupe de comparaison", "the comparison group"),
    "before": ("la période avant", "the before period"),
    "after": ("la période après", "the after period"),
    "treated_before": (
        "le groupe du programme avant le début",
        "the programme group before the start",
    ),
    "treated_after": (
        "le groupe du programme après le début",
        "the programme group after the start",
    ),
    "control_before": (
        "le groupe de comparaison avant le début",
        "the comparison group before the start",
    ),
    "control_after": (
        "le groupe de comparaison après le début",
        "the comparison group after the start",
    ),
}


def reason(code: str, min_cell: int, places: list[str] | None = None) -> dict[str, str]:
    """The reason of a suppression, as `{code, fr, en}`; `places` are keys of PLACES (or a
    group's own name, shown as it is), joined by "et" / "and"."""
    fr, en = REASONS[code]
    where = list(dict.fromkeys(places or []))
    out = {"code": code}
    for lang, template, join in (("fr", fr, " et "), ("en", en, " and ")):
        index = 0 if lang == "fr" else 1
        words = join.join(PLACES[p][index] if p in PLACES else p for p in where)
        out[lang] = template.format(m=min_cell, places=words)
    return out


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
