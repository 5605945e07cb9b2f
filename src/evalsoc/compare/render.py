"""compare.html: self-contained (inline CSS and SVG, no external request), synthesis first,
every user string escaped."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup, escape

from evalsoc.privacy.cells import reason_text
from evalsoc.report.i18n import t
from evalsoc.report.i18n_compare import COMPARE_GLOSSARY
from evalsoc.text.format import fmt_number, fmt_percent


def w(lang: str, key: str) -> str:
    """compare.html's word `key` from the report catalogue (codes `compare_<key>`)."""
    return t(lang, "compare_" + key)


CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;max-width:72rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a;line-height:1.45}
h1{font-size:1.6rem}h2{font-size:1.25rem;margin-top:2.2rem;border-bottom:1px solid #ddd}
table{border-collapse:collapse;width:100%;margin:.6rem 0;font-size:.92rem}
th,td{border-bottom:1px solid #e5e5e5;padding:.35rem .5rem;text-align:left;vertical-align:top}
th{background:#f5f5f5}.num{text-align:right;white-space:nowrap}
.agree{color:#1b7837}.disagree{color:#b2182b;font-weight:600}.muted{color:#666}
.reading{background:#f4f8fb;border-left:4px solid #2166ac;padding:.6rem 1rem}
dl dt{font-weight:600;margin-top:.5rem}svg{max-width:100%}
td,th{overflow-wrap:anywhere}
@media (max-width:720px){body{margin:.8rem auto;font-size:.95rem}
table,thead,tbody{display:block;width:100%}
tr{display:flex;flex-wrap:wrap;border-bottom:1px solid #ddd;padding:.2rem 0}
th,td{display:block;border:none;flex:1 1 auto;min-width:0;padding:.2rem .4rem}
tr>:first-child{flex-basis:100%;font-weight:600}.num{text-align:left;white-space:normal}}
"""


def _with_reason(verdict: str, reason: Any, lang: str) -> str:
    """A verdict followed by its coded reason in the page's language, when there is one."""
    why = reason_text(reason, lang)
    if not why:
        return verdict
    return f"{verdict} : {why}" if lang == "fr" else f"{verdict}: {why}"


def _e(text: Any) -> Markup:
    return escape("" if text is None else str(text))


def _num(x: Any, lang: str, digits: int = 3) -> str:
    return fmt_number(x, lang, digits)


def _ci(ci: Any, lang: str, digits: int = 3) -> str:
    if not ci or ci[0] is None or ci[1] is None:
        return "—"
    sep = " à " if lang == "fr" else " to "
    return _num(ci[0], lang, digits) + sep + _num(ci[1], lang, digits)


def _label(labels: dict[str, dict[str, str]], ident: str, lang: str) -> str:
    return labels.get(ident, {}).get(lang) or ident


def _table(head: list[str], rows: list[list[Any]], numeric: set[int] = frozenset()) -> Markup:
    out = ["<table><thead><tr>"]
    out += [f"<th>{_e(h)}</th>" for h in head]
    out.append("</tr></thead><tbody>")
    for row in rows:
        out.append("<tr>")
        for i, cell in enumerate(row):
            cls = ' class="num"' if i in numeric else ""
            out.append(f"<td{cls}>{cell if isinstance(cell, Markup) else _e(cell)}</td>")
        out.append("</tr>")
    out.append("</tbody></table>")
    return Markup("".join(out))


def _readings_section(readings: dict[str, Any], labels: dict, lang: str) -> Markup:
    rows = []
    for row in readings["criteria"]:
        u, i = row["utility"], row["impact"]
        verdict = (
            w(lang, u["verdict"])
            if u["verdict"]
            in ("insuffisant", "fragile", "satisfaisant", "remarquable", "preuves_insuffisantes")
            else "—"
        )
        ev = "; ".join(
            f"{_label(labels, e['id'], lang)}: {w(lang, e['level']) if e.get('level') else '—'}"
            for e in u["evidence"]
        )
        effects = "; ".join(
            f"{_label(labels, e['id'], lang)}: {_num(e['estimate'], lang)} ({w(lang, 'ci')} {_ci(e['ci'], lang)})"
            for e in i["effects"]
        )
        impact_text = w(lang, i["direction"]) if i["direction"] else w(lang, i["status"])
        if i["sroi_value"] is not None:
            impact_text += f"; {w(lang, 'sroi_value')} {fmt_number(i['sroi_value'], lang, 0)} €"
        elif i["status"] == "not_monetised":
            impact_text += f"; {w(lang, 'not_monetised')}"
        cls = row["agreement"] if row["agreement"] in ("agree", "disagree") else "muted"
        rows.append(
            [
                row["label"].get(lang) or row["criterion"],
                Markup(f"<strong>{_e(verdict)}</strong><br><span class=muted>{_e(ev)}</span>"),
                Markup(f"{_e(impact_text)}<br><span class=muted>{_e(effects)}</span>"),
                Markup(f'<span class="{cls}">{_e(w(lang, row["agreement"]))}</span>'),
            ]
        )
    s = readings["summary"]
    figures = [
        [w(lang, "share_utility"), fmt_percent(s["share_utility_judges"], lang)],
        [w(lang, "share_impact"), fmt_percent(s["share_impact_judges"], lang)],
        [w(lang, "share_outcomes_nm"), fmt_percent(s["share_outcomes_not_monetised"], lang)],
        [w(lang, "share_criteria_nm"), fmt_percent(s["share_criteria_without_sroi_value"], lang)],
        [w(lang, "share_weak"), fmt_percent(s["share_sroi_value_on_weak_criteria"], lang)],
    ]
    return (
        Markup(f'<h3>{_e(readings["run"])}</h3><p class="reading">{_e(readings["text"][lang])}</p>')
        + _table(
            [w(lang, "criterion"), w(lang, "utility"), w(lang, "impact"), w(lang, "agreement")],
            rows,
        )
        + _table([w(lang, "figures"), ""], figures, {1})
    )


def _indicators_section(result: dict[str, Any], lang: str) -> Markup:
    labels = result["labels"]
    rows = []
    for ind in result["indicators"]:
        percent = ind["kind"] in ("proportion", "share")
        for p in ind["points"]:
            value = (
                w(lang, "suppressed")
                if p["suppressed"]
                else (fmt_percent(p["value"], lang) if percent else _num(p["value"], lang, 2))
            )
            ci = _ci(p["ci"], lang, 3)
            rows.append(
                [_label(labels, ind["id"], lang), p["run"], value, ci, _num(p["n"], lang, 0)]
            )
    table = _table([w(lang, "indicator"), w(lang, "run"), "", w(lang, "ci"), "n"], rows, {2, 3, 4})
    changes = []
    for ind in result["indicators"]:
        for c in ind["changes"]:
            if c["definition_changed"]:
                verdict = w(lang, "definition_changed")
            elif c["exceeds_uncertainty"] is None:
                verdict = _with_reason(w(lang, "not_tested"), c.get("reason"), lang)
            else:
                verdict = w(lang, "yes" if c["exceeds_uncertainty"] else "no")
            changes.append(
                [
                    _label(labels, ind["id"], lang),
                    f"{c['from']} → {c['to']}",
                    _num(c["difference"], lang, 3),
                    _ci(c.get("ci"), lang, 3),
                    verdict,
                ]
            )
    out = table
    if changes:
        out += Markup(f"<h3>{_e(w(lang, 'changes'))}</h3>") + _table(
            [
                w(lang, "indicator"),
                w(lang, "from_to"),
                w(lang, "difference"),
                w(lang, "ci"),
                w(lang, "beyond"),
            ],
            changes,
            {2, 3},
        )
    cons = []
    for ind in result["indicators"]:
        for c in ind["consolidated"]:
            if c.get("suppressed"):
                value = _with_reason(w(lang, "suppressed"), c.get("reason"), lang)
            elif c.get("value") is None:
                value = _with_reason(w(lang, "not_computable"), c.get("reason"), lang)
            else:
                value = (
                    fmt_percent(c["value"], lang)
                    if c["kind"] == "proportion"
                    else _num(c["value"], lang, 2)
                )
            cons.append(
                [
                    _label(labels, ind["id"], lang),
                    c["period"],
                    value,
                    _ci(c.get("ci"), lang, 3),
                    _num(c.get("n"), lang, 0),
                ]
            )
    if cons:
        out += Markup(f"<h3>{_e(w(lang, 'consolidated'))}</h3>") + _table(
            [w(lang, "indicator"), w(lang, "period"), "", w(lang, "ci"), "n"], cons, {2, 3, 4}
        )
    if result["unmatched"]:
        items = "".join(
            f"<li>{_e(run)} : {_e(', '.join(ids))}</li>" for run, ids in result["unmatched"].items()
        )
        out += Markup(f"<h3>{_e(w(lang, 'unmatched'))}</h3><ul>{items}</ul>")
    return out


def forest_svg(pooled: dict[str, Any], lang: str, title: str) -> Markup:
    reml = pooled["methods"]["reml"]
    rows = list(zip(pooled["runs"], pooled["estimates"], pooled["ci"]))
    xs = [v for _, _, ci in rows for v in ci] + [0.0]
    if reml.get("estimable"):
        xs += list(reml["prediction_interval"])
    lo, hi = min(xs), max(xs)
    span = (hi - lo) or 1.0
    width, left, right, row_h = 640.0, 190.0, 20.0, 22.0
    height = row_h * (len(rows) + 3)

    def x(v: float) -> float:
        return left + (v - lo) / span * (width - left - right)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" role="img" font-size="12">',
        f"<title>{_e(title)}</title>",
        f'<line x1="{x(0):.1f}" y1="4" x2="{x(0):.1f}" y2="{height - 4:.0f}" stroke="#999" stroke-dasharray="3,3"/>',
    ]
    for k, (run, est, ci) in enumerate(rows):
        y = row_h * (k + 1)
        parts.append(f'<text x="4" y="{y + 4:.0f}">{_e(run)}</text>')
        parts.append(
            f'<line x1="{x(ci[0]):.1f}" y1="{y:.0f}" x2="{x(ci[1]):.1f}" y2="{y:.0f}" stroke="#333"/>'
        )
        parts.append(
            f'<rect x="{x(est) - 4:.1f}" y="{y - 4:.0f}" width="8" height="8" fill="#2166ac"/>'
        )
    if reml.get("estimable"):
        y = row_h * (len(rows) + 1.5)
        a, b = reml["ci"]
        m = reml["estimate"]
        pa, pb = reml["prediction_interval"]
        parts.append(f'<text x="4" y="{y + 4:.0f}">{_e(w(lang, "pooled_label"))}</text>')
        parts.append(
            f'<line x1="{x(pa):.1f}" y1="{y:.0f}" x2="{x(pb):.1f}" y2="{y:.0f}" stroke="#b2182b" stroke-width="2"/>'
        )
        parts.append(
            f'<polygon points="{x(a):.1f},{y:.0f} {x(m):.1f},{y - 7:.0f} {x(b):.1f},{y:.0f} {x(m):.1f},{y + 7:.0f}" fill="#b2182b"/>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def _pooled_section(result: dict[str, Any], lang: str) -> Markup:
    out = Markup("")
    for p in result["pooled_effects"]:
        name = _label(result["labels"], p["effect"], lang)
        rows = []
        for m in p["methods"].values():
            if not m["estimable"]:
                shown = _with_reason(w(lang, "not_computable"), m.get("reason"), lang)
                rows.append([m["method"], shown, "", "", "", ""])
                continue
            rows.append(
                [
                    m["method"],
                    _num(m["estimate"], lang),
                    _ci(m["ci"], lang),
                    _num(m["tau2"], lang, 4),
                    fmt_percent(m["i2"], lang),
                    _ci(m["prediction_interval"], lang),
                ]
            )
        out += Markup(f"<h3>{_e(name)} ({_e(p['period'])})</h3>")
        out += forest_svg(p, lang, f"{w(lang, 'forest')}: {name}")
        out += _table(
            [
                w(lang, "method"),
                w(lang, "estimate"),
                w(lang, "ci"),
                "τ²",
                "I²",
                w(lang, "prediction"),
            ],
            rows,
            {1, 2, 3, 4, 5},
        )
    return out


def _rankings_section(result: dict[str, Any], lang: str) -> Markup:
    r = result["rankings"]
    if not r:
        return Markup("")
    head = [w(lang, "run"), w(lang, "pareto")]
    cols = [[str(x) for x in r["utility"]["pareto_layer"]]]
    weighted = r["utility"].get("weighted")
    if weighted:
        head.append(w(lang, "weighted"))
        cols.append(
            [
                f"{_num(s, lang, 2)} ({fmt_percent(st, lang, 0)})"
                for s, st in zip(weighted["scores"], weighted["rank_stability"])
            ]
        )
    if r["impact"].get("sroi"):
        head.append(w(lang, "sroi_rank"))
        s = r["impact"]["sroi"]
        cols.append(
            [
                f"{rank} ({fmt_percent(pr, lang, 0)})"
                for rank, pr in zip(s["ranks"], s["rank_probabilities"]["p_first"])
            ]
        )
    for e in r["impact"]["effects"]:
        head.append(f"{w(lang, 'effect_rank')} — {_label(result['labels'], e['effect'], lang)}")
        cols.append(
            [
                f"{rank} ({fmt_percent(pr, lang, 0)})"
                for rank, pr in zip(e["ranks"], e["rank_probabilities"]["p_first"])
            ]
        )
    rows = [[label] + [c[i] for c in cols] for i, label in enumerate(r["runs"])]
    out = _table(head, rows, set(range(1, len(head))))
    a = r.get("agreement")
    if a and a.get("estimable"):
        text = (
            f"τ-b = {_num(a['kendall_tau_b'], lang, 2)} ({w(lang, 'ci')} {_ci(a.get('kendall_ci'), lang, 2)}); "
            f"ρ = {_num(a['spearman_rho'], lang, 2)} ({w(lang, 'ci')} {_ci(a.get('spearman_ci'), lang, 2)}); n = {a['n']}"
        )
        if a.get("ci_reason"):
            text += f" — {reason_text(a['ci_reason'], lang)}"
        out += Markup(f"<h3>{_e(w(lang, 'kendall'))}</h3><p>{_e(text)}</p>")
    elif a:
        shown = _with_reason(w(lang, "not_computable"), a.get("reason"), lang)
        out += Markup(f"<h3>{_e(w(lang, 'kendall'))}</h3><p>{_e(shown)}</p>")
    return out


def render_html(result: dict[str, Any], lang: str) -> str:
    labels = result["labels"]
    title = w(lang, "title")
    body = [f"<h1>{_e(title)}</h1>", f"<h2 id=synthesis>{_e(w(lang, 'synthesis'))}</h2>"]
    if result.get("text"):
        body.append(f'<p class="reading">{_e(result["text"][lang])}</p>')
    for readings in result["readings"]:
        body.append(f"<p><strong>{_e(readings['run'])}</strong> — {_e(readings['text'][lang])}</p>")
    body.append(f"<h2>{_e(w(lang, 'runs'))}</h2>")
    body.append(
        _table(
            [w(lang, "run"), w(lang, "period"), w(lang, "source")],
            [
                [
                    r["label"],
                    f"{r['period'].get('start', '')} – {r['period'].get('end', '')}",
                    r["source"],
                ]
                for r in result["runs"]
            ],
        )
    )
    body.append(f"<h2>{_e(w(lang, 'two_readings'))}</h2>")
    body += [_readings_section(r, labels, lang) for r in result["readings"]]
    if result["indicators"]:
        body.append(f"<h2>{_e(w(lang, 'indicators'))}</h2>")
        body.append(_indicators_section(result, lang))
    if result["pooled_effects"]:
        body.append(f"<h2>{_e(w(lang, 'pooled'))}</h2>")
        body.append(_pooled_section(result, lang))
    if result["rankings"]:
        body.append(f"<h2>{_e(w(lang, 'rankings'))}</h2>")
        body.append(_rankings_section(result, lang))
    body.append(f"<h2>{_e(w(lang, 'glossary'))}</h2><dl>")
    body += [
        f"<dt>{_e(t(lang, 'compare_term_' + code))}</dt>"
        f"<dd>{_e(t(lang, 'compare_meaning_' + code))}</dd>"
        for code in COMPARE_GLOSSARY
    ]
    body.append(
        f"</dl><h2>{_e(w(lang, 'methods'))}</h2><p>{_e(t(lang, 'compare_methods_text'))}</p>"
    )
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">'
        '<meta name="generator" content="evalsoc compare">'
        f"<title>{_e(title)}</title><style>{CSS}</style></head><body>"
        + "".join(str(b) for b in body)
        + "</body></html>\n"
    )
