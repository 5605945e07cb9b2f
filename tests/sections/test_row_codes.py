"""The source's text ids factorized once per run (sections/row_codes.py): a subset's shared codes
rank its texts as its own sorted factorize does, and rows that are not the source's are refused."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from evalsoc.sections.capabilities.scoring import _label_codes
from evalsoc.sections.row_codes import dense_distinct, shared_text_codes


def dense(codes: np.ndarray) -> np.ndarray:
    """Codes renumbered 0, 1, … keeping their order (what the engines do with them)."""
    return np.unique(codes, return_inverse=True)[1].reshape(-1)


@pytest.fixture()
def source() -> pd.DataFrame:
    rng = np.random.default_rng(11)
    ids = [f"P{i:05d}" for i in rng.integers(0, 4000, 30000)] + ["É1", "e1", "Z", "a b"]
    frame = pd.DataFrame({"person": pd.Series(ids, dtype="str"), "x": np.arange(len(ids))})
    # rows quarantined by validation: the index keeps its labels, with gaps
    return frame.loc[rng.random(len(frame)) > 0.1]


def test_subset_codes_rank_as_its_own_sorted_factorize(source):
    subset = source.loc[source["x"] % 3 == 0]
    codes = shared_text_codes(source, "person", subset["person"])
    assert codes is not None and codes.dtype == np.int64
    expected = pd.factorize(subset["person"], sort=True)[0]
    np.testing.assert_array_equal(dense(codes), expected)
    np.testing.assert_array_equal(dense(codes), dense(_label_codes(subset["person"])[0]))
    assert dense_distinct(codes) == subset["person"].nunique() == _label_codes(subset["person"])[1]


def test_whole_source_and_range_index(source):
    whole = source.reset_index(drop=True)
    codes = shared_text_codes(whole, "person", whole["person"])
    np.testing.assert_array_equal(codes, pd.factorize(whole["person"], sort=True)[0])


def test_rows_of_another_frame_are_refused(source):
    subset = source.loc[source["x"] % 2 == 0].reset_index(drop=True)  # re-indexed by an engine
    assert shared_text_codes(source, "person", subset["person"]) is None
    other = source.copy()
    assert shared_text_codes(other, "person", source["person"].str.lower()) is None


def test_only_text_columns_are_shared(source):
    assert shared_text_codes(source, "x", source["x"]) is None
    assert shared_text_codes(source, "absent", source["person"]) is None
    assert shared_text_codes(None, "person", source["person"]) is None


def test_missing_ids_are_minus_one():
    frame = pd.DataFrame({"person": pd.Series(["b", None, "a", "b"], dtype="str")})
    codes = shared_text_codes(frame, "person", frame["person"])
    assert codes is not None and codes.tolist() == [1, -1, 0, 1]
    assert dense_distinct(codes) == 2


def test_factorized_once_per_column(source, monkeypatch):
    calls = []
    real = pd.factorize

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(pd, "factorize", counting)
    for step in (2, 3, 5):
        assert (
            shared_text_codes(source, "person", source.loc[source["x"] % step == 0, "person"])
            is not None
        )
    assert len(calls) == 1
