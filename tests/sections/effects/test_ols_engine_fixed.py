"""The fixed effects of the engine path from groups (sections/effects/ols_engine_fixed.py)
equal absorb.py's on the rows the groups stand for: singletons dropped, degrees of freedom of
two connected and two disconnected effects, the effects nested in clusters."""

from __future__ import annotations

import numpy as np
import pytest

from evalsoc.sections.effects import ols_engine_fixed
from evalsoc.sections.effects.absorb import absorb_setup, drop_singletons


def _groups(a: np.ndarray, b: np.ndarray, cluster: np.ndarray) -> tuple:
    """Rows grouped by (a, b, cluster): the groups' labels, cluster and row counts."""
    keys, n = np.unique(np.column_stack([a, b, cluster]), axis=0, return_counts=True)
    return keys[:, 0], keys[:, 1], keys[:, 2], n.astype(float)


@pytest.mark.parametrize("nested_in_a", [False, True])
def test_groups_give_absorb_setups_figures(nested_in_a: bool) -> None:
    rng = np.random.default_rng(4)
    rows = 3000
    a = rng.integers(0, 12, rows)
    b = a // 3 if nested_in_a else rng.integers(0, 7, rows)  # b disconnected when a nests in b
    b[5] = 40  # a level seen once: dropped, and with it nothing else
    cluster = a.copy()
    ga, gb, gc, n = _groups(a, b, cluster)
    fixed = ols_engine_fixed.setup([ga, gb], ["a", "b"], n)
    keep = drop_singletons([a, b])
    reference = absorb_setup([a[keep], b[keep]], ["a", "b"], cluster[keep])
    assert fixed.singletons == int((~keep).sum()) == 1
    assert fixed.levels == reference.n_levels
    assert fixed.df == reference.df == (12 if nested_in_a else 12 + 7 - 1)
    codes, _ = ols_engine_fixed.codes_of(gc[fixed.rows])
    assert ols_engine_fixed.df_not_nested(fixed, codes) == reference.df_not_nested
    assert fixed.dummies.shape == (n.size, 11 + reference.n_levels[1] - 1)


def test_the_hc2_rule_of_two_effects() -> None:
    """n × (levels but the largest's) above linear.MAX_DUMMY_CELLS (5·10⁷): HC1 for `robust`
    (with linear.py's note), a refusal for hc2/hc3; one effect or fewer cells: unchanged."""
    from evalsoc.sections.common import NotEstimable
    from evalsoc.sections.effects.linear import HC1_NOTE

    fixed = ols_engine_fixed.Fixed(
        ["site", "cohort"], np.ones(2, bool), 0, [], [20, 10], 29, np.empty((2, 0))
    )
    assert ols_engine_fixed.hc_rule("robust", fixed, 10**7) == ("robust_hc1", [HC1_NOTE])
    assert ols_engine_fixed.hc_rule("robust", fixed, 5 * 10**6) == ("robust", [])
    assert ols_engine_fixed.hc_rule("cluster", fixed, 10**7) == ("cluster", [])
    with pytest.raises(NotEstimable) as refused:
        ols_engine_fixed.hc_rule("hc3", fixed, 10**7)
    assert refused.value.reason["code"] == "leverage_too_many_dummies"


def test_every_row_a_singleton_is_refused_as_linear_py_does() -> None:
    from evalsoc.sections.common import NotEstimable

    with pytest.raises(NotEstimable) as refused:
        ols_engine_fixed.setup([np.arange(5)], ["id"], np.ones(5))
    assert refused.value.reason["code"] == "fixed_effects_all_singletons"
