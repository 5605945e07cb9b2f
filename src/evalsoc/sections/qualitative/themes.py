"""The themes engine: code frequencies (distinct sources and segments), per criterion and per
role, co-occurrence of codes within a source, and the excerpts shown.

Pure: works on plain DataFrames, knows nothing of the framework; compute.py adapts.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from evalsoc.privacy.cells import reason, suppressed
from evalsoc.privacy.linear import suppressed_cells
from evalsoc.sections.common import jsonable
from evalsoc.sections.qualitative.cells import NO_GROUP, _published, role_cells
from evalsoc.sections.qualitative.config import ThemesArgs
from evalsoc.sections.qualitative.scale import _label_dict


def summarise_themes(frame: pd.DataFrame, *, args: ThemesArgs, min_cell: int) -> dict[str, Any]:
    """Code frequencies (distinct sources and segments), per criterion and per role, and the
    co-occurrence of codes within a source.

    Privacy, counted in distinct sources: every count from 1 to `min_cell` − 1 sources is
    suppressed (None), with its share. A code cited by too few sources is left out of
    `frequency` and `cooccurrence` (listed in `suppressed_codes`), with the smallest other codes
    while the hidden codes together count fewer than `min_cell` sources (`n_segments` minus the
    shown codes' segments would give them back). In each code's column of `by_criterion` and
    `by_role`, whose published total is the code's number of sources, the same rule hides small
    cells and the next smallest ones; suppressed roles and rows without a role or criterion are
    hidden cells of that total. Excerpts of a suppressed code, or of a suppressed criterion ×
    code cell, are not published; an excerpt's role only when its role × code cell is shown.
    """
    sources = frame[args.source].astype("string")
    codes = frame[args.code].astype("string")
    keep = (sources.notna() & codes.notna()).to_numpy()
    frame, sources, codes = frame.loc[keep], sources[keep], codes[keep]
    n_sources = int(sources.nunique())
    code_ids = sorted(codes.unique().tolist())
    result: dict[str, Any] = {
        "kind": "themes",
        "n_sources": n_sources,
        "n": n_sources,
        "n_segments": int(len(frame)),
        "codes": [{"id": c, "label": _codebook_label(args.codebook.get(c), c)} for c in code_ids],
        "suppressed": False,
        "reason": None,
    }
    if n_sources < min_cell:
        result.update(
            suppressed=True,
            status="suppressed",
            value=None,
            frequency={},
            suppressed_codes=code_ids,
            by_criterion={},
            by_role={},
            cooccurrence=None,
            excerpts=[],
            n_sources=None,
            n_segments=None,
            n=None,
            reason=reason("small_cell", min_cell),
        )
        return jsonable(result)

    segments = pd.DataFrame({"source": sources.to_numpy(), "code": codes.to_numpy()})
    code_members = {c: set(s) for c, s in segments.groupby("code")["source"]}
    code_sizes = {c: len(code_members[c]) for c in code_ids}
    hidden_codes = suppressed_cells(code_sizes, min_cell, members=code_members)
    shown = [c for c in code_ids if c not in hidden_codes]
    n_segments = segments["code"].value_counts()
    result["frequency"] = {
        c: {
            "n_sources": code_sizes[c],
            "share_of_sources": code_sizes[c] / n_sources,
            "n_segments": int(n_segments[c]),
        }
        for c in shown
    }
    result["suppressed_codes"] = sorted(hidden_codes)
    result["value"] = None
    result["status"] = "no_target"
    incidence = (
        pd.crosstab(segments["source"], segments["code"]).clip(upper=1).reindex(columns=shown)
    )
    matrix = incidence.to_numpy().T @ incidence.to_numpy()
    result["cooccurrence"] = {
        "codes": shown,
        "n_sources": [[_published(int(n), min_cell) for n in row] for row in matrix],
    }

    by_criterion: dict[str, dict[str, int | None]] = {}
    hidden_criterion: dict[str, set[str]] = {}
    crit = None
    if args.criterion and args.criterion in frame.columns:
        crit = frame[args.criterion].astype("string").fillna("").to_numpy()
        by_criterion, hidden_criterion = _code_columns(segments, crit, shown, min_cell, set())
    result["by_criterion"] = by_criterion

    result["by_role"] = {}
    roles = None
    hidden_role_code: dict[str, set[str]] = {}
    if args.role and args.role in frame.columns:
        roles = frame[args.role].astype("string").fillna("").to_numpy()
        sizes, members = role_cells(sources, pd.Series(roles, dtype="string"))
        hidden_roles = suppressed_cells(sizes, min_cell, members=members, forced=[NO_GROUP])
        columns, hidden_role_code = _code_columns(segments, roles, shown, min_cell, hidden_roles)
        for role in sorted(r for r in sizes if r != NO_GROUP):
            if role in hidden_roles:
                code = "small_cell" if 0 < sizes[role] < min_cell else "complement"
                result["by_role"][role] = {"n_sources": None, **suppressed(code, min_cell)}
            else:
                result["by_role"][role] = {
                    "n_sources": sizes[role],
                    "suppressed": False,
                    "codes": columns[role],
                }
    result["excerpts"] = _excerpts(
        frame, args, codes, set(shown), crit, hidden_criterion, roles, hidden_role_code
    )
    return jsonable(result)


def _code_columns(
    segments: pd.DataFrame,
    groups: np.ndarray,
    code_ids: list[str],
    min_cell: int,
    hidden_groups: set[str],
) -> tuple[dict[str, dict[str, int | None]], dict[str, set[str]]]:
    """Sources citing each code in each group (criterion or role); per code — a column whose
    total, the code's sources, is published — small cells and the next smallest are hidden
    (None), `hidden_groups` and rows without a group counting as hidden cells."""
    labels = np.where(groups == "", NO_GROUP, groups)
    frame = segments.assign(group=labels)
    names = sorted(set(labels.tolist()))
    table: dict[str, dict[str, int | None]] = {g: {} for g in names if g != NO_GROUP}
    hidden_by_code: dict[str, set[str]] = {}
    for code in code_ids:
        cited = frame.loc[frame["code"] == code]
        members = {g: set() for g in names}
        for g, s in cited.groupby("group")["source"]:
            members[g] = set(s)
        sizes = {g: len(m) for g, m in members.items()}
        hidden = suppressed_cells(
            sizes, min_cell, members=members, forced=hidden_groups | {NO_GROUP}
        )
        hidden_by_code[code] = hidden
        for g in table:
            table[g][code] = None if g in hidden else sizes[g]
    return table, hidden_by_code


def _excerpts(
    frame: pd.DataFrame,
    args: ThemesArgs,
    codes: pd.Series,
    shown_codes: set[str],
    crit: np.ndarray | None,
    hidden_criterion: dict[str, set[str]],
    roles: np.ndarray | None,
    hidden_role_code: dict[str, set[str]],
) -> list[dict[str, Any]]:
    """Excerpts of shown codes, and of shown criterion × code cells; the role only when its
    role × code cell is shown."""
    if not args.excerpt or args.excerpt not in frame.columns:
        return []
    texts = frame[args.excerpt].astype("string").str.strip()
    out = []
    for i in np.flatnonzero((texts.notna() & (texts != "")).to_numpy()):
        code = codes.iloc[i]
        criterion = crit[i] if crit is not None and crit[i] else None
        if code not in shown_codes or criterion in hidden_criterion.get(code, set()):
            continue
        role = roles[i] if roles is not None and roles[i] else None
        out.append(
            {
                "criterion": criterion,
                "code": code,
                "role": role if role and role not in hidden_role_code.get(code, set()) else None,
                "text": texts.iloc[i],
            }
        )
    return out


def _codebook_label(entry: Any, code: str) -> dict[str, str]:
    label = getattr(entry, "label", entry)
    return _label_dict(label, None) or {"fr": code, "en": code}
