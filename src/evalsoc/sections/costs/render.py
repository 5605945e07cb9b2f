"""Report fragment of costs: the cost divided, each ratio with its interval, the references."""

from __future__ import annotations

from typing import Any

from markupsafe import escape as _markup_escape

from evalsoc.text.format import fmt_number, fmt_percent

PER = {
    "person": {"fr": "par personne accompagnée", "en": "per person accompanied"},
    "output": {"fr": "par réalisation", "en": "per output"},
    "outcome": {"fr": "par résultat", "en": "per outcome"},
    "additional_outcome": {
        "fr": "par résultat supplémentaire dû au dispositif",
        "en": "per additional outcome due to the programme",
    },
}

TEXT = {
    "fr": {
        "ratio": "Coût",
        "per": "Rapporté à",
        "value": "Montant",
        "interval": "Intervalle (effet inversé)",
        "delta": "Intervalle (méthode delta)",
        "denominator": "Dénominateur",
        "not_estimable": "non estimable : {reason}",
        "declared": "Coût déclaré : {amount}{source}.",
        "from_resources": "Coût : total des ressources {basis} {year} ({what}), {amount}.",
        "monetary": "ressources monétaires seules",
        "full": "réciprocité valorisée comprise",
        "actual": "réalisées",
        "forecast": "prévisionnelles",
        "additional": "{n} résultats supplémentaires ({low} à {high}) pour {treated} "
        "personnes du dispositif.",
        "method": "Le coût par résultat supplémentaire est le coût divisé par l'effet multiplié "
        "par le nombre de personnes du dispositif. Son intervalle est celui de l'effet inversé "
        "(exact quand le coût est connu, comme l'intervalle de Fieller) ; l'intervalle de la "
        "méthode delta, symétrique, est donné pour comparaison. Quand l'intervalle de l'effet "
        "contient zéro, le rapport n'est pas borné et n'est pas estimé.",
        "references": "Coûts de référence d'une alternative publique comparable",
        "reference": "Référence",
        "ref_value": "Coût de référence",
        "source": "Source",
        "year": "Année",
        "programme": "Coût du dispositif",
        "relative": "Rapport",
        "reading": "Lecture",
    },
    "en": {
        "ratio": "Cost",
        "per": "Per",
        "value": "Amount",
        "interval": "Interval (effect inverted)",
        "delta": "Interval (delta method)",
        "denominator": "Denominator",
        "not_estimable": "not estimable: {reason}",
        "declared": "Declared cost: {amount}{source}.",
        "from_resources": "Cost: total of the {basis} resources {year} ({what}), {amount}.",
        "monetary": "monetary resources only",
        "full": "valued reciprocity included",
        "actual": "actual",
        "forecast": "forecast",
        "additional": "{n} additional outcomes ({low} to {high}) for {treated} people in the "
        "programme.",
        "method": "The cost per additional outcome is the cost divided by the effect times the "
        "number of people in the programme. Its interval is the effect's interval inverted "
        "(exact when the cost is known, like Fieller's interval); the delta-method interval, "
        "symmetric, is given for comparison. When the effect's interval contains zero the ratio "
        "is unbounded and is not estimated.",
        "references": "Reference costs of a comparable public alternative",
        "reference": "Reference",
        "ref_value": "Reference cost",
        "source": "Source",
        "year": "Year",
        "programme": "Programme's cost",
        "relative": "Ratio",
        "reading": "Reading",
    },
}


def escape(value: Any) -> str:
    return str(_markup_escape(value))


def money(value: Any, currency: str, lang: str) -> str:
    if value is None:
        return "—"
    symbol = "€" if currency == "EUR" else currency
    return f"{fmt_number(value, lang, 0)}\u00a0{symbol}"


def _interval(low: Any, high: Any, currency: str, lang: str) -> str:
    if low is None or high is None:
        return "—"
    sep = " à " if lang == "fr" else " to "
    return money(low, currency, lang) + sep + money(high, currency, lang)


