"""The one suppression algorithm: figures linked by published totals.

Every table evalsoc publishes (a share by group, `by` cells under an overall value, rubric
roles × levels, capability subgroups, volunteering categories) is a set of cells and of
published totals, each total a weighted sum of cells. Once the shown cells are subtracted, the
totals are linear equations over the hidden cells. A figure supported on a set S of hidden
cells can be derived exactly when rank(A) > rank(A without S's columns), A being the totals
restricted to the hidden cells (the classic test of linear disclosure; see Hundepool et al.,
*Statistical Disclosure Control*, Wiley 2012, ch. 4).

Primary suppression hides every cell of 1 to `min_cell` − 1 people. Secondary suppression is
greedy (a min-count complement, in the spirit of the hypercube heuristic of Repsilber, 1994):
while some derivable figure counts 1 to `min_cell` − 1 people, hide the smallest shown cell
that shares a total with it (the smallest shown cell anywhere when none does). It hides few
cells, not provably the fewest (that is an integer programme, as in τ-ARGUS's optimal method).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Hashable, Iterable
from typing import Any

import numpy as np

MAX_GROUPS = 10  # beyond this many hidden groups, candidate sets are singles, totals and all

MAX_TRIES = 40  # candidates tried for a secondary cell before taking the smallest

Cell = Hashable


def people_counter(
    sizes: dict[Any, int], members: dict[Any, set[Any]] | None = None
) -> Callable[[Iterable[Any]], int]:
    """Number of distinct people in some cells together: the size of the union of their
    `members` (a person may be in two cells), or the sum of `sizes` without members."""
    if members is None:
        return lambda cells: int(sum(sizes[c] for c in cells))
    return lambda cells: len(set().union(*(members.get(c, set()) for c in cells)))


def _ordered(cells: Iterable[Cell]) -> list[Cell]:
    return sorted(set(cells), key=lambda c: (type(c).__name__, repr(c)))


def _rank(matrix: np.ndarray) -> int:
    """Rank with an absolute tolerance: weights are small integers or declared rates, so a
    singular value below 1e-9 is rounding, not information."""
    if matrix.size == 0:
        return 0
    return int(np.sum(np.linalg.svd(matrix, compute_uv=False) > 1e-9))


class _System:
    """The published totals seen from a set of hidden cells.

    A total is either a published constant (all weights positive: hours over the categories,
    raters over the roles) or an identity between cells (a weight −1 on a margin cell: a row's
    cells minus the row total). Minus the shown cells, the totals are equations over the hidden
    cells (`hidden`). A combination of equations that leaves no shown cell and no constant is an
    identity over hidden cells only (a hidden row equals its hidden total) and tells nothing:
    `structural` spans these, and a figure is given back only beyond them.
    """

    def __init__(self, hidden: list[Cell], totals: list[dict[Cell, float]]) -> None:
        position = {c: j for j, c in enumerate(hidden)}
        shown = _ordered(c for t in totals for c in t if c not in position)
        where = {c: j for j, c in enumerate(shown)}
        self.hidden = np.zeros((len(totals), len(hidden)))
        known = np.zeros((len(totals), len(shown) + 1))
        for k, total in enumerate(totals):
            for cell, weight in total.items():
                if cell in position:
                    self.hidden[k, position[cell]] = weight
                else:
                    known[k, where[cell]] = weight
            known[k, -1] = 0.0 if any(w < 0 for w in total.values()) else 1.0
        u, singular, _ = np.linalg.svd(known, full_matrices=True)
        rank = int(np.sum(singular > 1e-9 * max(1.0, singular.max(initial=0.0))))
        self.structural = u[:, rank:].T @ self.hidden
        self.rank = _rank(self.hidden)
        self.structural_rank = _rank(self.structural)

    def gives_back(self, picked: Iterable[int]) -> bool:
        """Whether some figure supported on the hidden cells `picked` follows from the totals
        (beyond the identities): rank(A) > rank(A without them), counted beyond `structural`."""
        chosen = set(picked)
        rest = [j for j in range(self.hidden.shape[1]) if j not in chosen]
        if not rest:
            return self.rank > self.structural_rank
        lost = self.rank - _rank(self.hidden[:, rest])
        lost_identities = self.structural_rank - _rank(self.structural[:, rest])
        return bool(lost > lost_identities)


def leaking_set(
    hidden: Iterable[Cell],
    sizes: dict[Cell, int],
    min_cell: int,
    *,
    people: Callable[[Iterable[Cell]], int] | None = None,
    totals: list[dict[Cell, float]] | None = None,
) -> list[Cell] | None:
    """Hidden cells whose figures the published `totals` (minus the shown cells) give back
    while they count 1 to `min_cell` − 1 people; None when no such set exists.

    Each total is {cell: weight} (default: one plain total over all cells). Cells with the same
    weights in every total can only be recovered together, so candidate sets are unions of such
    groups: all unions up to MAX_GROUPS groups, beyond that single groups, the hidden cells of
    each total (those of positive and those of negative weight apart) and all hidden cells.
    """
    count = people or people_counter(sizes)
    cells = _ordered(c for c in hidden if c in sizes)
    if not cells:
        return None
    totals = totals if totals is not None else [dict.fromkeys(sizes, 1.0)]
    totals = [t for t in totals if any(w for w in t.values())]
    if not totals:
        return None
    system = _System(cells, totals)
    matrix = system.hidden
    columns: dict[tuple[float, ...], list[int]] = {}
    for j in range(len(cells)):
        if np.any(matrix[:, j] != 0):
            columns.setdefault(tuple(matrix[:, j]), []).append(j)
    groups = list(columns.values())

    def leaks(chosen: Iterable[int]) -> list[Cell] | None:
        picked = sorted({j for g in chosen for j in groups[g]})
        n = count(cells[j] for j in picked)
        if not 0 < n < min_cell:
            return None
        return [cells[j] for j in picked] if system.gives_back(picked) else None

    if len(groups) > MAX_GROUPS:
        group_of = {j: g for g, members in enumerate(groups) for j in members}
        candidates = [[g] for g in range(len(groups))]
        for row in matrix:
            for sign in (1, -1):
                side = {group_of[j] for j in np.flatnonzero(row * sign > 0) if j in group_of}
                candidates.append(sorted(side))
        candidates.append(list(range(len(groups))))
        for chosen in candidates:
            found = leaks(chosen) if chosen else None
            if found:
                return found
        return None
    for k in range(1, len(groups) + 1):
        for chosen in itertools.combinations(range(len(groups)), k):
            found = leaks(chosen)
            if found:
                return found
    return None


def derivable(
    chosen: Iterable[Cell], hidden: Iterable[Cell], totals: list[dict[Cell, float]]
) -> bool:
    """Whether some figure supported on the hidden cells `chosen` follows from the totals."""
    cells = _ordered(hidden)
    totals = [t for t in totals if any(w for w in t.values())]
    if not cells or not totals:
        return False
    picked = set(chosen)
    return _System(cells, totals).gives_back(j for j, c in enumerate(cells) if c in picked)


def discloses(
    hidden: Iterable[Cell],
    sizes: dict[Cell, int],
    min_cell: int,
    *,
    people: Callable[[Iterable[Cell]], int] | None = None,
    totals: list[dict[Cell, float]] | None = None,
) -> bool:
    """Whether the published totals give back a figure from 1 to `min_cell` − 1 hidden people."""
    return leaking_set(hidden, sizes, min_cell, people=people, totals=totals) is not None


def suppressed_cells(
    sizes: dict[Cell, int],
    min_cell: int,
    *,
    members: dict[Cell, set[Any]] | None = None,
    forced: Iterable[Cell] = (),
    totals: list[dict[Cell, float]] | None = None,
    keep: Iterable[Cell] = (),
) -> set[Cell]:
    """Cells to hide: those from 1 to `min_cell` − 1 people and the `forced` ones (an
    unpublished group, a figure hidden by the audit), then, while the totals give back a figure
    from fewer than `min_cell` people of the hidden cells, the smallest shown cell sharing a
    total with that figure. With one plain total: until the hidden cells together count 0 or at
    least `min_cell` people, so hidden cells of 1 and 2 people are not given back as 3. Among
    the candidates (smallest first), the first whose hiding makes that figure underivable is
    taken: in a two-way table this closes a cycle of hidden cells instead of hiding a line.

    `members` (cell → set of people) counts a person in two cells once; without it the sizes
    are added. Cells in `keep` (headline figures: an overall value, a group's size) are taken
    as complements only when no other cell can be. Hiding every cell may not be enough (a published total of fewer than `min_cell`
    people): the caller checks `discloses` afterwards where a total can be withheld.
    """
    count = people_counter(sizes, members)
    hidden = {key for key, size in sizes.items() if 0 < size < min_cell}
    hidden |= {key for key in forced if key in sizes}
    plain = totals if totals is not None else [dict.fromkeys(sizes, 1.0)]
    kept = set(keep)
    while True:
        found = leaking_set(hidden, sizes, min_cell, people=count, totals=totals)
        if found is None:
            return hidden
        near = {c for t in plain if any(t.get(f) for f in found) for c, w in t.items() if w}
        shown = [(size, repr(key), key) for key, size in sizes.items() if key not in hidden]
        positive = [s for s in shown if s[0] > 0 and s[2] not in kept]
        positive = positive or [s for s in shown if s[0] > 0]
        pool = sorted(s for s in positive if s[2] in near) + sorted(
            s for s in positive if s[2] not in near
        )
        if not pool:
            return hidden
        chosen = next(
            (key for _, _, key in pool[:MAX_TRIES] if not derivable(found, hidden | {key}, plain)),
            pool[0][2],
        )
        hidden.add(chosen)
