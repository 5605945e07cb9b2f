"""A 2×2 DiD answered by Spark local from cell sums (engines/spark_cells.py): the pandas
engine's results within 1e-9 relative on the data and effects of test_duckdb_cells.py (missing
values, `where`, clusters, privacy blanks, refusals, fallbacks), said in each effect's `engine`;
and a DiD with covariates and a fixed effect from grouped moments (engines/spark_moments.py) on
those of test_duckdb_moments.py (each SE type, a nested and a non-nested fixed effect, a
singleton level, refusals, fallbacks). Slow, like the other Spark tests (a JVM starts)."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("pyspark", reason="pyspark is not installed (pip install evalsoc[spark])")

from evalsoc.engines.spark_session import java_found  # noqa: E402

if not java_found():
    pytest.skip("no Java runtime (apt-get install default-jre-headless)", allow_module_level=True)

from tests.engines import test_duckdb_moments as moments  # noqa: E402
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


@pytest.mark.slow
def test_spark_equals_pandas_from_moments(tmp_path: Path) -> None:
    framework = moments._write(tmp_path)
    pandas = _run(framework, "pandas", tmp_path / "pandas")
    spark = _run(framework, "spark", tmp_path / "spark")
    assert differences(pandas["effects"], spark["effects"]) == []
    for name in moments.IN_ENGINE:
        note = spark["effects"][name]["engine"]
        assert note == {"name": "spark", "rows_in_engine": True, "reason": None}, name
    for name, code in moments.COLLECTED.items():
        assert spark["effects"][name]["engine"]["reason"]["code"] == code, name
    assert spark["effects"]["fe_nested"]["diagnostics"]["absorbed_columns"] == ["treated"]
    assert spark["effects"]["fe_hc1"]["diagnostics"]["singletons_dropped"] == 1
