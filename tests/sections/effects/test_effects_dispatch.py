"""The effects section end to end inside Python: failures as results, row alignment, privacy,
multiplicity adjustment, warnings, JSON safety."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf
from statsmodels.stats.multitest import multipletests

from evalsoc.sections.context import RunContext
from evalsoc.sections.effects import compute as effects
from evalsoc.sections.effects.config import EffectSpec


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
    assert reason in bad["reason"]["en"]
    assert bad["estimate"] is None and bad["p_value_holm"] is None
    assert "n'a pas pu être estimé" in bad["sentence"]["fr"]
    json.dumps(out, allow_nan=False)


def test_a_design_that_fails_to_import_is_an_internal_error(people, monkeypatch):
    """A broken install is loud: never 'not estimable: design not available' with exit 0."""
    monkeypatch.setitem(
        effects._LOCATIONS, "ipw", ("evalsoc.sections.effects.designs.nowhere", "f")
    )
    monkeypatch.setitem(effects.DESIGNS, "ipw", effects._lazy("ipw"))
    with pytest.raises(ModuleNotFoundError, match="nowhere") as caught:
        effects.compute([spec(design="ipw", covariates=["age"])], ctx_for(people))
    assert "while estimating the effect 'e'" in "".join(caught.value.__notes__)


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
    assert out["estimable"] is False and "privacy" in out["reason"]["en"]


def test_small_did_cells_are_suppressed(people):
    frame = people.copy()
    keep = ~((frame.t == 1) & (frame.wave == 0)) | (frame.index < 20)
    frame = frame[keep]
    out = effects.compute([spec(design="did", post="wave == 1")], ctx_for(frame, min_cell=12))["e"]
    cells = {(c["group"], c["period"]): c for c in out["diagnostics"]["cells"]}
    small = cells["treated", "before"]
    assert small["n"] is None and small["mean"] is None and small["suppressed"] is True
    # with three cell means and the estimate published, the fourth would come back: all hidden
    assert all(c["mean"] is None for c in cells.values())
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
    assert "12 clusters" in ctx.warnings[0]["messages"]["en"]
    assert "12 groupes" in ctx.warnings[0]["message"]  # the context's language: French
    assert "small_sample: wild_bootstrap" in ctx.warnings[0]["messages"]["en"]
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


# --- too few clusters: no fake certainty ---------------------------------------------------------


@pytest.fixture
def two_sites():
    rng = np.random.default_rng(5)
    n = 200
    site = np.where(np.arange(n) < 100, "Nord", "Sud")
    return pd.DataFrame(
        {
            "revenu": rng.normal(size=n) + 0.3 * (site == "Nord"),
            "site": site,
            "mixed": np.arange(n) % 2,
        }
    )


@pytest.mark.parametrize("small_sample", ["none", "wild_bootstrap", "cr2"])
def test_two_clusters_with_treatment_by_cluster_are_not_estimable(two_sites, small_sample):
    s = spec(
        outcome="revenu", treatment="site == 'Nord'", cluster="site", small_sample=small_sample
    )
    out = effects.compute([s], ctx_for(two_sites))["e"]
    # Before: se ≈ 1e-13, p ≈ 1e-14 and a zero-width interval (bootstrap: p = 0.03).
    assert out["estimable"] is False
    assert out["reason"]["en"].startswith("only 1 treated cluster: a cluster-robust standard error")
    assert out["se"] is None and out["ci_low"] is None and out["p_value"] is None


@pytest.mark.parametrize("design", ["difference", "regression"])
def test_fewer_than_three_clusters_are_not_estimable(two_sites, design):
    extra = {"formula": "revenu ~ mixed", "term": "mixed"} if design == "regression" else {}
    s = spec(design=design, outcome="revenu", treatment="mixed", cluster="site", **extra)
    out = effects.compute([s], ctx_for(two_sites))["e"]
    assert out["estimable"] is False
    assert out["reason"]["en"].startswith("only 2 clusters: a cluster-robust standard error")
    # with robust SEs (people assigned one by one) the effect is estimated
    ok = effects.compute([s.model_copy(update={"se": "robust"})], ctx_for(two_sites))["e"]
    assert ok["estimable"] is True


def test_a_single_treated_cluster_among_many_is_not_estimable(people):
    frame = people.assign(t=(people["site"] == 3).astype(int))
    for s in (
        spec(cluster="site"),
        spec(cluster="site", small_sample="wild_bootstrap"),
        spec(design="did", post="wave == 1", cluster="site"),
        spec(design="regression", formula="y ~ t + age", term="t", cluster="site"),
        spec(design="regression", formula="y ~ C(site) + age", term="C(site)[T.3]", cluster="site"),
    ):
        out = effects.compute([s], ctx_for(frame))["e"]
        assert out["estimable"] is False, s
        assert out["reason"]["en"].startswith("only 1 treated cluster"), out["reason"]["en"]
    control = people.assign(t=(people["site"] != 3).astype(int))
    out = effects.compute([spec(cluster="site")], ctx_for(control))["e"]
    assert out["reason"]["en"].startswith("only 1 comparison cluster")


def test_selection_designs_check_clusters_too(two_sites):
    frame = two_sites.assign(t=(two_sites["site"] == "Nord").astype(int))
    s = spec(design="ra", outcome="revenu", treatment="t", covariates=["mixed"], cluster="site")
    out = effects.compute([s], ctx_for(frame))["e"]
    assert out["estimable"] is False and out["reason"]["en"].startswith("only 1 treated cluster")


def test_zero_standard_error_is_never_a_valid_interval(people):
    exact = people.assign(y=1.0 + 2.0 * people["t"] + 0.5 * people["age"])
    for s in (spec(covariates=["age"], se="classical"), spec(covariates=["age"])):
        out = effects.compute([s], ctx_for(exact))["e"]
        # Before: se ≈ 1e-16, p ≈ 0 and an interval of zero width.
        assert out["estimable"] is False
        assert out["reason"]["en"].startswith("the standard error is zero")
        assert out["ci_low"] is None and out["p_value"] is None


def test_wild_bootstrap_with_few_clusters_has_a_real_interval(people):
    frame = people[people["site"] < 4]  # 4 clusters, 2 treated and 2 comparison
    s = spec(cluster="site", small_sample="wild_bootstrap", bootstrap_reps=399)
    out = effects.compute([s], ctx_for(frame))["e"]
    assert out["estimable"] is True and out["n_clusters"] == 4
    assert out["p_value"] > 0
    assert out["ci_high"] - out["ci_low"] > 1e-6 * max(1.0, abs(out["estimate"]))
    assert "webb" in out["method"]


# --- privacy in balance tables ---------------------------------------------------------------


@pytest.fixture
def with_traits(people):
    frame = people.copy()
    treated = np.flatnonzero(frame["t"].to_numpy() == 1)
    control = np.flatnonzero(frame["t"].to_numpy() == 0)
    rare = np.zeros(len(frame), dtype=int)
    rare[treated[5:7]] = 1  # 2 programme-group people have the trait
    rare[control[40:80]] = 1
    diploma = np.array(["bac", "cap", "licence"])[np.arange(len(frame)) % 3]
    diploma[treated[:3]] = "aucun"  # the left-out level (first in sorted order): 3 people
    diploma[control[:30]] = "aucun"
    return frame.assign(rare=rare, diploma=diploma)


def _balance_rows(out, key="balance"):
    return {row["covariate"]: row for row in out["diagnostics"][key]}


def _no_private_keys(obj):
    if isinstance(obj, dict):
        assert not any(str(k).startswith("_") for k in obj), obj
        for v in obj.values():
            _no_private_keys(v)
    elif isinstance(obj, list):
        for v in obj:
            _no_private_keys(v)


def test_balance_shares_revealing_small_counts_are_blanked(with_traits):
    s = spec(covariates=["age", "rare", "diploma"])
    out = effects.compute([s], ctx_for(with_traits, min_cell=5))["e"]
    rows = _balance_rows(out)
    rare = rows["rare"]
    # Before: mean_treated = 2/120 gave the count of 2 people away, and the SMD with it.
    assert rare["mean_treated"] is None and rare["smd"] is None and rare["flagged"] is None
    assert rare["mean_control"] == pytest.approx(40 / 112)
    assert rare["suppressed"] is True and "fewer than 5 people" in rare["reason"]["en"]
    assert "programme group" in rare["reason"]["en"]
    # Every diploma level's treated share is blanked: with them, 1 − their sum would give the
    # share of the left-out level "aucun" (3 people).
    for level in ("bac", "cap", "licence"):
        row = rows[f"diploma[{level}]"]
        assert row["mean_treated"] is None and row["suppressed"] is True
        assert row["mean_control"] is not None
    assert rows["age"]["mean_treated"] is not None and "suppressed" not in rows["age"]
    _no_private_keys(out)
    json.dumps(out, allow_nan=False)
    # Below the threshold's reach nothing is blanked, and the private counts never leave.
    open_out = effects.compute([s], ctx_for(with_traits, min_cell=1))["e"]
    assert _balance_rows(open_out)["rare"]["mean_treated"] == pytest.approx(2 / 128)
    _no_private_keys(open_out)


def test_did_balance_before_is_blanked_too(with_traits):
    s = spec(design="did", post="wave == 1", covariates=["rare"])
    frame = with_traits.assign(rare=0)
    first_treated_before = frame.index[(frame["t"] == 1) & (frame["wave"] == 0)][:3]
    frame.loc[first_treated_before, "rare"] = 1
    out = effects.compute([s], ctx_for(frame, min_cell=5))["e"]
    row = _balance_rows(out, "balance_before")["rare"]
    assert row["mean_treated"] is None and row["smd"] is None and row["suppressed"] is True
    _no_private_keys(out)


@pytest.mark.parametrize("design", ["ipw", "aipw", "ra"])
def test_weighted_balance_shares_are_blanked_on_unweighted_counts(with_traits, design):
    frame = with_traits.copy()
    control = np.flatnonzero(frame["t"].to_numpy() == 0)
    frame["rare"] = 0
    frame.iloc[control[:3], frame.columns.get_loc("rare")] = 1  # 3 comparison-group people
    frame.iloc[np.flatnonzero(frame["t"].to_numpy() == 1)[:30], frame.columns.get_loc("rare")] = 1
    s = spec(design=design, covariates=["age", "rare"])
    out = effects.compute([s], ctx_for(frame, min_cell=5))["e"]
    assert out["estimable"] is True
    row = _balance_rows(out)["rare"]
    assert row["mean_control"] is None and row["mean_control_weighted"] is None
    assert row["smd"] is None and row["smd_weighted"] is None
    assert row["mean_treated"] is not None and row["mean_treated_weighted"] is not None
    assert row["suppressed"] is True and "comparison group" in row["reason"]["en"]
    _no_private_keys(out)
