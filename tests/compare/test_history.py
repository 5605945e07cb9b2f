"""History store: record, list and read back, in SQLite and DuckDB; changed definitions flagged."""

from __future__ import annotations

import pytest
from compare_fixtures import proportion, results

from evalsoc.compare.history import indicator_history, list_runs, open_store, record
from evalsoc.errors import FrameworkError

BACKENDS = ["sqlite"] + (["duckdb"] if __import__("importlib").util.find_spec("duckdb") else [])


@pytest.mark.parametrize("suffix", BACKENDS)
def test_record_list_and_read_back(tmp_path, suffix):
    store = tmp_path / f"h.{suffix}"
    years = {2023: (100, 300, "h1"), 2024: (130, 310, "h1"), 2025: (160, 320, "h2")}
    with open_store(store) as con:
        for year, (count, n, sha) in years.items():
            doc = results("site-a", year, {"c1_taux": proportion(count, n)}, {"c1": "fragile"})
            record(con, doc, {"c1_taux": sha}, recorded_at=f"{year}-12-31T00:00:00Z")
        record(con, results("other", 2024, {"c1_taux": proportion(1, 20)}, {"c1": "fragile"}), {})
    with open_store(store, create=False) as con:
        runs = list_runs(con, "site-a")
        points = indicator_history(con, "site-a", "c1_taux")
    assert [r["period"]["start"] for r in runs] == ["2023-01-01", "2024-01-01", "2025-01-01"]
    assert [r["definition_changed"] for r in runs] == [[], [], ["c1_taux"]]
    assert [p["value"] for p in points] == pytest.approx([100 / 300, 130 / 310, 160 / 320])
    assert [p["n"] for p in points] == [300, 310, 320]
    assert [p["definition_changed"] for p in points] == [False, False, True]


def test_missing_store_is_a_clear_error(tmp_path):
    with pytest.raises(FrameworkError, match="no history store"):
        with open_store(tmp_path / "nope.sqlite", create=False):
            pass


def test_a_file_that_is_not_a_database_is_a_clear_error(tmp_path):
    bad = tmp_path / "h.sqlite"
    bad.write_text("not a database, just text " * 100, encoding="utf-8")
    with pytest.raises(FrameworkError, match="cannot be used"):
        with open_store(bad):
            pass


@pytest.mark.slow
def test_run_record_then_history_lists_the_run(tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    framework = root / "frameworks/network/a-2024.yaml"
    store = tmp_path / "h.sqlite"
    cmd = [
        sys.executable,
        "-m",
        "evalsoc",
        "run",
        str(framework),
        "--out",
        str(tmp_path / "o"),
        "-q",
        "--record",
        str(store),
    ]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert f"recorded: run #1 in {store}" in done.stdout
    listed = subprocess.run(
        [sys.executable, "-m", "evalsoc", "history", str(framework), "--store", str(store)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert listed.returncode == 0 and "1 recorded run(s) of reseau-a" in listed.stdout
    shown = subprocess.run(
        [
            sys.executable,
            "-m",
            "evalsoc",
            "history",
            str(framework),
            "--store",
            str(store),
            "--indicator",
            "taux_emploi",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert shown.returncode == 0 and shown.stdout.startswith("2024-01-01 – 2024-12-31: 0.4")
