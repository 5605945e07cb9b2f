"""`evalsoc run`: load → read → validate → measures → results → outputs, one way."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from evalsoc.errors import DataPolicyError, FrameworkError
from evalsoc.sections.context import RunContext

Progress = Callable[[str], None]


def _quiet(_: str) -> None:
    return None


def load_data(
    framework: Any, progress: Progress = _quiet, engine: Any = None
) -> tuple[dict, dict, dict]:
    """Read and validate every source: (clean frames, reports, quarantine tables); with the
    DuckDB engine's choice, CSV sources stay DuckDB tables (data/duckdb_intake.py)."""
    from evalsoc.data.intake import load_sources

    return load_sources(framework, progress, engine)


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
        detail = {
            lang: "; ".join(
                f"{k} ({v}, {first} {report.first_rows[k]})"
                if k in report.first_rows
                else f"{k} ({v})"
                for k, v in top
            )
            for lang, first in (("fr", "première à la ligne"), ("en", "first at row"))
        }
        label = f"{name!r} ({report.info.path})"
        counts = {"source": label, "invalid": report.rows_quarantined, "read": report.rows_read}
        if on_invalid == "stop":
            raise DataPolicyError("data_refused_stop", **counts, detail=detail)
        if share > limit:
            shares = {"share": f"{share:.1%}", "limit": f"{limit:.1%}"}
            raise DataPolicyError("data_refused_share", **counts, **shares, detail=detail)


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
        return [FrameworkError("where_invalid", at=where, detail=str(exc))]
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
    from evalsoc.sections.indicators.compute import columns_used
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
    from evalsoc.sections.indicators.survey import effective_design

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


def compute_indicators(framework: Any, ctx: RunContext) -> dict[str, Any]:
    import numpy as np

    from evalsoc.framework.positions import position_of
    from evalsoc.framework.references import indicator_source
    from evalsoc.privacy.indicators import Entry, audit_indicators
    from evalsoc.sections.indicators.compute import (
        IndicatorError,
        columns_needed,
        columns_used,
        publish_quantitative,
        raw_quantitative,
        row_support,
    )
    from evalsoc.sections.indicators.in_engine import compute_in_engine
    from evalsoc.sections.indicators.multiple_choice import (
        compute_with_multiple,
        multiple_columns_used,
    )
    from evalsoc.sections.indicators.survey import effective_design

    results: dict[str, Any] = {}
    entries: dict[str, Entry] = {}  # what the disclosure audit needs of each indicator
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
            design = effective_design(framework, ind, source)
            if design is not None:  # weighted, design-based (sections/indicators/survey.py)
                results[ind.id], entries[ind.id] = _design_based(
                    ind, source, design, ctx, framework
                )
                continue
            available = ctx.engine.columns(ctx._source(source))  # no rows collected
            multiple = multiple_columns_used(framework, ind, available)
            if (
                multiple
            ):  # select_multiple: one row per choice (sections/indicators/multiple_choice.py)
                results[ind.id] = compute_with_multiple(
                    ind, ctx.frame(source, ind.where), multiple, ctx.min_cell
                )
                continue
            missing = [c for c in columns_used(ind) if c not in available]
            in_engine = None if missing else compute_in_engine(ind, source, ctx, available)
            if in_engine is not None:  # nothing per row leaves the engine
                results[ind.id], entries[ind.id] = in_engine
                continue
            grouping = stats = None
            if missing:  # raw_quantitative says which column is unknown
                frame = ctx.frame(source, ind.where)
            else:
                needed = columns_needed(ind, available)
                frame = ctx.rows(source, ind.where, needed)
                where = ctx.expression(ind.where)
                grouping = ctx.engine.groups(source, where, ind.by)
                stats = ctx.engine.grouped_statistics(source, where, ind, needed)
            raw = raw_quantitative(ind, frame, ctx.seed, grouping, stats)
            results[ind.id] = publish_quantitative(ind, raw, ctx.policy)
            entries[ind.id] = Entry(
                spec=ind,
                raw=raw,
                source=source,
                positions=ctx.positions(source, ind.where),
                source_rows=ctx.engine.length(source),
                support=row_support(ind, frame),
                codes=grouping[0] if grouping is not None else np.zeros(len(frame), dtype=np.int64),
            )
        except IndicatorError as exc:
            raise FrameworkError(
                "indicator_refused", at=position_of(framework, locs[ind.id]), detail=str(exc)
            ) from None
        except FrameworkError as exc:
            raise exc.located(position_of(framework, locs[ind.id])) from None
    for item in audit_indicators(entries, results, ctx.policy):
        ctx.withheld.append(item)
    from evalsoc.sections.indicators.references import attach_references

    attach_references(framework, results)  # after the audit: a withheld value shows no gap
    return results


def _design_based(
    ind: Any, source: str, design: tuple, ctx: RunContext, framework: Any
) -> tuple[dict[str, Any], Any]:
    """A design-based indicator; data that break the design are refused (exit code 1) with the
    position of the design's declaration."""
    from evalsoc.framework.positions import position_of
    from evalsoc.sections.indicators.survey import SurveyDataError, compute_design_based

    spec, loc = design
    try:
        return compute_design_based(ind, source, spec, ctx)
    except SurveyDataError as exc:
        if loc == ("design",):
            loc = _indicator_loc(framework, ind.id) + loc
        where, detail = position_of(framework, loc), str(exc)
        raise DataPolicyError(
            "survey_data_refused", at=where, source=repr(source), detail=detail
        ) from None


