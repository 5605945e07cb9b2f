"""A share by group with a group under min_cell: suppressed, never a crash.

`protect_categories` once raised IndexError (exit 3) here: the table algorithm may hide a
group's margin (its n), and the primary-cell test indexed that margin as a category. Found by
the DuckDB engine's generated frameworks (tests/engines/generated.py).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

FRAMEWORK = """evalsoc: 1
id: share_small_group
title: t
privacy: {min_cell: 5}
data:
  people:
    file: people.csv
    columns:
      g: {type: category, values: [A, B, C]}
      c: {type: category, values: [x, y, z]}
dimensions:
  - id: d
    criteria:
      - id: k
        indicators:
          - id: s
            share: c
            data: people
            by: g
"""


def test_share_by_group_hides_the_small_group_and_its_complement(tmp_path: Path) -> None:
    # A: 40 people (x 14, y 13, z 13); C: 30 (x 15, y 15); B: 3, all x.
    rows = ["g,c"] + ["A,x"] * 14 + ["A,y"] * 13 + ["A,z"] * 13
    rows += ["C,x"] * 15 + ["C,y"] * 15 + ["B,x"] * 3
    (tmp_path / "people.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    (tmp_path / "f.yaml").write_text(FRAMEWORK, encoding="utf-8")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "evalsoc",
            "run",
            str(tmp_path / "f.yaml"),
            "--out",
            str(tmp_path / "out"),
            "-q",
        ],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads((tmp_path / "out" / "results.json").read_text())["indicators"]["s"]
    overall = {c["value"]: c.get("count") for c in result["categories"]}
    assert overall == {"x": 32, "y": 28, "z": 13} and result["n"] == 73
    by = result["by"]
    assert [row["n"] for row in by] == [40, None, None]  # B (3) hidden, C with it
    assert by[1]["suppressed"] is True and by[1]["reason"]["code"] == "small_cell"
    assert by[2]["suppressed"] is True
    shown = [c.get("count") for row in by for c in row.get("categories") or []]
    assert not any(isinstance(n, int) and 0 < n < 5 for n in shown)
    # Nothing published gives B back: A's shown counts plus the overall leave B + C together.
    a = {c["value"]: c.get("count") for c in by[0]["categories"]}
    assert None in (a["x"], a["z"]) or None in (overall["x"], overall["z"])
