"""Qualitative indicators: raters' rubric judgements and coded themes.

`compute_rubric_indicator` and `compute_themes_indicator` are thin adapters from an
`IndicatorSpec` and the run context to the pure engines `summarise_rubric` and
`summarise_themes`, which work on plain DataFrames. Privacy: per-role cells from fewer than
`min_cell` distinct raters (or sources) are suppressed, with secondary suppression so that no
hidden cell can be recovered by subtracting the shown ones from the total. Raters' identities
never leave this module.
"""

from __future__ import annotations

import difflib
import zlib
from typing import Any

import numpy as np
import pandas as pd

from evalsoc.errors import FrameworkError
from evalsoc.framework.base import label_text
from evalsoc.framework.sections.rubrics import (
    INSUFFICIENT_EVIDENCE,
    LEVEL_LABELS,
    VERDICT_LEVELS,
    RubricArgs,
    ScaleLevel,
    ThemesArgs,
    level_key,
)
from evalsoc.measures import agreement
from evalsoc.measures.common import jsonable

INSUFFICIENT = -1  # rank code of "insufficient evidence"
UNKNOWN = -2  # rank code of a level not on the scale
MISSING = -3  # rank code of an empty level
INSUFFICIENT_SPELLINGS = (INSUFFICIENT_EVIDENCE, "insufficient_evidence", "preuves_insuffisantes")


# --- privacy --------------------------------------------------------------------------------


