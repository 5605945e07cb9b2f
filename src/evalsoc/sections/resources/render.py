"""Report fragment of resources: the three poles by year (table and chart), the largest funder,
each line's forecast, actual and gap, and the change across years."""

from __future__ import annotations

from typing import Any

from markupsafe import escape as _markup_escape

from evalsoc.text.format import fmt_number, fmt_percent

POLE_TEXT = {
    "market": {"fr": "Marchand (ventes, prestations)", "en": "Market (sales, fees)"},
    "redistribution": {
        "fr": "Redistribution (subventions, commandes publiques)",
        "en": "Redistribution (subsidies, public contracts)",
    },
    "reciprocity": {
        "fr": "Réciprocité (bénévolat, dons, en nature)",
        "en": "Reciprocity (volunteering, gifts, in kind)",
    },
}
POLE_COLOURS = {"market": "#4477aa", "redistribution": "#ee7733", "reciprocity": "#228833"}

TEXT = {
    "fr": {
        "poles": "Les trois pôles de ressources",
        "pole": "Pôle",
        "year": "Année",
        "basis": "Base",
        "forecast": "Prévisionnel",
        "actual": "Réalisé",
        "amount": "Montant",
        "share": "Part (réciprocité valorisée comprise)",
        "share_monetary": "Part des ressources monétaires",
        "total": "Total",
        "line": "Ligne",
        "nature": "Nature",
        "gap": "Écart",
        "gap_relative": "Écart relatif",
        "lines": "Budget prévisionnel et réalisé par ligne",
        "changes": "Évolution d'une année à l'autre (réalisé)",
        "item": "Poste",
        "change": "Variation",
        "share_change": "Variation de la part (points)",
        "largest": "Premier financeur en {year} ({basis}) : {funder}, {amount}, soit {share} "
        "de l'ensemble des ressources et {share_monetary} des ressources monétaires.",
        "unvalued": "Ressources de réciprocité non valorisées (comptées dans aucun total) : "
        "{lines}.",
        "missing": "Lignes sans montant en {year} ({basis}), hors des totaux : {lines}.",
        "note": "Les parts sont données deux fois : sur l'ensemble des ressources, réciprocité "
        "valorisée comprise, et sur les seules ressources monétaires (marchand et "
        "redistribution). L'écart est le réalisé moins le prévisionnel.",
        "chart": "Part des trois pôles dans les ressources réalisées, par année",
        "chart_axis": "Part des ressources (%)",
    },
    "en": {
        "poles": "The three poles of resources",
        "pole": "Pole",
        "year": "Year",
        "basis": "Basis",
        "forecast": "Forecast",
        "actual": "Actual",
        "amount": "Amount",
        "share": "Share (valued reciprocity included)",
        "share_monetary": "Share of monetary resources",
        "total": "Total",
        "line": "Line",
        "nature": "Nature",
        "gap": "Gap",
        "gap_relative": "Relative gap",
        "lines": "Budget forecast and actual by line",
        "changes": "Change from one year to the next (actual)",
        "item": "Item",
        "change": "Change",
        "share_change": "Change of the share (points)",
        "largest": "Largest funder in {year} ({basis}): {funder}, {amount}, that is {share} of "
        "all resources and {share_monetary} of monetary resources.",
        "unvalued": "Reciprocity resources not valued (counted in no total): {lines}.",
        "missing": "Lines without an amount in {year} ({basis}), left out of the totals: {lines}.",
        "note": "Shares are given twice: over all resources, valued reciprocity included, and "
        "over monetary resources only (market and redistribution). The gap is actual minus "
        "forecast.",
        "chart": "Share of the three poles in actual resources, by year",
        "chart_axis": "Share of resources (%)",
    },
}


def escape(value: Any) -> str:
    return str(_markup_escape(value))


def money(value: Any, currency: str, lang: str) -> str:
    if value is None:
        return "—"
    symbol = "€" if currency == "EUR" else currency
    return f"{fmt_number(value, lang, 0)}\u00a0{symbol}"


def _pct(value: Any, lang: str) -> str:
    return "—" if value is None else fmt_percent(value, lang)


def _row(cells: list[str], head: bool = False, num_from: int = 99) -> str:
    if head:
        return "<tr>" + "".join(f"<th>{escape(c)}</th>" for c in cells) + "</tr>"
    return (
        "<tr>"
        + "".join(
            f'<td class="num">{escape(c)}</td>' if i >= num_from else f"<td>{escape(c)}</td>"
            for i, c in enumerate(cells)
        )
        + "</tr>"
    )


def _table(head: list[str], rows: list[list[str]], num_from: int = 99) -> str:
    """A data table; cells from column `num_from` on are figures (right-aligned)."""
    return (
        f'<table class="data"><thead>{_row(head, True)}</thead><tbody>'
        + "".join(_row(r, num_from=num_from) for r in rows)
        + "</tbody></table>"
    )


