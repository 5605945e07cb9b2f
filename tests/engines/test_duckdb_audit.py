"""The disclosure audit's populations counted inside DuckDB (engines/duckdb_audit.py) are the
pandas masks': same figures, same sizes, same identities, same symmetric differences."""

import itertools

import numpy as np
import pandas as pd
import pytest

pytest.importorskip("duckdb")

from tests.engines.audit_people import PEOPLE  # noqa: E402

from evalsoc.engines.duckdb import DuckDBEngine  # noqa: E402
from evalsoc.engines.duckdb_audit import count_apart  # noqa: E402
from evalsoc.framework.expressions import parse_expression  # noqa: E402
from evalsoc.framework.model import IndicatorSpec  # noqa: E402
from evalsoc.privacy.indicators import Entry, figures  # noqa: E402
from evalsoc.sections.indicators.compute import group_codes, row_support  # noqa: E402

SPECS = [
    ({"proportion": "employed", "by": ["site"]}, None),
    ({"mean": "age", "by": ["site"]}, "employed"),
    ({"count": "age > 25", "by": ["site"]}, "level > 1"),
    ({"share": "level", "values": [4, 10], "by": ["employed"]}, None),
    ({"median": "age"}, "not (age > 45)"),
    ({"rate": ["age", "level"], "by": ["site", "employed"]}, None),
]


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


@pytest.mark.parametrize("key", [["id"], []], ids=["key", "positions"])
def test_counted_populations_are_the_masks(key: list[str]) -> None:
    engine = DuckDBEngine({"people": PEOPLE})
    masks, counted = {}, {}
    for number, (raw, where) in enumerate(SPECS):
        spec = indicator(number, raw)
        expression = parse_expression(where) if where else None
        rows = engine.audit_rows("people", expression, spec, key=key)
        assert rows is not None, raw
        result = published(spec, len(rows.groups), len(rows.categories))
        entry = pandas_entry(PEOPLE, spec, where)
        masks |= {(number, k): rows_of() for k, _recipe, rows_of in figures(entry, result)}
        counted |= {(number, k): p for k, p in rows.figures(result)}
    assert masks.keys() == counted.keys()
    assert len(masks) > 60  # overall, groups, traits, categories, unions of six indicators
    for name, mask in masks.items():
        assert counted[name].size == mask.sum(), name
    pairs = list(itertools.combinations(masks, 2))
    same = [a for a, b in pairs if (masks[a] == masks[b]).all()]
    assert same  # some figures share their rows: they must be one population
    for a, b in pairs:
        equal = bool((masks[a] == masks[b]).all())
        signed = (counted[a].size, counted[a].signature) == (counted[b].size, counted[b].signature)
        assert signed == equal, (a, b)
    owner = counted[pairs[0][0]].owner
    within = [(a, b) for a, b in pairs if a[0] == b[0]]  # from the cells' counts
    across = [(a, b) for a, b in pairs if a[0] != b[0]][::7]  # disjoint groups, or one scan
    for checked in (within, across):
        apart = owner.count_apart("people", [(counted[a], counted[b]) for a, b in checked])
        assert apart == [int((masks[a] ^ masks[b]).sum()) for a, b in checked]


def test_hand_worked_cells_of_a_proportion_by_site() -> None:
    """Sites in declared order Sud, Nord, Est, then missing. Employed known on every row but
    the 4th (id 4, no site): Sud = ids 2, 5, 8 (employed: 5, 8), Nord = 1, 3, 6 (1, 3),
    Est = 7 (7)."""
    engine = DuckDBEngine({"people": PEOPLE})
    spec = indicator(0, {"proportion": "employed", "by": ["site"]})
    rows = engine.audit_rows("people", None, spec, key=["id"])
    assert rows.group_table()["site"].tolist() == ["Sud", "Nord", "Est", "(manquant)"]
    found = {k: p.size for k, p in rows.figures(published(spec, 4, 0))}
    assert found[("overall", None)] == 7 and found[("overall_trait", None)] == 5
    assert [found[("group", g)] for g in range(4)] == [3, 3, 1, 0]
    assert [found[("group_trait", g)] for g in range(4)] == [2, 2, 1, 0]
    assert found[("union", None)] == 7 and found[("union_trait", None)] == 5


def test_kinds_it_does_not_describe_are_left_to_the_masks() -> None:
    engine = DuckDBEngine({"people": PEOPLE})
    gini = indicator(0, {"gini": "age"})
    assert engine.audit_rows("people", None, gini) is None
    zero_one = pd.DataFrame({"flag": [0.0, 1.0, 1.0]})
    numeric = indicator(1, {"proportion": "flag"})
    assert DuckDBEngine({"t": zero_one}).audit_rows("t", None, numeric) is None


def test_a_table_of_the_duckdb_intake_is_audited_by_its_row_positions() -> None:
    """A source the DuckDB intake left as a table: rows named by their file position, and the
    connection still serves the sections that collect rows afterwards (every result fetched
    whole: DuckDB refuses new work while a result is partly read)."""
    from evalsoc.engines.duckdb_table import ROW, DuckDBTable, connect

    connection = connect()
    connection.register("people_frame", PEOPLE.reset_index(drop=True))
    connection.execute(
        f"CREATE TABLE intake_0 AS SELECT row_number() OVER () - 1 AS {ROW}, * FROM people_frame"
    ).fetchall()
    table = DuckDBTable(connection, "intake_0", list(PEOPLE.columns), dict(PEOPLE.dtypes), 8)
    engine = DuckDBEngine({"people": table})
    spec = indicator(0, {"proportion": "employed", "by": ["site"]})
    rows = engine.audit_rows("people", None, spec, key=["id"])
    assert rows is not None and rows.key == [ROW]
    in_memory = DuckDBEngine({"people": PEOPLE}).audit_rows("people", None, spec, key=["id"])
    result = published(spec, 4, 0)
    assert [p.size for _, p in rows.figures(result)] == [
        p.size for _, p in in_memory.figures(result)
    ]
    figures = dict(rows.figures(result))
    overall, nord = figures[("overall", None)], figures[("group", 1)]
    assert count_apart(engine, "people", [(overall, nord)]) == [7 - 3]  # scanned in DuckDB
    assert table.to_pandas(["age"])["age"].count() == 7
