"""Every column a framework names, checked against the data read: one coded problem per
unknown column (indicators, effects, capabilities, volunteering, SROI), each with its position
in the framework file, so that `validate` and `run` list them all at once (exit 2)."""

from __future__ import annotations

from typing import Any

from evalsoc.errors import FrameworkError


def _in_source(source: str | None) -> dict[str, str]:
    """` in data source 'x'` (a worded parameter; empty without a source)."""
    if not source:
        return {"fr": "", "en": ""}
    return {"fr": f" dans la source de données {source!r}", "en": f" in data source {source!r}"}


def _unknown_column(where: str, name: str, columns: list[str], source: str | None = None) -> Any:
    from evalsoc.errors import did_you_mean

    hint, source_words = did_you_mean(name, columns), _in_source(source)
    return FrameworkError(
        "column_unknown", at=where, column=repr(name), source=source_words, hint=hint
    )


def _expression_problems(text: str, columns: list[str], where: str, frame: Any) -> list[Any]:
    """A `where`-language text that does not parse, names unknown columns, or compares across
    types on these data (`flag == 'oui'` on a boolean, `code > 9` on text), as messages."""
    from evalsoc.framework.expressions import ExpressionError, parse_expression

    try:
        parsed = parse_expression(text)
        parsed.check_columns(columns)
        if frame is not None:
            parsed.evaluate(frame.head(100))
    except ExpressionError as exc:
        return [FrameworkError("where_invalid", at=where, detail=exc.words())]
    return []


def _reference_problems(ref: Any, columns: list[str], where: str, frame: Any = None) -> list[Any]:
    """What is wrong with one column-naming key (see framework.columns), as coded problems."""

    def unknown(name: str) -> Any:
        return _unknown_column(where, name, columns, ref.source)

    def expression(text: str) -> list[Any]:
        return _expression_problems(text, columns, where, frame)

    kind, value = ref.kind, ref.value
    if kind in ("column", "optional_column"):
        return [] if value in columns else [unknown(value)]
    if kind == "columns":
        return [unknown(name) for name in value if name not in columns]
    if kind == "outcome":
        if value.startswith("capability.") or value in columns:
            return []
        return [unknown(value)]
    if kind == "column_or_expression":
        return [] if value in columns else expression(value)
    if kind == "expression":
        return expression(value)
    if kind == "formula":
        from evalsoc.sections.effects.designs.regression import FormulaError, formula_columns

        try:
            formula_columns(value, columns)
        except FormulaError as exc:
            source = _in_source(ref.source)
            return [FrameworkError("formula_invalid", at=where, detail=str(exc), source=source)]
        return []
    raise ValueError(f"unknown column reference kind {kind!r}")


def column_problems(framework: Any, frames: dict[str, Any]) -> list[Any]:
    """Every reference to a column that the data do not have (or that has the wrong type),
    found before anything is computed: `validate` reports them all, `run` stops on them."""

    import pandas as pd

    from evalsoc.framework.columns import column_references
    from evalsoc.framework.positions import position_of
    from evalsoc.framework.references import indicator_source
    from evalsoc.sections.indicators.reads import columns_used
    from evalsoc.sections.registry import SECTIONS

    problems: list[Any] = []

    def check_expression(text: Any, columns: list[str], loc: tuple, frame: Any = None) -> None:
        if isinstance(text, str) and text:
            problems.extend(_expression_problems(text, columns, position_of(framework, loc), frame))

    for di, dim in enumerate(framework.dimensions):
        for ci, crit in enumerate(dim.criteria):
            for ii, ind in enumerate(crit.indicators):
                loc = ("dimensions", di, "criteria", ci, "indicators", ii)
                frame = frames.get(indicator_source(framework, ind))
                if frame is None:
                    continue
                columns = [str(c) for c in frame.columns]
                check_expression(ind.where, columns, loc + ("where",), frame)
                if ind.kind in ("rubric", "themes"):
                    continue  # their sub-config is checked with the sections below
                for problem in _design_problems(framework, ind, loc, columns):
                    if str(problem) not in map(str, problems):
                        problems.append(problem)
                if ind.kind in ("proportion", "count") and isinstance(ind.args, str):
                    if ind.args not in columns:
                        check_expression(ind.args, columns, loc + (ind.kind,), frame)
                for col in columns_used(ind):
                    key = "by" if col in ind.by else ind.kind
                    if col not in columns:
                        problems.append(
                            _unknown_column(position_of(framework, loc + (key,)), col, columns)
                        )
                    elif (
                        ind.kind in ("mean", "sum", "median", "rate", "gini", "theil", "atkinson")
                        or (ind.kind == "gap" and col == ind.args)
                    ) and col not in ind.by:
                        dtype = frame.dtypes[col]
                        if not (
                            pd.api.types.is_numeric_dtype(dtype)
                            or pd.api.types.is_bool_dtype(dtype)
                        ):
                            problems.append(
                                FrameworkError(
                                    "column_not_numeric",
                                    at=position_of(framework, loc + (key,)),
                                    column=repr(col),
                                )
                            )
    for section in SECTIONS:
        for loc, entry, source in section.entries(framework):
            frame = frames.get(source or getattr(entry, "data", None))
            if frame is None:
                continue
            for ref in column_references(entry, loc, source):
                # A nested block with its own `data` (a register beside hours) reads its own.
                ref_frame = frames.get(ref.source) if ref.source in frames else frame
                columns = [str(c) for c in ref_frame.columns]
                problems += _reference_problems(
                    ref, columns, position_of(framework, ref.loc), ref_frame
                )
    return problems


def _design_problems(framework: Any, ind: Any, loc: tuple, columns: list[str]) -> list[Any]:
    """Unknown columns of an indicator's sampling design, or a kind it cannot weight."""
    from evalsoc.framework.positions import position_of
    from evalsoc.framework.references import indicator_source
    from evalsoc.sections.indicators.config import DESIGN_KINDS
    from evalsoc.sections.indicators.reads import effective_design

    design = effective_design(framework, ind, indicator_source(framework, ind))
    if design is None:
        return []
    spec, where = design
    where = loc + where if where == ("design",) else where
    problems = [
        _unknown_column(position_of(framework, where + (key,)), col, columns)
        for key in ("weights", "strata", "psu", "fpc")
        if (col := getattr(spec, key)) and col not in columns
    ]
    if ind.kind not in DESIGN_KINDS:
        problems.append(
            FrameworkError(
                "design_kind_unsupported",
                at=position_of(framework, loc),
                kind=ind.kind,
                kinds=", ".join(DESIGN_KINDS),
            )
        )
    return problems


def check_columns(framework: Any, frames: dict[str, Any]) -> None:
    """Raise one FrameworkError listing every column problem (exit code 2)."""
    problems = column_problems(framework, frames)
    if problems:
        raise FrameworkError(
            "framework_data_not_found",
            count=len(problems),
            problems=problems,
        )
