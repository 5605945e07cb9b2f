"""Assemble compare.json's content from loaded runs (pure: same runs and seed → same dict)."""

from __future__ import annotations

from typing import Any

import numpy as np

from evalsoc.compare import consolidate as consolidation
from evalsoc.compare.matching import shared_ids
from evalsoc.compare.meta import METHODS, pool
from evalsoc.compare.rankings import (
    DRAWS,
    dominance_pairs,
    histogram_draws,
    kendall_with_ci,
    pareto_layers,
    rank_probabilities,
    weighted_scores,
)
from evalsoc.compare.readings import two_readings
from evalsoc.compare.runs import Run
from evalsoc.compare.text import comparison_reading, run_reading
from evalsoc.compare.trends import difference
from evalsoc.problems import problem

FORMAT = 1


def run_info(run: Run) -> dict[str, Any]:
    fw = run.results["framework"]
    title = fw.get("title")
    return {
        "label": run.label,
        "source": run.source,
        "framework_id": run.framework_id,
        "title": title if isinstance(title, dict) else {"fr": str(title), "en": str(title)},
        "period": fw.get("period") or {},
        "min_cell": run.min_cell,
        "definitions_from": run.definitions_from,
        "framework_sha256": (run.results.get("provenance") or {}).get("framework_sha256"),
    }


def labels_of(runs: list[Run]) -> dict[str, dict[str, str]]:
    """Reader-facing labels of indicators and effects (the framework's, else results.json's)."""
    labels: dict[str, dict[str, str]] = {}
    for run in runs:
        for key in ("indicators", "effects"):
            for ident, body in (run.results.get(key) or {}).items():
                label = body.get("label") if isinstance(body, dict) else None
                if isinstance(label, dict) and ident not in labels:
                    labels[ident] = {
                        "fr": str(label.get("fr", ident)),
                        "en": str(label.get("en", ident)),
                    }
        for ident, label in run.labels.items():
            labels.setdefault(ident, {"fr": label.get("fr", ident), "en": label.get("en", ident)})
    return dict(sorted(labels.items()))


def readings_of(run: Run) -> dict[str, Any]:
    body = two_readings(run.results)
    return {"run": run.label, **body, "text": run_reading(body["summary"])}


def compare_one(run: Run) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "mode": "one",
        "runs": [run_info(run)],
        "readings": [readings_of(run)],
        "indicators": [],
        "unmatched": {},
        "pooled_effects": [],
        "rankings": None,
        "labels": labels_of([run]),
        "text": None,
    }


def _point(run: Run, body: dict[str, Any]) -> dict[str, Any]:
    return {
        "run": run.label,
        "value": body.get("value"),
        "ci": [body.get("ci_low"), body.get("ci_high")],
        "n": body.get("n"),
        "count": body.get("count"),
        "status": body.get("status"),
        "suppressed": bool(body.get("suppressed")),
    }


def _count(body: dict[str, Any]) -> int | None:
    """People with the outcome: `count`, or for a share the published share × n (exact, since
    the share is count / n)."""
    if body.get("count") is not None:
        return int(body["count"])
    if body.get("kind") == "share" and body.get("value") is not None and body.get("n"):
        return round(body["value"] * body["n"])
    return None


def indicator_comparison(ind_id: str, runs: list[Run]) -> dict[str, Any]:
    having = [r for r in runs if ind_id in r.results["indicators"]]
    bodies = {r.label: r.results["indicators"][ind_id] for r in having}
    kinds = sorted({str(b.get("kind")) for b in bodies.values()})
    changes = []
    by_site: dict[str, list[Run]] = {}
    for r in having:
        by_site.setdefault(r.framework_id, []).append(r)
    for site, series in sorted(by_site.items()):
        for before, after in zip(series, series[1:]):
            change: dict[str, Any] = {"site": site, "from": before.label, "to": after.label}
            d1, d2 = before.definitions.get(ind_id), after.definitions.get(ind_id)
            if d1 is not None and d2 is not None and d1 != d2:
                change.update(
                    definition_changed=True,
                    difference=None,
                    exceeds_uncertainty=None,
                    reason=problem("compare_definition_changed"),
                )
            else:
                change.update(
                    definition_changed=False,
                    **difference(bodies[before.label], bodies[after.label]),
                )
            changes.append(change)
    consolidated = []
    periods = sorted({r.period for r in having})
    for period in periods:
        group = [r for r in having if r.period == period]
        if len({r.framework_id for r in group}) < 2 or len(kinds) != 1:
            continue
        kind = "proportion" if kinds[0] == "share" else kinds[0]
        contributions = [
            {
                "run": r.label,
                "published": not bodies[r.label].get("suppressed")
                and bodies[r.label].get("value") is not None,
                "value": bodies[r.label].get("value"),
                "n": bodies[r.label].get("n"),
                "count": _count(bodies[r.label]),
                "ci_low": bodies[r.label].get("ci_low"),
                "ci_high": bodies[r.label].get("ci_high"),
            }
            for r in group
        ]
        min_cell = max(r.min_cell for r in group)
        consolidated.append(
            {"period": period, **consolidation.consolidate(kind, contributions, min_cell)}
        )
    return {
        "id": ind_id,
        "kind": kinds[0] if len(kinds) == 1 else "mixed",
        "points": [_point(r, bodies[r.label]) for r in having],
        "changes": changes,
        "consolidated": consolidated,
    }


