"""The disclosure audit's populations counted in Spark (engines/spark_audit.py) are the pandas
masks': same figures, same sizes, same identities, same symmetric differences; and indicators
sharing a source, a `where` and a `by` are answered by one aggregation.

Skipped, with the reason, where pyspark or Java is missing (as tests/engines/test_spark_engine.py).
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
import pandas as pd
import pytest

pytest.importorskip(
    "pyspark", reason="the Spark engine needs pyspark: pip install 'evalsoc[spark]'"
)

from evalsoc.engines.spark_session import java_found  # noqa: E402

if not java_found():
    pytest.skip(
        "the Spark engine needs Java 17+ (Debian: default-jre-headless)", allow_module_level=True
    )

from tests.engines.audit_people import PEOPLE as AUDIT_PEOPLE  # noqa: E402

from evalsoc.engines import spark_grouped  # noqa: E402
from evalsoc.engines.base import PlannedIndicator  # noqa: E402
from evalsoc.engines.pandas import PandasEngine  # noqa: E402
from evalsoc.engines.spark import SparkEngine  # noqa: E402
from evalsoc.framework.expressions import parse_expression  # noqa: E402
from evalsoc.framework.model import IndicatorSpec  # noqa: E402
from evalsoc.privacy.indicators import Entry, figures  # noqa: E402
from evalsoc.sections.indicators.compute import (  # noqa: E402
    columns_needed,
    group_codes,
    row_support,
)

# the audit tests' people and a 0/1 number column
PEOPLE = AUDIT_PEOPLE.assign(flag=[0.0, 1.0, 1.0, np.nan, 0.0, 1.0, 1.0, 0.0])

SPECS = [
    ({"proportion": "employed", "by": ["site"]}, None),
    ({"mean": "age", "by": ["site"]}, "employed"),
    ({"count": "age > 25", "by": ["site"]}, "level > 1"),
    ({"share": "level", "values": [4, 10], "by": ["employed"]}, None),
    ({"median": "age"}, "not (age > 45)"),
    ({"rate": ["age", "level"], "by": ["site", "employed"]}, None),
    ({"proportion": "flag", "by": ["employed"]}, None),
    ({"count": True, "by": ["site"]}, "not (age > 45)"),
]


@pytest.fixture(scope="module")
def session() -> Any:
    from evalsoc.engines.spark_session import spark_session

    return spark_session(master="local[1]")


def indicator(number: int, raw: dict) -> IndicatorSpec:
    return IndicatorSpec.model_validate({"id": f"i{number}", **raw})


def published(spec: IndicatorSpec, groups: int, categories: int) -> dict:
    """A result with every figure shown (what `figures` walks)."""
    cell = {"count": 1.0, "categories": [{"value": j} for j in range(categories)]}
    return {**cell, "by": [dict(cell) for _ in range(groups)] if spec.by else []}


def pandas_entry(frame: pd.DataFrame, spec: IndicatorSpec, where: str | None) -> Entry:
    mask = parse_expression(where).evaluate(frame).to_numpy(bool) if where else None
    selected = frame if mask is None else frame.loc[mask]
    codes = group_codes(selected, list(spec.by))[0]
    positions = np.arange(len(frame)) if mask is None else np.flatnonzero(mask)
    return Entry(spec, {}, "people", positions, len(frame), row_support(spec, selected), codes)


def test_counted_populations_are_the_masks(session: Any) -> None:
    engine = SparkEngine({"people": PEOPLE})
    masks, counted = {}, {}
    owner = None
    for number, (raw, where) in enumerate(SPECS):
        spec = indicator(number, raw)
        expression = parse_expression(where) if where else None
        rows = engine.audit_rows("people", expression, spec)
        assert rows is not None, raw
        owner = owner or rows
        result = published(spec, len(rows.batch.keys), len(rows.answer.categories))
        entry = pandas_entry(PEOPLE, spec, where)
        masks |= {(number, k): rows_of() for k, _recipe, rows_of in figures(entry, result)}
        counted |= {(number, k): p for k, p in rows.figures(result)}
    assert masks.keys() == counted.keys()
    assert len(masks) > 70  # overall, groups, traits, categories, unions of eight indicators
    for name, mask in masks.items():
        assert counted[name].size == mask.sum(), name
    pairs = list(itertools.combinations(masks, 2))
    assert any((masks[a] == masks[b]).all() for a, b in pairs)  # shared rows: one population
    for a, b in pairs:
        equal = bool((masks[a] == masks[b]).all())
        signed = (counted[a].size, counted[a].signature) == (counted[b].size, counted[b].signature)
        assert signed == equal, (a, b)
    checked = pairs[::5]
    apart = owner.count_apart("people", [(counted[a], counted[b]) for a, b in checked])
    assert apart == [int((masks[a] ^ masks[b]).sum()) for a, b in checked]


def test_hand_worked_cells_of_a_proportion_by_site(session: Any) -> None:
    """Sites in declared order Sud, Nord, Est, then missing. Employed known on every row but
    the 4th (id 4, no site): Sud = ids 2, 5, 8 (employed: 5, 8), Nord = 1, 3, 6 (1, 3),
    Est = 7 (7)."""
    engine = SparkEngine({"people": PEOPLE})
    spec = indicator(0, {"proportion": "employed", "by": ["site"]})
    rows = engine.audit_rows("people", None, spec)
    assert rows.group_table()["site"].tolist() == ["Sud", "Nord", "Est", "(manquant)"]
    found = {k: p.size for k, p in rows.figures(published(spec, 4, 0))}
    assert found[("overall", None)] == 7 and found[("overall_trait", None)] == 5
    assert [found[("group", g)] for g in range(4)] == [3, 3, 1, 0]
    assert [found[("group_trait", g)] for g in range(4)] == [2, 2, 1, 0]
    assert found[("union", None)] == 7 and found[("union_trait", None)] == 5
    stats = engine.grouped_statistics("people", None, spec, ["employed", "site"])
    assert stats["n"].tolist() == [3, 3, 1, 0] and stats["count"].tolist() == [2, 2, 1, 0]


def test_kinds_needing_rows_are_left_to_the_masks(session: Any) -> None:
    engine = SparkEngine({"people": PEOPLE})
    assert engine.audit_rows("people", None, indicator(0, {"gini": "age"})) is None


def test_planned_indicators_share_one_aggregation(session: Any, monkeypatch: Any) -> None:
    """Five indicators on (people, where, by site): one batch, every answer the pandas one."""
    calls = []
    compute = spark_grouped.compute_batch

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(args[4])
        return compute(*args, **kwargs)

    monkeypatch.setattr(spark_grouped, "compute_batch", counted)
    where = "not (age > 55)"
    raws = [
        {"mean": "age"},
        {"proportion": "employed"},
        {"rate": ["age", "level"]},
        {"count": "level >= 4"},
        {"sum": "level"},
    ]
    specs = [indicator(i, {**raw, "by": ["site"], "where": where}) for i, raw in enumerate(raws)]
    spark, pandas = SparkEngine({"people": PEOPLE}), PandasEngine({"people": PEOPLE})
    expression = parse_expression(where)
    spark.plan_indicators([PlannedIndicator("people", s, expression) for s in specs])
    for spec in specs:
        needed = columns_needed(spec, list(PEOPLE.columns))
        pandas.rows("people", needed, expression)
        expected = pandas.grouped_statistics("people", expression, spec, needed)
        got = spark.grouped_statistics("people", expression, spec, needed)
        for key, value in expected.items():
            assert np.allclose(got[key], value, rtol=1e-9, equal_nan=True), (spec.kind, key)
    assert len(calls) == 1 and len(calls[0]) == 5


def test_a_planned_indicator_in_error_raises_its_own_error(session: Any) -> None:
    """A text column's mean among planned indicators: the others are answered, its error is
    the pandas engine's."""
    from evalsoc.sections.indicators.compute import IndicatorError

    frame = PEOPLE.assign(site=PEOPLE["site"].astype(str))
    good, bad = indicator(0, {"mean": "age"}), indicator(1, {"mean": "site"})
    engine = SparkEngine({"people": frame})
    engine.plan_indicators(
        [PlannedIndicator("people", good, None), PlannedIndicator("people", bad, None)]
    )
    assert engine.grouped_statistics("people", None, good, ["age"])["n"].tolist() == [7]
    with pytest.raises(IndicatorError, match="column 'site' is not numeric"):
        engine.grouped_statistics("people", None, bad, ["site"])
