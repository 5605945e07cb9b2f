"""Populations counted, not packed: a population that no other comes within `min_cell` − 1 of
by size is added by its size alone (audit.crowded, PopulationAudit.add_alone). Its size must be
the number of rows its mask holds, and the audit must withhold exactly what it withholds when
every population is built, packed and compared."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from tests.conftest import write

from evalsoc.pipeline import run_framework
from evalsoc.privacy import indicators as audit_of_indicators
from evalsoc.privacy.audit import PopulationAudit, crowded
from evalsoc.privacy.indicators import Entry, figures


def test_crowded_names_the_populations_near_another_on_their_source():
    sizes = {
        "a": ("s", 100),
        "b": ("s", 105),  # 5 from a
        "c": ("s", 120),
        "f": ("s", 129),  # 9 from c
        "e": ("t", 104),  # near a and b, but on another source
        "d": ("s", 0),  # empty populations are never compared
        "z": ("s", 0),
    }
    assert crowded(sizes, 10) == {"a", "b", "c", "f"}
    assert crowded(sizes, 9) == {"a", "b"}  # 129 − 120 = 9 is not below 9
    assert crowded({"x": ("s", 7), "y": ("s", 7)}, 2) == {"x", "y"}  # equal sizes: maybe equal


def test_a_population_added_alone_that_another_comes_near_is_a_bug():
    audit = PopulationAudit(10)
    audit.add_alone("alone", "s", 100, "recipe")
    near = np.zeros(200, dtype=bool)
    near[:104] = True
    audit.add("near", "s", near)
    with pytest.raises(RuntimeError, match="alone"):
        audit.leaks()


def test_populations_alone_are_never_compared():
    audit = PopulationAudit(10)
    audit.add_alone("far", "s", 150, "recipe")
    everybody = np.ones(324, dtype=bool)
    outside = everybody.copy()
    outside[-3:] = False
    audit.add("all", "s", everybody)
    audit.add("outside", "s", outside)
    assert [(n.figures, w.figures) for n, w in audit.leaks()] == [(["outside"], ["all"])]


def _random_entry(rng: np.random.Generator, where: bool, missing: bool) -> tuple[Entry, dict]:
    """An indicator's rows as the pipeline gives them: a `where` keeping about 70 % of a
    source's 500 rows, values missing in 10 %, a trait, 4 categories, 6 groups of which some
    are hidden."""
    source_rows = 500
    positions = np.flatnonzero(rng.random(source_rows) < 0.7) if where else np.arange(source_rows)
    n = len(positions)
    valid = rng.random(n) >= (0.1 if missing else 0.0)
    codes = rng.integers(0, 6, n)
    category = np.where(valid, rng.integers(0, 4, n), -1)
    support = {"valid": valid, "trait": valid & (rng.random(n) < 0.4), "category": category}
    cells = []
    for g in range(6):
        cell = {"n": 1, "count": 1, "categories": [{} for _ in range(4)]}
        if g in (1, 4):
            cell = {"suppressed": True}
        cells.append(cell)
    cells[2]["categories"][3] = {"suppressed": True}
    result = {"count": 1, "categories": [{} for _ in range(4)], "by": cells}
    entry = Entry(
        spec=SimpleNamespace(id="x"),
        raw={},
        source="s",
        positions=positions,
        source_rows=source_rows,
        support=support,
        codes=codes,
    )
    return entry, result


def _expected_rows(entry: Entry, key: tuple) -> np.ndarray:
    """The rows of a figure on the source, built directly from its definition."""
    valid, trait = entry.support["valid"], entry.support["trait"]
    category, codes = entry.support["category"], entry.codes
    part, where = key
    shown = [0, 2, 3, 5]
    if part.startswith("union"):
        rows = valid & np.isin(codes, shown)
    elif part == "category":
        i, j = where
        rows = valid & (category == j) & (codes == i if i < 6 else True)
    else:
        rows = valid & (codes == where) if where is not None else valid.copy()
    if part.endswith("_trait"):
        rows = rows & trait
    on_source = np.zeros(entry.source_rows, dtype=bool)
    on_source[entry.positions[rows]] = True
    return on_source


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize(("where", "missing"), [(False, False), (True, False), (True, True)])
def test_each_figure_counts_and_places_the_rows_it_is_drawn_from(seed, where, missing):
    entry, result = _random_entry(np.random.default_rng(seed), where, missing)
    listed = list(figures(entry, result))
    keys = [key for key, _, _ in listed]
    assert ("union_trait", None) in keys and ("category", (6, 0)) in keys
    assert ("group", 1) not in keys and ("category", (2, 3)) not in keys
    for key, _recipe, rows in listed:
        expected = _expected_rows(entry, key)
        assert np.array_equal(rows(), expected), key
        assert rows.size() == int(expected.sum()), key


FRAMEWORK = """
evalsoc: 1
id: alone
title: populations alone
privacy: {min_cell: 10}
data:
  s:
    file: s.csv
    columns:
      site: {type: category, values: [n1, n2, n3, n4, n5, n6]}
      sexe: {type: category, values: [F, H]}
      x: {type: number}
      y: {type: boolean}
      q: {type: likert, levels: 5}
