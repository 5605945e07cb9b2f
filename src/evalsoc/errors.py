"""The error types users see: a stable code, its parameters and where, worded FR and EN.

Each error is a code of the one catalogue of problems (`problems.CATALOGUE`) plus the
parameters its templates need, so the CLI prints it in the reader's language and
`validate --json` gives `{code, fr, en, position}`. `str(error)` is the English message (logs,
tests). The class keeps the exit code: FrameworkError and DataReadError 2, DataPolicyError 1.
An error that gathers several problems (a framework with three wrong keys) holds them in
`problems`, each an error with its own code and position.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import Any

from evalsoc.problems import Problem

LANGUAGES = ("fr", "en")
# Where an error is: "file:line:col: key.path" (the same in both languages) or `{fr, en}` when
# it holds words ("resources: source 'x', data row 3").
Position = str | dict[str, str]


def _in(position: Position, lang: str) -> str:
    return position if isinstance(position, str) else position[lang]


class EvalsocError(Exception):
    """Base of every error evalsoc reports to its user: `code`, `params`, `position`."""

    exit_code = 2

    def __init__(
        self,
        code: str,
        /,
        *,
        at: Position | None = None,
        problems: Sequence[EvalsocError] = (),
        **params: Any,
    ) -> None:
        self.code = code
        self.params = params
        self.position = at
        self.problems = list(problems)
        self._problem = Problem(code, params)  # refuses an unknown code at once
        super().__init__(self.message("en"))

    def message(self, lang: str = "en", *, problems: bool = True) -> str:
        """The message in `lang`, prefixed by its position, followed by its problems' lines."""
        text = self._problem.text(lang)
        if self.position:
            text = f"{_in(self.position, lang)}: {text}"
        if not problems:
            return text
        return text + "".join(f"\n{p.message(lang)}" for p in self.problems)

    def located(self, position: Position) -> EvalsocError:
        """The same error, placed under `position` (e.g. the framework key that led to it)."""
        at: Position = position
        if self.position:
            at = {lang: f"{_in(position, lang)}: {_in(self.position, lang)}" for lang in LANGUAGES}
            if at["fr"] == at["en"]:
                at = at["en"]
        return type(self)(self.code, at=at, problems=self.problems, **self.params)

    def as_list(self) -> list[dict[str, Any]]:
        """The problems as `{code, title, position, message: {fr, en}}` (itself when it
        gathers none): what `evalsoc validate --json` prints."""
        if self.problems:
            return [item for p in self.problems for item in p.as_list()]
        return [
            {
                "code": self.code,
                "title": self._problem.title,
                "position": _in(self.position, "en") if self.position else None,
                "message": {lang: self._problem.text(lang) for lang in LANGUAGES},
            }
        ]

    def __str__(self) -> str:
        return self.message("en")

    def __reduce__(self) -> tuple[Any, ...]:  # picklable across processes, params kept
        return (_rebuild, (type(self), self.code, self.position, self.problems, self.params))


def _rebuild(
    cls: type[EvalsocError],
    code: str,
    at: Position | None,
    problems: list[EvalsocError],
    params: dict[str, Any],
) -> EvalsocError:
    return cls(code, at=at, problems=problems, **params)


class FrameworkError(EvalsocError):
    """The framework file (or a usage of the CLI) is wrong: exit code 2."""

    exit_code = 2


class DataPolicyError(EvalsocError):
    """The data were refused by the framework's policy (too many invalid rows...): exit code 1."""

    exit_code = 1


class DataReadError(EvalsocError):
    """A data file cannot be read at all (missing, empty, unreadable): exit code 2."""

    exit_code = 2


# The language of the messages: set by the CLI (`--lang`) and by the framework's `language:`.
_chosen: dict[str, str] = {}


def prefer_language(source: str, lang: str | None) -> None:
    """Note a language for the messages: source is 'option' (--lang) or 'framework'."""
    if lang in LANGUAGES:
        _chosen[source] = lang
    else:
        _chosen.pop(source, None)


def forget_languages() -> None:
    """Start a command afresh (the tests run several commands in one process)."""
    _chosen.clear()


def user_language(environ: Mapping[str, str] | None = None) -> str:
    """`--lang`, else the framework's `language:`, else the locale (LC_ALL, LC_MESSAGES,
    LANG as gettext reads them: `fr…` is French), else English."""
    for source in ("option", "framework"):
        if source in _chosen:
            return _chosen[source]
    env = os.environ if environ is None else environ
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name, "")
        if value:
            return "fr" if value.lower().startswith("fr") else "en"
    return "en"


def did_you_mean(name: str, options: Sequence[str]) -> dict[str, str]:
    """A worded parameter: `; did you mean 'x'?` for the close options, else nothing."""
    import difflib

    near = difflib.get_close_matches(name, list(options), n=3, cutoff=0.6)
    if not near:
        return {"fr": "", "en": ""}
    listed = ", ".join(map(repr, near))
    return {"fr": f" ; vouliez-vous dire {listed} ?", "en": f"; did you mean {listed}?"}


def either(fr: str, en: str) -> dict[str, str]:
    """A parameter that is itself words, in both languages."""
    return {"fr": fr, "en": en}


class ConfigValueError(ValueError):
    """A framework value refused by a config model's validator, as a catalogue code: pydantic
    keeps the exception in the error's context, and the loader reports its code and wording
    (framework/load.py); `str()` is the English message, as pydantic shows it."""

    def __init__(self, code: str, /, **params: Any) -> None:
        self.code = code
        self.params = params
        self._problem = Problem(code, params)
        super().__init__(self._problem.text("en"))