def _indicator_loc(framework: Any, indicator_id: str) -> tuple:
    for di, dim in enumerate(framework.dimensions):
        for ci, crit in enumerate(dim.criteria):
            for ii, ind in enumerate(crit.indicators):
                if ind.id == indicator_id:
                    return ("dimensions", di, "criteria", ci, "indicators", ii)
    return ()


def _qualitative(ind: Any, ctx: RunContext) -> dict[str, Any]:
    from evalsoc.sections.qualitative.compute import (
        compute_rubric_indicator,
        compute_themes_indicator,
    )

    fn = compute_rubric_indicator if ind.kind == "rubric" else compute_themes_indicator
    return {"kind": ind.kind, **fn(ind, ctx)}


def compute_sections(framework: Any, ctx: RunContext, progress: Progress = _quiet) -> None:
    """Run every registered section after those it needs; results go into ctx.results."""
    from evalsoc.sections.registry import compute_order

    for section in compute_order():
        specs = section.specs_of(framework)
        if not specs and not section.always:
            for key in section.result_keys:
                ctx.results[key] = {}
            continue
        progress(f"computing {section.key}")
        result = section.compute_function()(specs, ctx)
        if section.outputs:
            ctx.results.update({key: result[key] for key in section.outputs})
        else:
            ctx.results[section.key] = result


def protected_paths(framework: Any) -> list[Path]:
    """The framework file, its folder and its data files: never inside an output folder."""
    from evalsoc.data.read import resolve_path

    paths = [resolve_path(framework.base_dir, s.file) for s in framework.data.values() if s.file]
    if framework.source_path:
        paths += [Path(framework.source_path), Path(framework.source_path).parent]
    elif framework.base_dir:
        paths.append(Path(framework.base_dir))
    return paths


def run_framework(
    framework: Any,
    *,
    out_dir: str | Path | None = None,
    lang: str | None = None,
    seed: int | None = None,
    progress: Progress = _quiet,
    write: bool = True,
    force: bool = False,
    say: Progress = _quiet,
    edition: str | None = None,
    formats: tuple[str, ...] = ("html", "json"),
    engine: str | None = None,
    history_store: Path | None = None,
) -> Any:
    """Evaluate a framework on `engine` (else the framework's; engines/choice.py); write
    results.json, report.html and invalid/*.csv into out_dir (by the output-folder rule:
    `force` writes beside files evalsoc did not write; `say` gets what the user must know, such
    as leftovers of an interrupted run cleaned). With a `history_store`, the report draws each
    indicator's trend over the runs recorded there."""
    from evalsoc.framework.load import load_framework
    from evalsoc.results import Results, build_results

    started = time.time()
    if not hasattr(framework, "dimensions"):
        progress(f"loading {framework}")
        framework = load_framework(framework)
    lang = lang or framework.language
    if write and out_dir is not None:
        from evalsoc.output_folder import check_target

        check_target(Path(out_dir), force=force, protected=protected_paths(framework))
    from evalsoc.engines.choice import choose_engine
    from evalsoc.engines.registry import check_engine, create_engine

    choice = choose_engine(framework, engine)
    check_engine(choice.name)  # before reading: a missing package stops the run at once
    progress(f"engine: {choice.reason}")
    frames, reports, quarantines = load_data(framework, progress, choice)
    try:
        enforce_policy(framework, reports)
    except DataPolicyError as exc:
        if write and out_dir is not None:
            from evalsoc.outputs import source_formats, write_quarantine_only

            stopped = write_quarantine_only(
                Path(out_dir),
                quarantines,
                source_formats(reports),
                force=force,
                protected=protected_paths(framework),
                say=say,
            )
            from evalsoc.quarantine_summary import failure_lines

            examples = [
                f"  {name} · {line}" for name, q in quarantines.items() for line in failure_lines(q)
            ]
            raise DataPolicyError(
                "data_refused_outputs_kept",
                cause={lang: exc.message(lang) for lang in ("fr", "en")},
                folder=stopped / "invalid",
                out_dir=out_dir,
                examples="".join(f"\n{line}" for line in examples),
            ) from None
        raise
    check_columns(framework, frames)
    from evalsoc.privacy.policy import PrivacyPolicy

    policy = PrivacyPolicy.of(framework, edition)
    edition = policy.edition
    ctx = RunContext(
        frames=frames,
        framework=framework,
        lang=lang,
        seed=framework.seed if seed is None else seed,
        min_cell=policy.threshold,
        policy=policy,
        engine=create_engine(choice.name, frames, choice.options),
    )
    compute_sections(framework, ctx, progress)
    ctx.record_withheld()
    results: Results = build_results(framework, ctx, reports, quarantines, lang, started)
    results.data["framework"]["edition"] = edition
    if history_store is not None:
        from evalsoc.report.trend import past_points

        results.history = past_points(
            Path(history_store),
            framework.id,
            [ind.id for _d, _c, ind in framework.all_indicators()],
            (results.data["framework"].get("period") or {}).get("start"),
        )
    if write and out_dir is not None:
        from evalsoc.outputs import write_outputs

        progress("writing outputs")
        write_outputs(
            results,
            Path(out_dir),
            progress,
            force=force,
            protected=protected_paths(framework),
            say=say,
            formats=formats,
        )
    return results
