"""Stakeholders' valuation and materiality (sections/criteria/elicitation.py) through
`evalsoc run` on tests/data/practice/valuation.yaml (rankings of three SROI outcomes by four
roles; the hand-worked weights are in its header) and valuation-ratings.yaml."""

from __future__ import annotations

import pytest
from tests.practice_run import DATA, cli, run_practice, variant

from evalsoc.stats.elicited_weights import rank_order_centroid, rank_sum


def test_roc_and_rank_sum_weights_for_three_ranks():
    assert rank_order_centroid(3) == pytest.approx([0.6111, 0.2778, 0.1111], abs=5e-5)
    assert rank_order_centroid(3) == pytest.approx([11 / 18, 5 / 18, 2 / 18])
    assert rank_sum(3) == pytest.approx([0.5, 0.3333, 0.1667], abs=5e-5)
    assert sum(rank_order_centroid(7)) == pytest.approx(1) == sum(rank_sum(7))


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    return run_practice("valuation.yaml", tmp_path_factory.mktemp("val") / "fr")


def test_overall_weights_are_the_mean_of_the_roles(run):
    valuation = run[0]["valuation"]
    assert valuation["method"] == "roc" and valuation["respondents"] == 36
    # (11 + 5 + 2 + 11)/72, (5 + 11 + 5 + 2)/72, (2 + 2 + 11 + 5)/72
    assert valuation["weights"] == pytest.approx(
        {"emploi": 29 / 72, "sante": 23 / 72, "lien": 20 / 72}
    )
    roles = {r["value"]: r for r in valuation["by_role"]}
    assert roles["habitants"]["weights"] == pytest.approx(
        {"emploi": 11 / 18, "sante": 5 / 18, "lien": 2 / 18}
    )
    assert roles["habitants"]["respondents"] == 12 and roles["salaries"]["respondents"] == 11


def test_small_role_and_its_complement_are_suppressed(run):
    roles = {r["value"]: r for r in run[0]["valuation"]["by_role"]}
    # benevoles: 3 < 10; financeurs (10, the smallest other) hidden too, or the overall mean
    # minus the published roles would give the volunteers' weights back.
    assert roles["benevoles"]["suppressed"] and roles["benevoles"]["reason"]["code"] == "small_cell"
    assert roles["financeurs"]["suppressed"] and roles["financeurs"]["reason"]["code"] == (
        "complement"
    )
    for hidden in ("benevoles", "financeurs"):
        assert roles[hidden]["weights"] is None and roles[hidden]["respondents"] is None


def test_spread_is_over_published_roles(run):
    spread = run[0]["valuation"]["spread"]["emploi"]
    assert spread["roles"] == 2
    assert (spread["min"], spread["max"]) == pytest.approx((5 / 18, 11 / 18))
    assert spread["sd"] == pytest.approx((6 / 18) / 2**0.5)  # two values: |a − b| / √2


def test_immaterial_outcome_leaves_the_sroi(run, tmp_path):
    results = run[0]
    rule = results["valuation"]["materiality"]
    assert rule["immaterial"] == ["lien"]  # 20/72 = 0.2778 < 0.30
    assert rule["by_role"] == {"habitants": ["sante", "lien"], "salaries": ["emploi", "lien"]}
    assert rule["stable"] is False
    left = {row["id"]: row for row in results["sroi"]["non_monetised"]}
    assert left["lien"]["cause"] == "not_material"
    assert "0,2778" in left["lien"]["reason"]["fr"] and "0.2778" in left["lien"]["reason"]["en"]
    # Without the rule, lien's 20 × 300 joins emploi's 24 × 1,000 and sante's 10 × 500.
    path = variant(tmp_path, "valuation.yaml", "  materiality: {min_weight: 0.30}\n", "")
    from evalsoc.pipeline import run_framework

    whole = run_framework(str(path), write=False).data
    assert results["sroi"]["ratio"] / whole["sroi"]["ratio"] == pytest.approx(29_000 / 35_000)


