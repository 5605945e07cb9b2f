"""Per-group sums shared between indicators (shared_sums.py): the same bits as numpy's own
`bincount` of the same values, made once per codes and column, never matched to other data."""

from __future__ import annotations

import gc

import numpy as np
import pandas as pd
import pytest

from evalsoc.sections.indicators import shared_sums
from evalsoc.sections.indicators.compute import _rate_stats, stats_mean
from evalsoc.sections.indicators.shared_sums import group_sums


def test_hand_worked_sums_and_squares():
    codes = np.array([0, 1, 0, 2, 1, 0])
    values = np.array([1.0, 2.0, 3.0, 0.5, -4.0, 10.0])
    assert group_sums(codes, 3, values, 1).tolist() == [14.0, -2.0, 0.5]
    assert group_sums(codes, 3, values, 2).tolist() == [110.0, 20.0, 0.25]
    assert group_sums(np.zeros(6, dtype=np.int64), 1, values, 1).tolist() == [12.5]
    with pytest.raises(ValueError):
        group_sums(codes, 3, values, 3)


def _counting_bincount(monkeypatch) -> list[int]:
    made: list[int] = []
    real = np.bincount

    def counting(*args, **kwargs):
        made.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(shared_sums.np, "bincount", counting)
    return made


@pytest.mark.parametrize("seed", range(3))
def test_random_sums_are_bincounts_bits_and_made_once(monkeypatch, seed):
    rng = np.random.default_rng(seed)
    n = 5000
    codes = rng.integers(0, 7, n)
    codes[codes == 5] = 6  # group 5 empty
    block = np.round(rng.normal(0, 1e6, (3, n)), 1)  # ties after rounding
    block[1] = rng.integers(0, 4, n)  # heavy ties
    frame = pd.DataFrame(block.T, columns=["a", "b", "c"])
    a = frame["a"].to_numpy()
    expected = (
        np.bincount(codes, weights=a, minlength=7),
        np.bincount(codes, weights=a * a, minlength=7),
    )
    made = _counting_bincount(monkeypatch)
    first = [group_sums(codes, 7, a, p) for p in (1, 2)]
    again = [group_sums(codes, 7, frame[["a", "c"]]["a"].to_numpy(), p) for p in (1, 2)]
    assert len(made) == 2  # the second reading of column a shares the first's sums
    for got in (first, again):
        for g, e in zip(got, expected):
            assert g.tobytes() == e.tobytes()
    assert first[0][5] == 0.0
    first[0][0] = 123.0  # a caller's copy: the stored sum is untouched
    assert group_sums(codes, 7, a, 1).tobytes() == expected[0].tobytes()
    other = group_sums(codes.copy(), 7, a, 1)  # other codes: made again
    assert len(made) == 3 and other.tobytes() == expected[0].tobytes()


def test_an_array_that_took_a_freed_arrays_place_is_summed_anew():
    codes = np.array([0, 1, 1, 0])
    for k in range(20):
        values = np.full(4, float(k)) + np.arange(4)  # a fresh array each time, often at the
        got = group_sums(codes, 2, values, 1)  # address the last one freed
        assert got.tolist() == [values[0] + values[3], values[1] + values[2]]
        del values
        gc.collect()


def test_means_and_rates_give_the_bits_of_their_own_bincounts():
    """The rate's Σy, Σx, Σy², Σx² come from the means' sums; each equals numpy's direct
    bincount of that column, and the rate's Σxy too; with a missing value nothing is shared
    and the sums skip the row."""
    rng = np.random.default_rng(16)
    n = 3000
    codes = rng.integers(0, 4, n)
    frame = pd.DataFrame({"y": rng.gamma(2, 50, n).round(2), "x": rng.gamma(3, 20, n).round(1)})
    y, x = frame["y"].to_numpy(), frame["x"].to_numpy()
    stats_mean(y, codes, 4)
    stats_mean(x, codes, 4)
    spec = type("Spec", (), {"rate": ["y", "x"]})()
    got = _rate_stats(spec, frame, codes, 4)
    direct = {
        "sy": y,
        "sx": x,
        "syy": y * y,
        "sxx": x * x,
        "sxy": x * y,
    }
    for key, weights in direct.items():
        assert got[key].tobytes() == np.bincount(codes, weights=weights, minlength=4).tobytes()
    assert got["n"].tolist() == np.bincount(codes, minlength=4).astype(float).tolist()
    frame.loc[7, "x"] = np.nan
    missing = _rate_stats(spec, frame, codes, 4)
    keep = np.ones(n, dtype=bool)
    keep[7] = False
    y0, x0 = np.where(keep, y, 0.0), np.where(keep, frame["x"].fillna(0.0).to_numpy(), 0.0)
    assert missing["sy"].tobytes() == np.bincount(codes, weights=y0, minlength=4).tobytes()
    assert missing["sxx"].tobytes() == np.bincount(codes, weights=x0 * x0, minlength=4).tobytes()
    assert missing["n"][codes[7]] == got["n"][codes[7]] - 1
