"""A source's own `where` (e.g. only approved KoboToolbox submissions): rows it excludes are
counted as filtered out, neither used nor quarantined, and their values are not validated."""

from __future__ import annotations

from typing import Any

from evalsoc.errors import FrameworkError


def apply_source_where(
    name: str, where: str, converted: Any, raw: Any, problems: list[Any]
) -> tuple[Any, Any, list[Any], int]:
    """(kept converted rows, kept raw rows, failures of kept rows, number filtered out)."""
    from evalsoc.framework.expressions import ExpressionError, parse_expression

    try:
        keep = parse_expression(where).evaluate(converted)
    except ExpressionError as exc:
        raise FrameworkError(
            "where_invalid", at=f"data source {name!r}, where", detail=exc.words()
        ) from None
    filtered = int((~keep).sum())
    if not filtered:
        return converted, raw, problems, 0
    kept_rows = converted.index[keep.to_numpy()]
    problems = [p[p["_row"].isin(kept_rows)] for p in problems]
    return converted.loc[kept_rows], raw.loc[kept_rows], problems, filtered
