"""Volunteering: volume by category (persons, hours, FTE) and its declared valuation.

The value is a contribution in kind — in French association accounts, class 8 "contributions
volontaires en nature" (accounts 864 personnel bénévole / 875 bénévolat, règlement ANC
2018-06) — reported apart from outcomes and reusable as an SROI input, never added to outcomes.
"""

from __future__ import annotations

import difflib
from typing import Any

import numpy as np
import pandas as pd

from evalsoc.errors import FrameworkError
from evalsoc.framework.base import label_text
from evalsoc.measures.common import jsonable
from evalsoc.measures.rubrics import suppressed_cells

METHOD_TEXT = {
    "replacement_cost": {
        "fr": "coût de remplacement (ce que coûterait le même travail rémunéré, un taux par "
        "catégorie)",
        "en": "replacement cost (what the same work would cost if paid, one rate per category)",
    },
    "opportunity_cost": {
        "fr": "coût d'opportunité (un taux horaire unique déclaré)",
        "en": "opportunity cost (one declared hourly rate)",
    },
    "none": {"fr": "non valorisé", "en": "not valued"},
}


def volume_from_rows(
    categories: pd.Series, hours: pd.Series, persons: pd.Series | None
) -> pd.DataFrame:
    """Per category: distinct persons (None without a person column), hours and rows."""
    frame = pd.DataFrame({"category": categories.to_numpy(), "hours": hours.to_numpy()})
    grouped = frame.groupby("category", sort=True)
    out = pd.DataFrame({"hours": grouped["hours"].sum(), "rows": grouped.size()})
    if persons is not None:
        frame["person"] = persons.to_numpy()
        out["persons"] = frame.groupby("category", sort=True)["person"].nunique()
    else:
        out["persons"] = np.nan
    return out


def value_of(hours: float | None, rate: float | None) -> float | None:
    if hours is None or rate is None:
        return None
    return float(hours) * float(rate)


