"""Parquet files read out of core by the DuckDB intake (data/duckdb_files.py: a view over
read_parquet, typed columns kept typed) give what the pandas intake gives: the same clean rows,
the same quarantine file byte for byte, the same report; and the same results end to end on the
scale benchmark's 20-column schema (benchmarks/bench_scale.py)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

pytest.importorskip("duckdb")

from tests.data.test_duckdb_intake import _load, assert_same_intake  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]


def _framework(folder: Path, columns: str, key: str = "") -> Path:
    framework = folder / "framework.yaml"
    framework.write_text(
        f"""evalsoc: 1
id: t
title: {{fr: T, en: T}}
language: fr
data:
  people:
    file: people.parquet
    max_invalid_share: 1
{key}    columns:
{columns}
dimensions: []
""",
        encoding="utf-8",
    )
    return framework


def _typed_file(folder: Path) -> Path:
    """Typed and text columns with gaps, NaN, bad values and duplicates, 200 rows."""
    import numpy as np
    import pandas as pd

    n = 200
    i = np.arange(n)
    frame = pd.DataFrame(
        {
            "id": i // 1 + (i == 7) * -6,  # row 7 repeats id 1: a duplicate key
            "code": pd.array([None if k % 11 == 0 else int(k % 5) for k in i], dtype="Int64"),
            "amount": np.where(i % 13 == 0, np.nan, i * 0.75 - 2.0),  # NaN missing; < 0 bad
            "ratio": np.where(i % 17 == 0, np.nan, (i % 9) / 4),  # undeclared double
            "visits": i % 7,  # undeclared integer
            "answer": (i % 7).astype("int64"),  # likert 1..5: 0 and 6 fail
            "site": np.where(i % 23 == 0, " nord ", np.where(i % 3, "sud", "nord")),
            "employed": np.where(i % 19 == 0, "peut-être", np.where(i % 2, "oui", "non")),
            "label": [None if k % 29 == 0 else f"l{k % 40}" for k in i],
            "ref": [f"r{k if k != 20 else 3}" for k in i],  # row 20 repeats row 3's
        }
    )
    frame.loc[frame.index % 31 == 5, "site"] = "ouest"  # not an allowed value
    frame.loc[frame.index == 9, ["amount", "ratio", "label", "site", "employed"]] = None
    frame.to_parquet(folder / "people.parquet", index=False)
    columns = (
        "      id: {type: integer, unique: true}\n"
        "      code: {type: integer, nullable: true, values: [0, 1, 2, 3]}\n"
        "      amount: {type: number, nullable: true, min: 0, max: 140}\n"
        "      answer: {type: likert, levels: 5}\n"
        "      site: {type: category, values: [nord, sud], nullable: true}\n"
        "      employed: {type: boolean, nullable: true}\n"
        "      label: {type: string, nullable: false}\n"
        "      ref: {type: string, unique: true}\n"
    )
    return _framework(folder, columns, "    key: [id]\n")


def test_typed_columns_nulls_bad_values_and_duplicates(tmp_path: Path) -> None:
    framework = _typed_file(tmp_path)
    said = assert_same_intake(framework)
    assert any("out of core in DuckDB" in line for line in said), said
    _, reports, quarantines, _ = _load(framework, "pandas")
    failures = reports["people"].failures
    # Not vacuous: each kind of failure is in the reference the DuckDB intake matched.
    for check in ("min 0", "max 140", "one of 0, 1, 2, 3", "duplicate value", "duplicate key"):
        assert any(check in key for key in failures), failures
    assert any("type: boolean" in key for key in failures), failures
    assert any("not nullable" in key for key in failures), failures
    assert any("likert" in key for key in failures), failures
    assert 0 < len(quarantines["people"]) < 200


def test_a_row_of_missing_values_is_skipped_as_pandas_skips_it(tmp_path: Path) -> None:
    """The pandas intake skips a Parquet row whose cells are all missing (with the note the
    CSV reader gives): the DuckDB intake does the same."""
    import pandas as pd

    pd.DataFrame({"a": ["x", None, "z"], "b": [1.5, None, 2.0]}).to_parquet(
        tmp_path / "people.parquet", index=False
    )
    columns = "      a: {type: string, nullable: true}\n      b: {type: number, nullable: true}\n"
    framework = _framework(tmp_path, columns)
    assert_same_intake(framework)
    tables, reports, _, _ = _load(framework, "duckdb")
    assert len(tables["people"]) == 2 and reports["people"].rows_read == 2
    assert list(tables["people"].to_pandas().index) == [0, 2]


def test_many_spellings_go_through_a_joined_mapping_in_file_order(tmp_path: Path) -> None:
    """More than SMALL_MAPPING distinct spellings needing pandas' conversion: the mapping is a
    table joined to the file's rows, which are then put back in file order."""
    import pandas as pd

    from evalsoc.data.duckdb_columns import SMALL_MAPPING

    days = [f"{d:02d}.{m:02d}.2024" for m in range(1, 6) for d in range(1, 29)]
    days[10], days[50] = "31.02.2024", "hier"
    assert len(set(days)) > SMALL_MAPPING
    pd.DataFrame({"n": range(len(days)), "d": days[::-1]}).to_parquet(
        tmp_path / "people.parquet", index=False
    )
    columns = "      n: {type: integer}\n      d: {type: date, format: '%d.%m.%Y'}\n"
    framework = _framework(tmp_path, columns)
    assert_same_intake(framework)
    tables, reports, _, _ = _load(framework, "duckdb")
    assert reports["people"].rows_quarantined == 2
    assert list(tables["people"].to_pandas(["n"])["n"]) == [
        k for k in range(len(days)) if k not in (len(days) - 11, len(days) - 51)
    ]