def suppressed_cells(sizes: dict[str, int], min_cell: int) -> set[str]:
    """Cells to hide: those below `min_cell`, plus the smallest others until the hidden cells
    together reach `min_cell` (otherwise total − shown cells would reveal a small cell)."""
    hidden = {key for key, size in sizes.items() if 0 < size < min_cell}
    if not hidden:
        return hidden
    shown = sorted((size, key) for key, size in sizes.items() if key not in hidden and size > 0)
    while sum(sizes[k] for k in hidden) < min_cell and shown:
        hidden.add(shown.pop(0)[1])
    return hidden


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
) -> tuple[dict[str, Any], list[str]]:
    """The rubric's distribution, median, share at or above the threshold, per-role cells,
    role disagreement, ordinal α with CI, participation of the people served, evidence.

    `agreement_frame` (optional) is a wider table used for α when the rows hold fewer than two
    units. Returns (result, warnings).
    """
    warnings: list[str] = []
    scale_ids = [level.id for level in args.scale]
    lookup = level_lookup(args.scale, args.insufficient)
    threshold = lookup[level_key(args.threshold)]
    ranks = level_ranks(frame[args.level], lookup)
    unknown = sorted({_plain(v) for v in frame[args.level][ranks == UNKNOWN]})
    if unknown:
        warnings.append(
            f"{int((ranks == UNKNOWN).sum())} judgement(s) with levels not on the scale were "
            f"left out: {', '.join(unknown[:5])}"
        )
    n_missing = int((ranks == MISSING).sum())
    if n_missing:
        warnings.append(f"{n_missing} row(s) without a level were left out")
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
    result["by_role"], result["disagreement"] = _by_role(
        ranks, raters, roles, scale_ids, threshold, min_cell, result["suppressed"]
    )
    result["roles_disagree_most"] = (
        result["disagreement"][0]["roles"]
        if result["disagreement"] and abs(result["disagreement"][0]["cliffs_delta"]) > 0
        else None
    )
    result["people_served"] = _people_served(ranks, raters, roles, args.people_served_roles)
    if has_role and not args.people_served_roles:
        warnings.append(
            "the participation of the people served is not reported: declare which roles are "
            "the people served with `people_served_roles`"
        )

    result["agreement"] = _agreement(frame, ranks, args, rng, agreement_frame, lookup, min_cell)
    alpha_value = result["agreement"].get("alpha")
    if alpha_value is not None and alpha_value < args.min_alpha:
        warnings.append(
            f"raters agree weakly: Krippendorff's alpha = {alpha_value:.3f}, below "
            f"{args.min_alpha} (conclusions from these judgements are tentative)"
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
    result["evidence"] = _evidence(frame, ranks, args, criteria, roles, scale_ids, hidden_roles)
    return jsonable(result), warnings


def _suppressed_overall(scale_ids: list[str], min_cell: int, n_raters: int) -> dict[str, Any]:
    return {
        "suppressed": True,
        "status": "suppressed",
        "reason": f"fewer than {min_cell} raters ({n_raters}): figures are not shown",
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


def _by_role(
    ranks: np.ndarray,
    raters: pd.Series,
    roles: pd.Series | None,
    scale_ids: list[str],
    threshold: int,
    min_cell: int,
    all_hidden: bool,
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    if roles is None:
        return {}, []
    role_values = roles.fillna("").to_numpy()
    sizes = {
        role: int(raters[role_values == role].nunique()) for role in pd.unique(role_values) if role
    }
    hidden = set(sizes) if all_hidden else suppressed_cells(sizes, min_cell)
    cells: dict[str, Any] = {}
    counts: dict[str, np.ndarray] = {}
    for role in sorted(sizes):
        mask = role_values == role
        if role in hidden:
            cells[role] = {
                "n_raters": None,
                "n_judgements": None,
                "suppressed": True,
                "reason": f"fewer than {min_cell} raters in this group, or needed to protect "
                "another small group",
            }
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
    return cells, pairs


def _people_served(
    ranks: np.ndarray, raters: pd.Series, roles: pd.Series | None, served: list[str]
) -> dict[str, Any]:
    if roles is None or not served:
        return {
            "roles": served,
            "n_raters": None,
            "n_judgements": None,
            "share_of_judgements": None,
            "reason": "no role column" if roles is None else "people_served_roles is not declared",
        }
    wanted = {level_key(role) for role in served}
    mask = roles.fillna("").map(level_key).isin(wanted).to_numpy()
    return {
        "roles": served,
        "n_raters": int(raters[mask].nunique()),
        "n_judgements": int(mask.sum()),
        "share_of_judgements": float(mask.mean()) if len(mask) else None,
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
                reason=f"fewer than {min_cell} raters: agreement is not shown",
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
    co-occurrence of codes within a source; per-role cells below `min_cell` sources hidden."""
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
            by_criterion={},
            by_role={},
            cooccurrence=None,
            reason=f"fewer than {min_cell} sources ({n_sources}): figures are not shown",
        )
        result["excerpts"] = _excerpts(frame, args, sources, codes, set())
        return jsonable(result)

    incidence = pd.crosstab(sources, codes).clip(upper=1).reindex(columns=code_ids, fill_value=0)
    segments = codes.value_counts().reindex(code_ids, fill_value=0)
    in_sources = incidence.sum(axis=0)
    result["frequency"] = {
        c: {
            "n_sources": int(in_sources[c]),
            "share_of_sources": in_sources[c] / n_sources,
            "n_segments": int(segments[c]),
        }
        for c in code_ids
    }
    result["value"] = None
    result["status"] = "no_target"
    matrix = incidence.to_numpy().T @ incidence.to_numpy()
    result["cooccurrence"] = {"codes": code_ids, "n_sources": matrix.astype(int).tolist()}

    if args.criterion and args.criterion in frame.columns:
        crit = frame[args.criterion].astype("string").fillna("")
        result["by_criterion"] = {
            key: _code_sources(sources[crit == key], codes[crit == key], code_ids)
            for key in sorted(crit.unique().tolist())
            if key
        }
    else:
        result["by_criterion"] = {}

    hidden: set[str] = set()
    result["by_role"] = {}
    if args.role and args.role in frame.columns:
        roles = frame[args.role].astype("string").fillna("")
        sizes = {r: int(sources[roles == r].nunique()) for r in roles.unique().tolist() if r}
        hidden = suppressed_cells(sizes, min_cell)
        for role in sorted(sizes):
            if role in hidden:
                result["by_role"][role] = {
                    "n_sources": None,
                    "suppressed": True,
                    "reason": f"fewer than {min_cell} sources in this group, or needed to "
                    "protect another small group",
                }
            else:
                result["by_role"][role] = {
                    "n_sources": sizes[role],
                    "suppressed": False,
                    "codes": _code_sources(sources[roles == role], codes[roles == role], code_ids),
                }
        roles_series = roles
    else:
        roles_series = None
    result["excerpts"] = _excerpts(frame, args, sources, codes, hidden, roles_series)
    return jsonable(result)


def _code_sources(sources: pd.Series, codes: pd.Series, code_ids: list[str]) -> dict[str, int]:
    pairs = pd.DataFrame({"s": sources.to_numpy(), "c": codes.to_numpy()}).drop_duplicates()
    counts = pairs["c"].value_counts()
    return {c: int(counts.get(c, 0)) for c in code_ids}


def _excerpts(
    frame: pd.DataFrame,
    args: ThemesArgs,
    sources: pd.Series,
    codes: pd.Series,
    hidden: set[str],
    roles: pd.Series | None = None,
) -> list[dict[str, Any]]:
    if not args.excerpt or args.excerpt not in frame.columns:
        return []
    texts = frame[args.excerpt].astype("string").str.strip()
    crit = (
        frame[args.criterion].astype("string")
        if args.criterion and args.criterion in frame.columns
        else None
    )
    out = []
    for i in np.flatnonzero((texts.notna() & (texts != "")).to_numpy()):
        role = roles.iloc[i] if roles is not None else None
        out.append(
            {
                "criterion": crit.iloc[i] if crit is not None else None,
                "code": codes.iloc[i],
                "role": role if role and role not in hidden else None,
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
            "`by` is not used for rubric indicators: results are given per role",
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
