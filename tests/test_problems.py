"""The problem catalogue: every code worded in both languages with the same placeholders."""

import pytest

from evalsoc.problems import CATALOGUE, Problem, placeholders, problem
from evalsoc.sections.common import NotEstimable


@pytest.mark.parametrize("code", sorted(CATALOGUE))
def test_every_code_has_both_languages_with_the_same_placeholders(code):
    title, fr, en = CATALOGUE[code]
    assert title and fr and en
    assert fr != en or code == "uncoded"
    assert placeholders(fr) == placeholders(en)


def test_problem_gives_the_published_shape():
    assert problem("too_few_observations", n=3, parameters=5) == {
        "code": "too_few_observations",
        "fr": "trop peu d'observations (3) pour les 5 paramètres du modèle",
        "en": "too few observations (3) for the 5 parameters of the model",
    }


def test_worded_parameters_follow_the_language():
    what = {"fr": "l'erreur type par grappe", "en": "the cluster-robust standard error"}
    out = Problem("single_cluster", {"what": what, "minimum": 3}).as_dict()
    assert out["fr"] == "une seule grappe : l'erreur type par grappe demande au moins 3 grappes"
    assert (
        out["en"] == "only one cluster: the cluster-robust standard error needs at least 3 clusters"
    )


def test_unknown_code_is_refused():
    with pytest.raises(KeyError):
        Problem("no_such_code")


def test_not_estimable_carries_the_coded_reason():
    exc = NotEstimable("no_treated")
    assert exc.reason == {
        "code": "no_treated",
        "fr": "personne dans le groupe du dispositif",
        "en": "no one in the programme group",
    }
    assert str(exc) == "no one in the programme group"


def test_too_few_clusters_is_worded_in_french():
    import numpy as np

    from evalsoc.sections.effects.common import check_clusters

    with pytest.raises(NotEstimable) as caught:
        check_clusters(np.array([0, 0, 1, 1]))
    reason = caught.value.reason
    assert reason["code"] == "few_clusters"
    assert reason["fr"].startswith(
        "seulement 2 grappes : impossible d'estimer une erreur type robuste par grappe avec "
        "moins de 3 grappes"
    )
    assert reason["en"].startswith("only 2 clusters: a cluster-robust standard error")


@pytest.mark.parametrize(
    ("check", "code", "fr"),
    [
        ("age: max 80", "check_max", "age : maximum 80"),
        (
            "x: missing value (not nullable)",
            "check_missing",
            "x : valeur manquante (non autorisée)",
        ),
        ("site: one of Nord, Sud", "check_one_of", "site : une des valeurs Nord, Sud"),
        (
            "entree: type: date (YYYY-MM-DD or DD/MM/YYYY)",
            "check_type_date_default",
            "entree : type : date (AAAA-MM-JJ ou JJ/MM/AAAA)",
        ),
        ("q1: likert answer in 1..5", "check_likert", "q1 : réponse de 1 à 5"),
    ],
)
def test_data_checks_are_coded_and_worded_from_the_catalogue(check, code, fr):
    from evalsoc.data.check_problems import check_problem
    from evalsoc.report.phrases import check_text

    coded = check_problem(check.partition(": ")[2])
    assert coded["code"] == code
    assert coded["en"] == check.partition(": ")[2]  # the English wording is the check name
    assert check_text(check, "fr") == fr
    assert check_text(check, "en") == check
