"""The eight people of the engines' audit tests (DuckDB audit, one pass, Spark audit): missing
values in every column, a declared category order and a missing site, so that `where`
filters can drop a group or every row."""

import numpy as np
import pandas as pd

PEOPLE = pd.DataFrame(
    {
        "id": [1, 2, 3, 4, 5, 6, 7, 8],
        "age": [20.0, 30.0, np.nan, 40.0, 50.0, 60.0, 25.0, 35.0],
        "site": pd.Categorical(
            ["Nord", "Sud", "Nord", None, "Sud", "Nord", "Est", "Sud"],
            categories=["Sud", "Nord", "Est"],  # declared order, not alphabetical
        ),
        "employed": pd.array([True, False, True, None, True, False, True, True], dtype="boolean"),
        "level": [4.0, 5.0, 1.0, 4.0, np.nan, 2.0, 10.0, 5.0],
    },
    index=[10, 11, 12, 13, 14, 15, 16, 17],
)
