"""data/parquet_file.py: the frame `pd.read_parquet` gives, with dictionary codes for the
declared category-like text columns (data/text_codes.py)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import evalsoc.data.text_codes as text_codes
from evalsoc.data.parquet_file import read_parquet
from evalsoc.sections.indicators.compute import MISSING_GROUP, factorize_column


def _frame() -> pd.DataFrame:
    n = 50
    rng = np.random.default_rng(5)
    site = rng.choice(["nord", "sud", "Élan"], n).astype(object)
    site[[3, 17]] = None
    return pd.DataFrame(
        {
            "site": pd.array(site, dtype="str"),
            "employed": pd.array(rng.choice(["oui", "non", " Oui"], n), dtype="str"),
            "stored_category": pd.Categorical(rng.choice(["a", "b"], n)),
            "age": rng.integers(16, 80, n),
            "income": pd.array([1.5, None] * (n // 2), dtype="Float64"),
            "count": pd.array([1, None] * (n // 2), dtype="Int64"),
            "when": pd.date_range("2024-01-01", periods=n, freq="D", tz="Europe/Paris"),
            "flag": rng.random(n) < 0.5,
        },
        index=pd.Index(range(100, 100 + n), name="row"),
    )


@pytest.mark.parametrize("row_group_size", [None, 7])
def test_the_frame_is_pandas_read_parquet(tmp_path, row_group_size):
    path = tmp_path / "x.parquet"
    frame = _frame()
    frame.attrs = {"source": "test"}
    frame.to_parquet(path, row_group_size=row_group_size)
    wanted = ["site", "employed", "stored_category", "age", "absent"]
    read = read_parquet(path, wanted)
    expected = pd.read_parquet(path)
    pd.testing.assert_frame_equal(read, expected)
    assert read.attrs == expected.attrs == {"source": "test"}
    assert isinstance(read["stored_category"].dtype, pd.CategoricalDtype)  # as stored
    assert text_codes.codes_of(read["stored_category"].array) is None
    assert text_codes.codes_of(read["age"].array) is None
    codes, values = factorize_column(read["site"])
    assert values == ["nord", "sud", "Élan", MISSING_GROUP]
    assert codes[[3, 17]].tolist() == [3, 3]
    order = {"nord": 0, "sud": 1, "Élan": 2}
    assert codes.tolist() == [order.get(s, 3) for s in frame["site"].fillna("?")]
    assert frame["site"].isna().sum() == 2 and set(frame["site"].dropna()) == set(order)


def test_without_text_columns_to_code_it_is_pandas_read(tmp_path):
    path = tmp_path / "x.parquet"
    _frame().to_parquet(path)
    pd.testing.assert_frame_equal(read_parquet(path, []), pd.read_parquet(path))
