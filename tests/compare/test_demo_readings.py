"""`evalsoc compare FRAMEWORK` on the shipped demo (chantier d'insertion): the two readings and
the summary figures, checked against the demo's own results.json by hand. Runs the pipeline:
slow."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_two_readings_of_the_demo(tmp_path):
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "evalsoc",
            "compare",
            str(ROOT / "frameworks/chantier-insertion.yaml"),
            "--out",
            str(tmp_path),
            "-q",
        ],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads((tmp_path / "compare.json").read_text(encoding="utf-8"))
    own = json.loads(
        (tmp_path / "runs" / "aci-les-jardins-2025" / "results.json").read_text(encoding="utf-8")
    )
    readings = {r["criterion"]: r for r in result["readings"][0]["criteria"]}
    # Six declared criteria; the effects cited by sorties_emploi and isolement are both
    # favourable and established in the demo; participation_vie_associative has no evidence.
    assert {k: r["agreement"] for k, r in readings.items()} == {
        "sorties_emploi": "agree",
        "formation": "only_utility",
        "revenus": "only_utility",
        "isolement": "agree",
        "dignite": "only_utility",
        "participation_vie_associative": "neither",
    }
    assert readings["isolement"]["impact"]["status"] == "not_monetised"
    assert readings["formation"]["impact"]["status"] == "no_counterfactual"
    emploi = readings["sorties_emploi"]["impact"]
    assert emploi["sroi_value"] == pytest.approx(
        own["sroi"]["by_outcome"]["emploi"]["discounted_value"]
    )
    summary = result["readings"][0]["summary"]
    assert summary["share_utility_judges"] == pytest.approx(5 / 6)
    assert summary["share_impact_judges"] == pytest.approx(2 / 6)
    assert (
        summary["share_outcomes_not_monetised"]
        == own["sroi"]["non_monetised_share"]["by_count"]["share"]
    )
    assert summary["share_criteria_without_sroi_value"] == pytest.approx(5 / 6)
    # The only monetised outcome sits on a criterion judged satisfaisant: no value on weak ones.
    assert summary["share_sroi_value_on_weak_criteria"] == 0.0
    text = result["readings"][0]["text"]
    assert "Sur 6 critères déclarés" in text["fr"] and "Of 6 declared criteria" in text["en"]
