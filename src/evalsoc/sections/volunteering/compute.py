"""Volunteering: volume by category (persons, hours, FTE) and its declared valuation.

The value is a contribution in kind — in French association accounts, class 8 "contributions
volontaires en nature" (accounts 864 personnel bénévole / 875 bénévolat, règlement ANC
2018-06) — reported apart from outcomes and reusable as an SROI input, never added to outcomes.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from evalsoc.errors import FrameworkError, did_you_mean
from evalsoc.framework.base import label_pair
from evalsoc.privacy.cells import reason as cell_reason
from evalsoc.privacy.cells import suppressed
from evalsoc.privacy.linear import discloses, people_counter, suppressed_cells
from evalsoc.problems import problem
from evalsoc.sections.common import jsonable
from evalsoc.sections.volunteering.reciprocity import reciprocity

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
    members: dict[str, set[Any]] | None = None
    total_persons: int | None = spec.total_persons
    persons_known = True
    if spec.data:
        volume, members, total_persons, persons_known = _volume_from_data(spec, ctx)
        ids = list(declared) + [c for c in volume.index if c not in declared]
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
            label=label_pair(cat.label if cat else None, row["category"]),
            fte=row["hours"] / spec.fte_hours,
            rate=rate,
            rate_source=_source_pair(
                cat.rate_source if cat and cat.rate_source else spec.valuation.source
            ),
            value=value_of(row["hours"], rate),
            suppressed=False,
            reason=None,
        )
        if method == "replacement_cost" and rate is None:
            row["reason"] = problem("volunteering_no_rate")
    total_hours: float | None = float(sum(r["hours"] for r in rows))
    total_value = (
        float(sum(r["value"] for r in rows if r["value"] is not None)) if method != "none" else None
    )
    unvalued: float | None = float(sum(r["hours"] for r in rows if r["value"] is None))
    valued = method != "none"

    hidden: set[str] = set()
    unvalued_suppressed = False
    totals_reason = None
    if spec.data and spec.suppress_small_cells:
        public = {c.id for c in spec.categories if not c.sensitive}
        privacy = _suppress(rows, members, ctx.min_cell, valued, public)
        hidden, unvalued_suppressed = privacy["hidden"], privacy["unvalued_suppressed"]
        if not privacy["hours"]:
            total_hours = None
        if not privacy["value"]:
            total_value = None
        if not privacy["persons"]:
            total_persons = None
        if privacy["reason"]:
            totals_reason = privacy["reason"]
        if unvalued_suppressed:
            unvalued = None
        if not persons_known:
            ctx.warn(
                "volunteering",
                None,
                {
                    "fr": "aucune colonne n'identifie les bénévoles : une catégorie est jugée trop "
                    "petite pour être publiée d'après son nombre de lignes",
                    "en": "no person column: small categories are judged by their number of rows",
                },
            )

    # Warnings name a category found in the data only when its figures are published.
    undeclared = [r["category"] for r in rows if r["category"] not in declared]
    no_rate = method == "replacement_cost"
    for cid in undeclared:
        if declared and cid not in hidden:
            ctx.warn(
                "volunteering",
                cid,
                {
                    "fr": f"la catégorie « {cid} » figure dans les données mais n'est pas "
                    "déclarée dans `categories`"
                    + (" (elle n'a pas de taux horaire)" if no_rate else ""),
                    "en": f"category {cid!r} is in the data but not declared in `categories`"
                    + (" (it has no rate)" if no_rate else ""),
                },
            )
    if declared and any(cid in hidden for cid in undeclared):
        ctx.warn(
            "volunteering",
            None,
            {
                "fr": "des catégories présentes dans les données ne sont pas déclarées dans "
                "`categories`"
                + (" (elles n'ont pas de taux horaire)" if no_rate else "")
                + f" ; elles ne sont pas nommées : elles comptent moins de {ctx.min_cell} "
                "bénévoles, ou sont masquées pour protéger une telle catégorie",
                "en": "some categories in the data are not declared in `categories`"
                + (" (they have no rate)" if no_rate else "")
                + f"; they are not named: fewer than {ctx.min_cell} volunteers, or hidden to "
                "protect such a category",
            },
        )
    if valued and unvalued_suppressed:
        ctx.warn(
            "volunteering",
            None,
            {
                "fr": "des heures de bénévolat n'ont pas de taux horaire et ne sont pas comptées "
                "dans la valorisation totale (leur nombre n'est pas indiqué : il révélerait une "
                f"catégorie de moins de {ctx.min_cell} bénévoles)",
                "en": "some volunteer hours have no rate and are not in the total value (their "
                f"number is not shown: it would reveal a category of fewer than {ctx.min_cell} "
                "volunteers)",
            },
        )
    elif valued and unvalued:
        hours_en = f"{unvalued:g}"
        ctx.warn(
            "volunteering",
            None,
            {
                "fr": f"{hours_en.replace('.', ',')} heures de bénévolat n'ont pas de taux horaire "
                "et ne sont pas comptées dans la valorisation totale",
                "en": f"{hours_en} volunteer hours have no rate and are not in the total value",
            },
        )

    rows = _published_rows(rows, hidden, declared, ctx.min_cell)
    if total_persons is None and not spec.data:
        persons_note = problem("volunteering_persons_summed")
        total_persons_value = (
            sum(r["persons"] or 0 for r in rows)
            if all(r["persons"] is not None for r in rows)
            else None
        )
    else:
        persons_note = None
        total_persons_value = total_persons
    beyond_money = reciprocity(spec, ctx)
    return jsonable(
        {
            "label": label_pair(spec.label, "Bénévolat")
            if spec.label
            else {"fr": "Bénévolat", "en": "Volunteering"},
            "source": "data" if spec.data else "declared",
            "method": method,
            "method_text": METHOD_TEXT[method],
            "rate": spec.valuation.rate,
            "rate_source": _source_pair(spec.valuation.source),
            "currency": spec.valuation.currency,
            "fte_hours": spec.fte_hours,
            "by_category": rows,
            "total_persons": total_persons_value,
            "total_persons_note": persons_note,
            "total_hours": total_hours,
            "total_fte": total_hours / spec.fte_hours if total_hours is not None else None,
            "total_value": total_value,
            "unvalued_hours": unvalued,
            "unvalued_hours_suppressed": unvalued_suppressed,
            "totals_reason": totals_reason,
            "accounting": {
                "fr": "Contribution volontaire en nature (classe 8 : comptes 864 « personnel "
                "bénévole » et 875 « bénévolat »), présentée à part, jamais ajoutée aux résultats.",
                "en": "Contribution in kind (French accounts, class 8: 864 'volunteer staff' and 875 "
                "'volunteering'), shown apart and never added to outcomes.",
            },
        }
        | ({"reciprocity": beyond_money} if beyond_money is not None else {})
    )


def _suppress(
    rows: list[dict[str, Any]],
    members: dict[str, set[Any]] | None,
    min_cell: int,
    valued: bool,
    public: set[str] | frozenset[str] = frozenset(),
) -> dict[str, Any]:
    """Which categories to hide and which totals to publish.

    Categories declared non-sensitive (`public`) are never hidden: they count as shown
    figures, and other categories are hidden instead while the equations still give back a
    figure from fewer than `min_cell` volunteers.

    The published totals are linear in the categories' hours: total hours (and FTE, and the
    distinct persons) over all categories, the total value Σ rate × hours over the valued ones
    (the rates are declared, hence public) and the unvalued hours over the others. Minus the
    shown categories they are equations over the hidden ones: two hidden categories at two
    different rates would each be given back by total hours and total value. Categories of
    fewer than `min_cell` volunteers are hidden, then the next smallest while the equations
    still give back a figure from fewer than `min_cell` volunteers (`discloses`). The unvalued
    hours are published only if that adds nothing of the kind; a total that cannot be made
    safe even with every category hidden is withheld (value first kept, for SROI).
    """
    sizes = {r["category"]: r["size"] for r in rows}
    count = people_counter(sizes, members)
    totals: dict[str, dict[str, float]] = {"hours": dict.fromkeys(sizes, 1.0)}
    value = {r["category"]: float(r["rate"]) for r in rows if r["value"] is not None and r["rate"]}
    if valued and value:
        totals["value"] = value
    hidden = suppressed_cells(sizes, min_cell, members=members, totals=list(totals.values()))
    hidden -= set(public)
    while discloses(hidden, sizes, min_cell, people=count, totals=list(totals.values())):
        shown = sorted((size, c) for c, size in sizes.items() if c not in hidden | set(public))
        if not shown:
            break  # every protectable category is hidden; the totals are withheld below
        hidden.add(shown[0][1])

    def safe(names: list[str], extra: dict[str, float] | None = None) -> bool:
        chosen = [totals[n] for n in names] + ([extra] if extra else [])
        return not discloses(hidden, sizes, min_cell, people=count, totals=chosen)

    kept = list(totals)
    reason = None
    if not safe(kept):
        # Every category is hidden and the totals together still give a small group back.
        options = [o for o in (["value"], ["hours"]) if all(n in totals for n in o)]
        kept = next((o for o in options if safe(o)), [])
        reason = cell_reason("complement", min_cell)
    no_rate = {r["category"]: 1.0 for r in rows if r["value"] is None}
    return {
        "hidden": hidden,
        "hours": "hours" in kept,
        "persons": safe(["hours"]),
        "value": "value" in kept or "value" not in totals,
        "unvalued_suppressed": valued and bool(no_rate) and not safe(kept, no_rate),
        "reason": reason,
    }


def _published_rows(
    rows: list[dict[str, Any]], hidden: set[str], declared: dict[str, Any], min_cell: int
) -> list[dict[str, Any]]:
    """Rows as published: hidden categories without figures; a hidden category that is not
    declared in the framework (its name comes from the data) is not named either — all of them
    make one row 'other categories'."""
    out = []
    anonymous = False
    for row in rows:
        size = row.pop("size", None)
        if row["category"] not in hidden:
            out.append(row)
            continue
        if row["category"] not in declared:
            anonymous = True
            continue
        row.update(
            persons=None,
            hours=None,
            fte=None,
            value=None,
            **suppressed("small_cell" if size and size < min_cell else "complement", min_cell),
        )
        out.append(row)
    if anonymous:
        out.append(
            {
                "category": None,
                "label": {"fr": "Autres catégories", "en": "Other categories"},
                "persons": None,
                "hours": None,
                "fte": None,
                "rate": None,
                "rate_source": None,
                "value": None,
                **suppressed("small_cell", min_cell),
            }
        )
    return out


def _volume_from_data(
    spec: Any, ctx: Any
) -> tuple[pd.DataFrame, dict[str, set[Any]] | None, int | None, bool]:
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
        n_bad = int(bad.sum())
        ctx.warn(
            "volunteering",
            None,
            {
                "fr": f"{n_bad} ligne(s) sans catégorie, ou dont les heures manquent ou sont "
                "négatives, ont été écartées",
                "en": f"{n_bad} row(s) without a category or with missing or negative hours "
                "were left out",
            },
        )
    keep = ~bad
    persons = frame[person_col].astype("string")[keep] if person_col else None
    volume = volume_from_rows(category[keep], hours[keep], persons)
    members = None
    if persons is not None:
        pairs = pd.DataFrame({"c": category[keep].to_numpy(), "p": persons.to_numpy()})
        members = {c: set(p.dropna()) for c, p in pairs.groupby("c")["p"]}
    total = int(persons.nunique()) if persons is not None else None
    return volume, members, total, person_col is not None


def _missing(frame: pd.DataFrame, column: str, source: str) -> None:
    raise FrameworkError(
        "source_column_missing",
        at="volunteering",
        column=repr(column),
        source=repr(source),
        hint=did_you_mean(column, [str(c) for c in frame.columns]),
    )


def _source_pair(source: Any) -> dict[str, str] | None:
    """A rate's source in both languages (a plain string is the same in both), or None."""
    return None if source is None else label_pair(source, "")
