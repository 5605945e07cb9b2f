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
