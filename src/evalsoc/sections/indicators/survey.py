"""Design-based indicators: the raw cells of a mean, proportion, sum, count or rate computed on
a declared sampling design (stats/survey.py), in the shape the unweighted path gives them, so
that the one privacy rule and the disclosure audit apply unchanged (docs/survey.md).

`where` and `by` groups are domains of the one design: the design is built on every row of
the source, and a domain's rows only change which scores are non-zero.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from evalsoc.sections.indicators.compute import (
    IndicatorError,
    _condition,
    _numeric,
    group_codes,
)
from evalsoc.sections.indicators.config import DESIGN_KINDS, SurveyDesignSpec
from evalsoc.stats import survey

LEVEL = 0.95


class SurveyDataError(ValueError):
    """The data do not fit the declared design (weights ≤ 0, a lonely PSU under `fail`...)."""


def build_design(frame: pd.DataFrame, spec: SurveyDesignSpec) -> survey.Design:
    """The design of a source's rows; a row that breaks it is a SurveyDataError naming it."""
    weights = pd.to_numeric(frame[spec.weights], errors="coerce").to_numpy(
        dtype=float, na_value=np.nan
    )
    values = {}
    for key in ("strata", "psu"):
        column = getattr(spec, key)
        if column:
            col = frame[column]
            missing = np.flatnonzero(col.isna().to_numpy())
            if missing.size:
                raise SurveyDataError(
                    f"{key} column {column!r} is missing on row(s) {_rows(missing)}: every row "
                    f"of a design needs its {key}"
                )
            values[key] = col.to_numpy()
    fpc = None
    if spec.fpc:
        fpc = pd.to_numeric(frame[spec.fpc], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    try:
        return survey.make_design(
            weights, values.get("strata"), values.get("psu"), fpc, spec.lonely_psu
        )
    except survey.DesignError as exc:
        raise SurveyDataError(_design_message(exc, spec)) from None


def _rows(positions: np.ndarray | list[int]) -> str:
    """Rows as a reader counts them (1 = first data row), the first five."""
    shown = [str(int(p) + 1) for p in list(positions)[:5]]
    more = " …" if len(positions) > 5 else ""
    return ", ".join(shown) + more


def _design_message(exc: survey.DesignError, spec: SurveyDesignSpec) -> str:
    rows = _rows(exc.rows)
    if exc.problem == "weight":
        return (
            f"weight column {spec.weights!r} is missing or not above 0 on row(s) {rows}: "
            "fix the weights, or leave those rows out with the source's `where`"
        )
    if exc.problem == "lonely_psu":
        return (
            f"a stratum of {spec.strata!r} has a single PSU (row(s) {rows}): its variance "
            "cannot be estimated; merge it with a similar stratum, or declare "
            "`lonely_psu: certainty` (it then adds no variance)"
        )
    if exc.problem == "fpc_size":
        return (
            f"fpc column {spec.fpc!r} is smaller than the number of PSUs sampled in a stratum "
            f"(row(s) {rows}): give the population size in PSUs or the sampling fraction"
        )
    return f"fpc column {spec.fpc!r}: {exc.detail} (row(s) {rows})"


def design_summary(spec: SurveyDesignSpec, design: survey.Design) -> dict[str, Any]:
    """What results.json says about the design of a design-based indicator."""
    return {
        "weights": spec.weights,
        "strata": spec.strata,
        "psu": spec.psu,
        "fpc": spec.fpc,
        "replacement": spec.fpc is None,
        "lonely_psu": spec.lonely_psu,
        "n_psu": design.n_psu,
        "n_strata": design.n_strata,
        "df": design.n_psu - design.n_strata,
        "variance": "Taylor linearisation",
    }


def _values(spec: Any, frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """(y, x or None, rows with a value) of a kind, on every row of the source."""
    kind = spec.kind
    if kind in ("mean", "sum"):
        y = _numeric(frame, spec.args).to_numpy()
        return np.nan_to_num(y), ~np.isnan(y), None
    if kind == "rate":
        num, den = spec.rate
        y, x = _numeric(frame, num).to_numpy(), _numeric(frame, den).to_numpy()
        return np.nan_to_num(y), ~(np.isnan(y) | np.isnan(x)), np.nan_to_num(x)
    if kind == "proportion":
        values, valid = _condition(frame, spec.proportion)
        return values.to_numpy(dtype=float), valid.to_numpy(dtype=bool), None
    if kind == "count":
        if spec.count is True or spec.count in (None, "", "rows"):
            return np.ones(len(frame)), np.ones(len(frame), dtype=bool), None
        values, valid = _condition(frame, str(spec.count))
        return values.to_numpy(dtype=float), valid.to_numpy(dtype=bool), None
    raise IndicatorError(
        f"a `{kind}` indicator cannot be estimated on a sampling design yet (design-based kinds: "
        f"{', '.join(DESIGN_KINDS)}); declare `design: none` on it to compute it unweighted"
    )


def _cell(
    spec: Any, design: survey.Design, y: np.ndarray, x: np.ndarray | None, domain: np.ndarray
) -> dict[str, Any]:
    kind = spec.kind
    if kind in ("sum", "count"):
        est = survey.total(design, y, domain)
    elif kind == "rate":
        assert x is not None
        est = survey.ratio(design, y, x, domain)
    else:
        est = survey.mean(design, y, domain)
    if kind == "proportion":
        low, high = survey.logit_interval(est, LEVEL)
        method = f"design-based, logit interval (R svyciprop), t with {est.df} df"
    else:
        low, high = survey.t_interval(est, LEVEL)
        method = f"design-based, Taylor linearisation, t with {est.df} df"
    cell: dict[str, Any] = {
        "n": float(est.rows),
        "value": est.value if est.rows else np.nan,
        "ci_low": low,
        "ci_high": high,
        "ci_method": method,
        "se": est.se,
        "df": est.df,
    }
    if kind in ("proportion", "count"):
        cell["count"] = float(np.sum(domain & (y > 0)))  # respondents, unweighted (privacy)
    return cell


def raw_survey(
    spec: Any,
    source_frame: pd.DataFrame,
    in_where: np.ndarray,
    design_spec: SurveyDesignSpec,
    seed: int,
) -> dict[str, Any]:
    """One design-based indicator's raw cells (overall and `by` groups), before privacy.

    `in_where`: the source rows `where` keeps (all without one). Groups are the observed
    combinations among those rows, as for unweighted indicators."""
    design = build_design(source_frame, design_spec)
    y, valid, x = _values(spec, source_frame)
    domain = in_where & valid
    overall = _cell(spec, design, y, x, domain)
    cells: list[dict[str, Any]] = []
    groups = codes = None
    if spec.by:
        codes, groups = group_codes(source_frame.loc[in_where].reset_index(drop=True), spec.by)
        full = np.full(len(source_frame), -1, dtype=np.int64)
        full[in_where] = codes
        cells = [_cell(spec, design, y, x, domain & (full == g)) for g in range(len(groups))]
    return {
        "overall": overall,
        "cells": cells,
        "groups": groups,
        "interval": None,
        "seed": seed,
        "design": design_summary(design_spec, design),
        "grouping": (codes, groups) if spec.by else None,
    }


def add_design_figures(result: dict[str, Any], raw: dict[str, Any]) -> dict[str, Any]:
    """The design summary, and each shown cell's standard error and degrees of freedom."""
    result["design"] = raw["design"]
    pairs = [(result, raw["overall"])] + list(zip(result.get("by", []), raw["cells"]))
    for shown, cell in pairs:
        if not shown.get("suppressed") and shown.get("value") is not None:
            se = float(cell["se"])
            shown["se"] = se if np.isfinite(se) else None
            shown["df"] = int(cell["df"])
    return result


def compute_design_based(
    spec: Any, source: str, design_spec: SurveyDesignSpec, ctx: Any
) -> tuple[dict[str, Any], Any]:
    """(published result, disclosure-audit entry) of a design-based indicator."""
    from evalsoc.privacy.indicators import Entry
    from evalsoc.sections.indicators.compute import publish_quantitative, row_support

    source_frame = ctx.frame(source)
    positions = ctx.positions(source, spec.where)
    in_where = np.zeros(len(source_frame), dtype=bool)
    in_where[positions] = True
    raw = raw_survey(spec, source_frame, in_where, design_spec, ctx.seed)
    result = add_design_figures(publish_quantitative(spec, raw, ctx.policy), raw)
    rows = source_frame.loc[in_where].reset_index(drop=True)
    grouping = raw["grouping"]
    entry = Entry(
        spec=spec,
        raw=raw,
        source=source,
        positions=positions,
        source_rows=len(source_frame),
        support=row_support(spec, rows),
        codes=grouping[0] if grouping is not None else np.zeros(len(rows), dtype=np.int64),
    )
    return result, entry
