"""`evalsoc validate` names every missing column of every section with file:line:col (exit 2),
not only the indicators' (issue 9, item 7)."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import MINI_DATA, MINI_FRAMEWORK, write

SECTIONS_WITH_TYPOS = """
effects:
  - id: effet
    design: difference
    data: people
    outcome: yy
    treatment: "site == 'nord'"
    covariates: [age, agee]
    cluster: sitee
capabilities:
  - id: pa
    data: people
    unit: idd
    dimensions:
      - {id: revenu, items: [income, incomee], cutoff: 900, weight: 1}
volunteering:
  data: people
  category: categorie
  hours: heures
"""


def validate(framework) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "evalsoc", "validate", str(framework), "--lang", "en"],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_validate_reports_every_missing_column_of_every_section(tmp_path):
    write(tmp_path / "people.csv", MINI_DATA)
    fw = write(tmp_path / "framework.yaml", MINI_FRAMEWORK + SECTIONS_WITH_TYPOS)
    proc = validate(fw)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    err = proc.stderr
    assert "Traceback" not in err
    lines = MINI_FRAMEWORK.lstrip("\n").count("\n")  # the sections start after the mini file
    expected = {
        "effects[0].outcome": ("'yy'", lines + 6),
        "effects[0].covariates": ("'agee'", lines + 8),
        "effects[0].cluster": ("'sitee'", lines + 9),
        "capabilities[0].unit": ("'idd'", lines + 13),
        "capabilities[0].dimensions[0].items": ("'incomee'", lines + 15),
        "volunteering.category": ("'categorie'", lines + 18),
        "volunteering.hours": ("'heures'", lines + 19),
    }
    for key, (column, line) in expected.items():
        found = [row for row in err.splitlines() if f": {key}: unknown column {column}" in row]
        assert found, (key, err)
        assert f"framework.yaml:{line}:" in found[0], (key, found[0])
    assert "did you mean 'age'" in err and "did you mean 'income'" in err
    assert "(7 problem(s))" in err


def test_run_stops_on_a_missing_effect_outcome_instead_of_not_estimable(tmp_path):
    write(tmp_path / "people.csv", MINI_DATA)
    fw = write(tmp_path / "framework.yaml", MINI_FRAMEWORK + SECTIONS_WITH_TYPOS)
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "evalsoc",
            "run",
            str(fw),
            "--out",
            str(tmp_path / "out"),
            "--lang",
            "en",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2 and "effects[0].outcome: unknown column 'yy'" in proc.stderr
    assert not (tmp_path / "out").exists()
