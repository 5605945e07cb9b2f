"""Load-time checks: the data sources named by `resources.data` and `volunteering.people.data`
exist (a typo is a framework error at its line, before anything is read)."""

from __future__ import annotations

from typing import Any

from evalsoc.errors import FrameworkError, did_you_mean

Loc = tuple[str | int, ...]


def source_problems(framework: Any) -> list[tuple[Loc, FrameworkError]]:
    sources = list(framework.data)
    named: list[tuple[Loc, str | None]] = []
    resources = getattr(framework, "resources", None)
    if resources is not None:
        named.append((("resources", "data"), resources.data))
    people = getattr(getattr(framework, "volunteering", None), "people", None)
    if people is not None:
        named.append((("volunteering", "people", "data"), people.data))
    problems = []
    for loc, name in named:
        if name is not None and name not in sources:
            problems.append(
                (
                    loc,
                    FrameworkError(
                        "source_unknown", source=repr(name), hint=did_you_mean(name, sources)
                    ),
                )
            )
    return problems
