"""`evalsoc run`: load → read → validate → measures → results → outputs, one way."""

from __future__ import annotations

import importlib
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from evalsoc.errors import DataPolicyError, FrameworkError
from evalsoc.measures.context import RunContext

Progress = Callable[[str], None]

# Analysis sections in the order they run: later ones read earlier ones' results.
SECTIONS: list[tuple[str, str, str]] = [
    # (results key, framework attribute, module with compute(specs, ctx))
    ("capabilities", "capabilities", "evalsoc.measures.capability"),
    ("effects", "effects", "evalsoc.measures.effects"),
    ("volunteering", "volunteering", "evalsoc.measures.volunteering"),
    ("sroi", "sroi", "evalsoc.measures.sroi"),
]


def _quiet(_: str) -> None:
    return None


def load_data(framework: Any, progress: Progress = _quiet) -> tuple[dict, dict, dict]:
    """Read and validate every source: (clean frames, reports, quarantine tables)."""
    from evalsoc.data.read import read_table
    from evalsoc.data.validate import validate_source
    from evalsoc.errors import DataReadError
    from evalsoc.framework.load import position_of

    frames, reports, quarantines = {}, {}, {}
    for name, source in framework.data.items():
        progress(f"reading {name} ({source.file})")
        try:
            raw, info = read_table(source, framework.base_dir)
            progress(f"validating {name}: {info.rows_read} rows")
            clean, report, quarantine = validate_source(name, source, raw, info)
        except DataReadError as exc:  # say which declaration of the framework it comes from
            where = position_of(framework, ("data", name, "file"))
            raise DataReadError(f"{where}: {exc}") from None
        frames[name], reports[name], quarantines[name] = clean, report, quarantine
    return frames, reports, quarantines


def enforce_policy(framework: Any, reports: dict) -> None:
    """Stop (exit 1) when a source has more invalid rows than its policy accepts."""
    for name, report in reports.items():
        source = framework.data[name]
        on_invalid = source.on_invalid or framework.policy.on_invalid
        limit = (
            source.max_invalid_share
            if source.max_invalid_share is not None
            else framework.policy.max_invalid_share
        )
        if not report.rows_quarantined:
            continue
        share = report.rows_quarantined / report.rows_read
        top = sorted(report.failures.items(), key=lambda kv: -kv[1])[:5]
        detail = "; ".join(
            f"{k} ({v}, first at row {report.first_rows[k]})"
            if k in report.first_rows
            else f"{k} ({v})"
            for k, v in top
        )
        label = f"{name!r} ({report.info.path})"
        if on_invalid == "stop":
            raise DataPolicyError(
                f"data source {label}: {report.rows_quarantined} of {report.rows_read} rows are invalid "
                f"and its policy is on_invalid: stop. Main problems: {detail}"
            )
        if share > limit:
            raise DataPolicyError(
                f"data source {label}: {report.rows_quarantined} of {report.rows_read} rows "
                f"({share:.1%}) are invalid, more than max_invalid_share {limit:.1%}. "
                f"Main problems: {detail}. Fix the data or raise max_invalid_share."
            )


