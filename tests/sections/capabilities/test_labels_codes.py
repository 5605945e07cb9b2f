"""Group labels and their codes (issue 16): each distinct value's text computed once, codes in
the sorted order np.unique gives, for a million rows of persons and waves."""

from __future__ import annotations

import numpy as np
import pandas as pd

from evalsoc.sections.capabilities.identification import _codes
from evalsoc.sections.capabilities.scoring import MISSING_LABEL, _labels


def test_labels_of_each_dtype():
    cases = {
        "object": (pd.Series(["b", None, "É", "b"]), ["b", MISSING_LABEL, "É", "b"]),
        "float": (pd.Series([1.0, np.nan, 2.5, 10.0]), ["1", MISSING_LABEL, "2.5", "10"]),
        "Int64": (pd.Series([1, None, 3], dtype="Int64"), ["1", MISSING_LABEL, "3"]),
        "boolean": (pd.Series([True, None], dtype="boolean"), ["True", MISSING_LABEL]),
        "category": (pd.Series(["Sud", None], dtype="category"), ["Sud", MISSING_LABEL]),
        "str": (pd.Series(["P2", "P1", None], dtype="str"), ["P2", "P1", MISSING_LABEL]),
    }
    for name, (series, expected) in cases.items():
        labels = _labels(series)
        assert labels.dtype == object and labels.tolist() == expected, name


def test_codes_of_text_labels_are_np_unique():
    rng = np.random.default_rng(7)
    labels = np.asarray([f"P{i}" for i in rng.integers(0, 3000, 20000)], dtype=object)
    codes, values = _codes(labels)
    expected_values, expected_codes = np.unique(labels, return_inverse=True)
    np.testing.assert_array_equal(codes, expected_codes)
    np.testing.assert_array_equal(values, expected_values)
    assert values.dtype == object and codes.dtype == np.int64
    small, names = _codes(np.asarray(["b", "a", "b", "(missing)"], dtype=object))
    assert small.tolist() == [2, 1, 2, 0] and names.tolist() == ["(missing)", "a", "b"]


def test_coded_labels_are_the_codes_of_the_labels():
    """_coded_labels gives the engine what _codes(_labels(...)) gave, without a million texts."""
    from evalsoc.sections.capabilities.scoring import _coded_labels

    cases = [
        pd.Series(["Sud", "Nord", "Étang", None, "Nord"], dtype="str"),
        pd.Series([1, 0, 1, 0]),
        pd.Series([1.0, None, 10.0, 2.0, 1.0]),  # "1" < "10" < "2": texts, not numbers
        pd.Series(["b", "a", "a"]).astype("category"),
        pd.Series([], dtype="str"),
        pd.Series([1, "1", 2.0, None], dtype=object),  # 1 and "1" share a text and a code
        pd.Series([True, False, None], dtype="boolean"),
    ]
    for series in cases:
        codes, values = _coded_labels(series)
        expected_codes, expected_values = _codes(_labels(series))
        np.testing.assert_array_equal(codes, expected_codes)
        assert values.tolist() == expected_values.tolist() and values.dtype == object
        assert codes.dtype == np.int64
