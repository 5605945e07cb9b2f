"""A select_multiple in `share` and `by`: one row per choice, privacy per choice. Numbers
hand-worked from the Kobo fixture of tests/data/test_intake_surveys.py (8 people)."""

from __future__ import annotations

import pytest
from tests.data.test_intake_surveys import write_kobo_csv
from tests.intake_helpers import indicator, run

BODY = """
data:
  kobo:
    file: kobo.csv
    columns:
      age: {type: integer, name: identite/age}
      genre: {type: category, name: identite/genre, values: [femme, homme]}
      activites: {type: multiple, values: [sport, cuisine, numerique]}
dimensions:
  - id: d
    criteria:
      - id: c
        indicators:
          - {id: activites, share: activites, values: [sport, numerique]}
          - {id: activites_genre, share: activites, by: genre}
          - {id: age_activite, mean: age, by: activites}
"""


def _categories(cell):
    return {c["value"]: c["count"] for c in cell["categories"]}


def test_share_and_by_one_row_per_choice(tmp_path):
    write_kobo_csv(tmp_path / "kobo.csv")
    results = run(tmp_path, BODY)
    share = indicator(results, "activites")
    # sport: rows 1,3,5,7; cuisine: 1,2,6,7,8; numerique: 3,4,6,7 — of 8 who answered.
    assert share["n"] == 8
    assert _categories(share) == {"sport": 4, "cuisine": 5, "numerique": 4}
    assert [c["value"] for c in share["categories"]] == ["sport", "cuisine", "numerique"]
    # sport or numerique: rows 1,3,4,5,6,7 = 6 of 8 (a person ticking both counts once).
    assert share["value"] == pytest.approx(6 / 8) and share["count"] == 6
    assert share["multiple"]["columns"] == ["activites"]
    by_genre = {c["group"]["genre"]: c for c in indicator(results, "activites_genre")["by"]}
    assert _categories(by_genre["femme"]) == {"sport": 2, "cuisine": 3, "numerique": 3}
    assert _categories(by_genre["homme"]) == {"sport": 2, "cuisine": 2, "numerique": 1}
    ages = {c["group"]["activites"]: c for c in indicator(results, "age_activite")["by"]}
    assert list(ages) == ["sport", "cuisine", "numerique"]  # declared order, no combination
    assert ages["sport"]["value"] == pytest.approx((34 + 27 + 62 + 19) / 4)
    assert ages["cuisine"]["value"] == pytest.approx((34 + 51 + 38 + 19 + 70) / 5)
    assert ages["numerique"]["value"] == pytest.approx((27 + 45 + 38 + 19) / 4)
    assert (ages["sport"]["n"], ages["cuisine"]["n"], ages["numerique"]["n"]) == (4, 5, 4)
    overall = indicator(results, "age_activite")
    assert overall["n"] == 8  # the total counts each person once


def test_privacy_per_choice(tmp_path):
    write_kobo_csv(tmp_path / "kobo.csv")
    results = run(tmp_path, BODY, min_cell=4)
    ages = {c["group"]["activites"]: c for c in indicator(results, "age_activite")["by"]}
    # cuisine: 5 people, 3 without it (8 - 5): those 3 would be shown by subtraction.
    assert ages["cuisine"]["suppressed"] and ages["cuisine"].get("value") is None
    assert not ages["sport"]["suppressed"] and ages["sport"]["n"] == 4
    # sport or numerique: 6 of 8, so 2 people ticked neither: the value is suppressed.
    assert indicator(results, "activites")["suppressed"]
    share = indicator(results, "activites_genre")
    shown = {c["value"]: c for c in share["categories"]}
    assert shown["cuisine"]["suppressed"]  # 8 - 5 = 3 people did not tick it
    assert not shown["sport"]["suppressed"] and shown["sport"]["count"] == 4
    by_genre = {c["group"]["genre"]: c for c in indicator(results, "activites_genre")["by"]}
    # homme: n = 3 < 4, suppressed; femme (n = 5) too, or 8 − 5 would give the men's 3.
    assert by_genre["homme"]["reason"]["code"] == "small_cell"  # one shape (privacy package)
    assert by_genre["femme"]["reason"]["code"] == "complement"
