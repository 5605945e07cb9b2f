"""The self-contained HTML report: inline CSS and SVG, no external request, every user string
escaped (jinja2 autoescape; section fragments escape their own strings)."""

from __future__ import annotations

import importlib
import weakref
from importlib import resources
from typing import Any

from markupsafe import Markup

from evalsoc.framework.base import label_text
from evalsoc.report.i18n import t
from evalsoc.report.svg import target_chart
from evalsoc.report.words import column_label, value_label
from evalsoc.sections.qualitative.config import LEVEL_LABELS
from evalsoc.text.format import fmt_number, fmt_percent

PERCENT_KINDS = {"proportion", "share"}

# (results key, fragment module, anchor): rendered in this order when present.

SECTION_TITLES = {
    "profile": {"fr": "Profil d'utilité sociale", "en": "Social utility profile"},
    "effects": {"fr": "Effets du dispositif", "en": "Programme effects"},
    "capabilities": {"fr": "Pouvoir d'agir", "en": "Empowerment"},
    "utility": {"fr": "Jugements des parties prenantes", "en": "Stakeholders' judgements"},
    "volunteering": {"fr": "Bénévolat", "en": "Volunteering"},
    "sroi": {
        "fr": "Retour social sur investissement (SROI)",
        "en": "Social return on investment (SROI)",
    },
    "resources": {"fr": "Ressources", "en": "Resources"},
    "costs": {"fr": "Coûts", "en": "Costs"},
    "valuation": {
        "fr": "Ce qui compte pour les parties prenantes",
        "en": "What matters to stakeholders",
    },
}


def _fmt_value(value: Any, kind: str, lang: str, unit: str | None = None) -> str:
    if value is None:
        return "—"
    if kind in PERCENT_KINDS:
        return fmt_percent(value, lang)
    digits = (
        0
        if kind in ("count",)
        or (isinstance(value, float) and value.is_integer() and abs(value) >= 100)
        else 2
    )
    text = fmt_number(value, lang, digits)
    return f"{text}\u00a0{unit}" if unit else text


def _fmt_ci(cell: dict, kind: str, lang: str) -> str:
    if kind == "count" and cell.get("value") is not None and cell.get("df") is None:
        # "324 — 1 199" (value, empty interval, N) read as a range: a count has no interval
        # (a design-based count, an estimate with its `df`, has one).
        return t(lang, "exact_count")
    if cell.get("ci_low") is None or cell.get("ci_high") is None:
        return "—"
    sep = " à " if lang == "fr" else " to "
    return _fmt_value(cell["ci_low"], kind, lang) + sep + _fmt_value(cell["ci_high"], kind, lang)


def _level_name(res: dict, level: Any, lang: str) -> str:
    """A rubric level's label (the framework's scale, else the standard levels), never its code."""
    if not isinstance(level, str):
        return "—"
    name = LEVEL_LABELS.get(level, {}).get(lang) or level.replace("_", " ")
    for item in res.get("scale") or []:
        if item.get("id") == level and (item.get("label") or {}).get(lang):
            name = item["label"][lang]
    # Inside a sentence: "Satisfaisant" → "satisfaisant" (an acronym such as "NSP" stays).
    return name[:1].lower() + name[1:] if name[1:2].islower() else name


def _status(cell: dict, lang: str) -> tuple[str, str]:
    key = cell.get("status") or "not_estimable"
    return t(lang, key), key


def _source(framework: Any, spec: Any) -> str | None:
    if framework is None:
        return None
    from evalsoc.framework.references import indicator_source

    return indicator_source(framework, spec)


