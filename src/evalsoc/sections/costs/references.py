"""Load-time checks of `costs:` against the rest of the framework: the indicators and effects
its ratios divide by exist, and `resources: ...` has a resources section to read."""

from __future__ import annotations

import difflib
from typing import Any

Loc = tuple[str | int, ...]


def _near(name: str, options: list[str]) -> str:
    near = difflib.get_close_matches(name, options, n=3, cutoff=0.6)
    return f"; did you mean {', '.join(map(repr, near))}?" if near else ""


def cost_reference_problems(framework: Any) -> list[tuple[Loc, str]]:
    spec = getattr(framework, "costs", None)
    if spec is None:
        return []
    problems: list[tuple[Loc, str]] = []
    if spec.cost.resources is not None and getattr(framework, "resources", None) is None:
        problems.append(
            (
                ("costs", "cost", "resources"),
                "`resources: ...` takes the resources section's total, but the framework has no "
                "`resources:` section; declare it or give the cost as `amount`",
            )
        )
    known = {
        "indicator": [i.id for _, _, i in framework.all_indicators()],
        "effect": [e.id for e in framework.effects],
    }
    for i, ratio in enumerate(spec.ratios):
        for kind, ids in known.items():
            ref = getattr(ratio, kind)
            if ref is not None and ref not in ids:
                problems.append(
                    (("costs", "ratios", i, kind), f"unknown {kind} {ref!r}{_near(ref, ids)}")
                )
    return problems
