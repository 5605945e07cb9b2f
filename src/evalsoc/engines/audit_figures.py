"""The published figures of one indicator and the population behind each, for the engines
that audit disclosure from counted cells (duckdb_audit.py, spark_audit.py).

One enumeration for both engines, in the keys and order of privacy/indicators.py `figures`
(which yields them from pandas masks): the audit compares figures by these keys. A figure's
population is a union of (group, category) cells, each counted in the engine with two 64-bit
XOR signatures of its rows' identities.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

P = TypeVar("P")


@dataclass
class AuditCell:
    """Rows of one (group, category) cell behind an indicator, all and those with the trait:
    counts and XOR signatures, so that unions of cells add up without the rows."""

    size: int = 0
    h1: int = 0
    h2: int = 0
    trait_size: int = 0
    trait_h1: int = 0
    trait_h2: int = 0

    def add(self, other: AuditCell, trait: bool = False) -> None:
        if trait:
            self.size += other.trait_size
            self.h1 ^= other.trait_h1
            self.h2 ^= other.trait_h2
        else:
            self.size += other.size
            self.h1 ^= other.h1
            self.h2 ^= other.h2

    def signature(self) -> bytes:
        return self.h1.to_bytes(8, "little") + self.h2.to_bytes(8, "little")


def union_of_cells(
    cells: dict[tuple[int, int], AuditCell], groups: list[int], category: int | None, trait: bool
) -> tuple[AuditCell, frozenset[tuple[int, int]]]:
    """The rows of `groups` (one `category`, or all), with the trait or not: their count and
    signature, and the cells they are made of."""
    total = AuditCell()
    chosen = []
    for (g, c), cell in cells.items():
        if g in groups and (category is None or c == category):
            total.add(cell, trait)
            chosen.append((g, c))
    return total, frozenset(chosen)


class CellUnion(Protocol):
    cells: frozenset[tuple[int, int]]
    trait: bool


def apart_within(cells: dict[tuple[int, int], AuditCell], a: CellUnion, b: CellUnion) -> int:
    """Rows in exactly one of two populations of one indicator, from its cells' counts: both
    are unions of its (group, category) cells, or of the rows with the trait in them."""

    def rows(cell: AuditCell, trait: bool) -> int:
        return cell.trait_size if trait else cell.size

    apart = 0
    for key in a.cells | b.cells:
        cell = cells[key]
        if key not in b.cells:
            apart += rows(cell, a.trait)
        elif key not in a.cells:
            apart += rows(cell, b.trait)
        elif a.trait != b.trait:
            apart += cell.size - cell.trait_size
    return apart


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
