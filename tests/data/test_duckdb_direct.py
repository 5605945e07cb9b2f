"""A Parquet source read without a copy (data/duckdb_direct.py): when no mapping table has to
be joined, the converted rows and the clean source are views over the file, the quarantined
rows left out by their row number. Same clean rows, quarantine file and report as the pandas
intake (assert_same_intake), and the same results end to end."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("duckdb")

from tests.data.test_duckdb_intake import _load, assert_same_intake  # noqa: E402
from tests.data.test_duckdb_parquet import _framework, _typed_file  # noqa: E402


def _kind(table) -> str:
    """VIEW or BASE TABLE: how the intake left the source in DuckDB."""
    found = table.connection.execute(
        "SELECT table_type FROM information_schema.tables WHERE table_name = $name",
        {"name": table.table},
    ).fetchall()
    return str(found[0][0])


def _read_both_ways(tmp_path: Path, frame, columns: str):
    """`frame` as people.parquet with the declared `columns`: the DuckDB intake checked against
    the pandas intake (assert_same_intake), then its (tables, reports)."""
    frame.to_parquet(tmp_path / "people.parquet", index=False)
    framework = _framework(tmp_path, columns)
    assert_same_intake(framework)
    tables, reports, _, _ = _load(framework, "duckdb")
    return tables, reports


def test_typed_file_with_failing_rows_is_read_as_a_view(tmp_path: Path) -> None:
    framework = _typed_file(tmp_path)
    assert_same_intake(framework)  # the same rows, dtypes, quarantine bytes and report
    tables, reports, quarantines, _ = _load(framework, "duckdb")
    table = tables["people"]
    assert _kind(table) == "VIEW"
    quarantined = reports["people"].rows_quarantined
    assert quarantined > 0 and len(quarantines["people"]) > 0
    # The view leaves out exactly the quarantined rows, counted by DuckDB itself.
    counted = table.connection.execute(f"SELECT count(*) FROM {table.table}").fetchall()[0][0]
    assert counted == 200 - quarantined == len(table)


def test_a_joined_mapping_keeps_the_copy(tmp_path: Path) -> None:
    """More than SMALL_MAPPING spellings to map: a table joined, so the source is a table."""
    import pandas as pd

    days = [f"{d:02d}.{m:02d}.2024" for m in range(1, 6) for d in range(1, 29)]
    columns = "      n: {type: integer}\n      d: {type: date, format: '%d.%m.%Y'}\n"
    tables, _ = _read_both_ways(tmp_path, pd.DataFrame({"n": range(len(days)), "d": days}), columns)
    assert _kind(tables["people"]) == "BASE TABLE"


def test_mapped_spellings_with_quotes_and_dollars_become_literals(tmp_path: Path) -> None:
    """A view cannot hold bound lists: a small mapping's spellings are written in as escaped
    SQL literals, including quotes and text that looks like a parameter name."""
    import pandas as pd

    sites = [" l'est ", "$m0_keys", " sud", "nord", "$m1_bad", "ouest'"] * 5
    answers = ["oui", "Non", "OUI", "peut-être", "non", "$m0_values"] * 5
    columns = (
        "      site: {type: category, values: [l'est, sud, nord, $m0_keys]}\n"
        "      ok: {type: boolean}\n"
    )
    tables, reports = _read_both_ways(
        tmp_path, pd.DataFrame({"site": sites, "ok": answers}), columns
    )
    assert _kind(tables["people"]) == "VIEW"
    # The last three of each six fail: "peut-être" is no boolean, $m1_bad and ouest' are not
    # allowed sites (and "$m0_values" no boolean).
    assert reports["people"].rows_quarantined == 15
    kept = tables["people"].to_pandas()
    assert sorted(set(kept["site"])) == ["$m0_keys", "l'est", "sud"]
    assert list(kept["ok"]) == [True, False, True] * 5


def test_a_row_of_missing_values_keeps_the_filter_in_the_view(tmp_path: Path) -> None:
    import pandas as pd

    frame = pd.DataFrame({"a": ["x", None, "z", "w"], "b": [1.5, None, -2.0, 3.0]})
    columns = "      a: {type: string, nullable: true}\n      b: {type: number, min: 0}\n"
    tables, reports = _read_both_ways(tmp_path, frame, columns)
    assert _kind(tables["people"]) == "VIEW"
    assert reports["people"].rows_read == 3 and reports["people"].rows_quarantined == 1
    assert list(tables["people"].to_pandas().index) == [0, 3]


def test_results_equal_the_pandas_engines_on_the_direct_path(tmp_path: Path) -> None:
    """Indicators over the views (the quarantined rows left out by the anti-join): results.json
    within 1e-9 of the pandas engine's, and the same invalid/people.csv byte for byte."""
    from tests.engines.results_equality import differences, run_engine

    framework = _typed_file(tmp_path)
    text = framework.read_text(encoding="utf-8").replace(
        "dimensions: []\n",
        "privacy: {min_cell: 3}\n"
        "dimensions:\n  - id: d1\n    criteria:\n      - id: c1\n        indicators:\n"
        "          - {id: m, mean: amount, by: [site]}\n"
        "          - {id: med, median: amount}\n"
        "          - {id: p, proportion: employed, by: [site]}\n"
        '          - {id: s, sum: answer, where: "code >= 1"}\n'
        "          - {id: c, count: \"site == 'sud'\"}\n",
    )
    framework.write_text(text, encoding="utf-8")
    pandas = run_engine(framework, "pandas", tmp_path / "pandas")
    duckdb = run_engine(framework, "duckdb", tmp_path / "duckdb")
    assert differences(pandas, duckdb) == []
    quarantined = (tmp_path / "pandas" / "invalid" / "people.csv").read_bytes()
    assert (tmp_path / "duckdb" / "invalid" / "people.csv").read_bytes() == quarantined
    assert pandas["data"]["people"]["rows_quarantined"] > 0


def test_columns_counted_complete_by_the_intake_are_complete(tmp_path: Path) -> None:
    """The checks' pass also counts each column's missing values: a column without any is
    complete among the kept rows (no query later); the others are asked of the clean rows."""
    framework = _typed_file(tmp_path)
    tables, _, _, _ = _load(framework, "duckdb")
    table = tables["people"]
    # id, visits, answer, ref are never missing in the file; amount, code, label are.
    assert {"id", "visits", "answer", "ref"} <= table.known_complete
    assert not {"amount", "code", "label", "ratio"} & table.known_complete
    frame = table.to_pandas()
    truth = {c: not bool(frame[c].isna().any()) for c in table.column_names}
    assert table.complete_columns(table.column_names) == truth
    assert truth["ref"] and not truth["amount"]
