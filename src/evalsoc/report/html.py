"""The self-contained HTML report: inline CSS and SVG, no external request, every user string
escaped (jinja2 autoescape; section fragments escape their own strings)."""

from __future__ import annotations

import importlib
from importlib import resources
from typing import Any

from markupsafe import Markup, escape

from evalsoc.framework.base import label_text
from evalsoc.report.i18n import t
from evalsoc.report.svg import target_chart
from evalsoc.text.format import fmt_number, fmt_percent

PERCENT_KINDS = {"proportion", "share"}

# (results key, fragment module, anchor): rendered in this order when present.
FRAGMENTS = [
    ("criteria", "evalsoc.sections.criteria.render", "profile"),
    ("effects", "evalsoc.sections.effects.render", "effects"),
    ("capabilities", "evalsoc.sections.capabilities.render", "capabilities"),
    ("indicators", "evalsoc.sections.qualitative.render", "utility"),
    ("volunteering", "evalsoc.sections.volunteering.render", "volunteering"),
    ("sroi", "evalsoc.sections.sroi.render", "sroi"),
]

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
    if cell.get("ci_low") is None or cell.get("ci_high") is None:
        return "—"
    sep = " à " if lang == "fr" else " to "
    return _fmt_value(cell["ci_low"], kind, lang) + sep + _fmt_value(cell["ci_high"], kind, lang)


def _status(cell: dict, lang: str) -> tuple[str, str]:
    key = cell.get("status") or "not_estimable"
    return t(lang, key), key


def _indicator_rows(spec: Any, res: dict, lang: str) -> dict[str, Any]:
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
            median = res.get("median_level")
            row["value"] = fmt_percent(res["value"], lang) + (
                f" ({median.replace('_', ' ')})" if isinstance(median, str) else ""
            )
            row["ci"] = _fmt_ci(res, "proportion", lang)
        if res.get("status") == "not_computed":
            row["status"], row["status_key"] = t(lang, "not_computed"), "not_computed"
        elif res.get("status") in ("met", "not_met", "no_target", "suppressed", "not_estimable"):
            row["status"], row["status_key"] = _status(res, lang)
        else:
            row["status"], row["status_key"] = "", ""
        return row
    row.update(
        value=_fmt_value(res.get("value"), kind, lang, res.get("unit")),
        ci=_fmt_ci(res, kind, lang),
        n="—" if res.get("n") is None else fmt_number(res["n"], lang, 0),
        baseline=_fmt_value(res.get("baseline"), kind, lang),
        target=_fmt_value(res.get("target"), kind, lang),
    )
    row["status"], row["status_key"] = _status(res, lang)
    row["chart"] = Markup(
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
    cells = []
    for cell in res.get("by", []):
        status, key = _status(cell, lang)
        cells.append(
            {
                "group": ", ".join(str(v) for v in cell["group"].values()),
                "value": _fmt_value(cell.get("value"), kind, lang),
                "ci": _fmt_ci(cell, kind, lang),
                "n": "—" if cell.get("n") is None else fmt_number(cell["n"], lang, 0),
                "status": status,
                "status_key": key,
            }
        )
    row["by"] = cells
    row["by_label"] = ", ".join(spec.by)
    if res.get("categories") and kind == "share":
        parts = [
            f"{c['value']}: {fmt_percent(c['share'], lang) if not c.get('suppressed') else '—'}"
            for c in res["categories"]
        ]
        row["extra"] = " · ".join(parts)
    return row


def _fragments(results: Any) -> list[dict[str, Any]]:
    out = []
    data = results.data
    for key, module, anchor in FRAGMENTS:
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
                    "title": SECTION_TITLES[anchor][results.lang],
                    "html": Markup(html),
                }
            )
    return out


def render_report(results: Any) -> str:
    from jinja2 import Environment, select_autoescape

    framework = results.framework
    lang = results.lang
    data = results.data
    criteria_results = data.get("criteria", {})
    dims = []
    for dim in framework.dimensions:
        crits = []
        for crit in dim.criteria:
            cres = criteria_results.get(crit.id, {}) if isinstance(criteria_results, dict) else {}
            verdict = cres.get("verdict")
            rationale = cres.get("rationale")
            if isinstance(rationale, dict):
                rationale = rationale.get(lang) or rationale.get("fr") or rationale.get("en")
            crits.append(
                {
                    "label": label_text(crit.label, lang, crit.id),
                    "question": label_text(crit.question, lang),
                    "verdict": cres.get("verdict_label", {}).get(lang)
                    if isinstance(cres.get("verdict_label"), dict)
                    else (verdict.replace("_", " ") if verdict else None),
                    "verdict_key": verdict or "",
                    "rationale": rationale,
                    "indicators": [
                        _indicator_rows(ind, data["indicators"].get(ind.id, {}), lang)
                        for ind in crit.indicators
                    ],
                    "evidence": ", ".join(crit.evidence),
                }
            )
        dims.append({"label": label_text(dim.label, lang, dim.id), "criteria": crits})
    sources = [
        {
            "name": name,
            "file": src["file"],
            "rows_read": fmt_number(src["rows_read"], lang, 0),
            "rows_used": fmt_number(src["rows_used"], lang, 0),
            "rows_quarantined": fmt_number(src["rows_quarantined"], lang, 0),
            "rows_filtered": fmt_number(src.get("rows_filtered", 0), lang, 0),
            "rows_unmatched": fmt_number(src.get("rows_unmatched", 0), lang, 0),
            "missing_codes": [
                f"{col} = {code} : {n}" if lang == "fr" else f"{col} = {code}: {n}"
                for col, codes in (src.get("missing_codes") or {}).items()
                for code, n in codes.items()
            ],
            "failures": [
                f"{k} : {v}" if lang == "fr" else f"{k}: {v}" for k, v in src["failures"].items()
            ],
        }
        for name, src in data["data"].items()
    ]
    warnings = [
        (
            f"[{w['section']}"
            + (f" · {w['id']}" if w.get("id") else "")
            + f"] {(w.get('messages') or {}).get(lang) or w['message']}"
        )
        for w in data["warnings"]
    ]
    period = data["framework"]["period"]
    period_text = (
        " – ".join(p for p in (period.get("start"), period.get("end")) if p) if period else ""
    )
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
    env = Environment(autoescape=select_autoescape(default=True, default_for_string=True))
    template = env.from_string(template_text)
    return template.render(
        lang=lang,
        t=lambda key, **kw: t(lang, key, **kw),
        title=data["framework"]["title"],
        organisation=data["framework"].get("organisation"),
        description=data["framework"].get("description"),
        period=period_text,
        css=Markup(css),
        dimensions=dims,
        sections=_fragments(results),
        sources=sources,
        warnings=warnings,
        min_cell=data["framework"]["min_cell"],
        version=data["provenance"]["versions"]["evalsoc"],
        seed=data["provenance"]["seed"],
        escape=escape,
    )
