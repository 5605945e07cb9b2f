"""Qualitative indicators: raters' rubric judgements and coded themes.

`compute_rubric_indicator` and `compute_themes_indicator` are thin adapters from an
`IndicatorSpec` and the run context to the pure engines `summarise_rubric` and
`summarise_themes`, which work on plain DataFrames. Privacy: no published figure comes from
between 1 and `min_cell` − 1 distinct raters (or sources); per-role cells (and, for themes, code
frequencies and per-criterion, per-role and co-occurrence counts) below that are suppressed,
with secondary suppression (`suppressed_cells`, `discloses`) so that no hidden cell can be
recovered by subtracting the shown ones from a published total. Raters' identities never leave
this module.
"""

from __future__ import annotations

import difflib
import zlib
from typing import Any

import numpy as np
import pandas as pd

from evalsoc.errors import FrameworkError
from evalsoc.framework.base import label_text
from evalsoc.privacy.cells import reason, suppressed
from evalsoc.privacy.linear import discloses, people_counter, suppressed_cells
from evalsoc.sections.common import jsonable
from evalsoc.sections.qualitative.config import (
    INSUFFICIENT_EVIDENCE,
    LEVEL_LABELS,
    VERDICT_LEVELS,
    RubricArgs,
    ScaleLevel,
    ThemesArgs,
    level_key,
)
from evalsoc.stats import agreement

INSUFFICIENT = -1  # rank code of "insufficient evidence"
UNKNOWN = -2  # rank code of a level not on the scale
MISSING = -3  # rank code of an empty level
INSUFFICIENT_SPELLINGS = (INSUFFICIENT_EVIDENCE, "insufficient_evidence", "preuves_insuffisantes")


# --- privacy --------------------------------------------------------------------------------

NO_GROUP = "\x00no group"  # the unpublished cell of rows without a group (role, criterion)

# --- rubric engine --------------------------------------------------------------------------


def level_lookup(scale: list[ScaleLevel], insufficient: str) -> dict[str, int]:
    """Every accepted spelling of a level (id, labels, aliases) → its rank; insufficient → −1."""
    lookup: dict[str, int] = {}
    for rank, level in enumerate(scale):
        names = [level.id, *map(str, level.aliases)]
        if level.label is not None:
            names += [label_text(level.label, "fr"), label_text(level.label, "en")]
        for name in names:
            lookup.setdefault(level_key(name), rank)
    for name in (insufficient, *INSUFFICIENT_SPELLINGS):
        lookup.setdefault(level_key(name), INSUFFICIENT)
    return lookup


def level_ranks(levels: pd.Series, lookup: dict[str, int]) -> np.ndarray:
    """Rank of each judgement; −1 insufficient evidence, −2 not on the scale, −3 missing."""
    present = levels.notna().to_numpy()
    uniques = pd.unique(levels[present])
    mapping = {value: lookup.get(level_key(_plain(value)), UNKNOWN) for value in uniques}
    ranks = np.full(len(levels), MISSING, dtype=int)
    ranks[present] = levels[present].map(mapping).to_numpy(dtype=int)
    return ranks


def verdict_mapping(scale: list[ScaleLevel]) -> list[str]:
    """The verdict level each scale level counts as: declared, same id, else by position."""
    out = []
    for rank, level in enumerate(scale):
        if level.verdict:
            out.append(level.verdict)
        elif level_key(level.id) in VERDICT_LEVELS:
            out.append(level_key(level.id))
        else:
            position = rank / (len(scale) - 1)
            out.append(VERDICT_LEVELS[int(round(position * (len(VERDICT_LEVELS) - 1)))])
    return out


def quantile_level(counts: np.ndarray, q: float) -> int | None:
    """The smallest level whose cumulative share reaches q (the lower median for q = ½)."""
    total = counts.sum()
    if total == 0:
        return None
    return int(np.searchsorted(np.cumsum(counts) / total, q - 1e-12))


def cliffs_delta(a: np.ndarray, b: np.ndarray) -> float | None:
    """P(X > Y) − P(X < Y) for ordinal counts a (of X) and b (of Y): 0 = same, ±1 = apart."""
    if a.sum() == 0 or b.sum() == 0:
        return None
    sign = np.sign(np.subtract.outer(np.arange(len(a)), np.arange(len(b))))
    return float(a @ sign @ b / (a.sum() * b.sum()))


