"""Dates written in words, French or English (« 3 février 2025 », "February 3, 2025"), turned
into ISO text before the date conversion; anything else is left as it is."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

MONTHS = {
    # French, with and without accents, and the usual abbreviations
    "janvier": 1, "janv": 1, "fevrier": 2, "fevr": 2, "fev": 2, "mars": 3, "avril": 4,
    "avr": 4, "mai": 5, "juin": 6, "juillet": 7, "juil": 7, "aout": 8, "septembre": 9,
    "sept": 9, "octobre": 10, "oct": 10, "novembre": 11, "nov": 11, "decembre": 12, "dec": 12,
    # English
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4,
    "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sep": 9, "october": 10, "november": 11, "december": 12,
}  # fmt: skip
_DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})(?:er|st|nd|rd|th)?\s+([a-z]+)\.?\s+(\d{4})$")
_MONTH_DAY_YEAR = re.compile(r"^([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})$")


def _fold(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(plain.lower().replace("\u00a0", " ").split())


def iso_from_words(text: str) -> str | None:
    """'3 février 2025' → '2025-02-03'; None when the text is not a date in words."""
    folded = _fold(text)
    match = _DAY_MONTH_YEAR.match(folded)
    if match:
        day, month, year = match.group(1), match.group(2), match.group(3)
    else:
        match = _MONTH_DAY_YEAR.match(folded)
        if not match:
            return None
        month, day, year = match.group(1), match.group(2), match.group(3)
    number = MONTHS.get(month)
    if number is None:
        return None
    return f"{int(year):04d}-{number:02d}-{int(day):02d}"


def words_to_iso(series: Any) -> Any:
    """The column with every date in words rewritten as ISO text (per distinct value)."""
    import pandas as pd

    if not (pd.api.types.is_string_dtype(series.dtype) or series.dtype == object):
        return series
    uniques = pd.unique(series.dropna())
    mapping = {
        u: iso for u in uniques if isinstance(u, str) and (iso := iso_from_words(u)) is not None
    }
    if not mapping:
        return series
    return series.map(lambda v: mapping.get(v, v) if isinstance(v, str) else v)
