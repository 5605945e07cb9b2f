"""The comparison finds what datasets/generate_network.py put in (datasets/network/truth.json):
the pooled effect, heterogeneity, the sites whose readings disagree by construction, the one
real trend, and the changed definition. Runs six frameworks through the pipeline: slow."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_comparison_recovers_the_generator_truth(tmp_path):
    truth = json.loads((ROOT / "datasets/network/truth.json").read_text(encoding="utf-8"))
    frameworks = sorted((ROOT / "frameworks/network").glob("*.yaml"))
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "evalsoc",
            "compare",
            *map(str, frameworks),
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
    # Each framework's outputs kept apart (two years of a site share a framework id).
    assert sorted(p.name for p in (tmp_path / "runs").iterdir()) == [
        f"reseau-{s}-{y}" for s in "abc" for y in (2024, 2025)
    ]

    # Readings on "sorties_emploi": agreement by construction, per site, both years.
    for readings in result["readings"]:
        site = readings["run"].split()[0].removeprefix("reseau-")
        row = next(c for c in readings["criteria"] if c["criterion"] == "sorties_emploi")
        assert row["agreement"] == truth["expected_agreement_on_sorties_emploi"][site], readings[
            "run"
        ]

    # Pooled effect per year: the REML 95% CI covers the true μ; heterogeneity is detected.
    pooled = [p for p in result["pooled_effects"] if p["effect"] == "effet_emploi"]
    assert len(pooled) == 2
    for p in pooled:
        reml = p["methods"]["reml"]
        assert reml["ci"][0] < truth["pooled_effect"] < reml["ci"][1]
        assert reml["tau2"] > 0 and reml["q_p_value"] < 0.05
        assert reml["prediction_interval"][0] < min(truth["site_effects"].values())
        assert reml["prediction_interval"][1] > max(truth["site_effects"].values())

    # Trends: only site B's exit employment rate changes beyond the uncertainty.
    rate = next(i for i in result["indicators"] if i["id"] == "taux_emploi")
    beyond = {c["site"]: c["exceeds_uncertainty"] for c in rate["changes"]}
    rising = "reseau-" + truth["rising_exit_rate"]["site"]
    assert beyond[rising] is True
    assert all(beyond["reseau-" + s] is False for s in truth["stable_exit_rate"])
    change = next(c for c in rate["changes"] if c["site"] == rising)
    assert change["ci"][0] < truth["rising_exit_rate"]["true_change"] < change["ci"][1]

    # The changed definition is flagged, not compared.
    changed = truth["definition_changed"]
    hours = next(i for i in result["indicators"] if i["id"] == changed["indicator"])
    flagged = [c for c in hours["changes"] if c["definition_changed"]]
    assert [c["site"] for c in flagged] == ["reseau-" + changed["site"]]
    assert flagged[0]["difference"] is None
