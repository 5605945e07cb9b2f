"""The stakeholders' valuation as a tidy table (results.xlsx, report.docx): one row per item
and role, then the overall weights; suppressed roles keep their row, without figures."""

from __future__ import annotations

from typing import Any

from evalsoc.report.i18n import t
from evalsoc.sections.criteria.coconstruction_render import role_name
from evalsoc.sections.criteria.elicitation_render import _names


def valuation_table(
    framework: Any, data: dict[str, Any], lang: str, table_type: Any, formats: tuple[str, str]
) -> Any:
    res = data.get("valuation") or {}
    if not res:
        return None
    heads = ["id", "valuation_item", "valuation_role", "valuation_respondents", "valuation_weight"]
    integer, percent = formats
    table = table_type(
        "sheet_valuation", [t(lang, h) for h in heads], formats={3: integer, 4: percent}
    )
    names = _names(framework, res["items"], lang)
    for item, name in names.items():
        for role in res["by_role"]:
            weights = role.get("weights") or {}
            table.rows.append(
                [
                    item,
                    name,
                    role_name(role["role"], lang),
                    role.get("respondents"),
                    weights.get(item),
                ]
            )
        overall = (res.get("weights") or {}).get(item)
        table.rows.append(
            [item, name, t(lang, "valuation_overall"), res.get("respondents"), overall]
        )
    return table