@pytest.mark.parametrize("name", ["file_row_number", "_evalsoc_row", "_evalsoc_v0"])
def test_a_column_named_like_the_intakes_own_falls_back(name: str, tmp_path: Path) -> None:
    """DuckDB's row position and the intake's work columns would clash with such a name."""
    import pandas as pd

    pd.DataFrame({name: [3, 4], "a": ["x", "y"]}).to_parquet(
        tmp_path / "people.parquet", index=False
    )
    framework = _framework(tmp_path, "      a: {type: string}\n")
    said = assert_same_intake(framework, out_of_core=False)
    said_name = name if name == "file_row_number" else "_evalsoc_"
    assert any(said_name in line and "pandas intake" in line for line in said), said


@pytest.mark.slow  # two whole runs (about 10 s on a quiet machine)
def test_scale_schema_gives_the_same_results_on_both_engines(tmp_path: Path) -> None:
    """bench_scale.py's seeded 20-column file (2,000 rows, 0.1 % invalid cells: values below
    min, likert answers of 7, a site not declared) and its 30 indicators: results.json equal
    within 1e-9 and invalid/d.csv byte for byte, DuckDB intake against pandas intake."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import bench_scale
    from tests.engines.results_equality import differences, run_engine

    data = tmp_path / "scale.parquet"
    bench_scale.make_data(2000, tmp_path / "scale.csv", data)
    framework = tmp_path / "fw.yaml"
    framework.write_text(bench_scale.framework_yaml(data, "pandas", False), encoding="utf-8")
    pandas = run_engine(framework, "pandas", tmp_path / "pandas")
    duckdb = run_engine(framework, "duckdb", tmp_path / "duckdb")
    assert differences(pandas, duckdb) == []
    quarantined = (tmp_path / "pandas" / "invalid" / "d.csv").read_bytes()
    assert (tmp_path / "duckdb" / "invalid" / "d.csv").read_bytes() == quarantined
    assert pandas["data"]["d"]["rows_quarantined"] > 0