def _distribution(ranks: np.ndarray, scale_ids: list[str], threshold: int) -> dict[str, Any]:
    rated = ranks[ranks >= 0]
    counts = np.bincount(rated, minlength=len(scale_ids)).astype(float)
    n_rated = int(counts.sum())
    shares = counts / n_rated if n_rated else np.full(len(scale_ids), np.nan)
    median = quantile_level(counts, 0.5)
    quartile = quantile_level(counts, 0.25)
    at_or_above = int(counts[threshold:].sum())
    return {
        "n_judgements": int(len(ranks)),
        "n_rated": n_rated,
        "n_insufficient": int((ranks == INSUFFICIENT).sum()),
        "counts": {level: int(c) for level, c in zip(scale_ids, counts)},
        "shares": {level: s for level, s in zip(scale_ids, shares)},
        "median_level": scale_ids[median] if median is not None else None,
        "lower_quartile_level": scale_ids[quartile] if quartile is not None else None,
        "n_at_or_above": at_or_above,
        "share_at_or_above": at_or_above / n_rated if n_rated else None,
        "_counts": counts,
    }


def _wilson(successes: int, n: int) -> tuple[float | None, float | None]:
    if n == 0:
        return None, None
    from statsmodels.stats.proportion import proportion_confint

    low, high = proportion_confint(successes, n, alpha=0.05, method="wilson")
    return float(low), float(high)


def _unit_labels(frame: pd.DataFrame, columns: list[str]) -> np.ndarray:
    if not columns:
        return np.zeros(len(frame), dtype=int)
    return frame.groupby(columns, dropna=False, sort=True, observed=True).ngroup().to_numpy()


def agreement_on(
    frame: pd.DataFrame,
    ranks: np.ndarray,
    *,
    rater: str,
    unit_columns: list[str],
    n_levels: int,
    n_boot: int,
    rng: np.random.Generator,
    min_alpha: float,
) -> dict[str, Any]:
    """Ordinal α of the rated judgements (insufficient evidence = missing), units = groups of
    `unit_columns`; one judgement per rater and unit (the first, if a rater repeats)."""
    keep = ranks >= 0
    rows = frame.loc[keep, [rater, *unit_columns]].copy()
    rows["_unit"] = _unit_labels(rows, unit_columns)
    rows["_rank"] = ranks[keep]
    first = ~rows.duplicated([rater, "_unit"], keep="first").to_numpy()
    repeated = int((~first).sum())
    rows = rows.loc[first]
    counts = agreement.counts_from_long(
        rows["_unit"].to_numpy(), rows["_rank"].to_numpy(), n_levels
    )
    usable = agreement.pairable(counts)
    base = {
        "level_of_measurement": "ordinal",
        "units": unit_columns,
        "n_units": int(usable.shape[0]),
        "n_pairable_values": int(usable.sum()),
        "n_raters": int(rows[rater].nunique()),
        "repeated_judgements_dropped": repeated,
        "min_alpha": min_alpha,
        "method": "unit bootstrap, percentile interval",
    }
    if usable.shape[0] < 2:
        return {
            **base,
            "estimable": False,
            "alpha": None,
            "reason": (
                "agreement needs at least two rated units (criteria, sites or cases), each judged "
                "by two raters or more"
            ),
        }
    out = agreement.bootstrap_alpha(
        usable, level="ordinal", n_boot=n_boot, rng=rng, min_alpha=min_alpha
    )
    if not np.isfinite(out["alpha"]):
        return {
            **base,
            "estimable": False,
            "alpha": None,
            "reason": (
                "all judgements are at the same level: agreement cannot be told apart from chance"
            ),
        }
    note = None
    if usable.shape[0] < 10:
        note = (
            f"only {usable.shape[0]} units: the bootstrap interval is rough; rate more units "
            "(criteria, sites or cases) for a firmer one"
        )
    return {**base, **out, "estimable": True, "below_min": out["alpha"] < min_alpha, "note": note}


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
                reason="every judgement says the evidence is insufficient",
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


