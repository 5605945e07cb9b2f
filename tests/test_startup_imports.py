"""Start-up (issue 16): `evalsoc --help` and `evalsoc validate` load no scipy, statsmodels or
matplotlib; those are imported inside the functions that compute intervals, effects and charts.
`validate` does not load hypothesis either (pandera imports it for strategies evalsoc never uses)."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("scipy", "statsmodels", "matplotlib")

# Runs the CLI as `python -m evalsoc ARGS` would, then prints the top-level packages loaded.
PROBE = """
import runpy, sys
sys.argv = ["evalsoc", *sys.argv[1:]]
try:
    runpy.run_module("evalsoc", run_name="__main__")
except SystemExit as exit:
    code = exit.code
else:
    code = 0
print("MODULES", code, " ".join(sorted({m.split(".")[0] for m in sys.modules})))
"""


def loaded(*args: str, cwd: str | None = None) -> tuple[int, set[str]]:
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, *args], capture_output=True, text=True, cwd=cwd, timeout=300
    )
    line = [x for x in proc.stdout.splitlines() if x.startswith("MODULES ")][-1]
    _, code, *modules = line.split()
    return int(code), set(modules)


def test_help_loads_no_numeric_library():
    code, modules = loaded("--help")
    assert code == 0
    assert not modules & {*HEAVY, "pandas", "numpy", "pandera"}


def test_validate_loads_no_scipy_statsmodels_matplotlib(tmp_path):
    (tmp_path / "tiny.csv").write_text("id;x;site\n1;2,5;a\n2;3;b\n3;5;a\n", encoding="utf-8")
    (tmp_path / "tiny.yaml").write_text(
        "evalsoc: 1\nid: tiny\ntitle: tiny\n"
        "data:\n  d:\n    file: tiny.csv\n    key: [id]\n    columns:\n"
        "      id: {type: integer}\n      x: {type: number}\n"
        "      site: {type: category, values: [a, b]}\n"
        "dimensions:\n  - id: d\n    criteria:\n      - id: c\n        indicators:\n"
        "          - {id: m, mean: x, data: d, by: [site]}\n"
        '          - {id: p, proportion: "x > 2", data: d}\n'
        "          - {id: med, median: x, data: d}\n",
        encoding="utf-8",
    )
    code, modules = loaded("validate", "tiny.yaml", cwd=str(tmp_path))
    assert code == 0
    assert "pandas" in modules  # the data were read: the probe ran the real path
    assert not modules & set(HEAVY), modules & set(HEAVY)
    # pandera's data-synthesis strategies (hypothesis, 0.3 s) are not needed to validate.
    assert "hypothesis" not in modules
