"""The annex rows naming the sampling design of each design-based indicator (FR/EN)."""

from __future__ import annotations

from typing import Any

from markupsafe import escape

from evalsoc.framework.base import label_text
from evalsoc.framework.references import indicator_source
from evalsoc.report.i18n import t


def _column(framework: Any, source: str | None, column: str | None, lang: str) -> str:
    """A design column as the reader knows it: its declared label, else its name."""
    if not column:
        return t(lang, "survey_none")
    spec = framework.data.get(source) if source else None
    declared = spec.columns.get(column) if spec is not None else None
    return label_text(getattr(declared, "label", None), lang, column)


def survey_rows(framework: Any, data: dict[str, Any], lang: str) -> list[list[Any]]:
    """[indicator, method, design] for every indicator published with a `design`."""
    rows = []
    results = data.get("indicators") or {}
    for _dim, _crit, ind in framework.all_indicators():
        design = (results.get(ind.id) or {}).get("design")
        if not design:
            continue
        source = indicator_source(framework, ind)
        draw = (
            t(lang, "survey_fpc", fpc=_column(framework, source, design["fpc"], lang))
            if design["fpc"]
            else t(lang, "survey_with_replacement")
        )
        psu = (
            _column(framework, source, design["psu"], lang)
            if design["psu"]
            else t(lang, "survey_each_row")
        )
        text = t(
            lang,
            "survey_design",
            weights=_column(framework, source, design["weights"], lang),
            strata=_column(framework, source, design["strata"], lang),
            psu=psu,
            draw=draw,
            n_psu=design["n_psu"],
            n_strata=design["n_strata"],
            df=design["df"],
        )
        rows.append(
            [
                escape(label_text(ind.label, lang, ind.id)),
                escape(t(lang, "survey_method")),
                escape(text),
            ]
        )
    return rows
