"""Report details of the designs iv, rd and matching: their diagnostics in words and charts.

IV: the effective first-stage F and the Anderson–Rubin interval; RD: the RD plot (binned means
either side of the threshold, bins of fewer than `min_cell` rows never drawn) and the density
test; matching: the love plot (standardised differences before and after matching).
"""

from __future__ import annotations

from typing import Any

from markupsafe import escape

from evalsoc.text.format import fmt_number

TEXT = {
    "fr": {
        "iv": "Première étape : F effectif = {f} ({verdict}). Intervalle d'Anderson–Rubin, "
        "robuste aux instruments faibles : {ar}.",
        "strong": "au-dessus du seuil usuel de 10",
        "weak": "sous le seuil usuel de 10 : instrument faible",
        "ar_open": "non borné",
        "rd_plot": "Moyennes du résultat par tranche de la variable de classement",
        "rd_x": "variable de classement (le trait rouge marque le seuil)",
        "density": "Test de densité au seuil (rddensity) : p = {p}. Un p faible signale que des "
        "personnes ont pu se placer d'un côté du seuil.",
        "love": "Différences standardisées avant (cercles) et après (points) appariement",
        "love_x": "différence standardisée (|d| > 0,1 : déséquilibre)",
    },
    "en": {
        "iv": "First stage: effective F = {f} ({verdict}). Anderson–Rubin interval, robust to "
        "weak instruments: {ar}.",
        "strong": "above the usual threshold of 10",
        "weak": "below the usual threshold of 10: weak instrument",
        "ar_open": "unbounded",
        "rd_plot": "Outcome means by bin of the running variable",
        "rd_x": "running variable (the red line marks the threshold)",
        "density": "Density test at the threshold (rddensity): p = {p}. A small p signals that "
        "people may have placed themselves on one side of the threshold.",
        "love": "Standardised differences before (circles) and after (dots) matching",
        "love_x": "standardised difference (|d| > 0.1: imbalance)",
    },
}


def _interval(low: Any, high: Any, lang: str) -> str:
    sep = " ; " if lang == "fr" else ", "
    return f"[{fmt_number(low, lang, 3)}{sep}{fmt_number(high, lang, 3)}]"


def _iv(r: dict, t: dict, lang: str) -> str:
    d = r.get("diagnostics") or {}
    f = d.get("first_stage_f_effective")
    if f is None:
        return ""
    ar = d.get("anderson_rubin") or {}
    shown = (
        _interval(ar.get("low"), ar.get("high"), lang)
        if ar.get("shape") == "interval"
        else t["ar_open"]
    )
    text = t["iv"].format(
        f=fmt_number(f, lang, 1),
        verdict=t["weak" if d.get("weak_instruments") else "strong"],
        ar=shown,
    )
    return f'<p class="note">{escape(text)}</p>'


def rd_plot(bins: list[dict], cutoff: float, title: str, xlabel: str) -> str:
    """Binned outcome means with the two local fits, as inline SVG (rdplot's picture)."""
    from evalsoc.report.charts import figure_to_svg, new_figure

    shown = [b for b in bins if b.get("mean") is not None]
    if not shown:
        return ""
    fig, ax = new_figure(6.5, 3.0)
    for side, colour in (("below", "#888888"), ("above", "#1f4e79")):
        pts = [b for b in shown if b["side"] == side]
        ax.plot([b["x"] for b in pts], [b["mean"] for b in pts], "o", color=colour, markersize=4)
    ax.axvline(cutoff, color="#d62728", linewidth=1, linestyle="--")
    ax.set_xlabel(xlabel)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    return figure_to_svg(fig, title)


def _rd(r: dict, t: dict, lang: str) -> str:
    d = r.get("diagnostics") or {}
    parts = []
    plot = d.get("rd_plot") or {}
    svg = rd_plot(plot.get("bins") or [], plot.get("cutoff", 0.0), t["rd_plot"], t["rd_x"])
    if svg:
        parts.append(f"<figure>{svg}</figure>")
    density = d.get("density_test") or {}
    if density.get("p_value") is not None:
        text = t["density"].format(p=fmt_number(density["p_value"], lang, 3))
        parts.append(f'<p class="note">{escape(text)}</p>')
    return "".join(parts)


def love_plot(rows: list[dict], title: str, xlabel: str) -> str:
    """Standardised differences before and after matching, one line per covariate."""
    from evalsoc.report.charts import figure_to_svg, new_figure

    rows = [r for r in rows if r.get("smd") is not None and r.get("smd_weighted") is not None]
    if not rows:
        return ""
    fig, ax = new_figure(6.5, 0.6 + 0.35 * len(rows))
    for i, row in enumerate(rows):
        y = len(rows) - 1 - i
        ax.plot([row["smd"]], [y], "o", mfc="none", color="#888888")
        ax.plot([row["smd_weighted"]], [y], "o", color="#1f4e79")
    for x in (-0.1, 0.1):
        ax.axvline(x, color="#d62728", linewidth=1, linestyle="--")
    ax.axvline(0, color="#888888", linewidth=1)
    ax.set_yticks(range(len(rows)))
    ax.set_yticklabels([r["covariate"] for r in reversed(rows)])
    ax.set_xlabel(xlabel)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    return figure_to_svg(fig, title)


def _matching(r: dict, t: dict, lang: str) -> str:
    rows = (r.get("diagnostics") or {}).get("balance") or []
    svg = love_plot(rows, t["love"], t["love_x"])
    return f"<figure>{svg}</figure>" if svg else ""


def design_details(r: dict, lang: str) -> str:
    """The HTML of an estimable iv, rd or matching effect's diagnostics ('' for other designs)."""
    t = TEXT.get(lang, TEXT["en"])
    render = {"iv": _iv, "rd": _rd, "matching": _matching}.get(r.get("design") or "")
    return render(r, t, lang) if render and r.get("estimable") else ""
