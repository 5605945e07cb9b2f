"""Limits and annex: data sources with validation and quarantine counts, estimation designs
and their assumptions, software versions and input fingerprints, and the notes addressed to
the evaluator (undeclared columns, warnings) — kept out of the synthesis."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup, escape

from evalsoc.framework.base import label_text
from evalsoc.report.i18n import t
from evalsoc.report.phrases import check_text, method_text
from evalsoc.report.survey_design import survey_rows
from evalsoc.sections.qualitative.config import INSUFFICIENT_EVIDENCE
from evalsoc.text.format import fmt_number


def _table(heads: list[str], rows: list[list[Any]], cls: str = "data") -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in heads)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f'<table class="{cls}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def sources_rows(framework: Any, data: dict[str, Any], lang: str) -> list[list[Any]]:
    rows = []
    for name, src in data["data"].items():
        spec = framework.data.get(name)
        label = label_text(getattr(spec, "label", None), lang, name)
        failures = "".join(
            f"<li>{escape(check_text(k, lang))} : {escape(fmt_number(v, lang, 0))}</li>"
            if lang == "fr"
            else f"<li>{escape(check_text(k, lang))}: {escape(fmt_number(v, lang, 0))}</li>"
            for k, v in src["failures"].items()
        )
        sep = " : " if lang == "fr" else ": "
        missing = "".join(
            f"<li>{escape(f'{col} = {code}{sep}{fmt_number(n, lang, 0)}')}</li>"
            for col, codes in (src.get("missing_codes") or {}).items()
            for code, n in codes.items()
        )
        details = f"<ul>{failures}</ul>" if failures else escape(t(lang, "none"))
        if missing:
            details += f'<p class="muted">{escape(t(lang, "missing_codes"))}</p><ul>{missing}</ul>'
        rows.append(
            [
                f'{escape(label)}<br><span class="muted">{escape(src.get("file") or "")}</span>',
                escape(fmt_number(src["rows_read"], lang, 0)),
                escape(fmt_number(src["rows_used"], lang, 0)),
                escape(fmt_number(src["rows_quarantined"], lang, 0)),
                escape(fmt_number(src.get("rows_filtered", 0), lang, 0)),
                escape(fmt_number(src.get("rows_unmatched", 0), lang, 0)),
                details,
            ]
        )
    return rows


def limits(framework: Any, data: dict[str, Any], lang: str) -> Markup:
    items = []
    read = sum(s["rows_read"] for s in data["data"].values())
    quarantined = sum(s["rows_quarantined"] for s in data["data"].values())
    if quarantined:
        items.append(t(lang, "limits_quarantine", rows=quarantined, total=read))
    unjudged = sum(
        1
        for c in (data.get("criteria") or {}).values()
        if isinstance(c, dict) and c.get("verdict") == INSUFFICIENT_EVIDENCE
    )
    if unjudged:
        items.append(t(lang, "limits_unjudged", n=unjudged))
    if data.get("effects"):
        items.append(t(lang, "limits_effects"))
    if data["framework"].get("edition") == "funder":
        items.append(t(lang, "limits_privacy_funder"))
    else:
        items.append(t(lang, "limits_privacy", min_cell=data["framework"]["min_cell"]))
    body = "".join(f"<li>{escape(i)}</li>" for i in items)
    return Markup(
        f'<section id="limits" class="page-break"><h2>{escape(t(lang, "limits"))}</h2>'
        f"<ul>{body}</ul></section>"
    )


def _design_rows(framework: Any, data: dict[str, Any], lang: str) -> list[list[Any]]:
    rows = []
    effects = data.get("effects") or {}
    for spec in getattr(framework, "effects", []) or []:
        res = effects.get(spec.id) or {}
        notes = (res.get("diagnostics") or {}).get("notes") or []
        detail = "; ".join(
            str(n.get(lang, n.get("en", "")) if isinstance(n, dict) else n) for n in notes
        )
        rows.append(
            [
                escape(label_text(spec.label, lang, spec.id)),
                escape(method_text(res.get("method"), lang) or "—"),
                escape(method_text(detail, lang) or "—"),
            ]
        )
    return rows


def annex(framework: Any, data: dict[str, Any], lang: str) -> Markup:
    parts = [f'<section id="annex" class="page-break"><h2>{escape(t(lang, "annex"))}</h2>']
    parts.append(f"<h3>{escape(t(lang, 'annex_sources'))}</h3>")
    parts.append(
        _table(
            [
                t(lang, k)
                for k in (
                    "source",
                    "rows_read",
                    "rows_used",
                    "rows_quarantined",
                    "rows_filtered",
                    "rows_unmatched",
                    "failures",
                )
            ],
            sources_rows(framework, data, lang),
        )
    )
    parts.append(f'<p class="note">{escape(t(lang, "quarantine_note"))}</p>')
    surveyed = survey_rows(framework, data, lang)
    designs = _design_rows(framework, data, lang) + surveyed
    if designs:
        parts.append(f"<h3>{escape(t(lang, 'annex_designs'))}</h3>")
        parts.append(
            _table([t(lang, "indicator"), t(lang, "design"), t(lang, "assumption")], designs)
        )
        parts.append(f'<p class="muted">{escape(t(lang, "methods"))}</p>')
        if surveyed:
            parts.append(f'<p class="muted">{escape(t(lang, "survey_note"))}</p>')
    prov = data["provenance"]
    parts.append(f"<h3>{escape(t(lang, 'annex_software'))}</h3>")
    versions = [[escape(k), escape(v)] for k, v in prov["versions"].items()]
    parts.append(_table([t(lang, "software"), t(lang, "version")], versions, "data compact"))
    files = [
        [
            escape(t(lang, "framework_file")),
            f'<code class="hash">{escape(prov["framework_sha256"])}</code>',
        ]
    ]
    files += [
        [escape(v["file"]), f'<code class="hash">{escape(v["sha256"])}</code>']
        for v in prov["inputs"].values()
    ]
    parts.append(_table([t(lang, "file"), t(lang, "fingerprint")], files, "data compact"))
    parts.append(
        f"<p>{escape(t(lang, 'seed'))} : {escape(str(prov['seed']))}</p>"
        if lang == "fr"
        else f"<p>{escape(t(lang, 'seed'))}: {escape(str(prov['seed']))}</p>"
    )
    from evalsoc.sections.criteria.coconstruction_render import annex_html

    parts.append(annex_html(data.get("co_construction") or {}, lang))
    parts.append(f'<h3 id="warnings">{escape(t(lang, "annex_warnings"))}</h3>')
    warnings = data.get("warnings") or []
    if warnings:
        for w in warnings:
            text = (w.get("messages") or {}).get(lang) or w["message"]
            parts.append(f'<div class="warning">{escape(text)}</div>')
    else:
        parts.append(f"<p>{escape(t(lang, 'no_warnings'))}</p>")
    parts.append("</section>")
    return Markup("\n".join(parts))