def _indicator_rows(
    spec: Any, res: dict, lang: str, framework: Any = None, *, chart: bool = True
) -> dict[str, Any]:
    kind = res.get("kind", spec.kind)
    label = label_text(spec.label, lang, spec.id)
    row: dict[str, Any] = {"label": label}
    if kind in ("rubric", "themes"):
        row.update(
            value="—",
            ci="—",
            n="—" if res.get("n") is None else fmt_number(res["n"], lang, 0),
            baseline="—",
            target="—",
            chart="",
            by=[],
        )
        if kind == "rubric" and res.get("value") is not None:
            # A bare "0,0 % (insuffisant)" reads as a contradiction: say what the share counts.
            row["value"] = fmt_percent(res["value"], lang)
            row["ci"] = _fmt_ci(res, "proportion", lang)
            row["extra"] = t(
                lang,
                "rubric_reading",
                share=row["value"],
                level=_level_name(res, res.get("threshold"), lang),
                median=_level_name(res, res.get("median_level"), lang),
                n=fmt_number(res.get("n_rated") or res.get("n") or 0, lang, 0),
            )
        if res.get("status") == "not_computed":
            row["status"], row["status_key"] = t(lang, "not_computed"), "not_computed"
        elif res.get("status") in ("met", "not_met", "no_target", "suppressed", "not_estimable"):
            row["status"], row["status_key"] = _status(res, lang)
        else:
            row["status"], row["status_key"] = "", ""
        return row
    source = _source(framework, spec)
    row.update(
        value=_fmt_value(res.get("value"), kind, lang, res.get("unit")),
        ci=_fmt_ci(res, kind, lang),
        n="—" if res.get("n") is None else fmt_number(res["n"], lang, 0),
        baseline=_fmt_value(res.get("baseline"), kind, lang),
        target=_fmt_value(res.get("target"), kind, lang),
    )
    row["status"], row["status_key"] = _status(res, lang)
    if res.get("references"):
        from evalsoc.report.references import reference_lines

        row["references"] = reference_lines(kind, res, lang)
    row["chart"] = (
        ""
        if not chart
        else Markup(
            target_chart(
                res.get("value"),
                res.get("ci_low"),
                res.get("ci_high"),
                res.get("target"),
                res.get("baseline"),
                percent=kind == "proportion",
                title=label,
            )
        )
    )
    cells = []
    for cell in res.get("by", []):
        status, key = _status(cell, lang)
        cells.append(
            {
                "group": ", ".join(
                    value_label(framework, col, v, lang, source) if framework else str(v)
                    for col, v in cell["group"].items()
                ),
                "value": _fmt_value(cell.get("value"), kind, lang),
                "ci": _fmt_ci(cell, kind, lang),
                "n": "—" if cell.get("n") is None else fmt_number(cell["n"], lang, 0),
                "status": status,
                "status_key": key,
            }
        )
    row["by"] = cells
    row["by_label"] = ", ".join(
        column_label(framework, col, lang, source) if framework else col for col in spec.by
    )
    if res.get("categories") and kind == "share":
        column = spec.args if isinstance(spec.args, str) else None
        colon = " : " if lang == "fr" else ": "
        parts = [
            (
                value_label(framework, column, c["value"], lang, source)
                if column
                else str(c["value"])
            )
            + colon
            + (fmt_percent(c["share"], lang) if not c.get("suppressed") else "—")
            for c in res["categories"]
        ]
        row["extra"] = " · ".join(parts)
    if res.get("design"):
        row["extra"] = t(lang, "survey_row_note", weights=res["design"]["weights"])
    return row


