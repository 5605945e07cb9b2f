"""The fast number formatting writes exactly what Babel writes for fr_FR and en_GB."""

from __future__ import annotations

import random

import pytest
from babel.numbers import format_decimal

from evalsoc.text.format import fmt_number, fmt_percent

# Ties that binary floats and decimal rounding treat differently (2.675 is 2.67499… in binary;
# Babel rounds Decimal('2.675') half to even → 2.68), signed zeros, large and tiny values.
EDGES = [
    0.125,
    2.675,
    1.005,
    0.005,
    -0.001,
    -0.0,
    0.0,
    0.5,
    1.5,
    2.5,
    -2.5,
    1e14 + 0.5,
    123456789012.345,
    999.995,
    1234567.891,
    -1234.5,
]


@pytest.mark.parametrize("lang, locale", [("fr", "fr_FR"), ("en", "en_GB")])
def test_same_characters_as_babel(lang: str, locale: str) -> None:
    rng = random.Random(20251129)
    values = EDGES + [rng.uniform(-1e7, 1e7) for _ in range(400)]
    values += [round(rng.uniform(-100, 100), 3) for _ in range(400)]
    values += [float(rng.randint(-(10**9), 10**9)) for _ in range(100)]
    for digits in (0, 1, 2, 3):
        pattern = "#,##0" + ("." + "0" * digits if digits else "")
        for value in values:
            assert fmt_number(value, lang, digits) == format_decimal(
                value, format=pattern, locale=locale
            ), (value, digits)


def test_known_strings() -> None:
    assert fmt_number(1234567.891, "fr", 2) == "1\u202f234\u202f567,89"
    assert fmt_number(1234567.891, "en", 2) == "1,234,567.89"
    assert fmt_number(2.675, "en", 2) == "2.68"  # Babel's decimal rounding, not the float's
    assert fmt_percent(0.125, "fr") == "12,5\u00a0%"
    assert fmt_percent(0.125, "en") == "12.5%"
    assert fmt_number(None, "fr") == "—"
    assert fmt_number(float("nan"), "fr") == "—"
    assert fmt_number(1e308, "fr").endswith("E308")
