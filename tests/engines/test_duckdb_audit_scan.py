"""The DuckDB audit's merged scans (engines/duckdb_audit.py, round 8): the pair query counts
|a ∩ b| for every pair in one scan and the shares of one `where` and `by` are measured by one
GROUPING SETS scan. Nothing may change what is withheld: every pair of populations that differ
by 1 to `min_cell` − 1 rows must still be found, exactly as the pandas audit finds it.

Hand-built populations: a column and its copy with k rows flipped (k = 0 … 10, min_cell 10),
equal-sized populations that swap j rows each way (apart 2j), share columns with k rows moved
to another category; each run on pandas and DuckDB, what is withheld compared.
"""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

pytest.importorskip("duckdb")

from tests.conftest import write  # noqa: E402
from tests.engines.audit_people import PEOPLE  # noqa: E402
from tests.engines.results_equality import differences, run_engine  # noqa: E402

from evalsoc.engines.duckdb import DuckDBEngine  # noqa: E402
from evalsoc.engines.duckdb_audit import Population, count_apart, share_rows  # noqa: E402
from evalsoc.framework.expressions import parse_expression  # noqa: E402
from evalsoc.framework.model import IndicatorSpec  # noqa: E402
from evalsoc.privacy.indicators import Entry, figures  # noqa: E402
from evalsoc.sections.indicators.compute import group_codes, row_support  # noqa: E402

ROWS = 300
FLIPS = range(11)  # k rows of `base_k` set false in `flip_k`: a leak for 1 ≤ k ≤ 9
SWAPS = range(1, 6)  # j rows off and j rows on: equal sizes, 2j apart, a leak for j ≤ 4


def _block(k: int) -> int:
    """Rows with the trait in `base_k`: 25 apart, so that only base_k and flip_k are near."""
    return 20 + 25 * k


def _data(folder: Path) -> None:
    rng = np.random.default_rng(8)
    rows = np.arange(ROWS)
    flips: dict[str, Any] = {"id": rows, "site": rng.choice(["Nord", "Sud", "Est"], ROWS)}
    for k in FLIPS:
        base = rows < _block(k)
        flip = base.copy()
        flip[_block(k) - k : _block(k)] = False
        flips[f"base_{k}"], flips[f"flip_{k}"] = base, flip
    pd.DataFrame(flips).to_csv(folder / "flips.csv", index=False)
    swaps: dict[str, Any] = {"id": rows}
    for j in SWAPS:
        base = rows < _block(j)
        swap = base.copy()
        swap[_block(j) - j : _block(j)] = False
        swap[_block(j) : _block(j) + j] = True
        swaps[f"sbase_{j}"], swaps[f"swap_{j}"] = base, swap
    pd.DataFrame(swaps).to_csv(folder / "swaps.csv", index=False)
    # Shares: c_k is c_0 with the first k rows of category x moved to y (x: 120 rows).
    base_cat = np.array(["x"] * 120 + ["y"] * 100 + ["z"] * 80)
    cats: dict[str, Any] = {"id": rows, "sexe": np.where(rows % 2 == 0, "F", "H")}
    for k in (0, 3, 10):
        moved = base_cat.copy()
        moved[np.flatnonzero(base_cat == "x")[:k]] = "y"
        cats[f"c_{k}"] = moved
    pd.DataFrame(cats).to_csv(folder / "cats.csv", index=False)


def _framework(folder: Path) -> Path:
    flips = "\n".join(
        f"      base_{k}: {{type: boolean}}\n      flip_{k}: {{type: boolean}}" for k in FLIPS
    )
    swaps = "\n".join(
        f"      sbase_{j}: {{type: boolean}}\n      swap_{j}: {{type: boolean}}" for j in SWAPS
    )
    cats = "\n".join(f"      c_{k}: {{type: category, values: [x, y, z]}}" for k in (0, 3, 10))
    indicators = [f"{{id: base_{k}, proportion: base_{k}, data: flips}}" for k in FLIPS]
    indicators += [f"{{id: flip_{k}, proportion: flip_{k}, data: flips}}" for k in FLIPS]
    indicators += [f"{{id: sbase_{j}, proportion: sbase_{j}, data: swaps}}" for j in SWAPS]
    indicators += [f"{{id: swap_{j}, proportion: swap_{j}, data: swaps}}" for j in SWAPS]
    indicators += [f"{{id: share_{k}, share: c_{k}, data: cats}}" for k in (0, 3, 10)]
    indicators += [
        f'{{id: share_{k}_sexe, share: c_{k}, by: [sexe], data: cats, where: "id < 290"}}'
        for k in (0, 3, 10)
    ]
    listed = "".join(f"          - {line}\n" for line in indicators)
    text = (
        "evalsoc: 1\nid: audit-scan\ntitle: audit scan\nprivacy: {min_cell: 10}\ndata:\n"
        f"  flips:\n    file: flips.csv\n    key: [id]\n    columns:\n"
        f"      id: {{type: integer}}\n      site: {{type: category, values: [Nord, Sud, Est]}}\n{flips}\n"
        f"  swaps:\n    file: swaps.csv\n    key: [id]\n    columns:\n"
        f"      id: {{type: integer}}\n{swaps}\n"
        f"  cats:\n    file: cats.csv\n    key: [id]\n    columns:\n"
        f"      id: {{type: integer}}\n      sexe: {{type: category, values: [F, H]}}\n{cats}\n"
        "dimensions:\n  - id: d\n    criteria:\n      - id: c\n        indicators:\n" + listed
    )
    return write(folder / "framework.yaml", text)


