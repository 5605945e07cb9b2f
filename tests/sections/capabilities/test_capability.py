"""Alkire–Foster engine: the paper's worked example, mpitb as a peer, exact ties, design SEs."""

from __future__ import annotations

import contextlib
import io
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from tests.conftest import SYN_CDTA_INDICATORS

from evalsoc.sections.capabilities.config import CapabilitySpec
from evalsoc.sections.capabilities.engine import AlkireFoster
from evalsoc.sections.capabilities.identification import identify, weight_units
from evalsoc.sections.context import RunContext

GLOBAL_MPI = ["1/6"] * 4 + ["1/18"] * 6
INDICATORS = SYN_CDTA_INDICATORS


# --- Alkire & Foster (2011), J. Public Econ. 95: 476–487, section 4 -------------------------
# Achievement matrix of four persons in four dimensions (income, years of schooling,
# a health index, a 0/1 dimension) with cutoffs z = (500, 12, 3, 1); equal weights; k = 2 of 4.
AF_Y = np.array([[700, 14, 4, 1], [300, 13, 1, 0], [400, 10, 3, 0], [800, 11, 3, 1]], float)
AF_Z = np.array([500, 12, 3, 1], float)


def _af_example() -> AlkireFoster:
    deprived = AF_Y < AF_Z
    gaps = np.where(deprived, (AF_Z - AF_Y) / AF_Z, 0.0)
    return AlkireFoster(deprived, [1, 1, 1, 1], gaps=gaps)


def test_alkire_foster_worked_example():
    af = _af_example()
    # the paper's deprivation counts c = (0, 3, 3, 1)
    assert list(af.person_scores() * 4) == [0, 3, 3, 1]
    r = af.at_k(Fraction(2, 4))
    assert r["H"] == pytest.approx(1 / 2, abs=1e-15)
    assert r["A"] == pytest.approx(3 / 4, abs=1e-15)
    assert r["M0"] == pytest.approx(3 / 8, abs=1e-15)
    # censored normalised gaps: person 2 (0.4, 0, 2/3, 1), person 3 (0.2, 1/6, 0, 1)
    assert r["M1"] == pytest.approx(103 / 480, abs=1e-15)  # 0.2146 (the paper: ≈ 0.21)
    m2 = (0.4**2 + (2 / 3) ** 2 + 1 + 0.2**2 + (1 / 6) ** 2 + 1) / 16
    assert r["M2"] == pytest.approx(m2, abs=1e-15)  # 0.1670
    # M0 = Σ_j w_j h_j(k) and the contributions add up to 100%
    h = np.array(list(r["censored_headcount"].values()))
    assert h.tolist() == [0.5, 0.25, 0.25, 0.5]
    assert np.dot(np.full(4, 0.25), h) == pytest.approx(r["M0"], abs=1e-15)
    assert sum(r["contribution"].values()) == pytest.approx(1.0, abs=1e-12)
    assert sum(r["contribution_absolute"].values()) == pytest.approx(r["M0"], abs=1e-15)


def test_union_and_intersection_limits():
    af = _af_example()
    union = af.at_k(Fraction(1, 4))
    intersection = af.at_k(Fraction(1))
    assert union["H"] == 0.75 and union["M0"] == pytest.approx(7 / 16)
    assert intersection["H"] == 0.0 and intersection["M0"] == 0.0


# --- exact identification at ties -----------------------------------------------------------


def test_weight_units_are_exact_integers():
    units, total = weight_units(GLOBAL_MPI)
    assert total == 18 and units.tolist() == [3, 3, 3, 3, 1, 1, 1, 1, 1, 1]
    six_living_standards = np.array([0, 0, 0, 0, 1, 1, 1, 1, 1, 1]) @ units
    assert identify(np.array([six_living_standards]), total, Fraction(1, 3))[0]
    # what floats do: mpitb's k = 100/3 percent is 0.33333333333333337 > 1/6 + 1/6
    assert 1 / 6 + 1 / 6 < (100 / 3) / 100


