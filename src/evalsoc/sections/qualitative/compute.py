"""Qualitative indicators: the adapters the section registry calls.

`compute_rubric_indicator` and `compute_themes_indicator` turn an `IndicatorSpec` and the run
context into plain DataFrames for the pure engines `rubric.summarise_rubric` and
`themes.summarise_themes`. The engines live in short modules of this folder, one job each:
scale.py (levels, ranks, distributions), cells.py (small-cell protection), agreement.py
(inter-rater agreement), participation.py (people served among the raters), rubric.py and
themes.py. Raters' identities never leave this package.
"""

from __future__ import annotations

import zlib
from typing import Any

import numpy as np
import pandas as pd

from evalsoc.errors import FrameworkError, did_you_mean, either
from evalsoc.sections.qualitative.config import RubricArgs, ThemesArgs
from evalsoc.sections.qualitative.rubric import summarise_rubric
from evalsoc.sections.qualitative.scale import _label_dict
from evalsoc.sections.qualitative.themes import summarise_themes


def compute_rubric_indicator(indicator: Any, ctx: Any) -> dict[str, Any]:
    """Results of a `rubric:` indicator (the lead's indicator registry calls this)."""
    args: RubricArgs = indicator.rubric
    source, where = _source_and_where(indicator, args, "rubric")
    frame = ctx.frame(source, where)
    needed = [args.level, args.rater]
    _check_columns(frame, needed, source, indicator.id)
    explicit = args.model_fields_set
    for key in ("role", "evidence", "criterion", "unit"):
        column = getattr(args, key)
        if column and column not in frame.columns and (key in explicit or key == "unit"):
            _check_columns(frame, [column], source, indicator.id)
    wide = None
    if args.agreement in ("auto", "source"):
        wide = ctx.frame(source, args.agreement_where, where_key="agreement_where")
    if indicator.by:
        ctx.warn(
            "indicators",
            indicator.id,
            {
                "fr": "`by` n'est pas utilisé pour les indicateurs `rubric` : les résultats "
                "sont donnés par rôle",
                "en": "`by` is not used for rubric indicators: results are given per role",
            },
        )
    rng = np.random.default_rng([int(ctx.seed), zlib.crc32(indicator.id.encode())])
    result, warnings = summarise_rubric(
        frame,
        args=args,
        min_cell=ctx.min_cell,
        rng=rng,
        agreement_frame=wide,
        target=indicator.target,
        better=indicator.better,
    )
    for message in warnings:
        ctx.warn("indicators", indicator.id, message)
    return {
        "id": indicator.id,
        "label": _label_dict(indicator.label, None),
        "data": source,
        "where": where,
        **result,
        "baseline": indicator.baseline,
        "by": [],
    }


def compute_themes_indicator(indicator: Any, ctx: Any) -> dict[str, Any]:
    """Results of a `themes:` indicator (the lead's indicator registry calls this)."""
    args: ThemesArgs = indicator.themes
    source, where = _source_and_where(indicator, args, "themes")
    frame = ctx.frame(source, where)
    _check_columns(frame, [args.source, args.code], source, indicator.id)
    for key in ("role", "excerpt", "criterion"):
        column = getattr(args, key)
        if column and column not in frame.columns and key in args.model_fields_set:
            _check_columns(frame, [column], source, indicator.id)
    result = summarise_themes(frame, args=args, min_cell=ctx.min_cell)
    return {
        "id": indicator.id,
        "label": _label_dict(indicator.label, None),
        "data": source,
        "where": where,
        **result,
        "target": None,
        "baseline": None,
        "by": [],
    }


def _source_and_where(indicator: Any, args: Any, kind: str) -> tuple[str, str | None]:
    source = args.data or indicator.data
    if not source:
        table = (
            either("jugements", "judgements")
            if kind == "rubric"
            else either("segments codés", "coded segments")
        )
        raise FrameworkError(
            "qualitative_needs_data", indicator=repr(indicator.id), kind=kind, table=table
        )
    return source, args.where if args.where is not None else indicator.where


def _check_columns(frame: pd.DataFrame, columns: list[str], source: str, item: str) -> None:
    for column in columns:
        if column not in frame.columns:
            raise FrameworkError(
                "indicator_column_missing",
                indicator=repr(item),
                column=repr(column),
                source=repr(source),
                hint=did_you_mean(column, [str(c) for c in frame.columns]),
            )
