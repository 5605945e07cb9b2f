"""Verdict rules on hand-made grids, and the seeded weight-sensitivity draws."""

from __future__ import annotations

import math

import numpy as np
import pytest

from evalsoc.framework.model import Framework
from evalsoc.sections.context import RunContext
from evalsoc.sections.criteria import compute as criteria
from evalsoc.sections.criteria.indicator_findings import quantitative_level
from evalsoc.sections.criteria.outcome_findings import capability_change, effect_reading
from evalsoc.sections.criteria.verdict import combine_levels
from evalsoc.sections.criteria.weights import rank_kept, weight_sensitivity
from evalsoc.sections.qualitative.config import QuantitativeRule, VerdictRules


@pytest.mark.parametrize(
    ("value", "target", "better", "baseline", "level", "ratio"),
    [
        (0.46, 0.40, "higher", None, "satisfaisant", 1.15),
        (0.48, 0.40, "higher", None, "remarquable", 1.2),  # ≥ 1.2 × target
        (0.35, 0.40, "higher", None, "fragile", 0.875),
        (0.35, 0.40, "higher", 0.30, "fragile", 0.875),  # progress on the baseline
        (0.35, 0.40, "higher", 0.36, "insuffisant", 0.875),  # below target and baseline
        (0.30, 0.40, "higher", None, "insuffisant", 0.75),  # far below: under 0.8 × target
        (8.0, 10.0, "lower", None, "remarquable", 1.25),  # lower is better: target/value
        (10.0, 10.0, "lower", None, "satisfaisant", 1.0),
        (11.0, 10.0, "lower", None, "fragile", 10 / 11),
        (0.0, 10.0, "lower", None, "remarquable", math.inf),
        (0.5, 0.0, "higher", None, "satisfaisant", None),  # no ratio: met
        (-0.5, 0.0, "higher", None, "fragile", None),  # no ratio: missed
    ],
)
def test_quantitative_rule(value, target, better, baseline, level, ratio) -> None:
    got, got_ratio = quantitative_level(value, target, better, baseline)
    assert got == level
    assert got_ratio == (pytest.approx(ratio) if ratio is not None else None)


def test_declared_ratios() -> None:
    rule = QuantitativeRule(remarquable=1.5, satisfaisant=0.95, fragile=0.5)
    assert quantitative_level(0.39, 0.40, rule=rule)[0] == "satisfaisant"
    assert quantitative_level(0.55, 0.40, rule=rule)[0] == "satisfaisant"
    assert quantitative_level(0.60, 0.40, rule=rule)[0] == "remarquable"
    assert quantitative_level(0.21, 0.40, rule=rule)[0] == "fragile"
    with pytest.raises(ValueError, match="must decrease"):
        QuantitativeRule(remarquable=1.0, satisfaisant=1.2)


def test_combine_levels() -> None:
    levels = ["remarquable", "fragile", "satisfaisant", "satisfaisant"]
    assert combine_levels(levels, "median") == "satisfaisant"
    assert combine_levels(["remarquable", "fragile"], "median") == "fragile"  # lower median
    assert combine_levels(levels, "min") == combine_levels(levels, "worst") == "fragile"
    assert combine_levels(levels, "max") == "remarquable"
    assert combine_levels([], "median") is None


def test_effect_reading() -> None:
    assert effect_reading(0.1, 0.02, 0.18, None, "higher", 0.05) == "favourable"
    assert effect_reading(0.1, -0.02, 0.18, None, "higher", 0.05) == "inconclusive"
    assert effect_reading(-0.1, -0.18, -0.02, None, "higher", 0.05) == "unfavourable"
    assert effect_reading(-0.1, -0.18, -0.02, None, "lower", 0.05) == "favourable"
    assert effect_reading(0.1, None, None, 0.01, "higher", 0.05) == "favourable"
    assert effect_reading(0.1, None, None, 0.2, "higher", 0.05) == "inconclusive"


