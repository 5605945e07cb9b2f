"""Volunteering: volume by category and its declared valuation, worked by hand."""

from __future__ import annotations

import pandas as pd
import pytest
from pydantic import ValidationError

from evalsoc.errors import FrameworkError
from evalsoc.framework.sections.volunteering import VolunteeringSpec
from evalsoc.measures.context import RunContext
from evalsoc.measures.volunteering import compute


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
    assert out["rate_source"].startswith("SMIC")


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
    # ponctuel (1 person) hidden; 1 < 3 so gouvernance (2) is hidden too; activite (3) shown.
    assert cats["ponctuel"]["suppressed"] and cats["ponctuel"]["hours"] is None
    assert cats["gouvernance"]["suppressed"] and cats["gouvernance"]["value"] is None
    assert not cats["activite"]["suppressed"] and cats["activite"]["hours"] == 40
    assert out["total_value"] == 35 * 30 + 40 * 15 + 3 * 12
    kept = VolunteeringSpec.model_validate({**spec.model_dump(), "suppress_small_cells": False})
    assert compute(kept, ctx({"benevolat": records()}, min_cell=3))["by_category"][0]["hours"] == 35


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
    messages = " ".join(w["message"] for w in context.warnings)
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
