"""How the grid was built: who proposed each dimension, criterion and indicator, which body
validated it and when (the keys of `coconstruction_config.CoConstruction`).

A criterion counts as validated when it, or its dimension, carries `validated`: a steering
committee that validates a whole dimension validates its criteria. A criterion "comes from the
people served" when its `proposed_by` (or, if it has none, its dimension's) holds a role of
`PEOPLE_SERVED_ROLES`. Nothing here counts people: roles are groups, not respondents.
"""

from __future__ import annotations

from typing import Any

from evalsoc.framework.base import label_pair
from evalsoc.sections.criteria.coconstruction_config import (
    PEOPLE_SERVED_ROLES,
    ROLES,
    CoConstruction,
)


def recorded(framework: Any) -> Any:
    """The framework when any item of its grid records its co-construction, else None (the
    section is then empty)."""
    items = [*framework.dimensions]
    for dim in framework.dimensions:
        items += dim.criteria
        for crit in dim.criteria:
            items += crit.indicators
    return framework if any(item.recorded for item in items) else None


def _validation(item: CoConstruction) -> dict[str, Any] | None:
    if item.validated is None:
        return None
    return {
        "date": item.validated.date.isoformat(),
        "body": label_pair(item.validated.body),
        "roles": list(item.validated.roles),
    }


def _item(level: str, item: Any, inherited: CoConstruction | None = None) -> dict[str, Any]:
    proposed = list(item.proposed_by) or (list(inherited.proposed_by) if inherited else [])
    validation = _validation(item) or (_validation(inherited) if inherited else None)
    return {
        "level": level,
        "id": item.id,
        "label": label_pair(item.label, item.id),
        "proposed_by": proposed,
        "from_people_served": any(role in PEOPLE_SERVED_ROLES for role in proposed),
        "validated": validation,
        "notes": label_pair(item.notes) if item.notes is not None else None,
    }


def compute(framework: Any, ctx: Any) -> dict[str, Any]:
    """The record of every item, and the counts the report's method section states."""
    items = []
    criteria = []
    for dim in framework.dimensions:
        items.append(_item("dimension", dim))
        for crit in dim.criteria:
            record = _item("criterion", crit, dim)
            items.append(record)
            criteria.append(record)
            items += [_item("indicator", ind) for ind in crit.indicators if ind.recorded]
    by_role = {
        role: sum(role in c["proposed_by"] for c in criteria)
        for role in ROLES
        if any(role in c["proposed_by"] for c in criteria)
    }
    bodies: dict[tuple[str, str], dict[str, Any]] = {}
    for c in criteria:
        if c["validated"]:
            key = (c["validated"]["date"], c["validated"]["body"]["fr"])
            entry = bodies.setdefault(key, {**c["validated"], "criteria": []})
            entry["criteria"].append(c["id"])
    unvalidated = [c["id"] for c in criteria if c["validated"] is None]
    for crit_id in unvalidated:
        ctx.warn(
            "co_construction",
            crit_id,
            {
                "fr": f"le critère « {_label(criteria, crit_id, 'fr')} » n'a été validé par "
                "aucune instance (clé `validated`)",
                "en": f"criterion '{_label(criteria, crit_id, 'en')}' was validated by no body "
                "(key `validated`)",
            },
        )
    return {
        "criteria_total": len(criteria),
        "proposed_by_role": by_role,
        "without_proposer": [c["id"] for c in criteria if not c["proposed_by"]],
        "from_people_served": [c["id"] for c in criteria if c["from_people_served"]],
        "validations": sorted(bodies.values(), key=lambda v: (v["date"], v["body"]["fr"])),
        "unvalidated": unvalidated,
        "items": items,
    }


def _label(criteria: list[dict[str, Any]], crit_id: str, lang: str) -> str:
    return next(str(c["label"][lang]) for c in criteria if c["id"] == crit_id)
