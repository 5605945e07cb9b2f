"""A 2×2 DiD answered by Spark local from cell sums (engines/spark_cells.py): the pandas
engine's results within 1e-9 relative on the data and effects of test_duckdb_cells.py (missing
values, `where`, clusters, privacy blanks, refusals, fallbacks), said in each effect's `engine`.
Slow, like the other Spark tests (a JVM starts)."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("pyspark", reason="pyspark is not installed (pip install evalsoc[spark])")

from evalsoc.engines.spark_session import java_found  # noqa: E402

if not java_found():
    pytest.skip("no Java runtime (apt-get install default-jre-headless)", allow_module_level=True)

from tests.engines.results_diff import differences  # noqa: E402
from tests.engines.test_duckdb_cells import COLLECTED, IN_ENGINE, _run, _write  # noqa: E402


@pytest.mark.slow
def test_spark_equals_pandas_from_cell_sums(tmp_path: Path) -> None:
    framework = _write(tmp_path)
    pandas = _run(framework, "pandas", tmp_path / "pandas")
    spark = _run(framework, "spark", tmp_path / "spark")
    assert differences(pandas["effects"], spark["effects"]) == []
    for name in IN_ENGINE:
        assert spark["effects"][name]["engine"] == {
            "name": "spark",
            "rows_in_engine": True,
            "reason": None,
        }, name
    for name, code in COLLECTED.items():
        assert spark["effects"][name]["engine"]["reason"]["code"] == code
    assert spark["effects"]["cluster"]["n_clusters"] == 24
    assert spark["effects"]["small_cell"]["diagnostics"]["raw_did"] is None
