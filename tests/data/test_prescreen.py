"""data/prescreen.py: pandera runs only the checks that may fail, and the quarantine is the one
the full schema gives (every row, column and reason)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import evalsoc.data.prescreen as prescreen
from evalsoc.data.csv_file import read_csv
from evalsoc.data.validate import validate_source
from evalsoc.framework.model import DataSource

COLUMNS = {
    "id": {"type": "integer", "unique": True},
    "wave": {"type": "integer", "values": [0, 1]},
    "code": {"type": "integer", "values": [1, 3, 7]},
    "site": {"type": "category", "values": ["nord", "sud"]},
    "age": {"type": "integer", "min": 16, "max": 80},
    "income": {"type": "number", "min": 0, "nullable": True},
    "score": {"type": "number", "max": 20},
    "ref": {"type": "string", "unique": True, "nullable": True},
    "level": {"type": "ordinal", "values": ["bas", "haut"], "nullable": True},
}


def _source(key: list[str]) -> DataSource:
    return DataSource.model_validate({"file": "x.csv", "key": key, "columns": COLUMNS})


def _rows(rng: np.random.Generator, n: int, faults: float) -> str:
    """A CSV of n rows; each cell is wrong (outside its range or values, missing, repeated)
    with probability `faults`."""
    lines = ["id;wave;code;site;age;income;score;ref;level"]
    for i in range(n):

        def bad() -> bool:
            return bool(rng.random() < faults)

        row = [
            str(i if not bad() else max(i - 1, 0)),  # a repeated identifier
            rng.choice(["0", "1"]) if not bad() else rng.choice(["2", "", "-1"]),
            rng.choice(["1", "3", "7"]) if not bad() else rng.choice(["2", "9", ""]),
            rng.choice(["nord", "sud"]) if not bad() else rng.choice(["est", "", "Nord"]),
            str(rng.integers(16, 81)) if not bad() else rng.choice(["15", "81", ""]),
            f"{rng.uniform(0, 5000):.2f}" if not bad() else rng.choice(["-0,5", ""]),
            f"{rng.uniform(0, 20):.1f}" if not bad() else rng.choice(["20,5", ""]),
            f"r{i}" if not bad() else rng.choice(["r0", ""]),
            rng.choice(["bas", "haut"]) if not bad() else rng.choice(["moyen", ""]),
        ]
        lines.append(";".join(row))
    return "\n".join(lines) + "\n"


def _both(tmp_path, monkeypatch, text: str, key: list[str]) -> tuple:
    path = tmp_path / "x.csv"
    path.write_text(text, encoding="utf-8")
    frame, info = read_csv(path)
    screened = validate_source("people", _source(key), frame, info)
    with monkeypatch.context() as m:  # pandera on every column and the key, as before
        m.setattr(prescreen, "columns_to_check", lambda source, _frame: (set(source.columns), True))
        full = validate_source("people", _source(key), frame, info)
    return screened, full


@pytest.mark.parametrize("faults", [0.0, 0.002, 0.05])
@pytest.mark.parametrize("key", [["id"], ["id", "wave"], []])
def test_quarantine_is_the_full_schemas(tmp_path, monkeypatch, faults, key):
    text = _rows(np.random.default_rng(7), 600, faults)
    (clean, report, quarantine), (clean_f, report_f, quarantine_f) = _both(
        tmp_path, monkeypatch, text, key
    )
    pd.testing.assert_frame_equal(quarantine, quarantine_f)
    pd.testing.assert_frame_equal(clean, clean_f)
    assert report.failures == report_f.failures
    assert report.first_rows == report_f.first_rows
    if faults:  # the data do exercise the checks pandera still runs
        assert report.rows_quarantined > 0


def _may_fail(cells: list, dtype: str, **spec) -> bool:
    source = DataSource.model_validate(
        {"file": "x.csv", "columns": {"c": {"type": "number", **spec}}}
    )
    frame = pd.DataFrame({"c": pd.array(cells, dtype=dtype)})
    return "c" in prescreen.columns_to_check(source, frame)[0]


def test_columns_whose_checks_cannot_fail_are_left_out():
    assert not _may_fail([1.0, 5.0, 10.0], "float64", min=1, max=10)  # bounds reached, not passed
    assert _may_fail([1.0, 5.0, 10.5], "float64", min=1, max=10)
    assert _may_fail([0.5, 5.0], "float64", min=1)
    assert not _may_fail([1.0, np.nan, 3.0], "float64", min=1, nullable=True)
    assert _may_fail([1.0, np.nan, 3.0], "float64", min=1)  # a missing value, not nullable
    assert not _may_fail([0.0, 1.0, 0.0], "float64", values=[0, 1])
    assert _may_fail([0.0, 2.0], "float64", values=[0, 1])
    assert not _may_fail([0, 1, 1], "Int64", values=[0, 1])  # a range of allowed whole numbers
    assert not _may_fail([1, 7, 3], "Int64", values=[1, 3, 7])
    assert _may_fail([1, 5, 3], "Int64", values=[1, 3, 7])
    # 2^53 + 1 is no float: equal to no allowed value, whatever pandera would decide
    assert _may_fail([2**53 + 1], "Int64", values=[2**53])
    assert _may_fail(["a", "b"], "str", min=1)  # a dtype the screen does not decide: pandera


def test_key_repeats_are_found_or_left_to_pandera():
    frame = pd.DataFrame({"id": pd.array([5, 3, 4, 6], dtype="Int64")})
    assert not prescreen._key_may_repeat(frame, ["id"])
    frame = pd.DataFrame({"id": pd.array([5, 3, 5, 6], dtype="Int64")})
    assert prescreen._key_may_repeat(frame, ["id"])
    sparse = pd.DataFrame({"id": pd.array([1, 10**12], dtype="Int64")})
    assert prescreen._key_may_repeat(sparse, ["id"])  # not a compact range: pandera's check
    assert prescreen._key_may_repeat(frame.assign(w=0), ["id", "w"])
