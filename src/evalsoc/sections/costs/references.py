"""Load-time checks of `costs:` against the rest of the framework: the indicators and effects
its ratios divide by exist, and `resources: ...` has a resources section to read."""

from __future__ import annotations

from typing import Any

from evalsoc.errors import FrameworkError

Loc = tuple[str | int, ...]


def cost_reference_problems(framework: Any) -> list[tuple[Loc, FrameworkError]]:
    from evalsoc.framework.unknown import unknown_ref

    spec = getattr(framework, "costs", None)
    if spec is None:
        return []
    problems: list[tuple[Loc, FrameworkError]] = []
    if spec.cost.resources is not None and getattr(framework, "resources", None) is None:
        problems.append((("costs", "cost", "resources"), FrameworkError("costs_no_resources")))
    known = {
        "indicator": [i.id for _, _, i in framework.all_indicators()],
        "effect": [e.id for e in framework.effects],
    }
    for i, ratio in enumerate(spec.ratios):
        for kind, ids in known.items():
            ref = getattr(ratio, kind)
            if ref is not None and ref not in ids:
                problems.append((("costs", "ratios", i, kind), unknown_ref(kind, ref, ids)))
    return problems
