"""Report fragment of the stakeholders' valuation: weights by role and overall, their spread,
and the materiality rule with what it leaves out, in French and English."""

from __future__ import annotations

from typing import Any

from markupsafe import escape

from evalsoc.framework.base import label_text
from evalsoc.sections.criteria.coconstruction_render import role_name
from evalsoc.text.format import fmt_number, fmt_percent

TEXT = {
    "fr": {
        "title": "Ce qui compte pour les parties prenantes",
        "intro": "{n} répondants ont {how} l'importance des {items} ; poids par {method}. "
        "Le poids d'ensemble est la moyenne des poids des groupes, chaque groupe comptant "
        "autant.",
        "ranked": "classé",
        "rated": "noté",
        "criteria": "critères",
        "outcomes": "effets",
        "roc": "centroïde des rangs (ROC)",
        "rank_sum": "somme des rangs",
        "mean_rating": "notes moyennes normalisées",
        "item": "Élément",
        "overall": "Ensemble",
        "spread": "Écart entre groupes (min – max)",
        "hidden": "masqué",
        "hidden_note": "« masqué » : groupe de moins de {m} répondants, ou masqué pour qu'il ne "
        "se déduise pas des autres chiffres.",
        "material_outcomes": "Seuil de matérialité : {basis} < {threshold}. Non retenus dans le "
        "SROI : {items}.",
        "material_criteria": "Seuil de matérialité : {basis} < {threshold}. Sous le seuil (la "
        "grille les garde, signalés ici) : {items}.",
        "material_none": "Seuil de matérialité : {basis} < {threshold}. Tous les éléments sont "
        "retenus.",
        "basis_weight": "poids",
        "basis_rating": "note moyenne",
        "stable": "La décision est la même avec les poids de chaque groupe publié.",
        "unstable": "La décision change selon le groupe : {details}.",
        "by_role": "avec les poids des {role}, non retenus : {items}",
        "nothing": "aucun",
        "respondents": "répondants",
    },
    "en": {
        "title": "What matters to stakeholders",
        "intro": "{n} respondents {how} the importance of the {items}; weights by {method}. "
        "The overall weight is the mean of the groups' weights, each group counting equally.",
        "ranked": "ranked",
        "rated": "rated",
        "criteria": "criteria",
        "outcomes": "outcomes",
        "roc": "rank-order centroid (ROC)",
        "rank_sum": "rank sum",
        "mean_rating": "normalised mean ratings",
        "item": "Item",
        "overall": "Overall",
        "spread": "Spread across groups (min – max)",
        "hidden": "suppressed",
        "hidden_note": "'suppressed': a group of fewer than {m} respondents, or hidden so that "
        "it cannot be worked out from the other figures.",
        "material_outcomes": "Materiality threshold: {basis} < {threshold}. Left out of the "
        "SROI: {items}.",
        "material_criteria": "Materiality threshold: {basis} < {threshold}. Below it (kept in "
        "the grid, flagged here): {items}.",
        "material_none": "Materiality threshold: {basis} < {threshold}. Every item is kept.",
        "basis_weight": "weight",
        "basis_rating": "mean rating",
        "stable": "The decision is the same with each published group's weights.",
        "unstable": "The decision depends on the group: {details}.",
        "by_role": "with the {role}' weights, left out: {items}",
        "nothing": "none",
        "respondents": "respondents",
    },
}


def _names(framework: Any, kind: str, lang: str) -> dict[str, str]:
    if kind == "criteria":
        items = [c for d in framework.dimensions for c in d.criteria]
    else:
        items = list(framework.sroi.outcomes if framework.sroi else [])
    return {i.id: label_text(i.label, lang, i.id) for i in items}


def render(section: dict[str, Any], framework: Any, lang: str) -> str:
    if not section:
        return ""
    text = TEXT["fr" if lang == "fr" else "en"]
    names = _names(framework, section["items"], lang)
    items = list(names)
    roles = section["by_role"]
    n = section.get("respondents")
    parts = [f'<section class="valuation"><h2>{escape(text["title"])}</h2>']
    intro = text["intro"].format(
        n="—" if n is None else fmt_number(n, lang, 0),
        how=text["ranked" if section["method"] != "mean_rating" else "rated"],
        items=text[section["items"]],
        method=text[section["method"]],
    )
    parts.append(f"<p>{escape(intro)}</p>")
    head = [text["item"]] + [
        f"{role_name(r['role'], lang)} ({fmt_number(r['respondents'], lang, 0)} "
        f"{text['respondents']})"
        if not r["suppressed"]
        else role_name(r["role"], lang)
        for r in roles
    ]
    head += [text["overall"], text["spread"]]
    rows = []
    for item in items:
        cells = [names[item]]
        for r in roles:
            cells.append(
                text["hidden"] if r["suppressed"] else fmt_percent(r["weights"][item], lang)
            )
        weights = section.get("weights")
        cells.append(text["hidden"] if weights is None else fmt_percent(weights[item], lang))
        spread = (section.get("spread") or {}).get(item)
        cells.append(
            f"{fmt_percent(spread['min'], lang)} – {fmt_percent(spread['max'], lang)}"
            if spread and spread["roles"] > 1
            else "—"
        )
        rows.append("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in cells) + "</tr>")
    heads = "".join(f"<th>{escape(h)}</th>" for h in head)
    parts.append(
        f'<table class="data"><thead><tr>{heads}</tr></thead><tbody>{"".join(rows)}</tbody></table>'
    )
    if any(r["suppressed"] for r in roles):
        note = text["hidden_note"].format(m=framework.privacy.min_cell)
        parts.append(f'<p class="note">{escape(note)}</p>')
    parts.append(_materiality(section, names, text, lang))
    parts.append("</section>")
    return "\n".join(p for p in parts if p)


def _materiality(section: dict[str, Any], names: dict[str, str], text: dict, lang: str) -> str:
    rule = section.get("materiality")
    if not rule:
        return ""
    basis = text[f"basis_{rule['basis']}"]
    threshold = (
        fmt_percent(rule["threshold"], lang)
        if rule["basis"] == "weight"
        else fmt_number(rule["threshold"], lang, 2)
    )
    quote = ("« ", " »") if lang == "fr" else ("‘", "’")

    def listed(ids: list[str]) -> str:
        return ", ".join(f"{quote[0]}{names.get(i, i)}{quote[1]}" for i in ids) or text["nothing"]

    if rule["immaterial"]:
        line = text[f"material_{section['items']}"].format(
            basis=basis, threshold=threshold, items=listed(rule["immaterial"])
        )
    else:
        line = text["material_none"].format(basis=basis, threshold=threshold)
    out = [f"<p>{escape(line)}</p>"]
    if rule["by_role"]:
        if rule["stable"]:
            out.append(f"<p>{escape(text['stable'])}</p>")
        else:
            details = (" ; " if lang == "fr" else "; ").join(
                text["by_role"].format(role=_role_of(section, value, lang), items=listed(ids))
                for value, ids in rule["by_role"].items()
            )
            out.append(f"<p>{escape(text['unstable'].format(details=details))}</p>")
    return "\n".join(out)


def _role_of(section: dict[str, Any], value: str, lang: str) -> str:
    role = next(r["role"] for r in section["by_role"] if r["value"] == value)
    return role_name(role, lang)
