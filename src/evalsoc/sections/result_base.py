"""Shared pieces of the typed results: every published object forbids unknown keys, so that a
key no model declares (a private `_groups`, a typo) fails the run's self-check instead of
reaching results.json undocumented. Nested details whose shape depends on the design are typed
as `Detail` and documented in docs/results.md."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

Detail = dict[str, Any]
Number = float | int
# A data value as read (a category, a group's value): text, number, true/false or missing.
Scalar = str | bool | int | float | None


class ResultModel(BaseModel):
    """Base of every published result object: strict keys, JSON-ready values."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(ResultModel):
    """A sentence in both languages of the report."""

    fr: str
    en: str


class SuppressionReason(ResultModel):
    """Why a figure is not published or not estimable: a stable code (privacy.cells or the
    problem catalogue evalsoc.problems) and its French and English wording."""

    code: str
    fr: str
    en: str


# A reason is a coded reason `{code, fr, en}` (privacy, not estimable), or (older sections,
# not computed) a sentence.
Reason = SuppressionReason | Text | str | None


def described(text: str) -> Any:
    return Field(None, description=text)
