"""What the steps every effect shares need of a design's answer (compute.finish_effect), and
the two of those steps an engine's answer also takes (did_in_engine.py): the group-size
refusal and the minimum detectable effect.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from evalsoc.problems import problem, worded
from evalsoc.sections.common import NotEstimable

POWER = 0.8


@dataclass
class Answer:
    """A design's result and what the steps every design shares need of its rows: whether the
    outcome is 0/1, the prepare step's facts, the effect sizes and the MDE (functions of the
    checked result), the compared groups' outcomes (None when the design gave counts)."""

    result: dict[str, Any]
    binary: bool
    facts: dict[str, Any]
    sizes: Callable[[dict[str, Any]], dict[str, Any] | None]
    mde: Callable[[dict[str, Any]], dict[str, Any]]
    groups: Any = None


def check_group_sizes(sizes: dict[str, int], min_cell: int) -> None:
    """Refuse an effect one of whose compared groups has 1 to min_cell − 1 people."""
    for group, size in sizes.items():
        if 0 < size < min_cell:
            raise NotEstimable("group_below_min_cell", min_cell=min_cell, group=worded(group))


def mde_from(
    result: dict[str, Any], spec: Any, icc: float | None, m: float | None
) -> dict[str, Any]:
    """The minimum detectable effect of `result` given the outcome's intra-cluster correlation
    `icc` and mean cluster size `m` (None without `cluster`)."""
    from evalsoc.sections.effects.sizes import minimum_detectable_effect

    deff = 1.0
    clustered_se = result.get("n_clusters") is not None
    if spec.cluster:
        if icc is not None and m is not None:
            deff = 1 + (m - 1) * icc
    applied = bool(spec.cluster) and not clustered_se
    value = minimum_detectable_effect(
        result.get("se"),  # type: ignore[arg-type]  # None: no MDE, as the function says
        spec.level,
        result.get("df"),
        POWER,
        deff if applied else 1.0,
    )
    return {
        "value": value,
        "power": POWER,
        "level": spec.level,
        "icc": icc,
        "mean_cluster_size": m,
        "design_effect": deff if spec.cluster else None,
        "design_effect_applied": applied,
        "note": problem("mde_cluster_se") if spec.cluster and clustered_se else None,
    }
