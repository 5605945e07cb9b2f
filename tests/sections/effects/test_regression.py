"""Free regression formulas: same numbers as statsmodels' fit, and user text never run as code."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf

from evalsoc.sections.common import NotEstimable
from evalsoc.sections.effects.config import EffectSpec
from evalsoc.sections.effects.designs.regression import (
    FormulaError,
    estimate_regression,
    formula_columns,
)

NSW = Path(__file__).resolve().parents[2] / "data" / "effects" / "nsw_mixtape.csv"
FORMULA = "re78 ~ treat + age + I(age ** 2) + np.log(educ + 1) + C(black)"


def spec(**kw):
    base = {"id": "e", "data": "d", "design": "regression", "formula": FORMULA, "term": "treat"}
    return EffectSpec(**{**base, **kw})


@pytest.fixture(scope="module")
def nsw():
    frame = pd.read_csv(NSW)
    frame["site"] = np.arange(len(frame)) % 15
    return frame


@pytest.mark.parametrize(
    "se, fit_kw",
    [
        ("classical", {}),
        ("robust", {"cov_type": "HC2"}),
        ("cluster", {"cov_type": "cluster"}),
    ],
)
def test_matches_statsmodels(nsw, se, fit_kw):
    kw = {"cluster": "site"} if se == "cluster" else {}
    if se == "cluster":
        fit_kw = {**fit_kw, "cov_kwds": {"groups": nsw["site"]}}
    out = estimate_regression(nsw, spec(se=se, **kw))
    ref = smf.ols(FORMULA, nsw).fit(use_t=True, **fit_kw)
    assert out["estimate"] == pytest.approx(ref.params["treat"], rel=1e-10)
    assert out["se"] == pytest.approx(ref.bse["treat"], rel=1e-9)
    assert out["p_value"] == pytest.approx(ref.pvalues["treat"], rel=1e-7)
    assert out["diagnostics"]["terms"] == list(ref.params.index)
    assert (out["n_treated"], out["n_control"]) == (185, 260)


def test_nsw_bivariate_regression(nsw):
    out = estimate_regression(nsw, spec(formula="re78 ~ treat", se="classical"))
    assert round(out["estimate"], 2) == 1794.34 and round(out["se"], 2) == 632.85


def test_categorical_term(nsw):
    out = estimate_regression(nsw, spec(term="C(black)[T.1]"))
    ref = smf.ols(FORMULA, nsw).fit(cov_type="HC2")
    assert out["estimate"] == pytest.approx(ref.params["C(black)[T.1]"])


def test_unknown_term_lists_the_terms(nsw):
    with pytest.raises(NotEstimable, match="no term 'black'.*C\\(black\\)"):
        estimate_regression(nsw, spec(term="black"))


@pytest.mark.parametrize(
    "formula, message",
    [
        ("re78 ~ treat + __import__('os').system('echo pwned')", "not allowed"),
        ("re78 ~ treat + eval('1')", "eval\\(\\) is not allowed"),
        ("re78 ~ treat + np.linalg.inv(age)", "not allowed"),
        ("re78 ~ treat + age.__class__", "not allowed"),
        ("re78 ~ treat + open('x')", "not allowed"),
        ("re78 ~ treat + [age][0]", "'\\[' is not allowed"),
        ("re78 ~ treat + (lambda: 1)()", "unknown column 'lambda'"),
        ("re78 ~ treat + wage", "unknown column 'wage'"),
        ("re78 + treat", "one '~'"),
        ("re78 ~ treat + I(age; 1)", "';' is not allowed"),
    ],
)
def test_refuses_code_in_formulas(nsw, formula, message):
    with pytest.raises(FormulaError, match=message):
        formula_columns(formula, nsw.columns)
    with pytest.raises(NotEstimable, match="formula refused"):
        estimate_regression(nsw, spec(formula=formula))


def test_formula_columns(nsw):
    cols = formula_columns(
        "re78 ~ treat + C(black, Treatment(reference=1)) + Q('age')", nsw.columns
    )
    assert cols == ["re78", "treat", "black", "age"]


def test_constant_outcome_is_not_estimable(nsw):
    frame = nsw.assign(re78=1.0)
    with pytest.raises(NotEstimable, match="single value"):
        estimate_regression(frame, spec())


@pytest.mark.parametrize(
    "formula, message",
    [
        # Python evaluates I(...) exactly: 9**9**9 is an integer of 370 million digits.
        ("re78 ~ treat + I(9**9**9)", "powers of plain numbers"),
        ("re78 ~ treat + I(((9**3)**3)**3)", "powers of plain numbers"),
        ("re78 ~ treat + I(2 ** age)", "powers of plain numbers"),
        ("re78 ~ treat + I(age ** (1 + 1))", "powers of plain numbers"),
        ("re78 ~ treat + I(age ** 9)", "from -3 to 3"),
        ("re78 ~ treat + I('x' * 999999999)", "quoted text"),
        ("re78 ~ treat + I(('a', 'b') * 999999999)", "list of values"),
        ("re78 ~ treat + age ** 2", "for the square of a column write I"),
        ("re78 ~ treat + (age + educ)**4", "whole number from 1 to 3"),
        ("re78 ~ treat + (age + educ)**2**2", "parenthesised sum"),
        ("re78 ~ treat + (age + educ)**2.0", "whole number from 1 to 3"),
        ("re78 ~ treat * age * educ * black * hisp * marr * nodegree * re74 * re75", "500 terms"),
        ("re78 ~ treat + " + " + ".join(["age"] * 300), "at most 1000 characters"),
    ],
)
def test_refuses_formulas_that_can_do_unbounded_work(nsw, formula, message):
    with pytest.raises(FormulaError, match=message):
        formula_columns(formula, nsw.columns)
    with pytest.raises(NotEstimable, match="^formula refused: "):
        estimate_regression(nsw, spec(formula=formula))


def test_text_columns_take_no_part_in_arithmetic(nsw):
    frame = nsw.assign(city=np.where(nsw["black"] == 1, "a", "b"))
    formula = "re78 ~ treat + I(city * 999999999)"
    formula_columns(formula, frame.columns)  # the names alone cannot tell
    with pytest.raises(NotEstimable, match="formula refused: .*text column"):
        estimate_regression(frame, spec(formula=formula))
    out = estimate_regression(frame, spec(formula="re78 ~ treat + C(city) + I(age ** 2)"))
    assert out["estimate"] is not None


def test_bounded_powers_and_interactions_still_work(nsw):
    formula = "re78 ~ treat + (age + educ + black)**2 + I((age / 10) ** 3) + I(age // 10)"
    out = estimate_regression(nsw, spec(formula=formula, se="robust"))
    ref = smf.ols(formula, nsw).fit(cov_type="HC2")
    assert out["estimate"] == pytest.approx(ref.params["treat"], rel=1e-9)
    assert "age:educ" in out["diagnostics"]["terms"]


def test_power_bomb_is_a_result_not_a_hang():
    # In a child process with a time limit: before the check, patsy evaluated 9**9**9 for
    # minutes, and a big-integer power cannot be interrupted from inside the process.
    script = """
import json, numpy as np, pandas as pd
from evalsoc.sections.effects.config import EffectSpec
from evalsoc.sections.effects import compute as effects
from evalsoc.sections.context import RunContext
rng = np.random.default_rng(0)
frame = pd.DataFrame({"revenu": rng.normal(size=60), "treat01": np.arange(60) % 2})
bomb = EffectSpec(id="e", data="d", design="regression",
                  formula="revenu ~ treat01 + I(9**9**9)", term="treat01")
out = effects.compute([bomb], RunContext(frames={"d": frame}, framework=None))["e"]
print(json.dumps({"estimable": out["estimable"], "reason": out["reason"]}))
"""
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True
    )
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert out["estimable"] is False
    assert out["reason"]["en"].startswith("formula refused: ")