def _withheld(results: dict[str, Any]) -> list[tuple[Any, ...]]:
    return [
        (w["id"], w["figure"], str(w.get("group")), str(w.get("category")))
        for w in results["privacy"]["withheld"]
    ]


def test_pairs_one_to_min_cell_minus_one_apart_are_withheld_on_duckdb_as_on_pandas(
    tmp_path: Path,
) -> None:
    _data(tmp_path)
    framework = _framework(tmp_path)
    on_pandas = run_engine(framework, "pandas", tmp_path / "pandas")
    on_duckdb = run_engine(framework, "duckdb", tmp_path / "duckdb")
    assert _withheld(on_duckdb) == _withheld(on_pandas)
    assert differences(on_pandas, on_duckdb) == []
    withheld = {w[0] for w in _withheld(on_duckdb)}
    # flip_k is base_k less k rows: withheld for 1 ≤ k ≤ 9 only (k = 0: the same people)
    assert {f"flip_{k}" for k in FLIPS} & withheld == {f"flip_{k}" for k in range(1, 10)}
    assert not {f"base_{k}" for k in FLIPS} & withheld
    for k in FLIPS:
        assert on_duckdb["indicators"][f"flip_{k}"]["suppressed"] == (1 <= k <= 9), k
    # equal sizes, 2j apart: one of the two withheld for 2j < 10, neither for j = 5
    for j in SWAPS:
        named = {f"sbase_{j}", f"swap_{j}"} & withheld
        assert len(named) == (1 if 2 * j < 10 else 0), j
    # Shares (one GROUPING SETS scan): x has 120 rows in c_0, 117 in c_3, 110 in c_10 (nested);
    # y has 100, 103, 110; z is the same 80 rows in all three (one population). The narrower
    # of each pair 3 or 7 apart is withheld: x of c_3 and c_10, y of c_0 and c_3.
    overall = {(w[0], w[3]) for w in _withheld(on_duckdb) if w[0] in ("share_0", "share_3")}
    overall |= {(w[0], w[3]) for w in _withheld(on_duckdb) if w[0] == "share_10"}
    assert overall == {("share_3", "x"), ("share_10", "x"), ("share_0", "y"), ("share_3", "y")}
    by_sexe = {(w[0], w[2], w[3]) for w in _withheld(on_duckdb) if w[0].endswith("_sexe")}
    assert {(i, c) for i, g, c in by_sexe if g != "None"} == {
        ("share_3_sexe", "x"),
        ("share_10_sexe", "x"),
        ("share_0_sexe", "y"),
        ("share_3_sexe", "y"),
    }


def _specs() -> list[tuple[IndicatorSpec, Any]]:
    """Shares of one `by` and `where`: text, number (missing values), boolean and category
    columns, one column twice with other values, one grouped by its own column."""
    raw = [
        ({"share": "level", "values": [4, 10], "by": ["site"]}, "not (age > 45)"),
        ({"share": "employed", "by": ["site"]}, "not (age > 45)"),
        ({"share": "level", "values": [5], "by": ["site"]}, "not (age > 45)"),
        ({"share": "name", "by": ["site"]}, "not (age > 45)"),
        ({"share": "site", "by": ["site"]}, "not (age > 45)"),
        ({"share": "level"}, None),
        ({"share": "employed"}, None),
        ({"share": "name"}, "level > 100"),  # no row selected
        ({"share": "level"}, "level > 100"),
    ]
    return [
        (IndicatorSpec.model_validate({"id": f"s{i}", **r}), parse_expression(w) if w else None)
        for i, (r, w) in enumerate(raw)
    ]


class CountingConnection:
    def __init__(self, connection: Any) -> None:
        self.connection = connection
        self.queries: list[str] = []

    def execute(self, query: str, *args: Any) -> Any:
        self.queries.append(query)
        return self.connection.execute(query, *args)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.connection, name)


