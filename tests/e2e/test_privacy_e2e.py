"""Privacy and robustness across sections, through `evalsoc run` (found in review)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from tests.conftest import write

from evalsoc.pipeline import run_framework

FRAMEWORK = """
evalsoc: 1
id: privacy
title: "Prix en $ et <b>balises</b>"
privacy: {min_cell: 10}
data:
  survey:
    file: survey.csv
    columns:
      person: {type: string}
      wave: {type: integer, values: [0, 1]}
      group: {type: category, values: [programme, comparaison]}
      q1: {type: likert, levels: 5}
      q2: {type: likert, levels: 5}
  admin:
    file: admin.csv
    columns:
      person: {type: string}
      group: {type: category, values: [programme, comparaison]}
      income: {type: number}
capabilities:
  - id: cap
    data: survey
    dimensions:
      - {id: d1, items: [q1], cutoff: 3, weight: 1/2}
      - {id: d2, items: [q2], cutoff: 3, weight: 1/2}
    k: [1/2]
effects:
  - id: few_pairs
    label: "Avant/après sur quatre paires"
    design: pre_post
    data: survey
    outcome: q1
    unit: person
    time: wave
    before: 0
    after: 1
  - id: fine
    label: "Effet à $5 et 10$"
    design: difference
    data: admin
    outcome: income
    treatment: "group == 'programme'"
"""


def _data(folder):
    rng = np.random.default_rng(3)
    n = 60
    base = pd.DataFrame(
        {
            "person": [f"p{i}" for i in range(n)],
            "wave": 0,
            "group": rng.choice(["programme", "comparaison"], n),
            "q1": rng.integers(1, 6, n),
            "q2": rng.integers(1, 6, n),
        }
    )
    later = base.iloc[:4].assign(wave=1, q1=[2, 5, 1, 4])  # only four people answered again
    pd.concat([base, later]).to_csv(folder / "survey.csv", index=False)
    pd.DataFrame(
        {
            "person": [f"a{i}" for i in range(n)],
            "group": rng.choice(["programme", "comparaison"], n),
            "income": rng.normal(1000, 100, n),
        }
    ).to_csv(folder / "admin.csv", index=False)


def test_privacy_and_alignment_rules(tmp_path):
    _data(tmp_path)
    framework = write(tmp_path / "framework.yaml", FRAMEWORK)
    data = run_framework(framework, out_dir=tmp_path / "out").data
    few = data["effects"]["few_pairs"]
    assert (
        not few["estimable"] and "fewer than 10" in few["reason"]["en"] and few["estimate"] is None
    )
    # a non-estimable effect keeps every documented key
    for key in ("df", "se_type", "small_sample", "outcome", "outcome_type", "better", "mde"):
        assert key in few
    assert data["effects"]["fine"]["estimable"]
    html = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    # "$" in labels is text, not matplotlib math; markup in the title is escaped
    assert "Effet à $5 et 10$" in html
    assert "<b>balises</b>" not in html and "&lt;b&gt;balises&lt;/b&gt;" in html


def test_capability_scores_stay_on_their_own_rows(tmp_path):
    """A score computed on one source is never aligned on another source's rows."""
    import pytest

    from evalsoc.errors import FrameworkError
    from evalsoc.framework.load import load_framework

    _data(tmp_path)
    text = FRAMEWORK + (
        "  - id: wrong_source\n"
        "    design: difference\n"
        "    data: admin\n"
        "    outcome: capability.cap.score\n"
        "    treatment: \"group == 'programme'\"\n"
    )
    framework = write(tmp_path / "framework.yaml", text)
    with pytest.raises(FrameworkError, match="computed on data source 'survey'"):
        load_framework(framework)
