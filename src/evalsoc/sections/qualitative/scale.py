"""A rubric's scale: level spellings, rank codes, distributions and the plain-text labels.

Shared by the rubric engine, agreement and themes, so kept apart from each of them.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from evalsoc.framework.base import label_text
from evalsoc.sections.qualitative.config import (
    INSUFFICIENT_EVIDENCE,
    LEVEL_LABELS,
    VERDICT_LEVELS,
    ScaleLevel,
    level_key,
)

INSUFFICIENT = -1  # rank code of "insufficient evidence"


UNKNOWN = -2  # rank code of a level not on the scale


MISSING = -3  # rank code of an empty level


INSUFFICIENT_SPELLINGS = (INSUFFICIENT_EVIDENCE, "insufficient_evidence", "preuves_insuffisantes")


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
