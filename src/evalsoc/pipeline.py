"""`evalsoc run`: load → read → validate → measures → results → outputs, one way."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from evalsoc.column_checks import check_columns, column_problems
from evalsoc.errors import DataPolicyError, FrameworkError
from evalsoc.sections.context import RunContext

Progress = Callable[[str], None]
__all__ = ["check_columns", "column_problems", "enforce_policy", "load_data", "run_framework"]


def _quiet(_: str) -> None:
    return None


def load_data(
    framework: Any, progress: Progress = _quiet, engine: Any = None
) -> tuple[dict, dict, dict]:
    """Read and validate every source: (clean frames, reports, quarantine tables); with the
    DuckDB engine's choice, CSV sources stay DuckDB tables (data/duckdb_intake.py)."""
    from evalsoc.data.intake import load_sources
    from evalsoc.startup import end_of_startup

    end_of_startup(framework, engine)  # before any row is read (evalsoc/startup.py)
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
    from evalsoc.sections.indicators.in_engine import compute_in_engine, plan
    from evalsoc.sections.indicators.multiple_choice import (
        compute_with_multiple,
        multiple_columns_used,
    )
    from evalsoc.sections.indicators.reads import effective_design

    results: dict[str, Any] = {}
    entries: dict[str, Entry] = {}  # what the disclosure audit needs of each indicator
    locs = {}
    for di, dim in enumerate(framework.dimensions):
        for ci, crit in enumerate(dim.criteria):
            for ii, ind in enumerate(crit.indicators):
                locs[ind.id] = ("dimensions", di, "criteria", ci, "indicators", ii)
    plan(framework, ctx)  # engines that plan answer indicators together (engines/base.py)
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
