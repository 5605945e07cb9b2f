"""Numbers and percentages written the way each language writes them (1 234,5 vs 1,234.5)."""

from __future__ import annotations

from typing import Any

_LOCALES = {"fr": "fr_FR", "en": "en_GB"}
LARGEST_PLAIN = 1e15  # beyond, digits are no longer exact in float64: scientific notation


def fmt_number(value: Any, lang: str, digits: int = 2) -> str:
    """A number with `digits` decimals in the language's convention; '—' for missing."""
    if value is None:
        return "—"
    import math

    from babel.numbers import format_decimal, format_scientific

    number = float(value)
    locale = _LOCALES.get(lang, "en_GB")
    if not math.isfinite(number):
        return "—"
    if abs(number) >= LARGEST_PLAIN:
        # 1e308 written out has 309 digits (and overflows Babel's decimal context): 1,17E308.
        return format_scientific(number, format="0.##E0", locale=locale)
    pattern = "#,##0" + ("." + "0" * digits if digits > 0 else "")
    return format_decimal(number, format=pattern, locale=locale)


def fmt_percent(value: Any, lang: str, digits: int = 1) -> str:
    """A share in [0, 1] as a percentage ('12,5 %' in French, '12.5%' in English)."""
    if value is None:
        return "—"
    number = fmt_number(float(value) * 100, lang, digits)
    return f"{number}\u00a0%" if lang == "fr" else f"{number}%"
