"""The effects section end to end inside Python: failures as results, row alignment, privacy,
multiplicity adjustment, warnings, JSON safety."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf
from statsmodels.stats.multitest import multipletests

from evalsoc.framework.sections.effects import EffectSpec
from evalsoc.measures import effects
from evalsoc.measures.context import RunContext


def spec(**kw):
    base = {"id": "e", "data": "d", "design": "difference", "outcome": "y", "treatment": "t"}
    return EffectSpec(**{**base, **kw})


def ctx_for(frame, **kw):
    return RunContext(frames={"d": frame}, framework=None, min_cell=kw.pop("min_cell", 1), **kw)


@pytest.fixture
def people():
    rng = np.random.default_rng(21)
    n = 240
    site = rng.integers(0, 12, n)
    t = (site % 2).astype(int)
    age = rng.integers(18, 65, n).astype(float)
    y = 10 + 2 * t + 0.05 * age + rng.normal(size=12)[site] + rng.normal(size=n)
    return pd.DataFrame(
        {
            "y": y,
            "t": t,
            "age": age,
            "site": site,
            "group": np.where(t == 1, "programme", "comparaison"),
            "wave": rng.integers(0, 2, n),
            "employed": rng.random(n) < 0.4 + 0.2 * t,
        }
    )


def test_treatment_column_or_condition_give_the_same_result(people):
    out = effects.compute(
        [spec(id="a", treatment="t"), spec(id="b", treatment="group == 'programme'")],
        ctx_for(people),
    )
    assert out["a"]["estimable"] and out["a"]["estimate"] == out["b"]["estimate"]
    assert set(out["a"]["sentence"]) == {"fr", "en"}


@pytest.mark.parametrize(
    "frame_change, spec_change, reason",
    [
        (lambda f: f.assign(t=0), {}, "no one in the programme group"),
        (lambda f: f.assign(t=1), {}, "no one in the comparison group"),
        (lambda f: f.assign(site=1), {"cluster": "site"}, "only one cluster"),
        (lambda f: f.assign(y=3.0), {}, "single value"),
        (
            lambda f: f.assign(age2=2 * f["age"] + 1),
            {"covariates": ["age", "age2"]},
            "collinear covariates",
        ),
        (
            lambda f: pd.concat([f[f.t == 1].head(3), f[f.t == 0].head(3)]),
            {"covariates": ["age", "wave", "site"]},
            "too few observations",
        ),
        (lambda f: f.assign(t=f["t"] + 1), {}, "must be a 0/1"),
        (lambda f: f, {"treatment": "groupe == 'x'"}, "unknown column 'groupe'"),
        (lambda f: f, {"outcome": "group"}, "must hold numbers"),
        (lambda f: f, {"data": "nope"}, "unknown data source"),
        (lambda f: f, {"outcome": "capability.mpi.score"}, "no capability result"),
    ],
)
def test_failures_are_results_and_the_run_goes_on(people, frame_change, spec_change, reason):
    frame = frame_change(people)
    out = effects.compute([spec(id="bad", **spec_change), spec(id="good")], ctx_for(frame))
    bad = out["bad"]
    assert bad["estimable"] is False
    assert reason in bad["reason"]
    assert bad["estimate"] is None and bad["p_value_holm"] is None
    assert "n'a pas pu être estimé" in bad["sentence"]["fr"]
    json.dumps(out, allow_nan=False)


def test_design_not_available(people, monkeypatch):
    monkeypatch.setitem(effects._LOCATIONS, "ipw", ("evalsoc.measures.effects.nowhere", "f"))
    monkeypatch.setitem(effects.DESIGNS, "ipw", effects._lazy("ipw"))
    out = effects.compute([spec(design="ipw", covariates=["age"])], ctx_for(people))
    assert out["e"] == {**out["e"], "estimable": False, "reason": "design not available"}


def test_cluster_labels_stay_aligned_after_missing_values_are_dropped(people):
    frame = people.copy()
    frame.loc[frame.index[::7], "y"] = np.nan  # scattered missing outcomes
    frame.loc[frame.index[3], "age"] = np.nan  # and a missing covariate
    out = effects.compute(
        [
            spec(
                cluster="site",
                covariates=["age"],
                design="regression",
                formula="y ~ t + age",
                term="t",
            )
        ],
        ctx_for(frame),
    )["e"]
    clean = frame.dropna(subset=["y", "age"])
    ref = smf.ols("y ~ t + age", clean).fit(cov_type="cluster", cov_kwds={"groups": clean["site"]})
    assert (
        out["n"] == len(clean) == out["diagnostics"]["rows"] - out["diagnostics"]["dropped_missing"]
    )
    assert out["se"] == pytest.approx(ref.bse["t"], rel=1e-9)
    # The trap: the first len(clean) labels of the uncleaned column are the wrong clusters.
    wrong = smf.ols("y ~ t + age", clean).fit(
        cov_type="cluster", cov_kwds={"groups": frame["site"].to_numpy()[: len(clean)]}
    )
    assert abs(wrong.bse["t"] - out["se"]) > 1e-3
    # the did/difference designs (numpy path) agree too
    diff = effects.compute([spec(cluster="site")], ctx_for(frame))["e"]
    ref = smf.ols("y ~ t", frame.dropna(subset=["y"])).fit(
        cov_type="cluster", cov_kwds={"groups": frame.dropna(subset=["y"])["site"]}
    )
    assert diff["se"] == pytest.approx(ref.bse["t"], rel=1e-9)


def test_missing_values_in_a_condition_do_not_become_controls(people):
    frame = people.astype({"group": object})
    frame.loc[frame.index[:10], "group"] = None
    out = effects.compute([spec(treatment="group == 'programme'")], ctx_for(frame))["e"]
    assert out["n"] == len(frame) - 10


def test_capability_outcome_from_derived(people):
    score = pd.Series(np.linspace(0, 1, len(people)), index=people.index)
    ctx = ctx_for(people)
    ctx.derived["capability.pa.score"] = score
    out = effects.compute([spec(outcome="capability.pa.score")], ctx)["e"]
    mean_diff = score[people.t == 1].mean() - score[people.t == 0].mean()
    assert out["estimate"] == pytest.approx(mean_diff)


def test_privacy_rule_withholds_small_groups(people):
    frame = pd.concat([people[people.t == 0], people[people.t == 1].head(6)])
    out = effects.compute([spec()], ctx_for(frame, min_cell=10))["e"]
    assert out["estimable"] is False and "privacy" in out["reason"]


def test_small_did_cells_are_suppressed(people):
    frame = people.copy()
    keep = ~((frame.t == 1) & (frame.wave == 0)) | (frame.index < 20)
    frame = frame[keep]
    out = effects.compute([spec(design="did", post="wave == 1")], ctx_for(frame, min_cell=12))["e"]
    cells = {(c["group"], c["period"]): c for c in out["diagnostics"]["cells"]}
    small = cells["treated", "before"]
    assert small["n"] is None and small["mean"] is None and small["suppressed"] is True
    assert cells["control", "after"]["mean"] is not None
    # with three cell means published, the raw difference in differences would reveal the fourth
    assert out["diagnostics"]["raw_did"] is None


def test_multiplicity_adjustment_across_estimable_effects(people):
    specs = [
        spec(id="a"),
        spec(id="b", outcome="age"),
        spec(id="c", outcome="wave"),
        spec(id="d", treatment="group == 'x'"),  # not estimable: no one treated
    ]
    out = effects.compute(specs, ctx_for(people))
    ids = ["a", "b", "c"]
    p = [out[k]["p_value"] for k in ids]
    holm = multipletests(p, method="holm")[1]
    bh = multipletests(p, method="fdr_bh")[1]
    for k, h, b in zip(ids, holm, bh):
        assert out[k]["p_value_holm"] == pytest.approx(h)
        assert out[k]["p_value_bh"] == pytest.approx(b)
    assert out["d"]["p_value_holm"] is None


def test_few_clusters_warning_names_the_remedy(people):
    ctx = ctx_for(people)
    effects.compute([spec(cluster="site")], ctx)
    assert len(ctx.warnings) == 1
    assert "12 clusters" in ctx.warnings[0]["message"]
    assert "small_sample: wild_bootstrap" in ctx.warnings[0]["message"]
    ctx = ctx_for(people)
    effects.compute([spec(cluster="site", small_sample="cr2")], ctx)
    assert ctx.warnings == []


def test_effect_sizes_and_mde(people):
    out = effects.compute(
        [
            spec(id="cont"),
            spec(id="bin", outcome="employed"),
            spec(id="cl", cluster="site", se="robust"),
        ],
        ctx_for(people),
    )
    assert out["cont"]["outcome_type"] == "continuous"
    assert set(out["cont"]["effect_size"]) >= {"cohens_d", "hedges_g"}
    assert out["bin"]["outcome_type"] == "binary"
    assert set(out["bin"]["effect_size"]) >= {"risk_difference", "risk_ratio", "odds_ratio"}
    mde = out["cl"]["mde"]
    assert mde["design_effect_applied"] is True and mde["icc"] > 0
    expected = out["cl"]["se"] * 2.8 * np.sqrt(mde["design_effect"])
    assert mde["value"] == pytest.approx(expected, rel=0.01)


def test_bootstrap_uses_the_run_seed(people):
    s = spec(cluster="site", small_sample="wild_bootstrap", bootstrap_reps=199)
    a = effects.compute([s], ctx_for(people, seed=1))["e"]
    b = effects.compute([s], ctx_for(people, seed=1))["e"]
    c = effects.compute([s], ctx_for(people, seed=2))["e"]
    assert json.dumps(a) == json.dumps(b)
    assert (a["ci_low"], a["ci_high"]) != (c["ci_low"], c["ci_high"])


def test_spec_validation_messages():
    with pytest.raises(ValueError, match="needs `post`"):
        EffectSpec(id="e", data="d", design="did", outcome="y", treatment="t")
    with pytest.raises(ValueError, match="needs `formula`"):
        EffectSpec(id="e", data="d", design="regression", term="t")
    with pytest.raises(ValueError, match="needs `first_treated`"):
        EffectSpec(id="e", data="d", design="staggered_did", outcome="y", unit="u", time="t")
    with pytest.raises(ValueError, match="needs `cluster`"):
        spec(small_sample="cr2")
    assert spec(cluster="site").se_type == "cluster" and spec().se_type == "robust"
    assert spec(cluster="site").se == "cluster"


def test_sentences_are_honest_about_wide_intervals(people):
    frame = people.assign(noise=np.random.default_rng(3).normal(size=len(people)))
    out = effects.compute(
        [spec(outcome="noise", outcome_label={"fr": "le bruit", "en": "noise"})], ctx_for(frame)
    )["e"]
    assert out["ci_low"] < 0 < out["ci_high"]
    fr, en = out["sentence"]["fr"], out["sentence"]["en"]
    assert "trop large pour conclure" in fr and "too wide to conclude" in en
    assert "aucun effet" not in fr and "no effect" not in en
    clear = effects.compute([spec()], ctx_for(people))["e"]["sentence"]
    assert "le dispositif a augmenté" in clear["fr"] and "IC 95 %" in clear["fr"]
    assert "the programme increased" in clear["en"] and "95% CI" in clear["en"]
