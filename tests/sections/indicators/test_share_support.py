"""A share's rows for the disclosure audit (compute.row_support): the rows with a value, each
row's category as its position in the published order, and the rows in the selected
categories, against a row-by-row definition."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from evalsoc.sections.indicators.compute import row_support


def _by_hand(column: pd.Series, selected: list[str]) -> dict[str, list]:
    def text(v):
        return str(int(v)) if isinstance(v, float) and v.is_integer() else str(v)

    def natural(label):
        try:
            return (0, float(label), label)
        except ValueError:
            return (1, 0.0, label)

    labels = sorted({text(v) for v in column.dropna()}, key=natural)
    valid, category, trait = [], [], []
    for v in column:
        if pd.isna(v):
            valid.append(False), category.append(-1), trait.append(False)
        else:
            valid.append(True), category.append(labels.index(text(v)))
            trait.append(text(v) in selected)
    return {"valid": valid, "category": category, "trait": trait}


CASES = {
    "likert": (lambda rng, n: pd.array(rng.integers(1, 6, n), dtype="Int64"), ["4", "5"]),
    "likert, four selected": (
        lambda rng, n: pd.array(rng.integers(1, 6, n), dtype="Int64"),
        ["1", "2", "4", "5"],
    ),
    "texts whose sorted order is not the natural one": (
        lambda rng, n: rng.choice(["10", "9", "b", "a", "2"], n),
        ["10", "a"],
    ),
    "floats": (lambda rng, n: rng.choice([0.5, 2.0, 1.0], n), ["2", "0.5"]),
}


@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize("missing", [False, True])
def test_share_rows_match_the_row_by_row_definition(case, missing):
    make, selected = CASES[case]
    rng = np.random.default_rng(len(case))
    column = pd.Series(make(rng, 400))
    if missing:
        column = column.astype(object)
        column[rng.choice(400, 37, replace=False)] = None
        if case.startswith("likert"):
            column = column.astype("Int64")
    frame = pd.DataFrame({"q": column})
    spec = SimpleNamespace(kind="share", share="q", values=selected)
    got = row_support(spec, frame)
    expected = _by_hand(column, selected)
    for key in ("valid", "category", "trait"):
        assert got[key].tolist() == expected[key], key
    assert got["valid"].dtype == bool and got["trait"].dtype == bool
    no_values = row_support(SimpleNamespace(kind="share", share="q", values=None), frame)
    assert "trait" not in no_values
    assert no_values["category"].tolist() == expected["category"]
