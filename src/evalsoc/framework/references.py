"""Cross-checks that need the whole framework: ids unique, sources and evidence that exist,
`where` expressions that parse. Returns (key path, message) pairs; the loader adds positions."""

from __future__ import annotations

from typing import Any

from evalsoc.errors import FrameworkError, did_you_mean, either
from evalsoc.framework.expressions import (
    ExpressionError,
    looks_like_column_name,
    parse_expression,
)
from evalsoc.framework.unknown import unknown_ref

Loc = tuple[str | int, ...]


# What a key refers to, in both languages (the subject of "unknown ...", "... id").
WHAT = {
    "dimension": either("dimension", "dimension"),
    "criterion": either("critère", "criterion"),
    "indicator": either("indicateur", "indicator"),
    "effect": either("effet", "effect"),
    "capability": either("capabilité", "capability"),
}


def _sroi_outcome_ids(framework: Any) -> list[str]:
    sroi = framework.sroi
    outcomes = getattr(sroi, "outcomes", None) if sroi is not None else None
    ids = []
    for outcome in outcomes or []:
        oid = outcome.get("id") if isinstance(outcome, dict) else getattr(outcome, "id", None)
        if oid:
            ids.append(str(oid))
    return ids


def indicator_source(framework: Any, indicator: Any) -> str | None:
    """The data source an indicator reads: its own `data`, its sub-config's, or the only one."""
    args = indicator.args
    source = (
        getattr(args, "data", None)
        if args is not None and not isinstance(args, (str, list, bool))
        else None
    )
    source = source or indicator.data
    if source is None and len(framework.data) == 1:
        source = next(iter(framework.data))
    return source


def check_references(framework: Any) -> list[tuple[Loc, FrameworkError]]:
    """Every cross-reference problem: (key path, coded error without its position)."""
    problems: list[tuple[Loc, FrameworkError]] = []
    sources = list(framework.data)
    seen_ids: dict[str, Loc] = {}

    def unique(item_id: str, loc: Loc, what: str) -> None:
        if item_id in seen_ids:
            problems.append(
                (
                    loc + ("id",),
                    FrameworkError(
                        "id_already_used",
                        what=WHAT[what],
                        id=repr(item_id),
                        other=_fmt(seen_ids[item_id]),
                    ),
                )
            )
        else:
            seen_ids[item_id] = loc

    def check_source(name: str | None, loc: Loc) -> None:
        if name is None:
            listed = ", ".join(sources)
            problems.append(
                (
                    loc,
                    FrameworkError(
                        "source_not_named",
                        count=len(sources),
                        sources=either(listed or "(aucune déclarée)", listed or "(none declared)"),
                    ),
                )
            )
        elif name not in framework.data:
            problems.append(
                (
                    loc,
                    FrameworkError(
                        "source_unknown", source=repr(name), hint=did_you_mean(name, sources)
                    ),
                )
            )

    def check_expr(text: str | None, loc: Loc) -> None:
        if not text or not isinstance(text, str):
            return
        try:
            parse_expression(text)
        except ExpressionError as exc:
            problems.append((loc, FrameworkError("where_invalid", detail=exc.words())))

    evidence_ids = [e.id for e in framework.effects] + [c.id for c in framework.capabilities]
    evidence_ids += _sroi_outcome_ids(framework)

    for di, dim in enumerate(framework.dimensions):
        dloc: Loc = ("dimensions", di)
        unique(dim.id, dloc, "dimension")
        for ci, crit in enumerate(dim.criteria):
            cloc: Loc = dloc + ("criteria", ci)
            unique(crit.id, cloc, "criterion")
            for ii, ind in enumerate(crit.indicators):
                iloc: Loc = cloc + ("indicators", ii)
                unique(ind.id, iloc, "indicator")
                source = indicator_source(framework, ind)
                check_source(source, iloc + (("data",) if ind.data else ()))
                check_expr(ind.where, iloc + ("where",))
                if ind.kind in ("proportion", "count") and isinstance(ind.args, str):
                    if not looks_like_column_name(ind.args):
                        check_expr(ind.args, iloc + (ind.kind,))
            for ei, ref in enumerate(crit.evidence):
                if ref not in evidence_ids:
                    problems.append(
                        (
                            cloc + ("evidence", ei),
                            FrameworkError(
                                "evidence_unknown",
                                ref=repr(ref),
                                hint=did_you_mean(ref, evidence_ids),
                            ),
                        )
                    )
    if framework.sroi is not None:
        known = {
            "indicator": [i.id for _, _, i in framework.all_indicators()],
            "effect": [e.id for e in framework.effects],
            "capability": [c.id for c in framework.capabilities],
        }
        for oi, outcome in enumerate(getattr(framework.sroi, "outcomes", None) or []):
            quantity = getattr(outcome, "quantity", None)
            for kind, ids in known.items():
                ref = getattr(quantity, kind, None)
                if isinstance(ref, str) and ref not in ids:
                    problems.append(
                        (
                            ("sroi", "outcomes", oi, "quantity", kind),
                            unknown_ref(kind, ref, ids),
                        )
                    )
    capability_sources = {c.id: getattr(c, "data", None) for c in framework.capabilities}
    for i, effect in enumerate(framework.effects):
        outcome = getattr(effect, "outcome", None) or ""
        if isinstance(outcome, str) and outcome.startswith("capability."):
            cap_id = outcome.split(".")[1] if outcome.count(".") >= 2 else ""
            loc = ("effects", i, "outcome")
            if cap_id not in capability_sources:
                problems.append(
                    (
                        loc,
                        FrameworkError(
                            "capability_set_unknown",
                            id=repr(cap_id),
                            hint=did_you_mean(cap_id, list(capability_sources)),
                        ),
                    )
                )
            elif capability_sources[cap_id] != getattr(effect, "data", None):
                problems.append(
                    (
                        loc,
                        FrameworkError(
                            "capability_source_differs",
                            id=repr(cap_id),
                            source=repr(capability_sources[cap_id]),
                            name=capability_sources[cap_id],
                        ),
                    )
                )
    for section in ("effects", "capabilities"):
        for i, item in enumerate(getattr(framework, section)):
            loc: Loc = (section, i)
            unique(item.id, loc, section[:-1] if section == "effects" else "capability")
            data = getattr(item, "data", None)
            if data is None and len(sources) == 1:
                continue
            check_source(data, loc + ("data",))
            check_expr(getattr(item, "where", None), loc + ("where",))
    criterion_ids = [c.id for d in framework.dimensions for c in d.criteria]
    for crit_id in getattr(framework.narrative, "criteria", None) or {}:
        if crit_id not in criterion_ids:
            problems.append(
                (
                    ("narrative", "criteria", crit_id),
                    unknown_ref("criterion", crit_id, criterion_ids),
                )
            )
    from evalsoc.sections.costs.references import cost_reference_problems

    problems += cost_reference_problems(framework)
    from evalsoc.sections.resources.references import source_problems

    problems += source_problems(framework)
    return problems


def _fmt(loc: Loc) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else ("." if out else "") + str(part)
    return out
