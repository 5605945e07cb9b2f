"""Volunteering beyond money: who gives (people served among the volunteers), in which roles,
for how long (tenure, turnover), and the prescribed volunteering against the real one.

Conventions (docs/volunteering.md):
- volunteers of the period: register rows whose `since` is on or before the period's end and
  whose `left` is empty or on or after its start (all rows without those columns);
- tenure: years from `since` to the period's end (or to `left` when earlier), median;
- turnover: departures during the period over the volunteers present at its start; arrivals
  are the volunteers who began during the period;
- hours by role: the hours records' `role` column, else each person's main role in the
  register; real persons by role are distinct people;
- privacy: every count of people (served and not served, a role, departures, arrivals,
  stayers) is a cell under the one rule of `evalsoc.privacy` (the role table with its total by
  `privacy.linear.suppressed_cells`); a figure from 1 to min_cell − 1 people is never
  published, nor one that its complement would give back.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from evalsoc.errors import FrameworkError
from evalsoc.framework.base import label_pair
from evalsoc.privacy.cells import reason as cell_reason
from evalsoc.privacy.linear import suppressed_cells

DAYS_A_YEAR = 365.25


def _small(count: int, min_cell: int) -> bool:
    return 0 < count < min_cell


def _dates(frame: pd.DataFrame, column: str | None) -> pd.Series | None:
    if column is None:
        return None
    return pd.to_datetime(frame[column], errors="coerce")


def _boolean(series: pd.Series, column: str, source: str) -> pd.Series:
    words = {"true": True, "1": True, "oui": True, "yes": True, "vrai": True}
    words.update({"false": False, "0": False, "non": False, "no": False, "faux": False})
    if series.dtype == bool:
        return series
    mapped = series.map(lambda v: None if pd.isna(v) else words.get(str(v).strip().lower()))
    if mapped.isna().any() and series.notna().any():
        bad = series[mapped.isna() & series.notna()]
        if len(bad):
            raise FrameworkError(
                "volunteering_not_boolean",
                at="volunteering.people",
                column=repr(column),
                source=repr(source),
                value=repr(str(bad.iloc[0])),
            )
    return mapped


def people_of_period(register: Any, frame: pd.DataFrame, period: Any) -> pd.DataFrame:
    """One row per volunteer active during the period, with served, role, since, left."""
    spec = register
    out = pd.DataFrame({"person": frame[spec.person].astype("string")})
    if spec.served:
        out["served"] = _boolean(frame[spec.served], spec.served, spec.data).to_numpy()
    if spec.role:
        out["role"] = frame[spec.role].astype("string").to_numpy()
    for key in ("since", "left"):
        dates = _dates(frame, getattr(spec, key))
        if dates is not None:
            out[key] = dates.to_numpy()
    out = out.dropna(subset=["person"]).drop_duplicates("person")
    if ("since" in out or "left" in out) and (period is None or not period.end):
        raise FrameworkError("volunteering_dates_need_period", at="volunteering.people")
    if period is not None and period.end is not None:
        end = pd.Timestamp(period.end)
        start = pd.Timestamp(period.start) if period.start else None
        active = pd.Series(True, index=out.index)
        if "since" in out:
            active &= out["since"].isna() | (out["since"] <= end)
        if "left" in out and start is not None:
            active &= out["left"].isna() | (out["left"] >= start)
        out = out[active]
    return out


def served_figures(people: pd.DataFrame, min_cell: int) -> dict[str, Any]:
    served = int(people["served"].fillna(False).astype(bool).sum())
    known = int(people["served"].notna().sum())
    if _small(served, min_cell) or _small(known - served, min_cell):
        return {
            "count": None,
            "share": None,
            "n": None,
            "suppressed": True,
            "reason": cell_reason("small_cell", min_cell),
        }
    return {
        "count": served,
        "share": served / known if known else None,
        "n": known,
        "suppressed": False,
        "reason": None,
    }


def tenure_figures(people: pd.DataFrame, period: Any, min_cell: int) -> dict[str, Any] | None:
    if "since" not in people:
        return None
    end = pd.Timestamp(period.end)
    until = people["left"].where(people["left"] < end, end) if "left" in people else end
    years = ((until - people["since"]).dt.days / DAYS_A_YEAR).dropna()
    n = int(years.size)
    one_year = int((years >= 1).sum())
    if n < min_cell:
        return {
            "n": None,
            "median_years": None,
            "share_one_year_or_more": None,
            "suppressed": True,
            "reason": cell_reason("small_cell", min_cell),
        }
    share_hidden = _small(one_year, min_cell) or _small(n - one_year, min_cell)
    return {
        "n": n,
        "median_years": float(years.median()),
        "share_one_year_or_more": None if share_hidden else one_year / n,
        "suppressed": False,
        "reason": cell_reason("small_cell", min_cell) if share_hidden else None,
    }


def turnover_figures(people: pd.DataFrame, period: Any, min_cell: int) -> dict[str, Any] | None:
    if "since" not in people or "left" not in people or period.start is None:
        return None
    start, end = pd.Timestamp(period.start), pd.Timestamp(period.end)
    present = people["since"].isna() | (people["since"] < start)
    arrived = people["since"].notna() & (people["since"] >= start) & (people["since"] <= end)
    left = people["left"].notna() & (people["left"] >= start) & (people["left"] <= end)
    at_start, departures, arrivals = (
        int(present.sum()),
        int((present & left).sum()),
        int(arrived.sum()),
    )
    stayers = at_start - departures
    if any(_small(c, min_cell) for c in (departures, arrivals, stayers, at_start)):
        return {
            "at_start": None,
            "departures": None,
            "arrivals": None,
            "rate": None,
            "suppressed": True,
            "reason": cell_reason("small_cell", min_cell),
        }
    return {
        "at_start": at_start,
        "departures": departures,
        "arrivals": arrivals,
        "rate": departures / at_start if at_start else None,
        "suppressed": False,
        "reason": None,
    }


def role_table(
    people: pd.DataFrame | None,
    hours: pd.DataFrame | None,
    planned: list[Any],
    min_cell: int,
) -> list[dict[str, Any]]:
    """Planned against real persons and hours, role by role (small real cells hidden)."""
    members: dict[str, set[str]] = {}
    hours_by_role: dict[str, float] = {}
    if hours is not None:
        for role, group in hours.groupby("role", sort=True):
            members[str(role)] = set(group["person"].dropna())
            hours_by_role[str(role)] = float(group["hours"].sum())
    elif people is not None and "role" in people:
        for role, group in people.dropna(subset=["role"]).groupby("role", sort=True):
            members[str(role)] = set(group["person"])
    declared = {p.role: p for p in planned}
    roles = list(declared) + sorted(r for r in members if r not in declared)
    sizes = {r: len(members.get(r, set())) for r in roles}
    hidden = (
        suppressed_cells(sizes, min_cell, members=members, totals=[dict.fromkeys(sizes, 1.0)])
        if sizes
        else set()
    )
    rows = []
    for role in roles:
        plan = declared.get(role)
        real_persons = sizes[role] if role in members or hours is not None else None
        real_hours = hours_by_role.get(role, 0.0) if hours is not None else None
        row: dict[str, Any] = {
            "role": role,
            "label": label_pair(plan.label if plan else None, role),
            "planned_persons": plan.persons if plan else None,
            "planned_hours": plan.hours if plan else None,
            "persons": real_persons,
            "hours": real_hours,
            "gap_persons": None,
            "gap_hours": None,
            "suppressed": role in hidden,
            "reason": None,
        }
        if role in hidden:
            code = "small_cell" if _small(sizes[role], min_cell) else "complement"
            row.update(persons=None, hours=None, reason=cell_reason(code, min_cell))
        else:
            if plan and plan.persons is not None and row["persons"] is not None:
                row["gap_persons"] = row["persons"] - plan.persons
            if plan and plan.hours is not None and row["hours"] is not None:
                row["gap_hours"] = row["hours"] - plan.hours
        rows.append(row)
    if any(r["suppressed"] and r["role"] not in declared for r in rows):
        # A small role found only in the data is not named.
        rows = [r for r in rows if not (r["suppressed"] and r["role"] not in declared)] + [
            {
                "role": None,
                "label": {"fr": "Autres rôles", "en": "Other roles"},
                "planned_persons": None,
                "planned_hours": None,
                "persons": None,
                "hours": None,
                "gap_persons": None,
                "gap_hours": None,
                "suppressed": True,
                "reason": cell_reason("small_cell", min_cell),
            }
        ]
    return rows


def hours_with_roles(spec: Any, ctx: Any, people: pd.DataFrame | None) -> pd.DataFrame | None:
    """Hours records with a role: their own `role` column, else the register's main role."""
    if not spec.data:
        return None
    frame = ctx.frame(spec.data, spec.where)
    hours = pd.to_numeric(frame[spec.hours], errors="coerce")
    out = pd.DataFrame({"hours": hours.to_numpy()})
    out["person"] = frame[spec.person].astype("string").to_numpy() if spec.person in frame else None
    if spec.role:
        out["role"] = frame[spec.role].astype("string").to_numpy()
    elif people is not None and "role" in people:
        out["role"] = out["person"].map(dict(zip(people["person"], people["role"])))
    else:
        return None
    out = out[out["hours"].notna() & (out["hours"] >= 0) & out["role"].notna()]
    return out


