"""The error of the `where` language, coded (`where_*` in the error catalogue) so that the
parser and every engine's evaluator word it alike, in French and English."""

from __future__ import annotations

from typing import Any

from evalsoc.problems import Problem


class ExpressionError(ValueError):
    """An expression that cannot be parsed or evaluated: a catalogue code (`where_*`) and its
    parameters, so the reader sees where and why in French or English (`words()`); `str(exc)`
    is the English message, as logs and tests read it."""

    def __init__(self, code: str, expression: str, position: int | None = None, **params: Any):
        self.code = code
        self.params = params
        self.expression = expression
        self.position = position
        self._problem = Problem(code, params)  # refuses an unknown code at once
        self.short_message = self._problem.text("en")
        super().__init__(self.words()["en"])

    def words(self) -> dict[str, str]:
        """The message in both languages, each followed by the caret under the position."""
        pointer = ""
        if self.position is not None:
            pointer = f"\n    {self.expression}\n    {' ' * self.position}^"
        within = {"fr": "dans l'expression", "en": "in expression"}
        return {
            lang: f"{self._problem.text(lang)} {within[lang]} {self.expression!r}{pointer}"
            for lang in ("fr", "en")
        }
