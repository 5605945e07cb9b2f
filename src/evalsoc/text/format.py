"""Numbers and percentages written the way each language writes them (1 234,5 vs 1,234.5).

French and English use Babel's fr_FR / en_GB decimal patterns (`#,##0.00`: a narrow no-break
space or a comma between thousands, a decimal comma or point), written here with Python's own
decimal formatting of the same `Decimal(repr(value))` that Babel rounds (half to even): the same
characters as Babel (tests/text/test_format.py checks it value by value) at a thirteenth of the
cost — a report of 200 indicators writes tens of thousands of numbers, Babel takes ~45 µs each.
Any other language is written as English (en_GB), as before; numbers too large to be exact in
float64 go through Babel's scientific notation."""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

_LOCALES = {"fr": "fr_FR", "en": "en_GB"}
LARGEST_PLAIN = 1e15  # beyond, digits are no longer exact in float64: scientific notation
NARROW_NBSP = "\u202f"  # CLDR's group separator for French


def fmt_number(value: Any, lang: str, digits: int = 2) -> str:
    """A number with `digits` decimals in the language's convention; '—' for missing."""
    if value is None:
        return "—"
    number = float(value)
    if not math.isfinite(number):
        return "—"
    locale = _LOCALES.get(lang, "en_GB")
    if abs(number) >= LARGEST_PLAIN:
        from babel.numbers import format_scientific

        # 1e308 written out has 309 digits (and overflows Babel's decimal context): 1,17E308.
        return format_scientific(number, format="0.##E0", locale=locale)
    text = format(Decimal(repr(number)), f",.{max(digits, 0)}f")
    if lang == "fr":
        return text.replace(",", NARROW_NBSP).replace(".", ",")
    return text


def fmt_percent(value: Any, lang: str, digits: int = 1) -> str:
    """A share in [0, 1] as a percentage ('12,5 %' in French, '12.5%' in English)."""
    if value is None:
        return "—"
    number = fmt_number(float(value) * 100, lang, digits)
    return f"{number}\u00a0%" if lang == "fr" else f"{number}%"