def protect_levels(
    result: dict[str, Any],
    ranks: np.ndarray,
    roles: pd.Series | None,
    scale_ids: list[str],
    threshold: int,
    min_cell: int,
) -> None:
    """Hide, in place, the judgement counts that are small or that the published totals
    would give back. Roles × levels, with each role's rated judgements, judgements saying the
    evidence is insufficient, all judgements and judgements at or above the threshold, and the
    same figures overall (column totals), is one system for the privacy package's algorithm
    (hidden roles and rows without a role are forced hidden rows: their figures are not
    published)."""
    role_values = roles.fillna("").to_numpy() if roles is not None else np.array([""] * len(ranks))
    names = sorted({r or NO_GROUP for r in role_values})
    levels = len(scale_ids)
    extra = ("insufficient", "total", "rated", "above")
    rows = len(names)
    sizes: dict[tuple[int, Any], int] = {}
    for i in range(rows + 1):
        mask = (
            np.ones(len(ranks), dtype=bool)
            if i == rows
            else np.array([(r or NO_GROUP) == names[i] for r in role_values], dtype=bool)
        )
        counts = np.bincount(ranks[mask & (ranks >= 0)], minlength=levels)
        sizes.update({(i, j): int(counts[j]) for j in range(levels)})
        sizes[(i, "insufficient")] = int((ranks[mask] == INSUFFICIENT).sum())
        sizes[(i, "total")] = int(mask.sum())
        sizes[(i, "rated")] = int(counts.sum())
        sizes[(i, "above")] = int(counts[threshold:].sum())
    equations: list[dict[tuple[int, Any], float]] = []
    for i in range(rows + 1):
        inner = {(i, j): 1.0 for j in range(levels)}
        equations.append({**inner, (i, "rated"): -1.0})
        equations.append({(i, "rated"): 1.0, (i, "insufficient"): 1.0, (i, "total"): -1.0})
        above = {(i, j): 1.0 for j in range(threshold, levels)}
        equations.append({**above, (i, "above"): -1.0})
    for column in [*range(levels), *extra]:
        equations.append({**{(i, column): 1.0 for i in range(rows)}, (rows, column): -1.0})
    by_role = result.get("by_role") or {}
    whole = {i for i, name in enumerate(names) if name == NO_GROUP}
    whole |= {i for i, name in enumerate(names) if (by_role.get(name) or {}).get("suppressed")}
    # a share at or above the threshold published with its n gives the people below it: when
    # either side counts 1 to min_cell − 1 raters, the share is hidden (as for a proportion)
    below = {i for i in range(rows + 1) if 0 < sizes[(i, "rated")] - sizes[(i, "above")] < min_cell}
    # the overall n and each role's n are complements of last resort; a row (or the overall)
    # whose n would have to go is hidden whole instead, since its shares would give n back
    keep = [(i, "rated") for i in range(rows + 1)]
    for _ in range(rows + 2):
        forced = [(i, c) for i in whole for c in [*range(levels), *extra]]
        forced += [(i, "above") for i in below]
        hidden = suppressed_cells(sizes, min_cell, forced=forced, totals=equations, keep=keep)
        lost = {i for i in range(rows + 1) if (i, "rated") in hidden} - whole
        if not lost:
            break
        whole |= lost
    if rows in whole:
        result.update(_suppressed_overall(scale_ids, min_cell, result.get("n_raters") or 0))
        result["reason"] = reason("complement", min_cell)
        for cell in by_role.values():
            if not cell.get("suppressed"):
                cell.clear()
                cell.update(n_raters=None, n_judgements=None, **suppressed("complement", min_cell))
        return
    for i in whole - {rows}:
        cell = by_role.get(names[i])
        if cell is not None and not cell.get("suppressed"):
            cell.clear()
            cell.update(n_raters=None, n_judgements=None, **suppressed("complement", min_cell))
    for i in range(rows + 1):
        cell = result if i == rows else by_role.get(names[i])
        if cell is None or cell.get("suppressed"):
            continue
        gone = [c for (r, c) in hidden if r == i]
        if not gone:
            continue
        for c in gone:
            if isinstance(c, int):
                cell["counts"][scale_ids[c]] = None
                cell["shares"][scale_ids[c]] = None
            elif c == "insufficient":
                cell["n_insufficient"] = None
            elif c == "total":
                cell.update(n_judgements=None, n_raters=None)
            elif c == "rated":
                cell["n_rated"] = None
                if i == rows:
                    cell["n"] = None
            elif c == "above":
                cell.update(n_at_or_above=None, share_at_or_above=None)
                if i == rows:
                    code = "small_trait" if i in below else "complement"
                    cell.update(
                        value=None,
                        ci_low=None,
                        ci_high=None,
                        status="suppressed",
                        value_reason=reason(code, min_cell),
                    )
        small = any(0 < sizes[(i, c)] < min_cell for c in gone)
        cell["hidden_counts"] = reason("small_cell" if small else "complement", min_cell)


