"""Adding an effect design is one module + one line in the designs' list + its FR/EN wording +
its tests (issue 9, "done when"): shown with a throwaway design, the difference of medians,
plugged in from outside the package and run through the whole pipeline as `evalsoc run` does.

The throwaway module lives in tmp_path; the run is a fresh interpreter, because the config's
`design:` values are read from the list when the framework model is built. Hand-worked truth:
programme y = 3, 5, 7, 9, 11, 13 (median 8), comparison y = 1, 2, 4, 6, 8, 10 (median 5):
the difference of medians is 3.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

DESIGN_MODULE = '''
"""A throwaway design: the difference of the groups' medians (no interval)."""


def estimate_median_difference(frame, spec):
    y, treated = frame["_y"], frame["_d"] == 1
    high, low = float(y[treated].median()), float(y[~treated].median())
    return {
        "estimate": high - low,
        "se": None,
        "ci_low": None,
        "ci_high": None,
        "p_value": None,
        "n": int(len(y)),
        "n_treated": int(treated.sum()),
        "n_control": int((~treated).sum()),
        "method": {"fr": "différence des médianes", "en": "difference of medians"},
        "diagnostics": {"median_treated": high, "median_control": low},
    }


def sentence(result, spec, binary, lang):
    value = f"{result['estimate']:g}"
    if lang == "fr":
        return f"La médiane du groupe du dispositif dépasse de {value.replace('.', ',')} celle du groupe de comparaison."
    return f"The programme group's median exceeds the comparison group's by {value}."
'''

RUNNER = """
import sys
from pathlib import Path

from evalsoc.sections.effects.designs import DesignEntry, register

register(
    "median_difference",
    DesignEntry(
        "throwaway_design",
        "estimate_median_difference",
        {"fr": "différence des médianes", "en": "difference of medians"},
        (("treatment", "the column or condition that marks the programme group"),),
        sentence="sentence",
    ),
)
from evalsoc.pipeline import run_framework  # noqa: E402

run_framework(sys.argv[1], out_dir=Path(sys.argv[2]))
"""

FRAMEWORK = """
evalsoc: 1
id: median-design
title: {fr: "Un plan d'estimation ajouté", en: "An added design"}
language: fr
privacy: {min_cell: 5}
data:
  people:
    file: people.csv
    columns:
      id: {type: string}
      programme: {type: integer, values: [0, 1]}
      y: {type: number}
effects:
  - id: median_gap
    label: {fr: "Écart des médianes", en: "Gap of medians"}
    design: median_difference
    data: people
    outcome: y
    treatment: programme
"""


def test_a_throwaway_design_runs_through_the_pipeline(tmp_path: Path) -> None:
    (tmp_path / "throwaway_design.py").write_text(DESIGN_MODULE, encoding="utf-8")
    (tmp_path / "runner.py").write_text(RUNNER, encoding="utf-8")
    (tmp_path / "framework.yaml").write_text(textwrap.dedent(FRAMEWORK), encoding="utf-8")
    rows = [(1, y) for y in (3, 5, 7, 9, 11, 13)] + [(0, y) for y in (1, 2, 4, 6, 8, 10)]
    csv = "id,programme,y\n" + "".join(f"p{i},{d},{y}\n" for i, (d, y) in enumerate(rows))
    (tmp_path / "people.csv").write_text(csv, encoding="utf-8")
    out = tmp_path / "out"
    env_path = [str(tmp_path), *sys.path]
    done = subprocess.run(
        [sys.executable, str(tmp_path / "runner.py"), str(tmp_path / "framework.yaml"), str(out)],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": ":".join(p for p in env_path if p)},
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    effect = json.loads((out / "results.json").read_text(encoding="utf-8"))["effects"]["median_gap"]
    assert effect["estimable"] is True and effect["design"] == "median_difference"
    assert effect["estimate"] == 3.0  # 8 − 5, worked by hand above
    assert (effect["n_treated"], effect["n_control"]) == (6, 6)
    assert effect["diagnostics"]["median_treated"] == 8.0
    assert effect["sentence"]["fr"].startswith("La médiane du groupe du dispositif dépasse de 3")
    assert effect["sentence"]["en"].startswith("The programme group's median exceeds")
    report = (out / "report.html").read_text(encoding="utf-8")
    assert "différence des médianes" in report  # the method's French name, not its code
    assert "difference of medians" not in report and ">median_difference<" not in report
