"""Load-time checks: the data sources named by `resources.data` and `volunteering.people.data`
exist (a typo is a framework error at its line, before anything is read)."""

from __future__ import annotations

import difflib
from typing import Any

Loc = tuple[str | int, ...]


def source_problems(framework: Any) -> list[tuple[Loc, str]]:
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
            near = difflib.get_close_matches(name, sources, n=3, cutoff=0.6)
            hint = f"; did you mean {', '.join(map(repr, near))}?" if near else ""
            problems.append((loc, f"unknown data source {name!r}{hint}"))
    return problems