def _tie_data(seed: int = 3) -> tuple[pd.DataFrame, int]:
    """Profiles whose exact score is 1/3 (ties), mixed with random ones; the exact H count."""
    rng = np.random.default_rng(seed)
    ties = [
        [0, 0, 0, 0, 1, 1, 1, 1, 1, 1],  # 6 × 1/18
        [1, 1, 0, 0, 0, 0, 0, 0, 0, 0],  # 2 × 1/6
        [1, 0, 0, 0, 1, 1, 1, 0, 0, 0],  # 1/6 + 3 × 1/18
        [0, 0, 1, 0, 0, 1, 0, 1, 0, 1],
    ]
    rows = [ties[i % 4] for i in range(200)] + rng.integers(0, 2, size=(300, 10)).tolist()
    frame = pd.DataFrame(rows, columns=INDICATORS)
    weights = [Fraction(w) for w in GLOBAL_MPI]
    exact = sum(1 for row in rows if sum(w * x for w, x in zip(weights, row)) >= Fraction(1, 3))
    return frame, exact


def _mpitb():
    from mpitb.core import MPIToolbox

    return MPIToolbox()


def _mpitb_est(frame: pd.DataFrame, weights: dict, k_percent: list[float], svy: bool = False):
    mpi = _mpitb()
    if svy:
        mpi.svyset(weight="s")
    mpi.set(name="spec", dimensions=[(list(weights), "all")])
    with contextlib.redirect_stdout(io.StringIO()):
        records = mpi.est(frame.copy(), "spec", klist=k_percent, weights=weights, svy=svy)
    return pd.DataFrame(records)


def test_ties_are_identified_where_mpitb_loses_them():
    pytest.importorskip("mpitb")
    frame, exact = _tie_data()
    ours = AlkireFoster(frame[INDICATORS].to_numpy() == 1, GLOBAL_MPI).at_k(Fraction(1, 3))
    assert ours["n_identified"] == exact
    assert ours["n_tied"] >= 200
    assert ours["H"] == pytest.approx(exact / len(frame), abs=1e-15)
    weights = dict(zip(INDICATORS, [1 / 6] * 4 + [1 / 18] * 6))
    theirs = _mpitb_est(frame, weights, [100 / 3])
    h_theirs = theirs.query("measure == 'H'")["b"].iloc[0]
    # mpitb compares the float sum of float weights with k/100: persons tied at 1/3 are lost
    assert h_theirs * len(frame) < exact - 150
    assert h_theirs < ours["H"]


def test_same_numbers_as_mpitb_without_ties():
    """Random 0/1 data, 3 dimensions (3, 3, 4 indicators), sampling weights, k = 40% and 60%."""
    pytest.importorskip("mpitb")
    rng = np.random.default_rng(11)
    n = 3000
    names = [f"i{j}" for j in range(10)]
    frame = pd.DataFrame(rng.binomial(1, rng.uniform(0.1, 0.6, 10), size=(n, 10)), columns=names)
    frame["s"] = rng.uniform(0.5, 3.0, n)
    fractions = [Fraction(1, 9)] * 6 + [Fraction(1, 12)] * 4
    weights = {name: float(w) for name, w in zip(names, fractions)}
    af = AlkireFoster(
        frame[names].to_numpy() == 1,
        fractions,
        dimension_ids=names,
        sample_weight=frame["s"].to_numpy(),
    )
    theirs = _mpitb_est(frame, weights, [40, 60], svy=True)
    for k in (Fraction(2, 5), Fraction(3, 5)):
        ours = af.at_k(k)
        assert ours["n_tied"] == 0  # 36ths never equal 2/5 or 3/5
        mine = theirs[theirs["k"] == float(k * 100)]
        for measure in ("H", "A", "M0"):
            value = mine.query(f"measure == '{measure}' and indicator != indicator")["b"].iloc[0]
            assert ours[measure] == pytest.approx(value, abs=1e-9)
        for name in names:
            rows = mine[mine["indicator"] == name].set_index("measure")["b"]
            assert ours["censored_headcount"][name] == pytest.approx(rows["hdk"], abs=1e-9)
            assert ours["contribution_absolute"][name] == pytest.approx(rows["actb"], abs=1e-9)
            assert ours["contribution"][name] == pytest.approx(rows["pctb"], abs=1e-9)