def reciprocity(spec: Any, ctx: Any) -> dict[str, Any] | None:
    """`volunteering.reciprocity`, or None when neither a register nor a plan is declared."""
    if spec.people is None and not spec.planned and not spec.role:
        return None
    period = getattr(ctx.framework, "period", None)
    min_cell = ctx.min_cell
    people = None
    if spec.people is not None:
        people = people_of_period(
            spec.people, ctx.frame(spec.people.data, spec.people.where), period
        )
    hours = hours_with_roles(spec, ctx, people)
    volunteers = None if people is None else int(len(people))
    out: dict[str, Any] = {
        "people_source": spec.people.data if spec.people else None,
        "volunteers": volunteers,
        "volunteers_suppressed": volunteers is not None and _small(volunteers, min_cell),
        "served": served_figures(people, min_cell)
        if people is not None and "served" in people
        else None,
        "tenure": tenure_figures(people, period, min_cell) if people is not None else None,
        "turnover": turnover_figures(people, period, min_cell) if people is not None else None,
        "roles": role_table(people, hours, spec.planned, min_cell),
        "planned_hours": _sum([p.hours for p in spec.planned]),
        "planned_persons": _sum([p.persons for p in spec.planned]),
    }
    if out["volunteers_suppressed"]:
        out["volunteers"] = None
    return out


def _sum(values: list[Any]) -> float | None:
    known = [v for v in values if v is not None]
    return float(math.fsum(known)) if known else None
