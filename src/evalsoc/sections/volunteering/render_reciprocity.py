"""Report block of volunteering beyond money: who gives, roles planned against real, tenure,
turnover. Suppressed figures show « masqué » and the reason; money stays in the table above."""

from __future__ import annotations

from typing import Any

from markupsafe import escape as _markup_escape

from evalsoc.privacy.cells import reason_text
from evalsoc.text.format import fmt_number, fmt_percent

TEXT = {
    "fr": {
        "title": "Réciprocité et bénévolat prescrit / réel",
        "volunteers": "{n} bénévoles actifs sur la période.",
        "served": "Part des bénévoles qui sont ou ont été des personnes accompagnées : {share} "
        "({count} sur {n}).",
        "served_hidden": "Part des bénévoles qui sont ou ont été accompagnés : masquée ({reason}).",
        "tenure": "Ancienneté médiane dans le bénévolat : {years} ans ; {share} des bénévoles "
        "sont engagés depuis un an ou plus.",
        "tenure_hidden": "Ancienneté : masquée ({reason}).",
        "turnover": "Rotation : {departures} départs pendant la période pour {at_start} bénévoles "
        "présents au début, soit {rate} ; {arrivals} arrivées.",
        "turnover_hidden": "Rotation : masquée ({reason}).",
        "role": "Rôle",
        "planned_persons": "Bénévoles prévus",
        "persons": "Bénévoles réels",
        "gap_persons": "Écart",
        "planned_hours": "Heures prévues",
        "hours": "Heures réelles",
        "gap_hours": "Écart (heures)",
        "hidden": "masqué",
        "note": "Prescrit : rôles et heures prévus (charte, plan) ; réel : personnes distinctes "
        "et heures déclarées. « masqué » : moins de {min} bénévoles, ou masqué pour qu'un total "
        "ne redonne pas un petit groupe.",
    },
    "en": {
        "title": "Reciprocity and prescribed / real volunteering",
        "volunteers": "{n} volunteers active over the period.",
        "served": "Share of volunteers who are or were people served: {share} ({count} of {n}).",
        "served_hidden": "Share of volunteers who are or were served: suppressed ({reason}).",
        "tenure": "Median length of volunteering: {years} years; {share} of volunteers have been "
        "involved for a year or more.",
        "tenure_hidden": "Length of volunteering: suppressed ({reason}).",
        "turnover": "Turnover: {departures} departures during the period for {at_start} "
        "volunteers present at its start, that is {rate}; {arrivals} arrivals.",
        "turnover_hidden": "Turnover: suppressed ({reason}).",
        "role": "Role",
        "planned_persons": "Planned volunteers",
        "persons": "Real volunteers",
        "gap_persons": "Gap",
        "planned_hours": "Planned hours",
        "hours": "Real hours",
        "gap_hours": "Gap (hours)",
        "hidden": "suppressed",
        "note": "Prescribed: planned roles and hours (charter, plan); real: distinct people and "
        "reported hours. 'suppressed': fewer than {min} volunteers, or hidden so that a total "
        "does not give a small group back.",
    },
}


def escape(value: Any) -> str:
    return str(_markup_escape(value))


def _num(value: Any, lang: str, digits: int = 0) -> str:
    return "—" if value is None else fmt_number(value, lang, digits)


def _signed(value: Any, lang: str) -> str:
    if value is None:
        return "—"
    text = fmt_number(abs(value), lang, 0)
    return ("+" if value > 0 else "−" if value < 0 else "") + text


def render_reciprocity(rec: dict[str, Any] | None, lang: str, min_cell: Any) -> str:
    if not rec:
        return ""
    text = TEXT.get(lang, TEXT["en"])
    lines = []
    if rec.get("volunteers") is not None:
        lines.append(text["volunteers"].format(n=_num(rec["volunteers"], lang)))
    served = rec.get("served")
    if served:
        if served["suppressed"]:
            lines.append(text["served_hidden"].format(reason=reason_text(served["reason"], lang)))
        else:
            lines.append(
                text["served"].format(
                    share=fmt_percent(served["share"], lang),
                    count=_num(served["count"], lang),
                    n=_num(served["n"], lang),
                )
            )
    tenure = rec.get("tenure")
    if tenure:
        if tenure["suppressed"]:
            lines.append(text["tenure_hidden"].format(reason=reason_text(tenure["reason"], lang)))
        else:
            share = tenure.get("share_one_year_or_more")
            lines.append(
                text["tenure"].format(
                    years=_num(tenure["median_years"], lang, 1),
                    share=text["hidden"] if share is None else fmt_percent(share, lang),
                )
            )
    turnover = rec.get("turnover")
    if turnover:
        if turnover["suppressed"]:
            lines.append(
                text["turnover_hidden"].format(reason=reason_text(turnover["reason"], lang))
            )
        else:
            lines.append(
                text["turnover"].format(
                    departures=_num(turnover["departures"], lang),
                    at_start=_num(turnover["at_start"], lang),
                    rate="—" if turnover["rate"] is None else fmt_percent(turnover["rate"], lang),
                    arrivals=_num(turnover["arrivals"], lang),
                )
            )
    parts = [f"<h3>{escape(text['title'])}</h3>"]
    parts += [f"<p>{escape(line)}</p>" for line in lines]
    roles = rec.get("roles") or []
    if roles:
        keys = ["planned_persons", "persons", "gap_persons", "planned_hours", "hours", "gap_hours"]
        head = "".join(f"<th>{escape(text[k])}</th>" for k in ["role", *keys])
        body = []
        for row in roles:
            cells = []
            for key in keys:
                if row["suppressed"] and key in ("persons", "hours", "gap_persons", "gap_hours"):
                    cells.append(f'<td class="suppressed">{escape(text["hidden"])}</td>')
                elif key.startswith("gap"):
                    cells.append(f'<td class="num">{escape(_signed(row[key], lang))}</td>')
                else:
                    cells.append(f'<td class="num">{escape(_num(row[key], lang))}</td>')
            body.append(f"<tr><td>{escape(row['label'][lang])}</td>{''.join(cells)}</tr>")
        parts.append(
            f'<table class="data"><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(body)}</tbody></table>"
        )
        parts.append(f'<p class="muted">{escape(text["note"].format(min=min_cell))}</p>')
    return "".join(parts)
