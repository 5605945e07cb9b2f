"""Primary and secondary suppression of a two-way table with its margins.

The table's cells are the interior counts, and, when published, the row totals, the column
totals and the grand total: each margin is a cell too, so that a small total is hidden like any
other figure and a hidden total stops being an equation. Each published line gives one
equation (the line's cells minus its total = 0), and `linear.suppressed_cells`, the one
algorithm, hides cells until no combination of these equations gives back a figure of 1 to
`min_cell` − 1 people. A one-way table (groups under an overall value) is a table of one row.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from evalsoc.privacy.linear import suppressed_cells

Position = tuple[int, int]  # (row, column); row R is the column totals, column C the row totals


def table_equations(
    shape: tuple[int, int], row_totals: bool, col_totals: bool
) -> list[dict[Position, float]]:
    """The published equations of a table with R rows and C columns and the chosen margins."""
    rows, cols = shape
    equations: list[dict[Position, float]] = []
    if row_totals:
        for i in range(rows):
            equations.append({**{(i, j): 1.0 for j in range(cols)}, (i, cols): -1.0})
    if col_totals:
        for j in range(cols):
            equations.append({**{(i, j): 1.0 for i in range(rows)}, (rows, j): -1.0})
    if row_totals and col_totals:
        equations.append({**{(i, cols): 1.0 for i in range(rows)}, (rows, cols): -1.0})
        equations.append({**{(rows, j): 1.0 for j in range(cols)}, (rows, cols): -1.0})
    return equations


def protect_table(
    counts: np.ndarray,
    min_cell: int,
    *,
    row_totals: bool = True,
    col_totals: bool = True,
    forced: Iterable[Position] = (),
) -> set[Position]:
    """Positions to hide in `counts` (R × C people) and its margins (row R, column C).

    `forced` are positions that must be hidden whatever their size (a group the section does
    not publish, a figure hidden by the audit). Margins are included in the result when they
    must be hidden (a row total of fewer than `min_cell` people, say).
    """
    table = np.asarray(counts, dtype=float)
    if table.ndim != 2:
        raise ValueError("protect_table expects a two-way table")
    rows, cols = table.shape
    sizes: dict[Position, int] = {
        (i, j): int(table[i, j]) for i in range(rows) for j in range(cols)
    }
    if row_totals:
        sizes.update({(i, cols): int(table[i].sum()) for i in range(rows)})
    if col_totals:
        sizes.update({(rows, j): int(table[:, j].sum()) for j in range(cols)})
    if row_totals and col_totals:
        sizes[(rows, cols)] = int(table.sum())
    equations = table_equations((rows, cols), row_totals, col_totals)
    return suppressed_cells(sizes, min_cell, forced=forced, totals=equations)


def protect_line(
    sizes: list[float], min_cell: int, *, total: bool = True, forced: Iterable[int] = ()
) -> set[int]:
    """Indices to hide among cells whose sum is published (`total`), e.g. `by` groups under an
    overall value: a one-row table. Without a published total only small cells are hidden."""
    hidden = protect_table(
        np.array([sizes], dtype=float).reshape(1, -1),
        min_cell,
        row_totals=total,
        col_totals=False,
        forced=[(0, j) for j in forced],
    )
    return {j for i, j in hidden if i == 0 and j < len(sizes)}
