"""Building blocks shared by every section of the framework model."""

from __future__ import annotations

from fractions import Fraction
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, PlainSerializer, WithJsonSchema

from evalsoc.errors import ConfigValueError

LANGUAGES = ("fr", "en")


class StrictModel(BaseModel):
    """A config object: unknown keys are errors (so typos are caught), values are immutable,
    and no number is NaN or infinite (`max: .nan` would quietly refuse every row)."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        populate_by_name=True,
        allow_inf_nan=False,
        defer_build=True,
    )


class LocalisedText(StrictModel):
    fr: str | None = None
    en: str | None = None


# A label is either a plain string or {fr: ..., en: ...}.
Label = str | LocalisedText


def label_text(label: Label | None, lang: str, default: str = "") -> str:
    """The text of a label in `lang`, falling back to the other language, then `default`."""
    if label is None:
        return default
    if isinstance(label, str):
        return label
    primary = getattr(label, lang, None)
    if primary:
        return primary
    for other in LANGUAGES:
        text = getattr(label, other, None)
        if text:
            return text
    return default


def label_pair(label: Label | None, default: str = "") -> dict[str, str]:
    """A label in both languages, `{fr, en}`, as results.json publishes it (each language
    falling back like `label_text`)."""
    return {"fr": label_text(label, "fr", default), "en": label_text(label, "en", default)}


def parse_fraction(value: Any) -> Fraction:
    """Read a weight or share written as a number or a fraction string ("1/18") exactly.

    Floats are converted through their shortest decimal repr so that 0.1 means 1/10.
    """
    if isinstance(value, Fraction):
        return value
    if isinstance(value, bool):
        raise ConfigValueError("fraction_expected", given={"fr": "un booléen", "en": "a boolean"})
    if isinstance(value, int):
        return Fraction(value)
    if isinstance(value, float):
        return Fraction(repr(value))
    if isinstance(value, str):
        text = value.strip().replace(",", ".")
        try:
            return Fraction(text)
        except (ValueError, ZeroDivisionError):
            raise ConfigValueError("fraction_expected", given=repr(value)) from None
    raise ConfigValueError("fraction_expected", given=repr(value))


# A pydantic field type for exact fractions, serialised as "p/q" strings.
ExactFraction = Annotated[
    Fraction,
    BeforeValidator(parse_fraction),
    PlainSerializer(lambda f: str(f), return_type=str),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "number"},
                {"type": "string", "pattern": r"^\s*\d+(\.\d+)?\s*(/\s*\d+\s*)?$"},
            ],
            "description": "A number or an exact fraction such as 1/18.",
        }
    ),
]
