"""Volunteering: volume by category and its declared valuation, worked by hand."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from pydantic import ValidationError

from evalsoc.errors import FrameworkError
from evalsoc.sections.context import RunContext
from evalsoc.sections.volunteering import render as volunteering
from evalsoc.sections.volunteering.compute import compute
from evalsoc.sections.volunteering.config import VolunteeringSpec


def ctx(frames: dict | None = None, min_cell: int = 1) -> RunContext:
    return RunContext(frames=frames or {}, framework=None, min_cell=min_cell)


def records() -> pd.DataFrame:
    rows = [
        ("p1", "gouvernance", 10),
        ("p1", "gouvernance", 5),
        ("p2", "gouvernance", 20),
        ("p1", "activite", 4),
        ("p3", "activite", 6),
        ("p4", "activite", 30),
        ("p5", "ponctuel", 3),
    ]
    return pd.DataFrame(rows, columns=["person", "category", "hours"])


def test_declared_totals_at_opportunity_cost() -> None:
    spec = VolunteeringSpec.model_validate(
        {
            "categories": [
                {"id": "gouvernance", "persons": 9, "hours": 400},
                {"id": "activite", "persons": 25, "hours": 2800},
            ],
            "valuation": {
                "method": "opportunity_cost",
                "rate": 15.27,
                "source": "SMIC horaire brut 2025 (11,88 €) + charges patronales",
            },
        }
    )
    out = compute(spec, ctx())
    assert out["source"] == "declared" and out["method"] == "opportunity_cost"
    assert out["total_hours"] == 3200
    assert out["total_value"] == pytest.approx(3200 * 15.27)
    assert [c["value"] for c in out["by_category"]] == pytest.approx([400 * 15.27, 2800 * 15.27])
    assert out["total_fte"] == pytest.approx(3200 / 1607)
    assert out["total_persons"] == 34 and out["total_persons_note"]
    assert out["rate_source"]["fr"].startswith("SMIC")  # a plain text is the same in both
    assert out["rate_source"]["en"] == out["rate_source"]["fr"]


def test_hours_from_data_at_replacement_cost() -> None:
    spec = VolunteeringSpec.model_validate(
        {
            "data": "benevolat",
            "categories": [
                {"id": "gouvernance", "rate": 30},
                {"id": "activite", "rate": 15},
                {"id": "ponctuel", "rate": 12},
            ],
            "valuation": {"method": "replacement_cost", "source": "grille salariale"},
        }
    )
    out = compute(spec, ctx({"benevolat": records()}))
    cats = {c["category"]: c for c in out["by_category"]}
    assert cats["gouvernance"]["persons"] == 2 and cats["gouvernance"]["hours"] == 35
    assert cats["gouvernance"]["value"] == 35 * 30
    assert cats["activite"]["persons"] == 3 and cats["activite"]["value"] == 40 * 15
    assert out["total_persons"] == 5  # p1 volunteers in two categories, counted once
    assert out["total_value"] == 35 * 30 + 40 * 15 + 3 * 12
    assert out["total_hours"] == 78


def test_small_categories_hidden_but_totals_kept() -> None:
    spec = VolunteeringSpec.model_validate(
        {
            "data": "benevolat",
            "categories": [
                {"id": "gouvernance", "rate": 30},
                {"id": "activite", "rate": 15},
                {"id": "ponctuel", "rate": 12},
            ],
            "valuation": {"method": "replacement_cost"},
        }
    )
    out = compute(spec, ctx({"benevolat": records()}, min_cell=3))
    cats = {c["category"]: c for c in out["by_category"]}
    # ponctuel (1 person) hidden; 1 < 3 so gouvernance (2) is hidden too. Showing activite would
    # give ponctuel back: hidden hours 38 = h_p + h_g and hidden value 1,086 = 12 h_p + 30 h_g
    # (the rates are declared) solve to h_p = 3. So activite is hidden as well. (Until this fix
    # the test asserted activite was shown: that was the leak.)
    assert cats["ponctuel"]["suppressed"] and cats["ponctuel"]["hours"] is None
    assert cats["gouvernance"]["suppressed"] and cats["gouvernance"]["value"] is None
    assert cats["activite"]["suppressed"] and cats["activite"]["hours"] is None
    assert out["total_value"] == 35 * 30 + 40 * 15 + 3 * 12
    assert out["total_hours"] == 78 and out["total_persons"] == 5
    kept = VolunteeringSpec.model_validate({**spec.model_dump(), "suppress_small_cells": False})
    assert compute(kept, ctx({"benevolat": records()}, min_cell=3))["by_category"][0]["hours"] == 35


def test_secondary_cell_at_one_rate_then_activite_shown() -> None:
    # One rate for all (opportunity cost): the value total adds nothing to the hours total, so
    # hiding ponctuel (1) and gouvernance (2) — 3 people together — protects both.
    spec = VolunteeringSpec.model_validate(
        {
            "data": "b",
            "categories": [{"id": "gouvernance"}, {"id": "activite"}, {"id": "ponctuel"}],
            "valuation": {"method": "opportunity_cost", "rate": 12},
        }
    )
    out = compute(spec, ctx({"b": records()}, min_cell=3))
    cats = {c["category"]: c for c in out["by_category"]}
    assert cats["ponctuel"]["suppressed"] and cats["gouvernance"]["suppressed"]
    assert not cats["activite"]["suppressed"] and cats["activite"]["hours"] == 40


def test_secondary_suppression_counts_a_person_in_two_categories_once() -> None:
    # gouvernance {p1, p2} and ponctuel {p1} are 2 + 1 = 3 cells of people but only 2 persons:
    # total hours minus the shown categories would give back the hours of 2 volunteers.
    rows = [
        ("p1", "gouvernance", 10),
        ("p2", "gouvernance", 20),
        ("p1", "ponctuel", 5),
        ("p3", "activite", 4),
        ("p4", "activite", 6),
        ("p5", "activite", 30),
        ("p6", "accueil", 7),
        ("p7", "accueil", 8),
        ("p8", "accueil", 9),
        ("p9", "accueil", 1),
    ]
    data = pd.DataFrame(rows, columns=["person", "category", "hours"])
    ids = ["gouvernance", "ponctuel", "activite", "accueil"]
    spec = VolunteeringSpec.model_validate({"data": "b", "categories": [{"id": i} for i in ids]})
    out = compute(spec, ctx({"b": data}, min_cell=3))
    cats = {c["category"]: c for c in out["by_category"]}
    hidden = {c for c, row in cats.items() if row["suppressed"]}
    # Two hidden cells of 1 and 2 people are not given back as 3: activite (3) is hidden too.
    assert hidden == {"gouvernance", "ponctuel", "activite"}
    assert cats["accueil"]["hours"] == 25 and out["total_hours"] == 100


def numbers(value: object) -> list[float]:
    """Every number in a JSON-like structure."""
    if isinstance(value, dict):
        return [n for v in value.values() for n in numbers(v)]
    if isinstance(value, list):
        return [n for v in value for n in numbers(v)]
    return [value] if isinstance(value, (int, float)) and not isinstance(value, bool) else []


def undeclared_records() -> pd.DataFrame:
    rows = [(f"g{i}", "gouvernance", 10) for i in range(4)]
    rows += [(f"a{i}", "activite", 20) for i in range(6)]
    rows += [(f"o{i}", "ponctuel", 5) for i in range(5)]
    rows += [("x1", "evenement", 60), ("x1", "evenement", 37)]  # one volunteer, 97 h
    return pd.DataFrame(rows, columns=["person", "category", "hours"])


DECLARED = [
    {"id": "gouvernance", "rate": 25},
    {"id": "activite", "rate": 15},
    {"id": "ponctuel", "rate": 12},
]


def test_a_small_undeclared_category_is_never_named_nor_counted() -> None:
    spec = VolunteeringSpec.model_validate(
        {"data": "b", "categories": DECLARED, "valuation": {"method": "replacement_cost"}}
    )
    context = ctx({"b": undeclared_records()}, min_cell=3)
    out = compute(spec, context)
    published = json.dumps(out) + json.dumps(context.warnings)
    assert "evenement" not in published and "97" not in " ".join(
        text for w in context.warnings for text in w["messages"].values()
    )
    assert 97 not in numbers(out)
    assert out["unvalued_hours"] is None and out["unvalued_hours_suppressed"] is True
    other = out["by_category"][-1]
    assert other["category"] is None and other["suppressed"] and other["hours"] is None
    assert other["label"]["en"] == "Other categories"
    # Hidden with it: gouvernance (4) then ponctuel (5) — at one other rate, total value / rate
    # would give gouvernance's hours and total hours minus them the 100 h. activite is shown.
    cats = {c["category"]: c for c in out["by_category"]}
    assert cats["gouvernance"]["suppressed"] and cats["ponctuel"]["suppressed"]
    assert cats["activite"]["hours"] == 120
    assert out["total_hours"] == 40 + 120 + 25 + 97
    assert out["total_value"] == 40 * 25 + 120 * 15 + 25 * 12
    messages = " ".join(w["messages"]["en"] for w in context.warnings)
    assert "not declared" in messages and "some volunteer hours have no rate" in messages
    html = volunteering.render(out, None, "fr")
    assert "evenement" not in html and "97" not in html
    assert "Des heures sans taux ne sont pas valorisées" in html and "Autres catégories" in html


def test_unvalued_hours_published_when_their_category_is_large_enough() -> None:
    data = undeclared_records()
    data = pd.concat(
        [data, pd.DataFrame([(f"x{i}", "evenement", 1) for i in range(2, 5)], columns=data.columns)]
    )
    spec = VolunteeringSpec.model_validate(
        {"data": "b", "categories": DECLARED, "valuation": {"method": "replacement_cost"}}
    )
    context = ctx({"b": data}, min_cell=3)
    out = compute(spec, context)
    assert out["unvalued_hours"] == 100 and not out["unvalued_hours_suppressed"]
    assert {c["category"]: c["hours"] for c in out["by_category"]}["evenement"] == 100
    assert any("'evenement'" in w["messages"]["en"] for w in context.warnings)


def test_totals_withheld_when_hiding_every_category_is_not_enough() -> None:
    # One valued category and one undeclared volunteer: total hours − total value / 25 would
    # give the volunteer's hours back even with both hidden; the hours total is withheld.
    rows = [(f"g{i}", "gouvernance", 10) for i in range(12)] + [("x1", "evenement", 100)]
    data = pd.DataFrame(rows, columns=["person", "category", "hours"])
    spec = VolunteeringSpec.model_validate(
        {
            "data": "b",
            "categories": [{"id": "gouvernance", "rate": 25}],
            "valuation": {"method": "replacement_cost"},
        }
    )
    out = compute(spec, ctx({"b": data}, min_cell=10))
    assert all(c["suppressed"] for c in out["by_category"])
    assert out["total_hours"] is None and out["total_fte"] is None and out["totals_reason"]
    assert out["total_value"] == 120 * 25 and out["total_persons"] == 13
    assert out["unvalued_hours"] is None


def test_small_categories_without_declared_names_are_merged() -> None:
    spec = VolunteeringSpec.model_validate({"data": "b"})
    data = pd.concat(
        [
            records(),
            pd.DataFrame(
                [("p6", "aide a Mme Durand", 2), ("p7", "x", 1)],
                columns=["person", "category", "hours"],
            ),
        ]
    )
    out = compute(spec, ctx({"b": data}, min_cell=3))
    names = [c["category"] for c in out["by_category"]]
    assert "aide a Mme Durand" not in json.dumps(out) and names.count(None) == 1


def test_undeclared_category_and_bad_rows_are_reported() -> None:
    data = pd.concat(
        [
            records(),
            pd.DataFrame(
                [("p6", "evenement", 8), ("p7", "activite", -2), ("p8", None, 3)],
                columns=["person", "category", "hours"],
            ),
        ]
    )
    spec = VolunteeringSpec.model_validate(
        {
            "data": "b",
            "categories": [
                {"id": "gouvernance", "rate": 30},
                {"id": "activite", "rate": 15},
                {"id": "ponctuel", "rate": 12},
            ],
            "valuation": {"method": "replacement_cost"},
        }
    )
    context = ctx({"b": data})
    out = compute(spec, context)
    assert out["unvalued_hours"] == 8
    assert out["total_value"] == 35 * 30 + 40 * 15 + 3 * 12
    messages = " ".join(w["messages"]["en"] for w in context.warnings)
    assert "'evenement'" in messages and "2 row(s)" in messages and "8 volunteer hours" in messages


def test_no_valuation_and_missing_column() -> None:
    spec = VolunteeringSpec.model_validate({"data": "b"})
    out = compute(spec, ctx({"b": records()}))
    assert out["method"] == "none" and out["total_value"] is None and out["total_hours"] == 78
    wrong = VolunteeringSpec.model_validate({"data": "b", "hours": "heures"})
    with pytest.raises(FrameworkError, match="no column 'heures'"):
        compute(wrong, ctx({"b": records()}))
    assert compute(None, ctx()) == {}


@pytest.mark.parametrize(
    ("config", "message"),
    [
        (
            {"categories": [{"id": "a", "hours": 1}], "valuation": {"method": "opportunity_cost"}},
            "needs one hourly `rate`",
        ),
        (
            {"categories": [{"id": "a", "hours": 1}], "valuation": {"method": "replacement_cost"}},
            "missing for a",
        ),
        (
            {
                "categories": [{"id": "a", "hours": 1, "rate": 9}],
                "valuation": {"method": "opportunity_cost", "rate": 12},
            },
            "remove the category rates",
        ),
        ({"categories": [{"id": "a"}]}, "declared `hours`"),
        ({}, "either `data`"),
        ({"data": "b", "categories": [{"id": "a"}, {"id": "a"}]}, "same id twice"),
    ],
)
def test_config_errors(config: dict, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        VolunteeringSpec.model_validate(config)


def test_a_non_sensitive_category_is_shown_and_the_others_stay_protected() -> None:
    # gouvernance (2 volunteers, < min_cell 3) is declared non-sensitive: shown with its hours.
    # ponctuel (1) stays hidden; total hours 78 minus gouvernance 35 and activite 40 would give
    # ponctuel's 3 hours back, so activite (3) is hidden too: hidden together 43 h, 4 people.
    spec = VolunteeringSpec.model_validate(
        {
            "data": "b",
            "categories": [
                {"id": "gouvernance", "sensitive": False},
                {"id": "activite"},
                {"id": "ponctuel"},
            ],
            "valuation": {"method": "opportunity_cost", "rate": 12},
        }
    )
    out = compute(spec, ctx({"b": records()}, min_cell=3))
    cats = {c["category"]: c for c in out["by_category"]}
    assert not cats["gouvernance"]["suppressed"]
    assert cats["gouvernance"]["hours"] == 35 and cats["gouvernance"]["persons"] == 2
    assert cats["ponctuel"]["suppressed"] and cats["activite"]["suppressed"]
    assert out["total_hours"] == 78
