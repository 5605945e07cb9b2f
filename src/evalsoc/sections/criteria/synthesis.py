"""Synthesis per dimension: the profile of verdicts, and a weighted score only when asked."""

from __future__ import annotations

from typing import Any

import numpy as np

from evalsoc.framework.base import label_text
from evalsoc.problems import problem
from evalsoc.sections.criteria.elicitation import elicited_weights, role_weights
from evalsoc.sections.criteria.weights import weight_sensitivity
from evalsoc.sections.criteria.wording import RANK, _lvl, _num, _t
from evalsoc.sections.qualitative.config import VERDICT_LEVELS, SynthesisSpec


def _wants_score(framework: Any, spec: SynthesisSpec | None) -> bool:
    if spec is not None and spec.score is not None:
        return spec.score
    if spec is not None and spec.weights == "elicited":
        return True
    return any(d.weight is not None for d in framework.dimensions) or any(
        c.weight is not None for d in framework.dimensions for c in d.criteria
    )


def _weight(criterion: Any, elicited: dict[str, float] | None) -> float | None:
    return criterion.weight if elicited is None else elicited[criterion.id]


def _draws_from_roles(
    roles: list[dict[str, float]], used_crits: list[list[str]], draws: int, rng: Any
) -> tuple[list[np.ndarray], np.ndarray]:
    """Each draw takes one published stakeholder group's weights (uniformly over groups): the
    scores' stability then says whether the reading holds whichever group's priorities count."""
    picked = rng.integers(0, len(roles), size=draws)
    per_role = [[np.array([role[c] for c in crits]) for crits in used_crits] for role in roles]
    criteria = [np.stack([per_role[r][d] for r in picked]) for d in range(len(used_crits))]
    dims = np.stack([[w.sum() for w in per_role[r]] for r in picked])
    return criteria, dims


def _synthesis(
    framework: Any, criteria: dict[str, Any], dimensions: dict[str, Any], ctx: Any
) -> dict[str, Any]:
    spec = framework.synthesis or SynthesisSpec()
    if not _wants_score(framework, framework.synthesis):
        return {"mode": "profile"}
    points_of = spec.points
    bands = np.array([points_of[level] for level in VERDICT_LEVELS])
    seed = spec.seed if spec.seed is not None else ctx.seed
    used_dims, pts, wts, dim_w, used_crits = [], [], [], [], []
    elicited = elicited_weights(framework, ctx) if spec.weights == "elicited" else None
    for dim in framework.dimensions:
        usable = [
            c
            for c in dim.criteria
            if criteria[c.id]["verdict"] in RANK
            and (_weight(c, elicited) is None or _weight(c, elicited) > 0)
        ]
        dim_weight = 1.0 if dim.weight is None else dim.weight
        if elicited is not None:  # a dimension weighs the sum of its criteria's elicited weights
            dim_weight = sum(elicited[c.id] for c in usable)
        if not usable or dim_weight <= 0:
            dimensions[dim.id]["score_reason"] = problem(
                "synthesis_no_verdict" if not usable else "synthesis_weight_zero"
            )
            continue
        used_dims.append(dim.id)
        used_crits.append([c.id for c in usable])
        pts.append(np.array([points_of[criteria[c.id]["verdict"]] for c in usable]))
        wts.append(np.array([_weight(c, elicited) or 1.0 for c in usable]))
        dim_w.append(dim_weight)
    out: dict[str, Any] = {
        "mode": "weighted",
        "draws": spec.draws,
        "concentration": spec.concentration,
        "seed": seed,
        "points": dict(points_of),
        "robust_share": spec.robust_share,
    }
    if not used_dims:
        out.update(score=None, reason=problem("synthesis_nothing_to_score"))
        return out
    rng = np.random.default_rng(seed)
    drawn = None
    roles = role_weights(ctx) if elicited is not None else []
    if len(roles) >= 2:  # the spread across stakeholder groups, not an arbitrary Dirichlet
        drawn = _draws_from_roles(roles, used_crits, spec.draws, rng)
        out["weights_drawn_from"] = {"source": "roles", "roles": len(roles)}
    s = weight_sensitivity(
        pts,
        wts,
        np.array(dim_w),
        draws=spec.draws,
        concentration=spec.concentration,
        rng=rng,
        bands=bands,
        drawn_weights=drawn,
    )
    for d, dim_id in enumerate(used_dims):
        dimensions[dim_id].update(
            score=float(s["scores"][d]),
            weight=float(s["dimension_weights"][d]),
            band=VERDICT_LEVELS[int(s["dimension_band"][d])],
            band_stability=float(s["dimension_band_stability"][d]),
            rank=int(s["dimension_rank"][d]),
            rank_stability=float(s["dimension_rank_stability"][d]),
        )
    flat = [c for crits in used_crits for c in crits]
    for d, crits in enumerate(used_crits):
        for j, cid in enumerate(crits):
            criteria[cid]["weight"] = float(s["criterion_weights"][d][j])
    for i, cid in enumerate(flat):
        criteria[cid].update(
            contribution=float(s["criterion_contribution"][i]),
            rank=int(s["criterion_rank"][i]),
            rank_stability=float(s["criterion_rank_stability"][i]),
        )
    band = VERDICT_LEVELS[s["overall_band"]]
    out.update(score=s["overall"], band=band, interval_90=s["overall_interval"])
    conclusions = [
        {
            "id": "overall_band",
            "text": _t(
                f"Le score global ({_num(s['overall'], 'fr')}) correspond au niveau "
                f"{_lvl(band, 'fr')}.",
                f"The overall score ({_num(s['overall'], 'en')}) reads as {_lvl(band, 'en')}.",
            ),
            "stable_share": s["overall_band_stability"],
        }
    ]
    names = {
        d.id: (label_text(d.label, "fr", d.id), label_text(d.label, "en", d.id))
        for d in framework.dimensions
    }
    if s["top_dimension_stability"] is not None:
        top = used_dims[int(np.argmin(s["dimension_rank"]))]
        conclusions.append(
            {
                "id": f"top:{top}",
                "text": _t(
                    f"« {names[top][0]} » est la dimension la mieux notée.",
                    f"“{names[top][1]}” is the highest-scoring dimension.",
                ),
                "stable_share": s["top_dimension_stability"],
            }
        )
    for d, dim_id in enumerate(used_dims):
        level = VERDICT_LEVELS[int(s["dimension_band"][d])]
        conclusions.append(
            {
                "id": f"band:{dim_id}",
                "text": _t(
                    f"« {names[dim_id][0]} » se situe au niveau {_lvl(level, 'fr')}.",
                    f"“{names[dim_id][1]}” stands at {_lvl(level, 'en')}.",
                ),
                "stable_share": float(s["dimension_band_stability"][d]),
            }
        )
        conclusions.append(
            {
                "id": f"rank:{dim_id}",
                "text": _t(
                    f"« {names[dim_id][0]} » est au rang {int(s['dimension_rank'][d])}.",
                    f"“{names[dim_id][1]}” ranks {int(s['dimension_rank'][d])}.",
                ),
                "stable_share": float(s["dimension_rank_stability"][d]),
            }
        )
    for c in conclusions:
        c["robust"] = c["stable_share"] >= spec.robust_share
    out["conclusions"] = conclusions
    out["changed"] = [c["id"] for c in conclusions if not c["robust"]]
    return out