def _suppressed_overall(scale_ids: list[str], min_cell: int, n_raters: int) -> dict[str, Any]:
    return {
        **suppressed("small_cell", min_cell),
        "status": "suppressed",
        "n_raters": None,
        "n_judgements": None,
        "n_rated": None,
        "n_insufficient": None,
        "n": None,
        "counts": {level: None for level in scale_ids},
        "shares": {level: None for level in scale_ids},
        "median_level": None,
        "lower_quartile_level": None,
        "n_at_or_above": None,
        "share_at_or_above": None,
        "value": None,
        "ci_low": None,
        "ci_high": None,
    }


def _status(share: float | None, target: float | None, better: str) -> str:
    if share is None:
        return "not_estimable"
    if target is None:
        return "no_target"
    met = share >= target if better == "higher" else share <= target
    return "met" if met else "not_met"


def role_cells(
    raters: pd.Series, roles: pd.Series | None
) -> tuple[dict[str, int], dict[str, set[Any]]]:
    """Distinct raters (or sources) per role; rows without a role form the unpublished cell
    `NO_GROUP`, which counts as hidden (the total minus the shown roles would give it back)."""
    if roles is None:
        return {}, {}
    role_values = roles.fillna("").to_numpy()
    rater_values = raters.to_numpy()
    members = {
        (role or NO_GROUP): set(rater_values[role_values == role]) - {pd.NA, None}
        for role in pd.unique(role_values)
    }
    return {role: len(people) for role, people in members.items()}, members


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
            "reason": "no role column" if roles is None else "people_served_roles is not declared",
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


def _agreement(
    frame: pd.DataFrame,
    ranks: np.ndarray,
    args: RubricArgs,
    rng: np.random.Generator,
    wide: pd.DataFrame | None,
    lookup: dict[str, int],
    min_cell: int,
) -> dict[str, Any]:
    if args.agreement == "none":
        return {"estimable": False, "alpha": None, "reason": "agreement: none"}

    def unit_columns(table: pd.DataFrame) -> list[str]:
        return [c for c in (args.criterion, args.unit) if c and c in table.columns]

    def on(table: pd.DataFrame, table_ranks: np.ndarray, scope: str) -> dict[str, Any]:
        out = agreement_on(
            table,
            table_ranks,
            rater=args.rater,
            unit_columns=unit_columns(table),
            n_levels=len(args.scale),
            n_boot=args.bootstrap,
            rng=rng,
            min_alpha=args.min_alpha,
        )
        if out["n_raters"] < min_cell:
            out.update(
                estimable=False,
                suppressed=True,
                alpha=None,
                ci_low=None,
                ci_high=None,
                p_below_min=None,
                below_min=None,
                reason=reason("small_cell", min_cell),
            )
        return {"scope": scope, **out}

    if args.agreement == "source" and wide is not None:
        return on(wide, level_ranks(wide[args.level], lookup), "source")
    rows = on(frame, ranks, "rows")
    if args.agreement == "rows" or rows["n_units"] >= 2 or wide is None:
        return rows
    return on(wide, level_ranks(wide[args.level], lookup), "source")


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


# --- themes engine --------------------------------------------------------------------------


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


