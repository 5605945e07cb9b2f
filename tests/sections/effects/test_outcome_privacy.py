"""Privacy of binary outcomes: a share published per group is a count divided by the group size.

When fewer than `min_cell` people of a group have the outcome, or lack it, every figure that
gives that share (cell and group means, risks, risk and odds ratios, McNemar's table, the
control-group potential outcome, a regression's other coefficients) is blanked; the effect and
its interval stay. Each test also checks that no published number — alone, or with the estimate
added or subtracted — gives a hidden share back.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from evalsoc.sections.context import RunContext
from evalsoc.sections.effects import compute as effects
from evalsoc.sections.effects.config import EffectSpec

MPDTA = Path(__file__).parents[2] / "data" / "effects" / "mpdta.csv"


def spec(**kw):
    base = {"id": "e", "data": "d", "design": "difference", "outcome": "hired", "treatment": "t"}
    return EffectSpec(**{**base, **kw})


def run(frame, min_cell=5, **kw):
    ctx = RunContext(frames={"d": frame}, framework=None, min_cell=min_cell)
    return effects.compute([spec(**kw)], ctx)["e"]


def _numbers(obj):
    if isinstance(obj, bool) or obj is None or isinstance(obj, str):
        return []
    if isinstance(obj, (int, float)):
        return [float(obj)]
    if isinstance(obj, dict):
        return [x for v in obj.values() for x in _numbers(v)]
    if isinstance(obj, list):
        return [x for v in obj for x in _numbers(v)]
    return []


def assert_not_given_back(out, *shares):
    """No published number x, nor x ± estimate, nor 1 − x, equals a hidden share."""
    est = out["estimate"]
    assert est is not None and out["ci_low"] is not None  # the effect itself is kept
    for x in _numbers(out):
        for candidate in (x, x + est, x - est, est - x, 1 - x):
            for share in shares:
                assert abs(candidate - share) > 1e-9, (x, share)


def no_private_keys(obj):
    if isinstance(obj, dict):
        assert not any(str(k).startswith("_") for k in obj), obj
        for v in obj.values():
            no_private_keys(v)
    elif isinstance(obj, list):
        for v in obj:
            no_private_keys(v)


def assert_effect_size_blank(out):
    sizes = out["effect_size"]
    assert sizes["suppressed"] is True and "privacy.min_cell" in sizes["reason"]["en"]
    for key in ("risk_treated", "risk_counterfactual", "risk_ratio", "odds_ratio"):
        assert sizes[key] is None
    assert sizes["risk_difference"] is None  # with one risk it would give the other


@pytest.fixture
def people():
    rng = np.random.default_rng(5)
    n = 240
    t = (np.arange(n) % 2).astype(int)
    return pd.DataFrame(
        {
            "t": t,
            "age": rng.integers(18, 65, n).astype(float),
            "site": np.arange(n) % 12,
            "wave": (np.arange(n) // 2) % 2,
        }
    )


def hired(frame, treated_with, control_with):
    """Outcome 0/1: the first `treated_with` programme-group rows and `control_with` comparison
    rows have it (negative numbers: all but that many)."""
    y = np.zeros(len(frame), dtype=int)
    for group, k in ((1, treated_with), (0, control_with)):
        rows = np.flatnonzero(frame["t"].to_numpy() == group)
        if k >= 0:
            y[rows[:k]] = 1
        else:
            y[rows[: len(rows) + k]] = 1
    return frame.assign(hired=y)


# --- difference ---------------------------------------------------------------------------------


@pytest.mark.parametrize("treated_with", [3, -3], ids=["3 with", "3 without"])
def test_difference_shares_revealing_a_small_count_are_blanked(people, treated_with):
    frame = hired(people, treated_with, 40)
    out = run(frame)
    assert out["estimable"] is True and out["outcome_type"] == "binary"
    groups = {g["group"]: g for g in out["diagnostics"]["groups"]}
    # 3 of 120 programme-group people (or all but 3): the share gives the count away; the
    # comparison group's share goes too, since the estimate (their difference) would give the
    # hidden one back.
    for group in ("treated", "control"):
        assert groups[group]["mean"] is None and groups[group]["sd"] is None
        assert groups[group]["suppressed"] is True
    assert "fewer than 5 people" in groups["treated"]["reason"]["en"]
    assert "programme group" in groups["treated"]["reason"]["en"]
    assert "groupe du programme" in groups["treated"]["reason"]["fr"]
    assert "estimate" in groups["control"]["reason"]["en"]
    assert groups["control"]["reason"]["code"] == "hidden_share_companion"
    assert groups["treated"]["n"] == 120  # group sizes stay
    assert_effect_size_blank(out)
    p1 = frame.loc[frame.t == 1, "hired"].mean()
    p0 = frame.loc[frame.t == 0, "hired"].mean()
    assert out["estimate"] == pytest.approx(p1 - p0)
    assert_not_given_back(out, p1, p0)
    no_private_keys(out)
    json.dumps(out, allow_nan=False)


def test_difference_shares_are_published_when_counts_are_large_enough(people):
    frame = hired(people, 30, 40)
    out = run(frame)
    groups = {g["group"]: g for g in out["diagnostics"]["groups"]}
    assert groups["treated"]["mean"] == pytest.approx(30 / 120)
    assert "suppressed" not in groups["treated"]
    assert out["effect_size"]["risk_treated"] == pytest.approx(30 / 120)
    assert "suppressed" not in out["effect_size"]
    no_private_keys(out)
    # min_cell 1 hides nothing
    small = run(hired(people, 3, 40), min_cell=1)
    assert small["effect_size"]["risk_treated"] == pytest.approx(3 / 120)


def test_difference_with_units_counts_people_not_rows(people):
    # 2 people hold 6 rows with the outcome: 6 rows but only 2 people
    frame = hired(people, 0, 40).assign(person=np.arange(len(people)))
    treated = np.flatnonzero(frame["t"].to_numpy() == 1)
    frame.loc[treated[:6], "person"] = [treated[0]] * 3 + [treated[1]] * 3
    frame.loc[treated[:6], "hired"] = 1
    out = run(frame, min_cell=5, unit="person")
    groups = {g["group"]: g for g in out["diagnostics"]["groups"]}
    assert groups["treated"]["mean"] is None and groups["treated"]["suppressed"] is True


def test_a_zero_one_outcome_declared_continuous_is_protected_too(people):
    frame = hired(people, 3, 40)
    out = run(frame, outcome_type="continuous")
    sizes = out["effect_size"]
    # the pooled SD and d give p₁(1 − p₁) and p₀(1 − p₀) back with the estimate
    assert sizes["cohens_d"] is None and sizes["sd_pooled"] is None and sizes["suppressed"]
    assert all(g["mean"] is None for g in out["diagnostics"]["groups"])


def test_continuous_outcomes_are_untouched(people):
    frame = people.assign(hired=np.linspace(0, 1, len(people)) ** 2)
    out = run(frame)
    assert out["effect_size"]["cohens_d"] is not None
    assert all(g["mean"] is not None for g in out["diagnostics"]["groups"])


# --- did ----------------------------------------------------------------------------------------


def test_did_cell_means_of_a_binary_outcome_are_blanked(people):
    frame = hired(people, 30, 40)
    tb = np.flatnonzero((frame["t"] == 1).to_numpy() & (frame["wave"] == 0).to_numpy())
    frame.loc[:, "hired"] = np.where((frame["t"] == 1) & (frame["wave"] == 0), 0, frame["hired"])
    frame.loc[tb[:2], "hired"] = 1  # 2 of 60 programme-group people employed before
    out = run(frame, design="did", post="wave == 1")
    assert out["estimable"] is True
    cells = out["diagnostics"]["cells"]
    # With three cell means and the estimate (= the raw DiD here) the fourth would come back.
    assert all(c["mean"] is None and c["suppressed"] is True for c in cells)
    assert all(c["n"] == 60 for c in cells)
    hidden = [c for c in cells if (c["group"], c["period"]) == ("treated", "before")][0]
    assert "fewer than 5 people" in hidden["reason"]["en"]
    assert out["diagnostics"]["raw_did"] is None
    assert_effect_size_blank(out)
    means = frame.groupby(["t", "wave"])["hired"].mean()
    assert_not_given_back(out, *means.to_numpy())
    no_private_keys(out)


# --- pre_post -----------------------------------------------------------------------------------


def _pairs(before_ids, after_ids, n=100):
    before = np.isin(np.arange(n), before_ids).astype(int)
    after = np.isin(np.arange(n), after_ids).astype(int)
    return pd.DataFrame(
        {"id": list(range(n)) * 2, "wave": [0] * n + [1] * n, "hired": [*before, *after]}
    )


def test_pre_post_means_and_mcnemar_table_are_blanked():
    # Before: 3 of 100 employed; after: 30. Worsened = 2 (ids 0, 1), improved = 29.
    frame = _pairs([0, 1, 2], list(range(2, 32)))
    out = run(frame, design="pre_post", treatment=None, unit="id", time="wave", before=0, after=1)
    d = out["diagnostics"]
    assert d["mean_before"] is None and d["mean_after"] is None
    assert d["suppressed"] is True and d["reason"]["code"] == "hidden_share_figures"
    assert "the before period" in d["reason"]["en"] and "la période avant" in d["reason"]["fr"]
    m = d["mcnemar"]
    # improved − worsened = n × estimate: publishing either count gave the other back, and the
    # exact test's statistic is min(improved, worsened).
    assert m["improved"] is None and m["worsened"] is None
    assert m["statistic"] is None and m["p_value"] is None
    assert m["suppressed"] is True and "fewer than 5 people" in m["reason"]["en"]
    assert_effect_size_blank(out)
    assert out["estimate"] == pytest.approx(0.27)
    assert_not_given_back(out, 0.03, 0.30)
    no_private_keys(out)


def test_pre_post_mcnemar_alone_is_blanked_when_means_are_safe():
    # 40 employed before, 50 after: 2 worsened, 12 improved.
    frame = _pairs(list(range(40)), list(range(2, 52)))
    out = run(frame, design="pre_post", treatment=None, unit="id", time="wave", before=0, after=1)
    d = out["diagnostics"]
    assert d["mean_before"] == pytest.approx(0.40) and "suppressed" not in d
    # improved − worsened = n × estimate = 10: the 12 improved gave the 2 worsened back
    assert d["mcnemar"]["improved"] is None and d["mcnemar"]["worsened"] is None
    assert d["mcnemar"]["suppressed"] is True


# --- selection designs and regression -----------------------------------------------------------


@pytest.mark.parametrize("design", ["ipw", "aipw", "ra"])
def test_selection_designs_blank_shares_and_the_control_potential_outcome(people, design):
    frame = hired(people, 40, -2)  # all but 2 comparison-group people employed
    out = run(frame, design=design, covariates=["age"])
    assert out["estimable"] is True
    assert out["diagnostics"]["potential_outcome_control"] is None
    assert out["diagnostics"]["suppressed"] is True
    assert out["diagnostics"]["reason"]["code"] == "hidden_share_figures"
    assert "comparison group" in out["diagnostics"]["reason"]["en"]
    assert_effect_size_blank(out)
    p1 = frame.loc[frame.t == 1, "hired"].mean()
    p0 = frame.loc[frame.t == 0, "hired"].mean()
    assert_not_given_back(out, p1, p0)
    no_private_keys(out)


def test_ra_without_covariates_no_longer_publishes_the_control_share(people):
    frame = hired(people, 40, 3)
    out = run(frame, design="ra")
    assert out["diagnostics"]["potential_outcome_control"] is None
    assert_not_given_back(out, 3 / 120, 40 / 120)


def test_regression_blanks_the_other_coefficients(people):
    frame = hired(people, 3, 40)
    out = run(frame, design="regression", formula="hired ~ t + age", term="t", treatment=None)
    coefs = out["diagnostics"]["coefficients"]
    assert coefs["t"]["estimate"] == pytest.approx(out["estimate"])
    for name in ("Intercept", "age"):
        assert coefs[name]["estimate"] is None and coefs[name]["suppressed"] is True
    assert_effect_size_blank(out)
    simple = run(frame, design="regression", formula="hired ~ t", term="t", treatment=None)
    # the intercept was the comparison group's share, the intercept + t the programme group's
    assert_not_given_back(simple, 3 / 120, 40 / 120)
    no_private_keys(simple)


# --- staggered_did ------------------------------------------------------------------------------


def test_staggered_effect_size_is_blanked():
    frame = pd.read_csv(MPDTA)
    first = frame["first.treat"].to_numpy()
    post = (first > 0) & (frame["year"].to_numpy() >= first)
    y = np.zeros(len(frame), dtype=int)
    y[np.flatnonzero(post)[:3]] = 1  # 3 treated county-years after treatment (≤ 3 counties)
    y[np.flatnonzero(first == 0)[::4]] = 1
    frame = frame.assign(hired=y)
    ctx = RunContext(frames={"mpdta": frame}, framework=None, min_cell=5)
    s = EffectSpec(
        id="e",
        data="mpdta",
        design="staggered_did",
        outcome="hired",
        unit="countyreal",
        time="year",
        first_treated="first.treat",
    )
    out = effects.compute([s], ctx)["e"]
    assert out["estimable"] is True
    assert_effect_size_blank(out)
    p1 = y[post].mean()
    assert_not_given_back(out, p1)
    no_private_keys(out)