# --- decomposition, curve, empowerment ------------------------------------------------------


def _random_af(n=4000, seed=5, **kwargs) -> tuple[AlkireFoster, dict]:
    rng = np.random.default_rng(seed)
    deprived = rng.random((n, 5)) < np.array([0.2, 0.3, 0.4, 0.25, 0.5])
    group = np.where(rng.random(n) < 0.4, "a", "b")
    deprived[group == "a", 0] |= rng.random((group == "a").sum()) < 0.3
    data = {
        "group": group,
        "weight": rng.uniform(1, 4, n),
        "stratum": rng.integers(0, 4, n),
        "psu": rng.integers(0, 40, n),
    }
    af = AlkireFoster(
        deprived, ["1/4", "1/4", "1/6", "1/6", "1/6"], labels={"group": group}, **kwargs
    )
    return af, data


def test_subgroup_decomposition_adds_up():
    af, _ = _random_af()
    k = Fraction(1, 3)
    total = af.at_k(k)
    parts = []
    for value in ("a", "b"):
        dom = af.domain(group=value)
        parts.append((af.population_share(dom, None), af.at_k(k, dom)["M0"]))
    assert sum(share for share, _ in parts) == pytest.approx(1.0)
    assert sum(share * m0 for share, m0 in parts) == pytest.approx(total["M0"], abs=1e-12)


def test_k_curve_matches_measures_at_each_k():
    af, _ = _random_af()
    curve = af.k_curve()
    assert [Fraction(p["k"]) for p in curve] == sorted(Fraction(p["k"]) for p in curve)
    for point in curve:
        r = af.at_k(Fraction(point["k"]))
        assert point["H"] == pytest.approx(r["H"]) and point["M0"] == pytest.approx(r["M0"])
    assert all(a["H"] >= b["H"] for a, b in zip(curve, curve[1:]))


def test_empowerment_reading():
    af = _af_example()  # c = (0, 3/4, 3/4, 1/4); empowered iff c ≤ 1/5
    e = af.empowerment(Fraction(4, 5))
    assert e["share_empowered"] == 0.25
    assert e["A_disempowered"] == pytest.approx((0.75 + 0.75 + 0.25) / 3)
    assert e["index"] == pytest.approx(1 - 0.75 * (1.75 / 3))
    # adequacy 3/4 ≥ 3/4: the person with c = 1/4 is empowered at a 75% threshold (tie)
    assert af.empowerment(Fraction(3, 4))["share_empowered"] == 0.5


