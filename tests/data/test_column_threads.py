"""data/column_threads.py: a large frame's columns converted and compressed on threads give
the same frame, report and quarantine, bit for bit, as on one thread (issue 16, wall time)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from evalsoc.data import column_threads
from evalsoc.data.column_threads import per_column, thread_count
from evalsoc.data.csv_file import read_csv
from evalsoc.data.keep_rows import kept_rows
from evalsoc.data.validate import validate_source
from evalsoc.framework.model import DataSource

ROWS = 6_000


def test_thread_count(monkeypatch):
    monkeypatch.delenv("EVALSOC_THREADS", raising=False)
    monkeypatch.setattr(column_threads.os, "cpu_count", lambda: 8)
    assert thread_count(99_999, 20) == 1  # a small frame stays on the calling thread
    assert thread_count(100_000, 1) == 1  # one column: nothing to overlap
    assert thread_count(100_000, 20) == 4  # at most MAX_THREADS
    assert thread_count(100_000, 3) == 3  # no more threads than columns
    monkeypatch.setattr(column_threads.os, "cpu_count", lambda: 2)
    assert thread_count(10**6, 20) == 2  # one per core
    monkeypatch.setenv("EVALSOC_THREADS", "1")
    assert thread_count(10**6, 20) == 1
    monkeypatch.setenv("EVALSOC_THREADS", "3")
    assert thread_count(10**6, 20) == 3
    monkeypatch.setenv("EVALSOC_THREADS", "many")  # not a count: the cores decide
    assert thread_count(10**6, 20) == 2


def test_results_in_order_and_first_failure_raised(monkeypatch):
    monkeypatch.setenv("EVALSOC_THREADS", "4")
    items = list(range(50))
    assert per_column(lambda i: i * i, items, rows=10**6) == [i * i for i in items]

    def fails_on_odd_from_7(i: int) -> int:
        if i >= 7 and i % 2:
            raise ValueError(f"item {i}")
        return i

    with pytest.raises(ValueError, match="item 7"):  # the loop's first failure, not a later one
        per_column(fails_on_odd_from_7, items, rows=10**6)


def _write_survey(path) -> dict[str, int]:
    """A CSV of ROWS rows with failures planted in six columns; the number planted in each."""
    rng = np.random.default_rng(16)
    n = np.arange(ROWS)
    amount = np.round(rng.uniform(0, 900, ROWS), 2).astype(str).astype(object)
    amount[n % 97 == 5] = "douze"  # type: number
    amount[n % 89 == 3] = "-4"  # min 0
    wave = rng.integers(0, 3, ROWS).astype(str).astype(object)
    wave[n % 83 == 1] = "1,5"  # type: integer
    employed = rng.choice(["oui", "non", " Oui ", "NON"], ROWS).astype(object)
    employed[n % 79 == 2] = "peut-être"  # type: boolean
    q0 = rng.integers(1, 6, ROWS).astype(str).astype(object)
    q0[n % 73 == 4] = "7"  # likert 1..5
    entry = pd.Series(pd.date_range("2024-01-01", periods=400, freq="D").strftime("%d/%m/%Y"))
    entered = entry.to_numpy()[rng.integers(0, 400, ROWS)].astype(object)
    entered[n % 71 == 6] = "31/02/2024"  # type: date
    site = rng.choice(["nord", "sud", "est"], ROWS).astype(object)
    site[n % 67 == 0] = "ouest"  # one of nord, sud, est
    frame = pd.DataFrame(
        {
            "id": n + 1,
            "amount": amount,
            "wave": wave,
            "employed": employed,
            "q0": q0,
            "entered": entered,
            "site": site,
        }
    )
    frame.to_csv(path, sep=";", index=False)
    rows = pd.Series(n)
    return {  # failures planted, by construction (a row may fail in several columns)
        "amount: type: number": int(((rows % 97 == 5) & (rows % 89 != 3)).sum()),
        "amount: min 0": int((rows % 89 == 3).sum()),  # "-4" written over "douze"
        "wave: type: integer": int((rows % 83 == 1).sum()),
        "employed: type: boolean (oui/non, vrai/faux, yes/no, 1/0)": int((rows % 79 == 2).sum()),
        "q0: likert answer in 1..5": int((rows % 73 == 4).sum()),
        "entered: type: date (YYYY-MM-DD or DD/MM/YYYY)": int((rows % 71 == 6).sum()),
        "site: one of nord, sud, est": int((rows % 67 == 0).sum()),
    }


def _source(path) -> DataSource:
    return DataSource.model_validate(
        {
            "file": str(path),
            "key": ["id"],
            "columns": {
                "id": {"type": "integer"},
                "amount": {"type": "number", "min": 0},
                "wave": {"type": "integer"},
                "employed": {"type": "boolean"},
                "q0": {"type": "likert", "levels": 5},
                "entered": {"type": "date"},
                "site": {"type": "category", "values": ["nord", "sud", "est"]},
            },
        }
    )


def _validated(path, monkeypatch, threads: str):
    monkeypatch.setenv("EVALSOC_THREADS", threads)
    frame, info = read_csv(path, string_columns=["id", "wave", "employed", "entered", "site"])
    return validate_source("survey", _source(path), frame, info)


def test_threads_give_the_one_thread_validation(tmp_path, monkeypatch):
    path = tmp_path / "survey.csv"
    planted = _write_survey(path)
    monkeypatch.setattr(column_threads, "THREADED_ROWS", 1_000)  # 6,000 rows go on threads
    clean1, report1, quarantine1 = _validated(path, monkeypatch, "1")
    clean4, report4, quarantine4 = _validated(path, monkeypatch, "4")

    # The failures planted, each found once with its reason: the ground truth of the file.
    assert report4.failures == planted
    bad_rows = (
        (np.arange(ROWS) % 97 == 5)
        | (np.arange(ROWS) % 89 == 3)
        | (np.arange(ROWS) % 83 == 1)
        | (np.arange(ROWS) % 79 == 2)
        | (np.arange(ROWS) % 73 == 4)
        | (np.arange(ROWS) % 71 == 6)
        | (np.arange(ROWS) % 67 == 0)
    )
    assert report4.rows_quarantined == int(bad_rows.sum())
    assert report4.rows_used == ROWS - int(bad_rows.sum())
    assert report4.first_rows["site: one of nord, sud, est"] == 1  # row 0, the file's first

    # On threads, the same bits as on one thread.
    pd.testing.assert_frame_equal(clean4, clean1, check_exact=True)
    assert list(clean4.dtypes) == list(clean1.dtypes)
    pd.testing.assert_frame_equal(quarantine4, quarantine1, check_exact=True)
    assert report4.as_dict() == report1.as_dict()
    assert report4.first_rows == report1.first_rows
    assert quarantine4.to_csv(index=False) == quarantine1.to_csv(index=False)


def test_kept_rows_on_threads_are_loc(monkeypatch):
    monkeypatch.setattr(column_threads, "THREADED_ROWS", 10)
    monkeypatch.setenv("EVALSOC_THREADS", "3")
    rng = np.random.default_rng(7)
    n = 5_000
    frame = pd.DataFrame(
        {
            "x": rng.normal(size=n),
            "k": pd.array(rng.integers(0, 9, n), dtype="Int64"),
            "b": pd.array(rng.random(n) > 0.5, dtype="boolean"),
            "site": pd.Series(rng.choice(["nord", "sud"], n), dtype="str"),
            "when": pd.to_datetime("2025-01-01") + pd.to_timedelta(rng.integers(0, 90, n), "D"),
        }
    )
    keep = rng.random(n) > 0.3
    pd.testing.assert_frame_equal(kept_rows(frame, keep), frame.loc[keep], check_exact=True)