def framework(dimensions: list[dict], **extra) -> Framework:
    return Framework.model_validate(
        {"evalsoc": 1, "id": "t", "title": "Test", "dimensions": dimensions, **extra}
    )


def quant(ind_id: str, target: float | None = 0.4, **extra) -> dict:
    return {"id": ind_id, "proportion": "employed", "data": "p", "target": target, **extra}


def rubric(ind_id: str) -> dict:
    return {"id": ind_id, "rubric": {"data": "j"}}


SCALE = [
    {"id": lvl, "label": {"fr": lvl, "en": lvl}, "verdict": lvl}
    for lvl in ("insuffisant", "fragile", "satisfaisant", "remarquable")
]


def run(fw: Framework, results: dict, seed: int = 1) -> tuple[dict, RunContext]:
    ctx = RunContext(frames={}, framework=fw, seed=seed, min_cell=10, results=results)
    return criteria.compute(fw, ctx), ctx


def indicator(value, target=0.4, status=None, **extra) -> dict:
    return {
        "kind": "proportion",
        "value": value,
        "target": target,
        "ci_low": None,
        "ci_high": None,
        "status": status or "met",
        "better": "higher",
        **extra,
    }


def rubric_result(median: str | None, alpha: float | None = 0.8, suppressed=False) -> dict:
    return {
        "kind": "rubric",
        "scale": SCALE,
        "median_level": median,
        "lower_quartile_level": "fragile",
        "n_rated": 30,
        "n_raters": 30,
        "n_insufficient": 2,
        "suppressed": suppressed,
        "agreement": {
            "alpha": alpha,
            "min_alpha": 0.667,
            "below_min": alpha is not None and alpha < 0.667,
        },
    }


def test_grid_verdicts_with_rationale() -> None:
    fw = framework(
        [
            {
                "id": "emploi",
                "criteria": [
                    {"id": "sorties", "indicators": [quant("taux"), rubric("jug")]},
                    {"id": "vide"},
                    {"id": "masque", "indicators": [quant("petit")]},
                ],
            },
        ]
    )
    results = {
        "indicators": {
            "taux": indicator(0.50),  # ratio 1.25 → remarquable
            "jug": rubric_result("fragile", alpha=0.5),
            "petit": indicator(None, status="suppressed", suppressed=True),
        }
    }
    out, ctx = run(fw, results)
    sorties = out["criteria"]["sorties"]
    # median of [remarquable, fragile] is the lower one.
    assert sorties["verdict"] == "fragile"
    assert [i["level"] for i in sorties["indicators"]] == ["remarquable", "fragile"]
    assert (
        "50,0\u00a0%" in sorties["rationale"]["fr"] and "rapport 1,25" in sorties["rationale"]["fr"]
    )
    assert "50.0%" in sorties["rationale"]["en"] and "ratio 1.25" in sorties["rationale"]["en"]
    assert "accord faible" in sorties["rationale"]["fr"]
    # A criterion without evidence is kept, with its own verdict and rationale.
    assert out["criteria"]["vide"]["verdict"] == "preuves_insuffisantes"
    assert "no indicator or evidence" in out["criteria"]["vide"]["rationale"]["en"]
    assert out["criteria"]["masque"]["verdict"] == "preuves_insuffisantes"
    assert out["criteria"]["masque"]["indicators"][0]["used"] is False
    assert [p["criterion"] for p in out["dimensions"]["emploi"]["profile"]] == [
        "sorties",
        "vide",
        "masque",
    ]
    assert out["dimensions"]["emploi"]["counts"]["preuves_insuffisantes"] == 2
    assert out["synthesis"] == {"mode": "profile"}
    assert out["dimensions"]["emploi"]["score"] is None
    assert {w["id"] for w in ctx.warnings} == {"vide", "masque"}