def test_rank_stability_is_one_for_well_separated_groups():
    rng = np.random.default_rng(2)
    n = 2000
    group = np.repeat(["poor", "rich"], n // 2)
    deprived = rng.random((n, 4)) < np.where(group == "poor", 0.7, 0.1)[:, None]
    af = AlkireFoster(deprived, [1, 1, 1, 1], labels={"g": group})
    masks = [af.domain(g="poor"), af.domain(g="rich")]
    out = af.rank_stability(masks, Fraction(1, 2), 300, np.random.default_rng(0))
    assert out["share_same_ranking"] == 1.0 and out["pairwise_agreement"] == 1.0
    assert out["nominal_M0"][0] > out["nominal_M0"][1]


# --- design-based standard errors -----------------------------------------------------------


def _hand_linearised_se(y, b, s, stratum, psu) -> float:
    """V = Σ_h n_h/(n_h − 1) Σ_j (u_hj − ū_h)² for R = Σ s y / Σ s b, written with plain loops."""
    ratio = sum(si * yi for si, yi in zip(s, y)) / sum(si * bi for si, bi in zip(s, b))
    denominator = sum(si * bi for si, bi in zip(s, b))
    totals: dict = {}
    for si, yi, bi, h, j in zip(s, y, b, stratum, psu):
        totals.setdefault(h, {}).setdefault(j, 0.0)
        totals[h][j] += si * (yi - ratio * bi) / denominator
    variance = 0.0
    for psus in totals.values():
        n_h = len(psus)
        if n_h < 2:
            continue
        mean = sum(psus.values()) / n_h
        variance += n_h / (n_h - 1) * sum((u - mean) ** 2 for u in psus.values())
    return variance**0.5


def test_linearised_se_matches_hand_computation_on_small_design():
    # 2 strata × 3 PSUs × 2-3 persons, unequal weights; 3 equally weighted indicators, k = 2/3
    deprived = np.array(
        [
            [1, 1, 0],
            [0, 0, 0],
            [1, 1, 1],
            [0, 1, 0],
            [1, 0, 1],
            [0, 0, 0],
            [1, 1, 0],
            [0, 0, 1],
            [1, 1, 1],
            [0, 0, 0],
            [1, 0, 1],
            [0, 1, 1],
            [0, 0, 0],
            [1, 1, 1],
        ],
        bool,
    )
    s = np.array([1, 2, 1, 3, 1, 2, 2, 1, 1, 4, 2, 1, 3, 1], float)
    stratum = np.array([1] * 7 + [2] * 7)
    psu = np.array([1, 1, 2, 2, 3, 3, 3, 4, 4, 5, 5, 6, 6, 6])
    af = AlkireFoster(deprived, [1, 1, 1], sample_weight=s, strata=stratum, cluster=psu)
    r = af.at_k(Fraction(2, 3))
    c = deprived.sum(axis=1) / 3
    poor = (deprived.sum(axis=1) >= 2).astype(float)
    ones = np.ones(len(s))
    assert r["H"] == pytest.approx(np.sum(s * poor) / s.sum())
    assert r["H_se"] == pytest.approx(_hand_linearised_se(poor, ones, s, stratum, psu), rel=1e-12)
    assert r["M0_se"] == pytest.approx(
        _hand_linearised_se(poor * c, ones, s, stratum, psu), rel=1e-12
    )
    assert r["A_se"] == pytest.approx(
        _hand_linearised_se(poor * c, poor, s, stratum, psu), rel=1e-12
    )
    h0 = poor * deprived[:, 0]
    assert r["censored_headcount_se"]["d1"] == pytest.approx(
        _hand_linearised_se(h0, ones, s, stratum, psu), rel=1e-12
    )


def test_weighted_stratified_se_without_clusters_matches_hand_computation():
    """Persons are the PSUs; cells then pool persons with different weights (Σs, Σs²)."""
    rng = np.random.default_rng(21)
    n = 300
    deprived = rng.random((n, 3)) < 0.45
    s = rng.choice([1.0, 2.5, 4.0], n)
    stratum = rng.integers(0, 3, n)
    af = AlkireFoster(deprived, [1, 1, 1], sample_weight=s, strata=stratum)
    assert len(af.cells.weight) < n / 4  # pooled across weights
    r = af.at_k(Fraction(2, 3))
    poor = (deprived.sum(axis=1) >= 2).astype(float)
    c = deprived.sum(axis=1) / 3
    person = np.arange(n)
    ones = np.ones(n)
    assert r["H_se"] == pytest.approx(
        _hand_linearised_se(poor, ones, s, stratum, person), rel=1e-10
    )
    assert r["A_se"] == pytest.approx(
        _hand_linearised_se(poor * c, poor, s, stratum, person), rel=1e-10
    )


def test_simple_random_sample_se_is_s_over_root_n():
    rng = np.random.default_rng(8)
    deprived = rng.random((500, 3)) < 0.4
    r = AlkireFoster(deprived, [1, 1, 1]).at_k(Fraction(1, 3))
    poor = (deprived.sum(axis=1) >= 1).astype(float)
    assert r["H_se"] == pytest.approx(poor.std(ddof=1) / np.sqrt(500), rel=1e-12)


def test_clustered_se_matches_statsmodels_cluster_sandwich():
    """One stratum: V = G/(G−1) × the uncorrected cluster-robust sandwich of a weighted mean."""
    import statsmodels.api as sm

    af, data = _random_af(sample_weight=None)
    af, data = _random_af(sample_weight=data["weight"], cluster=data["psu"])
    r = af.at_k(Fraction(1, 3))
    scores = af.person_scores()
    poor = (scores >= 1 / 3 - 1e-12).astype(float)
    fit = sm.WLS(poor, np.ones(len(poor)), weights=data["weight"]).fit(
        cov_type="cluster", cov_kwds={"groups": data["psu"], "use_correction": False}
    )
    groups = len(np.unique(data["psu"]))
    assert r["H"] == pytest.approx(fit.params[0], abs=1e-12)
    assert r["H_se"] == pytest.approx(fit.bse[0] * np.sqrt(groups / (groups - 1)), rel=1e-9)


def test_bootstrap_agrees_with_linearisation_within_monte_carlo_error():
    _, data = _random_af()
    design = dict(sample_weight=data["weight"], strata=data["stratum"], cluster=data["psu"])
    linear = _random_af(**design)[0].at_k(Fraction(1, 3))
    boot = _random_af(**design, se="bootstrap", bootstrap_reps=2000, rng=np.random.default_rng(1))[
        0
    ].at_k(Fraction(1, 3))
    assert boot["M0"] == linear["M0"]
    for name in ("H_se", "A_se", "M0_se"):
        # the SD of 2000 replicates is within ≈ 1.6% of its expectation (1 SD); allow 10%
        assert boot[name] == pytest.approx(linear[name], rel=0.10)


def test_bootstrap_is_seeded():
    _, data = _random_af()
    design = dict(
        sample_weight=data["weight"], cluster=data["psu"], se="bootstrap", bootstrap_reps=200
    )
    a = _random_af(**design, rng=np.random.default_rng(4))[0].at_k(Fraction(1, 3))
    b = _random_af(**design, rng=np.random.default_rng(4))[0].at_k(Fraction(1, 3))
    assert a["M0_se"] == b["M0_se"]


def test_change_between_waves_paired_and_annualised():
    rng = np.random.default_rng(9)
    n = 1500
    before = rng.random((n, 4)) < 0.4
    after = before & (rng.random((n, 4)) < 0.8)  # some deprivations lifted, none added
    deprived = np.vstack([before, after])
    wave = np.repeat(["1", "2"], n)
    person = np.tile(np.arange(n), 2)
    paired = AlkireFoster(deprived, [1] * 4, labels={"t": wave}, cluster=person)
    independent = AlkireFoster(deprived, [1] * 4, labels={"t": wave})
    k = Fraction(1, 2)
    ch = paired.change(k, paired.domain(t="1"), paired.domain(t="2"), years=2.0)
    m0_1 = paired.at_k(k, paired.domain(t="1"))["M0"]
    m0_2 = paired.at_k(k, paired.domain(t="2"))["M0"]
    assert ch["M0"]["absolute"] == pytest.approx(m0_2 - m0_1)
    assert ch["M0"]["relative"] == pytest.approx(m0_2 / m0_1 - 1)
    assert ch["M0"]["annualised_relative"] == pytest.approx((m0_2 / m0_1) ** 0.5 - 1)
    assert ch["M0"]["annualised_absolute"] == pytest.approx((m0_2 - m0_1) / 2)
    ind = independent.change(k, independent.domain(t="1"), independent.domain(t="2"), None)
    # positively correlated waves: pairing shrinks the SE of the change
    assert ch["M0"]["absolute_se"] < 0.8 * ind["M0"]["absolute_se"]
    # independent samples: Var(Δ) = Var(M0_1) + Var(M0_2)
    se1 = independent.at_k(k, independent.domain(t="1"))["M0_se"]
    se2 = independent.at_k(k, independent.domain(t="2"))["M0_se"]
    assert ind["M0"]["absolute_se"] == pytest.approx(np.hypot(se1, se2), rel=1e-9)


# --- the plug-in adapter ------------------------------------------------------------------


def _likert_frame(n=400, seed=0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    latent = rng.normal(size=n)
    frame = pd.DataFrame(
        {
            "id": np.arange(n),
            "site": rng.choice(["nord", "sud", "est"], n, p=[0.5, 0.47, 0.03]),
            "sexe": rng.choice(["f", "h"], n),
        }
    )
    for j in range(3):
        frame[f"conf_{j}"] = np.clip(np.round(3 + latent + rng.normal(0, 0.8, n)), 1, 5)
    frame["conf_2"] = 6 - frame["conf_2"]  # asked the other way round
    frame["reseau"] = rng.integers(0, 2, n)
    frame.loc[:4, "conf_0"] = np.nan
    return frame


def _spec(**extra) -> CapabilitySpec:
    raw = {
        "id": "pouvoir_agir",
        "data": "people",
        "dimensions": [
            {
                "id": "confiance",
                "items": ["conf_0", "conf_1", "conf_2"],
                "reverse": ["conf_2"],
                "cutoff": 3,
                "weight": "1/2",
            },
            {"id": "reseau", "items": ["reseau"], "cutoff": 1, "weight": 0.5},
        ],
        "k": ["1/2", 1],
        "by": ["site"],
        "likert_levels": 5,
        "weight_draws": 50,
    }
    raw.update(extra)
    return CapabilitySpec.model_validate(raw)


def _run(spec, frame, min_cell=10):
    from evalsoc.sections.capabilities.compute import compute_all as compute

    ctx = RunContext(frames={"people": frame}, framework=None, min_cell=min_cell)
    return compute([spec], ctx)[spec.id], ctx


def test_compute_shape_suppression_and_derived():
    frame = _likert_frame()
    out, ctx = _run(_spec(), frame, min_cell=20)
    assert out["estimable"] and out["n_missing_dropped"] == 5 and out["n"] == 395
    first = out["results"][0]
    assert first["k"] == "1/2" and first["k_value"] == 0.5
    for key in (
        "H",
        "A",
        "M0",
        "M1",
        "M2",
        "H_se",
        "A_se",
        "M0_se",
        "H_ci",
        "A_ci",
        "M0_ci",
        "n_tied",
        "censored_headcount",
        "contribution",
        "by",
    ):
        assert key in first
    assert 0 < first["M1"] < first["M0"] and 0 < first["M2"] < first["M1"]
    assert out["dimensions"]["confiance"]["alpha"] > 0.7  # reverse coding restored consistency
    assert out["dimensions"]["confiance"]["omega"] is not None
    est = first["by"]["site"]["est"]
    assert est["suppressed"] and est["H"] is None and "privacy" in est["reason"]["en"]  # ~12 people
    nord, sud = first["by"]["site"]["nord"], first["by"]["site"]["sud"]
    # the overall n minus nord and sud would give est back: the smaller of the two is hidden too
    shown, hidden = (nord, sud) if nord.get("suppressed") is None else (sud, nord)
    assert hidden["suppressed"] and hidden["reason"]["code"] == "complement"
    assert 0 < shown["population_share"] < 1.0
    score = ctx.derived["capability.pouvoir_agir.score"]
    assert len(score) == 395 and set(score.index) == set(frame.index[5:])
    flag = ctx.derived["capability.pouvoir_agir.deprived@1/2"]
    assert flag.mean() == pytest.approx(first["H"])
    assert "capability.pouvoir_agir.deprived@1" in ctx.derived
    assert out["k_curve"] and out["empowerment"]["threshold"] == "4/5"


def test_missing_policies():
    frame = _likert_frame()
    deprived, _ = _run(_spec(missing="deprived"), frame)
    assert deprived["n"] == 400 and deprived["n_missing_imputed"] == 5
    assert deprived["results"][0]["M1"] is None  # no gap for an imputed deprivation
    condition = {"id": "reseau", "deprived": "reseau == 0", "items": ["reseau"], "weight": 0.5}
    ordinal, _ = _run(_spec(dimensions=[_spec().dimensions[0].model_dump(), condition]), frame)
    assert ordinal["results"][0]["M1"] is None and ordinal["cardinal"] is False
    error, ctx = _run(_spec(missing="error"), frame)
    assert error["estimable"] is False and "missing" in error["reason"]["en"]
    assert ctx.warnings


def test_unknown_column_is_not_estimable_not_a_crash():
    spec = _spec(by=["region"])
    out, ctx = _run(spec, _likert_frame())
    assert out["estimable"] is False and "region" in out["reason"]["en"]


def test_config_errors_are_readable():
    with pytest.raises(ValueError, match="either a `cutoff`"):
        _spec(dimensions=[{"id": "x", "items": ["a"], "cutoff": 1, "deprived": "a == 1"}])
    with pytest.raises(ValueError, match=r"k must be a share"):
        _spec(k=[1.5])
    with pytest.raises(ValueError, match="give a weight to every dimension"):
        _spec(
            dimensions=[
                {"id": "x", "items": ["a"], "cutoff": 1, "weight": "1/2"},
                {"id": "y", "items": ["b"], "cutoff": 1},
            ]
        )
    spec = _spec(k="1/3")
    assert spec.thresholds == [("1/3", Fraction(1, 3))]
    assert _spec().dimension_weights == [Fraction(1, 2), Fraction(1, 2)]


def test_report_fragment_escapes_and_translates():
    from types import SimpleNamespace

    from evalsoc.sections.capabilities.render import render

    frame = _likert_frame()
    spec = _spec(label={"fr": "Pouvoir <b>d'agir</b>", "en": "Empowerment <b>"})
    out, _ = _run(spec, frame, min_cell=20)
    framework = SimpleNamespace(capabilities=[spec])
    broken = {"id": "x", "estimable": False, "reason": "colonne <inconnue>"}
    fr = render({"pouvoir_agir": out, "x": broken}, framework, "fr")
    en = render({"pouvoir_agir": out}, framework, "en")
    assert fr.startswith("<section") and "<svg" in fr
    assert "<h3>Pouvoir &lt;b&gt;d&#39;agir&lt;/b&gt;</h3>" in fr and "<b>" not in fr
    assert "colonne &lt;inconnue&gt;" in fr and "Non estimable" in fr
    assert "dans au moins la moitié des dimensions" in fr and "Fiabilité des échelles" in fr
    assert "of people" in en and "Scale reliability" in en
    assert "masqué" in fr  # the suppressed 'est' site
    assert 'src="http' not in fr and 'href="http' not in fr  # no external resource


def test_a_cutoff_listed_twice_is_refused():
    from pydantic import ValidationError

    from evalsoc.sections.capabilities.config import CapabilitySpec

    with pytest.raises(ValidationError, match="same cutoff twice"):
        CapabilitySpec.model_validate(
            {
                "id": "c",
                "data": "d",
                "dimensions": [{"id": "a", "items": ["x"], "cutoff": 1}],
                "k": ["1/3", "2/6"],
            }
        )
