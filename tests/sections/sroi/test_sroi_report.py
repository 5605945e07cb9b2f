"""The SROI report fragment: the ratio worded as an estimate with its interval, non-monetised
outcomes beside it (with the verdicts of criteria citing them), escaping, self-contained SVG."""

from __future__ import annotations

import copy
import re
from typing import Any

import pytest

from evalsoc.sections.context import RunContext
from evalsoc.sections.sroi import compute as engine
from evalsoc.sections.sroi.config import SroiSpec
from evalsoc.sections.sroi.render import money, render
from evalsoc.text.format import fmt_number

RAW: dict[str, Any] = {
    "inputs": [{"label": "Subvention", "amount": 12500, "source": "convention"}],
    "outcomes": [
        {
            "id": "emploi",
            "label": {"fr": "Retour à l'emploi", "en": "Return to work"},
            "stakeholder": "Salariés",
            "quantity": 10,
            "proxy": {
                "value": 1000,
                "low": 800,
                "high": 1200,
                "source": "coût évité",
                "evidence": "amber",
            },
            "deadweight": {"value": 0.2, "low": 0.1, "high": 0.3},
            "displacement": {"value": 0.1, "reason": "r"},
            "attribution": 0.25,
            "drop_off": 0.2,
            "duration": 3,
        },
        {
            "id": "lien",
            "label": "Lien social",
            "stakeholder": "Habitants",
            "proxy": "none",
            "reason": "pas de proxy crédible",
        },
    ],
    "monte_carlo": {"draws": 5000, "seed": 1},
}


def results_for(raw: dict[str, Any]) -> dict[str, Any]:
    ctx = RunContext(frames={}, framework=None, lang="fr", seed=1)
    return engine.compute(SroiSpec.model_validate(raw), ctx)


@pytest.fixture(scope="module")
def sroi() -> dict[str, Any]:
    return results_for(RAW)


def test_french_headline_is_an_estimate_with_its_interval(sroi: dict) -> None:
    html = render(sroi, None, "fr")
    low, high = (fmt_number(x, "fr", 2) for x in sroi["monte_carlo"]["ci90"])
    expected = f"Pour 1\u00a0€ investi, entre {low}\u00a0€ et {high}\u00a0€ de valeur sociale estimée (IC 90 %)"
    assert expected in html
    assert f"estimation centrale : {fmt_number(sroi['ratio'], 'fr', 2)}\u00a0€" in html
    assert "Ces montants sont des estimations" in html


def test_english_headline(sroi: dict) -> None:
    html = render(sroi, None, "en")
    low, high = (fmt_number(x, "en", 2) for x in sroi["monte_carlo"]["ci90"])
    assert (
        f"For every €1 invested, between €{low} and €{high} of estimated social value (90% CI)"
        in html
    )
    assert "Return to work" in html and "Retour à l" not in html


def test_point_estimate_is_said_to_be_one_when_no_uncertainty_is_declared() -> None:
    raw = copy.deepcopy(RAW)
    raw["outcomes"][0]["proxy"] = {"value": 1000, "source": "s"}
    raw["outcomes"][0]["deadweight"] = 0.2
    html = render(results_for(raw), None, "fr")
    assert "estimation ponctuelle : aucune incertitude n'a été déclarée" in html.replace(
        "&#39;", "'"
    )


def test_non_monetised_outcomes_sit_next_to_the_ratio(sroi: dict) -> None:
    html = render(sroi, None, "fr")
    ratio_at = html.index("Pour 1\u00a0€ investi")
    listed_at = html.index("Lien social")
    map_at = html.index("Carte de l")
    assert ratio_at < listed_at < map_at
    assert "pas de proxy crédible" in html
    assert "1 effet(s) sur 2 (50\u00a0%)" in html


def test_verdicts_of_criteria_citing_a_non_monetised_outcome(sroi: dict) -> None:
    results = {
        "criteria": {
            "c_lien": {"verdict": "satisfaisant", "evidence": ["lien"]},
            "c_other": {"verdict": "fragile", "evidence": ["emploi"]},
        }
    }
    fr = render(sroi, None, "fr", results=results)
    assert "Jugement du critère « c_lien » : satisfaisant" in fr
    assert "c_other" not in fr
    en = render(sroi, None, "en", results={"criteria": results})  # nested form read too
    assert "Verdict on criterion &#39;c_lien&#39;: satisfactory" in en
    assert render(sroi, None, "fr", results={"criteria": "garbage"})  # read defensively


def test_user_text_is_escaped() -> None:
    raw = copy.deepcopy(RAW)
    raw["outcomes"][1]["reason"] = "<script>alert(1)</script>"
    raw["outcomes"][0]["proxy"]["source"] = "<b>x</b> & co"
    html = render(results_for(raw), None, "fr")
    assert "<script>" not in html and "<b>x</b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;b&gt;x&lt;/b&gt; &amp; co" in html


def test_self_contained_and_deterministic(sroi: dict) -> None:
    html = render(sroi, None, "fr")
    assert html.count("<svg") == 3  # waterfall, tornado, Monte Carlo histogram
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)
    assert "<link" not in html and "@import" not in html and "<script" not in html
    assert html == render(sroi, None, "fr")


def test_not_estimable_is_said_in_words() -> None:
    raw = copy.deepcopy(RAW)
    raw["outcomes"] = [RAW["outcomes"][1]]
    html = render(results_for(raw), None, "en")
    assert "The SROI ratio could not be estimated: no outcome is monetised" in html
    assert "Social ties" not in html and "Lien social" in html


def test_money_formats() -> None:
    assert money(1234.5, "EUR", "fr", 2) == fmt_number(1234.5, "fr", 2) + "\u00a0€"
    assert fmt_number(1234.5, "fr", 2).endswith("234,50")
    assert money(1234.5, "EUR", "en", 0) == "€1,234"
    assert money(-20, "GBP", "en", 0) == "-£20"
    assert money(5, "CHF", "en", 0) == "5\u00a0CHF"
    assert money(None, "EUR", "fr") == "—"
