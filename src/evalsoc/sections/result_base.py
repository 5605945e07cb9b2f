"""Shared pieces of the typed results: every published object forbids unknown keys, so that a
key no model declares (a private `_groups`, a typo) fails the run's self-check instead of
reaching results.json undocumented. Nested details whose shape depends on the design are typed
as `Detail` and documented in docs/results.md."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

Detail = dict[str, Any]
Number = float | int


class ResultModel(BaseModel):
    """Base of every published result object: strict keys, JSON-ready values."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(ResultModel):
    """A sentence in both languages of the report."""

    fr: str
    en: str


class SuppressionReason(ResultModel):
    """Why a figure is not published (privacy): a stable code and its wording."""

    code: str
    fr: str
    en: str


# A reason is a coded privacy reason, or (not estimable, not computed) a sentence.
Reason = SuppressionReason | Text | str | None


def described(text: str) -> Any:
    return Field(None, description=text)