def test_declared_rules_min_and_lower_quartile() -> None:
    fw = framework(
        [
            {
                "id": "d",
                "criteria": [
                    {
                        "id": "c",
                        "indicators": [quant("taux"), rubric("jug")],
                        "verdict": {
                            "combine": "max",
                            "rubric": "lower_quartile",
                            "quantitative": {"satisfaisant": 1.0, "remarquable": 1.1},
                        },
                    }
                ],
            }
        ]
    )
    results = {"indicators": {"taux": indicator(0.45), "jug": rubric_result("remarquable")}}
    out, _ = run(fw, results)
    levels = [i["level"] for i in out["criteria"]["c"]["indicators"]]
    assert levels == ["remarquable", "fragile"]  # 0.45/0.40 = 1.125 ≥ 1.1; lower quartile
    assert out["criteria"]["c"]["verdict"] == "remarquable"


def test_no_target_and_not_estimable_indicators_give_no_level() -> None:
    fw = framework(
        [
            {
                "id": "d",
                "criteria": [{"id": "c", "indicators": [quant("a", target=None), quant("b")]}],
            }
        ]
    )
    results = {
        "indicators": {
            "a": indicator(0.3, target=None, status="no_target"),
            "b": indicator(None, status="not_estimable", reason="aucune ligne"),
        }
    }
    out, _ = run(fw, results)
    crit = out["criteria"]["c"]
    assert crit["verdict"] == "preuves_insuffisantes"
    assert "sans cible" in crit["rationale"]["fr"] and "aucune ligne" in crit["rationale"]["fr"]


EFFECTS = {
    "fav": {"estimable": True, "estimate": 0.1, "ci_low": 0.03, "ci_high": 0.17, "design": "did"},
    "flat": {"estimable": True, "estimate": 0.04, "ci_low": -0.03, "ci_high": 0.11},
    "bad": {"estimable": True, "estimate": -0.1, "ci_low": -0.17, "ci_high": -0.03},
    "na": {"estimable": False, "estimate": None, "reason": "un seul groupe"},
}


@pytest.mark.parametrize(
    ("mode", "evidence", "verdict"),
    [
        ("cap", ["fav"], "remarquable"),
        ("cap", ["flat"], "satisfaisant"),  # not established: no better than satisfaisant
        ("cap", ["bad"], "fragile"),
        ("cap", ["flat", "bad"], "fragile"),
        ("cite", ["bad"], "remarquable"),
        ("level", ["bad"], "insuffisant"),  # median of [remarquable, insuffisant] → lower
        ("level", ["fav"], "satisfaisant"),
        ("cap", ["na"], "remarquable"),
    ],
)
def test_effects_weigh_by_rule(mode: str, evidence: list[str], verdict: str) -> None:
    fw = framework(
        [
            {
                "id": "d",
                "criteria": [
                    {
                        "id": "c",
                        "indicators": [quant("taux")],
                        "evidence": evidence,
                        "verdict": {"effects": mode},
                    }
                ],
            }
        ]
    )
    out, _ = run(fw, {"indicators": {"taux": indicator(0.6)}, "effects": EFFECTS})
    assert out["criteria"]["c"]["verdict"] == verdict


def test_effect_only_criteria_and_direction() -> None:
    fw = framework(
        [
            {
                "id": "d",
                "criteria": [
                    {"id": "seul", "evidence": ["flat"]},
                    {"id": "baisse", "evidence": ["bad"], "verdict": {"better": {"bad": "lower"}}},
                    {"id": "cite", "evidence": ["fav"], "verdict": {"effects": "cite"}},
                    {"id": "absent", "evidence": ["nowhere"]},
                ],
            }
        ]
    )
    out, ctx = run(fw, {"effects": EFFECTS})
    assert out["criteria"]["seul"]["verdict"] == "fragile"  # inconclusive, read as a level
    assert "cited effects count as levels" in out["criteria"]["seul"]["rationale"]["en"]
    assert out["criteria"]["baisse"]["verdict"] == "satisfaisant"
    assert out["criteria"]["baisse"]["evidence"][0]["reading"] == "favourable"
    assert out["criteria"]["cite"]["verdict"] == "preuves_insuffisantes"
    assert out["criteria"]["absent"]["evidence"][0]["source"] == "unknown"
    assert any("nowhere" in w["message"] for w in ctx.warnings)


