"""compare.html shows why a change is not tested or a figure not computed, in the page's
language (the reasons are coded problems, `{code, fr, en}`, in compare.json)."""

from __future__ import annotations

from evalsoc.compare.consolidate import consolidate
from evalsoc.compare.render import _indicators_section
from evalsoc.compare.trends import difference


def _result() -> dict:
    change = {"site": "a", "from": "a 2024", "to": "a 2025", "definition_changed": False}
    change |= difference({"kind": "count", "value": 12}, {"kind": "count", "value": 15})
    pooled = {"period": "2025", **consolidate("median", [{"run": "a", "published": True}], 5)}
    return {
        "labels": {"taux": {"fr": "Taux d'emploi", "en": "Employment rate"}},
        "indicators": [
            {
                "id": "taux",
                "kind": "count",
                "points": [],
                "changes": [change],
                "consolidated": [pooled],
            }
        ],
        "unmatched": {},
    }


def test_the_reasons_are_shown_in_the_page_language() -> None:
    result = _result()
    assert result["indicators"][0]["changes"][0]["reason"]["code"] == "compare_count_exact"
    french = str(_indicators_section(result, "fr"))
    english = str(_indicators_section(result, "en"))
    assert "non testable : un effectif de personnes est exact" in french
    assert "non calculable : une médiane ne se regroupe pas" in french
    assert "a count of people is exact" not in french and "cannot be pooled" not in french
    assert "cannot be tested: a count of people is exact" in english
    assert "cannot be computed: a median cannot be pooled" in english
