"""The one pass's medians from their values fetched once (engines/duckdb_fetched_medians.py),
the path of sources up to FETCHED_AT_MOST values: every figure against the pandas engine's
kernel (stats/intervals.py `median_interval`) on the same values, with few groups (a mask
each) and many (one sort), `where` filters, ties, ±∞ and missing values."""

import numpy as np
import pandas as pd
import pytest

pytest.importorskip("duckdb")

from tests.engines.test_duckdb_medians import people_data  # noqa: E402

from evalsoc.engines import duckdb_fetched_medians  # noqa: E402
from evalsoc.engines.duckdb import DuckDBEngine  # noqa: E402
from evalsoc.framework.expressions import parse_expression  # noqa: E402
from evalsoc.framework.model import IndicatorSpec  # noqa: E402
from evalsoc.stats.intervals import median_interval  # noqa: E402


def kernel(values: np.ndarray) -> list[float]:
    return list(median_interval(values))


WHERE = {  # the `where` and the rows it keeps (a missing w: none here)
    None: lambda frame: frame["w"] == frame["w"],
    "not (w > 1)": lambda frame: ~(frame["w"] > 1),
    "w > 5": lambda frame: frame["w"] > 5,
}


@pytest.mark.parametrize("many_groups", [False, True], ids=["masks", "sort"])
@pytest.mark.parametrize("where", list(WHERE))
def test_fetched_medians_are_the_pandas_kernel(
    monkeypatch: pytest.MonkeyPatch, many_groups: bool, where: str | None
) -> None:
    frame = people_data(11, 3000)
    if many_groups:  # more groups than MASKS_AT_MOST
        groups = [f"k{i % 40:02d}" for i in range(3000)]
        frame["g"] = pd.Series(groups, dtype=frame["g"].dtype)  # text, as people_data's
        frame.loc[frame.index % 97 == 0, "g"] = None
    frame["y"] = frame["x"] * 2
    specs = [
        IndicatorSpec.model_validate({"id": "mx", "median": "x", "by": ["g"]}),
        IndicatorSpec.model_validate({"id": "my", "median": "y", "by": ["g"]}),
        IndicatorSpec.model_validate({"id": "whole", "median": "x"}),
    ]
    parsed = parse_expression(where) if where else None
    engine = DuckDBEngine({"p": frame})
    fetches = []
    fetch = duckdb_fetched_medians.fetch
    monkeypatch.setattr(duckdb_fetched_medians, "fetch", lambda *a: fetches.append(1) or fetch(*a))
    engine.prepare_indicators("p", [(s, parsed) for s in specs], [])
    kept = frame[WHERE[where](frame)]
    assert len(fetches) == 2  # the two medians by g together, the whole apart
    for spec in specs:
        found = engine.prepared("p", spec, parsed)
        assert found is not None
        column = spec.args
        if spec.by:
            present = kept["g"].dropna().unique()
            present = sorted(present) + ([None] if kept["g"].isna().any() else [])
            assert len(found.stats["n"]) == len(present)
            for g, value in enumerate(present):
                rows = kept["g"].isna() if value is None else kept["g"] == value
                values = kept.loc[rows, column].dropna().to_numpy()
                assert found.stats["n"][g] == len(values)
                figures = [found.stats[k][g] for k in ("median", "lo", "hi")]
                np.testing.assert_array_equal(
                    figures, kernel(values) if len(values) else [np.nan] * 3
                )
            whole = found.overall
        else:
            whole = found.stats
        values = kept[column].dropna().to_numpy()
        assert whole is not None and whole["n"][0] == len(values)
        figures = [whole[k][0] for k in ("median", "lo", "hi")]
        np.testing.assert_array_equal(figures, kernel(values) if len(values) else [np.nan] * 3)


def test_group_numbers_refuse_a_row_of_no_group() -> None:
    """A fetched row whose hash is none of the one pass's groups is a bug: raised, not
    placed in a neighbour."""
    hashes = np.array([5, 9, 2], dtype=np.uint64)
    numbers = duckdb_fetched_medians.group_numbers(np.array([9, 2, 5, 9], dtype=np.uint64), hashes)
    assert numbers is not None and numbers.tolist() == [1, 2, 0, 1]
    assert (
        duckdb_fetched_medians.group_numbers(
            np.array([9], dtype=np.uint64), np.array([3, 3], dtype=np.uint64)
        )
        is None
    )
    with pytest.raises(RuntimeError, match="not among"):
        duckdb_fetched_medians.group_numbers(np.array([9, 4], dtype=np.uint64), hashes)


def test_batches_of_at_most_fetched_at_most_values(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(duckdb_fetched_medians, "FETCHED_AT_MOST", 10)
    assert duckdb_fetched_medians.batches(3, 5) == [[0, 1, 2], [3, 4]]
    assert duckdb_fetched_medians.batches(10, 2) == [[0], [1]]
    assert duckdb_fetched_medians.batches(11, 2) == []  # one median alone is too many: brackets
