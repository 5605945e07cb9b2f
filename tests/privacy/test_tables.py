"""The one suppression algorithm on hand-worked tables."""

import numpy as np

from evalsoc.privacy.linear import derivable, suppressed_cells
from evalsoc.privacy.policy import PrivacyPolicy
from evalsoc.privacy.tables import protect_line, protect_table, table_equations

# The demo's `reseau_soutien` share by site (rows Nord, Sud, Étang; levels 1..5), worked out
# from results.json of frameworks/chantier-insertion.yaml before the fix: Sud level 1 = 10 was
# alone hidden in its row, so 37 − 19 − 10 gave Étang level 1 = 8 back.
DEMO = np.array([[19, 31, 33, 33, 22], [10, 21, 27, 24, 31], [8, 14, 17, 20, 14]])


def _values(table, positions):
    rows, cols = table.shape
    full = np.zeros((rows + 1, cols + 1))
    full[:rows, :cols] = table
    full[:rows, cols] = table.sum(axis=1)
    full[rows, :cols] = table.sum(axis=0)
    full[rows, cols] = table.sum()
    return {p: full[p] for p in positions}


def test_demo_share_table_hides_a_rectangle_not_a_line():
    hidden = protect_table(DEMO, 10)
    # Étang 1 (8) is primary; a cycle of four cells protects it: Sud 1, Sud 2, Étang 2.
    assert hidden == {(1, 0), (1, 1), (2, 0), (2, 1)}
    equations = table_equations(DEMO.shape, True, True)
    for cell in hidden:
        assert not derivable([cell], hidden, equations)


def test_a_lone_hidden_cell_of_ten_does_not_protect_its_column():
    """The old per-line rule accepted Sud 1 (10) as Étang 1's partner; the linear test refuses
    it since Sud 1 is alone in its row."""
    equations = table_equations(DEMO.shape, True, True)
    assert derivable([(2, 0)], {(1, 0), (2, 0), (2, 1)}, equations)


def test_line_with_one_small_cell_hides_the_next_smallest():
    assert protect_line([20, 12, 3], 10) == {1, 2}
    assert protect_line([20, 12, 3, 8], 10) == {2, 3}  # 3 + 8 = 11 hidden together
    assert protect_line([20, 12], 10) == set()
    assert protect_line([20, 12, 3], 10, total=False) == {2}  # no total: nothing to subtract


def test_hidden_cells_of_one_and_two_are_not_given_back_as_three():
    assert suppressed_cells({"a": 1, "b": 2, "c": 20, "d": 30}, 5) == {"a", "b", "c"}


def test_small_margin_is_hidden_with_its_row():
    table = np.array([[30, 40], [2, 3]])  # row 2 totals 5 people
    hidden = protect_table(table, 10)
    assert {(1, 0), (1, 1), (1, 2)} <= hidden
    # and the column totals cannot give the small row back: each column hides two cells
    equations = table_equations(table.shape, True, True)
    values = _values(table, hidden)
    for cell in hidden:
        assert not (derivable([cell], hidden, equations) and 0 < values[cell] < 10)


def test_funder_edition_switches_suppression_off_in_one_place():
    assert PrivacyPolicy(10, "funder").threshold == 1
    assert protect_table(DEMO, PrivacyPolicy(10, "funder").threshold) == set()
    assert PrivacyPolicy(10).threshold == 10 and PrivacyPolicy(10).is_small(9)
