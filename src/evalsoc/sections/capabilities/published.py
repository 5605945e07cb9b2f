"""What a capability set publishes at each k: headcount, intensity, MPI, the dimensions'
contributions, and empowerment (parity) between groups, with small cells suppressed.
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

import numpy as np

from evalsoc.privacy.cells import suppressed
from evalsoc.privacy.tables import protect_line
from evalsoc.problems import problem
from evalsoc.sections.capabilities.engine import AlkireFoster
from evalsoc.sections.capabilities.scoring import SECTION, _sort_labels
from evalsoc.stats.scales import reliability


def _dimensions(
    spec: Any,
    ctx: Any,
    engine: AlkireFoster,
    dims: list[dict[str, Any]],
    missing: np.ndarray,
    keep: np.ndarray,
    base: np.ndarray | None,
    count: np.ndarray | None = None,
) -> dict[str, Any]:
    """Each dimension's declaration, uncensored headcount and reliability. `count`: persons per
    row when the rows are groups of identical persons (the DuckDB engine's)."""
    headcount, headcount_se = engine.uncensored(base)
    out: dict[str, Any] = {}
    for j, (dim, scored) in enumerate(zip(spec.dimensions, dims)):
        entry: dict[str, Any] = {
            "label": dim.label.model_dump() if hasattr(dim.label, "model_dump") else dim.label,
            "weight": str(engine.fractions[j]),
            "weight_value": float(engine.fractions[j]),
            "kind": "cutoff" if dim.cutoff is not None else "condition",
            "cutoff": dim.cutoff,
            "deprived": dim.deprived,
            "items": list(dim.items),
            "reverse": list(dim.reverse),
            "combine": dim.combine,
            "n_missing": int(missing[:, j].sum() if count is None else count[missing[:, j]].sum()),
            "uncensored_headcount": _finite(headcount[j]),
            "uncensored_headcount_se": _finite(headcount_se[j]),
            "alpha": None,
            "omega": None,
        }
        counted = scored.get("items_counted")  # in the engine: distinct answers, persons
        if counted is None and scored["items"] is not None:
            # The complete rows kept (scoring's `missing`: an item is NaN), copied once.
            complete = keep & ~scored["missing"]
            counted = (scored["items"][complete], None if count is None else count[complete])
        if counted is not None and len(dim.items) >= 2:
            rel = reliability(counted[0], dim.items, counts=counted[1])
            rel = _worded_reliability(rel)
            entry["reliability"] = rel
            entry["alpha"] = rel.get("alpha")
            entry["alpha_ci"] = rel.get("alpha_ci")
            entry["omega"] = rel.get("omega")
            entry["item_rest"] = rel.get("item_rest")
            if rel.get("alpha_below_threshold"):
                alpha_text = f"{rel['alpha']:.2f}"
                ctx.warn(
                    SECTION,
                    spec.id,
                    {
                        "fr": f"dimension « {dim.id} » : l'α de Cronbach vaut "
                        f"{alpha_text.replace('.', ',')}, sous 0,7 ; ses items ne mesurent "
                        "peut-être pas une seule et même chose",
                        "en": f"dimension {dim.id!r}: Cronbach's α = {alpha_text} is below 0.7; "
                        "its items may not measure one thing",
                    },
                )
        out[dim.id] = entry
    return out


def _results_at_k(
    spec: Any,
    engine: AlkireFoster,
    text: str,
    k: Fraction,
    base: np.ndarray | None,
    min_cell: int,
) -> dict[str, Any]:
    result = engine.at_k(k, base)
    result["k_text"] = text
    result["by"] = {}
    for column in spec.by:
        groups: dict[str, Any] = {}
        masks = {}
        for value in _sort_labels(list(engine.label_values[column])):
            group = engine.domain(**{column: value})
            if base is not None:
                group &= base
            if engine.persons_in(group):
                masks[value] = group
        values = list(masks)
        sizes = [engine.persons_in(masks[v]) for v in values]
        # the overall n is published: the subgroups are a line whose total is known
        hidden = protect_line(sizes, min_cell)
        for index, value in enumerate(values):
            group, n = masks[value], sizes[index]
            if index in hidden:
                code = "small_cell" if 0 < n < min_cell else "complement"
                groups[value] = suppressed(code, min_cell, H=None, A=None, M0=None)
                continue
            sub = engine.at_k(k, group)
            share = engine.population_share(group, base)
            sub["dimension_contribution"] = sub.pop("contribution")
            sub["population_share"] = share
            m0 = result["M0"]
            sub["contribution"] = share * sub["M0"] / m0 if m0 and sub["M0"] is not None else None
            groups[value] = sub
        result["by"][column] = groups
    return result


def _empowerment(
    spec: Any, engine: AlkireFoster, base: np.ndarray | None, min_cell: int
) -> dict[str, Any]:
    out = engine.empowerment(spec.empowered_share, base)
    if spec.parity is None:
        return out
    by, (reference, focal) = spec.parity.by, spec.parity.groups
    masks = []
    for value in (reference, focal):
        mask = engine.domain(**{by: value})
        masks.append(mask if base is None else mask & base)
    parity: dict[str, Any] = {"by": by, "reference": reference, "focal": focal}
    absent = [v for v, m in zip((reference, focal), masks) if engine.persons_in(m) == 0]
    small = [v for v, m in zip((reference, focal), masks) if engine.persons_in(m) < min_cell]
    if absent:
        values = ", ".join(map(repr, absent))
        parity.update(
            {
                "estimable": False,
                "reason": problem("capability_parity_group_absent", by=by, values=values),
            }
        )
    elif small:
        parity.update({**suppressed("small_cell", min_cell), "groups": small})
    else:
        parity.update(engine.parity(spec.empowered_share, masks[0], masks[1]))
    out["parity"] = parity
    return out


def _worded_reliability(rel: dict[str, Any]) -> dict[str, Any]:
    """stats/ gives codes (`reason_code`, `omega_reason_code`); the published reasons are the
    catalogue's `{code, fr, en}` under `reason` and `omega_reason`, in the same places."""
    out: dict[str, Any] = {}
    for key, value in rel.items():
        if key.endswith("reason_code"):
            out[key.removesuffix("_code")] = problem(value) if value else None
        else:
            out[key] = value
    return out


def _finite(x: Any) -> float | None:
    x = float(x)
    return x if math.isfinite(x) else None