def test_report_shows_weights_and_materiality_in_both_languages(run, tmp_path):
    html = run[1]
    assert '<li><a href="#valuation">Ce qui compte pour les parties prenantes</a></li>' in html
    assert "36 répondants ont classé l&#39;importance des effets" in html
    assert "habitants (12 répondants)" in html and "61,1\u00a0%" in html
    # (the glossary links the word SROI, so the sentence is checked around it)
    assert "Non retenus dans le " in html and " : « Lien social »." in html
    assert "non retenu car non matériel" in html  # the SROI's list of outcomes left out
    _, english = run_practice("valuation.yaml", tmp_path / "en", lang="en")
    assert '<li><a href="#valuation">What matters to stakeholders</a></li>' in english
    assert "Left out of the " in english and ": ‘Social ties’." in english
    assert "with the residents&#39; weights, left out" in english
    assert "répondants" not in english


def test_rank_sum_variant(tmp_path):
    path = variant(tmp_path, "valuation.yaml", "method: roc", "method: rank_sum")
    from evalsoc.pipeline import run_framework

    results = run_framework(str(path), write=False)
    weights = results.data["valuation"]["weights"]
    # rank sum n = 3: 3/6, 2/6, 1/6; emploi (3+2+1+3)/24, sante (2+3+2+1)/24, lien (1+1+3+2)/24
    assert weights == pytest.approx({"emploi": 9 / 24, "sante": 8 / 24, "lien": 7 / 24})
    assert results.data["valuation"]["materiality"]["immaterial"] == ["lien"]


def test_mean_ratings_normalised(tmp_path):
    from evalsoc.pipeline import run_framework

    results = run_framework(str(DATA / "valuation-ratings.yaml"), write=False).data
    valuation = results["valuation"]
    # habitants (10) rate 4, 3, 1 → 4/8, 3/8, 1/8; salaries (10) rate 2, 2, 4 → 1/4, 1/4, 1/2
    assert valuation["weights"] == pytest.approx(
        {"acces_emploi": 0.375, "sante_globale": 0.3125, "lien_social": 0.3125}
    )
    assert valuation["mean_ratings"] == pytest.approx(
        {"acces_emploi": 3.0, "sante_globale": 2.5, "lien_social": 2.5}
    )
    assert valuation["materiality"]["immaterial"] == []


def _with_data(tmp_path, old: str, new: str):
    path = variant(tmp_path, "valuation.yaml", "rank: rang", "rank: rang")
    text = (tmp_path / "priorites.csv").read_text(encoding="utf-8")
    assert old in text
    (tmp_path / "priorites.csv").write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "r01;habitants;lien;3",
            "r01;habitants;logement;3",
            "'logement' is not one of the outcomes",
        ),
        ("r01;habitants;lien;3", "r01;habitants;lien;2", "the ranks must be 1 to 3"),
        ("r01;habitants;lien;3", "r01;partenaires;lien;3", "role 'partenaires' is not declared"),
    ],
)
def test_bad_rankings_are_errors(tmp_path, old, new, message):
    path = _with_data(tmp_path, old, new)
    if "partenaires" in new:  # the category check would quarantine it first: declare the value
        text = path.read_text(encoding="utf-8").replace("benevoles]}", "benevoles, partenaires]}")
        path.write_text(text, encoding="utf-8")
    done = cli("run", str(path), "--out", str(tmp_path / "out"), "--lang", "en")
    assert done.returncode == 2, done.stderr
    assert message in done.stderr and "priorites" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_declared_role_nobody_has_is_an_error(tmp_path):
    path = variant(
        tmp_path,
        "valuation.yaml",
        "benevoles: volunteers}",
        "benevoles: volunteers, partenaires: partners}",
    )
    done = cli("run", str(path), "--out", str(tmp_path / "out"), "--lang", "en")
    assert done.returncode == 2, done.stderr
    assert "valuation.yaml:" in done.stderr
    assert "no respondent has the role 'partenaires'" in done.stderr


def test_unknown_role_word_is_a_framework_error(tmp_path):
    path = variant(tmp_path, "valuation.yaml", "salaries: staff", "salaries: salariat")
    done = cli("validate", str(path), "--lang", "en")
    assert done.returncode == 2 and "unknown role 'salariat'" in done.stderr
    assert "valuation.yaml:" in done.stderr


