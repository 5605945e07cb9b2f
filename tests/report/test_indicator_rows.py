"""The grid's indicator rows read plainly (issue 11): a rubric's share says what it counts, and a
count's empty interval no longer sits between the value and N as if "324 — 1 199" were a range.
Figures are the demo's (frameworks/chantier-insertion.yaml, results.json of this commit)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from evalsoc.report.html import _indicator_rows


def _spec(kind: str, ident: str) -> SimpleNamespace:
    return SimpleNamespace(id=ident, label={"fr": "Étiquette", "en": "Label"}, kind=kind, by=[])


# The demo's jugement_sorties: 0 of 46 rated judgements at "satisfaisant" or above, median
# level "insuffisant", Wilson interval 0 to 0.0771.
RUBRIC = {
    "kind": "rubric",
    "value": 0.0,
    "share_at_or_above": 0.0,
    "ci_low": 0.0,
    "ci_high": 0.07707356308558042,
    "n": 46,
    "n_rated": 46,
    "threshold": "satisfaisant",
    "median_level": "insuffisant",
    "status": "no_target",
}
# The demo's personnes_suivies: 324 people counted among 1,199 records, no interval.
COUNT = {"kind": "count", "value": 324.0, "n": 1199, "ci_low": None, "ci_high": None}


@pytest.mark.parametrize(
    ("lang", "reading"),
    [
        (
            "fr",
            "0,0\u00a0% des jugements au niveau « satisfaisant » ou au-dessus ; "
            "niveau médian : insuffisant (46 jugements).",
        ),
        (
            "en",
            "0.0% of judgements at level “satisfactory” or above; "
            "median level: insufficient (46 judgements).",
        ),
    ],
)
def test_a_rubric_row_says_what_its_share_counts(lang, reading):
    row = _indicator_rows(_spec("rubric", "jugement_sorties"), RUBRIC, lang)
    assert "(insuffisant)" not in row["value"] and "insufficient" not in row["value"]
    assert row["extra"].replace("\u202f", "\u00a0") == reading
    assert row["ci"].startswith("0")


@pytest.mark.parametrize(("lang", "word"), [("fr", "compte exact"), ("en", "exact count")])
def test_a_count_row_names_its_missing_interval(lang, word):
    row = _indicator_rows(_spec("count", "personnes_suivies"), COUNT, lang)
    assert row["value"] == "324"
    assert row["ci"] == word
    assert row["n"].replace("\u202f", " ").replace("\u00a0", " ") in ("1 199", "1,199")
