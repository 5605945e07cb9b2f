"""Report fragment for capability sets: plain-language reading, charts and tables (FR/EN).

Why one module: half of it is the FR/EN phrase tables of the section; the rest renders the
reading, the charts and the tables from them.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from markupsafe import escape

from evalsoc.framework.base import label_text
from evalsoc.privacy.cells import reason_text
from evalsoc.text.format import fmt_number, fmt_percent

TEXT = {
    "fr": {
        "title": "Pouvoir d'agir",
        "not_estimable": "Non estimable : {reason}",
        "suppressed": "Résultats masqués : {reason}",
        "reading": (
            "{H} des personnes ({n} personnes{wave}) cumulent des difficultés dans au moins "
            "{k} des dimensions pondérées ({label}) ; parmi elles, les difficultés touchent en "
            "moyenne {A} des dimensions. L'indice ajusté M0 = H × A vaut {M0} (IC 95 % : {ci})."
        ),
        "empowered": (
            "Lecture « capacitation » : {share} des personnes sont en situation d'adéquation dans "
            "au moins {threshold} des dimensions pondérées ; l'indice de pouvoir d'agir "
            "(1 − M0, à la manière du 5DE du WEAI) vaut {index}."
        ),
        "parity": (
            "Parité ({by} : {focal} rapporté à {reference}) : rapport des indices {ratio}, "
            "écart {diff}."
        ),
        "tied": "{n} personnes ont un score exactement égal à k = {k} et sont bien comptées.",
        "wave": ", vague {wave}",
        "k": "k",
        "H": "Taux de privation H",
        "A": "Intensité A",
        "M0": "Indice ajusté M0",
        "M1": "M1",
        "M2": "M2",
        "n_tied": "Ex aequo à k",
        "dimension": "Dimension",
        "uncensored": "Privation (toutes personnes)",
        "censored": "Privation (personnes identifiées)",
        "contribution": "Contribution à M0",
        "contributions_title": "Contribution des dimensions à M0, selon k",
        "headcounts_title": "Taux de privation par dimension (k = {k})",
        "curve_title": "H et M0 selon le seuil k",
        "results_caption": "Mesures d'Alkire-Foster par seuil k (IC à 95 %)",
        "by_caption": "Comparaison par {by} (k = {k})",
        "group": "Groupe",
        "population_share": "Part de la population",
        "contribution_group": "Contribution à M0",
        "masked": "masqué",
        "change_caption": "Évolution entre vagues (k = {k})",
        "from_to": "De → à",
        "years": "Années",
        "absolute": "Variation absolue (IC 95 %)",
        "relative": "Variation relative",
        "annualised": "Variation relative annualisée",
        "measure": "Mesure",
        "reliability_caption": "Fiabilité des échelles",
        "items": "Items",
        "alpha": "α de Cronbach (IC 95 %, Feldt)",
        "omega": "ω de McDonald",
        "item_rest": "Corrélation item-reste minimale",
        "low_alpha": "α < 0,7 : items peu cohérents",
        "rank": (
            "Robustesse du classement par {by} (k = {k}) : l'ordre des groupes selon M0 est "
            "conservé dans {share} des {draws} tirages de poids perturbés."
        ),
        "method": (
            "Méthode d'Alkire et Foster (2011) : identification exacte (poids en fractions), "
            "erreurs-types selon le plan de sondage ({se})."
        ),
        "linearization": "linéarisation",
        "bootstrap": "bootstrap",
    },
    "en": {
        "title": "Empowerment",
        "not_estimable": "Not estimable: {reason}",
        "suppressed": "Results suppressed: {reason}",
        "reading": (
            "{H} of people ({n} people{wave}) face difficulties in at least {k} of the weighted "
            "dimensions ({label}); among them, difficulties touch {A} of the dimensions on "
            "average. The adjusted index M0 = H × A is {M0} (95% CI: {ci})."
        ),
        "empowered": (
            "Empowerment reading: {share} of people are adequate in at least {threshold} of the "
            "weighted dimensions; the empowerment index (1 − M0, in the spirit of WEAI's 5DE) "
            "is {index}."
        ),
        "parity": "Parity ({by}: {focal} relative to {reference}): index ratio {ratio}, gap {diff}.",
        "tied": "{n} people have a score exactly equal to k = {k} and are counted.",
        "wave": ", wave {wave}",
        "k": "k",
        "H": "Headcount ratio H",
        "A": "Intensity A",
        "M0": "Adjusted headcount M0",
        "M1": "M1",
        "M2": "M2",
        "n_tied": "Tied at k",
        "dimension": "Dimension",
        "uncensored": "Deprived (everyone)",
        "censored": "Deprived (identified people)",
        "contribution": "Contribution to M0",
        "contributions_title": "Contribution of each dimension to M0, by k",
        "headcounts_title": "Deprivation by dimension (k = {k})",
        "curve_title": "H and M0 by cutoff k",
        "results_caption": "Alkire–Foster measures by cutoff k (95% CI)",
        "by_caption": "Comparison by {by} (k = {k})",
        "group": "Group",
        "population_share": "Population share",
        "contribution_group": "Contribution to M0",
        "masked": "suppressed",
        "change_caption": "Change between waves (k = {k})",
        "from_to": "From → to",
        "years": "Years",
        "absolute": "Absolute change (95% CI)",
        "relative": "Relative change",
        "annualised": "Annualised relative change",
        "measure": "Measure",
        "reliability_caption": "Scale reliability",
        "items": "Items",
        "alpha": "Cronbach's α (95% CI, Feldt)",
        "omega": "McDonald's ω",
        "item_rest": "Lowest item-rest correlation",
        "low_alpha": "α < 0.7: items not very consistent",
        "rank": (
            "Ranking robustness by {by} (k = {k}): the order of groups by M0 holds in {share} of "
            "{draws} draws of perturbed weights."
        ),
        "method": (
            "Alkire–Foster method (2011): exact identification (weights as fractions), standard "
            "errors that follow the survey design ({se})."
        ),
        "linearization": "linearisation",
        "bootstrap": "bootstrap",
    },
}

_K_WORDS = {
    "fr": {
        "1/4": "un quart",
        "1/3": "un tiers",
        "1/2": "la moitié",
        "2/3": "deux tiers",
        "3/4": "trois quarts",
        "1": "la totalité",
    },
    "en": {
        "1/4": "a quarter",
        "1/3": "a third",
        "1/2": "half",
        "2/3": "two thirds",
        "3/4": "three quarters",
        "1": "all",
    },
}


def _t(lang: str) -> dict[str, str]:
    return TEXT.get(lang, TEXT["en"])


def _k_words(k: str, lang: str) -> str:
    words = _K_WORDS.get(lang, _K_WORDS["en"]).get(k)
    return words or fmt_percent(float(Fraction(k)), lang, 0)


def _pct(x: Any, lang: str, digits: int = 1) -> str:
    return fmt_percent(x, lang, digits)


def _ci(ci: Any, lang: str) -> str:
    if not ci:
        return "—"
    return f"{fmt_number(ci[0], lang, 3)} – {fmt_number(ci[1], lang, 3)}"


def _specs(framework: Any) -> dict[str, Any]:
    return {spec.id: spec for spec in getattr(framework, "capabilities", None) or []}


def _dim_label(spec: Any, dim_id: str, lang: str) -> str:
    for dim in getattr(spec, "dimensions", None) or []:
        if dim.id == dim_id:
            return label_text(dim.label, lang, dim_id)
    return dim_id


def render(section_results: dict, framework: Any, lang: str) -> str:
    """A <section> with one block per capability set."""
    if not isinstance(section_results, dict) or not section_results:
        return ""
    t = _t(lang)
    specs = _specs(framework)
    blocks = []
    for cap_id, result in section_results.items():
        if not isinstance(result, dict):
            continue
        result = _with_labels(result, specs.get(cap_id), framework, lang)
        blocks.append(_render_one(cap_id, result, specs.get(cap_id), lang, t))
    if not blocks:
        return ""
    return f'<section class="capabilities">{"".join(blocks)}</section>'


def _with_labels(res: dict, spec: Any, framework: Any, lang: str) -> dict:
    """The result with groups, waves and breakdown columns named by their declared labels."""
    from evalsoc.report.words import column_label, value_label

    if not hasattr(framework, "data") or spec is None or not isinstance(res.get("results"), list):
        return res
    source = getattr(spec, "data", None)
    time = getattr(spec, "time", None)

    def wave(value: Any) -> Any:
        return value_label(framework, time, value, lang, source) if time else value

    out = dict(res)
    if res.get("wave") is not None:
        out["wave"] = wave(res["wave"])
    results = []
    for entry in res["results"]:
        entry = dict(entry)
        entry["by"] = {
            by: {value_label(framework, by, name, lang, source): g for name, g in groups.items()}
            for by, groups in (entry.get("by") or {}).items()
        }
        results.append(entry)
    out["results"] = results
    out["_by_labels"] = {
        by: column_label(framework, by, lang, source)
        for entry in results
        for by in entry.get("by") or {}
    }
    if isinstance(res.get("change"), dict):
        change = dict(res["change"])
        change["comparisons"] = [
            {**c, "from": wave(c.get("from")), "to": wave(c.get("to"))}
            for c in change.get("comparisons") or []
        ]
        out["change"] = change
    return out


def _render_one(cap_id: str, res: dict, spec: Any, lang: str, t: dict[str, str]) -> str:
    title = label_text(getattr(spec, "label", None), lang, cap_id)
    parts = [f"<h3>{escape(title)}</h3>"]
    if not res.get("estimable", True):
        reason = t["not_estimable"].format(reason=reason_text(res.get("reason"), lang))
        return parts[0] + f'<p class="warning">{escape(reason)}</p>'
    if res.get("suppressed"):
        reason = t["suppressed"].format(reason=reason_text(res.get("reason"), lang))
        return parts[0] + f'<p class="suppressed">{escape(reason)}</p>'
    results = res.get("results") or []
    if not results:
        return parts[0]
    first = results[0]
    parts.append(_reading(res, first, title, lang, t))
    parts.append(_results_table(results, lang, t))
    parts.append(_headcount_chart(res, first, spec, lang, t))
    parts.append(_contribution_chart(results, spec, lang, t))
    if res.get("k_curve"):
        parts.append(_curve_chart(res["k_curve"], lang, t))
    for by, groups in (first.get("by") or {}).items():
        parts.append(_by_table(res.get("_by_labels", {}).get(by, by), groups, first["k"], lang, t))
    if res.get("change"):
        parts.append(_change_table(res["change"], first["k"], lang, t))
    parts.append(_reliability_table(res.get("dimensions") or {}, spec, lang, t))
    for entry in res.get("rank_stability") or []:
        if entry.get("k") == first["k"] and entry.get("share_same_ranking") is not None:
            text = t["rank"].format(
                by=entry["by"],
                k=entry["k"],
                share=_pct(entry["share_same_ranking"], lang),
                draws=entry["draws"],
            )
            parts.append(f'<p class="note">{escape(text)}</p>')
    se = res.get("design", {}).get("se", "linearization")
    parts.append(f'<p class="muted">{escape(t["method"].format(se=t.get(se, se)))}</p>')
    return "".join(parts)


def _reading(res: dict, first: dict, title: str, lang: str, t: dict[str, str]) -> str:
    wave = t["wave"].format(wave=res["wave"]) if res.get("wave") else ""
    text = t["reading"].format(
        H=_pct(first.get("H"), lang),
        n=fmt_number(first.get("n"), lang, 0),
        wave=wave,
        k=_k_words(first["k"], lang),
        label=title,
        A=_pct(first.get("A"), lang),
        M0=fmt_number(first.get("M0"), lang, 3),
        ci=_ci(first.get("M0_ci"), lang),
    )
    out = [f"<p>{escape(text)}</p>"]
    if first.get("n_tied"):
        tied = t["tied"].format(n=fmt_number(first["n_tied"], lang, 0), k=first["k"])
        out.append(f'<p class="note">{escape(tied)}</p>')
    emp = res.get("empowerment") or {}
    if emp.get("index") is not None:
        text = t["empowered"].format(
            share=_pct(emp.get("share_empowered"), lang),
            threshold=_k_words(emp["threshold"], lang),
            index=fmt_number(emp["index"], lang, 3),
        )
        out.append(f"<p>{escape(text)}</p>")
        parity = emp.get("parity") or {}
        if parity.get("ratio") is not None:
            text = t["parity"].format(
                by=parity["by"],
                focal=parity["focal"],
                reference=parity["reference"],
                ratio=fmt_number(parity["ratio"], lang, 3),
                diff=fmt_number(parity["difference"], lang, 3),
            )
            out.append(f"<p>{escape(text)}</p>")
    return "".join(out)


def _results_table(results: list[dict], lang: str, t: dict[str, str]) -> str:
    heads = ["k", "H", "A", "M0", "M1", "M2", "n_tied"]
    rows = []
    for r in results:
        cells = [escape(r["k"])]
        for name in ("H", "A", "M0"):
            cells.append(
                f'{fmt_number(r.get(name), lang, 3)} <span class="muted">'
                f"({_ci(r.get(name + '_ci'), lang)})</span>"
            )
        cells += [
            fmt_number(r.get("M1"), lang, 3),
            fmt_number(r.get("M2"), lang, 3),
            fmt_number(r.get("n_tied"), lang, 0),
        ]
        rows.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    head = "".join(f"<th>{escape(t[h])}</th>" for h in heads)
    return (
        f'<table class="data"><caption>{escape(t["results_caption"])}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def _headcount_chart(res: dict, first: dict, spec: Any, lang: str, t: dict[str, str]) -> str:
    from evalsoc.report.charts import figure_to_svg, new_figure

    dims = res.get("dimensions") or {}
    ids = list(first.get("censored_headcount") or {})
    if not ids:
        return ""
    labels = [_dim_label(spec, d, lang) for d in ids]
    uncensored = [dims.get(d, {}).get("uncensored_headcount") or 0.0 for d in ids]
    censored = [first["censored_headcount"].get(d) or 0.0 for d in ids]
    fig, ax = new_figure(6.5, 0.35 * len(ids) + 1.2)
    positions = range(len(ids))
    ax.barh(
        [p + 0.2 for p in positions], uncensored, height=0.4, color="#9ecae1", label=t["uncensored"]
    )
    ax.barh(
        [p - 0.2 for p in positions], censored, height=0.4, color="#08519c", label=t["censored"]
    )
    ax.set_yticks(list(positions))
    ax.set_yticklabels(labels)
    ax.invert_yaxis()
    ax.set_xlim(0, max(1e-9, max(uncensored + censored)) * 1.1)
    ax.xaxis.set_major_formatter(_percent_formatter(lang))
    ax.legend(loc="lower right", fontsize=8, frameon=False)
    title = t["headcounts_title"].format(k=first["k"])
    ax.set_title(title, fontsize=10)
    return f"<figure>{figure_to_svg(fig, title)}</figure>"


def _contribution_chart(results: list[dict], spec: Any, lang: str, t: dict[str, str]) -> str:
    from evalsoc.report.charts import figure_to_svg, new_figure

    ids = list(results[0].get("contribution") or {})
    if not ids:
        return ""
    fig, ax = new_figure(6.5, 0.5 * len(results) + 1.6)
    left = [0.0] * len(results)
    colours = _palette(len(ids))
    for j, dim in enumerate(ids):
        values = [(r.get("contribution") or {}).get(dim) or 0.0 for r in results]
        ax.barh(
            range(len(results)),
            values,
            left=left,
            color=colours[j],
            label=_dim_label(spec, dim, lang),
        )
        left = [a + b for a, b in zip(left, values)]
    ax.set_yticks(list(range(len(results))))
    ax.set_yticklabels([f"k = {r['k']}" for r in results])
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter(_percent_formatter(lang))
    ax.legend(
        loc="upper center",
        bbox_to_anchor=(0.5, -0.15),
        ncol=min(len(ids), 5),
        fontsize=7,
        frameon=False,
    )
    ax.set_title(t["contributions_title"], fontsize=10)
    return f"<figure>{figure_to_svg(fig, t['contributions_title'])}</figure>"


def _curve_chart(curve: list[dict], lang: str, t: dict[str, str]) -> str:
    from evalsoc.report.charts import figure_to_svg, new_figure

    fig, ax = new_figure(6.5, 3.0)
    ks = [p["k_value"] for p in curve]
    ax.step(ks, [p["H"] or 0.0 for p in curve], where="post", label="H", color="#08519c")
    ax.step(ks, [p["M0"] or 0.0 for p in curve], where="post", label="M0", color="#cb181d")
    ax.set_xlabel("k")
    ax.set_ylim(0, 1)
    ax.yaxis.set_major_formatter(_percent_formatter(lang))
    ax.legend(fontsize=8, frameon=False)
    ax.set_title(t["curve_title"], fontsize=10)
    return f"<figure>{figure_to_svg(fig, t['curve_title'])}</figure>"


def _by_table(by: str, groups: dict, k: str, lang: str, t: dict[str, str]) -> str:
    heads = ["group", "population_share", "H", "A", "M0", "contribution_group"]
    rows = []
    for name, g in groups.items():
        if g.get("suppressed"):
            rows.append(
                f'<tr class="suppressed"><td>{escape(name)}</td>'
                f'<td colspan="5">{escape(t["masked"])}</td></tr>'
            )
            continue
        cells = [
            escape(name),
            _pct(g.get("population_share"), lang),
            fmt_number(g.get("H"), lang, 3),
            fmt_number(g.get("A"), lang, 3),
            fmt_number(g.get("M0"), lang, 3),
            _pct(g.get("contribution"), lang),
        ]
        rows.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    head = "".join(f"<th>{escape(t[h])}</th>" for h in heads)
    caption = escape(t["by_caption"].format(by=by, k=k))
    return (
        f'<table class="data"><caption>{caption}</caption><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _change_table(change: dict, k: str, lang: str, t: dict[str, str]) -> str:
    rows = []
    for comparison in change.get("comparisons") or []:
        label = f"{comparison['from']} → {comparison['to']}"
        if comparison.get("suppressed"):
            rows.append(
                f'<tr class="suppressed"><td>{escape(label)}</td>'
                f'<td colspan="5">{escape(t["masked"])}</td></tr>'
            )
            continue
        entry = next((r for r in comparison.get("results") or [] if r["k"] == k), None)
        if entry is None:
            continue
        for name in ("M0", "H", "A"):
            m = entry[name]
            cells = [
                escape(label),
                fmt_number(comparison.get("years"), lang, 1),
                escape(t[name]),
                f"{fmt_number(m.get('absolute'), lang, 3)} "
                f'<span class="muted">({_ci(m.get("absolute_ci"), lang)})</span>',
                _pct(m.get("relative"), lang),
                _pct(m.get("annualised_relative"), lang),
            ]
            rows.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    if not rows:
        return ""
    heads = ["from_to", "years", "measure", "absolute", "relative", "annualised"]
    head = "".join(f"<th>{escape(t[h])}</th>" for h in heads)
    caption = escape(t["change_caption"].format(k=k))
    return (
        f'<table class="data"><caption>{caption}</caption><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _reliability_table(dims: dict, spec: Any, lang: str, t: dict[str, str]) -> str:
    rows = []
    for dim_id, d in dims.items():
        if d.get("alpha") is None and d.get("omega") is None:
            continue
        rest = [r for r in (d.get("item_rest") or {}).values() if r is not None]
        alpha = fmt_number(d.get("alpha"), lang, 2)
        if d.get("alpha_ci"):
            alpha += f' <span class="muted">({_ci(d["alpha_ci"], lang)})</span>'
        if d.get("alpha") is not None and d["alpha"] < 0.7:
            alpha += f' <span class="warning">{escape(t["low_alpha"])}</span>'
        cells = [
            escape(_dim_label(spec, dim_id, lang)),
            escape(", ".join(d.get("items") or [])),
            alpha,
            fmt_number(d.get("omega"), lang, 2),
            fmt_number(min(rest) if rest else None, lang, 2),
        ]
        rows.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    if not rows:
        return ""
    heads = ["dimension", "items", "alpha", "omega", "item_rest"]
    head = "".join(f"<th>{escape(t[h])}</th>" for h in heads)
    return (
        f'<table class="data"><caption>{escape(t["reliability_caption"])}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def _percent_formatter(lang: str) -> Any:
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda x, _pos: fmt_percent(x, lang, 0))


def _palette(n: int) -> list[str]:
    base = [
        "#08519c",
        "#3182bd",
        "#6baed6",
        "#9ecae1",
        "#cb181d",
        "#fb6a4a",
        "#fcae91",
        "#238b45",
        "#74c476",
        "#bae4b3",
        "#6a51a3",
        "#9e9ac8",
    ]
    return [base[i % len(base)] for i in range(n)]
