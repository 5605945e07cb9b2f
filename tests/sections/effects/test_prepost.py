"""Before/after on the same units: paired t, Wilcoxon, McNemar, against scipy and statsmodels."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from statsmodels.stats.contingency_tables import mcnemar

from evalsoc.sections.common import NotEstimable
from evalsoc.sections.effects.config import EffectSpec
from evalsoc.sections.effects.designs.prepost import estimate_pre_post


def spec(**kw):
    base = {
        "id": "e",
        "data": "d",
        "design": "pre_post",
        "outcome": "y",
        "unit": "id",
        "time": "wave",
        "before": 0,
        "after": 1,
    }
    return EffectSpec(**{**base, **kw})


def long(before, after, extra_unpaired=0):
    n = len(before)
    ids = [f"p{i}" for i in range(n)]
    frame = pd.DataFrame(
        {
            "id": ids * 2 + [f"x{i}" for i in range(extra_unpaired)],
            "wave": [0] * n + [1] * n + [0] * extra_unpaired,
            "y": list(before) + list(after) + [100.0] * extra_unpaired,
        }
    )
    return frame.assign(_y=frame["y"].astype(float))


@pytest.fixture(scope="module")
def scores():
    rng = np.random.default_rng(7)
    before = rng.normal(10, 2, 60)
    after = before + 0.8 + rng.normal(0, 1.5, 60)
    return before, after


def test_paired_t_and_wilcoxon(scores):
    before, after = scores
    out = estimate_pre_post(long(before, after, extra_unpaired=3), spec())
    ref = stats.ttest_rel(after, before)
    assert out["estimate"] == pytest.approx(np.mean(after - before))
    assert out["se"] == pytest.approx(np.std(after - before, ddof=1) / np.sqrt(60))
    assert out["p_value"] == pytest.approx(ref.pvalue, rel=1e-9)
    ci = ref.confidence_interval(0.95)
    assert (out["ci_low"], out["ci_high"]) == pytest.approx((ci.low, ci.high))
    w = stats.wilcoxon(after, before)
    assert out["diagnostics"]["wilcoxon"]["p_value"] == pytest.approx(w.pvalue)
    assert out["diagnostics"]["unpaired_units"] == 3
    assert out["n"] == 60 and out["n_control"] is None
    assert "not a counterfactual estimate" in out["method"]
    assert out["diagnostics"]["counterfactual"] is False


def test_post_condition_equals_time_values(scores):
    before, after = scores
    frame = long(before, after)
    a = estimate_pre_post(frame, spec())
    b = estimate_pre_post(
        frame.assign(_post=(frame["wave"] == 1).astype(int)),
        spec(time=None, before=None, after=None, post="wave == 1"),
    )
    assert a["estimate"] == b["estimate"] and a["se"] == b["se"]


def test_text_periods():
    frame = long([1.0, 2, 3, 5], [2.0, 4, 3, 8]).assign(
        wave=lambda f: f["wave"].map({0: "avant", 1: "après"})
    )
    out = estimate_pre_post(frame, spec(before="avant", after="après"))
    assert out["estimate"] == pytest.approx(1.5)


def test_mcnemar_for_binary_outcomes():
    rng = np.random.default_rng(8)
    before = rng.integers(0, 2, 80)
    after = np.where(rng.random(80) < 0.3, 1, before)
    out = estimate_pre_post(long(before, after), spec())
    b = int(((before == 1) & (after == 0)).sum())
    c = int(((before == 0) & (after == 1)).sum())
    table = [[int(((before == 0) & (after == 0)).sum()), c], [b, int((before & after).sum())]]
    ref = mcnemar(table, exact=b + c < 25)
    assert out["diagnostics"]["mcnemar"]["p_value"] == pytest.approx(ref.pvalue)
    assert out["diagnostics"]["mcnemar"]["improved"] == c
    assert "wilcoxon" not in out["diagnostics"]


def test_clustered_pre_post_uses_cluster_se(scores):
    before, after = scores
    frame = long(before, after)
    frame["site"] = frame["id"].str[1:].astype(int) % 6
    out = estimate_pre_post(frame, spec(cluster="site"))
    assert out["n_clusters"] == 6
    assert "cluster-robust" in out["method"]


def test_failures():
    with pytest.raises(NotEstimable, match="only 1 unit"):
        estimate_pre_post(long([1.0], [2.0]), spec())
    with pytest.raises(NotEstimable, match="same amount"):
        estimate_pre_post(long([1.0, 2, 3], [2.0, 3, 4]), spec())
    with pytest.raises(NotEstimable, match="'after' period"):
        estimate_pre_post(long([1.0, 2, 3], [2.0, 3, 5]), spec(after=7))


def test_config_rules():
    with pytest.raises(ValueError, match="needs `unit`"):
        EffectSpec(id="e", data="d", design="pre_post", outcome="y", post="wave == 1")
    with pytest.raises(ValueError, match="takes no `treatment`"):
        spec(treatment="t")
    with pytest.raises(ValueError, match="before"):
        spec(before=None)