dimensions:
  - id: d
    criteria:
      - id: c
        indicators:
          - {id: m_all, mean: x, data: s}
          - {id: m_site, mean: x, data: s, by: [site]}
          - {id: m_not_n6, mean: x, data: s, where: "site != 'n6'"}
          - {id: p_site, proportion: y, data: s, by: [site, sexe]}
          - {id: p_f, proportion: y, data: s, where: "sexe == 'F'"}
          - {id: s_q, share: q, values: [4, 5], data: s, by: [sexe]}
          - {id: c_pos, count: "x > 0", data: s, by: [site]}
          - {id: med, median: x, data: s, by: [sexe]}
"""


def _run(folder: Path) -> dict:
    data = run_framework(folder / "framework.yaml", write=False).data
    return {"indicators": data["indicators"], "withheld": data["privacy"]["withheld"]}


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_audit_withholds_what_it_withholds_when_every_population_is_packed(
    tmp_path, monkeypatch, seed
):
    """Six sites of which one holds 4 to 8 people: nested filters and group unions leak, and
    many populations of different sizes are alone."""
    rng = np.random.default_rng(seed)
    small = int(rng.integers(4, 9))
    n = 600 + small
    frame = pd.DataFrame(
        {
            "site": rng.choice([f"n{i}" for i in range(1, 6)], n - small).tolist() + ["n6"] * small,
            "sexe": rng.choice(["F", "H"], n),
            "x": rng.normal(0.2, 1, n).round(3),
            "y": rng.random(n) < 0.35,
            "q": rng.integers(1, 6, n),
        }
    )
    frame.loc[rng.choice(n, 30, replace=False), "x"] = np.nan
    frame.to_csv(tmp_path / "s.csv", index=False)
    write(tmp_path / "framework.yaml", FRAMEWORK)
    sizes_seen: list[dict] = []
    real_crowded = audit_of_indicators.crowded

    def spy(sizes, min_cell):
        sizes_seen.append(sizes)
        return real_crowded(sizes, min_cell)

    monkeypatch.setattr(audit_of_indicators, "crowded", spy)
    default = _run(tmp_path)
    near = len(real_crowded(sizes_seen[0], 10))
    monkeypatch.setattr(audit_of_indicators, "crowded", lambda sizes, _min_cell: set(sizes))
    packed = _run(tmp_path)
    assert default["withheld"], "the data are made to leak"
    assert 5 <= near <= len(sizes_seen[0]) - 5, "populations both packed and counted alone"
    assert json.dumps(default, sort_keys=True) == json.dumps(packed, sort_keys=True)
