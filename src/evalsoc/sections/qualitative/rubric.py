"""The rubric engine: from raters' judgements to a verdict per criterion.

Pure: works on plain DataFrames, knows nothing of the framework; compute.py adapts.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from evalsoc.privacy.cells import suppressed
from evalsoc.privacy.linear import suppressed_cells
from evalsoc.problems import problem
from evalsoc.sections.common import jsonable
from evalsoc.sections.qualitative.agreement import _agreement
from evalsoc.sections.qualitative.cells import (
    NO_GROUP,
    _suppressed_overall,
    protect_levels,
    role_cells,
)
from evalsoc.sections.qualitative.config import RubricArgs, level_key
from evalsoc.sections.qualitative.participation import _people_served
from evalsoc.sections.qualitative.scale import (
    INSUFFICIENT,
    MISSING,
    UNKNOWN,
    _distribution,
    _label_dict,
    _plain,
    _wilson,
    cliffs_delta,
    level_lookup,
    level_ranks,
    verdict_mapping,
)


def summarise_rubric(
    frame: pd.DataFrame,
    *,
    args: RubricArgs,
    min_cell: int,
    rng: np.random.Generator,
    agreement_frame: pd.DataFrame | None = None,
    target: float | None = None,
    better: str = "higher",
) -> tuple[dict[str, Any], list[dict[str, str]]]:
    """The rubric's distribution, median, share at or above the threshold, per-role cells,
    role disagreement, ordinal α with CI, participation of the people served, evidence.

    `agreement_frame` (optional) is a wider table used for α when the rows hold fewer than two
    units. Returns (result, warnings), each warning ``{"fr": ..., "en": ...}``.
    """
    warnings: list[dict[str, str]] = []
    scale_ids = [level.id for level in args.scale]
    lookup = level_lookup(args.scale, args.insufficient)
    threshold = lookup[level_key(args.threshold)]
    ranks = level_ranks(frame[args.level], lookup)
    unknown = sorted({_plain(v) for v in frame[args.level][ranks == UNKNOWN]})
    if unknown:
        n_unknown = int((ranks == UNKNOWN).sum())
        listed = ", ".join(unknown[:5])
        warnings.append(
            {
                "fr": f"{n_unknown} jugement(s) dont le niveau ne figure pas sur l'échelle ont "
                f"été écartés : {listed}",
                "en": f"{n_unknown} judgement(s) with levels not on the scale were left out: "
                f"{listed}",
            }
        )
    n_missing = int((ranks == MISSING).sum())
    if n_missing:
        warnings.append(
            {
                "fr": f"{n_missing} ligne(s) sans niveau ont été écartées",
                "en": f"{n_missing} row(s) without a level were left out",
            }
        )
    valid = ranks >= INSUFFICIENT
    frame, ranks = frame.loc[valid], ranks[valid]
    raters = frame[args.rater].astype("string")
    n_raters = int(raters.nunique())
    overall = _distribution(ranks, scale_ids, threshold)
    result: dict[str, Any] = {
        "kind": "rubric",
        "scale": [
            {
                "id": level.id,
                "label": _label_dict(level.label, level.id),
                "descriptor": _label_dict(level.descriptor, None),
                "verdict": verdict,
            }
            for level, verdict in zip(args.scale, verdict_mapping(args.scale))
        ],
        "threshold": args.scale[threshold].id,
        "insufficient": args.insufficient,
        "n_raters": n_raters,
        "target": target,
        "better": better,
        "suppressed": False,
        "reason": None,
    }
    result.update({k: v for k, v in overall.items() if not k.startswith("_")})
    result["n"] = overall["n_rated"]

    if n_raters < min_cell:
        result.update(_suppressed_overall(scale_ids, min_cell, n_raters))
    else:
        low, high = _wilson(overall["n_at_or_above"], overall["n_rated"])
        result.update(value=overall["share_at_or_above"], ci_low=low, ci_high=high)
        result["status"] = _status(overall["share_at_or_above"], target, better)
        if overall["n_rated"] == 0:
            result.update(
                status="not_estimable",
                estimable=False,
                reason=problem("rubric_all_insufficient"),
            )

    has_role = args.role is not None and args.role in frame.columns
    roles = frame[args.role].astype("string") if has_role else None
    result["by_role"], result["disagreement"], hidden = _by_role(
        ranks, raters, roles, scale_ids, threshold, min_cell, result["suppressed"]
    )
    if not result["suppressed"]:
        protect_levels(result, ranks, roles, scale_ids, threshold, min_cell)
    result["roles_disagree_most"] = (
        result["disagreement"][0]["roles"]
        if result["disagreement"] and abs(result["disagreement"][0]["cliffs_delta"]) > 0
        else None
    )
    result["people_served"] = _people_served(
        raters, roles, args.people_served_roles, hidden, min_cell, result["suppressed"]
    )
    served_keys = {level_key(role) for role in args.people_served_roles or []}
    if not result["people_served"].get("suppressed") and any(
        cell.get("n_judgements") is None
        for role, cell in (result["by_role"] or {}).items()
        if level_key(role) in served_keys
    ):  # a served role's judgements are withheld: their total would give them back
        result["people_served"].update(
            n_raters=None,
            n_judgements=None,
            share_of_judgements=None,
            **suppressed("complement", min_cell),
        )
    if has_role and not args.people_served_roles:
        warnings.append(
            {
                "fr": "la participation des personnes accompagnées n'est pas présentée : "
                "indiquez quels rôles sont ceux des personnes accompagnées avec "
                "`people_served_roles`",
                "en": "the participation of the people served is not reported: declare which "
                "roles are the people served with `people_served_roles`",
            }
        )

    result["agreement"] = _agreement(frame, ranks, args, rng, agreement_frame, lookup, min_cell)
    alpha_value = result["agreement"].get("alpha")
    if alpha_value is not None and alpha_value < args.min_alpha:
        alpha_text = f"{alpha_value:.3f}"
        warnings.append(
            {
                "fr": "les évaluateurs s'accordent peu : α de Krippendorff = "
                f"{alpha_text.replace('.', ',')}, sous le seuil de "
                f"{str(args.min_alpha).replace('.', ',')} (les conclusions tirées de ces "
                "jugements restent fragiles)",
                "en": f"raters agree weakly: Krippendorff's alpha = {alpha_text}, below "
                f"{args.min_alpha} (conclusions from these judgements are tentative)",
            }
        )

    criteria = (
        frame[args.criterion].astype("string")
        if args.criterion and args.criterion in frame.columns
        else None
    )
    result["rated_criteria"] = (
        sorted(criteria.dropna().unique().tolist()) if criteria is not None else []
    )
    hidden_roles = {r for r, cell in result["by_role"].items() if cell.get("suppressed")}
    # A suppressed indicator publishes no evidence: each quote's level would give back the
    # judgements of fewer than min_cell raters.
    result["evidence"] = (
        []
        if result["suppressed"]
        else _evidence(frame, ranks, args, criteria, roles, scale_ids, hidden_roles)
    )
    return jsonable(result), warnings


def _status(share: float | None, target: float | None, better: str) -> str:
    if share is None:
        return "not_estimable"
    if target is None:
        return "no_target"
    met = share >= target if better == "higher" else share <= target
    return "met" if met else "not_met"


def _by_role(
    ranks: np.ndarray,
    raters: pd.Series,
    roles: pd.Series | None,
    scale_ids: list[str],
    threshold: int,
    min_cell: int,
    all_hidden: bool,
) -> tuple[dict[str, Any], list[dict[str, Any]], set[str]]:
    if roles is None:
        return {}, [], set()
    role_values = roles.fillna("").to_numpy()
    sizes, members = role_cells(raters, roles)
    hidden = (
        set(sizes)
        if all_hidden
        else suppressed_cells(sizes, min_cell, members=members, forced=[NO_GROUP])
    )
    sizes = {role: n for role, n in sizes.items() if role != NO_GROUP}
    cells: dict[str, Any] = {}
    counts: dict[str, np.ndarray] = {}
    for role in sorted(sizes):
        mask = role_values == role
        if role in hidden:
            code = "small_cell" if 0 < sizes[role] < min_cell else "complement"
            cells[role] = {"n_raters": None, "n_judgements": None, **suppressed(code, min_cell)}
            continue
        dist = _distribution(ranks[mask], scale_ids, threshold)
        counts[role] = dist.pop("_counts")
        cells[role] = {"n_raters": sizes[role], **dist, "suppressed": False}
    pairs = []
    shown = sorted(counts)
    for i, a in enumerate(shown):
        for b in shown[i + 1 :]:
            delta = cliffs_delta(counts[a], counts[b])
            if delta is not None:
                pairs.append(
                    {
                        "roles": [a, b],
                        "median_levels": [cells[a]["median_level"], cells[b]["median_level"]],
                        "cliffs_delta": delta,
                    }
                )
    pairs.sort(key=lambda p: (-abs(p["cliffs_delta"]), p["roles"]))
    return cells, pairs, hidden


def _evidence(
    frame: pd.DataFrame,
    ranks: np.ndarray,
    args: RubricArgs,
    criteria: pd.Series | None,
    roles: pd.Series | None,
    scale_ids: list[str],
    hidden_roles: set[str],
) -> list[dict[str, Any]]:
    """Non-empty evidence texts, best level first; the role only when its cell is shown."""
    if not args.evidence or args.evidence not in frame.columns:
        return []
    texts = frame[args.evidence].astype("string").str.strip()
    keep = (texts.notna() & (texts != "")).to_numpy()
    order = np.argsort(-ranks[keep], kind="stable")
    quotes = []
    idx = np.flatnonzero(keep)[order]
    for i in idx:
        role = roles.iloc[i] if roles is not None else None
        quotes.append(
            {
                "criterion": criteria.iloc[i] if criteria is not None else None,
                "level": scale_ids[ranks[i]] if ranks[i] >= 0 else args.insufficient,
                "role": None if role is pd.NA or role is None or role in hidden_roles else role,
                "text": texts.iloc[i],
            }
        )
    return quotes