@pytest.mark.parametrize("key", [["id"], []], ids=["key", "positions"])
def test_shares_measured_together_are_the_shares_measured_alone(key: list[str]) -> None:
    people = PEOPLE.assign(name=pd.array(["a", "b", None, "a", "c", "b", "a", "c"], dtype="string"))
    items = _specs()
    alone = [DuckDBEngine({"people": people}).audit_rows("people", w, s, key) for s, w in items]
    engine = DuckDBEngine({"people": people})
    engine.connection = counting = CountingConnection(engine.connection)
    together = share_rows(engine, "people", items, key)
    grouped = [q for q in counting.queries if "GROUPING SETS" in q]
    # one scan per (where, by) with several shares; the share grouped by its own column alone
    assert len(grouped) == 3 and len(counting.queries) == 4
    for (spec, _), one, found in zip(items, alone, together, strict=True):
        assert one is not None and found is not None, spec.id
        rows, _measured = found
        assert rows.groups == one.groups, spec.id
        assert rows.categories == one.categories, spec.id
        assert (rows.trait is None) == (one.trait is None), spec.id
        assert rows.cells == one.cells, spec.id
        result = _published(len(rows.groups), len(rows.categories), bool(spec.by))
        sized = [(k, p.size, p.signature) for k, p in rows.figures(result)]
        assert sized == [(k, p.size, p.signature) for k, p in one.figures(result)], spec.id


def _published(groups: int, categories: int, by: bool) -> dict[str, Any]:
    cell = {"count": 1.0, "categories": [{"value": j} for j in range(categories)]}
    return {**cell, "by": [dict(cell) for _ in range(groups)] if by else []}


@pytest.mark.parametrize(
    "seed", [pytest.param(seed, marks=[pytest.mark.slow] if seed > 1 else []) for seed in (1, 2, 3)]
)
def test_every_pair_count_is_the_symmetric_difference_of_the_masks(seed: int) -> None:
    """Random populations of one source (500 rows, missing values, a `where`, groups, traits,
    categories): every pair across indicators, counted by the one scan, equals the number of
    rows in exactly one of the two masks."""
    rng = np.random.default_rng(seed)
    n = 500
    frame = pd.DataFrame(
        {
            "id": np.arange(n),
            "site": pd.Categorical(rng.choice(["a", "b", "c", None], n)),
            "flag": pd.array(
                np.where(rng.random(n) < 0.1, None, rng.random(n) < 0.5), dtype="boolean"
            ),
            "other": pd.array(rng.random(n) < 0.4, dtype="boolean"),
            "level": np.where(rng.random(n) < 0.1, np.nan, rng.integers(1, 6, n).astype(float)),
            "x": rng.normal(size=n),
        }
    )
    specs = [
        ({"proportion": "flag", "by": ["site"]}, None),
        ({"proportion": "other", "by": ["site"]}, "x > -0.5"),
        ({"mean": "x", "by": ["site"]}, "flag"),
        ({"share": "level", "values": [4, 5], "by": ["site"]}, None),
        ({"count": "level > 2"}, "not (x > 1)"),
    ]
    engine = DuckDBEngine({"t": frame})
    populations: dict[Any, Population] = {}
    masks: dict[Any, np.ndarray] = {}
    for i, (raw, where) in enumerate(specs):
        spec = IndicatorSpec.model_validate({"id": f"i{i}", **raw})
        expression = parse_expression(where) if where else None
        rows = engine.audit_rows("t", expression, spec, ["id"])
        assert rows is not None
        result = _published(len(rows.groups), len(rows.categories), bool(spec.by))
        entry = _pandas_entry(frame, spec, where)
        masks |= {(i, k): rows_of() for k, _recipe, rows_of in figures(entry, result)}
        populations |= {(i, k): p for k, p in rows.figures(result)}
    assert masks.keys() == populations.keys()
    for name, mask in masks.items():
        assert populations[name].size == mask.sum(), name
    across = [(a, b) for a, b in itertools.combinations(populations, 2) if a[0] != b[0]]
    assert len(across) > 100  # more than one query's worth (64 pairs each)
    counted = count_apart(engine, "t", [(populations[a], populations[b]) for a, b in across])
    assert counted == [int((masks[a] ^ masks[b]).sum()) for a, b in across]


def _pandas_entry(frame: pd.DataFrame, spec: IndicatorSpec, where: str | None) -> Entry:
    """The pandas audit's rows of an indicator (its masks are the reference)."""
    mask = parse_expression(where).evaluate(frame).to_numpy(bool) if where else None
    selected = frame if mask is None else frame.loc[mask]
    codes = group_codes(selected, list(spec.by))[0]
    positions = np.arange(len(frame)) if mask is None else np.flatnonzero(mask)
    return Entry(spec, {}, "t", positions, len(frame), row_support(spec, selected), codes)


def test_an_intersection_larger_than_a_population_is_a_bug() -> None:
    engine = DuckDBEngine({"people": PEOPLE})
    everybody = Population(8, b"", "TRUE", {})
    said_small = Population(2, b"", "TRUE", {})  # the cells say 2, the condition holds on 8
    with pytest.raises(RuntimeError, match="rows in two populations"):
        count_apart(engine, "people", [(everybody, said_small)])