def _section_list(data: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(results key, fragment module, anchor) of every registered section that has a report
    fragment, in the report's order (sections/registry.py: `render`, `report_rank`)."""
    from evalsoc.sections.registry import report_sections

    return [(s.key, s.render_module, s.anchor) for s in report_sections()]


# The sections' fragments (their matplotlib charts are most of the HTML's cost) do not depend
# on the medium: drawn once per results and language, shared by report.html and report.pdf.
_FRAGMENTS: weakref.WeakKeyDictionary[Any, dict[str, list[dict[str, Any]]]] = (
    weakref.WeakKeyDictionary()
)


def _fragments(results: Any) -> list[dict[str, Any]]:
    """The sections' fragments, drawn once per results object and language."""
    try:
        cached = _FRAGMENTS.setdefault(results, {})
    except TypeError:  # an object that cannot be weakly referenced: no cache
        return _draw_fragments(results)
    if results.lang not in cached:
        cached[results.lang] = _draw_fragments(results)
    return cached[results.lang]


def _draw_fragments(results: Any) -> list[dict[str, Any]]:
    out = []
    data = results.data
    for key, module, anchor in _section_list(data):
        section = data.get(key)
        if not section:
            continue
        if key == "criteria" and not any(
            isinstance(c, dict) and c.get("verdict") for c in section.values()
        ):
            continue
        if key == "indicators" and not any(
            r.get("kind") in ("rubric", "themes") for r in section.values()
        ):
            continue
        render = importlib.import_module(module).render  # a broken install is loud (exit 3)
        if key == "criteria":
            section = {
                "criteria": section,
                "dimensions": data.get("dimensions", {}),
                "synthesis": data.get("synthesis", {}),
            }
        extra = {"results": data} if key == "sroi" else {}
        html = render(section, results.framework, results.lang, **extra)
        if html:
            out.append(
                {
                    "anchor": anchor,
                    "title": SECTION_TITLES.get(anchor, {}).get(results.lang, anchor),
                    "html": Markup(html),
                }
            )
    return out


def _trend(results: Any) -> list[dict[str, Any]]:
    """The trend section when the run was given a history store with earlier runs."""
    from evalsoc.report.trend import render_trends

    history = getattr(results, "history", None)
    html = render_trends(
        history or {},
        results.framework,
        results.data,
        results.lang,
        lambda value, kind: _fmt_value(value, kind, results.lang),
    )
    if not html:
        return []
    return [{"anchor": "trend", "title": t(results.lang, "trend_title"), "html": Markup(html)}]


def _criteria_grid(
    framework: Any, data: dict[str, Any], lang: str, *, charts: bool = True
) -> list[dict[str, Any]]:
    from evalsoc.report.narrative import narrative_html
    from evalsoc.report.synthesis import criterion_rows

    verdicts = {r["id"]: r for r in criterion_rows(framework, data, lang)}
    criteria_results = data.get("criteria", {})
    dims = []
    for dim in framework.dimensions:
        crits = []
        for crit in dim.criteria:
            cres = criteria_results.get(crit.id, {}) if isinstance(criteria_results, dict) else {}
            rationale = cres.get("rationale")
            if isinstance(rationale, dict):
                rationale = rationale.get(lang) or rationale.get("fr") or rationale.get("en")
            evidence = [_evidence_label(framework, e, lang) for e in crit.evidence]
            crits.append(
                {
                    "label": label_text(crit.label, lang, crit.id),
                    "question": label_text(crit.question, lang),
                    "verdict": verdicts[crit.id]["verdict"] if cres.get("verdict") else None,
                    "verdict_key": cres.get("verdict") or "",
                    "rationale": rationale,
                    "reading": narrative_html(
                        (getattr(framework.narrative, "criteria", None) or {}).get(crit.id), lang
                    ),
                    "indicators": [
                        _indicator_rows(
                            ind, data["indicators"].get(ind.id, {}), lang, framework, chart=charts
                        )
                        for ind in crit.indicators
                    ],
                    "evidence": ", ".join(evidence),
                }
            )
        dims.append({"label": label_text(dim.label, lang, dim.id), "criteria": crits})
    return dims


def _evidence_label(framework: Any, item_id: str, lang: str) -> str:
    """The label of a cited effect, capability or SROI outcome, never its id."""
    for spec in list(framework.effects) + list(framework.capabilities):
        if spec.id == item_id:
            return label_text(spec.label, lang, item_id)
    for outcome in getattr(framework.sroi, "outcomes", None) or []:
        if getattr(outcome, "id", None) == item_id:
            return label_text(outcome.label, lang, item_id)
    return item_id


def render_report(results: Any, medium: str = "screen") -> str:
    """The report as one HTML page. `medium="print"` opens every breakdown (for the PDF)."""
    from jinja2 import Environment, select_autoescape

    from evalsoc.report import annex, synthesis
    from evalsoc.report.charts import REPORT_LANG
    from evalsoc.report.glossary import glossary_html, link_terms
    from evalsoc.report.narrative import narrative_html
    from evalsoc.report.words import date_words, period_words, report_date
    from evalsoc.sections.criteria.coconstruction_render import method_html

    framework = results.framework
    lang = results.lang
    data = results.data
    narrative = framework.narrative
    REPORT_LANG.set(lang)
    context = [
        (t(lang, key), narrative_html(getattr(narrative, key, None), lang))
        for key in ("context", "programme", "people")
    ]
    dated = report_date(framework, data)
    edition = data["framework"].get("edition", "public")
    css = (
        resources.files("evalsoc.report")
        .joinpath("templates/report.css")
        .read_text(encoding="utf-8")
    )
    template_text = (
        resources.files("evalsoc.report")
        .joinpath("templates/report.html")
        .read_text(encoding="utf-8")
    )
    from evalsoc.report.print_grid import PRINT_DETAIL_LIMIT, large_grid, summarise_for_print

    summarised = medium == "print" and large_grid(framework)
    dimensions = _criteria_grid(framework, data, lang, charts=not summarised)
    if medium == "print":
        from evalsoc.report.breakdown_matrix import breakdown_matrices

        for dim in dimensions:
            for crit in dim["criteria"]:
                crit["matrices"] = breakdown_matrices(crit["indicators"], lang)
    if summarised:
        summarise_for_print(dimensions, framework, data, lang)
    env = Environment(autoescape=select_autoescape(default=True, default_for_string=True))
    template = env.from_string(template_text)
    html = template.render(
        lang=lang,
        t=lambda key, **kw: t(lang, key, **kw),
        title=data["framework"]["title"],
        organisation=data["framework"].get("organisation"),
        description=data["framework"].get("description"),
        period=period_words(data["framework"].get("period"), lang),
        report_date=date_words(dated, lang) if dated else "",
        evaluator=label_text(getattr(framework.report, "evaluator", None), lang),
        funder=edition == "funder",
        print=medium == "print",
        summarised=summarised,
        print_limit=PRINT_DETAIL_LIMIT,
        css=Markup(css),
        synthesis=synthesis.render(framework, data, lang),
        context=[(title, body) for title, body in context if body],
        dimensions=dimensions,
        coconstruction=method_html(data.get("co_construction") or {}, lang),
        sections=_fragments(results) + _trend(results),
        conclusion=narrative_html(getattr(narrative, "conclusion", None), lang),
        limits=annex.limits(framework, data, lang),
        annex=annex.annex(framework, data, lang),
        min_cell=data["framework"]["min_cell"],
        version=data["provenance"]["versions"]["evalsoc"],
        seed=data["provenance"]["seed"],
    )
    html, used = link_terms(html, lang)
    glossary = glossary_html(used, lang, t(lang, "glossary"), t(lang, "glossary_intro"))
    return html.replace("<!-- glossary -->", glossary, 1)
