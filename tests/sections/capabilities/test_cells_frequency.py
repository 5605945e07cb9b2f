"""Cells built from groups of identical persons (the DuckDB engine's rows) are the persons'
cells: same order, same counts, same weight sums; and the estimator's figures follow."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from evalsoc.sections.capabilities.cells import collapse
from evalsoc.sections.capabilities.engine import AlkireFoster


def _persons(seed: int, n: int = 4000) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    return {
        "deprived": rng.random((n, 3)) < [0.3, 0.5, 0.2],
        "strata": rng.integers(0, 3, n),
        "cluster": rng.integers(0, 12, n),
        "group": rng.integers(0, 2, n),
    }


def _groups(
    persons: dict[str, np.ndarray], shuffle: int
) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Distinct rows of the persons with their counts, in a shuffled order."""
    table = np.column_stack(
        [persons["deprived"].astype(int), persons["strata"], persons["cluster"], persons["group"]]
    )
    rows, counts = np.unique(table, axis=0, return_counts=True)
    order = np.random.default_rng(shuffle).permutation(len(rows))
    rows, counts = rows[order], counts[order]
    grouped = {
        "deprived": rows[:, :3].astype(bool),
        "strata": rows[:, 3],
        "cluster": rows[:, 4],
        "group": rows[:, 5],
    }
    return grouped, counts


def test_unweighted_groups_give_the_persons_cells() -> None:
    persons = _persons(1)
    grouped, counts = _groups(persons, 2)
    units = np.asarray([1, 1, 1])
    expected, design = collapse(
        persons["deprived"],
        units,
        strata=persons["strata"],
        cluster=persons["cluster"],
        labels={"g": persons["group"]},
    )
    actual, design_g = collapse(
        grouped["deprived"],
        units,
        strata=grouped["strata"],
        cluster=grouped["cluster"],
        labels={"g": grouped["group"]},
        frequency=counts,
    )
    for name in ("profiles", "profile_code", "score", "weight", "weight_sq", "count", "omega"):
        assert np.array_equal(getattr(expected, name), getattr(actual, name)), name
    assert np.array_equal(expected.labels["g"], actual.labels["g"])
    assert design.n_psu == design_g.n_psu == 36 and design.lonely_strata == design_g.lonely_strata


def test_estimator_on_groups_equals_persons_bit_for_bit() -> None:
    persons = _persons(3)
    grouped, counts = _groups(persons, 4)
    weights = [Fraction(1, 2), Fraction(1, 4), Fraction(1, 4)]
    on_persons = AlkireFoster(
        persons["deprived"],
        weights,
        strata=persons["strata"],
        cluster=persons["cluster"],
        labels={"g": persons["group"]},
    )
    on_groups = AlkireFoster(
        grouped["deprived"],
        weights,
        strata=grouped["strata"],
        cluster=grouped["cluster"],
        labels={"g": grouped["group"]},
        frequency=counts,
    )
    for k in (Fraction(1, 4), Fraction(1, 2)):
        for dom in (None, on_persons.domain(g=1)):
            assert on_persons.at_k(k, dom) == on_groups.at_k(k, dom)
    assert on_persons.k_curve() == on_groups.k_curve()
    with pytest.raises(RuntimeError):
        on_groups.person_scores()


def test_weighted_groups_need_their_sums() -> None:
    """With weights, a group carries Σs and Σs²; the cells' sums are then Σ over groups."""
    deprived = np.asarray([[True, False], [True, False], [False, False]])
    s = np.asarray([2.0, 3.0, 5.0])
    expected, _ = collapse(deprived, np.asarray([1, 1]), sample_weight=s)
    actual, _ = collapse(
        deprived[[0, 2]],
        np.asarray([1, 1]),
        sample_weight=np.asarray([5.0, 5.0]),
        weight_sq=np.asarray([13.0, 25.0]),
        frequency=np.asarray([2, 1]),
    )
    # cell 0: the profile (False, False), one person of weight 5; cell 1: (True, False), two
    # persons of weights 2 and 3 (Σs = 5, Σs² = 13)
    assert actual.weight.tolist() == expected.weight.tolist() == [5.0, 5.0]
    assert actual.weight_sq.tolist() == expected.weight_sq.tolist() == [25.0, 13.0]
    assert actual.count.tolist() == expected.count.tolist() == [1, 2]
