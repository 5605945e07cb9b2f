"""What an indicator reads: its columns and its sampling design, for the checks `validate` and
`run` make before computing. Apart from compute.py and survey.py so that `evalsoc validate`
does not import the numeric code (issue 16, start-up)."""

from __future__ import annotations

from typing import Any


def columns_used(spec: Any) -> list[str]:
    """Columns an indicator reads (for the 'unknown column' check before computing)."""
    cols: list[str] = list(spec.by)
    args = spec.args
    if spec.kind in ("mean", "sum", "median", "share", "gini", "theil", "atkinson", "gap"):
        cols.append(args)
    if spec.kind == "gap":
        cols.extend(c for c in (spec.between, spec.over) if c)
    elif spec.kind == "rate":
        cols.extend(args)
    return cols


def effective_design(
    framework: Any, indicator: Any, source: str | None
) -> tuple[Any, tuple[Any, ...]] | None:
    """(design, its key path) of an indicator: its own, else its source's; None without one."""
    own = getattr(indicator, "design", None)
    if own == "none":
        return None
    if own is not None:
        return own, ("design",)
    spec = framework.data.get(source) if source else None
    if spec is not None and spec.design is not None:
        return spec.design, ("data", source, "design")
    return None
