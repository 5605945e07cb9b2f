"""Conversion at scale (issue 16): converting each distinct spelling once, and plain digit
columns cast by Arrow, give exactly what the per-cell conversion gives."""

from __future__ import annotations

import numpy as np
import pandas as pd

from evalsoc.data.convert import _plain_digits, by_distinct, to_date, to_integer, to_number


def _column(values: list, repeat: int = 400) -> pd.Series:
    return pd.Series(values * repeat, dtype="str")


def _same(got: tuple, expected: tuple) -> None:
    pd.testing.assert_series_equal(got[0], expected[0], check_names=False)
    np.testing.assert_array_equal(got[1].to_numpy(bool), expected[1].to_numpy(bool))


def test_integers_by_distinct_value_match_per_cell():
    column = _column(["1", " 2", "3,0", "x", None, "", "0012", "9007199254740993", "1 234"])
    got = by_distinct(lambda s: to_integer(s, ","), column)
    _same(got, to_integer(column, ","))
    first = got[0].iloc[:9].tolist()
    assert first[:3] == [1, 2, 3] and first[6:] == [12, 9007199254740993, 1234]
    assert got[1].iloc[:9].tolist() == [
        False,
        False,
        False,
        True,
        False,
        False,
        False,
        False,
        False,
    ]


def test_numbers_and_dates_by_distinct_value_match_per_cell():
    numbers = _column(["1,5", "1.234,5", "n.c.", None, "inf", " 7 "])
    got = by_distinct(lambda s: to_number(s, ","), numbers)
    _same(got, to_number(numbers, ","))
    assert got[0].iloc[:2].tolist() == [1.5, 1234.5] and got[1].iloc[:6].sum() == 2
    dates = _column(
        ["01/02/2025", "31/02/2025", "2025-01-01", "now", None, "2024-03-31T10:00:00+02:00"]
    )
    for fmt in (None, "%d/%m/%Y"):
        got = by_distinct(lambda s, f=fmt: to_date(s, f), dates)
        _same(got, to_date(dates, fmt))
    assert got[0].iloc[0] == pd.Timestamp("2025-02-01")
    assert got[1].iloc[:6].tolist() == [False, True, True, True, False, True]


def test_mostly_distinct_columns_are_converted_as_they_are():
    column = pd.Series([str(i) for i in range(5000)], dtype="str")
    calls = []
    by_distinct(lambda s: calls.append(len(s)) or to_integer(s), column)
    assert calls == [5000]
    few = _column(["1", "2"], 1000)
    calls.clear()
    by_distinct(lambda s: calls.append(len(s)) or to_integer(s), few)
    assert calls == [2]


def test_plain_digit_columns_cast_exactly():
    column = _column(["1", "0012", None, "999999999999999"], 3)
    out = _plain_digits(column)
    assert out is not None and str(out.dtype) == "Int64"
    assert out.iloc[:4].tolist() == [1, 12, pd.NA, 999999999999999]
    _same((out, pd.Series(False, index=column.index)), to_integer(column))
    cases = (["1", " 2"], ["1", ""], ["٣"], ["１"], ["-1"], ["+1"], ["1a"], ["1\n"], [None])
    for other in (*cases, ["1234567890123456"], ["12", "1234567890123456"]):
        assert _plain_digits(_column(other, 2)) is None, other
    assert _plain_digits(pd.Series(["1", "2"], dtype=object)) is None


def test_identifier_column_is_converted_as_is_and_dates_by_distinct_value(monkeypatch):
    """A head of 10,000 distinct values (identifiers) skips the factorization; entry dates,
    many of them among the first rows but few in all, still go by distinct value. Both give
    the per-cell result."""
    calls: list[int] = []

    def counting(series: pd.Series) -> tuple:
        calls.append(len(series))
        return to_integer(series)

    ids = pd.Series([str(i) for i in range(30_000)], dtype="str")
    expected = to_integer(ids)
    with monkeypatch.context() as patch:  # no factorization of the 30,000 identifiers

        def refused(*args: object, **kwargs: object) -> None:
            raise AssertionError("factorized")

        patch.setattr(pd, "factorize", refused)
        got = by_distinct(counting, ids)
    _same(got, expected)
    assert calls == [30_000]  # one call on every row
    days = pd.date_range("2024-01-01", periods=3_000).strftime("%d/%m/%Y").tolist()
    dates = pd.Series(days * 20, dtype="str")
    calls.clear()
    got = by_distinct(lambda s: (calls.append(len(s)), to_date(s, None))[1], dates)
    _same(got, to_date(dates, None))
    assert calls == [3_000]  # one call on the distinct spellings


def test_integer_columns_of_plain_digits_skip_the_distinct_values():
    """convert_column casts plain digits at once (no hash of the column); the values are
    by_distinct's, cell for cell: '007' is 7, a missing cell stays missing, none fails."""
    from types import SimpleNamespace

    from evalsoc.data.convert import convert_column

    spec = SimpleNamespace(type="integer")
    waves = pd.Series(["0", "1", None, "007", "1"] * 400, dtype="str")
    values, bad, check = convert_column(waves, spec)
    assert check == "type: integer" and not bad.any()
    assert values.iloc[:5].tolist() == [0, 1, pd.NA, 7, 1]
    _same((values, bad), by_distinct(to_integer, waves))
    # 16 digits, a sign or a space are not plain: the general path decides, as before.
    for odd in ("9007199254740993", "-3", " 4"):
        column = pd.Series(["1", odd] * 600, dtype="str")
        _same(convert_column(column, spec)[:2], by_distinct(to_integer, column))
    assert (
        convert_column(pd.Series(["1", "9007199254740993"] * 600, dtype="str"), spec)[0][1]
        == 9007199254740993
    )


def test_likert_of_whole_numbers_is_the_general_paths():
    """A numpy integer column of answers (as Arrow reads 1..5) takes a shorter path: the same
    floats and the same failures (0 and 7 outside 1..5), hand-checked."""
    from evalsoc.data.convert import to_likert

    answers = pd.Series(np.array([1, 5, 0, 7, 3, -2] * 300, dtype=np.int64), name="q0")
    codes, bad = to_likert(answers, 5)
    general = to_likert(answers.astype("float64"), 5)  # floats take the general path
    pd.testing.assert_series_equal(codes, general[0])
    pd.testing.assert_series_equal(bad, general[1])
    assert codes.dtype == np.float64 and codes.name == "q0"
    assert bad.iloc[:6].tolist() == [False, False, True, True, False, True]
    nullable = pd.Series(pd.array([1, None, 9] * 400, dtype="Int64"))  # Int64: general path
    assert to_likert(nullable, 5)[1].iloc[:3].tolist() == [False, False, True]
