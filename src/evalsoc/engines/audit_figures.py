"""The published figures of one indicator and the population behind each, for the engines
that audit disclosure from counted cells (duckdb_audit.py, spark_audit.py).

One enumeration for both engines, in the keys and order of privacy/indicators.py `figures`
(which yields them from pandas masks): the audit compares figures by these keys.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, TypeVar

P = TypeVar("P")


def published_figures(
    result: dict[str, Any],
    kind: str,
    every_group: list[int],
    trait: bool,
    population: Callable[[list[int], int | None, bool], P],
) -> Iterator[tuple[tuple[str, Any], P]]:
    """(figure key, population) of every figure `result` publishes: the whole (over
    `every_group`), each group shown, their trait counts, a share's categories, and the union
    of the groups shown. `population(groups, category, with_trait)` builds one."""
    ngroups = len(result.get("by") or [])
    parts = [("overall", None, result)] + [
        ("group", g, cell) for g, cell in enumerate(result.get("by") or [])
    ]
    for part, g, cell in parts:
        if cell.get("suppressed"):
            continue
        groups = every_group if g is None else [g]
        yield (part, g), population(groups, None, False)
        if trait and cell.get("count") is not None:
            yield (part + "_trait", g), population(groups, None, True)
        if kind == "share":
            i = ngroups if g is None else g
            for j, cat in enumerate(cell.get("categories") or []):
                if not cat.get("suppressed"):
                    yield ("category", (i, j)), population(groups, j, False)
    shown = [g for g, c in enumerate(result.get("by") or []) if not c.get("suppressed")]
    if len(shown) >= 2:
        yield ("union", None), population(shown, None, False)
        if trait and all(result["by"][g].get("count") is not None for g in shown):
            yield ("union_trait", None), population(shown, None, True)
