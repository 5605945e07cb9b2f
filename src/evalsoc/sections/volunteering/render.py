"""Report fragment of volunteering: volume (persons, hours, FTE) and valuation, method named.

The valuation is shown as a contribution in kind, apart from outcomes.
"""

from __future__ import annotations

from typing import Any

from markupsafe import escape as _markup_escape

from evalsoc.privacy.cells import reason_text
from evalsoc.text.format import fmt_number


def escape(value: Any) -> str:
    """HTML-escaped text as a plain str (a Markup would re-escape what it is added to)."""
    return str(_markup_escape(value))


TEXT = {
    "fr": {
        "title": "Bénévolat",
        "category": "Catégorie",
        "persons": "Bénévoles",
        "hours": "Heures",
        "fte": "ETP",
        "rate": "Taux horaire",
        "value": "Valorisation",
        "total": "Total",
        "method": "Méthode de valorisation : {method}.",
        "source": "Source du taux : {source}.",
        "no_source": "Source du taux non déclarée.",
        "fte_note": "ETP calculés sur {hours} heures par an.",
        "declared": "Volumes déclarés par la structure.",
        "from_data": "Volumes calculés à partir des relevés d'heures.",
        "suppressed": "masqué",
        "persons_note": "Total des bénévoles : somme des catégories (une personne présente dans "
        "deux catégories compte deux fois).",
        "unvalued": "{hours} heures sans taux ne sont pas valorisées.",
        "unvalued_hidden": "Des heures sans taux ne sont pas valorisées (leur nombre n'est pas "
        "publié : il révélerait une catégorie de moins de {min} bénévoles).",
        "totals_hidden": "Certains totaux ne sont pas publiés : ils révéleraient une catégorie "
        "de moins de {min} bénévoles.",
        "suppressed_note": "« masqué » : moins de {min} bénévoles, ou masqué pour qu'un total "
        "publié ne redonne pas une petite catégorie ; les totaux les comprennent.",
    },
    "en": {
        "title": "Volunteering",
        "category": "Category",
        "persons": "Volunteers",
        "hours": "Hours",
        "fte": "FTE",
        "rate": "Hourly rate",
        "value": "Value",
        "total": "Total",
        "method": "Valuation method: {method}.",
        "source": "Rate source: {source}.",
        "no_source": "Rate source not declared.",
        "fte_note": "FTE computed on {hours} hours a year.",
        "declared": "Volumes declared by the organisation.",
        "from_data": "Volumes computed from the hours records.",
        "suppressed": "suppressed",
        "persons_note": "Total volunteers: sum of the categories (a person in two categories "
        "counts twice).",
        "unvalued": "{hours} hours without a rate are not valued.",
        "unvalued_hidden": "Some hours without a rate are not valued (their number is not "
        "published: it would reveal a category of fewer than {min} volunteers).",
        "totals_hidden": "Some totals are not published: they would reveal a category of fewer "
        "than {min} volunteers.",
        "suppressed_note": "'suppressed': fewer than {min} volunteers, or hidden so that a "
        "published total does not give a small category back; the totals include them.",
    },
}


def _money(value: Any, currency: str, lang: str) -> str:
    if value is None:
        return "—"
    amount = fmt_number(value, lang, 0)
    symbol = "€" if currency == "EUR" else currency
    return f"{amount}\u00a0{symbol}"


def render(section_results: dict[str, Any], framework: Any, lang: str) -> str:
    """Volume and valuation table, with the method and the rate's source in words."""
    res = section_results or {}
    if not res.get("by_category"):
        return ""
    text = TEXT.get(lang, TEXT["en"])
    currency = res.get("currency") or "EUR"
    valued = res.get("method") not in (None, "none")
    head = [text["category"], text["persons"], text["hours"], text["fte"]]
    if valued:
        head += [text["rate"], text["value"]]
    rows = []
    for row in res["by_category"]:
        name = (row.get("label") or {}).get(lang) or row.get("category")
        if row.get("suppressed"):
            cells = [
                f'<td class="suppressed" colspan="{len(head) - 1}">'
                f"{escape(text['suppressed'])}</td>"
            ]
        else:
            cells = [
                f'<td class="num">{escape(_int(row.get("persons"), lang))}</td>',
                f'<td class="num">{escape(fmt_number(row.get("hours"), lang, 0))}</td>',
                f'<td class="num">{escape(fmt_number(row.get("fte"), lang, 2))}</td>',
            ]
            if valued:
                cells += [
                    f'<td class="num">{escape(_rate(row.get("rate"), currency, lang))}</td>',
                    f'<td class="num">{escape(_money(row.get("value"), currency, lang))}</td>',
                ]
        rows.append(f"<tr><td>{escape(name)}</td>{''.join(cells)}</tr>")
    total = [
        f'<td class="num">{escape(_int(res.get("total_persons"), lang))}</td>',
        f'<td class="num">{escape(fmt_number(res.get("total_hours"), lang, 0))}</td>',
        f'<td class="num">{escape(fmt_number(res.get("total_fte"), lang, 2))}</td>',
    ]
    if valued:
        total += [
            "<td></td>",
            f'<td class="num">{escape(_money(res.get("total_value"), currency, lang))}</td>',
        ]
    rows.append(f"<tr><th>{escape(text['total'])}</th>{''.join(total)}</tr>")
    method = (res.get("method_text") or {}).get(lang) or res.get("method") or "—"
    notes = [
        text["from_data"] if res.get("source") == "data" else text["declared"],
        text["method"].format(method=method),
    ]
    if valued:
        notes.append(
            text["source"].format(source=reason_text(res["rate_source"], lang))
            if res.get("rate_source")
            else text["no_source"]
        )
    notes.append(text["fte_note"].format(hours=fmt_number(res.get("fte_hours"), lang, 0)))
    if res.get("total_persons_note"):
        notes.append(text["persons_note"])
    min_cell = _min_cell(framework)
    if any(row.get("suppressed") for row in res["by_category"]):
        notes.append(text["suppressed_note"].format(min=min_cell))
    if res.get("totals_reason"):
        notes.append(text["totals_hidden"].format(min=min_cell))
    if valued and res.get("unvalued_hours_suppressed"):
        notes.append(text["unvalued_hidden"].format(min=min_cell))
    elif valued and res.get("unvalued_hours"):
        notes.append(text["unvalued"].format(hours=fmt_number(res["unvalued_hours"], lang, 0)))
    accounting = (res.get("accounting") or {}).get(lang)
    from evalsoc.sections.volunteering.render_reciprocity import render_reciprocity

    beyond_money = render_reciprocity(res.get("reciprocity"), lang, min_cell)
    return (
        f'<section class="volunteering"><h2>{escape(text["title"])}</h2>'
        f'<table class="data"><thead><tr>{"".join(f"<th>{escape(h)}</th>" for h in head)}'
        f"</tr></thead><tbody>{''.join(rows)}</tbody></table>"
        f'<p class="muted">{escape(" ".join(notes))}</p>'
        + (f'<p class="note">{escape(accounting)}</p>' if accounting else "")
        + beyond_money
        + "</section>"
    )


def _min_cell(framework: Any) -> Any:
    privacy = getattr(framework, "privacy", None)
    return getattr(privacy, "min_cell", None) or "min_cell"


def _int(value: Any, lang: str) -> str:
    return "—" if value is None else fmt_number(value, lang, 0)


def _rate(value: Any, currency: str, lang: str) -> str:
    if value is None:
        return "—"
    symbol = "€" if currency == "EUR" else currency
    return f"{fmt_number(value, lang, 2)}\u00a0{symbol}/h"
