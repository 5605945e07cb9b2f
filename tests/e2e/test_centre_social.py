"""The shipped example (frameworks/centre-social.yaml) recovers the values its seeded generator
recorded in datasets/centre-social/truth.json, with every row accounted for."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from tests.conftest import ROOT

pytest.importorskip("pyreadstat")
FRAMEWORK = ROOT / "frameworks" / "centre-social.yaml"
TRUTH = json.loads((ROOT / "datasets" / "centre-social" / "truth.json").read_text())


def test_centre_social_example(tmp_path):
    out = tmp_path / "out"
    proc = subprocess.run(
        [sys.executable, "-m", "evalsoc", "run", str(FRAMEWORK), "--out", str(out), "--quiet"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    assert f"filtered out: {TRUTH['filtered_out']}" in proc.stdout
    results = json.loads((out / "results.json").read_text(encoding="utf-8"))
    data, ind = results["data"], results["indicators"]
    foyers = data["foyers"]
    assert (foyers["rows_read"], foyers["rows_used"], foyers["rows_filtered"]) == (
        TRUTH["households"],
        TRUTH["approved"],
        TRUTH["filtered_out"],
    )
    assert data["enquete"]["missing_codes"] == {
        "isolement": {"9 (Ne sait pas)": TRUTH["survey_ne_sait_pas"]}
    }
    assert data["suivi"]["rows_used"] == TRUTH["suivi_rows"]
    enfants = data["enfants_foyers"]
    assert (enfants["rows_used"], enfants["rows_unmatched"]) == (
        TRUTH["children_of_approved"],
        TRUTH["children_unmatched"],
    )
    for entry in data.values():
        assert entry["rows_read"] == (
            entry["rows_used"]
            + entry["rows_quarantined"]
            + entry["rows_filtered"]
            + entry["rows_unmatched"]
        )
    assert ind["activites_sport_cuisine"]["value"] == pytest.approx(
        TRUTH["share_cuisine_or_sport"], abs=1e-12
    )
    counts = {c["value"]: c["count"] for c in ind["activites_sport_cuisine"]["categories"]}
    assert counts == TRUTH["activity_counts"]
    assert ind["isolement_moyen"]["value"] == pytest.approx(TRUTH["mean_isolement_suivi"])
    assert ind["presence"]["value"] == pytest.approx(TRUTH["mean_presence_suivi"])
    assert ind["enfants_scolarises"]["value"] == pytest.approx(TRUTH["share_children_in_school"])
    report = (out / "report.html").read_text(encoding="utf-8")
    assert "Lignes filtrées (where)" in report and "Réponses codées comme manquantes" in report
