"""JSON-safe numbers (sections/common.py `jsonable`): plain types by a fast path, the rest as
before."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pandas as pd

from evalsoc.sections.common import jsonable


def test_plain_and_numpy_values_become_json_types():
    got = jsonable(
        {
            1: [1.5, math.nan, math.inf, -0.0, np.float64(2.25), np.float64("nan")],
            "flags": (True, np.bool_(False)),
            "counts": [3, np.int64(4), np.arange(2)],
            "text": ["x", None, Fraction(1, 3), pd.NA],
        }
    )
    assert got == {
        "1": [1.5, None, None, -0.0, 2.25, None],
        "flags": [True, False],
        "counts": [3, 4, [0, 1]],
        "text": ["x", None, "1/3", None],
    }
    assert math.copysign(1.0, got["1"][3]) == -1.0  # −0.0 kept as written
    assert [type(v) for v in got["flags"] + got["counts"][:2]] == [bool, bool, int, int]
    assert type(got["1"][4]) is float