def compute(spec: Any, ctx: Any) -> dict[str, Any]:
    """Volume and valuation of volunteering, under `results["volunteering"]`."""
    if spec is None:
        return {}
    declared = {c.id: c for c in spec.categories}
    method = spec.valuation.method
    rows: list[dict[str, Any]] = []
    total_persons: int | None = spec.total_persons
    persons_known = True
    if spec.data:
        volume, total_persons, persons_known = _volume_from_data(spec, ctx)
        ids = list(declared) + [c for c in volume.index if c not in declared]
        for cid in volume.index:
            if declared and cid not in declared:
                ctx.warn(
                    "volunteering",
                    cid,
                    f"category {cid!r} is in the data but not declared "
                    "in `categories`"
                    + (" (it has no rate)" if method == "replacement_cost" else ""),
                )
        for cid in ids:
            if cid in volume.index:
                persons = volume.at[cid, "persons"]
                rows.append(
                    {
                        "category": cid,
                        "persons": None if pd.isna(persons) else int(persons),
                        "hours": float(volume.at[cid, "hours"]),
                        "size": int(persons)
                        if not pd.isna(persons)
                        else int(volume.at[cid, "rows"]),
                    }
                )
            else:
                rows.append({"category": cid, "persons": 0, "hours": 0.0, "size": 0})
    else:
        for cid, cat in declared.items():
            rows.append(
                {"category": cid, "persons": cat.persons, "hours": float(cat.hours), "size": None}
            )

    for row in rows:
        cat = declared.get(row["category"])
        rate = (
            spec.valuation.rate
            if method == "opportunity_cost"
            else (cat.rate if cat is not None and method == "replacement_cost" else None)
        )
        row.update(
            label=_pair(cat.label if cat else None, row["category"]),
            fte=row["hours"] / spec.fte_hours,
            rate=rate,
            rate_source=(cat.rate_source if cat and cat.rate_source else spec.valuation.source),
            value=value_of(row["hours"], rate),
            suppressed=False,
            reason=None,
        )
        if method == "replacement_cost" and rate is None:
            row["reason"] = "no replacement rate declared for this category"
    total_hours = float(sum(r["hours"] for r in rows))
    valued = [r for r in rows if r["value"] is not None]
    total_value = float(sum(r["value"] for r in valued)) if method != "none" else None
    unvalued = float(sum(r["hours"] for r in rows if r["value"] is None))
    if method != "none" and unvalued > 0:
        ctx.warn(
            "volunteering",
            None,
            f"{unvalued:g} volunteer hours have no rate and are not in the total value",
        )

    if spec.data and spec.suppress_small_cells:
        sizes = {r["category"]: r["size"] for r in rows}
        hidden = suppressed_cells(sizes, ctx.min_cell)
        for row in rows:
            if row["category"] in hidden:
                row.update(
                    persons=None,
                    hours=None,
                    fte=None,
                    value=None,
                    suppressed=True,
                    reason=f"fewer than {ctx.min_cell} volunteers in this category, or "
                    "needed to protect another small category (totals include it)",
                )
        if not persons_known:
            ctx.warn(
                "volunteering",
                None,
                "no person column: small categories are judged by their number of rows",
            )
    for row in rows:
        row.pop("size", None)

    if total_persons is None and not spec.data:
        persons_note = "sum of declared categories; a person in two categories counts twice"
        total_persons_value = (
            sum(r["persons"] or 0 for r in rows)
            if all(r["persons"] is not None for r in rows)
            else None
        )
    else:
        persons_note = None
        total_persons_value = total_persons
    return jsonable(
        {
            "label": _pair(spec.label, "Bénévolat")
            if spec.label
            else {"fr": "Bénévolat", "en": "Volunteering"},
            "source": "data" if spec.data else "declared",
            "method": method,
            "method_text": METHOD_TEXT[method],
            "rate": spec.valuation.rate,
            "rate_source": spec.valuation.source,
            "currency": spec.valuation.currency,
            "fte_hours": spec.fte_hours,
            "by_category": rows,
            "total_persons": total_persons_value,
            "total_persons_note": persons_note,
            "total_hours": total_hours,
            "total_fte": total_hours / spec.fte_hours,
            "total_value": total_value,
            "unvalued_hours": unvalued,
            "accounting": {
                "fr": "Contribution volontaire en nature (classe 8 : comptes 864 « personnel "
                "bénévole » et 875 « bénévolat »), présentée à part, jamais ajoutée aux résultats.",
                "en": "Contribution in kind (French accounts, class 8: 864 'volunteer staff' and 875 "
                "'volunteering'), shown apart and never added to outcomes.",
            },
        }
    )


def _volume_from_data(spec: Any, ctx: Any) -> tuple[pd.DataFrame, int | None, bool]:
    frame = ctx.frame(spec.data, spec.where)
    person_col = spec.person if spec.person and spec.person in frame.columns else None
    if spec.person and person_col is None and "person" in spec.model_fields_set:
        _missing(frame, spec.person, spec.data)
    for column in (spec.category, spec.hours):
        if column not in frame.columns:
            _missing(frame, column, spec.data)
    hours = pd.to_numeric(frame[spec.hours], errors="coerce").astype(float)
    category = frame[spec.category].astype("string")
    bad = (hours.isna() | (hours < 0) | category.isna()).to_numpy()
    if bad.any():
        ctx.warn(
            "volunteering",
            None,
            f"{int(bad.sum())} row(s) without a category or with "
            "missing or negative hours were left out",
        )
    keep = ~bad
    persons = frame[person_col].astype("string")[keep] if person_col else None
    volume = volume_from_rows(category[keep], hours[keep], persons)
    total = int(persons.nunique()) if persons is not None else None
    return volume, total, person_col is not None


def _missing(frame: pd.DataFrame, column: str, source: str) -> None:
    near = difflib.get_close_matches(column, [str(c) for c in frame.columns], n=3)
    hint = f"; did you mean {', '.join(map(repr, near))}?" if near else ""
    raise FrameworkError(f"volunteering: no column {column!r} in data source {source!r}{hint}")


def _pair(label: Any, default: str) -> dict[str, str]:
    return {"fr": label_text(label, "fr", default), "en": label_text(label, "en", default)}