def pooled_effects(effect_ids: list[str], runs: list[Run]) -> list[dict[str, Any]]:
    out = []
    for eff_id in effect_ids:
        having = [
            r
            for r in runs
            if (r.results.get("effects") or {}).get(eff_id, {}).get("estimate") is not None
            and (r.results["effects"][eff_id].get("se") or 0) > 0
        ]
        groups: dict[str, list[Run]] = {}
        for r in having:
            groups.setdefault(r.period, []).append(r)
        usable = {p: g for p, g in groups.items() if len(g) >= 2}
        if not usable and len(having) >= 2:
            usable = {"all": having}
        for period, group in sorted(usable.items()):
            est = [float(r.results["effects"][eff_id]["estimate"]) for r in group]
            se = [float(r.results["effects"][eff_id]["se"]) for r in group]
            out.append(
                {
                    "effect": eff_id,
                    "period": period,
                    "runs": [r.label for r in group],
                    "estimates": est,
                    "se": se,
                    "ci": [
                        [e - 1.959963984540054 * s, e + 1.959963984540054 * s]
                        for e, s in zip(est, se)
                    ],
                    "better": group[0].results["effects"][eff_id].get("better") or "higher",
                    "methods": {m: pool(est, [s**2 for s in se], m) for m in METHODS},
                }
            )
    return out


def rankings(
    runs: list[Run], criteria: list[str], effect_ids: list[str], seed: int
) -> dict[str, Any]:
    rng = np.random.default_rng(seed)
    labels = [r.label for r in runs]
    profiles = [
        {c: (r.results["criteria"].get(c) or {}).get("verdict") for c in criteria} for r in runs
    ]
    utility: dict[str, Any] = {
        "criteria": criteria,
        "profiles": profiles,
        "pareto_layer": pareto_layers(profiles),
        "dominates": dominance_pairs(labels, profiles),
        "weighted": None,
    }
    weights = next((r.weights for r in runs if r.weights), {})
    weights = {c: w for c, w in weights.items() if c in criteria}
    if weights:
        utility["weighted"] = weighted_scores(profiles, weights, rng)
    impact: dict[str, Any] = {"effects": [], "sroi": None}
    for eff_id in effect_ids:
        bodies = [(r.results.get("effects") or {}).get(eff_id) or {} for r in runs]
        if not all(b.get("estimate") is not None and (b.get("se") or 0) > 0 for b in bodies):
            continue
        higher = (bodies[0].get("better") or "higher") == "higher"
        est = np.array([b["estimate"] for b in bodies], dtype=float)
        se = np.array([b["se"] for b in bodies], dtype=float)
        draws = rng.normal(est, se, size=(DRAWS, len(runs)))
        from evalsoc.compare.rankings import competition_ranks

        impact["effects"].append(
            {
                "effect": eff_id,
                "estimates": est.tolist(),
                "ranks": competition_ranks(est, higher).tolist(),
                "rank_probabilities": rank_probabilities(draws, higher),
            }
        )
    sroi = [(r.results.get("sroi") or {}) for r in runs]
    if all(s.get("estimable") and (s.get("monte_carlo") or {}).get("histogram") for s in sroi):
        from evalsoc.compare.rankings import competition_ranks

        ratios = np.array([s["ratio"] for s in sroi], dtype=float)
        draws = np.column_stack(
            [histogram_draws(s["monte_carlo"]["histogram"], rng, DRAWS) for s in sroi]
        )
        impact["sroi"] = {
            "ratios": ratios.tolist(),
            "ci95": [s["monte_carlo"].get("ci95") for s in sroi],
            "ranks": competition_ranks(ratios).tolist(),
            "rank_probabilities": rank_probabilities(draws),
        }
    agreement = None
    impact_ranks, impact_basis = None, None
    if impact["sroi"]:
        impact_ranks, impact_basis = impact["sroi"]["ranks"], "sroi_ratio"
    elif impact["effects"]:
        impact_ranks, impact_basis = impact["effects"][0]["ranks"], impact["effects"][0]["effect"]
    if utility["weighted"]:
        utility_ranks, utility_basis = utility["weighted"]["ranks"], "weighted_score"
    else:
        utility_ranks, utility_basis = utility["pareto_layer"], "pareto_layer"
    if impact_ranks is not None:
        agreement = {
            "utility_basis": utility_basis,
            "impact_basis": impact_basis,
            **kendall_with_ci([float(x) for x in utility_ranks], [float(x) for x in impact_ranks]),
        }
        moves = [
            {"run": lab, "utility_rank": int(u), "impact_rank": int(i), "shift": int(i) - int(u)}
            for lab, u, i in zip(labels, utility_ranks, impact_ranks)
        ]
        agreement["moves"] = sorted(moves, key=lambda m: (-abs(m["shift"]), m["run"]))
    return {
        "runs": labels,
        "seed": seed,
        "utility": utility,
        "impact": impact,
        "agreement": agreement,
    }


def compare_many(runs: list[Run], seed: int) -> dict[str, Any]:
    indicators, unmatched = shared_ids(runs, "indicators")
    effects, _ = shared_ids(runs, "effects")
    criteria, _ = shared_ids(runs, "criteria")
    result: dict[str, Any] = {
        "format": FORMAT,
        "mode": "many",
        "runs": [run_info(r) for r in runs],
        "readings": [readings_of(r) for r in runs],
        "indicators": [indicator_comparison(i, runs) for i in indicators],
        "unmatched": unmatched,
        "pooled_effects": pooled_effects(effects, runs),
        "rankings": rankings(runs, criteria, effects, seed),
        "labels": labels_of(runs),
    }
    result["text"] = comparison_reading(result)
    return result
