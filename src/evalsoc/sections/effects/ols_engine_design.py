"""The design of a DiD fitted from the engine's groups (ols_in_engine.py): the regressors'
values in each group, as designs/did.py and common.covariate_matrix name and order them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import numpy as np

from evalsoc.sections.effects.did_in_engine import TERM

NEAR_ABSORBED = 1e-12  # a column keeping less of its squares once the effects are removed
FAMILY = re.compile(r"(.+)\[[^\[\]]*\]")  # balance.py's `col[level]`: one categorical's dummies


@dataclass
class Design:
    """The regressors' values in each group (R × k: treated, post, treated×post, covariates),
    which of them vary within groups, their names, and the fixed effects' labels per group.

    A varying regressor v is, on a row of group r, offset_v + mix_r[v]·ñ with ñ the row's
    numeric columns centred at `centre` (the numeric covariate itself: offset = centre and an
    identity mix; Lin's centred covariate times the group: a mix of d_r, offset 0)."""

    values: np.ndarray
    names: list[str]
    varying: list[int]
    covariate_names: list[str]
    fixed: list[np.ndarray]  # each fixed effect's label per group
    fixed_names: list[str]
    dummies: int
    mix: np.ndarray  # (R, len(varying), q)
    centre: np.ndarray  # (q,)
    offset: np.ndarray  # (len(varying),)

    @staticmethod
    def of(groups: Any, spec: Any, covariates: list[str], kinds: dict[str, str]) -> Design:
        from evalsoc.engines.duckdb_sql import BOOL, NUMBER

        table = groups.table
        R = len(table)
        d = table["d"].to_numpy(dtype=float)
        p = table["p"].to_numpy(dtype=float)
        columns: list[np.ndarray] = [d, p, d * p]
        names = ["treated", "post", TERM]
        varying: list[int] = []
        numeric = [c for c in covariates if kinds[c] == NUMBER]
        keys = [c for c in covariates if kinds[c] != NUMBER] + list(spec.fixed_effects)
        dummies = 0
        with np.errstate(invalid="ignore", divide="ignore"):
            n = np.where(groups.n > 0, groups.n, 1.0)
        for col in covariates:
            if kinds[col] == NUMBER:
                varying.append(len(columns))
                columns.append(groups.sums[:, numeric.index(col)] / n)
                names.append(col)
                continue
            values = table[f"k{keys.index(col)}"]
            if kinds[col] == BOOL:
                columns.append(values.to_numpy(dtype=float))
                names.append(col)
                continue
            text = values.astype(str)
            levels = sorted(set(text))
            for level in levels[1:]:
                columns.append((text == level).to_numpy(dtype=float))
                names.append(f"{col}[{level}]")
            dummies += max(len(levels) - 1, 0)
        covariate_names = names[3:]
        fixed_names = list(spec.fixed_effects)
        fixed = [table[f"k{keys.index(name)}"].to_numpy() for name in fixed_names]
        dummies += sum(max(len(set(labels.tolist())) - 1, 0) for labels in fixed)
        values = np.column_stack(columns) if columns else np.empty((R, 0))
        q = len(numeric)
        centre = groups.sums[:, :q].sum(axis=0) / groups.n.sum()
        mix = np.broadcast_to(np.eye(q), (R, q, q)).copy()
        return Design(
            values, names, varying, covariate_names, fixed, fixed_names, dummies, mix, centre,
            centre.copy(),
        )  # fmt: skip
