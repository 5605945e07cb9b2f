"""PNG charts for the Word document (matplotlib, Agg, no metadata: same data → same bytes)."""

from __future__ import annotations

import io
import textwrap
from typing import Any

from evalsoc.report.i18n import t
from evalsoc.text.format import fmt_percent

# Bars per picture: 25 bars of 0.3 in fit one A4 page at 16 cm wide; 200 indicators would
# otherwise make one picture two metres tall (and cost seconds of text layout).
BARS_PER_CHART = 25
BAR_INCHES = 0.3
MARGIN_INCHES = (0.45, 0.75)  # top (title), bottom (axis label)


def ratio_charts(items: list[tuple[str, str, float]], lang: str) -> list[io.BytesIO]:
    """The indicators (dimension, label, value / target) against their targets: one picture of
    labelled bars when they fit one page (BARS_PER_CHART), else one picture with a row of dots
    per dimension — eight pictures of 25 labelled bars took 4 s of matplotlib for 200
    indicators, and each indicator's value and target are in the tables that follow."""
    if len(items) <= BARS_PER_CHART:
        return [ratio_chart([(label, ratio) for _, label, ratio in items], lang)]
    return [ratio_by_dimension_chart(items, lang)]


def ratio_by_dimension_chart(items: list[tuple[str, str, float]], lang: str) -> io.BytesIO:
    """One row per dimension, one dot per indicator at its value / target (green when the
    target is met), a line at 100 %."""
    from matplotlib.ticker import FuncFormatter

    from evalsoc.report.charts import new_figure

    dimensions = list(dict.fromkeys(dimension for dimension, _, _ in items))
    row = {dimension: i for i, dimension in enumerate(dimensions)}
    seen: dict[str, int] = {}
    xs, ys, colours = [], [], []
    for dimension, _, ratio in items:
        # A fixed vertical spread inside the row (no random jitter: same data, same bytes).
        k = seen[dimension] = seen.get(dimension, -1) + 1
        xs.append(ratio)
        ys.append(row[dimension] + ((k % 5) - 2) * 0.09)
        colours.append("#1b7837" if ratio >= 1 else "#b2182b")
    top, bottom = MARGIN_INCHES[0] + 0.2, MARGIN_INCHES[1]  # a title of two lines
    height = 0.45 * len(dimensions) + top + bottom
    fig, ax = new_figure(7.0, height, screen=False)
    ax.scatter(xs, ys, c=colours, s=14, alpha=0.8, linewidths=0)
    ax.axvline(1.0, color="#333", linestyle="--", linewidth=1)
    ax.set_yticks(range(len(dimensions)), [textwrap.fill(d, 45) for d in dimensions], fontsize=8)
    ax.set_ylim(len(dimensions) - 0.5, -0.5)  # first dimension on top
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: fmt_percent(x, lang, 0)))
    ax.set_xlabel(t(lang, "ratio_axis"))
    fig.suptitle(textwrap.fill(t(lang, "ratio_by_dimension_title"), 70), fontsize=10)
    fig.subplots_adjust(left=0.3, right=0.97, top=1 - top / height, bottom=bottom / height)
    return _png(fig)


def ratio_chart(items: list[tuple[str, float]], lang: str) -> io.BytesIO:
    """Horizontal bars: value / target per indicator, a line at 100 % (the target)."""
    from matplotlib.ticker import FuncFormatter

    from evalsoc.report.charts import new_figure

    top, bottom = MARGIN_INCHES
    height = BAR_INCHES * len(items) + top + bottom
    fig, ax = new_figure(7.0, height, screen=False)
    labels = [textwrap.fill(label, 45) for label, _ in items]
    ratios = [ratio for _, ratio in items]
    ax.barh(range(len(items)), ratios, color=["#1b7837" if r >= 1 else "#b2182b" for r in ratios])
    ax.axvline(1.0, color="#333", linestyle="--", linewidth=1)
    ax.set_yticks(range(len(items)), labels, fontsize=8)
    ax.set_ylim(len(items) - 0.5, -0.5)  # first indicator on top
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: fmt_percent(x, lang, 0)))
    ax.set_xlabel(t(lang, "ratio_axis"))
    ax.set_title(t(lang, "ratio_title"), fontsize=10)
    # Fixed margins (labels wrapped at 45 characters of 8 pt take under 3 in) rather than
    # tight_layout, which lays every label out once more before the drawing.
    fig.subplots_adjust(left=0.42, right=0.97, top=1 - top / height, bottom=bottom / height)
    return _png(fig)


def _png(fig: Any) -> io.BytesIO:
    """The figure as PNG bytes without metadata (same data → same bytes), then closed."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, metadata={"Software": None})
    import matplotlib.pyplot as plt

    plt.close(fig)
    buf.seek(0)
    return buf
