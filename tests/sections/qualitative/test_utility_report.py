"""Report fragments of judgements, the profile grid and volunteering: privacy and escaping."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from evalsoc.framework.model import Framework
from evalsoc.sections.context import RunContext
from evalsoc.sections.criteria import compute as criteria_measure
from evalsoc.sections.criteria import render as criteria
from evalsoc.sections.qualitative import render as utility
from evalsoc.sections.qualitative.compute import compute_rubric_indicator, compute_themes_indicator
from evalsoc.sections.volunteering import render as volunteering

SCRIPT = "<script>alert('x')</script> elle ne sort plus seule"


def judgements() -> pd.DataFrame:
    rng = np.random.default_rng(4)
    levels = ["insuffisant", "fragile", "satisfaisant", "remarquable"]
    rows = []
    for i in range(24):
        role = "habitants" if i < 12 else "salaries" if i < 22 else "financeurs"
        for crit in ("isolement", "participation"):
            rows.append(
                {
                    "rater": f"Mme Rater{i:02d}",
                    "role": role,
                    "criterion": crit,
                    "level": levels[int(rng.integers(1, 4))],
                    "evidence": f"témoignage {crit} numéro {i}",
                }
            )
    df = pd.DataFrame(rows)
    df.loc[0, "evidence"] = SCRIPT
    return df


def coding() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "source": [f"e{i}" for i in range(12)] * 2,
            "role": ["habitants"] * 24,
            "code": ["entraide"] * 12 + ["confiance"] * 12,
            "criterion": ["participation"] * 24,
            "excerpt": [f"verbatim secret {i}" for i in range(24)],
        }
    )


def make_framework(publish: bool, lang: str = "fr") -> Framework:
    return Framework.model_validate(
        {
            "evalsoc": 1,
            "id": "t",
            "title": "T",
            "language": lang,
            "privacy": {"min_cell": 10},
            "report": {"publish_quotes": publish},
            "dimensions": [
                {
                    "id": "lien",
                    "label": "Lien <b>social</b>",
                    "criteria": [
                        # No `where`: the rows hold both criteria, only isolement's quotes may print.
                        {
                            "id": "isolement",
                            "label": "Isolement",
                            "indicators": [
                                {
                                    "id": "jug",
                                    "rubric": {"data": "j", "people_served_roles": ["habitants"]},
                                }
                            ],
                        },
                        {
                            "id": "participation",
                            "label": "Participation",
                            "indicators": [{"id": "th", "themes": {"data": "c"}}],
                        },
                        {"id": "sans_preuve", "label": "Critère sans preuve"},
                    ],
                }
            ],
        }
    )


def results_for(fw: Framework) -> tuple[dict, dict]:
    ctx = RunContext(frames={"j": judgements(), "c": coding()}, framework=fw, min_cell=10)
    indicators = {
        "jug": {"kind": "rubric", **compute_rubric_indicator(fw.all_indicators()[0][2], ctx)},
        "th": {"kind": "themes", **compute_themes_indicator(fw.all_indicators()[1][2], ctx)},
    }
    ctx.results["indicators"] = indicators
    return indicators, criteria_measure.compute(fw, ctx)


def test_free_text_never_printed_without_publish_quotes() -> None:
    fw = make_framework(publish=False)
    indicators, _ = results_for(fw)
    assert any(q["text"] == SCRIPT for q in indicators["jug"]["evidence"])  # kept in results
    html = utility.render(indicators, fw, "fr")
    assert "<section" in html and "Jugements des parties prenantes" in html
    for fragment in ("script", "alert", "témoignage", "verbatim", "Rater"):
        assert fragment not in html
    assert "publish_quotes" in html


def test_published_quotes_are_escaped_and_of_the_rated_criterion_only() -> None:
    fw = make_framework(publish=True)
    indicators, _ = results_for(fw)
    html = utility.render(indicators, fw, "fr")
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html
    assert "témoignage isolement numéro 5" in html
    assert "témoignage participation" not in html
    assert "verbatim secret 3" in html  # themes excerpts of the participation criterion
    assert "Rater" not in html  # never the rater's identity
    # financeurs (2 raters) is a suppressed cell: their quotes carry no role.
    assert "financeurs" in html and html.count("· financeurs") == 0


def test_rubric_fragment_numbers_and_agreement() -> None:
    fw = make_framework(publish=False, lang="en")
    indicators, _ = results_for(fw)
    html = utility.render(indicators, fw, "en")
    res = indicators["jug"]
    assert "Krippendorff" in html and f"{res['agreement']['alpha']:.3f}" in html
    assert "<svg" in html and "http://www.w3.org/2000/svg" in html
    assert "People served: 12 raters" in html
    assert "suppressed (fewer than 10 raters" in html
    assert "src=" not in html and "https://" not in html


def test_profile_grid_keeps_criteria_without_evidence_and_escapes_labels() -> None:
    fw = make_framework(publish=False)
    _, crit_results = results_for(fw)
    html = criteria.render(crit_results, fw, "fr")
    assert "Critère sans preuve" in html
    assert 'verdict-preuves_insuffisantes">Preuves insuffisantes' in html
    assert "Lien &lt;b&gt;social&lt;/b&gt;" in html and "<b>social" not in html
    # The profile shows verdicts; the rationale is told once, in the grid and the synthesis.
    assert "aucun indicateur ni aucune preuve" not in html
    # Criteria still missing from the results are listed, not dropped.
    html_missing = criteria.render({"criteria": {}, "dimensions": {}}, fw, "en")
    assert html_missing.count("no result") == 6  # 3 in the matrix, 3 in the table


def test_weighted_profile_shows_stability() -> None:
    fw = Framework.model_validate(
        {
            "evalsoc": 1,
            "id": "t",
            "title": "T",
            "synthesis": {"draws": 200, "seed": 1},
            "dimensions": [
                {
                    "id": "a",
                    "weight": 2,
                    "criteria": [
                        {
                            "id": "a1",
                            "indicators": [
                                {"id": "x", "proportion": "e", "data": "p", "target": 0.4}
                            ],
                        }
                    ],
                },
                {"id": "b", "weight": 1, "criteria": [{"id": "b1"}]},
            ],
        }
    )
    ctx = RunContext(
        frames={},
        framework=fw,
        results={
            "indicators": {
                "x": {"kind": "proportion", "value": 0.5, "target": 0.4, "status": "met"}
            }
        },
    )
    out = criteria_measure.compute(fw, ctx)
    section = {
        "criteria": out["criteria"],
        "dimensions": out["dimensions"],
        "synthesis": out["synthesis"],
    }
    html = criteria.render(section, fw, "en")
    assert "Weighted score: 4.00 (outstanding) · rank 1, kept in 100%" in html
    assert "200 Dirichlet draws" in html
    assert "No score: no criterion with a verdict." in html


def test_volunteering_fragment_names_the_method() -> None:
    res = {
        "method": "opportunity_cost",
        "currency": "EUR",
        "source": "declared",
        "method_text": {"fr": "coût d'opportunité (un taux horaire unique déclaré)", "en": "x"},
        "rate_source": "SMIC <2025>",
        "fte_hours": 1607,
        "total_persons": 34,
        "total_hours": 3200,
        "total_fte": 1.99,
        "total_value": 48864.0,
        "by_category": [
            {
                "category": "g",
                "label": {"fr": "Gouvernance"},
                "persons": 9,
                "hours": 400,
                "fte": 0.25,
                "rate": 15.27,
                "value": 6108.0,
            },
            {"category": "p", "label": {"fr": "Ponctuel"}, "suppressed": True},
        ],
        "accounting": {"fr": "Contribution volontaire en nature (classe 8)"},
    }
    html = volunteering.render(res, None, "fr")
    assert "coût d&#39;opportunité" in html and "SMIC &lt;2025&gt;" in html
    assert "48\u202f864\u00a0€" in html or "48\u00a0864\u00a0€" in html
    assert "15,27\u00a0€/h" in html and "masqué" in html and "classe 8" in html
    assert volunteering.render({}, None, "fr") == ""


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_empty_utility_section(lang: str) -> None:
    assert utility.render({}, make_framework(False), lang) == ""


def test_small_theme_counts_and_their_excerpts_are_not_printed() -> None:
    fw = make_framework(publish=True)
    coded = coding()
    rare = pd.DataFrame(
        {
            "source": ["e0", "e1", "e2"],
            "role": ["habitants"] * 3,
            "code": ["isolement"] * 3,
            "criterion": ["participation"] * 3,
            "excerpt": ["verbatim rare 1", "verbatim rare 2", "verbatim rare 3"],
        }
    )
    ctx = RunContext(frames={"c": pd.concat([coded, rare])}, framework=fw, min_cell=10)
    res = {"kind": "themes", **compute_themes_indicator(fw.all_indicators()[1][2], ctx)}
    # isolement (3 sources) is hidden, and confiance with it: otherwise the 36 segments minus
    # the shown codes' would give isolement's 3 back.
    assert res["suppressed_codes"] == ["confiance", "isolement"]
    assert list(res["frequency"]) == ["entraide"]
    html = utility.render({"th": res}, fw, "fr")
    assert "verbatim rare" not in html and "verbatim secret 15" not in html  # confiance
    assert "verbatim secret 3" in html  # entraide
    assert '<td>isolement</td><td class="suppressed" colspan="3">masqué' in html
    assert ">3<" not in html  # the hidden code's 3 sources and 3 segments


def test_people_served_suppressed_is_said_so() -> None:
    fw = make_framework(publish=False, lang="en")
    df = judgements()
    ctx = RunContext(frames={"j": df, "c": coding()}, framework=fw, min_cell=10)
    ind = fw.all_indicators()[0][2].model_copy(
        update={
            "rubric": fw.all_indicators()[0][2].rubric.model_copy(
                update={"people_served_roles": ["financeurs"]}
            )
        }
    )
    res = {"kind": "rubric", **compute_rubric_indicator(ind, ctx)}
    assert res["people_served"]["suppressed"] and res["people_served"]["n_raters"] is None
    html = utility.render({"jug": res}, fw, "en")
    assert "Participation of the people served suppressed (fewer than 10 raters" in html
    assert "People served:" not in html


def test_volunteering_fragment_withholds_unvalued_hours_of_a_small_category() -> None:
    res = {
        "method": "replacement_cost",
        "currency": "EUR",
        "source": "data",
        "fte_hours": 1607,
        "total_persons": 30,
        "total_hours": 700,
        "total_fte": 0.44,
        "total_value": 9000.0,
        "unvalued_hours": None,
        "unvalued_hours_suppressed": True,
        "by_category": [
            {"category": "g", "label": {"fr": "Gouvernance"}, "suppressed": True},
            {"category": None, "label": {"fr": "Autres catégories"}, "suppressed": True},
        ],
    }
    html = volunteering.render(res, make_framework(False), "fr")
    assert "Des heures sans taux ne sont pas valorisées (leur nombre n&#39;est pas publié" in html
    assert (
        "moins de 10 bénévoles" in html and "heures sans taux ne sont pas valorisées." not in html
    )


@pytest.mark.parametrize(
    ("lang", "shown", "hidden"),
    [
        ("fr", "0 « preuves insuffisantes »", "leur nombre masqué par le secret statistique"),
        ("en", "0 &#39;insufficient evidence&#39;", "their number hidden by the privacy rule"),
    ],
)
def test_a_hidden_count_of_insufficient_evidence_is_said_hidden_not_zero(
    lang: str, shown: str, hidden: str
) -> None:
    fw = make_framework(publish=False, lang=lang)
    indicators, _ = results_for(fw)
    assert indicators["jug"]["n_insufficient"] == 0  # no judgement says "insufficient evidence"
    assert shown in utility.render(indicators, fw, lang)
    indicators["jug"]["n_insufficient"] = None  # as the privacy rule publishes a hidden count
    html = utility.render(indicators, fw, lang)
    assert hidden in html and shown not in html