def _published(n: int, min_cell: int) -> int | None:
    """A count of distinct sources, or None from 1 to min_cell − 1."""
    return None if 0 < n < min_cell else n


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


# --- adapters -------------------------------------------------------------------------------


def compute_rubric_indicator(indicator: Any, ctx: Any) -> dict[str, Any]:
    """Results of a `rubric:` indicator (the lead's indicator registry calls this)."""
    args: RubricArgs = indicator.rubric
    source, where = _source_and_where(indicator, args, "rubric")
    frame = ctx.frame(source, where)
    needed = [args.level, args.rater]
    _check_columns(frame, needed, source, indicator.id)
    explicit = args.model_fields_set
    for key in ("role", "evidence", "criterion", "unit"):
        column = getattr(args, key)
        if column and column not in frame.columns and (key in explicit or key == "unit"):
            _check_columns(frame, [column], source, indicator.id)
    wide = None
    if args.agreement in ("auto", "source"):
        wide = ctx.frame(source, args.agreement_where, where_key="agreement_where")
    if indicator.by:
        ctx.warn(
            "indicators",
            indicator.id,
            {
                "fr": "`by` n'est pas utilisé pour les indicateurs `rubric` : les résultats "
                "sont donnés par rôle",
                "en": "`by` is not used for rubric indicators: results are given per role",
            },
        )
    rng = np.random.default_rng([int(ctx.seed), zlib.crc32(indicator.id.encode())])
    result, warnings = summarise_rubric(
        frame,
        args=args,
        min_cell=ctx.min_cell,
        rng=rng,
        agreement_frame=wide,
        target=indicator.target,
        better=indicator.better,
    )
    for message in warnings:
        ctx.warn("indicators", indicator.id, message)
    return {
        "id": indicator.id,
        "label": _label_dict(indicator.label, None),
        "data": source,
        "where": where,
        **result,
        "baseline": indicator.baseline,
        "by": [],
    }


def compute_themes_indicator(indicator: Any, ctx: Any) -> dict[str, Any]:
    """Results of a `themes:` indicator (the lead's indicator registry calls this)."""
    args: ThemesArgs = indicator.themes
    source, where = _source_and_where(indicator, args, "themes")
    frame = ctx.frame(source, where)
    _check_columns(frame, [args.source, args.code], source, indicator.id)
    for key in ("role", "excerpt", "criterion"):
        column = getattr(args, key)
        if column and column not in frame.columns and key in args.model_fields_set:
            _check_columns(frame, [column], source, indicator.id)
    result = summarise_themes(frame, args=args, min_cell=ctx.min_cell)
    return {
        "id": indicator.id,
        "label": _label_dict(indicator.label, None),
        "data": source,
        "where": where,
        **result,
        "target": None,
        "baseline": None,
        "by": [],
    }


def _source_and_where(indicator: Any, args: Any, kind: str) -> tuple[str, str | None]:
    source = args.data or indicator.data
    if not source:
        raise FrameworkError(
            f"indicator {indicator.id!r}: a {kind} indicator needs `data` (the table of "
            f"{'judgements' if kind == 'rubric' else 'coded segments'})"
        )
    return source, args.where if args.where is not None else indicator.where


def _check_columns(frame: pd.DataFrame, columns: list[str], source: str, item: str) -> None:
    for column in columns:
        if column not in frame.columns:
            near = difflib.get_close_matches(column, [str(c) for c in frame.columns], n=3)
            hint = f"; did you mean {', '.join(map(repr, near))}?" if near else ""
            raise FrameworkError(
                f"indicator {item!r}: no column {column!r} in data source {source!r}{hint}"
            )


def _plain(value: Any) -> str:
    """A level as text; 3.0 read from a CSV is the alias 3."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _label_dict(label: Any, default: str | None) -> dict[str, str] | None:
    if label is None:
        if default is None:
            return None
        known = LEVEL_LABELS.get(level_key(default))
        return dict(known) if known else {"fr": default, "en": default}
    return {"fr": label_text(label, "fr"), "en": label_text(label, "en")}


def _codebook_label(entry: Any, code: str) -> dict[str, str]:
    label = getattr(entry, "label", entry)
    return _label_dict(label, None) or {"fr": code, "en": code}
