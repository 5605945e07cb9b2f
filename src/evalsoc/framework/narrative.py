"""Config model of `narrative:`: the association's own words, in Markdown, French and English.

The report renders them with markdown-it-py, raw HTML disabled (see evalsoc.report.narrative).
Only pydantic and evalsoc.framework.base here.
"""

from __future__ import annotations

from pydantic import Field

from evalsoc.framework.base import Label, StrictModel


class NarrativeSpec(StrictModel):
    """Texts written by the association or the evaluator, shown as they wrote them."""

    context: Label | None = Field(None, description="The context of the programme (Markdown).")
    programme: Label | None = Field(None, description="What the programme does (Markdown).")
    people: Label | None = Field(None, description="The people served (Markdown).")
    questions: list[Label] = Field(
        default_factory=list, description="The evaluative questions, in the order asked."
    )
    criteria: dict[str, Label] = Field(
        default_factory=dict, description="The evaluator's reading, by criterion id (Markdown)."
    )
    conclusion: Label | None = Field(None, description="The conclusion (Markdown).")