def column_problems(framework: Any, frames: dict[str, Any]) -> list[str]:
    """Every reference to a column that the data do not have (or that has the wrong type),
    found before anything is computed: `validate` reports them all, `run` stops on them."""
    import difflib

    import pandas as pd

    from evalsoc.framework.expressions import ExpressionError, parse_expression
    from evalsoc.framework.load import position_of
    from evalsoc.framework.references import indicator_source
    from evalsoc.measures.indicators import columns_used

    problems: list[str] = []

    def near(name: str, columns: list[str]) -> str:
        found = difflib.get_close_matches(name, columns, n=3)
        return f"; did you mean {', '.join(map(repr, found))}?" if found else ""

    def check_expression(text: Any, columns: list[str], loc: tuple, frame: Any = None) -> None:
        if not isinstance(text, str) or not text:
            return
        try:
            expression = parse_expression(text)
            expression.check_columns(columns)
            if frame is not None:  # types: `flag == 'oui'` on a boolean, `code > 9` on text
                expression.evaluate(frame.head(100))
        except ExpressionError as exc:
            problems.append(f"{position_of(framework, loc)}: {exc}")

    for di, dim in enumerate(framework.dimensions):
        for ci, crit in enumerate(dim.criteria):
            for ii, ind in enumerate(crit.indicators):
                loc = ("dimensions", di, "criteria", ci, "indicators", ii)
                if ind.kind in ("rubric", "themes"):
                    continue
                frame = frames.get(indicator_source(framework, ind))
                if frame is None:
                    continue
                columns = [str(c) for c in frame.columns]
                check_expression(ind.where, columns, loc + ("where",), frame)
                if ind.kind in ("proportion", "count") and isinstance(ind.args, str):
                    if ind.args not in columns:
                        check_expression(ind.args, columns, loc + (ind.kind,), frame)
                for col in columns_used(ind):
                    key = "by" if col in ind.by else ind.kind
                    if col not in columns:
                        problems.append(
                            f"{position_of(framework, loc + (key,))}: unknown column {col!r}"
                            f"{near(col, columns)}"
                        )
                    elif ind.kind in ("mean", "sum", "median", "rate") and col not in ind.by:
                        dtype = frame[col].dtype
                        if not (
                            pd.api.types.is_numeric_dtype(dtype)
                            or pd.api.types.is_bool_dtype(dtype)
                        ):
                            problems.append(
                                f"{position_of(framework, loc + (key,))}: column {col!r} is not "
                                "numeric (declare it as number, integer or likert)"
                            )
    for section in ("effects", "capabilities"):
        for i, item in enumerate(getattr(framework, section)):
            frame = frames.get(getattr(item, "data", None))
            if frame is not None:
                check_expression(
                    getattr(item, "where", None),
                    [str(c) for c in frame.columns],
                    (section, i, "where"),
                    frame,
                )
    return problems


def check_columns(framework: Any, frames: dict[str, Any]) -> None:
    """Raise one FrameworkError listing every column problem (exit code 2)."""
    problems = column_problems(framework, frames)
    if problems:
        raise FrameworkError(
            f"the framework refers to data it does not find ({len(problems)} problem(s)):\n"
            + "\n".join(problems)
        )


def compute_indicators(framework: Any, ctx: RunContext) -> dict[str, Any]:
    from evalsoc.framework.load import position_of
    from evalsoc.framework.references import indicator_source
    from evalsoc.measures.indicators import (
        IndicatorError,
        columns_needed,
        columns_used,
        compute_quantitative,
        factorize_column,
        group_codes,
    )

    results: dict[str, Any] = {}
    groupings: dict[tuple, Any] = {}  # (source, where, by) → group codes, shared by indicators
    factors: dict[tuple, Any] = {}  # (source, where, column) → the column's codes
    locs = {}
    for di, dim in enumerate(framework.dimensions):
        for ci, crit in enumerate(dim.criteria):
            for ii, ind in enumerate(crit.indicators):
                locs[ind.id] = ("dimensions", di, "criteria", ci, "indicators", ii)
    for _dim, _crit, ind in framework.all_indicators():
        try:
            if ind.kind in ("rubric", "themes"):
                results[ind.id] = _qualitative(ind, ctx)
                continue
            source = indicator_source(framework, ind)
            available = list(ctx.frame(source).columns)
            missing = [c for c in columns_used(ind) if c not in available]
            frame = (
                ctx.frame(source, ind.where)
                if missing
                else ctx.rows(source, ind.where, columns_needed(ind, available))
            )
            grouping = None
            if all(col in frame.columns for col in ind.by):
                key = (source, ind.where, tuple(ind.by))
                if key not in groupings:

                    def cached(
                        col: str, frame: Any = frame, source: str = source, where: Any = ind.where
                    ) -> Any:
                        if (source, where, col) not in factors:
                            factors[(source, where, col)] = factorize_column(frame[col])
                        return factors[(source, where, col)]

                    groupings[key] = group_codes(frame, ind.by, cached)
                grouping = groupings[key]
            results[ind.id] = compute_quantitative(ind, frame, ctx.min_cell, ctx.seed, grouping)
        except IndicatorError as exc:
            raise FrameworkError(f"{position_of(framework, locs[ind.id])}: {exc}") from None
        except FrameworkError as exc:
            raise FrameworkError(f"{position_of(framework, locs[ind.id])}: {exc}") from None
    return results


