"""Each indicator's trend over the runs recorded in the history store (`evalsoc run --record`):
a table of the published value per period with a small line chart.

A value the privacy rule suppressed in its run is written as suppressed, with a cross on the
chart's baseline, never left as an empty cell a reader might fill by subtraction; a period whose
indicator definition changed is marked and not joined to the previous point by the line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from markupsafe import escape

from evalsoc.report.i18n import t


def past_points(
    store: Path, framework_id: str, indicator_ids: list[str], current_start: str | None
) -> dict[str, list[dict[str, Any]]]:
    """The recorded points of each indicator, the current period's own records left out (the
    report shows this run's figure instead). Empty when the store does not exist."""
    from evalsoc.compare.history import indicator_history, open_store

    if not store.exists():
        return {}
    with open_store(store, create=False) as con:
        found = {
            ind: [
                p
                for p in indicator_history(con, framework_id, ind)
                if p["period"]["start"] != current_start
            ]
            for ind in indicator_ids
        }
    return {ind: points for ind, points in found.items() if points}


def current_point(res: dict[str, Any], period: dict[str, Any] | None) -> dict[str, Any]:
    """This run's figure in the shape of a recorded point."""
    return {
        "period": {"start": (period or {}).get("start"), "end": (period or {}).get("end")},
        "value": res.get("value"),
        "suppressed": bool(res.get("suppressed")) or res.get("status") == "suppressed",
        "definition_changed": False,
    }


def period_label(period: dict[str, Any]) -> str:
    """The year when the period is one calendar year, else "start – end" (ISO dates)."""
    start, end = str(period.get("start") or ""), str(period.get("end") or "")
    if start[:4] and start[5:] == "01-01" and end[5:] == "12-31" and start[:4] == end[:4]:
        return start[:4]
    return f"{start} – {end}"


def render_trends(
    history: dict[str, list[dict[str, Any]]],
    framework: Any,
    data: dict[str, Any],
    lang: str,
    value_text: Any,
) -> str:
    """The trend section's HTML; `value_text(value, kind)` writes a value as the grid does."""
    from evalsoc.framework.base import label_text

    if not history:
        return ""
    period = data["framework"].get("period")
    rows = []
    for _dim, _crit, ind in framework.all_indicators():
        past = history.get(ind.id)
        res = (data.get("indicators") or {}).get(ind.id) or {}
        if not past:
            continue
        points = past + [current_point(res, period)]
        kind = res.get("kind", ind.kind)
        cells = []
        for p in points:
            if p["suppressed"]:
                text = t(lang, "suppressed")
            else:
                text = value_text(p["value"], kind)
            if p["definition_changed"]:
                text += " †"
            cells.append(
                f"<li><span class='trend-period'>{escape(period_label(p['period']))}</span> "
                f"<span class='num'>{escape(text)}</span></li>"
            )
        label = label_text(ind.label, lang, ind.id)
        rows.append(
            f"<tr><td>{escape(label)}</td><td><ul class='trend-values'>{''.join(cells)}</ul>"
            f"</td><td>{sparkline(points, label)}</td></tr>"
        )
    if not rows:
        return ""
    return (
        f"<section><h2>{escape(t(lang, 'trend_title'))}</h2>"
        f"<p>{escape(t(lang, 'trend_intro'))}</p>"
        f"<table class='data trend'><thead><tr><th>{escape(t(lang, 'indicator'))}</th>"
        f"<th>{escape(t(lang, 'trend_values'))}</th><th>{escape(t(lang, 'chart'))}</th></tr>"
        f"</thead><tbody>{''.join(rows)}</tbody></table>"
        f"<p class='muted'>{escape(t(lang, 'trend_definition_changed'))}</p></section>"
    )


def sparkline(points: list[dict[str, Any]], title: str) -> str:
    """A 160 × 36 line of the published values; suppressed points as a cross on the baseline,
    the line broken before a point whose definition changed."""
    width, height, pad = 160.0, 36.0, 5.0
    shown = [
        float(p["value"])
        for p in points
        if not p["suppressed"] and isinstance(p["value"], (int, float))
    ]
    lo, hi = (min(shown), max(shown)) if shown else (0.0, 1.0)
    span = (hi - lo) or 1.0
    step = (width - 2 * pad) / max(len(points) - 1, 1)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart-trend" width="{width:.0f}" '
        f'height="{height:.0f}" viewBox="0 0 {width:.0f} {height:.0f}" role="img" '
        f'aria-label="{escape(title)}"><title>{escape(title)}</title>'
    ]
    segment: list[str] = []
    lines: list[list[str]] = []
    for i, p in enumerate(points):
        x = pad + i * step
        if p["definition_changed"] and segment:
            lines.append(segment)
            segment = []
        if p["suppressed"] or not isinstance(p["value"], (int, float)):
            if segment:
                lines.append(segment)
                segment = []
            y = height - pad
            parts.append(
                f'<path d="M{x - 3:.1f},{y - 3:.1f}L{x + 3:.1f},{y + 3:.1f}M{x - 3:.1f},'
                f'{y + 3:.1f}L{x + 3:.1f},{y - 3:.1f}" stroke="#777" stroke-width="1.5"/>'
            )
            continue
        y = height - pad - (float(p["value"]) - lo) / span * (height - 2 * pad)
        segment.append(f"{x:.1f},{y:.1f}")
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5" fill="#08519c"/>')
    if segment:
        lines.append(segment)
    for line in lines:
        if len(line) > 1:
            parts.append(
                f'<polyline points="{" ".join(line)}" fill="none" stroke="#08519c" '
                'stroke-width="1.5"/>'
            )
    parts.append("</svg>")
    return "".join(parts)
