"""The conversions rewritten for speed at 10^6 rows (issue 16, round 5) keep their per-cell
answers: hand-worked cells with every case each rewrite touches."""

from __future__ import annotations

import numpy as np
import pandas as pd

from evalsoc.data.convert import to_boolean, to_likert, to_number


def test_numbers_read_as_floats_quarantine_only_infinite_cells():
    read = pd.Series([1.5, np.inf, np.nan, -np.inf, 0.0], name="x")
    values, bad = to_number(read)
    assert bad.tolist() == [False, True, False, True, False]
    assert values.iloc[[0, 4]].tolist() == [1.5, 0.0]
    assert values.iloc[[1, 2, 3]].isna().all()  # infinite → missing and quarantined
    finite = pd.Series([1.0, np.nan, 3.0])
    same, none_bad = to_number(finite)
    assert not none_bad.any()
    assert np.shares_memory(same.to_numpy(), finite.to_numpy())  # nothing copied


def test_boolean_spellings_missing_and_unknown():
    read = pd.Series([" Oui ", "NON", "", None, "peut-être", "vrai", "0"], dtype="string")
    values, bad = to_boolean(read)
    assert values.tolist() == [True, False, pd.NA, pd.NA, pd.NA, True, False]
    assert bad.tolist() == [False, False, False, False, True, False, False]  # blank: missing


def test_likert_outside_the_scale_and_missing():
    values, bad = to_likert(pd.Series([0, 1, 5, 6, 2.5, np.nan, 3]), 5)
    assert values.dtype == np.float64
    assert bad.tolist() == [True, False, False, True, True, False, False]
    labels, bad_labels = to_likert(
        pd.Series(["Pas du tout", "Tout à fait", "bof", None]),
        ["pas du tout", "plutôt non", "plutôt oui", "tout à fait"],
    )
    assert labels.iloc[:2].tolist() == [1.0, 4.0]
    assert bad_labels.tolist() == [False, False, True, False]
