"""Regression discontinuity through `evalsoc run` on causaldata's gov_transfers, against
rdrobust's and rddensity's own output (values pinned below with their calls)."""

from __future__ import annotations

import pandas as pd
import pytest
from tests.sections.effects.design_run import DATA, run_cli

pytest.importorskip("rdrobust")
pytest.importorskip("rddensity")


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    return run_cli("gov_transfers.yaml", tmp_path_factory.mktemp("rd"))


@pytest.fixture(scope="module")
def effects(run):
    return run[0]["effects"]


def test_sharp_rd_matches_rdrobust(effects):
    effect = effects["support_sharp"]
    # rdrobust 2.1.1 (PyPI), rdrobust(df.Support, df.Income_Centered, c=0) on causaldata 0.1.5
    # gov_transfers: conventional 0.02470184194123748; robust CI [-0.0973904654, 0.1883242983],
    # robust p 0.5327631513, robust SE 0.0728877587; h = 0.0052198300; N_h = [291, 194].
    assert effect["estimate"] == pytest.approx(0.02470184194123748, rel=1e-9)
    assert effect["ci_low"] == pytest.approx(-0.09739046540520088, rel=1e-9)
    assert effect["ci_high"] == pytest.approx(0.18832429834495243, rel=1e-9)
    assert effect["p_value"] == pytest.approx(0.5327631513487314, rel=1e-9)
    assert effect["se"] == pytest.approx(0.07288775865368827, rel=1e-9)
    diagnostics = effect["diagnostics"]
    assert diagnostics["bandwidth"]["h_left"] == pytest.approx(0.005219829969780383, rel=1e-9)
    assert diagnostics["observations_in_bandwidth"] == {"below": 291, "above": 194}
    assert (effect["n_treated"], effect["n_control"]) == (194, 291)
    # rddensity 3.0: rddensity(X=df.Income_Centered.to_numpy(), c=0).test["p_jk"]
    assert diagnostics["density_test"]["p_value"] == pytest.approx(0.3977518191266278, rel=1e-9)
    assert diagnostics["mass_points"] is True
    assert "too wide to conclude" in effect["sentence"]["en"]
    assert "± 0.00522" in effect["sentence"]["en"] and "± 0,00522" in effect["sentence"]["fr"]


def test_fuzzy_rd_below_the_cutoff_matches_rdrobust(effects):
    effect = effects["support_programme"]
    # rdrobust 2.1.1, rdrobust(g.Support, g.Income_Centered, c=0, fuzzy=g.Takeup) on
    # tests/data/effects/gov_transfers.csv: conventional -0.033416579906652255, robust CI
    # [-0.3113766181, 0.1439947443], first stage -0.6533263203, N_h = [317, 204]. The programme
    # applies below the cutoff, so evalsoc reads the jump from above to below: signs flip.
    assert effect["estimate"] == pytest.approx(0.033416579906652255, rel=1e-9)
    assert effect["ci_low"] == pytest.approx(-0.1439947443106416, rel=1e-9)
    assert effect["ci_high"] == pytest.approx(0.3113766180621095, rel=1e-9)
    assert effect["diagnostics"]["first_stage_jump"] == pytest.approx(0.6533263202728183, 1e-9)
    assert (effect["n_treated"], effect["n_control"]) == (317, 204)
    assert "participation depends on crossing" in effect["sentence"]["en"]


def test_rd_plot_bins_follow_the_privacy_rule(effects, run):
    frame = pd.read_csv(DATA / "gov_transfers.csv")
    bins = effects["support_sharp"]["diagnostics"]["rd_plot"]["bins"]
    assert len(bins) == 70  # rdplot's IMSE-optimal evenly spaced bins (its vars_bins rows)
    assert all("n" not in b for b in bins)  # no bin count published
    shown = [b for b in bins if b["mean"] is not None]
    assert 0 < len(shown) < len(bins)  # min_cell 10 blanks the bins with fewer rows
    left = [b for b in shown if b["side"] == "below"]
    assert all(b["x"] < 0 for b in left)
    assert min(b["mean"] for b in shown) >= frame.Support.min()
    html = run[1]
    assert "regression discontinuity" in html and "Density test at the threshold" in html
    assert html.count("<svg") >= 3  # forest plot and one RD plot per estimable effect


def test_cutoff_outside_the_data_is_not_estimable(effects):
    effect = effects["support_bad_cutoff"]
    assert effect["estimable"] is False
    assert (
        effect["reason"]["en"] == "no observations on one side of the cutoff 5 of Income_Centered"
    )
