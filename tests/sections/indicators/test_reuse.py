"""Values read once per table and reused across indicators (sections/indicators/reuse.py)."""

from __future__ import annotations

import gc

import numpy as np
import pandas as pd

from evalsoc.sections.indicators import reuse
from evalsoc.sections.indicators.compute import MISSING_GROUP, factorize_column, group_values
from evalsoc.sections.indicators.share_codes import share_codes


def test_group_values_are_the_rows_pandas_gives():
    # A row of an int and a float column is a float row: wave 1 is published as 1.0, as before.
    numbers = pd.DataFrame({"wave": [0, 1], "q": [1.5, 2.0]})
    assert group_values(numbers, ["wave", "q"]) == [
        {"wave": 0.0, "q": 1.5},
        {"wave": 1.0, "q": 2.0},
    ]
    assert type(group_values(numbers, ["wave"])[1]["wave"]) is np.float64
    mixed = pd.DataFrame({"site": ["s1", "s2"], "wave": [0, 1]})
    expected = [{c: mixed.iloc[g][c] for c in ("site", "wave")} for g in range(2)]
    got = group_values(mixed, ["site", "wave"])
    assert got == expected
    assert [type(v) for v in got[1].values()] == [type(v) for v in expected[1].values()]


def test_values_are_read_once_per_table_and_forgotten_with_it():
    calls = []
    table = pd.DataFrame({"a": [1, 2]})
    first = reuse.once_per(table, "k", lambda: calls.append(1) or [1])
    again = reuse.once_per(table, "k", lambda: calls.append(1) or [2])
    assert first is again and calls == [1]
    other = pd.DataFrame({"a": [1, 2]})  # equal content, another table: computed for it
    assert reuse.once_per(other, "k", lambda: [3]) == [3]
    slot = (id(table), "k")
    del table
    gc.collect()
    reuse.once_per(other, "k2", lambda: None)  # a new entry sweeps the dead ones
    assert slot not in reuse._CACHE


def test_share_codes_factorized_once_per_frame():
    frame = pd.DataFrame({"q": [2.0, 1.0, np.nan, 2.0]})
    codes, values = share_codes(frame, "q", factorize_column, MISSING_GROUP)
    assert codes.tolist() == [1, 0, 2, 1] and values == [1.0, 2.0, "(manquant)"]
    assert share_codes(frame, "q", factorize_column, MISSING_GROUP)[0] is codes
