"""A DiD with covariates and a fixed effect answered by Spark local from grouped moments
(engines/spark_moments.py): the pandas engine's results within 1e-9 relative on the data and
effects of test_duckdb_moments.py (missing values, `where`, each SE type, a nested and a
non-nested fixed effect, a singleton level, refusals, fallbacks), said in each effect's
`engine`. Slow, like the other Spark tests (a JVM starts)."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("pyspark", reason="pyspark is not installed (pip install evalsoc[spark])")

from evalsoc.engines.spark_session import java_found  # noqa: E402

if not java_found():
    pytest.skip("no Java runtime (apt-get install default-jre-headless)", allow_module_level=True)

from tests.engines.results_diff import differences  # noqa: E402
from tests.engines.test_duckdb_moments import COLLECTED, IN_ENGINE, _run, _write  # noqa: E402


@pytest.mark.slow
def test_spark_equals_pandas_from_moments(tmp_path: Path) -> None:
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
        assert spark["effects"][name]["engine"]["reason"]["code"] == code, name
    assert spark["effects"]["fe_nested"]["diagnostics"]["absorbed_columns"] == ["treated"]
    assert spark["effects"]["fe_hc1"]["diagnostics"]["singletons_dropped"] == 1
