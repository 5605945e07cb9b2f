"""Participation of the people served: how many raters and judgements come from their roles.

Its own module: one published total over several role cells, with its own disclosure check
(the total, or the total minus their shown roles, must not reveal a small cell).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from evalsoc.privacy.cells import suppressed
from evalsoc.privacy.linear import discloses, people_counter
from evalsoc.problems import problem
from evalsoc.sections.qualitative.cells import NO_GROUP, role_cells
from evalsoc.sections.qualitative.config import level_key


def _people_served(
    raters: pd.Series,
    roles: pd.Series | None,
    served: list[str],
    hidden: set[str],
    min_cell: int,
    all_hidden: bool,
) -> dict[str, Any]:
    """Raters and judgements of the people served — a published total over their role cells,
    withheld when it (or it minus their shown roles) comes from fewer than `min_cell` raters."""
    if roles is None or not served:
        return {
            "roles": served,
            "n_raters": None,
            "n_judgements": None,
            "share_of_judgements": None,
            "suppressed": False,
            "reason": problem(
                "participation_no_role_column"
                if roles is None
                else "participation_roles_undeclared"
            ),
        }
    wanted = {level_key(role) for role in served}
    mask = roles.fillna("").map(level_key).isin(wanted).to_numpy()
    sizes, members = role_cells(raters, roles)
    served_cells = {role for role in sizes if role != NO_GROUP and level_key(role) in wanted}
    totals = [dict.fromkeys(sizes, 1.0), dict.fromkeys(served_cells, 1.0)]
    count = people_counter(sizes, members)
    if all_hidden or discloses(hidden, sizes, min_cell, people=count, totals=totals):
        return {
            "roles": served,
            "n_raters": None,
            "n_judgements": None,
            "share_of_judgements": None,
            **suppressed("complement", min_cell),
        }
    return {
        "roles": served,
        "n_raters": int(raters[mask].nunique()),
        "n_judgements": int(mask.sum()),
        "share_of_judgements": float(mask.mean()) if len(mask) else None,
        "suppressed": False,
        "reason": None,
    }