def _table(head: list[str], rows: list[list[str]], num: tuple[int, ...] = ()) -> str:
    """A data table; the columns in `num` are figures (right-aligned)."""
    head_html = "".join(f"<th>{escape(c)}</th>" for c in head)
    body = "".join(
        "<tr>"
        + "".join(
            f'<td class="num">{escape(c)}</td>' if i in num else f"<td>{escape(c)}</td>"
            for i, c in enumerate(row)
        )
        + "</tr>"
        for row in rows
    )
    return f'<table class="data"><thead><tr>{head_html}</tr></thead><tbody>{body}</tbody></table>'


def render(section: dict[str, Any], framework: Any, lang: str) -> str:
    res = section or {}
    if not res.get("ratios"):
        return ""
    text = TEXT.get(lang, TEXT["en"])
    cur = res.get("currency") or "EUR"
    base = res["cost"]
    if base["origin"] == "declared":
        source = f" ({base['source'][lang]})" if base.get("source") else ""
        notes = [text["declared"].format(amount=money(base["amount"], cur, lang), source=source)]
    else:
        notes = [
            text["from_resources"].format(
                basis=text[base["basis"]],
                year=base["year"],
                what=text["full"] if base.get("include_reciprocity") else text["monetary"],
                amount=money(base["amount"], cur, lang),
            )
        ]
    rows = []
    with_effect = False
    for ratio in res["ratios"].values():
        name = ratio["label"][lang]
        per = PER[ratio["per"]][lang]
        if ratio.get("unit"):
            per = f"{per} ({ratio['unit'][lang]})"
        if not ratio["estimable"]:
            reason = (ratio.get("reason") or {}).get(lang, "")
            rows.append([name, per, text["not_estimable"].format(reason=reason), "", ""])
        else:
            rows.append(
                [
                    name,
                    per,
                    money(ratio["value"], cur, lang),
                    _interval(ratio.get("ci_low"), ratio.get("ci_high"), cur, lang),
                    _interval(ratio.get("delta_ci_low"), ratio.get("delta_ci_high"), cur, lang),
                ]
            )
        if ratio.get("effect") is not None and ratio.get("additional_outcomes") is not None:
            with_effect = True
            notes.append(f"{name} : " if lang == "fr" else f"{name}: ")
            notes[-1] += text["additional"].format(
                n=fmt_number(ratio["additional_outcomes"], lang, 1),
                low=fmt_number(ratio["additional_outcomes_low"], lang, 1),
                high=fmt_number(ratio["additional_outcomes_high"], lang, 1),
                treated=fmt_number(ratio["treated"], lang, 0),
            )
    if with_effect:
        notes.append(text["method"])
    head = [text["ratio"], text["per"], text["value"], text["interval"], text["delta"]]
    parts = [_table(head, rows, num=(2, 3, 4)), f'<p class="muted">{escape(" ".join(notes))}</p>']
    if res.get("references"):
        ref_rows = []
        for ref in res["references"]:
            mine = res["ratios"][ref["ratio"]]
            ref_rows.append(
                [
                    ref["label"][lang],
                    money(ref["value"], cur, lang),
                    ref["source"][lang] + (f" ({ref['year']})" if ref.get("year") else ""),
                    money(mine.get("value"), cur, lang),
                    "—" if ref["relative"] is None else fmt_percent(ref["relative"], lang),
                    (ref.get("reading_text") or {}).get(lang, "—"),
                ]
            )
        head = [
            text["reference"],
            text["ref_value"],
            text["source"],
            text["programme"],
            text["relative"],
            text["reading"],
        ]
        parts.append(
            f"<h3>{escape(text['references'])}</h3>" + _table(head, ref_rows, num=(1, 3, 4))
        )
    return '<section class="costs">' + "".join(parts) + "</section>"
