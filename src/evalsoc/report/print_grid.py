"""The print edition of a large grid (issue 11): above PRINT_DETAIL_LIMIT indicators the PDF
shows one dot chart per dimension instead of one small chart per indicator, and each verdict
without its « Détail du raisonnement » (in report.html, in full).

Why: WeasyPrint lays a 200-indicator grid out in pure Python; the 200 small SVG charts and the
40 verdict explanations were ≈ 2 of its 11 seconds (benchmarks/results.md, « Round 5 — report
formats »), for a reader who gets every indicator's value, interval and target in the table
and every verdict in the synthesis and beside each criterion. The screen report is unchanged."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup, escape

from evalsoc.report.i18n import t
from evalsoc.text.format import fmt_percent

# The demo's grids have 11–25 indicators; a grid of more than 40 no longer reads as small charts
# one by one (two pages of them per dimension in print).
PRINT_DETAIL_LIMIT = 40

WIDTH, ROW, PAD, LABEL = 480.0, 34.0, 12.0, 12.0
COLOURS = {"met": "#1b7837", "not_met": "#b2182b"}
OTHER = "#969696"


def large_grid(framework: Any) -> bool:
    """True when the print edition summarises the grid (more than PRINT_DETAIL_LIMIT)."""
    return len(framework.all_indicators()) > PRINT_DETAIL_LIMIT


def dimension_dots(dimension: Any, indicators: dict[str, Any], lang: str, title: str) -> str:
    """One row of dots, one per indicator of `dimension` that has a numeric value and target, at
    value / target (a dashed line at 100 % = the target), coloured by the indicator's status
    (met, not met, else grey). Simple SVG: a line, a few ticks, one circle per indicator."""
    dots = []
    for criterion in dimension.criteria:
        for spec in criterion.indicators:
            res = indicators.get(spec.id) or {}
            value, target = res.get("value"), res.get("target")
            if isinstance(value, (int, float)) and isinstance(target, (int, float)) and target:
                dots.append((value / target, COLOURS.get(res.get("status") or "", OTHER)))
    if not dots:
        return ""
    ratios = [ratio for ratio, _ in dots]
    lo, hi = min(0.0, *ratios), max(1.5, *ratios) * 1.05
    step = 0.5 if hi - lo <= 3 else float(int((hi - lo) / 5) or 1)

    def x(ratio: float) -> float:
        return PAD + (ratio - lo) / (hi - lo) * (WIDTH - 2 * PAD)

    height = ROW + LABEL
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart-dots" width="{WIDTH:.0f}" '
        f'height="{height:.0f}" viewBox="0 0 {WIDTH:.0f} {height:.0f}" role="img">',
        f"<title>{escape(title)}</title>",
        f'<line x1="{PAD}" y1="{ROW / 2}" x2="{WIDTH - PAD}" y2="{ROW / 2}" stroke="#ccc"/>',
        f'<line x1="{x(1.0):.1f}" y1="2" x2="{x(1.0):.1f}" y2="{ROW - 2}" stroke="#333" '
        'stroke-dasharray="3,2"/>',
    ]
    tick = step * int(lo / step)
    while tick <= hi:
        parts.append(
            f'<text x="{x(tick):.1f}" y="{height - 2:.0f}" font-size="9" fill="#555" '
            f'text-anchor="middle">{escape(fmt_percent(tick, lang, 0))}</text>'
        )
        tick += step
    for k, (ratio, colour) in enumerate(dots):
        # A fixed vertical spread (no random jitter: same data, same bytes).
        y = ROW / 2 + ((k % 5) - 2) * 3.5
        parts.append(f'<circle cx="{x(ratio):.1f}" cy="{y:.1f}" r="3" fill="{colour}"/>')
    parts.append("</svg>")
    return "".join(parts)


def summarise_for_print(
    dimensions: list[dict[str, Any]], framework: Any, data: dict[str, Any], lang: str
) -> None:
    """The grid's print edition above PRINT_DETAIL_LIMIT indicators, in place: one dot chart per
    dimension, the verdict explanations left to report.html."""
    indicators = data.get("indicators") or {}
    for dim, spec in zip(dimensions, framework.dimensions, strict=True):
        dim["dots"] = Markup(
            dimension_dots(spec, indicators, lang, t(lang, "dots_title", dimension=dim["label"]))
        )
        for crit in dim["criteria"]:
            crit["rationale"] = None
