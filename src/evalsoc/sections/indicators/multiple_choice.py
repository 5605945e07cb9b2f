"""Indicators over a select_multiple (`type: multiple`): one row per choice, never the
combinations. Each person may count under several choices, so the choices' counts do not add
up to the number of people: every result says so (`multiple`), and each share's denominator is
the people who answered the question.

Privacy holds per choice: a choice ticked by 1 to min_cell − 1 people is suppressed, and so is
one left unticked by 1 to min_cell − 1 people (its count subtracted from n would show them).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from evalsoc.privacy.cells import reason, suppressed_cell
from evalsoc.privacy.policy import as_policy
from evalsoc.sections.indicators.compute import (
    LEVEL,
    MISSING_GROUP,
    QUANTITATIVE,
    IndicatorError,
    columns_used,
    group_codes,
    protect_by_cells,
    protect_categories,
    publish_cell,
)
from evalsoc.stats.intervals import wilson

NOTE = {
    "fr": "question à choix multiples : une personne peut compter dans plusieurs choix ; "
    "les effectifs des choix ne s'additionnent pas",
    "en": "multiple-choice question: a person may count under several choices; the choices' "
    "counts do not add up",
}


def declared_multiples(framework: Any) -> dict[str, list[str]]:
    from evalsoc.data.multiple import _text

    found: dict[str, list[str]] = {}
    for source in framework.data.values():
        for col, spec in source.columns.items():
            if spec.type == "multiple":
                found[col] = [_text(v) for v in spec.values]
    return found


def multiple_columns_used(framework: Any, ind: Any, available: list[str]) -> dict[str, list]:
    """The select_multiple columns an indicator splits by or shares (with their flags present)."""
    if ind.kind in ("rubric", "themes"):
        return {}
    multiples = declared_multiples(framework)
    used = [c for c in columns_used(ind) if c in multiples]
    return {
        c: multiples[c]
        for c in used
        if c in available
        and all(f"{c}/{x}" in available for x in multiples[c])
        and (c in ind.by or (ind.kind == "share" and ind.share == c))
    }


def _flags(frame: pd.DataFrame, column: str, choices: list[str]) -> np.ndarray:
    return np.column_stack(
        [frame[f"{column}/{c}"].fillna(False).to_numpy(dtype=bool) for c in choices]
    )


def _share_cells(spec: Any, frame: pd.DataFrame, codes: np.ndarray, ngroups: int, column: str,
                 choices: list[str]) -> list[dict]:  # fmt: skip
    answered = frame[column].notna().to_numpy()
    flags = _flags(frame, column, choices) & answered[:, None]
    n = np.bincount(codes, weights=answered.astype(float), minlength=ngroups)
    counts = np.column_stack(
        [np.bincount(codes, weights=flags[:, j].astype(float), minlength=ngroups)
         for j in range(len(choices))]
    ) if choices else np.zeros((ngroups, 0))  # fmt: skip
    selected = [j for j, c in enumerate(choices) if c in {str(v) for v in (spec.values or [])}]
    cells = []
    if selected:
        anyone = flags[:, selected].any(axis=1).astype(float)
        k = np.bincount(codes, weights=anyone, minlength=ngroups)
        lo, hi = wilson(k, n, LEVEL)
        with np.errstate(invalid="ignore", divide="ignore"):
            p = k / n
    for g in range(ngroups):
        cell: dict[str, Any] = {
            "n": float(n[g]),
            "value": float(p[g]) if selected else np.nan,
            "ci_low": float(lo[g]) if selected else np.nan,
            "ci_high": float(hi[g]) if selected else np.nan,
            "ci_method": "Wilson score interval",
            "categories": [
                {
                    "value": c,
                    "count": float(counts[g, j]),
                    "share": float(counts[g, j] / n[g]) if n[g] else None,
                }
                for j, c in enumerate(choices)
            ],
        }
        if selected:
            cell["count"] = float(k[g])
        cells.append(cell)
    return cells


def _hide_complements(published: dict, raw: dict, min_cell: int) -> None:
    """A choice left unticked by 1 to min_cell − 1 people shows them by subtraction from n."""
    n = raw["n"]
    for shown, cat in zip(published.get("categories") or [], raw.get("categories") or []):
        if 0 < n - cat["count"] < min_cell and not shown.get("suppressed"):
            shown.update(
                count=None, share=None, suppressed=True, reason=reason("complement", min_cell)
            )


def compute_with_multiple(
    spec: Any, frame: pd.DataFrame, multiple: dict[str, list], min_cell: int
) -> dict[str, Any]:
    share_column = spec.share if spec.kind == "share" and spec.share in multiple else None
    by_multiple = [c for c in spec.by if c in multiple]
    if len(by_multiple) > 1:
        raise IndicatorError(
            f"`by` holds several multiple-choice columns ({', '.join(by_multiple)}): split by "
            "one of them at a time"
        )
    kind = QUANTITATIVE[spec.kind]

    def cells_of(rows: pd.DataFrame, codes: np.ndarray, ngroups: int) -> list[dict]:
        if share_column:
            return _share_cells(spec, rows, codes, ngroups, share_column, multiple[share_column])
        return kind.cells(spec, rows, codes, ngroups)

    overall = cells_of(frame, np.zeros(len(frame), dtype=np.int64), 1)[0]
    result: dict[str, Any] = {"kind": spec.kind, **publish_cell(overall, spec, min_cell)}
    if share_column:
        _hide_complements(result, overall, min_cell)
    result["ci_method"] = overall["ci_method"]
    result.update(target=spec.target, baseline=spec.baseline, better=spec.better, unit=spec.unit)
    result["multiple"] = {
        "columns": sorted({*by_multiple, *([share_column] if share_column else [])}),
        "note": NOTE,
    }
    if not spec.by:
        result["by"] = []
        return result

    rows = frame
    if by_multiple:
        column = by_multiple[0]
        choices = multiple[column]
        flags = _flags(frame, column, choices)
        parts = [frame[flags[:, j]].assign(**{column: c}) for j, c in enumerate(choices)]
        unanswered = frame[frame[column].isna()]
        if len(unanswered):
            parts.append(unanswered.assign(**{column: MISSING_GROUP}))
        rows = pd.concat(parts, ignore_index=True) if parts else frame.iloc[:0]
        # Groups in the declared order of the choices (missing last), not alphabetical.
        rows[column] = pd.Categorical(rows[column], categories=[*choices, MISSING_GROUP])
    codes, groups = group_codes(rows, spec.by)
    raw_cells = cells_of(rows, codes, len(groups))
    by_cells = []
    for g, cell in enumerate(raw_cells):
        group = {col: groups.iloc[g][col] for col in spec.by}
        published = publish_cell(cell, spec, min_cell)
        if share_column:
            _hide_complements(published, cell, min_cell)
        if by_multiple and 0 < overall["n"] - cell["n"] < min_cell:
            published = suppressed_cell("complement", min_cell)
        by_cells.append({"group": group, **published})
    if not by_multiple and not result.get("suppressed"):
        # Groups of a plain column partition the people: hide what subtraction would show.
        protect_by_cells(spec, overall, raw_cells, by_cells, True, as_policy(min_cell))
    if share_column and not by_multiple and result.get("categories"):
        shown = [(c, raw) for c, raw in zip(by_cells, raw_cells) if c.get("categories")]
        protect_categories(
            result, [c for c, _ in shown], overall, [raw for _, raw in shown], as_policy(min_cell)
        )
    result["by"] = by_cells
    return result
