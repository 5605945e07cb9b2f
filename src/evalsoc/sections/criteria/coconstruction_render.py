"""Report pieces of the co-construction record: how the grid was built (method section) and
the criteria no body validated (annex), in French and English."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup, escape

from evalsoc.sections.criteria.coconstruction_config import ROLES

TEXT: dict[str, dict[str, Any]] = {
    "fr": {
        "title": "Construction de la grille",
        "criteria": "La grille compte {n} critères.",
        "proposed": "Critères proposés par : {roles}.",
        "no_proposer": (
            "{n} critère sans auteur de proposition renseigné.",
            "{n} critères sans auteur de proposition renseigné.",
        ),
        "served": "Critères venant des personnes concernées elles-mêmes (personnes accompagnées, "
        "habitants) : {labels}.",
        "served_none": "Aucun critère n'est renseigné comme proposé par les personnes "
        "accompagnées ou les habitants.",
        "validated": "Validation — {body}, le {date} : {labels}.",
        "unvalidated": (
            "{n} critère validé par aucune instance : {labels} (voir l'annexe).",
            "{n} critères validés par aucune instance : {labels} (voir l'annexe).",
        ),
        "criterion": "Critère",
        "proposed_by": "Proposé par",
        "validated_by": "Validé par",
        "notes": "Notes",
        "annex": "Critères non validés",
        "annex_text": "Aucune instance n'a validé ces critères (ni eux, ni leur dimension ne "
        "portent la clé `validated`) : {labels}.",
        "none": "—",
        "on": "le",
    },
    "en": {
        "title": "How the grid was built",
        "criteria": "The grid has {n} criteria.",
        "proposed": "Criteria proposed by: {roles}.",
        "no_proposer": (
            "{n} criterion without a recorded proposer.",
            "{n} criteria without a recorded proposer.",
        ),
        "served": "Criteria that come from the people concerned themselves (people served, "
        "residents): {labels}.",
        "served_none": "No criterion is recorded as proposed by the people served or residents.",
        "validated": "Validation — {body}, on {date}: {labels}.",
        "unvalidated": (
            "{n} criterion validated by no body: {labels} (see the annex).",
            "{n} criteria validated by no body: {labels} (see the annex).",
        ),
        "criterion": "Criterion",
        "proposed_by": "Proposed by",
        "validated_by": "Validated by",
        "notes": "Notes",
        "annex": "Criteria not validated",
        "annex_text": "No body validated these criteria (neither they nor their dimension carry "
        "the key `validated`): {labels}.",
        "none": "—",
        "on": "on",
    },
}


def role_name(role: str, lang: str) -> str:
    fr, en = ROLES.get(role, (role, role))
    return fr if lang == "fr" else en


def _labels(record: dict[str, Any], ids: list[str], lang: str) -> str:
    names = {i["id"]: i["label"][lang] for i in record["items"] if i["level"] == "criterion"}
    quote = ("« ", " »") if lang == "fr" else ("‘", "’")
    return ", ".join(f"{quote[0]}{names.get(i, i)}{quote[1]}" for i in ids)


def method_html(record: dict[str, Any], lang: str) -> Markup:
    """The paragraph and table of the method section; empty when nothing is recorded."""
    if not record:
        return Markup("")
    from evalsoc.report.words import date_words

    text = TEXT["fr" if lang == "fr" else "en"]
    lines = [text["criteria"].format(n=record["criteria_total"])]
    if record["proposed_by_role"]:
        roles = ", ".join(
            f"{role_name(role, lang)} ({n})" for role, n in record["proposed_by_role"].items()
        )
        lines.append(text["proposed"].format(roles=roles))
    if record["without_proposer"]:
        n = len(record["without_proposer"])
        lines.append(text["no_proposer"][n > 1].format(n=n))
    served = record["from_people_served"]
    lines.append(
        text["served"].format(labels=_labels(record, served, lang))
        if served
        else text["served_none"]
    )
    for v in record["validations"]:
        lines.append(
            text["validated"].format(
                body=v["body"][lang],
                date=date_words(v["date"], lang),
                labels=_labels(record, v["criteria"], lang),
            )
        )
    if record["unvalidated"]:
        n = len(record["unvalidated"])
        labels = _labels(record, record["unvalidated"], lang)
        lines.append(text["unvalidated"][n > 1].format(n=n, labels=labels))
    rows = []
    for item in record["items"]:
        if item["level"] != "criterion":
            continue
        proposed = ", ".join(role_name(r, lang) for r in item["proposed_by"]) or text["none"]
        valid = item["validated"]
        validated = (
            f"{valid['body'][lang]} {text['on']} {date_words(valid['date'], lang)}"
            if valid
            else text["none"]
        )
        notes = item["notes"][lang] if item["notes"] else ""
        rows.append(
            "<tr>"
            + "".join(
                f"<td>{escape(c)}</td>" for c in (item["label"][lang], proposed, validated, notes)
            )
            + "</tr>"
        )
    head = "".join(
        f"<th>{escape(text[k])}</th>" for k in ("criterion", "proposed_by", "validated_by", "notes")
    )
    return Markup(
        f'<h3 id="co-construction">{escape(text["title"])}</h3>'
        + "".join(f"<p>{escape(line)}</p>" for line in lines)
        + f'<table class="data"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody>'
        "</table>"
    )


def annex_html(record: dict[str, Any], lang: str) -> str:
    """The annex's flag of criteria no body validated (empty when all are validated)."""
    if not record or not record.get("unvalidated"):
        return ""
    text = TEXT["fr" if lang == "fr" else "en"]
    labels = _labels(record, record["unvalidated"], lang)
    return (
        f'<h3 id="unvalidated">{escape(text["annex"])}</h3>'
        f'<div class="warning">{escape(text["annex_text"].format(labels=labels))}</div>'
    )
