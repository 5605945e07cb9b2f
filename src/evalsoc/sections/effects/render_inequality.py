"""Report details of an effect on inequality: the index of each group (and period) it compares,
so that a reader sees which index moved, not only the difference."""

from __future__ import annotations

from typing import Any

from evalsoc.text.format import fmt_number

TEXT = {
    "fr": {
        "caption": "Indice par groupe{periods} ({inference})",
        "periods": " et période",
        "group": "Groupe",
        "period": "Période",
        "n": "Effectif",
        "value": "Indice",
        "treated": "dispositif",
        "control": "comparaison",
        "before": "avant",
        "after": "après",
        "linearised": "erreurs types par linéarisation",
        "bootstrap": "erreur type par bootstrap des personnes ou des grappes",
    },
    "en": {
        "caption": "Index by group{periods} ({inference})",
        "periods": " and period",
        "group": "Group",
        "period": "Period",
        "n": "Number",
        "value": "Index",
        "treated": "programme",
        "control": "comparison",
        "before": "before",
        "after": "after",
        "linearised": "linearised standard errors",
        "bootstrap": "bootstrap standard error over people or clusters",
    },
}


def inequality_details(result: dict[str, Any], lang: str) -> str:
    """A small table of the compared indices ('' when the effect has none)."""
    details = (result.get("diagnostics") or {}).get("inequality") or {}
    cells = details.get("cells") or []
    if not cells:
        return ""
    t = TEXT.get(lang, TEXT["en"])
    with_period = any("period" in c for c in cells)
    caption = t["caption"].format(
        periods=t["periods"] if with_period else "",
        inference=t.get(details.get("inference", ""), ""),
    )
    head = [t["group"], *([t["period"]] if with_period else []), t["n"], t["value"]]
    rows = []
    for cell in cells:
        columns = [t[cell["group"]], *([t[cell["period"]]] if with_period else [])]
        columns += [str(cell["n"]), fmt_number(cell["value"], lang, 3)]
        rows.append("<tr>" + "".join(f"<td>{c}</td>" for c in columns) + "</tr>")
    header = "".join(f"<th>{h}</th>" for h in head)
    return (
        f'<table class="data"><caption>{caption}</caption><thead><tr>{header}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )
