"""The SROI section of the report: the ratio as an estimate with its interval, what money leaves
out (next to the ratio, never after it), the impact map, the waterfall, the tornado chart.

Why one module: half of it is the FR/EN phrase tables of the section; the rest draws the ratio,
the impact map, the waterfall and the tornado from them, one function each.
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup, escape

from evalsoc.framework.base import label_text
from evalsoc.privacy.cells import reason_text
from evalsoc.text.format import fmt_number, fmt_percent

TEXT: dict[str, dict[str, str]] = {
    "fr": {
        "title": "Retour social sur investissement (SROI)",
        "not_estimable": "Le ratio SROI n'a pas pu être estimé : {reason}.",
        "headline_ci": "Pour {one} investi, entre {low} et {high} de valeur sociale estimée "
        "(IC 90 %) ; estimation centrale : {central}.",
        "headline_point": "Pour {one} investi, environ {central} de valeur sociale estimée "
        "(estimation ponctuelle : aucune incertitude n'a été déclarée).",
        "p_above": "Probabilité estimée que la valeur créée dépasse les ressources engagées : {p}.",
        "caveat": "Ces montants sont des estimations construites sur des hypothèses (proxys, "
        "ajustements, durées), pas des flux financiers constatés. Ils ne couvrent pas les effets "
        "non monétisés listés ci-dessous.",
        "key": "Chiffres clés",
        "inputs_total": "Ressources engagées",
        "present_value": "Valeur actualisée des effets",
        "npv": "Valeur actualisée nette",
        "ratio": "Ratio SROI (estimation centrale)",
        "net_ratio": "Ratio SROI net",
        "payback": "Délai de retour",
        "months": "{m} mois",
        "not_paid_back": "non atteint sur la durée des effets",
        "non_monetised": "Effets non monétisés",
        "non_monetised_intro": "Non exprimés en monnaie : {n} effet(s) sur {total} ({share}). "
        "Ils font partie de l'évaluation au même titre que le ratio.",
        "no_non_monetised": "Tous les effets déclarés sont monétisés.",
        "by_stakeholder": "Part non monétisée par partie prenante",
        "verdict": "Jugement du critère « {criterion} » : {verdict}",
        "cause_quantity": "non valorisé faute de quantité calculable",
        "impact_map": "Carte de l'impact",
        "outcome": "Effet",
        "stakeholder": "Partie prenante",
        "quantity": "Quantité",
        "proxy": "Proxy financier",
        "source": "Source",
        "evidence": "Preuve",
        "deadweight": "Aubaine",
        "displacement": "Déplacement",
        "attribution": "Attribution",
        "drop_off": "Érosion",
        "duration": "Durée (ans)",
        "value": "Valeur actualisée",
        "annual_net": "Impact annuel net",
        "waterfall": "De la valeur brute à la valeur actualisée",
        "gross": "Valeur brute",
        "discounting": "Actualisation",
        "pv_bar": "Valeur actualisée",
        "inputs_line": "Ressources engagées",
        "sensitivity": "Sensibilité",
        "tornado": "Ratio quand un paramètre prend sa valeur basse ou haute (les autres au centre)",
        "no_range": "Aucun paramètre n'a de plage déclarée : pas de graphique de sensibilité.",
        "without_range": "{n} paramètre(s) sans plage déclarée ne figurent pas dans le graphique.",
        "switching": "Valeurs de bascule (ratio = 1)",
        "parameter": "Paramètre",
        "central": "Valeur retenue",
        "switch_value": "Valeur de bascule",
        "switch_none": "aucune : {why}",
        "always_above": "le ratio reste au-dessus de 1",
        "always_below": "le ratio reste en dessous de 1",
        "no_effect": "sans effet sur le ratio",
        "mc": "Incertitude (Monte Carlo)",
        "mc_text": "Sur {draws} tirages des paramètres incertains (graine {seed}) : médiane {median}, "
        "intervalle à 90 % de {l90} à {h90}, à 95 % de {l95} à {h95}.",
        "mc_off": "Simulation de Monte Carlo non réalisée : {reason}.",
        "mc_chart": "Distribution simulée du ratio SROI",
        "mc_interval": "intervalle à 90 %",
        "mc_break_even": "ratio = 1 (valeur créée = ressources engagées)",
        "mc_draws_axis": "Tirages",
        "inputs": "Ressources engagées (intrants)",
        "input": "Intrant",
        "amount": "Montant",
        "kind_money": "financier",
        "kind_volunteer_hours": "bénévolat ({hours} h × {rate})",
        "kind_volunteering": "bénévolat valorisé (section bénévolat)",
        "warnings": "Points de vigilance",
        "conventions": "Conventions : ajustements {adj} ; taux d'actualisation {rate} ; "
        "première année {first}. Méthode : Social Value International, « A Guide to Social "
        "Return on Investment » (2012).",
        "multiplicative": "multiplicatifs, Q × P × (1 − aubaine) × (1 − déplacement) × (1 − attribution)",
        "additive": "additifs, Q × P × (1 − aubaine − déplacement − attribution)",
        "discounted": "actualisée",
        "not_discounted": "non actualisée",
        "schedule": "dégressif",
        "global": "ensemble",
        "quantity_p": "quantité",
        "proxy_p": "proxy",
        "duration_p": "durée",
        "discount_rate_p": "taux d'actualisation",
        "ratio_axis": "Ratio SROI",
        "central_line": "estimation centrale",
        "low_value": "paramètre à sa valeur basse",
        "high_value": "paramètre à sa valeur haute",
        "evidence_green": "solide",
        "evidence_amber": "moyenne",
        "evidence_red": "faible",
        "evidence_none": "non gradée",
    },
    "en": {
        "title": "Social return on investment (SROI)",
        "not_estimable": "The SROI ratio could not be estimated: {reason}.",
        "headline_ci": "For every {one} invested, between {low} and {high} of estimated social "
        "value (90% CI); central estimate {central}.",
        "headline_point": "For every {one} invested, about {central} of estimated social value "
        "(a point estimate: no uncertainty was declared).",
        "p_above": "Estimated probability that the value created exceeds the resources invested: {p}.",
        "caveat": "These amounts are estimates built on assumptions (proxies, adjustments, "
        "durations), not observed cash flows. They leave out the non-monetised outcomes listed below.",
        "key": "Key figures",
        "inputs_total": "Resources invested",
        "present_value": "Present value of outcomes",
        "npv": "Net present value",
        "ratio": "SROI ratio (central estimate)",
        "net_ratio": "Net SROI ratio",
        "payback": "Payback period",
        "months": "{m} months",
        "not_paid_back": "not reached within the outcomes' duration",
        "non_monetised": "Outcomes not expressed in money",
        "non_monetised_intro": "Not expressed in money: {n} of {total} outcomes ({share}). "
        "They are part of the evaluation just as the ratio is.",
        "no_non_monetised": "All declared outcomes are monetised.",
        "by_stakeholder": "Share not monetised by stakeholder",
        "verdict": "Verdict on criterion '{criterion}': {verdict}",
        "cause_quantity": "not valued: its quantity could not be computed",
        "impact_map": "Impact map",
        "outcome": "Outcome",
        "stakeholder": "Stakeholder",
        "quantity": "Quantity",
        "proxy": "Financial proxy",
        "source": "Source",
        "evidence": "Evidence",
        "deadweight": "Deadweight",
        "displacement": "Displacement",
        "attribution": "Attribution",
        "drop_off": "Drop-off",
        "duration": "Duration (years)",
        "value": "Present value",
        "annual_net": "Net annual impact",
        "waterfall": "From gross value to present value",
        "gross": "Gross value",
        "discounting": "Discounting",
        "pv_bar": "Present value",
        "inputs_line": "Resources invested",
        "sensitivity": "Sensitivity",
        "tornado": "Ratio when one parameter takes its low or high value (others central)",
        "no_range": "No parameter has a declared range: no sensitivity chart.",
        "without_range": "{n} parameter(s) without a declared range are not in the chart.",
        "switching": "Switching values (ratio = 1)",
        "parameter": "Parameter",
        "central": "Value used",
        "switch_value": "Switching value",
        "switch_none": "none: {why}",
        "always_above": "the ratio stays above 1",
        "always_below": "the ratio stays below 1",
        "no_effect": "no effect on the ratio",
        "mc": "Uncertainty (Monte Carlo)",
        "mc_text": "Over {draws} draws of the uncertain parameters (seed {seed}): median {median}, "
        "90% interval {l90} to {h90}, 95% interval {l95} to {h95}.",
        "mc_off": "No Monte Carlo simulation: {reason}.",
        "mc_chart": "Simulated distribution of the SROI ratio",
        "mc_interval": "90% interval",
        "mc_break_even": "ratio = 1 (value created = resources committed)",
        "mc_draws_axis": "Draws",
        "inputs": "Resources invested (inputs)",
        "input": "Input",
        "amount": "Amount",
        "kind_money": "money",
        "kind_volunteer_hours": "volunteering ({hours} h × {rate})",
        "kind_volunteering": "valued volunteering (volunteering section)",
        "warnings": "Points to review",
        "conventions": "Conventions: {adj} adjustments; discount rate {rate}; first year {first}. "
        "Method: Social Value International, 'A Guide to Social Return on Investment' (2012).",
        "multiplicative": "multiplicative, Q × P × (1 − deadweight) × (1 − displacement) × (1 − attribution)",
        "additive": "additive, Q × P × (1 − deadweight − displacement − attribution)",
        "discounted": "discounted",
        "not_discounted": "not discounted",
        "schedule": "declining",
        "global": "all outcomes",
        "quantity_p": "quantity",
        "proxy_p": "proxy",
        "duration_p": "duration",
        "discount_rate_p": "discount rate",
        "ratio_axis": "SROI ratio",
        "central_line": "central estimate",
        "low_value": "parameter at its low value",
        "high_value": "parameter at its high value",
        "evidence_green": "strong",
        "evidence_amber": "medium",
        "evidence_red": "weak",
        "evidence_none": "not graded",
    },
}

VERDICTS = {
    "fr": {"preuves_insuffisantes": "preuves insuffisantes"},
    "en": {
        "insuffisant": "insufficient",
        "fragile": "fragile",
        "satisfaisant": "satisfactory",
        "remarquable": "remarkable",
        "preuves_insuffisantes": "insufficient evidence",
    },
}

_SYMBOLS = {"EUR": "€", "GBP": "£", "USD": "$"}


def _t(lang: str, key: str, **fields: Any) -> str:
    text = TEXT.get(lang, TEXT["en"])[key]
    return text.format(**fields) if fields else text


def money(value: Any, currency: str, lang: str, digits: int = 0) -> str:
    """An amount with its currency the way the language writes it (1 234 € / €1,234)."""
    if value is None:
        return "—"
    number = fmt_number(value, lang, digits)
    symbol = _SYMBOLS.get(currency.upper())
    if symbol is None:
        return f"{number}\u00a0{currency}"
    if lang == "fr":
        return f"{number}\u00a0{symbol}"
    return f"-{symbol}{number[1:]}" if number.startswith("-") else f"{symbol}{number}"


def _label(value: Any, lang: str, default: str = "") -> str:
    if isinstance(value, dict):
        return value.get(lang) or value.get("en") or value.get("fr") or default
    return label_text(value, lang, default) if value is not None else default


def _param_name(name: str, lang: str) -> str:
    key = name if name in ("deadweight", "displacement", "attribution", "drop_off") else f"{name}_p"
    return _t(lang, key).lower() if key in TEXT[lang] else name


def _chart_text(text: str) -> str:
    """Matplotlib reads $...$ as mathematics: keep user text literal."""
    return text.replace("$", r"\$")


def render(
    section_results: dict[str, Any],
    framework: Any = None,
    lang: str = "fr",
    results: dict[str, Any] | None = None,
) -> str:
    """The SROI section as an HTML fragment. `results` (the whole results dict, optional) lets
    non-monetised outcomes show the verdicts of the criteria that cite them."""
    lang = lang if lang in TEXT else "en"
    r = section_results or {}
    cur = str(r.get("currency") or "EUR")
    parts = [f'<section class="sroi">\n<h2>{escape(_t(lang, "title"))}</h2>']
    parts.append(_headline(r, cur, lang))
    parts.append(_non_monetised(r, framework, lang, results))
    if r.get("by_outcome"):
        parts.append(_impact_map(r, cur, lang))
        parts.append(_waterfall(r, cur, lang))
        parts.append(_sensitivity(r, lang))
        parts.append(_monte_carlo(r, lang))
    parts.append(_inputs(r, cur, lang))
    parts.append(_warnings(r, lang))
    parts.append(_conventions(r, lang))
    parts.append("</section>")
    return "\n".join(p for p in parts if p)


def _headline(r: dict[str, Any], cur: str, lang: str) -> str:
    ratio = r.get("ratio")
    if ratio is None or not r.get("estimable", ratio is not None):
        reason = reason_text(r.get("reason"), lang) or "—"
        return f'<p class="warning">{escape(_t(lang, "not_estimable", reason=reason))}</p>'
    one = money(1, cur, lang, 0)
    mc = r.get("monte_carlo") or {}
    central = money(ratio, cur, lang, 2)
    if mc.get("estimable") and mc.get("ci90") and mc["ci90"][1] > mc["ci90"][0]:
        low, high = (money(x, cur, lang, 2) for x in mc["ci90"])
        text = _t(lang, "headline_ci", one=one, low=low, high=high, central=central)
    else:
        text = _t(lang, "headline_point", one=one, central=central)
    out = [f'<p class="headline"><strong>{escape(text)}</strong></p>']
    if mc.get("estimable") and mc.get("p_ratio_above_1") is not None:
        p_text = _t(lang, "p_above", p=_probability(mc["p_ratio_above_1"], lang))
        out.append(f"<p>{escape(p_text)}</p>")
    out.append(f'<p class="note">{escape(_t(lang, "caveat"))}</p>')
    payback = r.get("payback_months")
    payback_text = (
        _t(lang, "months", m=fmt_number(payback, lang, 1))
        if payback is not None
        else _t(lang, "not_paid_back")
    )
    rows = [
        ("inputs_total", money(r.get("inputs_total"), cur, lang)),
        ("present_value", money(r.get("present_value"), cur, lang)),
        ("npv", money(r.get("npv"), cur, lang)),
        ("ratio", fmt_number(ratio, lang, 2)),
        ("net_ratio", fmt_number(r.get("net_ratio"), lang, 2)),
        ("payback", payback_text),
    ]
    body = "".join(f"<tr><th>{escape(_t(lang, k))}</th><td>{escape(v)}</td></tr>" for k, v in rows)
    out.append(f'<table class="data"><caption>{escape(_t(lang, "key"))}</caption>{body}</table>')
    return "\n".join(out)


def _probability(p: float, lang: str) -> str:
    """A simulated probability, never shown as a certainty (0 % or 100 %)."""
    if p > 0.995:
        return "> " + fmt_percent(0.99, lang, 0)
    if p < 0.005:
        return "< " + fmt_percent(0.01, lang, 0)
    return fmt_percent(p, lang, 0)


def _criteria_verdicts(results: dict[str, Any] | None) -> dict[str, dict[str, Any]]:
    """`results["criteria"]` as {criterion id: result}, read defensively (another section's)."""
    if not isinstance(results, dict):
        return {}
    crit = results.get("criteria")
    if isinstance(crit, dict) and isinstance(crit.get("criteria"), dict):
        crit = crit["criteria"]
    return {k: v for k, v in crit.items() if isinstance(v, dict)} if isinstance(crit, dict) else {}


def _criterion_label(framework: Any, cid: str, lang: str) -> str:
    try:
        for dim in framework.dimensions:
            for c in dim.criteria:
                if c.id == cid:
                    return label_text(c.label or c.question, lang, cid)
    except AttributeError:
        pass
    return cid


def _verdict_text(verdict: Any, lang: str) -> str:
    if isinstance(verdict, dict):
        verdict = verdict.get("level") or verdict.get("value") or _label(verdict, lang)
    text = str(verdict)
    return VERDICTS.get(lang, {}).get(text, text.replace("_", " "))


def _non_monetised(
    r: dict[str, Any], framework: Any, lang: str, results: dict[str, Any] | None
) -> str:
    rows = r.get("non_monetised") or []
    share = r.get("non_monetised_share") or {}
    out = [f"<h3>{escape(_t(lang, 'non_monetised'))}</h3>"]
    if not rows:
        out.append(f'<p class="muted">{escape(_t(lang, "no_non_monetised"))}</p>')
        return "\n".join(out)
    count = share.get("by_count") or {}
    intro = _t(
        lang,
        "non_monetised_intro",
        n=count.get("non_monetised", len(rows)),
        total=count.get("outcomes", "—"),
        share=fmt_percent(count.get("share"), lang, 0),
    )
    out.append(f"<p>{escape(intro)}</p>")
    verdicts = _criteria_verdicts(results)
    items = []
    for row in rows:
        name = _label(row.get("label"), lang, row.get("id", ""))
        who = _label(row.get("stakeholder"), lang)
        reason = reason_text(row.get("reason"), lang)
        if row.get("cause") == "quantity_not_estimable":
            reason = f"{_t(lang, 'cause_quantity')} ({reason})"
        text = f"<strong>{escape(name)}</strong>"
        if who:
            text += f" — {escape(who)}"
        text += f" : {escape(reason)}" if lang == "fr" else f": {escape(reason)}"
        cited = [c for c in row.get("criteria") or []]
        cited += [
            cid
            for cid, v in verdicts.items()
            if row.get("id") in (v.get("evidence") or []) and cid not in cited
        ]
        notes = []
        for cid in cited:
            verdict = verdicts.get(cid, {}).get("verdict")
            if verdict is None:
                continue
            crit_label = _criterion_label(framework, cid, lang)
            notes.append(
                escape(
                    _t(lang, "verdict", criterion=crit_label, verdict=_verdict_text(verdict, lang))
                )
            )
        if notes:
            text += '<br><span class="note">' + "<br>".join(notes) + "</span>"
        items.append(f"<li>{text}</li>")
    out.append("<ul>" + "".join(items) + "</ul>")
    groups = share.get("by_stakeholder") or []
    if len(groups) > 1:
        cells = "".join(
            f"<tr><td>{escape(_label(g.get('stakeholder'), lang, '—'))}</td>"
            f"<td>{g.get('non_monetised', 0)} / {g.get('outcomes', 0)}</td>"
            f"<td>{escape(fmt_percent(g.get('share'), lang, 0))}</td></tr>"
            for g in groups
        )
        out.append(
            f'<table class="data"><caption>{escape(_t(lang, "by_stakeholder"))}</caption>'
            f"<tr><th>{escape(_t(lang, 'stakeholder'))}</th><th>n</th><th>%</th></tr>{cells}</table>"
        )
    return "\n".join(out)


def _share_cell(param: dict[str, Any] | None, lang: str) -> str:
    if not param:
        return "—"
    text = fmt_percent(param.get("value"), lang, 0)
    if (
        param.get("low") is not None
        and param.get("high") is not None
        and param["high"] > param["low"]
    ):
        text += f" ({fmt_percent(param['low'], lang, 0)}–{fmt_percent(param['high'], lang, 0)})"
    if not param.get("declared", True):
        text += " *"
    return text


def _impact_map(r: dict[str, Any], cur: str, lang: str) -> str:
    heads = [
        "outcome",
        "stakeholder",
        "quantity",
        "proxy",
        "source",
        "evidence",
        "deadweight",
        "displacement",
        "attribution",
        "drop_off",
        "duration",
        "annual_net",
        "value",
    ]
    head = "".join(f"<th>{escape(_t(lang, h))}</th>" for h in heads)
    body = []
    for oid, row in r["by_outcome"].items():
        proxy = row.get("proxy") or {}
        params = row.get("parameters") or {}
        unit = f" / {_label(proxy['unit'], lang)}" if proxy.get("unit") else ""
        grade = proxy.get("evidence")
        grade_text = (
            _t(lang, f"evidence_{grade}")
            if grade in ("green", "amber", "red")
            else _t(lang, "evidence_none")
        )
        duration = (params.get("duration") or {}).get("value")
        cells = [
            escape(_label(row.get("label"), lang, oid)),
            escape(_label(row.get("stakeholder"), lang, "—")),
            escape(fmt_number(row.get("quantity"), lang, 1)),
            escape(money(proxy.get("value"), cur, lang, 0) + unit),
            escape(_label(proxy.get("source"), lang, "—")),
            Markup(f'<span class="evidence-{escape(grade or "none")}">{escape(grade_text)}</span>'),
            *(
                escape(_share_cell(params.get(k), lang))
                for k in ("deadweight", "displacement", "attribution", "drop_off")
            ),
            escape(fmt_number(duration, lang, 1)),
            escape(money((row.get("annual") or {}).get("net"), cur, lang)),
            escape(money(row.get("discounted_value"), cur, lang)),
        ]
        body.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    return (
        f"<h3>{escape(_t(lang, 'impact_map'))}</h3>\n"
        f'<table class="data impact-map"><tr>{head}</tr>{"".join(body)}</table>'
    )


def _waterfall(r: dict[str, Any], cur: str, lang: str) -> str:
    w = r.get("waterfall")
    if not w:
        return ""
    from evalsoc.report.charts import figure_to_svg, new_figure

    steps = [("gross", w["gross"], "total")]
    for key in ("deadweight", "displacement", "attribution", "drop_off", "discounting"):
        steps.append((key, -w[key], "step"))
    steps.append(("pv_bar", w["present_value"], "total"))
    fig, ax = new_figure(6.5, 3.2)
    level = 0.0
    for i, (_key, amount, kind) in enumerate(steps):
        if kind == "total":
            bottom, height, color = 0.0, amount, "#3b6ea5"
            level = amount
        else:
            bottom, height, color = level + amount, -amount, "#c8553d"
            level += amount
        ax.bar(i, height, bottom=bottom, color=color, width=0.6)
    inputs = r.get("inputs_total")
    if inputs:
        ax.axhline(inputs, color="#333333", linestyle="--", linewidth=1)
        ax.text(
            len(steps) - 0.5,
            inputs,
            _chart_text(_t(lang, "inputs_line")),
            va="bottom",
            ha="right",
            fontsize=8,
        )
    names = [_t(lang, key) for key, _, _ in steps]
    ax.set_xticks(
        range(len(steps)), [_chart_text(n) for n in names], rotation=30, ha="right", fontsize=8
    )
    ax.set_ylabel(_chart_text(cur))
    ax.spines[["top", "right"]].set_visible(False)
    svg = figure_to_svg(fig, _t(lang, "waterfall"))
    return f"<h3>{escape(_t(lang, 'waterfall'))}</h3>\n<figure>{svg}</figure>"


def _param_label(row: dict[str, Any], by_outcome: dict[str, Any], lang: str) -> str:
    oid = row.get("outcome")
    who = (
        _label((by_outcome.get(oid) or {}).get("label"), lang, oid or "")
        if oid
        else _t(lang, "global")
    )
    return f"{who} — {_param_name(row.get('parameter', ''), lang)}"


def _sensitivity(r: dict[str, Any], lang: str) -> str:
    sens = r.get("sensitivity") or {}
    rows = sens.get("one_at_a_time") or []
    out = [f"<h3>{escape(_t(lang, 'sensitivity'))}</h3>"]
    by_outcome = r.get("by_outcome") or {}
    if rows:
        out.append(f"<figure>{_tornado(rows[:12], by_outcome, lang)}</figure>")
    else:
        out.append(f'<p class="muted">{escape(_t(lang, "no_range"))}</p>')
    missing = sens.get("without_range") or []
    if rows and missing:
        out.append(f'<p class="note">{escape(_t(lang, "without_range", n=len(missing)))}</p>')
    switching = sens.get("switching_values") or []
    if switching:
        body = []
        for row in switching:
            value = row.get("switching_value")
            if value is None:
                why = (
                    _t(lang, row["code"])
                    if row.get("code") in TEXT[lang]
                    else (reason_text(row.get("reason"), lang) or "—")
                )
                shown = _t(lang, "switch_none", why=why)
            else:
                shown = _fmt_param(row.get("parameter", ""), value, lang)
            body.append(
                f"<tr><td>{escape(_param_label(row, by_outcome, lang))}</td>"
                f"<td>{escape(_fmt_param(row.get('parameter', ''), row.get('central'), lang))}</td>"
                f"<td>{escape(shown)}</td></tr>"
            )
        out.append(
            f'<table class="data"><caption>{escape(_t(lang, "switching"))}</caption>'
            f"<tr><th>{escape(_t(lang, 'parameter'))}</th><th>{escape(_t(lang, 'central'))}</th>"
            f"<th>{escape(_t(lang, 'switch_value'))}</th></tr>{''.join(body)}</table>"
        )
    return "\n".join(out)


def _fmt_param(name: str, value: Any, lang: str) -> str:
    if name in ("deadweight", "displacement", "attribution", "drop_off", "discount_rate"):
        return fmt_percent(value, lang, 1)
    return fmt_number(value, lang, 2)


def _tornado(rows: list[dict[str, Any]], by_outcome: dict[str, Any], lang: str) -> str:
    from evalsoc.report.charts import figure_to_svg, new_figure

    fig, ax = new_figure(6.5, 0.45 * len(rows) + 1.2)
    central = rows[0]["ratio_central"]
    for i, row in enumerate(reversed(rows)):
        lo, hi = row["ratio_low"], row["ratio_high"]
        low_bar = ax.barh(i, lo - central, left=central, color="#c8553d", height=0.6)
        high_bar = ax.barh(i, hi - central, left=central, color="#3b6ea5", height=0.6)
    ax.legend(
        [low_bar, high_bar],
        [_t(lang, "low_value"), _t(lang, "high_value")],
        fontsize=8,
        frameon=False,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.35 if len(rows) < 4 else -0.12),
        ncol=2,
    )
    ax.axvline(central, color="#333333", linewidth=1)
    ax.axvline(1.0, color="#999999", linestyle="--", linewidth=1)
    labels = [_chart_text(_param_label(row, by_outcome, lang)) for row in reversed(rows)]
    ax.set_yticks(range(len(rows)), labels, fontsize=8)
    ax.set_xlabel(_t(lang, "ratio_axis"))
    ax.spines[["top", "right"]].set_visible(False)
    return figure_to_svg(fig, _t(lang, "tornado"))


def _monte_carlo(r: dict[str, Any], lang: str) -> str:
    mc = r.get("monte_carlo") or {}
    out = [f"<h3>{escape(_t(lang, 'mc'))}</h3>"]
    if not mc.get("estimable"):
        out.append(
            f'<p class="muted">{escape(_t(lang, "mc_off", reason=reason_text(mc.get("reason"), lang) or "—"))}</p>'
        )
        return "\n".join(out)
    text = _t(
        lang,
        "mc_text",
        draws=fmt_number(mc["draws"], lang, 0),
        seed=mc["seed"],
        median=fmt_number(mc["median"], lang, 2),
        l90=fmt_number(mc["ci90"][0], lang, 2),
        h90=fmt_number(mc["ci90"][1], lang, 2),
        l95=fmt_number(mc["ci95"][0], lang, 2),
        h95=fmt_number(mc["ci95"][1], lang, 2),
    )
    out.append(f"<p>{escape(text)}</p>")
    hist = mc.get("histogram") or {}
    edges, counts = hist.get("edges") or [], hist.get("counts") or []
    if len(edges) == len(counts) + 1 and len(counts) > 1:
        from evalsoc.report.charts import figure_to_svg, new_figure

        fig, ax = new_figure(6.5, 2.4)
        widths = [b - a for a, b in zip(edges[:-1], edges[1:])]
        ax.bar(edges[:-1], counts, width=widths, align="edge", color="#3b6ea5")
        for i, x in enumerate(mc["ci90"]):
            ax.axvline(
                x,
                color="#333333",
                linestyle="--",
                linewidth=1,
                label=_t(lang, "mc_interval") if i == 0 else "_",
            )
        ax.axvline(1.0, color="#c8553d", linewidth=1, label=_t(lang, "mc_break_even"))
        ax.set_xlabel(_t(lang, "ratio_axis"))
        ax.set_ylabel(_t(lang, "mc_draws_axis"))
        ax.legend()
        ax.set_yticks([])
        ax.spines[["top", "right", "left"]].set_visible(False)
        out.append(f"<figure>{figure_to_svg(fig, _t(lang, 'mc_chart'))}</figure>")
    return "\n".join(out)


