"""Abadie–Imbens (2006) standard error of nearest-neighbour matching with replacement, through
`evalsoc run`, against R's Matching 4.10-8 (R 4.2.2, Debian r-cran-matching) on the same data
and the same logit score: tests/data/effects/ai_matching_peer.R prints the pinned values."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats
from tests.sections.effects.design_run import DATA, run_cli

from evalsoc.stats.abadie_imbens import att_variance, conditional_variances


@pytest.fixture(scope="module")
def effects(tmp_path_factory) -> dict:
    results, _ = run_cli("ai_sim.yaml", tmp_path_factory.mktemp("ai") / "out")
    return results["effects"]


def test_equals_r_matching(effects) -> None:
    # Match(Y, Tr, X = ps, M = 1, estimand = "ATT", Var.calc = 2, distance.tolerance = 0)
    one = effects["nn1_ai"]
    assert one["estimate"] == pytest.approx(1.812256053892, rel=1e-10)
    assert one["se"] == pytest.approx(0.138299306042, rel=1e-9)
    z = stats.norm.ppf(0.975)  # normal reference, as Matching and Stata's teffects
    assert (one["ci_low"], one["ci_high"]) == pytest.approx(
        (1.812256053892 - z * 0.138299306042, 1.812256053892 + z * 0.138299306042), rel=1e-9
    )
    # M = 2, Var.calc = 4
    two = effects["nn2_ai"]
    assert (two["estimate"], two["se"]) == pytest.approx((1.901812134731, 0.114071700283), rel=1e-9)
    assert one["diagnostics"]["se_method"] == "abadie_imbens"
    assert "Abadie–Imbens (2006)" in one["method"]


def test_bias_correction_equals_r_matching(effects) -> None:
    # Match(..., Z = cbind(x1, x2), BiasAdjust = TRUE): est 1.814964947641, se 0.134583281127
    # (est.noadj 1.812256053892, the uncorrected estimate above)
    bias = effects["nn1_ai_bias"]
    assert (bias["estimate"], bias["se"]) == pytest.approx(
        (1.814964947641, 0.134583281127), rel=1e-9
    )
    assert bias["diagnostics"]["bias_adjusted"] is True
    assert bias["method"].endswith("bias-corrected (Abadie–Imbens 2011) on x1, x2")


def test_same_estimate_as_the_regression_path(effects) -> None:
    assert effects["nn1_ai"]["estimate"] == pytest.approx(effects["nn1_regression"]["estimate"])
    assert effects["nn1_regression"]["se"] != pytest.approx(effects["nn1_ai"]["se"])


def test_hand_worked_kernel() -> None:
    # Controls on a line: scores 0, 1, 2, 4 with outcomes 1, 3, 2, 6; J = 1: each control and
    # its nearest other control (ties to the lower score): sample variances (divisor 1)
    y_c = np.array([1.0, 3.0, 2.0, 6.0])
    sigma2 = conditional_variances(y_c, np.array([0.0, 1.0, 2.0, 4.0]), 1)
    assert sigma2 == pytest.approx([2.0, 2.0, 0.5, 8.0])
    # Treated 5 and 7 both matched to control 1 (y 3), treated 4 to control 2 (y 2):
    # gaps 2, 4, 2, τ = 8/3; K = (0, 2, 1, 0), K' = K: (K² − K') σ² = 2·2 = 4 on control 1
    tau, se = att_variance(np.array([5.0, 7.0, 4.0]), y_c, [[1], [1], [2]], sigma2)
    assert tau == pytest.approx(8 / 3)
    squares = (2 - 8 / 3) ** 2 * 2 + (4 - 8 / 3) ** 2
    assert se == pytest.approx(np.sqrt((squares + 4.0) / 9))


def test_needs_nearest_with_replacement(tmp_path) -> None:
    from evalsoc.errors import FrameworkError
    from evalsoc.pipeline import run_framework

    text = (
        (DATA / "ai_sim.yaml")
        .read_text("utf-8")
        .replace("ratio: 1, replace: true, matching_se", "ratio: 1, replace: false, matching_se")
    )
    (tmp_path / "ai_sim.csv").write_bytes((DATA / "ai_sim.csv").read_bytes())
    (tmp_path / "f.yaml").write_text(text, "utf-8")
    with pytest.raises(
        FrameworkError, match="matching_se: abadie_imbens applies to design matching"
    ):
        run_framework(str(tmp_path / "f.yaml"), out_dir=tmp_path / "out")