def capability_result(absolute: float, ci: list[float]) -> dict:
    """The shape written by the capability section (change.comparisons[].results[k].M0)."""
    return {
        "results": [{"k": "1/3", "M0": 0.21, "H": 0.4}],
        "change": {
            "waves": [{"wave": "0"}, {"wave": "1"}],
            "comparisons": [
                {
                    "from": "0",
                    "to": "1",
                    "results": [{"k": "1/3", "M0": {"absolute": absolute, "absolute_ci": ci}}],
                }
            ],
        },
    }


def test_capability_change_reads_as_evidence() -> None:
    fall = capability_result(-0.08, [-0.12, -0.04])
    assert capability_change(fall) == (-0.08, -0.12, -0.04)
    assert capability_change({"results": []}) is None
    fw = framework(
        [
            {
                "id": "d",
                "criteria": [
                    {"id": "mieux", "evidence": ["pa"]},
                    {"id": "pareil", "evidence": ["pb"]},
                    {"id": "sans", "evidence": ["pc"]},
                ],
            }
        ]
    )
    results = {
        "capabilities": {
            "pa": fall,
            "pb": capability_result(-0.01, [-0.05, 0.03]),
            "pc": {"results": [{"k": "1/3", "M0": 0.2, "H": 0.4}], "change": None},
        }
    }
    out, _ = run(fw, results)
    # M0 counts deprivation: a conclusive fall is favourable → satisfaisant.
    assert out["criteria"]["mieux"]["verdict"] == "satisfaisant"
    assert out["criteria"]["pareil"]["verdict"] == "fragile"
    assert out["criteria"]["sans"]["verdict"] == "preuves_insuffisantes"
    assert "M0 = 0,21" in out["criteria"]["mieux"]["rationale"]["fr"]


def test_rank_kept_counts_tied_blocks() -> None:
    base = np.array([3.0, 3.0, 1.0])
    drawn = np.array([[1, 2, 3], [2, 1, 3], [1, 3, 2]])
    assert rank_kept(base, drawn).tolist() == [1.0, 2 / 3, 2 / 3]


def weighted_grid(conc: float = 20.0, seed: int = 3, draws: int = 400) -> Framework:
    return framework(
        [
            {
                "id": "a",
                "weight": 2,
                "criteria": [
                    {"id": "a1", "weight": 3, "indicators": [quant("ia1")]},
                    {"id": "a2", "weight": 1, "indicators": [quant("ia2")]},
                ],
            },
            {
                "id": "b",
                "weight": 1,
                "criteria": [
                    {"id": "b1", "indicators": [quant("ib1")]},
                    {"id": "b2", "indicators": [quant("ib2")]},
                ],
            },
            {"id": "c", "criteria": [{"id": "c1"}]},
        ],
        synthesis={"draws": draws, "concentration": conc, "seed": seed},
    )


WEIGHTED_RESULTS = {
    "indicators": {
        "ia1": indicator(0.5),  # remarquable (4 points)
        "ia2": indicator(0.3),  # insuffisant (1)
        "ib1": indicator(0.42),  # satisfaisant (3)
        "ib2": indicator(0.42),  # satisfaisant (3)
    }
}


