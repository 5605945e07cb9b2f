"""Tiny hand-written SVG charts (deterministic, no dependency): value, interval and target."""

from __future__ import annotations

from markupsafe import escape


def _scale(lo: float, hi: float, width: float, pad: float) -> callable:
    span = hi - lo or 1.0
    return lambda x: pad + (x - lo) / span * (width - 2 * pad)


def target_chart(
    value: float | None,
    ci_low: float | None,
    ci_high: float | None,
    target: float | None,
    baseline: float | None,
    *,
    percent: bool,
    title: str,
) -> str:
    """A one-line chart: the interval as a bar, the value as a dot, target and baseline as ticks."""
    points = [x for x in (value, ci_low, ci_high, target, baseline) if x is not None]
    if not points:
        return ""
    lo, hi = (0.0, 1.0) if percent else (min(0.0, *points), max(points) * 1.1 or 1.0)
    width, height, pad = 240.0, 30.0, 8.0
    x = _scale(lo, hi, width, pad)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart-target" width="{width:.0f}" height="{height:.0f}" viewBox="0 0 {width:.0f} {height:.0f}" role="img">',
        f"<title>{escape(title)}</title>",
        f'<line x1="{pad}" y1="15" x2="{width - pad}" y2="15" stroke="#ccc" stroke-width="1"/>',
    ]
    if ci_low is not None and ci_high is not None:
        parts.append(
            f'<rect x="{x(ci_low):.1f}" y="11" width="{max(x(ci_high) - x(ci_low), 1):.1f}" height="8" fill="#9ecae1"/>'
        )
    if baseline is not None:
        parts.append(
            f'<line x1="{x(baseline):.1f}" y1="6" x2="{x(baseline):.1f}" y2="24" stroke="#888" stroke-width="2" stroke-dasharray="2,2"/>'
        )
    if target is not None:
        parts.append(
            f'<line x1="{x(target):.1f}" y1="4" x2="{x(target):.1f}" y2="26" stroke="#d62728" stroke-width="2"/>'
        )
    if value is not None:
        parts.append(f'<circle cx="{x(value):.1f}" cy="15" r="4.5" fill="#08519c"/>')
    parts.append("</svg>")
    return "".join(parts)