def test_synthesis_takes_the_elicited_weights(tmp_path):
    from evalsoc.pipeline import run_framework

    results = run_framework(str(DATA / "valuation-ratings.yaml"), write=False).data
    verdicts = {k: v["verdict"] for k, v in results["criteria"].items()}
    assert verdicts == {
        "acces_emploi": "remarquable",
        "sante_globale": "insuffisant",
        "lien_social": "remarquable",
    }
    # 0.375 × 4 + 0.3125 × 1 + 0.3125 × 4 = 3.0625; "vie" weighs 0.3125 + 0.3125.
    assert results["synthesis"]["score"] == pytest.approx(3.0625)
    assert results["dimensions"]["vie"]["weight"] == pytest.approx(0.625)
    declared = variant(tmp_path, "valuation-ratings.yaml", "weights: elicited", "score: true")
    plain = run_framework(str(declared), write=False).data
    assert plain["synthesis"]["score"] == pytest.approx((4 + (1 + 4) / 2) / 2)  # equal weights


def test_elicited_weights_need_a_valuation_of_the_criteria(tmp_path):
    path = variant(
        tmp_path, "references.yaml", "dimensions:", "synthesis: {weights: elicited}\ndimensions:"
    )
    done = cli("run", str(path), "--out", str(tmp_path / "out"), "--lang", "en")
    assert done.returncode == 2, done.stderr
    assert "needs a `valuation:` block whose `items` are the criteria" in done.stderr


@pytest.mark.slow
def test_the_centre_social_example_values_its_criteria():
    """The shipped example's weights equal ROC weights computed here with pandas from
    datasets/centre-social/priorites.csv (mean per role, then mean of the roles)."""
    import pandas as pd

    from evalsoc.pipeline import run_framework

    root = DATA.parents[2]
    table = pd.read_csv(root / "datasets" / "centre-social" / "priorites.csv", sep=";")
    table["w"] = table["rang"].map({1: 11 / 18, 2: 5 / 18, 3: 2 / 18})
    by_role = table.groupby(["role", "critere"])["w"].mean().unstack()
    expected = by_role.mean(axis=0).to_dict()
    results = run_framework(str(root / "frameworks" / "centre-social.yaml"), write=False).data
    assert results["valuation"]["weights"] == pytest.approx(expected)
    assert results["valuation"]["respondents"] == table["repondant"].nunique() == 47
    assert results["co_construction"]["from_people_served"] == ["activites", "isolement"]
    comparison = results["indicators"]["enfants_scolarises"]["references"][0]
    assert comparison["difference"] == pytest.approx(0.8354037267080745 - 0.95)  # truth.json


def test_spreadsheet_and_word_table_keeps_suppressed_roles_empty():
    from evalsoc.pipeline import run_framework
    from evalsoc.report.tables import all_tables

    results = run_framework(str(DATA / "valuation.yaml"), write=False)
    table = next(t for t in all_tables(results) if t.code == "sheet_valuation")
    rows = {(r[0], r[2]): r for r in table.rows}
    assert rows[("emploi", "habitants")][3:] == [12, pytest.approx(11 / 18)]
    assert rows[("emploi", "bénévoles")][3:] == [None, None]
    assert rows[("lien", "Ensemble des groupes")][3:] == [36, pytest.approx(20 / 72)]


def test_the_synthesis_sensitivity_draws_each_groups_own_weights():
    """With elicited weights, each draw takes one stakeholder group's weights: the overall
    score of a draw is then Σ w_c·points_c / Σ w_c with that group's w, so the 90% interval's
    bounds are two of the groups' own scores (worked from the published by_role weights)."""
    from evalsoc.pipeline import run_framework

    results = run_framework(str(DATA / "valuation-ratings.yaml"), write=False).data
    synthesis = results["synthesis"]
    roles = [r for r in results["valuation"]["by_role"] if not r.get("suppressed")]
    assert synthesis["weights_drawn_from"] == {"source": "roles", "roles": len(roles)}
    points = synthesis["points"]
    verdict = {k: v["verdict"] for k, v in results["criteria"].items()}
    role_scores = [
        sum(w * points[verdict[c]] for c, w in r["weights"].items()) / sum(r["weights"].values())
        for r in roles
    ]
    low, high = synthesis["interval_90"]
    assert min(role_scores) <= low <= high <= max(role_scores)
    assert any(low == pytest.approx(s) for s in role_scores)
    assert any(high == pytest.approx(s) for s in role_scores)