def _qualitative(ind: Any, ctx: RunContext) -> dict[str, Any]:
    try:
        rubrics = importlib.import_module("evalsoc.measures.rubrics")
    except ModuleNotFoundError:
        ctx.warn(
            "indicators",
            ind.id,
            {
                "fr": f"les indicateurs `{ind.kind}` ne sont pas calculés par cette version",
                "en": f"{ind.kind} indicators are not computed by this version",
            },
        )
        return {"kind": ind.kind, "status": "not_computed", "value": None}
    fn = (
        rubrics.compute_rubric_indicator
        if ind.kind == "rubric"
        else rubrics.compute_themes_indicator
    )
    return {"kind": ind.kind, **fn(ind, ctx)}


def compute_section(key: str, specs: Any, module: str, ctx: RunContext) -> Any:
    """Run one analysis section; a section this version cannot compute is said so, not dropped."""
    if not specs:
        return {}
    try:
        mod = importlib.import_module(module)
        compute = mod.compute
    except (ModuleNotFoundError, AttributeError):
        ctx.warn(
            key,
            None,
            {
                "fr": f"la section `{key}` est déclarée mais n'est pas calculée par cette version",
                "en": f"the `{key}` section is declared but not computed by this version",
            },
        )
        return {"status": "not_computed"}
    return compute(specs, ctx)


def criteria_results(framework: Any, ctx: RunContext) -> dict[str, Any]:
    try:
        mod = importlib.import_module("evalsoc.measures.criteria")
        return mod.compute(framework, ctx)
    except ModuleNotFoundError:
        pass
    criteria = {}
    dimensions = {}
    for dim in framework.dimensions:
        for crit in dim.criteria:
            criteria[crit.id] = {
                "dimension": dim.id,
                "verdict": None,
                "indicators": [i.id for i in crit.indicators],
                "evidence": list(crit.evidence),
            }
        dimensions[dim.id] = {"criteria": [c.id for c in dim.criteria]}
    return {"criteria": criteria, "dimensions": dimensions}


def run_framework(
    framework: Any,
    *,
    out_dir: str | Path | None = None,
    lang: str | None = None,
    seed: int | None = None,
    progress: Progress = _quiet,
    write: bool = True,
) -> Any:
    """Evaluate a framework; write results.json, report.html and invalid/*.csv into out_dir."""
    from evalsoc.framework.load import load_framework
    from evalsoc.results import Results, build_results

    started = time.time()
    if not hasattr(framework, "dimensions"):
        progress(f"loading {framework}")
        framework = load_framework(framework)
    lang = lang or framework.language
    frames, reports, quarantines = load_data(framework, progress)
    try:
        enforce_policy(framework, reports)
    except DataPolicyError as exc:
        if write and out_dir is not None:
            from evalsoc.outputs import write_quarantine_only

            stopped = write_quarantine_only(Path(out_dir), quarantines)
            raise DataPolicyError(
                f"{exc} The refused rows are in {stopped / 'invalid'}; "
                f"the previous outputs in {out_dir} are unchanged."
            ) from None
        raise
    check_columns(framework, frames)
    ctx = RunContext(
        frames=frames,
        framework=framework,
        lang=lang,
        seed=framework.seed if seed is None else seed,
        min_cell=framework.privacy.min_cell,
    )
    progress("computing indicators")
    ctx.results["indicators"] = compute_indicators(framework, ctx)
    for key, attr, module in SECTIONS:
        specs = getattr(framework, attr)
        if specs:
            progress(f"computing {key}")
        ctx.results[key] = compute_section(key, specs, module, ctx)
    progress("judging criteria")
    ctx.results.update(criteria_results(framework, ctx))
    results: Results = build_results(framework, ctx, reports, quarantines, lang, started)
    if write and out_dir is not None:
        from evalsoc.outputs import write_outputs

        progress("writing outputs")
        write_outputs(results, Path(out_dir), progress)
    return results
