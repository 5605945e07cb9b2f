"""The effects section of the report: a forest plot, a table and one plain sentence per effect.

Non-estimable effects are listed with their reason; intervals that include zero are described
as too wide to conclude (the sentences come from results.json, written in both languages).
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup, escape

from evalsoc.framework.base import label_text
from evalsoc.privacy.cells import reason_text
from evalsoc.report.phrases import method_text
from evalsoc.sections.effects.designs import design_name
from evalsoc.text.format import fmt_number

TEXT = {
    "fr": {
        "title": "Effets du dispositif",
        "intro": "Chaque ligne compare un groupe qui a bénéficié du dispositif à un groupe de "
        "comparaison (ou les mêmes personnes avant et après). Les barres montrent les intervalles "
        "de confiance ; un intervalle qui contient zéro ne permet pas de conclure.",
        "plot": "Effets estimés et intervalles de confiance",
        "effect": "Effet",
        "design": "Méthode",
        "estimate": "Estimation",
        "ci": "Intervalle de confiance",
        "p": "p",
        "p_holm": "p ajusté (Holm)",
        "n": "Effectifs (bénéficiaires / comparaison)",
        "mde": "Effet minimal détectable",
        "not_estimable": "non estimable",
        "none": "Aucun effet n'est déclaré dans la grille.",
        "standardised": "Les effets ayant des unités différentes, le graphique les montre en "
        "écarts-types du résultat (d de Cohen) ; le tableau donne les valeurs dans leur unité.",
        "left_out": "Absents du graphique, faute d'un écart-type publiable (taille d'effet "
        "masquée par la règle de confidentialité, résultat sans dispersion, ou écart entre "
        "indices d'inégalité) : ",
        "method": "Méthode",
        "event_title": "Effet selon le temps écoulé depuis l'entrée dans le dispositif",
        "event_x": "périodes depuis la première année traitée (négatif : avant)",
        "pre_trends": "Test des tendances parallèles avant l'entrée (Wald, {n} estimations "
        "antérieures) : p = {p}. Un p faible signale des évolutions déjà différentes avant le "
        "dispositif, ce qui fragilise l'estimation.",
    },
    "en": {
        "title": "Effects of the programme",
        "intro": "Each row compares a group that took part in the programme with a comparison "
        "group (or the same people before and after). The bars show confidence intervals; an "
        "interval that contains zero does not allow a conclusion.",
        "plot": "Estimated effects and confidence intervals",
        "effect": "Effect",
        "design": "Method",
        "estimate": "Estimate",
        "ci": "Confidence interval",
        "p": "p",
        "p_holm": "adjusted p (Holm)",
        "n": "Numbers (programme / comparison)",
        "mde": "Minimum detectable effect",
        "not_estimable": "not estimable",
        "none": "The framework declares no effect.",
        "standardised": "As the effects have different units, the chart shows them in standard "
        "deviations of the outcome (Cohen's d); the table gives the values in their own units.",
        "left_out": "Not in the chart, for want of a standard deviation that can be published "
        "(effect size withheld by the privacy rule, an outcome without spread, or a difference "
        "of inequality indices): ",
        "method": "Method",
        "event_title": "Effect by time since entering the programme",
        "event_x": "periods since the first treated period (negative: before)",
        "pre_trends": "Test of parallel trends before entry (Wald, {n} pre-period estimates): "
        "p = {p}. A small p signals trends that already differed before the programme, which "
        "weakens the estimate.",
    },
}


# the index's name beside a difference of indices (on the index's 0–1 scale, not in "points")
INDEX_UNITS = {
    lang: {"gini": "(Gini)", "theil": "(Theil)", "atkinson": "(Atkinson)"} for lang in ("fr", "en")
}


def _specs(framework: Any) -> dict[str, Any]:
    return {spec.id: spec for spec in (getattr(framework, "effects", None) or [])}


def _number(value: Any, lang: str, binary: bool = False) -> str:
    if value is None:
        return "—"
    shown = value * 100 if binary else value
    a = abs(shown)
    digits = 0 if a >= 100 else 1 if a >= 10 else 2 if a >= 0.1 else 3
    text = fmt_number(shown, lang, digits)
    return text.replace("-", "−") if lang == "fr" else text


def _p(value: Any, lang: str) -> str:
    if value is None:
        return "—"
    if value < 0.001:
        return "< " + fmt_number(0.001, lang, 3)
    return fmt_number(value, lang, 3)


def _unit(spec: Any, result: dict, lang: str) -> str:
    index = ((result.get("diagnostics") or {}).get("inequality") or {}).get("index")
    if index:  # a difference of indices is in index points, whatever the outcome's unit
        return INDEX_UNITS[lang][index]
    text = label_text(getattr(spec, "unit_label", None), lang) if spec is not None else ""
    if text:
        return text
    if result.get("outcome_type") == "binary":
        return "pts de %" if lang == "fr" else "pp"
    return ""


def _rows_for_plot(
    results: dict[str, dict], specs: dict[str, Any], lang: str
) -> tuple[list[tuple[str, float, float, float]], bool, list[str]]:
    """(label, estimate, low, high) per estimable effect, standardised when units differ, and
    the labels of the effects left out because they have no standard deviation to scale by
    (e.g. a binary outcome whose risks the privacy rule withholds)."""
    items = [
        (k, r) for k, r in results.items() if r.get("estimable") and r.get("ci_low") is not None
    ]
    units = {(_unit(specs.get(k), r, lang), r.get("outcome_type")) for k, r in items}
    standardise = len(units) > 1
    rows = []
    left_out: list[str] = []
    for key, r in items:
        label = label_text(getattr(specs.get(key), "label", None), lang, default=key)
        scale = 1.0
        if standardise:
            sizes = r.get("effect_size") or {}
            sd = sizes.get("sd_pooled")
            if r.get("outcome_type") == "binary":
                p0 = sizes.get("risk_counterfactual")
                sd = (p0 * (1 - p0)) ** 0.5 if p0 is not None and 0 < p0 < 1 else None
            if not sd:
                left_out.append(label)
                continue
            scale = 1.0 / sd
        rows.append((label, r["estimate"] * scale, r["ci_low"] * scale, r["ci_high"] * scale))
    return rows, standardise, left_out


def forest_plot(rows: list[tuple[str, float, float, float]], title: str, xlabel: str) -> str:
    """An inline SVG forest plot: one row per effect, a point and its interval, a line at zero."""
    from evalsoc.report.charts import figure_to_svg, new_figure

    fig, ax = new_figure(6.5, 0.6 + 0.45 * len(rows))
    for i, (_, est, low, high) in enumerate(rows):
        y = len(rows) - 1 - i
        ax.plot([low, high], [y, y], color="#1f4e79", linewidth=2)
        ax.plot([est], [y], marker="s", color="#1f4e79", markersize=6)
    ax.axvline(0, color="#888888", linewidth=1, linestyle="--")
    ax.set_yticks(range(len(rows)))
    ax.set_yticklabels([r[0] for r in reversed(rows)])
    ax.set_ylim(-0.7, len(rows) - 0.3)
    ax.set_xlabel(xlabel)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    return figure_to_svg(fig, title)  # which also drops matplotlib's metadata URLs


def event_study_plot(events: list[dict], title: str, xlabel: str) -> str:
    """Estimates by event time with their intervals; the dashed line separates before/after."""
    from evalsoc.report.charts import figure_to_svg, new_figure

    shown = [e for e in events if e.get("estimate") is not None and e.get("ci_low") is not None]
    if not shown:
        return ""
    fig, ax = new_figure(6.5, 2.8)
    for e in shown:
        x = e["event_time"]
        colour = "#888888" if x < 0 else "#1f4e79"
        ax.plot([x, x], [e["ci_low"], e["ci_high"]], color=colour, linewidth=2)
        ax.plot([x], [e["estimate"]], marker="o", color=colour, markersize=5)
    ax.axhline(0, color="#888888", linewidth=1)
    ax.axvline(-0.5, color="#d62728", linewidth=1, linestyle="--")
    ax.set_xlabel(xlabel)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    return figure_to_svg(fig, title)


def _event_study(r: dict, t: dict, lang: str) -> str:
    events = ((r.get("aggregates") or {}).get("dynamic") or {}).get("by_event_time") or []
    parts = []
    svg = event_study_plot(events, t["event_title"], t["event_x"])
    if svg:
        parts.append(f"<figure>{svg}</figure>")
    pre = (r.get("diagnostics") or {}).get("pre_trends") or {}
    if pre.get("p_value") is not None:
        parts.append(
            '<p class="note">'
            + t["pre_trends"].format(n=pre.get("n_pre"), p=fmt_number(pre["p_value"], lang, 3))
            + "</p>"
        )
    return "".join(parts)


def render(section_results: dict[str, Any], framework: Any, lang: str) -> str:
    """The effects section as an HTML fragment (user strings escaped, chart inline)."""
    t = TEXT.get(lang, TEXT["en"])
    results = section_results or {}
    specs = _specs(framework)
    parts = [f'<section class="effects"><h2>{t["title"]}</h2>']
    if not results:
        parts.append(f'<p class="muted">{t["none"]}</p></section>')
        return "".join(parts)
    parts.append(f'<p class="note">{t["intro"]}</p>')
    rows, standardised, left_out = _rows_for_plot(results, specs, lang)
    if rows:
        units = {_unit(specs.get(k), r, lang) for k, r in results.items() if r.get("estimable")}
        xlabel = "d" if standardised else (next(iter(units)) if len(units) == 1 else "")
        parts.append(f"<figure>{forest_plot(rows, t['plot'], xlabel)}</figure>")
        if standardised:
            parts.append(f'<p class="note">{t["standardised"]}</p>')
    if left_out:
        names = escape(", ".join(left_out))
        parts.append(f'<p class="note">{t["left_out"]}{names}.</p>')
    head = "".join(
        f"<th>{t[k]}</th>"
        for k in ("effect", "design", "estimate", "ci", "p", "p_holm", "n", "mde")
    )
    body = []
    for key, r in results.items():
        spec = specs.get(key)
        label = escape(label_text(getattr(spec, "label", None), lang, default=key))
        design = design_name(r.get("design") or "", lang)
        if not r.get("estimable"):
            reason = escape(reason_text(r.get("reason"), lang))
            body.append(
                f'<tr class="muted"><td>{label}</td><td>{escape(design)}</td>'
                f'<td colspan="6">{t["not_estimable"]} : {reason}</td></tr>'
                if lang == "fr"
                else f'<tr class="muted"><td>{label}</td><td>{escape(design)}</td>'
                f'<td colspan="6">{t["not_estimable"]}: {reason}</td></tr>'
            )
            continue
        binary = r.get("outcome_type") == "binary" and not (
            spec is not None and label_text(getattr(spec, "unit_label", None), lang)
        )
        unit = escape(_unit(spec, r, lang))
        est = f"{_number(r.get('estimate'), lang, binary)} {unit}".strip()
        ci = f"{_number(r.get('ci_low'), lang, binary)} ; {_number(r.get('ci_high'), lang, binary)}"
        if lang != "fr":
            ci = ci.replace(" ;", ",")
        n = f"{r.get('n_treated') if r.get('n_treated') is not None else '—'} / "
        n += f"{r.get('n_control') if r.get('n_control') is not None else '—'}"
        mde = (r.get("mde") or {}).get("value")
        body.append(
            f"<tr><td>{label}</td><td>{escape(design)}</td><td>{est}</td><td>[{ci}]</td>"
            f"<td>{_p(r.get('p_value'), lang)}</td><td>{_p(r.get('p_value_holm'), lang)}</td>"
            f"<td>{n}</td><td>{_number(mde, lang, binary)}</td></tr>"
        )
    parts.append(f'<table class="data"><thead><tr>{head}</tr></thead><tbody>')
    parts.append("".join(body) + "</tbody></table>")
    for key, r in results.items():
        spec = specs.get(key)
        label = escape(label_text(getattr(spec, "label", None), lang, default=key))
        sentence = escape((r.get("sentence") or {}).get(lang, ""))
        css = "" if r.get("estimable") else ' class="warning"'
        parts.append(f"<p{css}><strong>{label}.</strong> {sentence}</p>")
        if r.get("method"):
            parts.append(
                f'<p class="note">{t["method"]} : {escape(method_text(r["method"], lang))}</p>'
                if lang == "fr"
                else f'<p class="note">{t["method"]}: {escape(method_text(r["method"], lang))}</p>'
            )
        if r.get("estimable") and r.get("design") == "staggered_did":
            parts.append(_event_study(r, t, lang))
        if (r.get("diagnostics") or {}).get("inequality"):
            from evalsoc.sections.effects.render_inequality import inequality_details

            parts.append(inequality_details(r, lang))
        if r.get("design") in ("iv", "rd", "matching"):
            from evalsoc.sections.effects.render_designs import design_details

            parts.append(design_details(r, lang))
    parts.append("</section>")
    return str(Markup("".join(parts)))