def test_weighted_score_by_hand_and_reproducible() -> None:
    out, _ = run(weighted_grid(), WEIGHTED_RESULTS)
    dims, syn = out["dimensions"], out["synthesis"]
    # a: (3·4 + 1·1)/4 = 3.25; b: 3; overall (2·3.25 + 1·3)/3 = 9.5/3; c has no verdict.
    assert dims["a"]["score"] == pytest.approx(3.25)
    assert dims["b"]["score"] == pytest.approx(3.0)
    assert (
        dims["c"]["score"] is None
        and dims["c"]["score_reason"]["en"] == "no criterion with a verdict"
    )
    assert syn["score"] == pytest.approx(9.5 / 3) and syn["band"] == "satisfaisant"
    assert dims["a"]["rank"] == 1 and dims["b"]["rank"] == 2
    assert out["criteria"]["a1"]["weight"] == pytest.approx(0.75)
    assert out["criteria"]["a1"]["contribution"] == pytest.approx(2 / 3 * 0.75 * 4)
    again, _ = run(weighted_grid(), WEIGHTED_RESULTS)
    assert again == out
    other, _ = run(weighted_grid(seed=4), WEIGHTED_RESULTS)
    assert other["dimensions"]["a"]["rank_stability"] != out["dimensions"]["a"]["rank_stability"]
    # a (3.25) and b (3.0) are close: a's first place does not survive every draw.
    assert 0.5 < dims["a"]["rank_stability"] < 1.0
    assert "rank:a" in syn["changed"] and "top:a" in syn["changed"]
    stable = {c["id"]: c["stable_share"] for c in syn["conclusions"]}
    assert stable["band:b"] == 1.0  # b's criteria are both satisfaisant: any weights give 3


def test_tight_draws_keep_every_conclusion() -> None:
    out, _ = run(weighted_grid(conc=1e7), WEIGHTED_RESULTS)
    assert out["dimensions"]["a"]["rank_stability"] == 1.0
    assert out["synthesis"]["changed"] == []


def test_weight_sensitivity_draws_match_a_direct_dirichlet_computation() -> None:
    points = [np.array([4.0, 1.0]), np.array([3.0, 3.0])]
    weights = [np.array([3.0, 1.0]), np.array([1.0, 1.0])]
    s = weight_sensitivity(
        points,
        weights,
        np.array([2.0, 1.0]),
        draws=300,
        concentration=20,
        rng=np.random.default_rng(9),
        bands=np.array([1.0, 2, 3, 4]),
    )
    rng = np.random.default_rng(9)
    wa = rng.dirichlet(20 * np.array([0.75, 0.25]), size=300)
    wb = rng.dirichlet(20 * np.array([0.5, 0.5]), size=300)
    big = rng.dirichlet(20 * np.array([2 / 3, 1 / 3]), size=300)
    score_a, score_b = wa @ points[0], wb @ points[1]
    assert s["dimension_rank_stability"][0] == pytest.approx(np.mean(score_a > score_b))
    overall = big[:, 0] * score_a + big[:, 1] * score_b
    assert s["overall_interval"] == pytest.approx(np.quantile(overall, [0.05, 0.95]).tolist())


def test_rules_config_errors() -> None:
    with pytest.raises(ValueError, match="combine"):
        VerdictRules(combine="mean")
    with pytest.raises(ValueError, match="points"):
        framework([], synthesis={"points": {"insuffisant": 1, "fragile": 2}})


def test_a_not_estimable_effect_or_indicator_is_cited_with_its_reason_in_each_language():
    """A coded reason `{code, fr, en}` reads in the finding's language (it once printed the
    dict itself)."""
    from evalsoc.problems import problem
    from evalsoc.sections.criteria.indicator_findings import _quantitative
    from evalsoc.sections.criteria.outcome_findings import _effect

    rules = VerdictRules()
    effect = _effect("emploi", {"estimable": False, "reason": problem("no_treated")}, rules, None)
    assert "personne dans le groupe du dispositif" in effect.text["fr"]
    assert "no one in the programme group" in effect.text["en"]
    assert "code" not in effect.text["fr"] and "{" not in effect.text["en"]

    class Indicator:
        id, kind, target, better, label = "taux", "mean", None, "higher", None

    res = {"status": "not_estimable", "value": None, "reason": problem("no_rows_with_value")}
    finding = _quantitative(Indicator(), res, rules)
    assert "aucune ligne n'a de valeur" in finding.text["fr"]
    assert "no rows with a value" in finding.text["en"]