def _short(pole: str, lang: str) -> str:
    """The pole's name without its examples (the tables' notes give them)."""
    return POLE_TEXT[pole][lang].split(" (")[0]


def _lines_named(ids: list[str], labels: dict[str, str]) -> str:
    return ", ".join(labels.get(i, i) for i in ids)


def render(section: dict[str, Any], framework: Any, lang: str) -> str:
    res = section or {}
    if not res.get("lines"):
        return ""
    text = TEXT.get(lang, TEXT["en"])
    cur = res.get("currency") or "EUR"
    labels = {line["id"]: line["label"][lang] for line in res["lines"]}
    parts = [f"<h3>{escape(text['poles'])}</h3>"]
    rows = []
    notes = []
    for totals in res.get("by_year") or []:
        basis = text[totals["basis"]]
        for pole, fig in totals["poles"].items():
            rows.append(
                [
                    str(totals["year"]),
                    basis,
                    _short(pole, lang),
                    money(fig["amount"], cur, lang),
                    _pct(fig["share"], lang),
                    _pct(fig["share_monetary"], lang),
                ]
            )
        rows.append(
            [str(totals["year"]), basis, text["total"], money(totals["total"], cur, lang), "", ""]
        )
        largest = totals.get("largest_funder")
        if largest:
            notes.append(
                text["largest"].format(
                    year=totals["year"],
                    basis=basis.lower(),
                    funder=(largest.get("label") or {}).get(lang) or largest["id"],
                    amount=money(largest["amount"], cur, lang),
                    share=_pct(largest["share"], lang),
                    share_monetary=_pct(largest["share_monetary"], lang),
                )
            )
        if totals.get("lines_without_amount"):
            notes.append(
                text["missing"].format(
                    year=totals["year"],
                    basis=basis.lower(),
                    lines=_lines_named(totals["lines_without_amount"], labels),
                )
            )
    head = [text[k] for k in ("year", "basis", "pole", "amount", "share", "share_monetary")]
    parts.append(_table(head, rows, num_from=3))
    parts.append(pole_chart(res, lang))
    first = (res.get("by_year") or [{}])[0]
    if first.get("unvalued_lines"):
        notes.append(text["unvalued"].format(lines=_lines_named(first["unvalued_lines"], labels)))
    notes.append(text["note"])
    notes.append("; ".join(POLE_TEXT[p][lang] for p in POLE_TEXT) + ".")
    parts.append(f'<p class="muted">{escape(" ".join(notes))}</p>')
    parts.append(f"<h3>{escape(text['lines'])}</h3>")
    line_rows = []
    for line in res["lines"]:
        for amounts in line["amounts"]:
            line_rows.append(
                [
                    labels[line["id"]],
                    _short(line["nature"], lang),
                    str(amounts["year"]),
                    money(amounts["forecast"], cur, lang),
                    money(amounts["actual"], cur, lang),
                    money(amounts["gap"], cur, lang),
                    _pct(amounts["gap_relative"], lang),
                ]
            )
    head = [text[k] for k in ("line", "nature", "year", "forecast", "actual", "gap")]
    parts.append(_table(head + [text["gap_relative"]], line_rows, num_from=3))
    if res.get("changes"):
        parts.append(f"<h3>{escape(text['changes'])}</h3>")
        change_rows = [
            [
                f"{c['year_from']} → {c['year_to']}",
                text["total"] if c["item"] == "total" else _short(c["item"], lang),
                money(c["change"], cur, lang),
                _pct(c["change_relative"], lang),
                "—" if c["share_change"] is None else fmt_number(100 * c["share_change"], lang, 1),
            ]
            for c in res["changes"]
        ]
        head = [text["year"], text["item"], text["change"], text["gap_relative"]]
        head[3] = "%"
        parts.append(_table(head + [text["share_change"]], change_rows, num_from=2))
    return '<section class="resources">' + "".join(parts) + "</section>"


def pole_chart(res: dict[str, Any], lang: str) -> str:
    """Stacked horizontal bars: the three poles' shares of actual resources, one bar a year."""
    from evalsoc.report.charts import figure_to_svg, new_figure

    text = TEXT.get(lang, TEXT["en"])
    actual = [t for t in res.get("by_year") or [] if t["basis"] == "actual" and t["total"] > 0]
    if not actual:
        return ""
    fig, ax = new_figure(6.5, 0.9 + 0.45 * len(actual))
    years = [str(t["year"]) for t in actual]
    left = [0.0] * len(actual)
    for pole in ("market", "redistribution", "reciprocity"):
        shares = [100 * (t["poles"][pole]["share"] or 0.0) for t in actual]
        ax.barh(
            years,
            shares,
            left=left,
            color=POLE_COLOURS[pole],
            label=_short(pole, lang),
        )
        left = [a + b for a, b in zip(left, shares)]
    ax.set_xlim(0, 100)
    ax.set_xlabel(text["chart_axis"])
    ax.invert_yaxis()
    ax.legend()
    return figure_to_svg(fig, text["chart"])
