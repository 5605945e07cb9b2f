"""The console's view of the quarantine: per check, how many rows and the first bad values,
so that a user sees what to fix without opening invalid/<source>.csv."""

from __future__ import annotations

from typing import Any

_SHOWN = 3
_WIDTH = 30


def _shown(value: Any) -> str:
    text = str(value)
    for raw, escaped in (("\r", "\\r"), ("\n", "\\n"), ("\t", "\\t")):
        text = text.replace(raw, escaped)
    return text if len(text) <= _WIDTH else text[: _WIDTH - 1] + "…"


def failure_lines(quarantine: Any, limit: int = 10) -> list[str]:
    """`age: max 80 — 3 rows, e.g. 97, 130, 212`, one line per (column, check), file order."""
    if quarantine is None or not len(quarantine):
        return []
    lines = []
    groups = quarantine.groupby(["_column", "_check"], sort=False)
    for (column, check), rows in list(groups)[:limit]:
        count = len(rows)
        values = list(dict.fromkeys(_shown(v) for v in rows["_value"]))[:_SHOWN]
        noun = "row" if count == 1 else "rows"
        lines.append(f"{column}: {check} — {count} {noun}, e.g. {', '.join(values)}")
    hidden = groups.ngroups - limit
    if hidden > 0:
        lines.append(f"… and {hidden} more check(s): see the quarantine file")
    return lines