def _inputs(r: dict[str, Any], cur: str, lang: str) -> str:
    rows = r.get("inputs") or []
    if not rows:
        return ""
    body = []
    for row in rows:
        kind = row.get("kind", "money")
        if kind == "volunteer_hours":
            what = _t(
                lang,
                "kind_volunteer_hours",
                hours=fmt_number(row.get("hours"), lang, 0),
                rate=money(row.get("rate"), cur, lang, 2),
            )
        else:
            what = _t(lang, f"kind_{kind}") if f"kind_{kind}" in TEXT[lang] else kind
        body.append(
            f"<tr><td>{escape(_label(row.get('label'), lang))}</td><td>{escape(what)}</td>"
            f"<td>{escape(_label(row.get('source'), lang, '—'))}</td><td>{escape(money(row.get('amount'), cur, lang))}</td></tr>"
        )
    total = money(r.get("inputs_total"), cur, lang)
    body.append(
        f'<tr><th colspan="3">{escape(_t(lang, "inputs_total"))}</th><th>{escape(total)}</th></tr>'
    )
    return (
        f"<h3>{escape(_t(lang, 'inputs'))}</h3>\n"
        f'<table class="data"><tr><th>{escape(_t(lang, "input"))}</th><th></th>'
        f"<th>{escape(_t(lang, 'source'))}</th><th>{escape(_t(lang, 'amount'))}</th></tr>{''.join(body)}</table>"
    )


def _warnings(r: dict[str, Any], lang: str) -> str:
    items = r.get("warnings") or []
    if not items:
        return ""
    lines = []
    for w in items:
        message = w.get("message")
        text = _label(message, lang) if isinstance(message, dict) else str(message or "")
        lines.append(f"<li>{escape(text)}</li>")
    return f'<h3>{escape(_t(lang, "warnings"))}</h3>\n<ul class="warning">{"".join(lines)}</ul>'


def _conventions(r: dict[str, Any], lang: str) -> str:
    conv = r.get("conventions") or {}
    rate = conv.get("discount_rate")
    rate_text = _t(lang, "schedule") if isinstance(rate, list) else fmt_percent(rate, lang, 1)
    adj = _t(lang, conv.get("adjustments", "multiplicative"))
    first = _t(lang, "discounted" if conv.get("discount_first_year", True) else "not_discounted")
    return f'<p class="note">{escape(_t(lang, "conventions", adj=adj, rate=rate_text, first=first))}</p>'
